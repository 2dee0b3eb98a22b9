import { describe, expect, it } from 'vitest';
import { INLINE_MAX_HEIGHT_PX, INLINE_MIN_HEIGHT_PX, requestedHeight, toggledMode } from '../../src/web/app/host-layout.ts';

describe('host layout', () => {
  it('asks for a height that fits a short table, a screenful for a long one, within the container', () => {
    // Never less than room for three rows (the empty-table message fits there too).
    expect(requestedHeight({ displayMode: 'inline' }, 0)).toBe(requestedHeight({ displayMode: 'inline' }, 3));
    expect(requestedHeight({ displayMode: 'inline' }, 0)).toBeGreaterThanOrEqual(INLINE_MIN_HEIGHT_PX);
    expect(requestedHeight({ displayMode: 'inline' }, 1_000_000)).toBe(INLINE_MAX_HEIGHT_PX);
    const eight = requestedHeight({}, 8)!;
    expect(eight).toBeGreaterThan(INLINE_MIN_HEIGHT_PX);
    expect(eight).toBeLessThan(INLINE_MAX_HEIGHT_PX);
    expect(requestedHeight({ containerDimensions: { maxHeight: 300 } }, 1_000)).toBe(300);
  });

  it('leaves the height to the host in full screen or with a fixed container height', () => {
    expect(requestedHeight({ displayMode: 'fullscreen' }, 5)).toBeUndefined();
    expect(requestedHeight({ displayMode: 'inline', containerDimensions: { height: 400 } }, 5)).toBeUndefined();
  });

  it('offers full screen only when the host does', () => {
    expect(toggledMode({ displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'] })).toBe('fullscreen');
    expect(toggledMode({ displayMode: 'fullscreen', availableDisplayModes: ['inline', 'fullscreen'] })).toBe('inline');
    expect(toggledMode({ displayMode: 'inline', availableDisplayModes: ['inline'] })).toBeUndefined();
    expect(toggledMode({})).toBeUndefined();
  });
});
