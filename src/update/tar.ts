// A tiny ustar reader and writer: enough for our release tarballs (regular files, one directory), so the
// binary can unpack an upgrade and `make release` can pack one without depending on a system `tar`.

const BLOCK = 512;

export interface TarEntry {
  name: string;
  mode: number;
  data: Buffer;
}

export class TarFormatError extends Error {
  readonly code = 'E_TAR_FORMAT';
}

function readString(block: Buffer, offset: number, length: number): string {
  const slice = block.subarray(offset, offset + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const s = readString(block, offset, length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarFormatError(`Corrupt tar header field ${JSON.stringify(s)}.`);
  return parseInt(s, 8);
}

function checksumOf(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** Regular files only; directories, links and pax headers are skipped (we never ship them). */
export function readTar(archive: Buffer, maxEntryBytes = Number.POSITIVE_INFINITY): TarEntry[] {
  const entries: TarEntry[] = [];
  let pos = 0;
  while (pos + BLOCK <= archive.length) {
    const header = archive.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (readOctal(header, 148, 8) !== checksumOf(header)) throw new TarFormatError('Corrupt tar header (bad checksum).');
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = readString(header, 345, 155);
    const base = readString(header, 0, 100);
    const name = prefix ? `${prefix}/${base}` : base;
    if (size > maxEntryBytes) throw new TarFormatError(`Tar entry ${JSON.stringify(name)} is ${size} bytes, over the ${maxEntryBytes}-byte limit.`);
    const start = pos + BLOCK;
    if (start + size > archive.length) throw new TarFormatError(`Truncated tar entry ${JSON.stringify(name)}.`);
    if (type === '0' || type === '\0') {
      entries.push({ name, mode: readOctal(header, 100, 8), data: archive.subarray(start, start + size) });
    }
    pos = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

/** Deterministic output: fixed owner, fixed mtime, so the same inputs give the same tarball. */
export function writeTar(entries: readonly TarEntry[], mtimeS = 0): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const nameBytes = Buffer.byteLength(e.name);
    if (nameBytes > 100) throw new TarFormatError(`Tar entry name longer than 100 bytes: ${e.name}`);
    const header = Buffer.alloc(BLOCK);
    header.write(e.name, 0, 100, 'utf8');
    writeOctal(header, e.mode, 100, 8);
    writeOctal(header, 0, 108, 8);
    writeOctal(header, 0, 116, 8);
    writeOctal(header, e.data.length, 124, 12);
    writeOctal(header, mtimeS, 136, 12);
    header.write('0', 156, 1, 'ascii');
    header.write('ustar\u000000', 257, 8, 'ascii');
    header.write('root', 265, 32, 'ascii');
    header.write('root', 297, 32, 'ascii');
    writeOctal(header, checksumOf(header), 148, 8);
    parts.push(header, e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
