import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSessionRegistry } from '../../src/engine/session-registry.ts';
import { SessionTables } from '../../src/engine/session-tables.ts';
import type { LoadedDataset } from '../../src/engine/sessions.ts';

const ds = (id: number): LoadedDataset => ({ dataset: { id } }) as unknown as LoadedDataset;
const NONE = new Set<string>();

describe('a session\'s tables', () => {
  it('takes the name a file had before a server replacement, when it is free', () => {
    const t = new SessionTables();
    // The shown file is reloaded first: without its old name it would take `sales` from the other folder's file.
    expect(t.put('/north/sales.csv', ds(1), NONE, 'sales_2').name).toBe('sales_2');
    expect(t.put('/south/sales.csv', ds(2), NONE, 'sales').name).toBe('sales');
    expect(t.put('/x/other.csv', ds(3), NONE, 'sales').name).toBe('other'); // taken: named as usual
    expect(t.put('/y/select.csv', ds(4), new Set(['select']), 'select').name).not.toBe('select');
    expect(t.files()).toEqual([
      { path: '/north/sales.csv', name: 'sales_2' },
      { path: '/south/sales.csv', name: 'sales' },
      { path: '/x/other.csv', name: 'other' },
      { path: '/y/select.csv', name: t.files()[3]!.name },
    ]);
    expect(t.byDatasetId(2)).toEqual(ds(2));
  });
});

describe('the session registry', () => {
  it('keeps every table with its name, and reads an entry from before tables were kept', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-registry-'));
    const registry = fileSessionRegistry(dir);
    await registry.put('sess-tables-1', '/d/b.csv', [{ path: '/d/a.csv', name: 'a' }, { path: '/d/b.csv', name: 'b' }]);
    expect(await registry.get('sess-tables-1')).toMatchObject({ path: '/d/b.csv', tables: [{ path: '/d/a.csv', name: 'a' }, { path: '/d/b.csv', name: 'b' }] });
    fs.writeFileSync(path.join(dir, 'sess-old-1.json'), JSON.stringify({ session: 'sess-old-1', path: '/d/x.csv', updated: new Date().toISOString() }), { mode: 0o600 });
    const old = await registry.get('sess-old-1');
    expect(old?.path).toBe('/d/x.csv');
    expect(old?.tables).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
