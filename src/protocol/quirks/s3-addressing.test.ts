import { test } from 'node:test';
import assert from 'node:assert/strict';
import { s3PathStyle, virtualHostedBucket } from './s3-addressing.js';

test('virtual-hosted hosts name their bucket; path-style hosts none', () => {
  const cases: [string, string | undefined][] = [
    ['localhost:4566', undefined],
    ['127.0.0.1:4566', undefined],
    ['[::1]:4566', undefined],
    ['s3.localhost', undefined],
    ['s3.us-east-1.amazonaws.com', undefined],
    ['localhost.localstack.cloud:4566', undefined],
    ['nimbus:4566', undefined],
    ['my-bucket.localhost:4566', 'my-bucket'],
    ['my.dotted.bucket.localhost', 'my.dotted.bucket'],
    ['my-bucket.s3.localhost:4566', 'my-bucket'],
    ['my-bucket.s3.us-west-2.amazonaws.com', 'my-bucket'],
    ['my-bucket.s3-us-west-2.amazonaws.com', 'my-bucket'],
    ['s3.backup.s3.eu-west-1.example.com', 's3.backup'],
    ['my-bucket.s3.us-east-1.localhost.localstack.cloud:4566', 'my-bucket'],
  ];
  for (const [host, bucket] of cases) assert.equal(virtualHostedBucket(host), bucket, host);
});

test('the rewritten path puts the bucket first', () => {
  assert.equal(s3PathStyle('b.localhost:4566', '/'), '/b');
  assert.equal(s3PathStyle('b.localhost:4566', '/a/key'), '/b/a/key');
  assert.equal(s3PathStyle('b.localhost:4566', '//lead'), '/b//lead');
  assert.equal(s3PathStyle('localhost:4566', '/b/k'), undefined);
});
