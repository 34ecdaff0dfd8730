/**
 * S3's object checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), computed as the
 * bytes pass, and the names they travel under (input/output members, trailers).
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import type { Crc32c as Crc32cType } from '@aws-crypto/crc32c';

/** The checksum algorithms S3 stores. */
export type ChecksumAlgorithmName = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** The members that carry a checksum value, by algorithm. */
export const CHECKSUM_MEMBER = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
} as const satisfies Record<ChecksumAlgorithmName, string>;

/** The algorithms in the order they are looked for. */
export const ALGORITHMS: readonly ChecksumAlgorithmName[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** Whether a name is an algorithm S3 stores. */
export function isAlgorithm(name: string | undefined): name is ChecksumAlgorithmName {
  return name !== undefined && (ALGORITHMS as readonly string[]).includes(name);
}

/** The trailer header of an algorithm's checksum (`x-amz-checksum-crc32`). */
export function trailerName(algorithm: ChecksumAlgorithmName): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** An incremental checksum whose digest is the base64 text S3 exchanges. */
export interface Hasher {
  update(data: Buffer): void;
  digest(): string;
  /** The raw digest bytes (composite multipart checksums hash these). */
  digestBytes(): Buffer;
}

function uint32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

class Crc32Hasher implements Hasher {
  private value = 0;
  update(data: Buffer): void { this.value = crc32(data, this.value); }
  digestBytes(): Buffer { return uint32(this.value); }
  digest(): string { return uint32(this.value).toString('base64'); }
}

// @aws-crypto/crc32c is CommonJS requiring node builtins, which the ESM bundle cannot inline: required at first use, kept external.
let Crc32c: typeof Crc32cType | undefined;

class Crc32cHasher implements Hasher {
  private readonly crc = new (Crc32c ??= (createRequire(import.meta.url)('@aws-crypto/crc32c') as { Crc32c: typeof Crc32cType }).Crc32c)();
  update(data: Buffer): void { this.crc.update(data); }
  digestBytes(): Buffer { return uint32(this.crc.digest()); }
  digest(): string { return this.digestBytes().toString('base64'); }
}

/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, initial value and final xor all
 * ones), eight bytes a step with eight tables ("slicing-by-8"). The 64-bit state is two
 * 32-bit halves; table k (of 256 entries, low halves in CRC64_LO, high in CRC64_HI) is
 * the CRC of a byte followed by k zero bytes.
 */
const CRC64_LO = new Int32Array(8 * 256);
const CRC64_HI = new Int32Array(8 * 256);
{
  const polyLo = 0xac4bc9b5 | 0;
  const polyHi = 0x9a6c9329 | 0;
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const odd = lo & 1;
      lo = (lo >>> 1) | (hi << 31);
      hi >>>= 1;
      if (odd) {
        lo ^= polyLo;
        hi ^= polyHi;
      }
    }
    CRC64_LO[i] = lo;
    CRC64_HI[i] = hi;
  }
  for (let k = 256; k < 8 * 256; k++) {
    const lo = CRC64_LO[k - 256]!;
    const hi = CRC64_HI[k - 256]!;
    CRC64_LO[k] = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[lo & 0xff]!;
    CRC64_HI[k] = (hi >>> 8) ^ CRC64_HI[lo & 0xff]!;
  }
}

class Crc64Hasher implements Hasher {
  private lo = -1;
  private hi = -1;
  update(data: Buffer): void {
    const t = CRC64_LO;
    const u = CRC64_HI;
    let lo = this.lo;
    let hi = this.hi;
    const n = data.length;
    let i = 0;
    for (const whole = n - 7; i < whole; i += 8) {
      lo ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
      hi ^= data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
      const a = 7 * 256 + (lo & 0xff);
      const b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff);
      const d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff);
      const f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo = t[a]! ^ t[b]! ^ t[c]! ^ t[d]! ^ t[e]! ^ t[f]! ^ t[g]! ^ t[h]!;
      hi = u[a]! ^ u[b]! ^ u[c]! ^ u[d]! ^ u[e]! ^ u[f]! ^ u[g]! ^ u[h]!;
    }
    for (; i < n; i++) {
      const x = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ t[x]!;
      hi = (hi >>> 8) ^ u[x]!;
    }
    this.lo = lo;
    this.hi = hi;
  }
  digestBytes(): Buffer {
    const b = Buffer.allocUnsafe(8);
    b.writeInt32BE(~this.hi, 0);
    b.writeInt32BE(~this.lo, 4);
    return b;
  }
  digest(): string { return this.digestBytes().toString('base64'); }
}

class ShaHasher implements Hasher {
  private readonly hash: Hash;
  private bytes: Buffer | undefined;
  constructor(algorithm: 'sha1' | 'sha256') { this.hash = createHash(algorithm); }
  update(data: Buffer): void { this.hash.update(data); }
  digestBytes(): Buffer { return (this.bytes ??= this.hash.digest()); }
  digest(): string { return this.digestBytes().toString('base64'); }
}

/** A fresh hasher for an algorithm. */
export function createHasher(algorithm: ChecksumAlgorithmName): Hasher {
  switch (algorithm) {
    case 'CRC32': return new Crc32Hasher();
    case 'CRC32C': return new Crc32cHasher();
    case 'CRC64NVME': return new Crc64Hasher();
    case 'SHA1': return new ShaHasher('sha1');
    case 'SHA256': return new ShaHasher('sha256');
  }
}

/** The checksum of bytes in memory. */
export function checksumOf(algorithm: ChecksumAlgorithmName, data: Buffer): string {
  const h = createHasher(algorithm);
  h.update(data);
  return h.digest();
}

/** The digest length in bytes of each algorithm (a checksum header of another length is malformed). */
export const DIGEST_BYTES: Record<ChecksumAlgorithmName, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };
