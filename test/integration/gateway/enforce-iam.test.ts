/**
 * Authentication with and without --enforce-iam, through the real STS client:
 * enforced, only the `test` key, 12-digit account keys (secret `test`) and keys
 * nimbus issued are accepted, each with a signature that must match; without it,
 * unknown keys are the default account and the local keys' signatures are not checked.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';
import { fails } from '../../helpers/errors.js';

const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function sts(cloud: Nimbus, credentials: Creds): STSClient {
  return new STSClient(clientConfig(cloud.endpoint, credentials));
}

describe('with --enforce-iam', () => {
  let cloud: Nimbus;
  before(async () => {
    cloud = await startTestNimbus({ enforceIam: true });
  });
  after(() => cloud.stop());

  test('test/test signed correctly is the root of the default account', async () => {
    const out = await sts(cloud, { accessKeyId: 'test', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ UserId: out.UserId, Account: out.Account, Arn: out.Arn }, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  test('test with a wrong secret is SignatureDoesNotMatch (403) with the canonical request and string to sign', async () => {
    const e = await fails(sts(cloud, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' }).send(new GetCallerIdentityCommand({})));
    assert.equal(e.name, 'SignatureDoesNotMatch');
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.equal(e.Type, 'Sender');
    assert.ok(e.message.startsWith(`${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'POST\n/\n\n`), e.message);
    assert.match(e.message, /\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/sts\/aws4_request\n[0-9a-f]{64}'\n$/);
  });

  test('an unknown access key is InvalidClientTokenId (403)', async () => {
    const e = await fails(sts(cloud, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }).send(new GetCallerIdentityCommand({})));
    assert.equal(e.name, 'InvalidClientTokenId');
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.equal(e.message, 'The security token included in the request is invalid.');
  });

  test('no Authorization at all is MissingAuthenticationToken (403), in the query error form', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('content-type'), 'text/xml');
    const requestId = res.headers.get('x-amzn-requestid');
    assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(await res.text(),
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>' +
      `<Message>Request is missing Authentication Token</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
  });

  test('a 12-digit key signed with secret test works and names its account; another secret does not', async () => {
    const out = await sts(cloud, { accessKeyId: '111122223333', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '111122223333');
    assert.equal(out.Arn, 'arn:aws:iam::111122223333:root');
    const e = await fails(sts(cloud, { accessKeyId: '111122223333', secretAccessKey: 'other' }).send(new GetCallerIdentityCommand({})));
    assert.equal(e.name, 'SignatureDoesNotMatch');
    assert.equal(e.$metadata.httpStatusCode, 403);
  });

  test('keys nimbus issued work with their own secret and token only', async () => {
    const out = await sts(cloud, { accessKeyId: 'test', secretAccessKey: 'test' }).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Enforced', RoleSessionName: 'strict' }));
    const c = out.Credentials!;
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const me = await sts(cloud, creds).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:sts::123456789012:assumed-role/Enforced/strict');
    const wrong = await fails(sts(cloud, { ...creds, secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({})));
    assert.equal(wrong.name, 'SignatureDoesNotMatch');
    const noToken = await fails(sts(cloud, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }).send(new GetCallerIdentityCommand({})));
    assert.equal(noToken.name, 'InvalidClientTokenId');
    assert.equal(noToken.message, 'The security token included in the request is invalid.');
  });
});

describe('without --enforce-iam', () => {
  let cloud: Nimbus;
  before(async () => {
    cloud = await startTestNimbus();
  });
  after(() => cloud.stop());

  test('an unknown access key is the root of the default account', async () => {
    const out = await sts(cloud, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '000000000000');
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
  });

  test('test with a wrong secret passes; so does a 12-digit key, naming its account', async () => {
    const out = await sts(cloud, { accessKeyId: 'test', secretAccessKey: 'anything' }).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '000000000000');
    const other = await sts(cloud, { accessKeyId: '444455556666', secretAccessKey: 'anything' }).send(new GetCallerIdentityCommand({}));
    assert.equal(other.Account, '444455556666');
  });

  test('no Authorization at all is served as the default account', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
  });

  test('keys nimbus issued are still checked', async () => {
    const out = await sts(cloud, { accessKeyId: 'test', secretAccessKey: 'test' }).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Lax', RoleSessionName: 'lax' }));
    const c = out.Credentials!;
    const e = await fails(sts(cloud, { accessKeyId: c.AccessKeyId!, secretAccessKey: 'test', sessionToken: c.SessionToken! }).send(new GetCallerIdentityCommand({})));
    assert.equal(e.name, 'SignatureDoesNotMatch');
    assert.equal(e.$metadata.httpStatusCode, 403);
  });
});
