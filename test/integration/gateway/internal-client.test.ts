/**
 * The internal client: in-process calls through the same provider lookup and
 * validation as an external request, as a given principal, with 501s and
 * validation errors thrown as the ServiceError an external caller would get.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Gateway } from '../../../src/gateway/gateway.js';
import { Storage } from '../../../src/state/storage.js';
import { CredentialStore } from '../../../src/state/credentials.js';
import { sts } from '../../../src/services/sts/index.js';
import { DEFAULT_CONFIG } from '../../../src/config.js';
import { createLogger } from '../../../src/shared/logger.js';
import { isServiceError } from '../../../src/shared/errors.js';
import type { Principal } from '../../../src/shared/principal.js';
import { fails } from '../../helpers/errors.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
let storage: Storage;
let credentials: CredentialStore;
let gateway: Gateway;

before(async () => {
  storage = new Storage({ ephemeral: true });
  credentials = new CredentialStore(storage);
  const config = { ...DEFAULT_CONFIG, ephemeral: true, port: 0 };
  // STS alone: every other service stays unimplemented whatever nimbus grows to implement.
  gateway = new Gateway(config, storage, credentials, createLogger({ level: 'off' }), { now: () => NOW }, [sts]);
  await gateway.start();
});
after(() => storage.close());

const ASSUMED: Principal = {
  account: '210987654321',
  arn: 'arn:aws:sts::210987654321:assumed-role/Builder/internal',
  userId: 'AROAEXAMPLEEXAMPLE1234:internal',
  type: 'assumed-role',
  roleArn: 'arn:aws:iam::210987654321:role/Builder',
};

test('sts GetCallerIdentity answers as the given principal', async () => {
  const out = await gateway.internal.call('sts', 'GetCallerIdentity', {}, { principal: ASSUMED });
  assert.deepEqual(out, { UserId: ASSUMED.userId, Account: '210987654321', Arn: ASSUMED.arn });
});

test('without a principal the call is made as the root of the given account, or of the default one', async () => {
  assert.deepEqual(await gateway.internal.call('sts', 'GetCallerIdentity', {}), {
    UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root',
  });
  assert.deepEqual(await gateway.internal.call('sts', 'GetCallerIdentity', {}, { account: '111122223333' }), {
    UserId: '111122223333', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:root',
  });
});

test('a call that writes state does so as an external one would: AssumeRole issues credentials the gateway knows', async () => {
  const out = await gateway.internal.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/Worker', RoleSessionName: 'from-inside', DurationSeconds: 900 });
  const creds = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
  const user = out.AssumedRoleUser as { AssumedRoleId: string; Arn: string };
  assert.equal(user.Arn, 'arn:aws:sts::123456789012:assumed-role/Worker/from-inside');
  assert.match(user.AssumedRoleId, /^AROA[A-Z2-7]{17}:from-inside$/);
  assert.equal(creds.Expiration.getTime(), NOW + 900_000, 'the gateway clock is the context clock');
  const issued = credentials.get(creds.AccessKeyId)!;
  assert.equal(issued.secretAccessKey, creds.SecretAccessKey);
  assert.equal(issued.sessionToken, creds.SessionToken);
  assert.equal(issued.principal.arn, 'arn:aws:sts::123456789012:assumed-role/Worker/from-inside');
});

test('an operation nimbus does not implement throws the 501 ServiceError and is counted', async () => {
  const before = gateway.unimplementedCalls.get('sts:DecodeAuthorizationMessage') ?? 0;
  const e = await fails(gateway.internal.call('sts', 'DecodeAuthorizationMessage', { EncodedMessage: 'abc' }), isServiceError);
  assert.equal(e.code, 'NotImplemented');
  assert.equal(e.status, 501);
  assert.equal(e.senderFault, false);
  assert.equal(e.message, 'The operation DecodeAuthorizationMessage of service sts is not implemented by nimbus yet');
  assert.equal(gateway.unimplementedCalls.get('sts:DecodeAuthorizationMessage'), before + 1);
});

test('a service nimbus does not implement throws the 501 ServiceError too', async () => {
  const e = await fails(gateway.internal.call('sqs', 'ListQueues', {}), isServiceError);
  assert.equal(e.code, 'NotImplemented');
  assert.equal(e.status, 501);
  assert.equal(e.message, 'The operation ListQueues of service sqs is not implemented by nimbus yet');
});

test('input is validated against the model, in the service\'s words', async () => {
  const bad = await fails(gateway.internal.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'bad/name' }), isServiceError);
  assert.equal(bad.code, 'ValidationError');
  assert.equal(bad.status, 400);
  assert.equal(bad.message, "1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const missing = await fails(gateway.internal.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/R' }), isServiceError);
  assert.equal(missing.code, 'ValidationError');
  assert.equal(missing.message, "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
});

test('the service\'s own errors come through as thrown', async () => {
  const e = await fails(gateway.internal.call('sts', 'AssumeRole', { RoleArn: 'arn:aws:s3:::not-a-role-at-all', RoleSessionName: 'x1' }), isServiceError);
  assert.equal(e.code, 'ValidationError');
  assert.equal(e.message, 'Request ARN is invalid');
});

test('unknown services and operations are refused', async () => {
  const service = await fails(gateway.internal.call('no-such-service', 'Anything', {}), isServiceError);
  assert.equal(service.code, 'UnknownService');
  assert.equal(service.message, 'No service no-such-service');
  const op = await fails(gateway.internal.call('sts', 'NoSuchOperation', {}), isServiceError);
  assert.equal(op.code, 'InvalidAction');
  assert.equal(op.message, 'No operation NoSuchOperation in sts');
});
