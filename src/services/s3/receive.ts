/**
 * Receiving an object body: streamed to a new blob while its MD5 (the ETag) and its
 * checksum are computed; declared digests (Content-MD5, x-amz-checksum-* headers or
 * trailers) are verified before anything refers to the blob, and a failed or
 * aborted upload leaves no blob behind.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ServiceError } from '../../shared/errors.js';
import type { BlobStore } from '../../state/blobs.js';
import { ALGORITHMS, CHECKSUM_MEMBER, DIGEST_BYTES, createHasher, isAlgorithm, trailerName, type ChecksumAlgorithmName, type Hasher } from './checksums.js';
import { badDigest } from './errors.js';

/** The checksum-related members of an upload's input. */
export interface ChecksumInput {
  ContentMD5?: string;
  ChecksumAlgorithm?: string;
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumCRC64NVME?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
}

/** A received body. */
export interface Received {
  blob: string;
  size: number;
  md5: Buffer;
  algorithm: ChecksumAlgorithmName;
  checksum: string;
}

const MD5_BYTES = 16;

/** The algorithm a request names or declares a value for, and the declared value (header) when any. */
export function requestedChecksum(input: ChecksumInput): { algorithm: ChecksumAlgorithmName | undefined; declared: string | undefined } {
  let found: ChecksumAlgorithmName | undefined;
  for (const a of ALGORITHMS) {
    const v = input[CHECKSUM_MEMBER[a]];
    if (v === undefined) continue;
    if (found !== undefined) throw new ServiceError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.', { status: 400 });
    if (Buffer.from(v, 'base64').length !== DIGEST_BYTES[a]) throw new ServiceError('InvalidRequest', `Value for ${trailerName(a)} header is invalid.`, { status: 400 });
    found = a;
  }
  const named = input.ChecksumAlgorithm?.toUpperCase();
  const algorithm = isAlgorithm(named) ? named : found;
  return { algorithm, declared: found !== undefined ? input[CHECKSUM_MEMBER[found]] : undefined };
}

/** The decoded Content-MD5, or InvalidDigest when it is not 16 bytes of base64. */
function contentMd5(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== MD5_BYTES || bytes.toString('base64') !== value.trim()) {
    throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', { status: 400, fields: { 'Content-MD5': value } });
  }
  return bytes;
}

function trailersOf(body: Readable): Readonly<Record<string, string>> | undefined {
  return (body as { result?: { trailers: Readonly<Record<string, string>> } }).result?.trailers;
}

/**
 * Streams `body` to a new blob, hashing it; verifies what the request declared.
 * `defaultAlgorithm` applies when the request names none (S3 computes CRC64NVME then).
 */
export async function receiveBody(blobs: BlobStore, body: Readable, input: ChecksumInput, defaultAlgorithm: ChecksumAlgorithmName = 'CRC64NVME'): Promise<Received> {
  const expectedMd5 = contentMd5(input.ContentMD5);
  const requested = requestedChecksum(input);
  const algorithm = requested.algorithm ?? defaultAlgorithm;
  const md5 = createHash('md5');
  const hasher: Hasher = createHasher(algorithm);
  const info = await blobs.write((async function* () {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      md5.update(chunk);
      hasher.update(chunk);
      yield chunk;
    }
  })());
  try {
    const digest = md5.digest();
    if (expectedMd5 && !expectedMd5.equals(digest)) {
      throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', { status: 400, fields: { ExpectedDigest: expectedMd5.toString('hex'), CalculatedDigest: digest.toString('base64') } });
    }
    let checksum = await hasher.digest();
    let used = algorithm;
    let declared = requested.declared;
    const trailers = trailersOf(body);
    if (declared === undefined && trailers) {
      for (const a of ALGORITHMS) {
        const t = trailers[trailerName(a)];
        if (t === undefined) continue;
        if (a !== used) {
          // The trailer named an algorithm the request did not announce: hash the stored bytes again.
          used = a;
          checksum = await hashBlob(blobs, info.id, a);
        }
        declared = t;
        break;
      }
    }
    if (declared !== undefined && declared !== checksum) throw badDigest(`The ${used} you specified did not match the calculated checksum.`);
    return { blob: info.id, size: info.size, md5: digest, algorithm: used, checksum };
  } catch (e) {
    blobs.delete(info.id);
    throw e;
  }
}

/** The checksum of a stored blob. */
export async function hashBlob(blobs: BlobStore, id: string, algorithm: ChecksumAlgorithmName): Promise<string> {
  const h = createHasher(algorithm);
  for await (const chunk of blobs.read(id) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest();
}
