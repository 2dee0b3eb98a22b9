import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../../src/update/zip.ts';

const MTIME = Date.UTC(2026, 10, 29, 12, 34, 56) / 1000;
const hasPython = (): boolean => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('zip', () => {
  const entries = [
    { name: 'buckaroo-table-1.2.3-windows-x64/buckaroo-table.exe', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100_000, 7)]) },
    { name: 'buckaroo-table-1.2.3-windows-x64/README.md', data: Buffer.from('# readme ü\n') },
  ];

  it('reads back what it writes, byte for byte', () => {
    expect(readZip(writeZip(entries, MTIME))).toEqual(entries);
  });

  it.skipIf(!hasPython())('writes an archive another zip reader accepts (Python zipfile, CRC-checked)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bt-zip-')), 'a.zip');
    fs.writeFileSync(file, writeZip(entries, MTIME));
    const script = 'import sys,zipfile,json;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(json.dumps([[i.filename,i.file_size,list(i.date_time)] for i in z.infolist()]))';
    const listed = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as [string, number, number[]][];
    expect(listed).toEqual([
      [entries[0]!.name, 100_002, [2026, 11, 29, 12, 34, 56]],
      [entries[1]!.name, entries[1]!.data.length, [2026, 11, 29, 12, 34, 56]],
    ]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('refuses a damaged archive with a named error', () => {
    const zip = writeZip(entries, MTIME);
    const bad = Buffer.from(zip);
    bad[30 + entries[0]!.name.length + 5]! ^= 0xff; // inside the first entry's deflated data
    expect(() => readZip(bad)).toThrow(expect.objectContaining({ code: 'E_ZIP_FORMAT' }));
    expect(() => readZip(Buffer.from('not a zip at all, not even close'))).toThrow(/no end of central directory/);
  });
});

describe('extractBinary (upgrade) from a Windows release .zip', () => {
  it('takes buckaroo-table.exe out of the zip and refuses a zip without it', async () => {
    const { extractBinary } = await import('../../../src/cli/upgrade.ts');
    const exe = Buffer.from('MZ not really a program');
    const zip = writeZip([{ name: 'buckaroo-table-1.2.3-windows-x64/buckaroo-table.exe', data: exe }, { name: 'buckaroo-table-1.2.3-windows-x64/README.md', data: Buffer.from('#') }], MTIME);
    expect(extractBinary(zip, 'buckaroo-table-1.2.3-windows-x64.zip')).toEqual(exe);
    const without = writeZip([{ name: 'x/buckaroo-table', data: exe }], MTIME);
    expect(() => extractBinary(without, 'buckaroo-table-1.2.3-windows-x64.zip')).toThrow(/does not contain/);
  });
});
