// A tiny zip reader and writer: enough for our Windows release archive (a few regular files, deflated), so
// `make release` can pack one and the Windows binary can unpack an upgrade without a system `unzip` (Windows'
// Explorer and PowerShell's Expand-Archive read what this writes). No zip64, encryption or multi-disk archives.

import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export class ZipFormatError extends Error {
  readonly code = 'E_ZIP_FORMAT';
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_HEADER_BYTES = 46;
const END_BYTES = 22;
/** The end record may be followed by a comment of up to 64 KiB. */
const MAX_COMMENT_BYTES = 0xffff;
const STORED = 0;
const DEFLATED = 8;
/** "Version needed to extract": 2.0, deflate. */
const ZIP_VERSION = 20;
/** General purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
/** Beyond this a zip needs zip64 records, which we neither write nor read. */
const ZIP32_LIMIT = 0xffffffff;

/** MS-DOS date and time fields (2-second resolution, local time as zip tools read it; we use UTC). */
function dosDateTime(unixSeconds: number): { time: number; date: number } {
  const d = new Date(unixSeconds * 1000);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((Math.max(d.getUTCFullYear(), 1980) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export function writeZip(entries: ZipEntry[], mtimeSeconds: number, level = zlib.constants.Z_DEFAULT_COMPRESSION): Buffer {
  const { time, date } = dosDateTime(mtimeSeconds);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const packed = zlib.deflateRawSync(e.data, { level });
    const crc = zlib.crc32(e.data);
    if (e.data.length > ZIP32_LIMIT || offset > ZIP32_LIMIT) throw new ZipFormatError(`${e.name} is too large for a zip without zip64.`);
    const fields = (h: Buffer, at: number): void => {
      h.writeUInt16LE(UTF8_NAMES, at);
      h.writeUInt16LE(DEFLATED, at + 2);
      h.writeUInt16LE(time, at + 4);
      h.writeUInt16LE(date, at + 6);
      h.writeUInt32LE(crc, at + 8);
      h.writeUInt32LE(packed.length, at + 12);
      h.writeUInt32LE(e.data.length, at + 16);
      h.writeUInt16LE(name.length, at + 20);
    };
    const local = Buffer.alloc(LOCAL_HEADER_BYTES);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(ZIP_VERSION, 4);
    fields(local, 6);
    const central = Buffer.alloc(CENTRAL_HEADER_BYTES);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(ZIP_VERSION, 4);
    central.writeUInt16LE(ZIP_VERSION, 6);
    fields(central, 8);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralBytes = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(END_BYTES);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

function inflate(packed: Buffer, name: string, size: number): Buffer {
  try {
    // No more than the size the directory declares (checked against the entry cap): a zip bomb stops here.
    return zlib.inflateRawSync(packed, { maxOutputLength: Math.max(size, 1) });
  } catch (err) {
    throw new ZipFormatError(`Zip entry ${name} is corrupt (${(err as Error).message}).`);
  }
}

/** Every file in the archive, each checked against its CRC-32; throws ZipFormatError on anything else. */
export function readZip(archive: Buffer, maxEntryBytes = Number.POSITIVE_INFINITY): ZipEntry[] {
  let end = -1;
  for (let i = archive.length - END_BYTES; i >= Math.max(0, archive.length - END_BYTES - MAX_COMMENT_BYTES); i--) {
    if (archive.readUInt32LE(i) === END_OF_CENTRAL) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError('Not a zip archive (no end of central directory).');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_HEADER_BYTES > archive.length || archive.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError('Corrupt zip central directory.');
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const name = archive.toString('utf8', at + CENTRAL_HEADER_BYTES, at + CENTRAL_HEADER_BYTES + nameLength);
    const local = archive.readUInt32LE(at + 42);
    if (local + LOCAL_HEADER_BYTES > archive.length || archive.readUInt32LE(local) !== LOCAL_HEADER) throw new ZipFormatError(`Corrupt zip entry ${name}.`);
    const start = local + LOCAL_HEADER_BYTES + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    if (start + packedSize > archive.length) throw new ZipFormatError(`Truncated zip entry ${name}.`);
    const packed = archive.subarray(start, start + packedSize);
    if (method !== STORED && method !== DEFLATED) throw new ZipFormatError(`Zip entry ${name} uses compression method ${method}.`);
    if (size > maxEntryBytes) throw new ZipFormatError(`Zip entry ${name} is ${size} bytes, over the ${maxEntryBytes}-byte limit.`);
    const data = method === STORED ? Buffer.from(packed) : inflate(packed, name, size);
    if (data.length !== size || zlib.crc32(data) !== crc) throw new ZipFormatError(`Zip entry ${name} fails its CRC-32 check.`);
    if (!name.endsWith('/')) out.push({ name, data });
    at += CENTRAL_HEADER_BYTES + skip;
  }
  return out;
}
