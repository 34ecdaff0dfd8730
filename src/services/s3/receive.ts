/**
 * Receiving an object body: streamed to a new blob while its MD5 (the ETag) and its
 * checksum are computed, or, when small and the caller asks, read into memory for the
 * caller to store in the transaction that commits its row; declared digests
 * (Content-MD5, x-amz-checksum-* headers or trailers) are verified before anything
 * refers to the blob, and a failed or aborted upload leaves no blob behind.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ServiceError } from '../../shared/errors.js';
import type { BlobStore } from '../../state/blobs.js';
import { ALGORITHMS, CHECKSUM_MEMBER, DIGEST_BYTES, checksumOf, createHasher, isAlgorithm, trailerName, type ChecksumAlgorithmName, type Hasher } from './checksums.js';
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
  /** The blob holding the body; '' when the body is in `data` instead. */
  blob: string;
  /** A small body kept in memory (receiveBody's `keepSmall`), for the caller to store in its own transaction (BlobStore.writeRow). */
  data?: Buffer;
  size: number;
  md5: Buffer;
  algorithm: ChecksumAlgorithmName;
  checksum: string;
}

/** The start of a body: its chunks up to past `limit` bytes, and whether that was all of it. */
interface Head {
  chunks: Buffer[];
  size: number;
  ended: boolean;
}

/** A readHead in progress, kept on its stream so that the listeners are shared functions, not closures per request. */
interface HeadRead extends Head {
  limit: number;
  resolve: (head: Head) => void;
  reject: (e: Error) => void;
}

const HEAD_READ = Symbol('headRead');
type Reading = Readable & { [HEAD_READ]?: HeadRead };

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Stops listening; answers the read in progress (undefined once answered). */
function settle(stream: Reading): HeadRead | undefined {
  const read = stream[HEAD_READ];
  if (read === undefined) return undefined;
  stream[HEAD_READ] = undefined;
  stream.removeListener('readable', onHeadReadable);
  stream.removeListener('end', onHeadEnd);
  stream.removeListener('error', onHeadError);
  stream.removeListener('close', onHeadClose);
  return read;
}

function onHeadReadable(this: Reading): void {
  const read = this[HEAD_READ];
  if (read === undefined) return;
  let chunk: Buffer | null;
  while ((chunk = this.read() as Buffer | null) !== null) {
    read.chunks.push(chunk);
    read.size += chunk.length;
    if (read.size > read.limit) {
      settle(this);
      // Until rest() reads on (and listens itself), an error must not go unheard.
      this.on('error', ignore);
      return read.resolve({ chunks: read.chunks, size: read.size, ended: false });
    }
  }
}

function onHeadEnd(this: Reading): void {
  const read = settle(this);
  read?.resolve({ chunks: read.chunks, size: read.size, ended: true });
}

function onHeadError(this: Reading, e: Error): void {
  settle(this)?.reject(e);
}

function onHeadClose(this: Reading): void {
  settle(this)?.reject(this.errored ?? prematureClose());
}

/**
 * Reads a body until it ends or exceeds `limit` bytes, with plain stream events: for
 * the small bodies most uploads are, an async iterator's machinery costs more than the
 * read. Past the limit the stream is left paused with its remaining bytes, to be read on.
 */
function readHead(stream: Readable, limit: number): Promise<Head> {
  return new Promise((resolve, reject) => {
    if (stream.errored) return reject(stream.errored);
    if (stream.readableEnded) return resolve({ chunks: [], size: 0, ended: true });
    if (stream.destroyed) return reject(prematureClose());
    (stream as Reading)[HEAD_READ] = { chunks: [], size: 0, ended: false, limit, resolve, reject };
    stream.on('readable', onHeadReadable);
    stream.on('end', onHeadEnd);
    stream.on('error', onHeadError);
    stream.on('close', onHeadClose);
  });
}

/** A listener that keeps an error event from being unhandled: the stream's reader sees the error anyway. */
function ignore(): void {}

/** `head`'s chunks, then the rest of `stream` (left by readHead); a reader that stops early destroys the stream. */
async function* rest(head: readonly Buffer[], stream: Readable): AsyncGenerator<Buffer> {
  let whole = false;
  try {
    yield* head;
    yield* stream as AsyncIterable<Buffer>;
    whole = true;
  } finally {
    stream.removeListener('error', ignore);
    if (!whole) stream.destroy();
  }
}

const MD5_BYTES = 16;

/** The MD5 of bytes in memory: one call where Node has crypto.hash (20.12 and later), else a Hash object. */
const md5Of: (data: Buffer) => Buffer = typeof nodeCrypto.hash === 'function'
  ? (data) => nodeCrypto.hash('md5', data, 'buffer')
  : (data) => createHash('md5').update(data).digest();

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
 * With `keepSmall`, a body that fits a database row is returned in `data` instead of
 * stored (blob ''), so that the caller commits it with the rows referring to it.
 */
export async function receiveBody(blobs: BlobStore, body: Readable, input: ChecksumInput, defaultAlgorithm: ChecksumAlgorithmName = 'CRC64NVME', keepSmall = false): Promise<Received> {
  const expectedMd5 = contentMd5(input.ContentMD5);
  const requested = requestedChecksum(input);
  const algorithm = requested.algorithm ?? defaultAlgorithm;
  const limit = keepSmall ? blobs.rowLimit : 0;
  let data: Buffer | undefined;
  let source: AsyncIterable<Buffer> = body as AsyncIterable<Buffer>;
  if (limit > 0) {
    const head = await readHead(body, limit);
    if (head.ended) data = head.chunks.length === 1 ? head.chunks[0]! : Buffer.concat(head.chunks, head.size);
    else source = rest(head.chunks, body);
  }
  let md5: Hash | undefined;
  let hasher: Hasher | undefined;
  if (data === undefined) {
    md5 = createHash('md5');
    hasher = createHasher(algorithm);
  }
  const info = data !== undefined ? { id: '', size: data.length } : await blobs.write((async function* () {
    for await (const chunk of source) {
      md5!.update(chunk);
      hasher!.update(chunk);
      yield chunk;
    }
  })());
  try {
    // A body in memory is hashed in one call each.
    const digest = data !== undefined ? md5Of(data) : md5!.digest();
    if (expectedMd5 && !expectedMd5.equals(digest)) {
      throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', { status: 400, fields: { ExpectedDigest: expectedMd5.toString('hex'), CalculatedDigest: digest.toString('base64') } });
    }
    let used = algorithm;
    let declared = requested.declared;
    const trailers = trailersOf(body);
    if (declared === undefined && trailers) {
      for (const a of ALGORITHMS) {
        const t = trailers[trailerName(a)];
        if (t === undefined) continue;
        used = a;
        declared = t;
        break;
      }
    }
    // A trailer may name an algorithm the request did not announce: the stored bytes are hashed again then.
    const checksum = data !== undefined ? checksumOf(used, data) : used === algorithm ? hasher!.digest() : await hashBlob(blobs, info.id, used);
    if (declared !== undefined && declared !== checksum) throw badDigest(`The ${used} you specified did not match the calculated checksum.`);
    const received: Received = { blob: info.id, size: info.size, md5: digest, algorithm: used, checksum };
    if (data !== undefined) received.data = data;
    return received;
  } catch (e) {
    if (data === undefined) blobs.delete(info.id);
    throw e;
  }
}

/** The checksum of a stored blob. */
export async function hashBlob(blobs: BlobStore, id: string, algorithm: ChecksumAlgorithmName): Promise<string> {
  const h = createHasher(algorithm);
  for await (const chunk of blobs.read(id) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest();
}
