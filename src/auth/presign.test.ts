/**
 * Presigned URLs, signed with the SDK signer's presign(): they verify within
 * their window, and S3 answers expiry with its AccessDenied fields while other
 * services apply their 15-minute window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { parseAuthorization, verifySignature, type VerifiableRequest } from './sigv4.js';
import type { AuthDialect } from './errors.js';
import type { ParsedAuth } from './types.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'FQoG/token+with=odd&chars' };
const SIGNING_DATE = new Date('2026-11-27T00:00:00Z');
const T0 = SIGNING_DATE.getTime();

async function presigned(service: string, path: string, query: Record<string, string>, expiresIn: number, extraHeaders: Record<string, string> = {}): Promise<VerifiableRequest> {
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: service !== 's3' });
  const host = `${service}.us-east-1.amazonaws.com`;
  // As @aws-sdk/s3-request-presigner does: S3 URLs sign UNSIGNED-PAYLOAD (hoisted into X-Amz-Content-Sha256).
  const payload: Record<string, string> = service === 's3' ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {};
  const req = new HttpRequest({ method: 'GET', protocol: 'https:', hostname: host, path, query, headers: { host, ...payload, ...extraHeaders } });
  const out = await signer.presign(req, { signingDate: SIGNING_DATE, expiresIn });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return { method: 'GET', path: out.path, rawQuery: buildQueryString(out.query as Record<string, string>), headers, body: Buffer.alloc(0), bodyRead: true };
}

function decodedQuery(raw: string): Record<string, string[]> {
  const q: Record<string, string[]> = {};
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    (q[decodeURIComponent(part.slice(0, eq))] ??= []).push(decodeURIComponent(part.slice(eq + 1)));
  }
  return q;
}

function auth(req: VerifiableRequest): ParsedAuth {
  const a = parseAuthorization(req.headers, decodedQuery(req.rawQuery));
  assert.ok(a);
  return a;
}

function check(req: VerifiableRequest, dialect: AuthDialect, now: number, secret = credentials.secretAccessKey) {
  return verifySignature(req, auth(req), secret, now, { dialect });
}

test('a presigned S3 GET parses into key, scope, expiry and token', async () => {
  const req = await presigned('s3', '/bkt/a%20b/%C3%BC', { 'x-id': 'GetObject' }, 3600);
  const a = auth(req);
  assert.equal(a.location, 'query');
  assert.equal(a.accessKeyId, 'AKIDEXAMPLE');
  assert.equal(a.region, 'us-east-1');
  assert.equal(a.service, 's3');
  assert.equal(a.scopeDate, '20261127');
  assert.equal(a.amzDate, '20261127T000000Z');
  assert.equal(a.expires, 3600);
  assert.equal(a.expiresAt, T0 + 3_600_000);
  assert.equal(a.securityToken, credentials.sessionToken);
  assert.deepEqual(a.signedHeaders, ['host']);
  assert.equal(a.problem, undefined);
});

test('an S3 URL presigned without X-Amz-Content-Sha256 is checked against UNSIGNED-PAYLOAD, as S3 does', async () => {
  const req = await presigned('s3', '/bkt/k', {}, 60);
  assert.equal(check(req, 's3', T0), undefined);
  const stripped = req.rawQuery.replace(/&?X-Amz-Content-Sha256=UNSIGNED-PAYLOAD/i, '');
  assert.equal(check({ ...req, rawQuery: stripped }, 's3', T0)?.code, 'SignatureDoesNotMatch');
});

test('a presigned S3 URL verifies within its window and not with another secret or query', async () => {
  const req = await presigned('s3', '/bkt/a%20b/%C3%BC', { 'x-id': 'GetObject', 'response-content-disposition': 'attachment; filename="x y.txt"' }, 3600);
  assert.equal(check(req, 's3', T0), undefined);
  assert.equal(check(req, 's3', T0 + 3_600_000), undefined);
  assert.equal(check(req, 's3', T0 - 14 * 60_000), undefined);
  assert.equal(check(req, 's3', T0, 'other')?.code, 'SignatureDoesNotMatch');
  assert.equal(check({ ...req, rawQuery: `${req.rawQuery}&extra=1` }, 's3', T0)?.code, 'SignatureDoesNotMatch');
  assert.equal(check({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=3600', 'X-Amz-Expires=3601') }, 's3', T0)?.code, 'SignatureDoesNotMatch');
});

test('an expired presigned S3 URL: AccessDenied "Request has expired" with X-Amz-Expires, Expires, ServerTime', async () => {
  const req = await presigned('s3', '/bkt/k', {}, 300);
  const err = check(req, 's3', T0 + 301_000)!;
  assert.deepEqual([err.code, err.status, err.message, err.fields], ['AccessDenied', 403, 'Request has expired',
    { 'X-Amz-Expires': '300', Expires: '2026-11-27T00:05:00Z', ServerTime: '2026-11-27T00:05:01Z' }]);
});

test('a presigned S3 URL dated ahead: AccessDenied "Request is not yet valid" (X-Amz-Date in epoch ms)', async () => {
  const req = await presigned('s3', '/bkt/k', {}, 60);
  const err = check(req, 's3', T0 - 16 * 60_000)!;
  assert.deepEqual([err.code, err.status, err.message, err.fields], ['AccessDenied', 403, 'Request is not yet valid',
    { 'X-Amz-Date': String(T0), Expires: '2026-11-27T00:01:00Z', ServerTime: '2026-11-26T23:44:00Z' }]);
});

test('S3 checks X-Amz-Expires: present, a number, not negative, at most a week', async () => {
  const req = await presigned('s3', '/bkt/k', {}, 60);
  const withExpires = (v: string | undefined) => {
    const raw = v === undefined ? req.rawQuery.replace(/&?X-Amz-Expires=60/, '') : req.rawQuery.replace('X-Amz-Expires=60', `X-Amz-Expires=${v}`);
    return check({ ...req, rawQuery: raw }, 's3', T0)!;
  };
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.'],
    ['abc', 'X-Amz-Expires should be a number'],
    ['-1', 'X-Amz-Expires must be non-negative'],
    ['604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
  ];
  for (const [value, message] of cases) {
    const err = withExpires(value);
    assert.deepEqual([err.code, err.status, err.message], ['AuthorizationQueryParametersError', 400, message]);
  }
  // A week exactly is allowed (and the changed value then fails only the signature).
  assert.equal(withExpires('604800').code, 'SignatureDoesNotMatch');
});

test('a presigned STS GetCallerIdentity (the EKS token form) verifies; expiry is the 15-minute window, not X-Amz-Expires', async () => {
  const req = await presigned('sts', '/', { Action: 'GetCallerIdentity', Version: '2011-06-15' }, 60, { 'x-k8s-aws-id': 'my-cluster' });
  assert.deepEqual(auth(req).signedHeaders, ['host', 'x-k8s-aws-id']);
  assert.equal(check(req, 'query', T0 + 10 * 60_000), undefined, 'STS ignores X-Amz-Expires');
  const err = check(req, 'query', T0 + 16 * 60_000)!;
  assert.deepEqual([err.code, err.status, err.message], ['SignatureDoesNotMatch', 403,
    'Signature expired: 20261127T000000Z is now earlier than 20261127T000100Z (20261127T001600Z - 15 min.)']);
  assert.equal(check({ ...req, headers: { ...req.headers, 'x-k8s-aws-id': 'other' } }, 'query', T0)?.code, 'SignatureDoesNotMatch');
});

test('presigned query problems: missing parameters, algorithm, credential, date', () => {
  const base = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': 'AKID/20261127/us-east-1/s3/aws4_request', 'X-Amz-Date': '20261127T000000Z',
    'X-Amz-Expires': '60', 'X-Amz-SignedHeaders': 'host', 'X-Amz-Signature': 'ab',
  };
  const problem = (q: Record<string, string>, dialect: AuthDialect) => {
    const a = parseAuthorization({ host: 'h' }, q)!;
    return verifySignature({ method: 'GET', path: '/', rawQuery: '', headers: { host: 'h' } }, a, 's', T0, { dialect })!;
  };
  const { 'X-Amz-Signature': _s, 'X-Amz-Date': _d, ...partial } = base;
  const coral = problem(partial, 'json');
  assert.deepEqual([coral.code, coral.message], ['IncompleteSignatureException',
    "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."]);
  assert.equal(parseAuthorization({}, partial)!.accessKeyId, 'AKID', 'the key is still read for routing');
  assert.equal(problem(partial, 's3').code, 'AuthorizationQueryParametersError');
  const algo = problem({ ...base, 'X-Amz-Algorithm': 'AWS4-HMAC-SHA1' }, 's3');
  assert.deepEqual([algo.code, algo.message], ['AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"']);
  const cred = problem({ ...base, 'X-Amz-Credential': 'AKID/20261127/us-east-1' }, 's3');
  assert.deepEqual([cred.code, cred.message], ['AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".']);
  const date = problem({ ...base, 'X-Amz-Date': '2026-11-27' }, 's3');
  assert.deepEqual([date.code, date.message], ['AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"']);
  const day = problem({ ...base, 'X-Amz-Date': '20261128T000000Z' }, 's3');
  assert.deepEqual([day.code, day.message], ['AuthorizationQueryParametersError', 'Invalid credential date "20261127". This date is not the same as X-Amz-Date: "20261128".']);
});

test('SigV4a presigned and SigV2 presigned queries are recognised for their key', () => {
  const v4a = parseAuthorization({}, {
    'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256', 'X-Amz-Credential': 'AKIDA/20261127/s3/aws4_request', 'X-Amz-Date': '20261127T000000Z',
    'X-Amz-SignedHeaders': 'host', 'X-Amz-Signature': '3045', 'X-Amz-Region-Set': 'eu-west-1,us-east-1', 'X-Amz-Expires': '60',
  })!;
  assert.deepEqual([v4a.version, v4a.accessKeyId, v4a.service, v4a.region, v4a.regionSet, v4a.problem], ['v4a', 'AKIDA', 's3', 'eu-west-1', ['eu-west-1', 'us-east-1'], undefined]);
  const v2 = parseAuthorization({}, { AWSAccessKeyId: 'AKIDV2', Signature: 'abc=', Expires: '1795000000' })!;
  assert.deepEqual([v2.version, v2.location, v2.accessKeyId, v2.expiresAt], ['v2', 'query', 'AKIDV2', 1_795_000_000_000]);
  const expired = verifySignature({ method: 'GET', path: '/b/k', rawQuery: '', headers: {} }, v2, 's', 1_795_000_001_000, { dialect: 's3' })!;
  assert.deepEqual([expired.code, expired.message, expired.fields], ['AccessDenied', 'Request has expired', { Expires: '2026-11-18T11:06:40Z', ServerTime: '2026-11-18T11:06:41Z' }]);
});
