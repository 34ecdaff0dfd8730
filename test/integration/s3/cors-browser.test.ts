/**
 * Bucket CORS as a browser meets it: preflights answered from the bucket's rules
 * (403 AccessForbidden when none matches), actual responses carrying the rule's
 * headers; services without rules of their own keep the permissive answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3 } = s3Harness({
  buckets: ['web-assets'],
  setup: async () => {
    await s3.send(new PutBucketCorsCommand({
      Bucket: 'web-assets',
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://app.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }] },
    }));
    await s3.send(new PutObjectCommand({ Bucket: 'web-assets', Key: 'a.txt', Body: 'hello' }));
  },
});

test('a preflight matching a bucket rule gets that rule\'s headers', async () => {
  const res = await fetch(`${cloud.endpoint}/web-assets/a.txt`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://app.example');
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
  assert.equal(res.headers.get('access-control-max-age'), '600');
});

test('a preflight no rule allows is refused with S3\'s 403 AccessForbidden', async () => {
  const res = await fetch(`${cloud.endpoint}/web-assets/a.txt`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } });
  assert.equal(res.status, 403);
  const body = await res.text();
  assert.match(body, /<Code>AccessForbidden<\/Code>/);
  assert.match(body, /<Message>CORSResponse: /);
});

test('an actual request from an allowed origin carries the rule\'s headers', async () => {
  const res = await fetch(`${cloud.endpoint}/web-assets/a.txt`, { headers: { origin: 'http://app.example' } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'hello');
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://app.example');
  assert.match(res.headers.get('access-control-expose-headers') ?? '', /ETag/);
});

test('a preflight to the service root (JSON and query services from a browser) stays permissive', async () => {
  const res = await fetch(`${cloud.endpoint}/`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target,content-type' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://app.example');
  assert.equal(res.headers.get('access-control-allow-headers'), 'x-amz-target,content-type');
});
