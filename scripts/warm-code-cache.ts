// Build step (run by build.ts with the pinned Node): makes the V8 code cache src/sea-main.ts loads. Runs the
// bundle in this process exactly as the binary will (same wrapper text), drives `mcp` through the
// handshake and `tools/list`, starts `server` on a free port and asks /health, then saves the compiled code.
// Usage: node scripts/warm-code-cache.ts <bundle.cjs> <out.cache> mcp|server|cli

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { CACHE_MODES, wrapBundle } from '../src/sea-main.ts';

const STEP_TIMEOUT_MS = 10_000;

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

function within<T>(what: string, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`warm-code-cache: ${what} timed out`)), STEP_TIMEOUT_MS).unref())]);
}

function getHealth(port: number, pathname = '/health'): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: pathname, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const [bundle, out, mode] = process.argv.slice(2);
  if (!bundle || !out || !(CACHE_MODES as string[]).includes(mode ?? '')) throw new Error('usage: warm-code-cache.ts <bundle.cjs> <out.cache> mcp|server|cli');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'buckaroo-warm-'));
  try {
    Object.assign(process.env, { BUCKAROO_HOME: home, BUCKAROO_NO_UPDATE_CHECK: '1', BUCKAROO_NO_BROWSER: '1' });
    // The MCP side talks over process.stdin/stdout: give it lines we control and read its answers.
    const stdin = new PassThrough();
    let answered = '';
    const waiters: Array<() => void> = [];
    const stdout = new Writable({
      write(chunk: Buffer, _enc, cb) {
        answered += chunk.toString();
        for (const w of waiters.splice(0)) w();
        cb();
      },
    });
    const until = (text: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (answered.includes(text) ? resolve() : void waiters.push(check));
        check();
      });
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true });
    Object.defineProperty(process, 'stdout', { value: stdout, configurable: true });

    // Same text and the same wrapper as the binary, or V8 rejects the cache.
    const script = new vm.Script(wrapBundle(fs.readFileSync(bundle, 'utf8')), { filename: bundle });
    const mod = { exports: {} };
    const args = { mcp: ['mcp'], server: ['server', '--port', '0'], cli: ['--version'] }[mode as 'mcp' | 'server' | 'cli'];
    process.argv = [process.execPath, bundle, ...args];
    (script.runInThisContext() as BundleFunction)(mod.exports, createRequire(path.resolve(bundle)), mod, bundle, path.dirname(bundle));

    if (mode === 'mcp') {
      const send = (msg: object): void => void stdin.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\n');
      send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'warm', version: '0' } } });
      await within('mcp initialize', until('"id":1'));
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list' });
      await within('mcp tools/list', until('"id":2'));
    } else if (mode === 'cli') {
      await within('--version', until('\n'));
    } else {
      await within('server ready line', until('BUCKAROO_PORT='));
      const port = Number(/BUCKAROO_PORT=(\d+)/.exec(answered)?.[1]);
      const status = await within('/health', getHealth(port));
      if (status !== 200) throw new Error(`warm-code-cache: /health answered ${status}`);
      // Opens DuckDB (the server does that at its first load): its JS then starts compiled, and the first load
      // blocks the event loop ~10 ms less.
      const diag = await within('/diagnostics', getHealth(port, '/diagnostics'));
      if (diag !== 200) throw new Error(`warm-code-cache: /diagnostics answered ${diag}`);
    }

    const data = script.createCachedData();
    fs.writeFileSync(out, data);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
