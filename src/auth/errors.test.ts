/**
 * Garbled Authorization headers and the errors each front end answers for them,
 * with AWS's wording (coral services as quoted in dynalite's transcripts and SDK
 * issue reports; S3's from its XML error bodies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authShapeError, parseAuthorization, verifySignature } from './sigv4.js';
import {
  authProblemError, expiredTokenError, invalidSecurityTokenError, missingAuthenticationError, unknownAccessKeyError, wrongRegionError,
  type AuthDialect,
} from './errors.js';
import type { AuthHeaders } from './types.js';

const NOW = Date.UTC(2026, 10, 27, 0, 0, 0);
const GOOD = 'AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd';

function answer(headers: AuthHeaders, dialect: AuthDialect, query: Record<string, string> = {}): [string, number | undefined, string] {
  const auth = parseAuthorization(headers, query);
  assert.ok(auth?.problem, 'expected a problem');
  const e = authProblemError(auth.problem, dialect);
  return [e.code, e.status, e.message];
}

test('no credentials at all: undefined, so the gateway can treat S3 requests as anonymous', () => {
  assert.equal(parseAuthorization({ host: 'h' }, {}), undefined);
  assert.deepEqual(
    (['json', 'query', 'rest-json', 's3'] as const).map((d) => { const e = missingAuthenticationError(d); return [e.code, e.status, e.message]; }),
    [
      ['MissingAuthenticationTokenException', 400, 'Request is missing Authentication Token'],
      ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
      ['MissingAuthenticationTokenException', 403, 'Request is missing Authentication Token'],
      ['AccessDenied', 403, 'Access Denied'],
    ],
  );
});

test('a well-formed header parses into key, scope, date, signed headers, signature, token', () => {
  const auth = parseAuthorization({ authorization: GOOD, 'x-amz-date': '20261127T010203Z', 'x-amz-security-token': 'tok' }, {})!;
  assert.deepEqual(auth, {
    version: 'v4', location: 'header', algorithm: 'AWS4-HMAC-SHA256', accessKeyId: 'AKID', scopeDate: '20261127', region: 'us-east-1',
    service: 'sts', credentialScope: '20261127/us-east-1/sts/aws4_request', amzDate: '20261127T010203Z', signedHeaders: ['host', 'x-amz-date'],
    signature: 'abcd', securityToken: 'tok',
  });
});

test('a Date header stands in for X-Amz-Date', () => {
  const auth = parseAuthorization({ authorization: GOOD, date: 'Fri, 27 Nov 2026 01:02:03 GMT' }, {})!;
  assert.equal(auth.amzDate, '20261127T010203Z');
  assert.equal(auth.problem, undefined);
});

test('missing components and date: IncompleteSignature listing them, quoting the header', () => {
  assert.deepEqual(answer({ authorization: 'Bearer eyJhbGciOi' }, 'json'), ['IncompleteSignatureException', 400,
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer eyJhbGciOi"]);
  assert.deepEqual(answer({ authorization: 'AWS4- Signature=b Credential=a', date: 'a' }, 'query'), ['IncompleteSignature', 400,
    "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b Credential=a"]);
  assert.deepEqual(answer({ authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x' }, 'json')[2],
    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x");
});

test('a stray word after a pair: "not a valid key=value pair (missing equal-sign)"', () => {
  const header = 'AWS4-HMAC-SHA256 Credential= AKID/20261127/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab';
  assert.deepEqual(answer({ authorization: header, 'x-amz-date': '20261127T000000Z' }, 'query'), ['IncompleteSignature', 400,
    `'AKID/20261127/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`]);
});

test('unknown algorithm, malformed credential, bad terminator, bad date, date not the scope\'s', () => {
  const h = (authorization: string, date = '20261127T000000Z') => ({ authorization, 'x-amz-date': date });
  assert.deepEqual(answer(h('AWS4-HMAC-SHA25 Credential=a/20261127/r/s/aws4_request, SignedHeaders=host, Signature=x'), 'json'), ['IncompleteSignatureException', 400,
    "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). "]);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x'), 'json'), ['IncompleteSignatureException', 400,
    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'"]);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261127/r/s/aws4_reques, SignedHeaders=host, Signature=x'), 'query'), ['SignatureDoesNotMatch', 403,
    "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. "]);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261127/r/s/aws4_request, SignedHeaders=host, Signature=x', '201'), 'json'), ['IncompleteSignatureException', 400,
    "Date must be in ISO-8601 'basic format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"]);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261126/r/s/aws4_request, SignedHeaders=host, Signature=x'), 'json'), ['InvalidSignatureException', 400,
    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261126' != '20261127', from '20261127T000000Z'."]);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261126/r/s/aws4_request, SignedHeaders=host, Signature=x'), 'ec2'), ['AuthFailure', 401,
    'AWS was not able to validate the provided access credentials']);
});

test('garbled headers keep what can be read, so the error can be routed', () => {
  const headers = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261127/eu-west-1/dynamodb/aws4_request, Signature=x' };
  const auth = parseAuthorization(headers, {})!;
  assert.deepEqual([auth.problem?.kind, auth.accessKeyId, auth.region, auth.service], ['header-incomplete', 'AKID', 'eu-west-1', 'dynamodb']);
  const shaped = authShapeError({ method: 'POST', path: '/', rawQuery: '', headers, service: { name: 'dynamodb' }, codec: { name: 'json' } }, auth)!;
  assert.deepEqual([shaped.code, shaped.status], ['IncompleteSignatureException', 400]);
  const good = parseAuthorization({ authorization: GOOD, 'x-amz-date': '20261127T000000Z' }, {})!;
  assert.equal(authShapeError({ method: 'GET', path: '/', rawQuery: '', headers: {} }, good), undefined);
});

test('S3\'s answers to the same problems', () => {
  const h = (authorization: string, date = '20261127T000000Z') => ({ authorization, 'x-amz-date': date });
  assert.deepEqual(answer({ authorization: 'Bearer x' }, 's3'), ['InvalidArgument', 400, 'Unsupported Authorization Type']);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261127/r/s3/aws4_request, Signature=x'), 's3'), ['AuthorizationHeaderMalformed', 400,
    'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.']);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261127/r, SignedHeaders=host, Signature=x'), 's3'), ['AuthorizationHeaderMalformed', 400,
    'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".']);
  assert.deepEqual(answer({ authorization: 'AWS4-HMAC-SHA256 Credential=a/20261127/r/s3/aws4_request, SignedHeaders=host, Signature=x' }, 's3'), ['AccessDenied', 400,
    'AWS authentication requires a valid Date or x-amz-date header']);
  assert.deepEqual(answer(h('AWS4-HMAC-SHA256 Credential=a/20261126/r/s3/aws4_request, SignedHeaders=host, Signature=x'), 's3'), ['AuthorizationHeaderMalformed', 400,
    'The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.']);
  const both = answer(h(GOOD), 's3', { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
  assert.deepEqual(both, ['InvalidArgument', 400, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified']);
  assert.deepEqual(answer(h(GOOD), 'json', { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' }), ['InvalidSignatureException', 400,
    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."]);
});

test('SigV2 and SigV4a headers yield their key and scope', () => {
  const v2 = parseAuthorization({ authorization: 'AWS AKIAV2EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }, {})!;
  assert.deepEqual([v2.version, v2.accessKeyId, v2.signature, v2.problem], ['v2', 'AKIAV2EXAMPLE', 'frJIUN8DYpKDtOLCwo//yllqDzg=', undefined]);
  assert.equal(verifySignature({ method: 'GET', path: '/', rawQuery: '', headers: {} }, v2, 'x', NOW, { dialect: 's3' }), undefined, 'SigV2 is recognised, not verified');
  const toDynamo = verifySignature({ method: 'GET', path: '/', rawQuery: '', headers: { authorization: 'AWS AKIAV2EXAMPLE:sig' } }, v2, 'x', NOW, { dialect: 'json' })!;
  assert.equal(toDynamo.code, 'IncompleteSignatureException');
  const v4a = parseAuthorization({
    authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKIDA/20261127/s3/aws4_request, SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100ab',
    'x-amz-date': '20261127T000000Z', 'x-amz-region-set': 'us-west-2, us-east-1',
  }, {})!;
  assert.deepEqual([v4a.version, v4a.accessKeyId, v4a.scopeDate, v4a.service, v4a.region, v4a.regionSet, v4a.credentialScope, v4a.problem],
    ['v4a', 'AKIDA', '20261127', 's3', 'us-west-2', ['us-west-2', 'us-east-1'], '20261127/s3/aws4_request', undefined]);
  assert.equal(verifySignature({ method: 'GET', path: '/', rawQuery: '', headers: {} }, v4a, 'x', NOW, { dialect: 's3' }), undefined);
  assert.equal(verifySignature({ method: 'GET', path: '/', rawQuery: '', headers: {} }, v4a, 'x', NOW + 3_600_000, { dialect: 's3' })?.code, 'RequestTimeTooSkewed');
});

test('credential errors for the lead\'s credential registry, per dialect', () => {
  const u = unknownAccessKeyError('s3', 'AKIDX');
  assert.deepEqual([u.code, u.status, u.message, u.fields], ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: 'AKIDX' }]);
  const q = unknownAccessKeyError('query', 'AKIDX');
  assert.deepEqual([q.code, q.status, q.message], ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.']);
  const j = unknownAccessKeyError('json', 'AKIDX');
  assert.deepEqual([j.code, j.status, j.message], ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.']);
  assert.deepEqual([invalidSecurityTokenError('s3').code, invalidSecurityTokenError('s3').message], ['InvalidToken', 'The provided token is malformed or otherwise invalid.']);
  assert.deepEqual([expiredTokenError('query').code, expiredTokenError('query').status], ['ExpiredToken', 403]);
  assert.deepEqual([expiredTokenError('json').code, expiredTokenError('json').message], ['ExpiredTokenException', 'The security token included in the request is expired']);
  const r = wrongRegionError('us-east-1', 'eu-west-1');
  assert.deepEqual([r.code, r.status, r.message, r.fields], ['AuthorizationHeaderMalformed', 400,
    "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", { Region: 'eu-west-1' }]);
});
