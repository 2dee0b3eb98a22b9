// The ad-hoc code signature of a thin 64-bit Mach-O executable, read, checked and rewritten without macOS tools.
// Apple Silicon kills a binary whose CodeDirectory page hashes do not match its bytes, and Bun 1.4.5's
// cross-compiled darwin-x64 output has 2 of ~23,800 wrong, under Bun's own Developer ID CMS signature that no
// longer matches either. build.ts replaces both darwin outputs' signatures with a fresh ad-hoc one (what `ld`
// writes: one CodeDirectory, no CMS) and the tests check them with the same reader. Layout (Apple's
// cs_blobs.h): LC_CODE_SIGNATURE → SuperBlob → CodeDirectories, each hashing every page of the file up to
// codeLimit (the last page truncated, not padded).

import crypto from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const MACH_HEADER_64_BYTES = 32;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
/** The CMS wrapper: empty (8 bytes) in an ad-hoc signature, a certificate chain in a Developer ID one. */
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const EMPTY_BLOB_BYTES = 8;
/** SuperBlob slot types: the primary CodeDirectory and alternates (0x1000…0x1004). */
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_ALTERNATE_FIRST = 0x1000;
const CSSLOT_ALTERNATE_LAST = 0x1004;
/** Blobs whose hash a CodeDirectory keeps in the special slot of the same number (requirements, entitlements…). */
const HASHED_SPECIAL_BLOBS = new Set([2, 5, 7]);
/** CodeDirectory hashType → node's digest name (truncated to hashSize). */
const HASH_ALGORITHMS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 3: 'sha256', 4: 'sha384' };
const CS_ADHOC = 0x2;
/** The CodeDirectory version with execSeg fields (what ld64 writes); its header is 88 bytes. */
const CD_VERSION_EXECSEG = 0x20400;
const CD_HEADER_BYTES = 88;
const CS_HASHTYPE_SHA256 = 2;
const SHA256_BYTES = 32;
/** log2 of the page size hashed; 4 KiB on both architectures, as ld64 and Bun sign. */
const PAGE_SHIFT = 12;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const SUPERBLOB_HEADER_BYTES = 12;
const BLOB_INDEX_BYTES = 8;
/** LC_CODE_SIGNATURE's datasize is kept a multiple of 16, as codesign and ld do. */
const SIGNATURE_ALIGN_BYTES = 16;

export class MachOSignatureError extends Error {
  readonly code = 'E_MACHO_SIGNATURE';
}

export interface CodeDirectory {
  /** Offset of the CodeDirectory blob in the file. */
  offset: number;
  slotType: number;
  flags: number;
  hashOffset: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  hashSize: number;
  hashType: number;
  pageSize: number;
}

interface Segment {
  /** Offset of the LC_SEGMENT_64 command. */
  command: number;
  fileOffset: number;
  fileSize: number;
}

export interface CodeSignature {
  /** Offset of the LC_CODE_SIGNATURE command, and its dataoff/datasize: where the SuperBlob sits. */
  command: number;
  dataOffset: number;
  dataSize: number;
  text: Segment;
  linkedit: Segment;
  /** Every blob in the SuperBlob: slot type → file offset. */
  blobs: Map<number, number>;
  codeDirectories: CodeDirectory[];
}

function segments(file: Buffer): { signature?: number; text?: Segment; linkedit?: Segment } {
  const found: { signature?: number; text?: Segment; linkedit?: Segment } = {};
  let at = MACH_HEADER_64_BYTES;
  for (let i = 0, n = file.readUInt32LE(16); i < n; i++) {
    const cmd = file.readUInt32LE(at);
    if (cmd === LC_CODE_SIGNATURE) found.signature = at;
    if (cmd === LC_SEGMENT_64) {
      const name = file.toString('latin1', at + 8, at + 24).replace(/\0+$/, '');
      const segment = { command: at, fileOffset: Number(file.readBigUInt64LE(at + 40)), fileSize: Number(file.readBigUInt64LE(at + 48)) };
      if (name === '__TEXT') found.text = segment;
      if (name === '__LINKEDIT') found.linkedit = segment;
    }
    at += file.readUInt32LE(at + 4);
  }
  return found;
}

function readCodeDirectory(file: Buffer, offset: number, slotType: number): CodeDirectory {
  if (file.readUInt32BE(offset) !== CSMAGIC_CODEDIRECTORY) throw new MachOSignatureError(`slot ${slotType} is not a CodeDirectory`);
  return {
    offset,
    slotType,
    flags: file.readUInt32BE(offset + 12),
    hashOffset: file.readUInt32BE(offset + 16),
    nSpecialSlots: file.readUInt32BE(offset + 24),
    nCodeSlots: file.readUInt32BE(offset + 28),
    codeLimit: file.readUInt32BE(offset + 32),
    hashSize: file.readUInt8(offset + 36),
    hashType: file.readUInt8(offset + 37),
    pageSize: 2 ** file.readUInt8(offset + 39),
  };
}

/** Finds the signature and its CodeDirectories; throws MachOSignatureError when the file is not what we sign. */
export function readCodeSignature(file: Buffer): CodeSignature {
  if (file.length < MACH_HEADER_64_BYTES || file.readUInt32LE(0) !== MH_MAGIC_64) {
    throw new MachOSignatureError('not a thin little-endian 64-bit Mach-O file (a universal binary or another format)');
  }
  const { signature: command, text, linkedit } = segments(file);
  if (command === undefined) throw new MachOSignatureError('no LC_CODE_SIGNATURE load command: the file is not signed');
  if (!text || !linkedit) throw new MachOSignatureError('no __TEXT or no __LINKEDIT segment');
  const dataOffset = file.readUInt32LE(command + 8);
  const dataSize = file.readUInt32LE(command + 12);
  if (dataOffset + dataSize > file.length) throw new MachOSignatureError(`the signature (${dataOffset}+${dataSize}) runs past the end of the file (${file.length})`);
  if (file.readUInt32BE(dataOffset) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new MachOSignatureError(`no SuperBlob at the signature offset ${dataOffset}`);
  const blobs = new Map<number, number>();
  const codeDirectories: CodeDirectory[] = [];
  for (let i = 0, n = file.readUInt32BE(dataOffset + 8); i < n; i++) {
    const type = file.readUInt32BE(dataOffset + SUPERBLOB_HEADER_BYTES + i * BLOB_INDEX_BYTES);
    const offset = dataOffset + file.readUInt32BE(dataOffset + SUPERBLOB_HEADER_BYTES + i * BLOB_INDEX_BYTES + 4);
    blobs.set(type, offset);
    if (type === CSSLOT_CODEDIRECTORY || (type >= CSSLOT_ALTERNATE_FIRST && type <= CSSLOT_ALTERNATE_LAST)) codeDirectories.push(readCodeDirectory(file, offset, type));
  }
  if (codeDirectories.length === 0) throw new MachOSignatureError('the SuperBlob holds no CodeDirectory');
  return { command, dataOffset, dataSize, text, linkedit, blobs, codeDirectories };
}

function digest(cd: Pick<CodeDirectory, 'hashType' | 'hashSize'>, data: Buffer): Buffer {
  const algorithm = HASH_ALGORITHMS[cd.hashType];
  if (!algorithm) throw new MachOSignatureError(`unknown CodeDirectory hash type ${cd.hashType}`);
  return crypto.createHash(algorithm).update(data).digest().subarray(0, cd.hashSize);
}

const blobBytes = (file: Buffer, offset: number): Buffer => file.subarray(offset, offset + file.readUInt32BE(offset + 4));

/** What the CodeDirectory should hold: page i's hash, and the special slots of blobs in the SuperBlob. */
function expectedSlots(file: Buffer, sig: CodeSignature, cd: CodeDirectory): { slot: number; hash: Buffer }[] {
  const out: { slot: number; hash: Buffer }[] = [];
  for (let i = 0; i < cd.nCodeSlots; i++) {
    out.push({ slot: i, hash: digest(cd, file.subarray(i * cd.pageSize, Math.min((i + 1) * cd.pageSize, cd.codeLimit))) });
  }
  for (const [type, offset] of sig.blobs) {
    if (HASHED_SPECIAL_BLOBS.has(type) && type <= cd.nSpecialSlots) out.push({ slot: -type, hash: digest(cd, blobBytes(file, offset)) });
  }
  return out;
}

const slotAt = (cd: CodeDirectory, slot: number): number => cd.offset + cd.hashOffset + slot * cd.hashSize;

/** Where the signature's geometry is wrong: code limit, page count, bytes after it, or a CMS it no longer matches. */
function structureProblems(file: Buffer, sig: CodeSignature): string[] {
  const problems: string[] = [];
  const end = sig.dataOffset + sig.dataSize;
  if (end !== file.length) problems.push(`${file.length - end} bytes trail the signature (it ends at ${end}, the file at ${file.length})`);
  const linkeditEnd = sig.linkedit.fileOffset + sig.linkedit.fileSize;
  if (linkeditEnd !== end) problems.push(`__LINKEDIT ends at ${linkeditEnd}, the signature at ${end}`);
  for (const cd of sig.codeDirectories) {
    if (cd.codeLimit !== sig.dataOffset) problems.push(`CodeDirectory ${cd.slotType}: codeLimit ${cd.codeLimit} is not the signature offset ${sig.dataOffset}`);
    const pages = Math.ceil(cd.codeLimit / cd.pageSize);
    if (cd.nCodeSlots !== pages) problems.push(`CodeDirectory ${cd.slotType}: ${cd.nCodeSlots} page hashes for ${pages} pages`);
    if ((cd.flags & CS_ADHOC) === 0) problems.push(`CodeDirectory ${cd.slotType}: not ad hoc (flags 0x${cd.flags.toString(16)}), so its CMS signature must match it`);
  }
  const cms = [...sig.blobs.values()].find((offset) => file.readUInt32BE(offset) === CSMAGIC_BLOBWRAPPER);
  if (cms !== undefined && file.readUInt32BE(cms + 4) > EMPTY_BLOB_BYTES) problems.push('a CMS signature blob is present (a Developer ID signature we cannot renew)');
  return problems;
}

export interface SignatureCheck {
  problems: string[];
  pages: number;
  badPages: number;
}

/** Every problem a macOS kernel would reject the binary for, checked the way it checks: page by page. */
export function checkCodeSignature(file: Buffer): SignatureCheck {
  const sig = readCodeSignature(file);
  const problems = structureProblems(file, sig);
  let pages = 0;
  let badPages = 0;
  for (const cd of sig.codeDirectories) {
    for (const { slot, hash } of expectedSlots(file, sig, cd)) {
      if (slot >= 0) pages++;
      if (file.subarray(slotAt(cd, slot), slotAt(cd, slot) + cd.hashSize).equals(hash)) continue;
      if (slot >= 0) badPages++;
      problems.push(`CodeDirectory ${cd.slotType}: ${slot >= 0 ? `page ${slot}` : `special slot ${-slot}`} hash does not match`);
    }
  }
  return { problems, pages, badPages };
}

const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * The file with its signature replaced by a fresh ad-hoc one: a SuperBlob holding one SHA-256 CodeDirectory
 * (flags CS_ADHOC, no hardened runtime, so no entitlements are needed; no CMS), like the one `ld` writes.
 * The code signed is everything before the old signature's offset; LC_CODE_SIGNATURE's size and __LINKEDIT's
 * file size shrink to end exactly where the new signature ends, and the file is cut there.
 */
export function signAdHoc(input: Buffer, identifier: string): Buffer {
  const sig = readCodeSignature(input);
  const codeLimit = sig.dataOffset;
  if (sig.linkedit.fileOffset > codeLimit) throw new MachOSignatureError('__LINKEDIT starts after the signature');
  const pageSize = 2 ** PAGE_SHIFT;
  const nCodeSlots = Math.ceil(codeLimit / pageSize);
  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const hashOffset = CD_HEADER_BYTES + ident.length;
  const cdLength = hashOffset + nCodeSlots * SHA256_BYTES;
  const superLength = SUPERBLOB_HEADER_BYTES + BLOB_INDEX_BYTES + cdLength;
  const dataSize = alignUp(superLength, SIGNATURE_ALIGN_BYTES);

  const out = Buffer.alloc(codeLimit + dataSize);
  input.copy(out, 0, 0, codeLimit);
  // Load commands first: they are in page 0, which the CodeDirectory hashes.
  out.writeUInt32LE(dataSize, sig.command + 12);
  out.writeBigUInt64LE(BigInt(codeLimit + dataSize - sig.linkedit.fileOffset), sig.linkedit.command + 48);

  const sb = out.subarray(codeLimit);
  sb.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sb.writeUInt32BE(superLength, 4);
  sb.writeUInt32BE(1, 8);
  sb.writeUInt32BE(CSSLOT_CODEDIRECTORY, 12);
  sb.writeUInt32BE(SUPERBLOB_HEADER_BYTES + BLOB_INDEX_BYTES, 16);
  const cd = sb.subarray(SUPERBLOB_HEADER_BYTES + BLOB_INDEX_BYTES);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CD_VERSION_EXECSEG, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CD_HEADER_BYTES, 20); // identOffset
  cd.writeUInt32BE(0, 24); // nSpecialSlots: no requirements, entitlements or Info.plist
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(SHA256_BYTES, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(PAGE_SHIFT, 39);
  cd.writeBigUInt64LE(0n, 56); // codeLimit64: unused below 4 GiB (the rest of the header stays zero)
  cd.writeBigUInt64BE(BigInt(sig.text.fileOffset), 64);
  cd.writeBigUInt64BE(BigInt(sig.text.fileSize), 72);
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  ident.copy(cd, CD_HEADER_BYTES);
  const hashType = { hashType: CS_HASHTYPE_SHA256, hashSize: SHA256_BYTES };
  for (let i = 0; i < nCodeSlots; i++) {
    digest(hashType, out.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit))).copy(cd, hashOffset + i * SHA256_BYTES);
  }
  return out;
}
