// mcp/tools/view-errors.ts: what a failed view_data call tells the agent, by the class of the error.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ServerRequestError } from '../../src/lifecycle/api-client.ts';
import { EnsureServerError } from '../../src/lifecycle/errors.ts';
import { describeFailure, ServerAnswerError } from '../../src/mcp/tools/view-errors.ts';

describe('describeFailure', () => {
  it('passes on the servers sentence, hint and code', () => {
    const err = new ServerRequestError('File not found: /a.csv', 'E_FILE_NOT_FOUND', 404, 'Check the path');
    expect(describeFailure(err)).toEqual({ message: 'File not found: /a.csv', hint: 'Check the path', code: 'E_FILE_NOT_FOUND' });
  });

  it('passes on the lifecycles sentence and code', () => {
    expect(describeFailure(new EnsureServerError('port 9870 is held by nginx', 'E_PORT_HELD'))).toEqual({ message: 'port 9870 is held by nginx', code: 'E_PORT_HELD' });
  });

  it('names the field of an answer that breaks the contract', () => {
    const parsed = z.object({ rows: z.number() }).safeParse({ rows: 'many' });
    if (parsed.success) throw new Error('the bad answer parsed');
    const failure = describeFailure(new ServerAnswerError('/load', { version: '9.9.9', pid: 42 }, parsed.error));
    expect(failure.code).toBe('E_BAD_ANSWER');
    expect(failure.message).toMatch(/^The data server 9\.9\.9 \(pid 42\) answered \/load with a shape this version cannot read \(rows: /);
  });

  it('keeps the message of any other error and the text of a thrown value', () => {
    expect(describeFailure(new Error('boom'))).toEqual({ message: 'boom' });
    expect(describeFailure('odd')).toEqual({ message: 'odd' });
  });
});
