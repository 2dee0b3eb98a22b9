// The darwin binaries `make release` ships, checked as a Mac's kernel checks them (no Mac here): a thin Mach-O
// of the right CPU, an ad-hoc signature whose every page hash matches the bytes, a code limit that is exactly
// the signature's offset, and nothing after the signature. Apple Silicon kills a binary that fails any of these.

import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCodeSignature, readCodeSignature } from '../../scripts/macho-signature.ts';
import { ensureCrossBinary } from '../helpers/cross-binary.ts';

/** Two cross-builds, each ~1 min (the first also compresses DuckDB's dylib, ~1 min more, cached after). */
const BUILD_TIMEOUT_MS = 900_000;
/** mach_header_64.cputype: CPU_TYPE_ARM64 and CPU_TYPE_X86_64. */
const CPU_TYPE = { 'darwin-arm64': 0x0100000c, 'darwin-x64': 0x01000007 } as const;
const PAGE_BYTES = 4096;

describe.each(Object.keys(CPU_TYPE) as (keyof typeof CPU_TYPE)[])('%s binary', (target) => {
  let file: Buffer;

  beforeAll(async () => {
    file = fs.readFileSync(await ensureCrossBinary(target));
  }, BUILD_TIMEOUT_MS);

  it('is a thin 64-bit Mach-O executable for its CPU', () => {
    expect(file.readUInt32LE(0)).toBe(0xfeedfacf);
    expect(file.readUInt32LE(4)).toBe(CPU_TYPE[target]);
    expect(file.readUInt32LE(12)).toBe(2); // MH_EXECUTE
  });

  it('has every page hash right, its code limit at the signature and nothing after the signature', () => {
    const sig = readCodeSignature(file);
    const check = checkCodeSignature(file);
    expect(check.problems).toEqual([]);
    expect(sig.codeDirectories).toHaveLength(1);
    const cd = sig.codeDirectories[0]!;
    expect(cd.codeLimit).toBe(sig.dataOffset);
    expect(check.pages).toBe(Math.ceil(sig.dataOffset / PAGE_BYTES));
    expect(sig.dataOffset + sig.dataSize).toBe(file.length);
    expect(sig.linkedit.fileOffset + sig.linkedit.fileSize).toBe(file.length);
  });

  it('refuses a copy with one changed byte, and one with bytes after the signature', () => {
    const sig = readCodeSignature(file);
    const page = Math.floor(sig.dataOffset / PAGE_BYTES / 2);
    const flipped = Buffer.from(file);
    flipped[page * PAGE_BYTES + 17]! ^= 0xff;
    expect(checkCodeSignature(flipped)).toMatchObject({ badPages: 1, problems: [`CodeDirectory 0: page ${page} hash does not match`] });
    const trailed = Buffer.concat([file, Buffer.from('x')]);
    expect(checkCodeSignature(trailed).problems).toEqual([expect.stringMatching(/^1 bytes trail the signature/)]);
  });
});
