// One line per build or release step, with its time or FAILED: what `make build` and `make release` print.
import crypto from 'node:crypto';

/** Runs `fn`, printing `<prefix>: <message>… <ms> ms` (or `FAILED`, and rethrows). */
export async function timedStep<T>(prefix: string, message: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  process.stdout.write(`${prefix}: ${message}…`);
  try {
    const result = await fn();
    process.stdout.write(` ${Math.round(performance.now() - t0)} ms\n`);
    return result;
  } catch (err) {
    process.stdout.write(' FAILED\n');
    throw err;
  }
}

export const sha256 = (data: Buffer | string): string => crypto.createHash('sha256').update(data).digest('hex');
