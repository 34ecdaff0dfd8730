/**
 * Request bodies in the forms S3 clients send them: aws-chunked (signed chunks,
 * or unsigned with trailing checksums) decoded on the fly, a declared
 * x-amz-content-sha256 checked as the bytes pass, plain bodies as they are.
 */
import type { Readable } from 'node:stream';
import { isAwsChunked, createAwsChunkedDecoder, createSha256Verifier, decodeAwsChunked, MIN_CHUNK_SIZE } from '../auth/streaming.js';
import { isKnownPayloadHash, signingContext } from '../auth/sigv4.js';
import type { Exchange } from './exchange.js';

function chunkedOptions(x: Exchange, secret: string | undefined, verify: boolean) {
  const contentSha256 = x.header('x-amz-content-sha256')!;
  const decoded = x.header('x-amz-decoded-content-length');
  const trailer = x.header('x-amz-trailer');
  return {
    contentSha256,
    // Chunk signatures are checked where the secret is known and signatures count.
    signing: verify && secret && x.auth ? signingContext(x.auth, secret) : undefined,
    decodedContentLength: decoded !== undefined && /^\d+$/.test(decoded) ? Number(decoded) : undefined,
    expectedTrailers: trailer ? trailer.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean) : undefined,
    minChunkSize: MIN_CHUNK_SIZE,
  };
}

/**
 * The body stream a streaming operation reads: decoded when aws-chunked, checked
 * against a declared sha256 otherwise. Errors surface on the stream; the reader
 * (e.g. the blob store) must commit only after a clean end.
 */
export function decodedBodyStream(x: Exchange, secret: string | undefined, enforce: boolean): Readable {
  const source = x.bodyStream!;
  const declared = x.header('x-amz-content-sha256');
  const verify = enforce || secret !== undefined && x.auth?.accessKeyId !== 'test' && !/^\d{12}$/.test(x.auth?.accessKeyId ?? '');
  if (isAwsChunked(declared)) {
    const decoder = createAwsChunkedDecoder(chunkedOptions(x, secret, verify));
    source.on('error', (e) => decoder.destroy(e));
    return source.pipe(decoder);
  }
  if (verify && declared && !isKnownPayloadHash(declared) && /^[0-9a-fA-F]{64}$/.test(declared)) {
    const verifier = createSha256Verifier(declared);
    source.on('error', (e) => verifier.destroy(e));
    return source.pipe(verifier);
  }
  return source;
}

/** Decodes an aws-chunked body that was read whole (non-streaming operations). */
export async function decodeChunkedBuffer(x: Exchange, secret: string | undefined, enforce: boolean): Promise<Buffer> {
  const verify = enforce || (secret !== undefined && x.auth?.accessKeyId !== 'test' && !/^\d{12}$/.test(x.auth?.accessKeyId ?? ''));
  const parts: Buffer[] = [];
  const body = x.body;
  const it = decodeAwsChunked((async function* () { yield body; })(), { ...chunkedOptions(x, secret, verify), minChunkSize: 0 });
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
  }
  return Buffer.concat(parts);
}
