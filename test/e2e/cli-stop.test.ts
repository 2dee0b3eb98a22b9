// `stop` through the compiled binary: it returns only once the server's pid is gone, not merely exited.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BINARY, freePort, pidAlive, tempHome, testEnv } from '../helpers/binary.ts';

describe('stop', () => {
  it('returns once the old pid no longer exists', async () => {
    const home = tempHome();
    const env = testEnv(home, { BUCKAROO_PORT: String(await freePort()) });
    // `ensure` starts the server detached, as view_data does: its parent is init, which reaps it.
    const started = JSON.parse(execFileSync(BINARY, ['ensure', '--json'], { env, encoding: 'utf8' })) as { pid: number };
    expect(pidAlive(started.pid)).toBe(true);
    const stopped = JSON.parse(execFileSync(BINARY, ['stop', '--json'], { env, encoding: 'utf8' })) as { status: string; previous: { pid: number } };
    expect(stopped).toMatchObject({ status: 'stopped', previous: { pid: started.pid } });
    expect(pidAlive(started.pid)).toBe(false);
  }, 30_000);
});
