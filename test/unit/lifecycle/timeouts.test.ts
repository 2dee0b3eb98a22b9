import { describe, expect, it } from 'vitest';
import { lifecycleTimeouts, SHUTDOWN_TIMEOUT_MS, STARTUP_TIMEOUT_MS } from '../../../src/lifecycle/timeouts.ts';

describe('lifecycleTimeouts', () => {
  it('uses the defaults, and the environment when it makes sense', () => {
    expect(lifecycleTimeouts({})).toMatchObject({ shutdownMs: SHUTDOWN_TIMEOUT_MS, startupMs: STARTUP_TIMEOUT_MS });
    expect(lifecycleTimeouts({ BUCKAROO_SHUTDOWN_TIMEOUT: '1s', BUCKAROO_STARTUP_TIMEOUT: '9000' })).toMatchObject({ shutdownMs: 1000, startupMs: 9000 });
    expect(lifecycleTimeouts({ BUCKAROO_SHUTDOWN_TIMEOUT: 'oops' }).shutdownMs).toBe(SHUTDOWN_TIMEOUT_MS);
  });
  it('lets lock waiters outlast one whole replacement', () => {
    const t = lifecycleTimeouts({});
    expect(t.lockWaitMs).toBeGreaterThan(t.shutdownMs + t.sigtermGraceMs + t.sigkillWaitMs + t.startupMs);
  });
});
