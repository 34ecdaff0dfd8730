/**
 * S3 Object Lock through the SDK v3 (user guide, "Locking objects with Object Lock"):
 * lock-enabled buckets, default retention, retention and legal hold per version, what
 * they forbid (403 "Access Denied because object protected by object lock."), and the
 * errors of buckets without Object Lock; one boto3 check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, DeleteObjectsCommand,
  CopyObjectCommand, PutBucketVersioningCommand, GetBucketVersioningCommand, DeleteBucketCommand,
  PutObjectLockConfigurationCommand, GetObjectLockConfigurationCommand, PutObjectRetentionCommand, GetObjectRetentionCommand,
  PutObjectLegalHoldCommand, GetObjectLegalHoldCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runBoto3 } from '../../helpers/nimbus.js';
import { fails, type SdkError } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const DAY = 86_400_000;
let offset = 0;
const clock = { now: () => Date.now() + offset };
const { cloud, s3, client } = s3Harness({ nimbus: { clock } });

function assertError(e: SdkError, name: string, status: number, message: string): void {
  assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.message], [name, status, message]);
}

const PROTECTED = 'Access Denied because object protected by object lock.';

async function lockedBucket(name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: true }));
}

test('a bucket created with Object Lock is versioned for good and reports its configuration', async () => {
  await lockedBucket('lock-new');
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'lock-new' }))).Status, 'Enabled');
  assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-new' }))).ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled' });
  const e = await fails(s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-new', VersioningConfiguration: { Status: 'Suspended' } })));
  assertError(e, 'InvalidBucketState', 409, 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-new', VersioningConfiguration: { Status: 'Enabled' } }));
});

test('buckets without Object Lock refuse lock operations and lock headers', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'lock-none' }));
  await s3.send(new PutObjectCommand({ Bucket: 'lock-none', Key: 'k', Body: 'x' }));
  const get = await fails(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-none' })));
  assertError(get, 'ObjectLockConfigurationNotFoundError', 404, 'Object Lock configuration does not exist for this bucket');
  assert.equal(get.BucketName, 'lock-none');
  const until = new Date(clock.now() + DAY);
  for (const call of [
    () => s3.send(new PutObjectRetentionCommand({ Bucket: 'lock-none', Key: 'k', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until } })),
    () => s3.send(new GetObjectRetentionCommand({ Bucket: 'lock-none', Key: 'k' })),
    () => s3.send(new PutObjectLegalHoldCommand({ Bucket: 'lock-none', Key: 'k', LegalHold: { Status: 'ON' } })),
    () => s3.send(new GetObjectLegalHoldCommand({ Bucket: 'lock-none', Key: 'k' })),
  ]) assertError(await fails(call()), 'InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');
  const put = await fails(s3.send(new PutObjectCommand({ Bucket: 'lock-none', Key: 'k2', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until })));
  assertError(put, 'InvalidRequest', 400, 'Bucket is missing ObjectLockConfiguration');
  const mpu = await fails(s3.send(new CreateMultipartUploadCommand({ Bucket: 'lock-none', Key: 'k3', ObjectLockLegalHoldStatus: 'ON' })));
  assertError(mpu, 'InvalidRequest', 400, 'Bucket is missing ObjectLockConfiguration');
  // Object Lock can be turned on later only once versioning is enabled.
  const config = { ObjectLockEnabled: 'Enabled' as const };
  const unversioned = await fails(s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-none', ObjectLockConfiguration: config })));
  assertError(unversioned, 'InvalidBucketState', 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'lock-none', VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-none', ObjectLockConfiguration: config }));
  assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-none' }))).ObjectLockConfiguration, config);
});

test('PutObjectLockConfiguration validates the default retention', async () => {
  await lockedBucket('lock-config');
  const bad: [object, string, string][] = [
    [{}, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
    [{ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1, Years: 1 } } }, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
    [{ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE' } } }, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
    [{ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 0 } } }, 'InvalidArgument', 'Default retention period must be a positive integer value.'],
  ];
  for (const [c, code, message] of bad) assertError(await fails(s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-config', ObjectLockConfiguration: c }))), code, 400, message);
  const good = { ObjectLockEnabled: 'Enabled' as const, Rule: { DefaultRetention: { Mode: 'COMPLIANCE' as const, Years: 2 } } };
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'lock-config', ObjectLockConfiguration: good }));
  assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'lock-config' }))).ObjectLockConfiguration, good);
});

test('default retention applies to new versions; a protected version cannot be deleted, a delete marker can be added', async () => {
  const B = 'lock-default';
  await lockedBucket(B);
  await s3.send(new PutObjectLockConfigurationCommand({ Bucket: B, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } } }));
  const before = clock.now();
  const v = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'doc', Body: 'kept' }));
  const after = clock.now();
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'doc' }));
  assert.equal(head.ObjectLockMode, 'COMPLIANCE');
  assert.equal(head.ObjectLockLegalHoldStatus, undefined);
  const until = head.ObjectLockRetainUntilDate!.getTime();
  assert.ok(until >= before + DAY - 1000 && until <= after + DAY, `retain until ${head.ObjectLockRetainUntilDate!.toISOString()}`);
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId }));
  assert.deepEqual([got.ObjectLockMode, got.ObjectLockRetainUntilDate?.getTime()], ['COMPLIANCE', until]);
  assert.deepEqual((await s3.send(new GetObjectRetentionCommand({ Bucket: B, Key: 'doc' }))).Retention, { Mode: 'COMPLIANCE', RetainUntilDate: head.ObjectLockRetainUntilDate });
  assertError(await fails(s3.send(new GetObjectLegalHoldCommand({ Bucket: B, Key: 'doc' }))), 'NoSuchObjectLockConfiguration', 404, 'The specified object does not have a ObjectLock configuration');

  // COMPLIANCE: no bypass deletes the version; the bucket cannot go either.
  assertError(await fails(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId, BypassGovernanceRetention: true }))), 'AccessDenied', 403, PROTECTED);
  const many = await s3.send(new DeleteObjectsCommand({ Bucket: B, BypassGovernanceRetention: true, Delete: { Objects: [{ Key: 'doc', VersionId: v.VersionId }, { Key: 'absent' }] } }));
  assert.deepEqual(many.Errors, [{ Key: 'doc', VersionId: v.VersionId, Code: 'AccessDenied', Message: PROTECTED }]);
  assert.equal(many.Deleted?.length, 1);
  const marker = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc' }));
  assert.equal(marker.DeleteMarker, true);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId }))).Body!.transformToString(), 'kept');
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'doc', VersionId: marker.VersionId }));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'absent', VersionId: many.Deleted![0]!.DeleteMarkerVersionId }));
  const bucketGone = await fails(s3.send(new DeleteBucketCommand({ Bucket: B })));
  assertError(bucketGone, 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');

  // COMPLIANCE retention can be extended, never shortened nor weakened.
  const later = new Date(until + DAY);
  await s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: later } }));
  assertError(await fails(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(until) } }))), 'AccessDenied', 403, PROTECTED);
  assertError(await fails(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId, BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: later } }))), 'AccessDenied', 403, PROTECTED);
  assert.deepEqual((await s3.send(new GetObjectRetentionCommand({ Bucket: B, Key: 'doc', VersionId: v.VersionId }))).Retention, { Mode: 'COMPLIANCE', RetainUntilDate: later });
});

test('GOVERNANCE yields to x-amz-bypass-governance-retention; a legal hold to nothing until released', async () => {
  const B = 'lock-governance';
  await lockedBucket(B);
  const until = new Date(Math.floor((clock.now() + DAY) / 1000) * 1000);
  const v = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'g', Body: 'g', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'g' }));
  assert.deepEqual([head.ObjectLockMode, head.ObjectLockRetainUntilDate, head.ObjectLockLegalHoldStatus], ['GOVERNANCE', until, 'ON']);
  assert.deepEqual((await s3.send(new GetObjectLegalHoldCommand({ Bucket: B, Key: 'g' }))).LegalHold, { Status: 'ON' });
  assertError(await fails(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: v.VersionId, BypassGovernanceRetention: true }))), 'AccessDenied', 403, PROTECTED);
  await s3.send(new PutObjectLegalHoldCommand({ Bucket: B, Key: 'g', LegalHold: { Status: 'OFF' } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'g' }))).ObjectLockLegalHoldStatus, 'OFF');
  assertError(await fails(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: v.VersionId }))), 'AccessDenied', 403, PROTECTED);
  // Shortening GOVERNANCE retention needs the bypass too; a date in the past never goes.
  const sooner = new Date(until.getTime() - 3_600_000);
  assertError(await fails(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'g', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: sooner } }))), 'AccessDenied', 403, PROTECTED);
  assertError(await fails(s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'g', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(clock.now() - 1000) } }))), 'InvalidArgument', 400, 'The retain until date must be in the future!');
  await s3.send(new PutObjectRetentionCommand({ Bucket: B, Key: 'g', BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: sooner } }));
  assert.deepEqual((await s3.send(new GetObjectRetentionCommand({ Bucket: B, Key: 'g' }))).Retention, { Mode: 'GOVERNANCE', RetainUntilDate: sooner });
  const gone = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'g', VersionId: v.VersionId, BypassGovernanceRetention: true }));
  assert.equal(gone.VersionId, v.VersionId);
  assertError(await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'g', VersionId: v.VersionId }))), 'NotFound', 404, 'UnknownError');
});

test('retention ends at its date; lock headers are checked; copies and multipart uploads get locks', async () => {
  const B = 'lock-writes';
  await lockedBucket(B);
  const soon = new Date(Math.floor((clock.now() + 5 * 60_000) / 1000) * 1000);
  const v = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'short', Body: 's', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: soon }));
  assertError(await fails(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'short', VersionId: v.VersionId }))), 'AccessDenied', 403, PROTECTED);
  offset += 6 * 60_000;
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'short', VersionId: v.VersionId }));

  const half = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'half', Body: 'h', ObjectLockMode: 'GOVERNANCE' })));
  assertError(half, 'InvalidArgument', 400, 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  const past = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'past', Body: 'p', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(clock.now() - DAY) })));
  assertError(past, 'InvalidArgument', 400, 'The retain until date must be in the future!');
  // PutObject API reference: lock parameters need Content-MD5 or a checksum.
  const bare = client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  const noSum = await fails(bare.send(new PutObjectCommand({ Bucket: B, Key: 'nosum', Body: 'n', ObjectLockLegalHoldStatus: 'ON' })));
  assertError(noSum, 'InvalidRequest', 400, 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
  await bare.send(new PutObjectCommand({ Bucket: B, Key: 'nosum', Body: 'n' }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'nosum' }))).ObjectLockMode, undefined);

  const until = new Date(Math.floor((clock.now() + DAY) / 1000) * 1000);
  await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy', CopySource: `${B}/nosum`, ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until }));
  const copy = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'copy' }));
  assert.deepEqual([copy.ObjectLockMode, copy.ObjectLockRetainUntilDate], ['GOVERNANCE', until]);
  const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'multi', ObjectLockLegalHoldStatus: 'ON' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'multi', UploadId: up.UploadId, PartNumber: 1, Body: 'part' }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'multi', UploadId: up.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.deepEqual((await s3.send(new GetObjectLegalHoldCommand({ Bucket: B, Key: 'multi', VersionId: done.VersionId }))).LegalHold, { Status: 'ON' });
  assertError(await fails(s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'multi', VersionId: done.VersionId }))), 'AccessDenied', 403, PROTECTED);
});

const { present } = externalClients();
const boto = present.find((c) => c.kind === 'boto3');
test('boto3: a version under retention refuses deletion with AccessDenied', { skip: boto ? false : 'no boto3' }, async () => {
  const r = await runBoto3(boto!.bin, cloud.endpoint, `
import base64, hashlib, datetime
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.create_bucket(Bucket='lock-boto', ObjectLockEnabledForBucket=True)
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
md5 = base64.b64encode(hashlib.md5(b'x').digest()).decode()
v = s3.put_object(Bucket='lock-boto', Key='k', Body=b'x', ContentMD5=md5, ObjectLockMode='GOVERNANCE', ObjectLockRetainUntilDate=until)['VersionId']
out = {'mode': s3.get_object_retention(Bucket='lock-boto', Key='k')['Retention']['Mode']}
try:
    s3.delete_object(Bucket='lock-boto', Key='k', VersionId=v)
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
s3.delete_object(Bucket='lock-boto', Key='k', VersionId=v, BypassGovernanceRetention=True)
out['left'] = len(s3.list_object_versions(Bucket='lock-boto').get('Versions', []))
print(json.dumps(out))
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { mode: 'GOVERNANCE', error: ['AccessDenied', PROTECTED, 403], left: 0 });
});
