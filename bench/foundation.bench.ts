// Issues 2 and 13's figures: --version wall time, spawn → first /health 200, MCP spawn → initialize answered, size.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { BINARY, benchEnv, benchHome, mcpInitialize, ms, percentile, printTable, runToExit, sample } from './lib.ts';

const RUNS = 15;

function healthOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
  });
}

/** Spawn the server on a fixed free port and poll /health until 200 (what a client does). */
async function spawnToHealthy(env: Record<string, string>, port: number): Promise<number> {
  const t0 = performance.now();
  const p = spawn(BINARY, ['server', '--port', String(port)], { env, stdio: 'ignore' });
  try {
    for (;;) {
      if (await healthOnce(port)) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
  }
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const home = benchHome();
  const env = benchEnv(home);
  await runToExit(BINARY, ['--version'], env); // warm the page cache
  const version = await sample(RUNS, () => runToExit(BINARY, ['--version'], env));
  const port = await freePort();
  const healthy = await sample(RUNS, () => spawnToHealthy(env, port));
  const init = await sample(RUNS, () => mcpInitialize(BINARY, env));
  const size = fs.statSync(BINARY).size / 1024 / 1024;
  printTable(`Foundation (${RUNS} runs each; ${BINARY})`, [
    { figure: '`--version` wall time', median: ms(percentile(version, 50)), p90: ms(percentile(version, 90)), goal: '≤ 15 ms' },
    { figure: 'spawn → first /health 200', median: ms(percentile(healthy, 50)), p90: ms(percentile(healthy, 90)), goal: '≤ 60 ms' },
    { figure: 'MCP spawn → initialize answered', median: ms(percentile(init, 50)), p90: ms(percentile(init, 90)), goal: '≤ 30 ms' },
    { figure: 'binary size', median: `${size.toFixed(1)} MiB (${(size * 1.048576).toFixed(1)} MB)`, goal: '≤ 120 MB' },
  ]);
  fs.rmSync(home, { recursive: true, force: true });
}

await main();
