// Shared by the bench scripts: where the binary is, percentiles, and the table every script prints.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { serverStartEnv } from '../src/lifecycle/server-env.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.resolve(ROOT, process.env.BUCKAROO_DIST_DIR || 'dist');
export const BINARY = path.join(DIST, 'buckaroo-table');

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export interface Row {
  figure: string;
  median: string;
  p90?: string;
  goal?: string;
  note?: string;
}

export const ms = (v: number): string => `${v.toFixed(1)} ms`;

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| figure | median | p90 | goal | note |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.median} | ${r.p90 ?? ''} | ${r.goal ?? ''} | ${r.note ?? ''} |`);
}

/** Bench homes hold generated data files (50 MB and more): removed when the bench process exits. */
const madeHomes: string[] = [];
process.on('exit', () => {
  for (const dir of madeHomes) fs.rmSync(dir, { recursive: true, force: true });
});

export function benchHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-bench-'));
  madeHomes.push(dir);
  return dir;
}

/**
 * A bench spawns `server` itself: give it what the product's own spawner gives it (src/lifecycle/server-env.ts),
 * or it would start over once to get them and the start-up figures would count that.
 */
export function benchEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, BUCKAROO_HOME: home, BUCKAROO_NO_BROWSER: '1', BUCKAROO_NO_UPDATE_CHECK: '1' };
  return { ...base, ...serverStartEnv(process.env), ...extra };
}

export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function sample(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

/** Wall time of `bin args…` from spawn to exit. */
export function runToExit(bin: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(bin, args, { env, stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve(performance.now() - t0));
  });
}

/** Spawn `bin mcp`, send `initialize`, and time until its answer arrives on stdout (then kill it). */
export function mcpInitialize(bin: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(bin, ['mcp'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('"id":1')) {
        resolve(performance.now() - t0);
        p.kill('SIGKILL');
      }
    });
    p.on('error', reject);
    p.stdin.write(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } }) + '\n',
    );
  });
}

export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request to a local server (a fresh connection each: no keep-alive between timed calls). */
export function jsonRequest(port: number, pathname: string, opts: { method?: string; token?: string; body?: unknown; timeoutMs?: number } = {}): Promise<JsonReply> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: opts.method ?? (data ? 'POST' : 'GET'),
        agent: false,
        ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
        headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(data ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** How long `fn` took, with its value. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}
