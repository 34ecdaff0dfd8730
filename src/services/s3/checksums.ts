/**
 * S3's object checksums (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), computed as the
 * bytes pass, and the names they travel under (input/output members, trailers).
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import type { Crc32c as Crc32cType } from '@aws-crypto/crc32c';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';

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
  digest(): Promise<string>;
  /** The raw digest bytes (composite multipart checksums hash these). */
  digestBytes(): Promise<Buffer>;
}

function uint32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

class Crc32Hasher implements Hasher {
  private value = 0;
  update(data: Buffer): void { this.value = crc32(data, this.value); }
  async digestBytes(): Promise<Buffer> { return uint32(this.value); }
  async digest(): Promise<string> { return uint32(this.value).toString('base64'); }
}

// @aws-crypto/crc32c is CommonJS requiring node builtins, which the ESM bundle cannot inline: required at first use, kept external.
let Crc32c: typeof Crc32cType | undefined;

class Crc32cHasher implements Hasher {
  private readonly crc = new (Crc32c ??= (createRequire(import.meta.url)('@aws-crypto/crc32c') as { Crc32c: typeof Crc32cType }).Crc32c)();
  update(data: Buffer): void { this.crc.update(data); }
  async digestBytes(): Promise<Buffer> { return uint32(this.crc.digest()); }
  async digest(): Promise<string> { return (await this.digestBytes()).toString('base64'); }
}

class Crc64Hasher implements Hasher {
  private readonly crc = new Crc64Nvme();
  update(data: Buffer): void { this.crc.update(data); }
  async digestBytes(): Promise<Buffer> { return Buffer.from(await this.crc.digest()); }
  async digest(): Promise<string> { return (await this.digestBytes()).toString('base64'); }
}

class ShaHasher implements Hasher {
  private readonly hash: Hash;
  private bytes: Buffer | undefined;
  constructor(algorithm: 'sha1' | 'sha256') { this.hash = createHash(algorithm); }
  update(data: Buffer): void { this.hash.update(data); }
  async digestBytes(): Promise<Buffer> { return (this.bytes ??= this.hash.digest()); }
  async digest(): Promise<string> { return (await this.digestBytes()).toString('base64'); }
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
export function checksumOf(algorithm: ChecksumAlgorithmName, data: Buffer): Promise<string> {
  const h = createHasher(algorithm);
  h.update(data);
  return h.digest();
}

/** The digest length in bytes of each algorithm (a checksum header of another length is malformed). */
export const DIGEST_BYTES: Record<ChecksumAlgorithmName, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };
