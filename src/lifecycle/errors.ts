// The lifecycle's failures: one class, a stable code, and a sentence the agent can pass to a person.
// (No TypeScript parameter properties here: the lock is also loaded by plain `node` in tests and benches.)

export type EnsureErrorCode =
  | 'E_PORT_HELD' // something that is not ours holds an explicitly chosen port
  | 'E_NEWER_SERVER' // a newer server speaks a protocol we do not; we never downgrade
  | 'E_NOT_OURS' // the pid failed verification: we refuse to signal it
  | 'E_STILL_RUNNING' // it survived SIGKILL (or the port stayed taken)
  | 'E_SPAWN'
  | 'E_STARTUP_FAILED' // the new server exited before it was ready
  | 'E_STARTUP_TIMEOUT'
  | 'E_LOCK_TIMEOUT'
  | 'E_RUN_DIR_UNSAFE';

export class EnsureServerError extends Error {
  readonly code: EnsureErrorCode | (string & {});

  constructor(message: string, code: EnsureErrorCode | (string & {})) {
    super(message);
    this.name = 'EnsureServerError';
    this.code = code;
  }
}
