/**
 * aws-chunked bodies: AWS's published chunked-upload example as a fixed vector,
 * bodies the S3 client really sends (STREAMING-UNSIGNED-PAYLOAD-TRAILER with a
 * CRC32 trailer), signed trailers, reads split anywhere, and malformed framing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { parseAuthorization, signingContext, verifySignature } from './sigv4.js';
import { signingKey } from './canonical.js';
import { AwsChunkedParser, chunkSignature, createAwsChunkedDecoder, trailerSignature, createSha256Verifier, decodeAwsChunked, isAwsChunked, type AwsChunkedOptions, type AwsChunkedResult } from './streaming.js';
import type { SigningContext } from './types.js';
import { isServiceError, type ServiceError } from '../shared/errors.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// The example of "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks".
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AWS_DATE = '20130524T000000Z';
const AWS_NOW = Date.UTC(2013, 4, 24);
const AWS_SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const AWS_CHUNK_SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const AWS_HEADERS = {
  host: 's3.amazonaws.com',
  'x-amz-date': AWS_DATE,
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${AWS_SEED}`,
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'content-length': '66824',
};

function awsBody(): Buffer {
  const sizes = [65536, 1024, 0];
  return Buffer.concat(sizes.map((n, i) => Buffer.concat([Buffer.from(`${n.toString(16)};chunk-signature=${AWS_CHUNK_SIGNATURES[i]}\r\n`), Buffer.alloc(n, 'a'), Buffer.from('\r\n')])));
}

function awsContext(): SigningContext {
  return { signingKey: signingKey(AWS_SECRET, '20130524', 'us-east-1', 's3'), amzDate: AWS_DATE, credentialScope: '20130524/us-east-1/s3/aws4_request', seedSignature: AWS_SEED };
}

/** Test helper building signed aws-chunked bodies the way the spec describes. */
function signedBody(ctx: SigningContext, chunks: Buffer[], trailers?: Array<[string, string]>): Buffer {
  let previous = ctx.seedSignature;
  const parts: Buffer[] = [];
  const sign = (data: Buffer): string => {
    const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${ctx.amzDate}\n${ctx.credentialScope}\n${previous}\n${EMPTY_SHA256}\n${createHash('sha256').update(data).digest('hex')}`;
    previous = createHmac('sha256', ctx.signingKey).update(toSign).digest('hex');
    return previous;
  };
  for (const data of [...chunks, Buffer.alloc(0)]) {
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${sign(data)}\r\n`), data);
    if (data.length > 0 || !trailers) parts.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const canonical = trailers.map(([k, v]) => `${k}:${v}\n`).join('');
    const toSign = `AWS4-HMAC-SHA256-TRAILER\n${ctx.amzDate}\n${ctx.credentialScope}\n${previous}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', ctx.signingKey).update(toSign).digest('hex');
    parts.push(Buffer.from(`${trailers.map(([k, v]) => `${k}:${v}\r\n`).join('')}x-amz-trailer-signature:${signature}\r\n\r\n`));
  }
  return Buffer.concat(parts);
}

/** Runs a body through the parser in pieces of the given sizes (cycled). */
function decode(body: Buffer, options: AwsChunkedOptions, pieces: number[] = [body.length]): { data: Buffer; result: AwsChunkedResult } {
  const parser = new AwsChunkedParser(options);
  const out: Buffer[] = [];
  let pos = 0;
  for (let i = 0; pos < body.length; i++) {
    const n = pieces[i % pieces.length];
    parser.write(body.subarray(pos, pos + n), (d) => out.push(d));
    pos += n;
  }
  return { data: Buffer.concat(out), result: parser.end() };
}

function decodeError(body: Buffer, options: AwsChunkedOptions): ServiceError {
  try {
    decode(body, options);
  } catch (e) {
    assert.ok(isServiceError(e), String(e));
    return e;
  }
  assert.fail('expected the body to be refused');
}

test('AWS\'s chunked-upload example: the seed signature verifies and every chunk signature chains', () => {
  const auth = parseAuthorization(AWS_HEADERS, {})!;
  assert.equal(verifySignature({ method: 'PUT', path: '/examplebucket/chunkObject.txt', rawQuery: '', headers: AWS_HEADERS }, auth, AWS_SECRET, AWS_NOW, { dialect: 's3' }), undefined);
  const signing = signingContext(auth, AWS_SECRET)!;
  const options = { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', signing, decodedContentLength: 66560 };
  const { data, result } = decode(awsBody(), options);
  assert.ok(data.equals(Buffer.alloc(66560, 'a')));
  assert.deepEqual(result, { trailers: {}, decodedLength: 66560, chunks: 2 });
  assert.ok(signedBody(awsContext(), [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')]).equals(awsBody()), 'the test helper reproduces AWS\'s example');
});

test('the example decodes the same whatever the read sizes (headers and CRLFs split across reads)', () => {
  const options = { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', signing: awsContext(), decodedContentLength: 66560 };
  for (const pieces of [[1], [2], [3], [7, 1, 13], [85], [86], [87], [65536 + 86], [4096]]) {
    const { data } = decode(awsBody(), options, pieces);
    assert.equal(data.length, 66560, `pieces ${pieces.join(',')}`);
  }
});

test('a changed byte, chunk signature or chunk order fails with SignatureDoesNotMatch', () => {
  const options = { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', signing: awsContext() };
  const body = awsBody();
  const flipped = Buffer.from(body);
  flipped[200] = 0x62;
  for (const bad of [flipped, Buffer.from(body.toString('latin1').replace('ad80c730', 'ad80c731'), 'latin1')]) {
    const e = decodeError(bad, options);
    assert.deepEqual([e.code, e.status, e.message], ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.']);
  }
  const other = { ...options, signing: { ...awsContext(), seedSignature: AWS_CHUNK_SIGNATURES[0] } };
  assert.equal(decodeError(body, other).code, 'SignatureDoesNotMatch');
  // Without the secret the framing is still decoded, the signatures are not checked.
  assert.equal(decode(flipped, { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }).data.length, 66560);
});

test('each step of the chain against AWS\'s published values (chunk and trailer signatures)', () => {
  const ctx = awsContext();
  assert.equal(chunkSignature(ctx, AWS_SEED, createHash('sha256').update(Buffer.alloc(65536, 'a')).digest('hex')), AWS_CHUNK_SIGNATURES[0]);
  assert.equal(chunkSignature(ctx, AWS_CHUNK_SIGNATURES[1], EMPTY_SHA256), AWS_CHUNK_SIGNATURES[2]);
  // "Signature calculations for trailing headers": the trailer chunk after a final chunk signed e05ab64f...
  assert.equal(trailerSignature(ctx, 'e05ab64fe1dfdbf0b5870abbaabdb063c371d4e96f2767e6934d90529c5ae850', 'x-amz-checksum-crc32c:wdBDMA==\n'),
    '41e14ac611e27a8bb3d66c3bad6856f209297767d5dd4fc87d8fa9e422e03faf');
});

test('a signed body with a signed trailer decodes; a forged or missing trailer signature fails', () => {
  const ctx = awsContext();
  const body = signedBody(ctx, [Buffer.alloc(65536, 'a'), Buffer.alloc(1024, 'a')], [['x-amz-checksum-crc32c', 'wdBDMA==']]);
  const options = { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', signing: ctx, decodedContentLength: 66560, expectedTrailers: ['x-amz-checksum-crc32c'] };
  const { data, result } = decode(body, options, [5]);
  assert.equal(data.length, 66560);
  assert.deepEqual(result.trailers, { 'x-amz-checksum-crc32c': 'wdBDMA==' });
  const text = body.toString('latin1');
  assert.ok(text.endsWith('\r\n\r\n') && text.includes('0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\nx-amz-checksum-crc32c:wdBDMA==\r\nx-amz-trailer-signature:'));
  const forged = Buffer.from(text.replace('wdBDMA==', 'wdBDMB=='), 'latin1');
  assert.equal(decodeError(forged, options).code, 'SignatureDoesNotMatch');
  const unsigned = Buffer.from(text.replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''), 'latin1');
  assert.equal(decodeError(unsigned, options).code, 'SignatureDoesNotMatch');
});

// --- what @aws-sdk/client-s3 really sends ---

async function capturedPut(parts: Buffer[], contentLength?: number): Promise<{ request: HttpRequest; body: Buffer }> {
  let captured: { request: HttpRequest; body: Buffer } | undefined;
  const client = new S3Client({
    endpoint: 'http://localhost:4566', region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        const chunks: Buffer[] = [];
        for await (const c of request.body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c));
        captured = { request, body: Buffer.concat(chunks) };
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([Buffer.alloc(0)]) }) };
      },
    },
  });
  await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: Readable.from(parts), ...(contentLength === undefined ? {} : { ContentLength: contentLength }) }));
  assert.ok(captured);
  return captured;
}

function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

test('a PutObject stream from the S3 client: STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer', async () => {
  const parts = [Buffer.alloc(10_000, 1), Buffer.alloc(9_000, 2), Buffer.from('tail!')];
  const data = Buffer.concat(parts);
  const { request, body } = await capturedPut(parts, data.length);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  assert.equal(headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  assert.equal(headers['x-amz-trailer'], 'x-amz-checksum-crc32');
  assert.equal(headers['x-amz-decoded-content-length'], String(data.length));
  assert.ok(isAwsChunked(headers['x-amz-content-sha256']));
  const auth = parseAuthorization(headers, {})!;
  assert.equal(verifySignature({ method: request.method, path: request.path, rawQuery: 'x-id=PutObject', headers, bodyRead: false }, auth, 'test', Date.now(), { dialect: 's3' }), undefined);

  const decoder = createAwsChunkedDecoder({
    contentSha256: headers['x-amz-content-sha256'], decodedContentLength: Number(headers['x-amz-decoded-content-length']),
    expectedTrailers: [headers['x-amz-trailer']], signing: signingContext(auth, 'test'),
  });
  const out: Buffer[] = [];
  // One byte at a time: every header, CRLF and trailer line split across reads.
  await pipeline(Readable.from([...body].map((b) => Buffer.from([b]))), decoder, new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } }));
  assert.ok(Buffer.concat(out).equals(data));
  assert.deepEqual(decoder.trailers, { 'x-amz-checksum-crc32': crc32Base64(data) });
  assert.deepEqual(decoder.result, { trailers: { 'x-amz-checksum-crc32': crc32Base64(data) }, decodedLength: data.length, chunks: 3 });
});

test('S3 refuses non-final chunks under 8 KiB with InvalidChunkSizeError (the chunk after the short one, from 1)', async () => {
  const parts = [Buffer.alloc(9000, 1), Buffer.alloc(100, 2), Buffer.alloc(100, 3)];
  const { body } = await capturedPut(parts, 9200);
  const e = decodeError(body, { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
  assert.deepEqual([e.code, e.status, e.message, e.fields], ['InvalidChunkSizeError', 400, 'Only the last chunk is allowed to have a size less than 8192 bytes', { Chunk: 3, BadChunkSize: 100 }]);
  assert.equal(decode(body, { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', minChunkSize: 0 }).data.length, 9200);
});

test('a body that ends right after "0\\r\\n" (the SDK without a checksum) is complete', () => {
  const body = Buffer.from('5\r\nhello\r\n0\r\n');
  const { data, result } = decode(body, { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', decodedContentLength: 5 });
  assert.equal(data.toString(), 'hello');
  assert.deepEqual(result.trailers, {});
});

test('the async generator yields data and returns the trailers', async () => {
  const body = Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-sha256:q83vEjRWeJA=\r\n\r\n');
  const gen = decodeAwsChunked(Readable.from([body.subarray(0, 4), body.subarray(4)]), { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
  const got: Buffer[] = [];
  let step = await gen.next();
  while (!step.done) {
    got.push(step.value);
    step = await gen.next();
  }
  assert.equal(Buffer.concat(got).toString(), 'abc');
  assert.deepEqual(step.value.trailers, { 'x-amz-checksum-sha256': 'q83vEjRWeJA=' });
});

test('malformed framing: IncompleteBody, MalformedTrailerError, length mismatches', () => {
  const unsigned = { contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' };
  const cases: Array<[string, AwsChunkedOptions, string, string]> = [
    ['zz\r\nab\r\n0\r\n\r\n', unsigned, 'IncompleteBody', 'The request body terminated unexpectedly'],
    ['3\r\nabcX\r\n0\r\n\r\n', unsigned, 'IncompleteBody', 'The request body terminated unexpectedly'],
    ['3\r\nab', unsigned, 'IncompleteBody', 'The request body terminated unexpectedly'],
    ['3\r\nabc\r\n', unsigned, 'IncompleteBody', 'The request body terminated unexpectedly'],
    ['3\r\nabc\r\n0\r\nno-colon-here\r\n\r\n', unsigned, 'MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.'],
    ['3\r\nabc\r\n0\r\n\r\n', { ...unsigned, expectedTrailers: ['x-amz-checksum-crc32'] }, 'MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.'],
    ['3\r\nabc\r\n0\r\n\r\n', { ...unsigned, decodedContentLength: 4 }, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header'],
    ['3\r\nabc\r\n0\r\n\r\n', { ...unsigned, decodedContentLength: 2 }, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header'],
    ['3\r\nabc\r\n0;chunk-signature=ab\r\n\r\n', { contentSha256: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }, 'IncompleteBody', 'The request body terminated unexpectedly'],
    [`${'1'.repeat(5000)}\r\n`, unsigned, 'IncompleteBody', 'The request body terminated unexpectedly'],
  ];
  for (const [body, options, code, message] of cases) {
    const e = decodeError(Buffer.from(body), options);
    assert.deepEqual([e.code, e.status, e.message], [code, 400, message], JSON.stringify(body));
  }
});

test('a decoder error surfaces as a stream error', async () => {
  const decoder = createAwsChunkedDecoder({ contentSha256: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
  await assert.rejects(pipeline(Readable.from([Buffer.from('3\r\nab')]), decoder, new Writable({ write(_c, _e, cb) { cb(); } })), (e: unknown) => isServiceError(e) && e.code === 'IncompleteBody');
});

test('the sha256 verifier passes a matching body and refuses another with XAmzContentSHA256Mismatch', async () => {
  const body = Buffer.from('some object body');
  const hash = createHash('sha256').update(body).digest('hex');
  const sink = () => new Writable({ write(_c, _e, cb) { cb(); } });
  await pipeline(Readable.from([body]), createSha256Verifier(hash), sink());
  await assert.rejects(pipeline(Readable.from([body, Buffer.from('!')]), createSha256Verifier(hash), sink()), (e: unknown) =>
    isServiceError(e) && e.code === 'XAmzContentSHA256Mismatch' && e.status === 400 && e.fields.ClientComputedContentSHA256 === hash
    && e.fields.S3ComputedContentSHA256 === createHash('sha256').update('some object body!').digest('hex'));
});
