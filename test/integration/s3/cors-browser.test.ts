/**
 * Bucket CORS as a browser meets it: preflights answered from the bucket's rules
 * (403 AccessForbidden when none matches), actual responses carrying the rule's
 * headers; services without rules of their own keep the permissive answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client, CreateBucketCommand, PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
before(async () => {
  cloud = await startTestNimbus();
  const s3 = new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'web-assets' }));
  await s3.send(new PutBucketCorsCommand({
    Bucket: 'web-assets',
    CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://app.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }] },
  }));
  await s3.send(new PutObjectCommand({ Bucket: 'web-assets', Key: 'a.txt', Body: 'hello' }));
  s3.destroy();
});
after(() => cloud.stop());

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
