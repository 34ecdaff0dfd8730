// The bench signer must agree with the SDK's own (@smithy/signature-v4), or a nimbus
// that verifies signatures would reject the replayed requests.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest } from './sigv4.mjs';

// The SDK's signer wants a hash constructor with update/digest (the shape of @aws-crypto/sha256-js).
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

test('signRequest matches the SDK signer for an STS query request', async () => {
  const date = new Date('2026-11-27T00:52:45Z');
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const headers = {
    host: '127.0.0.1:4566',
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'content-length': String(body.length),
  };
  const mine = signRequest({ method: 'POST', path: '/', headers, body }, {
    accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1', service: 'sts', date,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'sts', sha256: Sha256,
  });
  const theirs = await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', query: {}, body,
      headers: { ...headers, 'x-amz-content-sha256': mine.headers['x-amz-content-sha256'] },
    },
    { signingDate: date },
  );
  assert.equal(mine.headers.authorization, theirs.headers.authorization);
  assert.equal(mine.headers['x-amz-date'], '20261127T005245Z');
});

test('signRequest sorts the query string into canonical order', async () => {
  const date = new Date('2026-11-27T00:00:00Z');
  const request = { method: 'GET', path: '/?b=2&a=1', headers: { host: '127.0.0.1:4566' } };
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1', service: 's3', date };
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256 });
  const mine = signRequest(request, credentials);
  const theirs = await signer.sign(
    {
      method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', query: { b: '2', a: '1' },
      headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': mine.headers['x-amz-content-sha256'] },
    },
    { signingDate: date },
  );
  assert.equal(mine.headers.authorization, theirs.headers.authorization);
});
