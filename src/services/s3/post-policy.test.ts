/** POST form signatures: SigV4 over the base64 policy, SigV2 (HMAC-SHA1), missing fields, unknown keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { postSigner } from './post-policy.js';

const POLICY = Buffer.from('{"expiration":"2030-01-01T00:00:00Z","conditions":[]}').toString('base64');
const resolve = (key: string) => (key === 'AKID' ? { principal: 'root', secret: 'secret' } : undefined);

function v4Signature(secret: string, date: string, region: string, policy: string): string {
  const key = [date, region, 's3', 'aws4_request'].reduce<Buffer>((k, p) => createHmac('sha256', k).update(p).digest(), Buffer.from(`AWS4${secret}`));
  return createHmac('sha256', key).update(policy).digest('hex');
}

const v4 = (signature: string, key = 'AKID') => new Map([
  ['x-amz-algorithm', 'AWS4-HMAC-SHA256'], ['x-amz-credential', `${key}/20300101/eu-west-1/s3/aws4_request`],
  ['x-amz-date', '20300101T000000Z'], ['policy', POLICY], ['x-amz-signature', signature],
]);

test('SigV4: a good signature names the signer; a bad one is SignatureDoesNotMatch', () => {
  assert.deepEqual(postSigner(v4(v4Signature('secret', '20300101', 'eu-west-1', POLICY)), resolve), { principal: 'root', secret: 'secret' });
  assert.throws(() => postSigner(v4(v4Signature('other', '20300101', 'eu-west-1', POLICY)), resolve), { code: 'SignatureDoesNotMatch' });
  assert.throws(() => postSigner(v4('00', 'NOPE'), resolve), { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' });
  const noDate = v4('00');
  noDate.delete('x-amz-date');
  assert.throws(() => postSigner(noDate, resolve), { code: 'InvalidArgument', message: "Bucket POST must contain a field named 'x-amz-date'.  If it is specified, please check the order of the fields." });
});

test('SigV2: HMAC-SHA1 of the policy, base64; unsigned forms have no signer', () => {
  const good = createHmac('sha1', 'secret').update(POLICY).digest('base64');
  assert.deepEqual(postSigner(new Map([['awsaccesskeyid', 'AKID'], ['policy', POLICY], ['signature', good]]), resolve), { principal: 'root', secret: 'secret' });
  assert.throws(() => postSigner(new Map([['awsaccesskeyid', 'AKID'], ['policy', POLICY], ['signature', 'x']]), resolve), { code: 'SignatureDoesNotMatch' });
  assert.equal(postSigner(new Map([['key', 'k']]), resolve), undefined);
});
