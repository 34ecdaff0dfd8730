/**
 * STS through the real @aws-sdk/client-sts against a started nimbus: identities,
 * temporary credentials recognized by the gateway, signature checks, 501s, validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand, DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand, GetFederationTokenCommand,
} from '@aws-sdk/client-sts';
import { clientConfig } from '../../helpers/nimbus.js';
import { startNimbus } from '../../../src/nimbus.js';
import { failure } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

let now = Date.now();
const clock = { now: () => now };

const { cloud } = nimbusHarness({ clock });

function sts(credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new STSClient(clientConfig(cloud.endpoint, credentials as { accessKeyId: string; secretAccessKey: string }));
}

test('GetCallerIdentity with test/test is the root of account 000000000000', async () => {
  const out = await sts().send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '000000000000');
  assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
  assert.equal(out.UserId, '000000000000');
  assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
});

test('a 12-digit access key id names its own account', async () => {
  const out = await sts({ accessKeyId: '111122223333', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({}));
  assert.equal(out.Account, '111122223333');
  assert.equal(out.Arn, 'arn:aws:iam::111122223333:root');
});

test('AssumeRole issues credentials that are reported as the assumed-role ARN', async () => {
  const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/app/Deployer', RoleSessionName: 'ci-run' }));
  const c = out.Credentials!;
  assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(c.SecretAccessKey!.length, 40);
  assert.ok(c.SessionToken!.length > 100);
  assert.ok(c.Expiration instanceof Date);
  assert.equal(Math.round((c.Expiration!.getTime() - now) / 1000 / 60), 60);
  assert.equal(out.AssumedRoleUser!.Arn, 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-run');
  assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:ci-run$/);
  assert.equal(out.PackedPolicySize, undefined);

  const me = await sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Account, '123456789012');
  assert.equal(me.Arn, 'arn:aws:sts::123456789012:assumed-role/Deployer/ci-run');
  assert.equal(me.UserId, out.AssumedRoleUser!.AssumedRoleId);

  const info = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: c.AccessKeyId! }));
  assert.equal(info.Account, '123456789012');
});

test('an issued key signed with the wrong secret is refused with SignatureDoesNotMatch (403)', async () => {
  const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 's' + 'x' }));
  const c = out.Credentials!;
  const e = await failure(sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: 'wrong' + c.SecretAccessKey!.slice(5), sessionToken: c.SessionToken! }).send(new GetCallerIdentityCommand({})));
  assert.equal(e.name, 'SignatureDoesNotMatch');
  assert.equal(e.status, 403);
  assert.match(e.message, /^The request signature we calculated does not match the signature you provided/);
});

test('temporary credentials without their session token are refused', async () => {
  const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'nosession' }));
  const c = out.Credentials!;
  const e = await failure(sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! }).send(new GetCallerIdentityCommand({})));
  assert.equal(e.name, 'InvalidClientTokenId');
  assert.equal(e.status, 403);
  assert.equal(e.message, 'The security token included in the request is invalid.');
});

test('expired temporary credentials answer ExpiredToken', async () => {
  const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'short', DurationSeconds: 900 }));
  const c = out.Credentials!;
  const saved = now;
  now += 901_000;
  try {
    // The client signs at the server's (moved) time, as a real client would after 15 minutes.
    const late = new STSClient({ ...clientConfig(cloud.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } as never), systemClockOffset: 901_000 });
    const e = await failure(late.send(new GetCallerIdentityCommand({})));
    assert.equal(e.name, 'ExpiredToken');
    assert.equal(e.message, 'The security token included in the request is expired');
  } finally {
    now = saved;
  }
});

test('role chaining beyond one hour is refused', async () => {
  const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/A', RoleSessionName: 'one' }));
  const c = out.Credentials!;
  const chained = sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const e = await failure(chained.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/B', RoleSessionName: 'two', DurationSeconds: 7200 })));
  assert.equal(e.name, 'ValidationError');
  const ok = await chained.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/B', RoleSessionName: 'two' }));
  assert.equal(ok.AssumedRoleUser!.Arn, 'arn:aws:sts::123456789012:assumed-role/B/two');
});

test('GetSessionToken keeps the caller identity; session credentials cannot call it again', async () => {
  const out = await sts({ accessKeyId: '444455556666', secretAccessKey: 'test' }).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  const c = out.Credentials!;
  const client = sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
  const me = await client.send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, 'arn:aws:iam::444455556666:root');
  const e = await failure(client.send(new GetSessionTokenCommand({})));
  assert.equal(e.name, 'AccessDenied');
  assert.equal(e.message, 'Cannot call GetSessionToken with session credentials');
});

test('GetFederationToken reports the federated user', async () => {
  const out = await sts().send(new GetFederationTokenCommand({ Name: 'Bob', DurationSeconds: 900 }));
  assert.equal(out.FederatedUser!.Arn, 'arn:aws:sts::000000000000:federated-user/Bob');
  assert.equal(out.FederatedUser!.FederatedUserId, '000000000000:Bob');
});

test('a malformed role ARN is a ValidationError', async () => {
  const e = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:s3:::not-a-role-at-all', RoleSessionName: 'x1' })));
  assert.equal(e.name, 'ValidationError');
  assert.equal(e.status, 400);
  assert.equal(e.message, 'Request ARN is invalid');
});

test('model constraints are validated with AWS sentences', async () => {
  const e = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'bad/name' })));
  assert.equal(e.name, 'ValidationError');
  assert.equal(e.status, 400);
  assert.equal(e.message, "1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const d = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'ok', DurationSeconds: 60 })));
  assert.equal(d.message, "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
});

test('an operation nimbus does not implement answers 501 naming it', async () => {
  const e = await failure(sts().send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'abc' })));
  assert.equal(e.status, 501);
  assert.equal(e.name, 'NotImplemented');
  assert.equal(e.message, 'The operation DecodeAuthorizationMessage of service sts is not implemented by nimbus yet');
});

test('issued credentials survive a restart with persistence on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-sts-'));
  try {
    let n = await startNimbus({ dataDir: dir, port: 0, logLevel: 'off' });
    const out = await new STSClient(clientConfig(n.endpoint)).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/Keep', RoleSessionName: 'kept' }));
    await n.stop();
    n = await startNimbus({ dataDir: dir, port: 0, logLevel: 'off' });
    try {
      const c = out.Credentials!;
      const me = await new STSClient(clientConfig(n.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } as never)).send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, 'arn:aws:sts::123456789012:assumed-role/Keep/kept');
    } finally {
      await n.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
