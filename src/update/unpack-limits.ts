// Bounds on what an upgrade downloads and unpacks, and a check that the new file is an executable for this
// machine, so a hostile or broken release costs a clear error rather than memory, disk or a bricked install.
// Measured 2026-11-29: the linux-x64 binary is 129 MiB, gzipped 69 MiB (gzip -9); the caps leave room to grow ~3x.

import { UpdateError } from './errors.ts';

/** A release tarball (compressed). */
export const MAX_TARBALL_BYTES = 256 * 1024 * 1024;
/** SHA256SUMS and its signature: a few lines each. */
export const MAX_SMALL_ASSET_BYTES = 64 * 1024;
/** Everything the tarball unpacks to (a gzip bomb stops here, not at the machine's memory). */
export const MAX_UNPACKED_BYTES = 640 * 1024 * 1024;
/** One entry of the tarball: the executable. */
export const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

export type ExecutableOs = 'linux' | 'darwin' | 'win32';

const ELF_MACHINE: Record<string, number> = { x64: 0x3e, arm64: 0xb7 };
const MACHO_CPU: Record<string, number> = { x64: 0x01000007, arm64: 0x0100000c };
const MACHO_MAGIC_64_LE = 0xfeedfacf;
const MACHO_FAT = 0xcafebabe;

/** Pure: why `data` is not an executable for `os`/`arch` (a shell script, another CPU's binary), or undefined. */
export function executableProblem(data: Buffer, os: ExecutableOs, arch: string): string | undefined {
  if (data.length < 64) return `it is only ${data.length} bytes`;
  if (os === 'linux') {
    if (data.readUInt32BE(0) !== 0x7f454c46) return 'it is not an ELF executable';
    // EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian, then e_machine at offset 18.
    if (data[4] !== 2 || data[5] !== 1) return 'it is not a 64-bit little-endian ELF file';
    const machine = data.readUInt16LE(18);
    if (ELF_MACHINE[arch] !== undefined && machine !== ELF_MACHINE[arch]) return `it is an ELF file for machine 0x${machine.toString(16)}, not ${arch}`;
    return undefined;
  }
  if (os === 'darwin') {
    const magic = data.readUInt32LE(0);
    if (data.readUInt32BE(0) === MACHO_FAT) return undefined;
    if (magic !== MACHO_MAGIC_64_LE) return 'it is not a 64-bit Mach-O executable';
    const cpu = data.readUInt32LE(4);
    if (MACHO_CPU[arch] !== undefined && cpu !== MACHO_CPU[arch]) return `it is a Mach-O file for CPU 0x${cpu.toString(16)}, not ${arch}`;
    return undefined;
  }
  return data.subarray(0, 2).toString('latin1') === 'MZ' ? undefined : 'it is not a Windows executable';
}

export function assertExecutable(data: Buffer, os: ExecutableOs, arch: string, what: string): void {
  const problem = executableProblem(data, os, arch);
  if (problem) throw new UpdateError(`The new ${what} is not an executable for ${os}-${arch}: ${problem}. Nothing was installed.`, 'E_NOT_EXECUTABLE');
}
