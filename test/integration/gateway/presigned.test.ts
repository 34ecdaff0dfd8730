/**
 * Presigned requests against a started nimbus, made by the SDK's own presigners
 * and sent with plain fetch, as EKS tokens and shared S3 links are used.
 * STS ignores X-Amz-Expires and applies its usual 15-minute window to X-Amz-Date,
 * answering SignatureDoesNotMatch "Signature expired: ..." (aws/aws-sdk-go#2167;
 * the sentence as in aws/aws-cli#6676). S3 honours X-Amz-Expires and answers
 * AccessDenied "Request has expired" with X-Amz-Expires, Expires and ServerTime
 * (a real body is quoted in lukejacksonn/react-slack-clone#27), before anything
 * else, so even an S3 nimbus does not implement yet refuses an expired link.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

// The server's clock stands still, so that times in error bodies are known exactly.
const NOW = Math.floor(Date.now() / 1000) * 1000;
const MINUTE = 60_000;
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CLUSTER = 'my-cluster';

let cloud: Nimbus;
let role: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

before(async () => {
  // Only STS is served, so S3 answers 501 past authentication whatever nimbus grows to implement.
  cloud = await startTestNimbus({ clock: { now: () => NOW }, services: ['sts'] });
  const out = await new STSClient(clientConfig(cloud.endpoint)).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/EksAdmin', RoleSessionName: 'kubectl' }));
  const c = out.Credentials!;
  role = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
});
after(() => cloud.stop());

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (and its HMAC, given a secret) for the signer, from node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** X-Amz-Date form of a time. */
function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** ISO 8601 to the second, as S3 writes Expires and ServerTime. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3986 encoding, as SigV4 canonicalizes query keys and values. */
function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An EKS-style token URL: GetCallerIdentity presigned with the cluster header signed. */
async function eksUrl(signingDate: number): Promise<{ url: string; query: Record<string, string> }> {
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: role, sha256: Sha256 });
  const host = `127.0.0.1:${cloud.port}`;
  const request: Parameters<SignatureV4['presign']>[0] = {
    method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: cloud.port, path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host, 'x-k8s-aws-id': CLUSTER },
  };
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: new Date(signingDate) });
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.query ?? {})) query[k] = String(v);
  const qs = Object.entries(query).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return { url: `http://${host}/?${qs}`, query };
}

function withQuery(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

test('an EKS token (presigned GetCallerIdentity from issued credentials) works via plain fetch', async () => {
  const { url, query } = await eksUrl(NOW);
  assert.equal(query['X-Amz-SignedHeaders'], 'host;x-k8s-aws-id');
  assert.equal(query['X-Amz-Security-Token'], role.sessionToken);
  const res = await fetch(url, { headers: { 'x-k8s-aws-id': CLUSTER } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml');
  const body = await res.text();
  const requestId = res.headers.get('x-amzn-requestid');
  assert.match(body, new RegExp(
    '^<GetCallerIdentityResponse xmlns="https://sts\\.amazonaws\\.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    '<UserId>AROA[A-Z2-7]{17}:kubectl</UserId><Account>123456789012</Account><Arn>arn:aws:sts::123456789012:assumed-role/EksAdmin/kubectl</Arn>' +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>$`,
  ));
});

test('STS ignores X-Amz-Expires: a token signed 10 minutes ago with X-Amz-Expires=60 still works', async () => {
  const { url } = await eksUrl(NOW - 10 * MINUTE);
  const res = await fetch(url, { headers: { 'x-k8s-aws-id': CLUSTER } });
  assert.equal(res.status, 200);
});

test('a token signed 20 minutes ago is refused with STS\'s "Signature expired" (403 SignatureDoesNotMatch)', async () => {
  const signedAt = NOW - 20 * MINUTE;
  const { url } = await eksUrl(signedAt);
  const res = await fetch(url, { headers: { 'x-k8s-aws-id': CLUSTER } });
  assert.equal(res.status, 403);
  const requestId = res.headers.get('x-amzn-requestid');
  const message = `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(NOW - 15 * MINUTE)} (${amzDate(NOW)} - 15 min.)`;
  assert.equal(await res.text(),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>' +
    `<Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
});

test('a token with a tampered signature is SignatureDoesNotMatch, quoting the canonical request and string to sign', async () => {
  const { url, query } = await eksUrl(NOW);
  const good = query['X-Amz-Signature'];
  const tampered = (good[0] === '0' ? '1' : '0') + good.slice(1);
  const res = await fetch(withQuery(url, 'X-Amz-Signature', tampered), { headers: { 'x-k8s-aws-id': CLUSTER } });
  assert.equal(res.status, 403);

  // What SigV4 signed, rebuilt here from the URL: every parameter but the signature, sorted and encoded.
  const canonicalQuery = Object.keys(query).filter((k) => k !== 'X-Amz-Signature').sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k])}`).join('&');
  const canonical = ['GET', '/', canonicalQuery, `host:127.0.0.1:${cloud.port}`, `x-k8s-aws-id:${CLUSTER}`, '', 'host;x-k8s-aws-id', EMPTY_SHA256].join('\n');
  const scope = `${amzDate(NOW).slice(0, 8)}/us-east-1/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate(NOW), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const message = `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`;
  const requestId = res.headers.get('x-amzn-requestid');
  assert.equal(await res.text(),
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>' +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
});

test('a token whose signed header is changed in transit is refused', async () => {
  const { url } = await eksUrl(NOW);
  const res = await fetch(url, { headers: { 'x-k8s-aws-id': 'another-cluster' } });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /<Code>SignatureDoesNotMatch<\/Code><Message>The request signature we calculated does not match/);
});

function s3(credentials = { accessKeyId: 'test', secretAccessKey: 'test' }): S3Client {
  return new S3Client({ ...clientConfig(cloud.endpoint, credentials), forcePathStyle: true });
}

const OBJECT = { Bucket: 'presigned-bucket', Key: 'docs/report.txt' };

test('an expired S3 presigned URL is AccessDenied "Request has expired" with X-Amz-Expires, Expires and ServerTime', async () => {
  const signedAt = NOW - 10_000;
  const url = await getSignedUrl(s3(), new GetObjectCommand(OBJECT), { expiresIn: 1, signingDate: new Date(signedAt) });
  assert.match(url, /[?&]X-Amz-Expires=1(&|$)/);
  const res = await fetch(url);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('content-type'), 'application/xml');
  const requestId = res.headers.get('x-amz-request-id');
  const hostId = res.headers.get('x-amz-id-2');
  assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(await res.text(),
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
    `<X-Amz-Expires>1</X-Amz-Expires><Expires>${isoSeconds(signedAt + 1000)}</Expires><ServerTime>${isoSeconds(NOW)}</ServerTime>` +
    `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`);
});

test('an expired S3 presigned URL of issued credentials is refused the same way', async () => {
  const signedAt = NOW - 120_000;
  const url = await getSignedUrl(s3(role), new GetObjectCommand(OBJECT), { expiresIn: 60, signingDate: new Date(signedAt) });
  const res = await fetch(url);
  assert.equal(res.status, 403);
  const body = await res.text();
  assert.match(body, new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>60</X-Amz-Expires><Expires>${isoSeconds(signedAt + 60_000)}</Expires><ServerTime>${isoSeconds(NOW)}</ServerTime><RequestId>`));
});

test('a fresh S3 presigned URL reaches the operation: 501 NotImplemented in S3\'s XML form', async () => {
  for (const credentials of [{ accessKeyId: 'test', secretAccessKey: 'test' }, role]) {
    const url = await getSignedUrl(s3(credentials), new GetObjectCommand(OBJECT), { expiresIn: 60, signingDate: new Date(NOW) });
    const res = await fetch(url);
    assert.equal(res.status, 501);
    assert.equal(res.headers.get('content-type'), 'application/xml');
    const requestId = res.headers.get('x-amz-request-id');
    const hostId = res.headers.get('x-amz-id-2');
    assert.equal(await res.text(),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code><Message>The operation GetObject of service s3 is not implemented by nimbus yet</Message>' +
      `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`);
  }
});

test('a fresh S3 presigned URL of issued credentials with a tampered signature is S3\'s SignatureDoesNotMatch', async () => {
  const url = await getSignedUrl(s3(role), new GetObjectCommand(OBJECT), { expiresIn: 60, signingDate: new Date(NOW) });
  const good = new URL(url).searchParams.get('X-Amz-Signature')!;
  const tampered = (good[0] === '0' ? '1' : '0') + good.slice(1);
  const res = await fetch(withQuery(url, 'X-Amz-Signature', tampered));
  assert.equal(res.status, 403);
  const body = await res.text();
  assert.match(body, new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided\\. Check your key and signing method\\.</Message><AWSAccessKeyId>${role.accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n`));
  assert.match(body, new RegExp(`<SignatureProvided>${tampered}</SignatureProvided>`));
});
