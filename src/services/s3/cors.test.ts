/** The CORS rule engine, by table: origin wildcards, methods, request headers, S3's 403 messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actualRequestHeaders, matchCorsRule, preflight, wildcardMatch } from './cors.js';
import { isServiceError } from '../../shared/errors.js';
import type { CORSRule } from '../../models/generated/s3.js';

const RULES: CORSRule[] = [
  { ID: 'app', AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
  { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
];

test('wildcards: one * matches any run; exact otherwise; headers case-insensitive', () => {
  const cases: [string, string, boolean, boolean][] = [
    ['https://*.example.com', 'https://app.example.com', false, true],
    ['https://*.example.com', 'https://example.com', false, false],
    ['*', 'http://anything', false, true],
    ['http://a.com', 'http://a.com', false, true],
    ['http://a.com', 'http://A.com', false, false],
    ['x-amz-*', 'X-Amz-Date', true, true],
  ];
  for (const [p, v, ci, want] of cases) assert.equal(wildcardMatch(p, v, ci), want, `${p} ~ ${v}`);
});

test('the first rule admitting origin, method and every requested header applies', () => {
  assert.equal(matchCorsRule(RULES, 'https://app.example.com', 'PUT', ['content-type', 'x-amz-date'])?.ID, 'app');
  assert.equal(matchCorsRule(RULES, 'https://app.example.com', 'PUT', ['authorization']), undefined);
  assert.equal(matchCorsRule(RULES, 'http://other.org', 'GET', [])?.AllowedOrigins[0], '*');
  assert.equal(matchCorsRule(RULES, 'http://other.org', 'DELETE', []), undefined);
});

test('preflight answers the rule headers; 403 AccessForbidden when none matches or CORS is off', () => {
  assert.deepEqual(preflight(RULES, 'https://app.example.com', 'PUT', 'Content-Type, X-Amz-Date'), {
    'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'GET, PUT', 'Access-Control-Allow-Headers': 'content-type, x-amz-date',
    'Access-Control-Expose-Headers': 'ETag', 'Access-Control-Max-Age': '600',
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  });
  assert.equal(preflight(RULES, 'http://x.org', 'GET', undefined)['Access-Control-Allow-Origin'], '*');
  try {
    preflight(RULES, 'http://x.org', 'DELETE', undefined);
    assert.fail('expected 403');
  } catch (e) {
    assert.ok(isServiceError(e));
    assert.deepEqual([e.code, e.status, e.fields], ['AccessForbidden', 403, { Method: 'DELETE', ResourceType: 'OBJECT' }]);
    assert.match(e.message, /^CORSResponse: This CORS request is not allowed\./);
  }
  assert.throws(() => preflight(undefined, 'http://x.org', 'GET', undefined), { message: 'CORSResponse: CORS is not enabled for this bucket.' });
});

test('actual requests get the matching rule headers, or none', () => {
  assert.equal(actualRequestHeaders(RULES, 'https://app.example.com', 'GET')['Access-Control-Expose-Headers'], 'ETag');
  assert.deepEqual(actualRequestHeaders(RULES, 'http://x.org', 'PUT'), {});
  assert.deepEqual(actualRequestHeaders(undefined, 'http://x.org', 'GET'), {});
});
