// How a failed view_data call reads: each kind of error the steps can throw, told apart by its class, becomes
// the sentence the agent passes on, a hint when there is one, and a code for the logs.

import type { ZodError } from 'zod';
import { EnsureServerError } from '../../lifecycle/errors.ts';
import { ServerRequestError } from '../../lifecycle/api-client.ts';

/** The data server answered with something this version cannot read (a server of another version, say). */
export class ServerAnswerError extends Error {
  readonly code = 'E_BAD_ANSWER';

  constructor(route: string, server: { version: string; pid: number }, cause: ZodError) {
    const issue = cause.issues[0];
    super(`The data server ${server.version} (pid ${server.pid}) answered ${route} with a shape this version cannot read (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'no detail'}).`);
    this.name = 'ServerAnswerError';
  }
}

export interface ViewFailure {
  message: string;
  hint?: string;
  code?: string;
}

export function describeFailure(err: unknown): ViewFailure {
  if (err instanceof ServerRequestError) return { message: err.message, hint: err.hint, code: err.code };
  if (err instanceof EnsureServerError || err instanceof ServerAnswerError) return { message: err.message, code: err.code };
  if (err instanceof Error) return { message: err.message };
  return { message: String(err) };
}
