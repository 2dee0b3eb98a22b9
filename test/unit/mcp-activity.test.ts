// The diagnostics' memory of recent view_data calls.

import { describe, expect, it } from 'vitest';
import { ACTIVITY_KEPT, createActivity, formatAge } from '../../src/mcp/activity.ts';

describe('activity', () => {
  it('says nothing before the first call', () => {
    expect(createActivity().lines()).toEqual([]);
  });

  it('lists the newest first, with ages, and keeps only the last few', () => {
    const a = createActivity();
    for (let i = 0; i < ACTIVITY_KEPT + 2; i++) a.record(`call ${i}`, 1_000 * i);
    const lines = a.lines(1_000 * (ACTIVITY_KEPT + 2));
    expect(lines).toHaveLength(ACTIVITY_KEPT + 1);
    expect(lines[1]).toBe(`- 1 s ago: call ${ACTIVITY_KEPT + 1}`);
    expect(lines.at(-1)).toBe(`- ${ACTIVITY_KEPT} s ago: call 2`);
  });

  it('formats ages for a person', () => {
    expect(formatAge(400)).toBe('0 s');
    expect(formatAge(59_000)).toBe('59 s');
    expect(formatAge(125_000)).toBe('2 min');
    expect(formatAge(3_600_000 + 5 * 60_000)).toBe('1 h 5 min');
  });
});
