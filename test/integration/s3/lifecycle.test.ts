/**
 * S3 Lifecycle through the SDK v3 (user guide, "Managing the lifecycle of objects"):
 * configurations stored exactly, validation errors, the x-amz-expiration header, and the
 * sweeper run at a chosen time through GET /_nimbus/s3/lifecycle/sweep?at=... (expiring
 * current versions, noncurrent versions, expired delete markers and incomplete uploads,
 * never a version Object Lock protects); one AWS CLI check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand,
  PutBucketVersioningCommand, ListObjectVersionsCommand, ListObjectsV2Command, ListMultipartUploadsCommand, CreateMultipartUploadCommand,
  PutBucketLifecycleConfigurationCommand, GetBucketLifecycleConfigurationCommand, DeleteBucketLifecycleCommand, PutObjectTaggingCommand,
  PutBucketNotificationConfigurationCommand, type LifecycleRule,
} from '@aws-sdk/client-s3';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clientConfig, externalClients, runCli } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const DAY = 86_400_000;
const { cloud, s3 } = s3Harness();

/** Runs the sweeper over one bucket as of `at` (ms) and returns what it did. */
async function sweep(bucket: string, at: number): Promise<Record<string, number>> {
  const r = await fetch(`${cloud.endpoint}/_nimbus/s3/lifecycle/sweep?at=${new Date(at).toISOString()}&bucket=${bucket}`);
  assert.equal(r.status, 200);
  return await r.json() as Record<string, number>;
}

/** The midnight UTC after t + days, when S3 applies a Days action. */
const due = (t: number, days: number) => Math.floor(t / DAY) * DAY + (days + 1) * DAY;

const put = (Bucket: string, Rules: LifecycleRule[]) => s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));

test('configurations are stored as given, replaced, and deleted', async () => {
  const B = 'lc-config';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  const none = await fails(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })));
  assert.deepEqual([none.name, none.$metadata.httpStatusCode, none.message, none.BucketName], ['NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist', B]);
  const rules: LifecycleRule[] = [
    { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 }, Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] },
    { ID: 'tagged', Status: 'Disabled', Filter: { Tag: { Key: 'tmp', Value: 'yes' } }, Expiration: { Date: new Date('2031-01-01T00:00:00Z') } },
    { ID: 'and', Status: 'Enabled', Filter: { And: { Prefix: 'a/', Tags: [{ Key: 'x', Value: '1' }], ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 1000 } }, NoncurrentVersionExpiration: { NoncurrentDays: 5, NewerNoncurrentVersions: 2 } },
    { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  ];
  const out = await put(B, rules);
  assert.equal(out.TransitionDefaultMinimumObjectSize, 'all_storage_classes_128K');
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }));
  assert.deepEqual(got.Rules, [{ ...rules[0], Filter: { Prefix: 'logs/' } }, rules[1], rules[2], { ...rules[3], Filter: {} }]);
  assert.equal(got.TransitionDefaultMinimumObjectSize, 'all_storage_classes_128K');
  await put(B, [rules[0]!]);
  assert.equal((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B }))).Rules!.length, 1);
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: B }));
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: B }));
  assert.equal((await fails(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })))).name, 'NoSuchLifecycleConfiguration');
});

test('invalid configurations get S3 errors', async () => {
  const B = 'lc-invalid';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  const cases: [LifecycleRule[], string, string][] = [
    [[{ ID: 'd', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2031-01-01T10:00:00Z') } }], 'InvalidArgument', "'Date' must be at midnight GMT"],
    [[{ ID: 'z', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }], 'InvalidArgument', "'Days' for Expiration action must be a positive integer"],
    [[{ ID: 'same', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }, { ID: 'same', Status: 'Enabled', Filter: {}, Expiration: { Days: 2 } }], 'InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule'],
    [[{ ID: 'both', Status: 'Enabled', Filter: {}, Expiration: { Days: 1, ExpiredObjectDeleteMarker: true } }], 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
    [Array.from({ length: 1001 }, (_, i) => ({ ID: `r${i}`, Status: 'Enabled' as const, Filter: { Prefix: `p${i}/` }, Expiration: { Days: 1 } })), 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
  ];
  for (const [rules, code, message] of cases) {
    const e = await fails(put(B, rules));
    assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.message], [code, 400, message]);
  }
  assert.equal((await fails(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: B })))).name, 'NoSuchLifecycleConfiguration');
});

test('x-amz-expiration on PUT, GET and HEAD of objects a rule expires', async () => {
  const B = 'lc-header';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await put(B, [
    { ID: 'picture-deletion-rule', Status: 'Enabled', Filter: { Prefix: 'pics/' }, Expiration: { Days: 3 } },
    { ID: 'fixed date', Status: 'Enabled', Filter: { Tag: { Key: 'old', Value: 'yes' } }, Expiration: { Date: new Date('2012-12-23T00:00:00Z') } },
  ]);
  const written = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'pics/a.jpg', Body: 'a' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'pics/a.jpg' }));
  const expected = `expiry-date="${new Date(due(head.LastModified!.getTime(), 3)).toUTCString()}", rule-id="picture-deletion-rule"`;
  assert.equal(written.Expiration, expected);
  assert.equal(head.Expiration, expected);
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'pics/a.jpg' }))).Expiration, expected);
  const other = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'docs/b.txt', Body: 'b' }));
  assert.equal(other.Expiration, undefined);
  await s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'docs/b.txt', Tagging: { TagSet: [{ Key: 'old', Value: 'yes' }] } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'docs/b.txt' }))).Expiration, 'expiry-date="Sun, 23 Dec 2012 00:00:00 GMT", rule-id="fixed%20date"');
});

test('the sweeper expires current objects of an unversioned bucket when their day comes', async () => {
  const B = 'lc-sweep-plain';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await put(B, [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }]);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'tmp/a', Body: 'a' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'keep/b', Body: 'b' }));
  const made = (await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'tmp/a' }))).LastModified!.getTime();
  assert.equal((await sweep(B, due(made, 1) - 1)).expired, 0);
  assert.deepEqual(await sweep(B, due(made, 1)), { expired: 1, deleteMarkersCreated: 0, noncurrentDeleted: 0, deleteMarkersRemoved: 0, uploadsAborted: 0 });
  const keys = (await s3.send(new ListObjectsV2Command({ Bucket: B }))).Contents!.map((o) => o.Key);
  assert.deepEqual(keys, ['keep/b']);
});

test('versioned buckets: delete markers for current versions, noncurrent versions by age and rank, expired markers removed', async () => {
  const B = 'lc-sweep-versions';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
  await put(B, [
    { ID: 'current', Status: 'Enabled', Filter: { Prefix: 'cur/' }, Expiration: { Days: 2 } },
    { ID: 'old', Status: 'Enabled', Filter: { Prefix: 'nc/' }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 } },
    { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'dm/' }, Expiration: { ExpiredObjectDeleteMarker: true }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
  ]);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'cur/x', Body: 'x' }));
  for (const body of ['1', '2', '3']) await s3.send(new PutObjectCommand({ Bucket: B, Key: 'nc/y', Body: body }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dm/z', Body: 'z' }));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'dm/z' }));
  const now = Date.now();
  const report = await sweep(B, due(now, 2));
  assert.deepEqual(report, { expired: 1, deleteMarkersCreated: 1, noncurrentDeleted: 2, deleteMarkersRemoved: 1, uploadsAborted: 0 });
  const v = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  // cur/x: a delete marker over the version; nc/y: current '3' and the newest noncurrent '2' kept; dm/z: all gone.
  assert.deepEqual(v.DeleteMarkers!.map((m) => [m.Key, m.IsLatest]), [['cur/x', true]]);
  assert.deepEqual(v.Versions!.map((o) => [o.Key, o.IsLatest]), [['cur/x', false], ['nc/y', true], ['nc/y', false]]);
  const kept = v.Versions!.find((o) => o.Key === 'nc/y' && !o.IsLatest)!;
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'nc/y', VersionId: kept.VersionId }))).Body!.transformToString(), '2');
  assert.deepEqual(await sweep(B, due(now, 2)), { expired: 0, deleteMarkersCreated: 0, noncurrentDeleted: 0, deleteMarkersRemoved: 0, uploadsAborted: 0 });
});

test('incomplete multipart uploads are aborted; Object Lock protects versions from the sweeper', async () => {
  const B = 'lc-sweep-lock';
  await s3.send(new CreateBucketCommand({ Bucket: B, ObjectLockEnabledForBucket: true }));
  await put(B, [{ ID: 'all', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
  const now = Date.now();
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'held', Body: 'v1', ObjectLockLegalHoldStatus: 'ON' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'held', Body: 'v2' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'free', Body: 'v1' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'free', Body: 'v2' }));
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'big' }));
  assert.equal(upload.AbortRuleId, 'all');
  assert.equal(upload.AbortDate!.getTime(), due(now, 1));
  const report = await sweep(B, due(now, 1));
  assert.deepEqual([report.noncurrentDeleted, report.uploadsAborted], [1, 1]);
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads, undefined);
  const v = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  assert.deepEqual(v.Versions!.map((o) => [o.Key, o.IsLatest]), [['free', true], ['held', true], ['held', false]]);
});

test('expirations are notified as LifecycleExpiration events from S3 itself', async () => {
  const B = 'lc-events';
  const sqs = new SQSClient(clientConfig(cloud.endpoint));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'lc-events' }));
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: B, NotificationConfiguration: { QueueConfigurations: [{ Id: 'lc', QueueArn: arn, Events: ['s3:LifecycleExpiration:*'] }] } }));
  await put(B, [{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }]);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'e', Body: 'e' }));
  assert.equal((await sweep(B, due(Date.now(), 1))).deleteMarkersCreated, 1);
  const marker = (await s3.send(new ListObjectVersionsCommand({ Bucket: B }))).DeleteMarkers![0]!;
  const records = [];
  for (let i = 0; i < 5 && records.length === 0; i++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
    for (const m of Messages) records.push(...((JSON.parse(m.Body!) as { Records?: Record<string, unknown>[] }).Records ?? []));
  }
  assert.equal(records.length, 1);
  const r = records[0] as { eventName: string; eventVersion: string; userIdentity: { principalId: string }; s3: { object: { key: string; versionId: string } } };
  assert.deepEqual([r.eventName, r.eventVersion, r.userIdentity.principalId, r.s3.object.key, r.s3.object.versionId],
    ['LifecycleExpiration:DeleteMarkerCreated', '2.3', 's3.amazonaws.com', 'e', marker.VersionId]);
  sqs.destroy();
});

const cli = externalClients().present.find((c) => c.kind === 'cli');
test('AWS CLI: put-bucket-lifecycle-configuration and get-bucket-lifecycle-configuration', { skip: cli ? false : 'no AWS CLI' }, async () => {
  const B = 'lc-cli';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  const config = { Rules: [{ ID: 'cli-rule', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 7 } }] };
  const w = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'put-bucket-lifecycle-configuration', '--bucket', B, '--lifecycle-configuration', JSON.stringify(config)]);
  assert.equal(w.status, 0, w.stderr);
  const r = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', B]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).Rules, config.Rules);
  const bad = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'lc-invalid']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /An error occurred \(NoSuchLifecycleConfiguration\) when calling the GetBucketLifecycleConfiguration operation: The lifecycle configuration does not exist/);
});
