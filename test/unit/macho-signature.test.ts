// The Mach-O signature reader and ad-hoc signer on a small synthetic executable shaped like Bun's darwin-x64
// output (a non-ad-hoc CodeDirectory with stale hashes under a CMS blob), so every case runs without the
// cross-built binaries; test/e2e/darwin-signature.test.ts checks the real ones.

import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCodeSignature, MachOSignatureError, readCodeSignature, signAdHoc } from '../../scripts/macho-signature.ts';

const PAGE = 4096;
/** Not a multiple of the page size: the last page is hashed truncated. */
const CODE_BYTES = 10_000;
const TEXT_BYTES = 8192;

function segment(name: string, fileoff: number, filesize: number): Buffer {
  const b = Buffer.alloc(72);
  b.writeUInt32LE(0x19, 0);
  b.writeUInt32LE(72, 4);
  b.write(name, 8, 'latin1');
  b.writeBigUInt64LE(BigInt(fileoff), 40);
  b.writeBigUInt64LE(BigInt(filesize), 48);
  return b;
}

/** A Mach-O with a Developer-ID-like signature: CodeDirectory flags 0x10000 (runtime), zeroed hashes, a CMS blob. */
function bunLikeExecutable(): Buffer {
  const cdHeader = 88;
  const ident = Buffer.from('bun\0');
  const nCodeSlots = Math.ceil(CODE_BYTES / PAGE);
  const cd = Buffer.alloc(cdHeader + ident.length + nCodeSlots * 32);
  cd.writeUInt32BE(0xfade0c02, 0);
  cd.writeUInt32BE(cd.length, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(0x10000, 12);
  cd.writeUInt32BE(cdHeader + ident.length, 16);
  cd.writeUInt32BE(cdHeader, 20);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(CODE_BYTES, 32);
  cd.writeUInt8(32, 36);
  cd.writeUInt8(2, 37);
  cd.writeUInt8(12, 39);
  ident.copy(cd, cdHeader);
  const cms = Buffer.alloc(100);
  cms.writeUInt32BE(0xfade0b01, 0);
  cms.writeUInt32BE(cms.length, 4);
  const sb = Buffer.alloc(12 + 16 + cd.length + cms.length);
  sb.writeUInt32BE(0xfade0cc0, 0);
  sb.writeUInt32BE(sb.length, 4);
  sb.writeUInt32BE(2, 8);
  sb.writeUInt32BE(0, 12);
  sb.writeUInt32BE(28, 16);
  sb.writeUInt32BE(0x10000, 20);
  sb.writeUInt32BE(28 + cd.length, 24);
  cd.copy(sb, 28);
  cms.copy(sb, 28 + cd.length);
  const dataSize = sb.length + 64; // padded, as codesign leaves it

  const header = Buffer.alloc(32);
  header.writeUInt32LE(0xfeedfacf, 0);
  header.writeUInt32LE(0x01000007, 4);
  header.writeUInt32LE(2, 12);
  header.writeUInt32LE(3, 16);
  const sig = Buffer.alloc(16);
  sig.writeUInt32LE(0x1d, 0);
  sig.writeUInt32LE(16, 4);
  sig.writeUInt32LE(CODE_BYTES, 8);
  sig.writeUInt32LE(dataSize, 12);
  const commands = Buffer.concat([segment('__TEXT', 0, TEXT_BYTES), segment('__LINKEDIT', TEXT_BYTES, CODE_BYTES - TEXT_BYTES + dataSize), sig]);
  header.writeUInt32LE(commands.length, 20);
  const code = crypto.randomBytes(CODE_BYTES);
  Buffer.concat([header, commands]).copy(code, 0);
  return Buffer.concat([code, sb, Buffer.alloc(dataSize - sb.length)]);
}

describe('checkCodeSignature', () => {
  it('finds every way a stale Developer ID signature is wrong', () => {
    const check = checkCodeSignature(bunLikeExecutable());
    expect(check).toMatchObject({ pages: 3, badPages: 3 });
    expect(check.problems).toEqual(
      expect.arrayContaining([
        'CodeDirectory 0: not ad hoc (flags 0x10000), so its CMS signature must match it',
        'a CMS signature blob is present (a Developer ID signature we cannot renew)',
        'CodeDirectory 0: page 2 hash does not match',
      ]),
    );
  });
  it('refuses what is not a thin 64-bit Mach-O with a named error', () => {
    expect(() => readCodeSignature(Buffer.from('\x7fELF not a mach-o file at all, no'))).toThrow(MachOSignatureError);
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    expect(() => readCodeSignature(fat)).toThrow(/universal binary/);
  });
});

describe('signAdHoc', () => {
  const signed = signAdHoc(bunLikeExecutable(), 'buckaroo-table');
  it('writes a signature the checker finds nothing wrong with, the last page hashed truncated', () => {
    expect(checkCodeSignature(signed)).toEqual({ problems: [], pages: 3, badPages: 0 });
    const cd = readCodeSignature(signed).codeDirectories[0]!;
    const lastHash = signed.subarray(cd.offset + cd.hashOffset + 2 * 32, cd.offset + cd.hashOffset + 3 * 32);
    expect(lastHash).toEqual(crypto.createHash('sha256').update(signed.subarray(2 * PAGE, CODE_BYTES)).digest());
  });
  it('is ad hoc with one CodeDirectory, no CMS, and the file ends where the signature ends', () => {
    const sig = readCodeSignature(signed);
    expect([...sig.blobs.keys()]).toEqual([0]);
    expect(sig.codeDirectories[0]).toMatchObject({ flags: 0x2, codeLimit: CODE_BYTES, nSpecialSlots: 0 });
    expect(sig.dataOffset + sig.dataSize).toBe(signed.length);
    expect(sig.linkedit.fileOffset + sig.linkedit.fileSize).toBe(signed.length);
    expect(signed.toString('latin1', sig.codeDirectories[0]!.offset + 88, sig.codeDirectories[0]!.offset + 88 + 14)).toBe('buckaroo-table');
  });
  it('leaves the code before the signature as it was, apart from the two sizes in the load commands', () => {
    const before = bunLikeExecutable();
    const after = signAdHoc(before, 'buckaroo-table');
    const differing = [...Array(CODE_BYTES).keys()].filter((i) => before[i] !== after[i]);
    // __LINKEDIT's filesize (bytes 152-159) and LC_CODE_SIGNATURE.datasize (bytes 188-191).
    expect(differing.every((i) => (i >= 152 && i < 160) || (i >= 188 && i < 192))).toBe(true);
    expect(differing.length).toBeGreaterThan(0);
  });
});
