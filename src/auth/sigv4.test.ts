/**
 * SigV4 parsing and verification, with the SDK's own signer (@smithy/signature-v4)
 * and real SDK clients as the oracle: what they sign must verify, and any one-byte
 * change must not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import { buildQueryString, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { parseAuthorization, signingContext, verifySignature, type VerifiableRequest } from './sigv4.js';
import { authDialect, type AuthDialect } from './errors.js';
import { signingKey, signingKeyCacheSize } from './canonical.js';
import type { ParsedAuth } from './types.js';
import { isServiceError, type ServiceError } from '../shared/errors.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNING_DATE = new Date('2026-11-27T12:34:56Z');
const NOW = SIGNING_DATE.getTime();

function signer(service: string, uriEscapePath = true): SignatureV4 {
  return new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath });
}

type Sent = { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: string | Uint8Array };

/** What would reach the server: path as sent, the query string node-http-handler builds, lower-cased headers. */
function onWire(r: Sent): VerifiableRequest & { body: Buffer } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const body = r.body === undefined ? Buffer.alloc(0) : typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.from(r.body);
  return { method: r.method, path: r.path, rawQuery: buildQueryString((r.query ?? {}) as Record<string, string>), headers, body, bodyRead: true };
}

function parsed(req: VerifiableRequest): ParsedAuth {
  const q: Record<string, string[]> = {};
  for (const part of req.rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    (q[k] ??= []).push(eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)));
  }
  const auth = parseAuthorization(req.headers, q);
  assert.ok(auth, 'request should carry a signature');
  return auth;
}

function verify(req: VerifiableRequest, dialect: AuthDialect, secret = credentials.secretAccessKey, now = NOW): ServiceError | undefined {
  return verifySignature(req, parsed(req), secret, now, { dialect });
}

function assertFails(req: VerifiableRequest, dialect: AuthDialect, code: string, secret?: string): ServiceError {
  const err = verify(req, dialect, secret);
  assert.ok(err && isServiceError(err), `expected ${code}`);
  assert.equal(err.code, code);
  return err;
}

async function signed(service: string, r: Sent, uriEscapePath = true): Promise<VerifiableRequest & { body: Buffer }> {
  const req = new HttpRequest({ protocol: 'https:', hostname: `${service}.us-east-1.amazonaws.com`, ...r, headers: { host: `${service}.us-east-1.amazonaws.com`, ...r.headers } });
  const out = await signer(service, uriEscapePath).sign(req, { signingDate: SIGNING_DATE });
  return onWire(out as unknown as Sent);
}

/** Every one-byte change of what was signed must fail. */
function assertTamperFails(req: VerifiableRequest & { body: Buffer }, dialect: AuthDialect, code: string): void {
  assertFails(req, dialect, code, `${credentials.secretAccessKey.slice(0, -1)}X`);
  const flip = (s: string, i = s.length - 1): string => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
  assertFails({ ...req, path: `${req.path}x` }, dialect, code);
  assertFails({ ...req, rawQuery: req.rawQuery ? flip(req.rawQuery) : 'x=1' }, dialect, code);
  assertFails({ ...req, headers: { ...req.headers, 'x-amz-date': req.headers['x-amz-date'] as string, host: `${req.headers.host as string}.` } }, dialect, code);
  assertFails({ ...req, method: req.method === 'GET' ? 'HEAD' : 'GET' }, dialect, code);
  if (req.body.length > 0) {
    const body = Buffer.from(req.body);
    body[body.length - 1] ^= 1;
    const err = verify({ ...req, body }, dialect);
    assert.ok(err, 'a changed body must fail');
  }
}

test('an STS query POST signed by the SDK signer verifies; tampering fails with SignatureDoesNotMatch 403', async () => {
  const req = await signed('sts', {
    method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  assert.equal(verify(req, 'query'), undefined);
  assertTamperFails(req, 'query', 'SignatureDoesNotMatch');
  const err = assertFails(req, 'query', 'SignatureDoesNotMatch', 'wrong');
  assert.equal(err.status, 403);
  const bodyHash = createHash('sha256').update('Action=GetCallerIdentity&Version=2011-06-15').digest('hex');
  const canonical = `POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:sts.us-east-1.amazonaws.com\nx-amz-content-sha256:${bodyHash}\nx-amz-date:20261127T123456Z\n\ncontent-type;host;x-amz-content-sha256;x-amz-date\n${bodyHash}`;
  const toSign = `AWS4-HMAC-SHA256\n20261127T123456Z\n20261127/us-east-1/sts/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
  assert.equal(err.message, `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`);
});

test('a DynamoDB JSON POST verifies; tampering fails with InvalidSignatureException 400', async () => {
  const req = await signed('dynamodb', {
    method: 'POST', path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
    body: JSON.stringify({ TableName: 't', Item: { pk: { S: 'ü  x' } } }),
  });
  assert.equal(verify(req, 'json'), undefined);
  assertTamperFails(req, 'json', 'InvalidSignatureException');
  assert.equal(assertFails(req, 'json', 'InvalidSignatureException', 'x').status, 400);
  assert.equal(assertFails(req, 'rest-json', 'InvalidSignatureException', 'x').status, 403);
  assert.deepEqual(
    { code: assertFails(req, 'ec2', 'AuthFailure', 'x').code, message: assertFails(req, 'ec2', 'AuthFailure', 'x').message, status: assertFails(req, 'ec2', 'AuthFailure', 'x').status },
    { code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials', status: 401 },
  );
});

test('non-S3 paths are normalized and double-encoded; S3 paths are signed as sent', async () => {
  const lambda = await signed('lambda', { method: 'POST', path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations', query: { Qualifier: '$LATEST' }, headers: {}, body: '{}' });
  assert.equal(verify(lambda, 'rest-json'), undefined);
  const dots = await signed('execute-api', { method: 'GET', path: '/a/./b/../c//d/', headers: {} });
  assert.equal(verify(dots, 'json'), undefined);
  const s3 = await signed('s3', {
    method: 'GET', path: '/bucket/a%20b/c%252F%2B%C3%BC', query: { 'response-content-type': 'text/plain; x=y', 'x-id': 'GetObject' },
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  }, false);
  assert.equal(verify(s3, 's3'), undefined);
  assertTamperFails(s3, 's3', 'SignatureDoesNotMatch');
  // S3 does not normalize: the same path with a dot segment is another resource.
  const s3dots = await signed('s3', { method: 'GET', path: '/bucket/./k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, false);
  assert.equal(verify(s3dots, 's3'), undefined);
});

test('an S3 key sent with characters the signer encoded is still accepted', async () => {
  const req = await signed('s3', { method: 'GET', path: '/bucket/it%27s%20%28here%29', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, false);
  assert.equal(verify({ ...req, path: "/bucket/it's%20(here)" }, 's3'), undefined);
});

test('S3 SignatureDoesNotMatch carries AWS\'s XML fields', async () => {
  const req = await signed('s3', { method: 'GET', path: '/b/k', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, false);
  const err = assertFails(req, 's3', 'SignatureDoesNotMatch', 'nope');
  assert.equal(err.status, 403);
  assert.equal(err.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  const canonical = 'GET\n/b/k\n\nhost:s3.us-east-1.amazonaws.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20261127T123456Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD';
  assert.equal(err.fields.CanonicalRequest, canonical);
  assert.equal(err.fields.AWSAccessKeyId, 'AKIDEXAMPLE');
  assert.equal(err.fields.SignatureProvided, parsed(req).signature);
  assert.ok(String(err.fields.StringToSign).startsWith('AWS4-HMAC-SHA256\n20261127T123456Z\n20261127/us-east-1/s3/aws4_request\n'));
  assert.ok(String(err.fields.StringToSignBytes).startsWith('41 57 53 34 2d 48 4d 41 43'));
  assert.equal(String(err.fields.CanonicalRequestBytes).split(' ').length, Buffer.byteLength(canonical));
});

test('header values are trimmed and collapsed; repeated headers join with commas', async () => {
  const req = await signed('sqs', { method: 'POST', path: '/', headers: { 'x-amz-meta-a': '  one   two  ', 'x-custom': 'a,b' }, body: 'x' });
  assert.equal(verify(req, 'query'), undefined);
  assert.equal(verify({ ...req, headers: { ...req.headers, 'x-amz-meta-a': 'one two' } }, 'query'), undefined);
  assert.equal(verify({ ...req, headers: { ...req.headers, 'x-custom': ['a', ' b'] } }, 'query'), undefined);
  assert.ok(verify({ ...req, headers: { ...req.headers, 'x-custom': 'a, b' } }, 'query'));
});

test('canonical query sorts by name then value and excludes nothing but the presigned signature', async () => {
  const req = await signed('monitoring', { method: 'GET', path: '/', query: { b: ['2', '1'], 'a-b': 'x', a: '', 'ü ~*': "it's" }, headers: {} });
  assert.equal(verify(req, 'query'), undefined);
});

test('skewed clocks: 15 minutes either way, with each dialect\'s wording', async () => {
  const req = await signed('dynamodb', { method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
  assert.equal(verify(req, 'json', undefined, NOW + 15 * 60_000), undefined);
  assert.equal(verify(req, 'json', undefined, NOW - 15 * 60_000), undefined);
  const late = verify(req, 'json', undefined, NOW + 16 * 60_000)!;
  assert.deepEqual([late.code, late.status, late.message], ['InvalidSignatureException', 400,
    'Signature expired: 20261127T123456Z is now earlier than 20261127T123556Z (20261127T125056Z - 15 min.)']);
  const early = verify(req, 'query', undefined, NOW - 16 * 60_000)!;
  assert.deepEqual([early.code, early.status, early.message], ['SignatureDoesNotMatch', 403,
    'Signature not yet current: 20261127T123456Z is still later than 20261127T123356Z (20261127T121856Z + 15 min.)']);
  const ec2 = verify(req, 'ec2', undefined, NOW + 16 * 60_000)!;
  assert.deepEqual([ec2.code, ec2.status, ec2.message], ['RequestExpired', 400, 'Request has expired.']);
  const s3req = await signed('s3', { method: 'GET', path: '/b', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, false);
  const s3 = verify(s3req, 's3', undefined, NOW + 20 * 60_000)!;
  assert.deepEqual([s3.code, s3.status, s3.message, s3.fields], ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.',
    { RequestTime: '20261127T123456Z', ServerTime: '2026-11-27T12:54:56Z', MaxAllowedSkewMilliseconds: '900000' }]);
});

test('S3 wants x-amz-content-sha256 on header-signed requests and checks a buffered body against it', async () => {
  const signedBare = await signed('s3', { method: 'GET', path: '/b', headers: {} }, false);
  const { 'x-amz-content-sha256': _dropped, ...headers } = signedBare.headers;
  const missing = verify({ ...signedBare, headers }, 's3')!;
  assert.deepEqual([missing.code, missing.status, missing.message], ['InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256']);
  const odd = await signed('s3', { method: 'GET', path: '/b', headers: { 'x-amz-content-sha256': 'whatever' } }, false);
  assert.deepEqual(verify(odd, 's3')!.fields, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'whatever' });
  const liar = await signed('s3', { method: 'PUT', path: '/b/k', headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } }, false);
  const mismatch = verify({ ...liar, body: Buffer.from('not empty') }, 's3')!;
  assert.equal(mismatch.code, 'XAmzContentSHA256Mismatch');
  assert.equal(mismatch.fields.ClientComputedContentSHA256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(verify({ ...liar, body: Buffer.from('not empty'), bodyRead: false }, 's3'), undefined, 'a streamed body is checked as it flows');
});

test('a signature leaving out Host is refused', async () => {
  const req = await signed('sts', { method: 'POST', path: '/', headers: {}, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  const auth = parsed(req);
  const err = verifySignature(req, { ...auth, signedHeaders: auth.signedHeaders.filter((h) => h !== 'host') }, credentials.secretAccessKey, NOW, { dialect: 'json' })!;
  assert.deepEqual([err.code, err.message], ['InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization."]);
});

test('a scope for another service is refused when the endpoint says which', async () => {
  const req = await signed('sts', { method: 'POST', path: '/', headers: {}, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  const err = verifySignature(req, parsed(req), credentials.secretAccessKey, NOW, { dialect: 'json', expectedService: 'dynamodb' })!;
  assert.deepEqual([err.code, err.message], ['InvalidSignatureException', "Credential should be scoped to correct service: 'dynamodb'. "]);
});

test('the dialect follows the service and its codec', () => {
  assert.equal(authDialect('s3', 'rest-xml'), 's3');
  assert.equal(authDialect('sts', 'query'), 'query');
  assert.equal(authDialect('sqs', 'json'), 'json');
  assert.equal(authDialect('lambda', 'rest-json'), 'rest-json');
  assert.equal(authDialect('ec2', 'ec2'), 'ec2');
  assert.equal(authDialect('monitoring', 'smithy-rpc-v2-cbor'), 'json');
  assert.equal(authDialect(undefined, undefined), 'query');
});

test('the verifier reads the dialect off a gateway Exchange-like request', async () => {
  const req = await signed('dynamodb', { method: 'POST', path: '/', headers: {}, body: '{}' });
  const err = verifySignature({ ...req, service: { name: 'dynamodb' }, codec: { name: 'json' } }, parsed(req), 'bad', NOW)!;
  assert.equal(err.code, 'InvalidSignatureException');
});

test('signing keys are cached in a bounded map', () => {
  const a = signingKey('s', '20260101', 'us-east-1', 'sts');
  assert.equal(signingKey('s', '20260101', 'us-east-1', 'sts'), a);
  for (let i = 0; i < 400; i++) signingKey('s', `2026${String(i).padStart(4, '0')}`, 'r', 'x');
  assert.ok(signingKeyCacheSize() <= 256);
});

// --- real SDK clients, captured at the handler ---

function capture(): { handler: { handle: (r: HttpRequest) => Promise<{ response: HttpResponse }> }; requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    handler: {
      handle: async (request: HttpRequest) => {
        requests.push(request);
        return { response: new HttpResponse({ statusCode: 500, headers: {}, body: Readable.from([Buffer.from('')]) }) };
      },
    },
  };
}

async function bodyOf(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const parts: Buffer[] = [];
  for await (const p of body as AsyncIterable<Uint8Array | string>) parts.push(typeof p === 'string' ? Buffer.from(p) : Buffer.from(p));
  return Buffer.concat(parts);
}

async function sdkRequests(send: (cfg: object) => Promise<unknown>): Promise<Array<VerifiableRequest & { body: Buffer }>> {
  const { handler, requests } = capture();
  await send({ endpoint: 'http://localhost:4566', region: 'us-east-1', credentials, requestHandler: handler, maxAttempts: 1 }).catch(() => undefined);
  const out = [];
  for (const r of requests) out.push({ ...onWire({ ...(r as unknown as Sent), body: undefined }), body: await bodyOf(r.body) });
  return out;
}

test('requests of real SDK clients verify and fail when tampered', async () => {
  const cases: Array<[AuthDialect, string, (cfg: object) => Promise<unknown>]> = [
    ['query', 'SignatureDoesNotMatch', (cfg) => new STSClient(cfg).send(new GetCallerIdentityCommand({}))],
    ['json', 'InvalidSignatureException', (cfg) => new DynamoDBClient(cfg).send(new PutItemCommand({ TableName: 'tbl', Item: { k: { S: 'v ü' } } }))],
    ['json', 'InvalidSignatureException', (cfg) => new SQSClient(cfg).send(new SendMessageCommand({ QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'hi & bye' }))],
    ['rest-json', 'InvalidSignatureException', (cfg) => new LambdaClient(cfg).send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f', Qualifier: '$LATEST', Payload: Buffer.from('{"a":1}') }))],
    ['s3', 'SignatureDoesNotMatch', (cfg) => new S3Client({ ...cfg, forcePathStyle: true }).send(new GetObjectCommand({ Bucket: 'bkt', Key: 'a b/c%2F+ü~!*\'()=&$@' }))],
    ['s3', 'SignatureDoesNotMatch', (cfg) => new S3Client(cfg).send(new ListObjectsV2Command({ Bucket: 'bkt', Prefix: 'x y/ü+', Delimiter: '/', MaxKeys: 5 }))],
    ['s3', 'SignatureDoesNotMatch', (cfg) => new S3Client({ ...cfg, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: 'hello world' }))],
  ];
  for (const [dialect, code, send] of cases) {
    const reqs = await sdkRequests(send);
    assert.equal(reqs.length, 1);
    const req = reqs[0];
    const err = verifySignature(req, parsed(req), credentials.secretAccessKey, Date.now(), { dialect });
    assert.equal(err, undefined, `${req.method} ${req.path}?${req.rawQuery}: ${err?.message}`);
    const bad = verifySignature(req, parsed(req), 'x', Date.now(), { dialect });
    assert.equal(bad?.code, code);
    const moved = verifySignature({ ...req, path: `${req.path}x` }, parsed(req), credentials.secretAccessKey, Date.now(), { dialect });
    assert.equal(moved?.code, code);
  }
});

test('signingContext carries the derived key and the seed signature', async () => {
  const req = await signed('s3', { method: 'PUT', path: '/b/k', headers: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } }, false);
  const auth = parsed(req);
  assert.equal(verify(req, 's3'), undefined);
  const ctx = signingContext(auth, credentials.secretAccessKey)!;
  assert.equal(ctx.seedSignature, auth.signature);
  assert.equal(ctx.credentialScope, '20261127/us-east-1/s3/aws4_request');
  assert.equal(ctx.amzDate, '20261127T123456Z');
  assert.deepEqual(ctx.signingKey, signingKey(credentials.secretAccessKey, '20261127', 'us-east-1', 's3'));
});
