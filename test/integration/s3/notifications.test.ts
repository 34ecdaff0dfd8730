/**
 * S3 event notifications through the SDK v3 and the AWS CLI: the configuration round
 * trip (generated ids, Prefix/Suffix rule names, EventBridge), S3's validation errors
 * (unknown events, overlapping rules, destinations that do not exist, another region),
 * the s3:TestEvent, and the event records queues receive for puts, POST uploads, copies,
 * multipart completions, deletes, delete markers, tagging and lifecycle expirations, with
 * key filters, directly and through an SNS topic; the legacy PutBucketNotification through
 * boto3; the configuration across a restart ("Amazon S3 Event Notifications", user guide).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  S3Client, CreateBucketCommand, PutBucketNotificationConfigurationCommand, GetBucketNotificationConfigurationCommand, PutObjectCommand,
  CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, PutBucketVersioningCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, PutObjectTaggingCommand, DeleteObjectTaggingCommand, DeleteBucketCommand, PutBucketLifecycleConfigurationCommand, type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { clientConfig, externalClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import { startNimbus } from '../../../src/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3, config } = s3Harness();
const sqs = new SQSClient(config());
const sns = new SNSClient(config());
after(() => {
  sqs.destroy();
  sns.destroy();
});

const ACCOUNT = '000000000000';
const OVERLAP = 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function bucket(name: string, versioned = false): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  return name;
}

/** The next `n` message bodies of a queue, long-polling until they are there, deleted once read. */
async function next(url: string, n = 1): Promise<string[]> {
  const bodies: string[] = [];
  while (bodies.length < n) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: Math.min(10, n - bodies.length), WaitTimeSeconds: 5 }));
    if (Messages.length === 0) throw new Error(`expected ${n} messages, got ${bodies.length}`);
    bodies.push(...Messages.map((m) => m.Body!));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return bodies;
}

/** Whether a queue is empty now. */
async function empty(url: string): Promise<boolean> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return Messages.length === 0;
}

interface TestEvent { Service: string; Event: string; Time: string; Bucket: string; RequestId: string; HostId: string }
interface S3Record {
  eventVersion: string; eventSource: string; awsRegion: string; eventTime: string; eventName: string;
  userIdentity: { principalId: string }; requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: string; configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
}

function record(body: string): S3Record {
  const parsed = JSON.parse(body) as { Records: S3Record[] };
  assert.equal(parsed.Records.length, 1);
  return parsed.Records[0]!;
}

function checkTestEvent(body: string, b: string): void {
  const e = JSON.parse(body) as TestEvent;
  assert.deepEqual(Object.keys(e), ['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
  assert.deepEqual([e.Service, e.Event, e.Bucket], ['Amazon S3', 's3:TestEvent', b]);
  assert.match(e.Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(e.HostId, Buffer.from(e.RequestId).toString('base64'));
}

test('configuration round trip: ids generated, Prefix/Suffix rule names, EventBridge; the queue gets an s3:TestEvent', async () => {
  const b = await bucket('notify-config');
  const none = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.deepEqual([none.QueueConfigurations, none.TopicConfigurations, none.LambdaFunctionConfigurations, none.EventBridgeConfiguration], [undefined, undefined, undefined, undefined]);

  const q = await queue('notify-config-q');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'notify-config-t' }));
  const put = await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b,
    NotificationConfiguration: {
      QueueConfigurations: [{ Id: 'csv-in', QueueArn: q.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectTagging:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }],
      TopicConfigurations: [{ TopicArn, Events: ['s3:ObjectRemoved:*'] }],
      EventBridgeConfiguration: {},
    },
  }));
  assert.equal(put.$metadata.httpStatusCode, 200);
  const [testEvent] = await next(q.url);
  checkTestEvent(testEvent!, b);
  assert.equal((JSON.parse(testEvent!) as TestEvent).RequestId, put.$metadata.requestId);

  const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  const topicId = got.TopicConfigurations?.[0]?.Id ?? '';
  assert.match(topicId, /^[A-Za-z0-9+/]{48}$/);
  const expected: NotificationConfiguration = {
    QueueConfigurations: [{ Id: 'csv-in', QueueArn: q.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectTagging:Put'], Filter: { Key: { FilterRules: [{ Name: 'Prefix' as 'prefix', Value: 'in/' }, { Name: 'Suffix' as 'suffix', Value: '.csv' }] } } }],
    TopicConfigurations: [{ Id: topicId, TopicArn, Events: ['s3:ObjectRemoved:*'] }],
    EventBridgeConfiguration: {},
  };
  const { $metadata, ...document } = got;
  assert.equal($metadata.httpStatusCode, 200);
  assert.deepEqual(document, expected);

  // An empty configuration turns notifications off.
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: {} }));
  const off = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }));
  assert.deepEqual([off.QueueConfigurations, off.TopicConfigurations, off.EventBridgeConfiguration], [undefined, undefined, undefined]);
});

test('validation: unknown events, filter rules, overlapping rules, missing destinations (numbered), another region; skip-destination-validation', async () => {
  const b = await bucket('notify-invalid');
  const q = await queue('notify-invalid-q');
  const put = (c: NotificationConfiguration, skip?: boolean) => s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: c, SkipDestinationValidation: skip }));

  const unknown = await fails(put({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:Nope' as 's3:ObjectCreated:Put'] }] }));
  assert.deepEqual([unknown.name, unknown.message, unknown.$metadata.httpStatusCode], ['InvalidArgument', 'The event is not supported for notifications', 400]);

  const rule = await fails(put({ QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'infix' as 'prefix', Value: 'x' }] } } }] }));
  assert.deepEqual([rule.name, rule.message, rule.$metadata.httpStatusCode], ['InvalidArgument', 'filter rule name must be either prefix or suffix', 400]);

  const overlap = await fails(put({
    QueueConfigurations: [
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } } },
      { QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/thumbs/' }] } } },
    ],
  }));
  assert.deepEqual([overlap.name, overlap.message, overlap.$metadata.httpStatusCode], ['InvalidArgument', OVERLAP, 400]);

  const missingQueue = `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`;
  const missingTopic = `arn:aws:sns:us-east-1:${ACCOUNT}:no-such-topic`;
  const missing = await fails(put({
    QueueConfigurations: [{ QueueArn: missingQueue, Events: ['s3:ObjectCreated:*'] }, { QueueArn: q.arn, Events: ['s3:ObjectRemoved:*'] }],
    TopicConfigurations: [{ TopicArn: missingTopic, Events: ['s3:ObjectTagging:*'] }],
  }));
  assert.deepEqual([missing.name, missing.message, missing.$metadata.httpStatusCode], ['InvalidArgument', 'Unable to validate the following destination configurations', 400]);
  assert.deepEqual([missing.ArgumentName1, missing.ArgumentValue1, missing.ArgumentName2, missing.ArgumentValue2], [missingTopic, 'The destination topic does not exist', missingQueue, 'The destination queue does not exist']);
  // Nothing was stored, and the queue that exists got no test event from the refused request.
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).QueueConfigurations, undefined);
  assert.equal(await empty(q.url), true);

  const region = await fails(put({ QueueConfigurations: [{ QueueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:elsewhere`, Events: ['s3:ObjectCreated:*'] }] }));
  assert.deepEqual([region.name, region.message, region.$metadata.httpStatusCode], ['InvalidArgument', 'The notification destination service region is not valid for the bucket location constraint', 400]);

  // x-amz-skip-destination-validation: stored as given, no test event.
  await put({ QueueConfigurations: [{ Id: 'later', QueueArn: missingQueue, Events: ['s3:ObjectCreated:*'] }] }, true);
  assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).QueueConfigurations, [{ Id: 'later', QueueArn: missingQueue, Events: ['s3:ObjectCreated:*'] }]);
  // A Lambda destination is accepted while Lambda is not built in nimbus (deliveries to it are logged failures).
  const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`;
  await put({ LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: fn, Events: ['s3:ObjectCreated:*'] }] });
  assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).LambdaFunctionConfigurations, [{ Id: 'fn', LambdaFunctionArn: fn, Events: ['s3:ObjectCreated:*'] }]);
  assert.equal((await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' }))).$metadata.httpStatusCode, 200);

  const noBucket = await fails(s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-no-such-bucket' })));
  assert.deepEqual([noBucket.name, noBucket.$metadata.httpStatusCode], ['NoSuchBucket', 404]);
});

test('object events: Put, Copy, CompleteMultipartUpload, Delete with exact records; failed requests emit nothing', async () => {
  const b = await bucket('notify-events');
  const q = await queue('notify-events-q');
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ Id: 'all', QueueArn: q.arn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }] },
  }));
  checkTestEvent((await next(q.url))[0]!, b);

  const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'dir/a file=1.txt', Body: 'hello' }));
  const created = record((await next(q.url))[0]!);
  assert.equal(created.eventTime.length, 24);
  assert.match(created.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(created.s3.object.sequencer!, /^[0-9A-F]{18}$/);
  assert.match(created.userIdentity.principalId, /^A[0-9A-F]{13}$/);
  assert.deepEqual(created, {
    eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: created.eventTime, eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: created.userIdentity.principalId }, requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': put.$metadata.requestId!, 'x-amz-id-2': put.$metadata.extendedRequestId! },
    s3: {
      s3SchemaVersion: '1.0', configurationId: 'all',
      bucket: { name: b, ownerIdentity: { principalId: created.userIdentity.principalId }, arn: `arn:aws:s3:::${b}` },
      object: { key: 'dir/a+file%3D1.txt', size: 5, eTag: put.ETag!.replace(/"/g, ''), sequencer: created.s3.object.sequencer },
    },
  });

  // A refused conditional put changes nothing and notifies nothing.
  const refused = await fails(s3.send(new PutObjectCommand({ Bucket: b, Key: 'dir/a file=1.txt', Body: 'again', IfNoneMatch: '*' })));
  assert.equal(refused.$metadata.httpStatusCode, 412);

  const copy = await s3.send(new CopyObjectCommand({ Bucket: b, Key: 'copy.txt', CopySource: `${b}/dir/a%20file%3D1.txt` }));
  const copied = record((await next(q.url))[0]!);
  assert.equal(copied.eventName, 'ObjectCreated:Copy');
  assert.deepEqual(copied.s3.object, { key: 'copy.txt', size: 5, eTag: copy.CopyObjectResult!.ETag!.replace(/"/g, ''), sequencer: copied.s3.object.sequencer });
  assert.ok(copied.s3.object.sequencer! > created.s3.object.sequencer!);

  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: 'big.bin' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: b, Key: 'big.bin', UploadId, PartNumber: 1, Body: 'abc' }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: b, Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  const multipart = record((await next(q.url))[0]!);
  assert.equal(multipart.eventName, 'ObjectCreated:CompleteMultipartUpload');
  assert.deepEqual(multipart.s3.object, { key: 'big.bin', size: 3, eTag: done.ETag!.replace(/"/g, ''), sequencer: multipart.s3.object.sequencer });

  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'copy.txt' }));
  const removed = record((await next(q.url))[0]!);
  assert.equal(removed.eventName, 'ObjectRemoved:Delete');
  assert.deepEqual(removed.s3.object, { key: 'copy.txt', sequencer: removed.s3.object.sequencer });

  await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: [{ Key: 'big.bin' }, { Key: 'dir/a file=1.txt' }] } }));
  const batch = (await next(q.url, 2)).map(record);
  assert.deepEqual(batch.map((r) => [r.eventName, r.s3.object.key]), [['ObjectRemoved:Delete', 'big.bin'], ['ObjectRemoved:Delete', 'dir/a+file%3D1.txt']]);
  assert.ok(batch[1]!.s3.object.sequencer! > batch[0]!.s3.object.sequencer!);
  assert.equal(await empty(q.url), true);
});

test('versioned bucket: versionId in records, DeleteMarkerCreated, a version deleted; tagging events', async () => {
  const b = await bucket('notify-versions', true);
  const q = await queue('notify-versions-q');
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ Id: 'v', QueueArn: q.arn, Events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:*', 's3:ObjectTagging:*'] }] },
  }));
  await next(q.url);
  const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'doc', Body: 'v1' }));
  const created = record((await next(q.url))[0]!);
  assert.deepEqual(created.s3.object, { key: 'doc', size: 2, eTag: put.ETag!.replace(/"/g, ''), versionId: put.VersionId, sequencer: created.s3.object.sequencer });

  await s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 'doc', Tagging: { TagSet: [{ Key: 't', Value: '1' }] } }));
  const tagged = record((await next(q.url))[0]!);
  assert.deepEqual([tagged.eventVersion, tagged.eventName, tagged.s3.object], ['2.3', 'ObjectTagging:Put', { key: 'doc', eTag: put.ETag!.replace(/"/g, ''), versionId: put.VersionId }]);
  await s3.send(new DeleteObjectTaggingCommand({ Bucket: b, Key: 'doc' }));
  assert.equal(record((await next(q.url))[0]!).eventName, 'ObjectTagging:Delete');

  const marker = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'doc' }));
  const markerEvent = record((await next(q.url))[0]!);
  assert.deepEqual([markerEvent.eventName, markerEvent.s3.object], ['ObjectRemoved:DeleteMarkerCreated', { key: 'doc', versionId: marker.VersionId, sequencer: markerEvent.s3.object.sequencer }]);

  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'doc', VersionId: put.VersionId }));
  const gone = record((await next(q.url))[0]!);
  assert.deepEqual([gone.eventName, gone.s3.object], ['ObjectRemoved:Delete', { key: 'doc', versionId: put.VersionId, sequencer: gone.s3.object.sequencer }]);
});

test('key filters: only keys with the prefix and suffix notify', async () => {
  const b = await bucket('notify-filter');
  const q = await queue('notify-filter-q');
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: b,
    NotificationConfiguration: { QueueConfigurations: [{ Id: 'f', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.csv' }] } } }] },
  }));
  await next(q.url);
  for (const key of ['in/a.txt', 'out/a.csv', 'In/a.csv', 'in/a.csv']) await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: key }));
  const [only] = await next(q.url);
  assert.equal(record(only!).s3.object.key, 'in/a.csv');
  assert.equal(await empty(q.url), true);
});

test('a browser POST upload notifies ObjectCreated:Post', async () => {
  const b = await bucket('notify-post');
  const q = await queue('notify-post-q');
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ Id: 'p', QueueArn: q.arn, Events: ['s3:ObjectCreated:Post'] }] } }));
  await next(q.url);
  const post = await createPresignedPost(s3, { Bucket: b, Key: 'uploads/${filename}' });
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
  form.append('file', new Blob(['posted'], { type: 'text/plain' }), 'my notes.txt');
  const res = await fetch(post.url, { method: 'POST', body: form });
  assert.equal(res.status, 204);
  const r = record((await next(q.url))[0]!);
  assert.deepEqual([r.eventName, r.s3.configurationId, r.s3.object.key, r.s3.object.size, r.s3.object.eTag], ['ObjectCreated:Post', 'p', 'uploads/my+notes.txt', 6, res.headers.get('etag')!.replace(/"/g, '')]);
  // The record names the request the client was answered with.
  assert.match(res.headers.get('x-amz-request-id') ?? '', /./);
  assert.equal(r.responseElements['x-amz-request-id'], res.headers.get('x-amz-request-id'));
  assert.equal(r.responseElements['x-amz-id-2'], res.headers.get('x-amz-id-2'));
});

test('lifecycle expirations notify LifecycleExpiration:Delete and :DeleteMarkerCreated with S3 as the requester', async () => {
  const DAY = 86_400_000;
  const q = await queue('notify-lifecycle-q');
  const sweep = async (b: string, at: number) => {
    const r = await fetch(`${cloud.endpoint}/_nimbus/s3/lifecycle/sweep?at=${new Date(at).toISOString()}&bucket=${b}`);
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  };
  for (const versioned of [false, true]) {
    const b = await bucket(versioned ? 'notify-lifecycle-v' : 'notify-lifecycle', versioned);
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules: [{ ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] } }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ Id: 'lc', QueueArn: q.arn, Events: ['s3:LifecycleExpiration:*'] }] } }));
    await next(q.url);
    const put = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'tmp/old file', Body: 'x' }));
    await sweep(b, Math.floor(Date.now() / DAY) * DAY + 3 * DAY);
    const r = record((await next(q.url))[0]!);
    assert.deepEqual([r.eventVersion, r.eventName, r.userIdentity, r.requestParameters], ['2.3', versioned ? 'LifecycleExpiration:DeleteMarkerCreated' : 'LifecycleExpiration:Delete', { principalId: 's3.amazonaws.com' }, { sourceIPAddress: 's3.amazonaws.com' }]);
    const expected: S3Record['s3']['object'] = { key: 'tmp/old+file', sequencer: r.s3.object.sequencer };
    if (versioned) {
      assert.match(r.s3.object.versionId!, /^[A-Za-z0-9._]{32}$/);
      assert.notEqual(r.s3.object.versionId, put.VersionId);
      expected.versionId = r.s3.object.versionId;
    }
    assert.deepEqual(r.s3.object, expected);
  }
});

test('a bucket deleted and created again starts without notifications', async () => {
  const b = await bucket('notify-recreated');
  const sentinel = await bucket('notify-sentinel');
  const q = await queue('notify-recreated-q');
  const config = (id: string) => ({ QueueConfigurations: [{ Id: id, QueueArn: q.arn, Events: ['s3:ObjectCreated:*' as const] }] });
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: config('old') }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: sentinel, NotificationConfiguration: config('sentinel') }));
  await next(q.url, 2);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: 'before', Body: 'x' }));
  assert.equal(record((await next(q.url))[0]!).s3.configurationId, 'old');
  await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'before' }));
  await s3.send(new DeleteBucketCommand({ Bucket: b }));
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: b }))).QueueConfigurations, undefined);
  await s3.send(new PutObjectCommand({ Bucket: b, Key: 'after', Body: 'x' }));
  // Deliveries go out in emission order: once the sentinel's event is in, an event for 'after' would be too.
  await s3.send(new PutObjectCommand({ Bucket: sentinel, Key: 'mark', Body: 'x' }));
  const bodies = await next(q.url);
  assert.deepEqual(bodies.map((body) => record(body).s3.object.key), ['mark']);
  assert.equal(await empty(q.url), true);
});

test('a topic destination: the SNS envelope carries Subject "Amazon S3 Notification" and the record', async () => {
  const b = await bucket('notify-topic');
  const q = await queue('notify-topic-q');
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'notify-topic-t' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { TopicConfigurations: [{ Id: 't', TopicArn, Events: ['s3:ObjectCreated:*'] }] } }));
  const [testEnvelope] = await next(q.url);
  const te = JSON.parse(testEnvelope!) as { Type: string; TopicArn: string; Subject: string; Message: string };
  assert.deepEqual([te.Type, te.TopicArn, te.Subject], ['Notification', TopicArn, 'Amazon S3 Notification']);
  checkTestEvent(te.Message, b);

  await s3.send(new PutObjectCommand({ Bucket: b, Key: 'via-topic', Body: 'x' }));
  const envelope = JSON.parse((await next(q.url))[0]!) as { Subject: string; Message: string };
  assert.equal(envelope.Subject, 'Amazon S3 Notification');
  const r = record(envelope.Message);
  assert.deepEqual([r.eventName, r.s3.configurationId, r.s3.object.key, r.s3.object.size], ['ObjectCreated:Put', 't', 'via-topic', 1]);
});

test('AWS CLI: put-bucket-notification-configuration and get-bucket-notification-configuration', async (t) => {
  const cli = externalClients().present.find((c) => c.kind === 'cli');
  if (!cli) {
    t.skip('no AWS CLI on this machine');
    return;
  }
  const b = await bucket('notify-cli');
  const q = await queue('notify-cli-q');
  const config = { QueueConfigurations: [{ Id: 'cli', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.log' }] } } }] };
  const put = await runCli(cli.bin, cloud.endpoint, ['s3api', 'put-bucket-notification-configuration', '--bucket', b, '--notification-configuration', JSON.stringify(config)]);
  assert.equal(put.status, 0, put.stderr);
  checkTestEvent((await next(q.url))[0]!, b);
  const get = await runCli(cli.bin, cloud.endpoint, ['s3api', 'get-bucket-notification-configuration', '--bucket', b]);
  assert.equal(get.status, 0, get.stderr);
  assert.deepEqual(JSON.parse(get.stdout), { QueueConfigurations: [{ Id: 'cli', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.log' }] } } }] });
  const bad = await runCli(cli.bin, cloud.endpoint, ['s3api', 'put-bucket-notification-configuration', '--bucket', b, '--notification-configuration',
    JSON.stringify({ QueueConfigurations: [{ QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:nope`, Events: ['s3:ObjectCreated:*'] }] })]);
  // CLI v1 exits 255 on a service error, v2 254.
  assert.ok(bad.status === 254 || bad.status === 255, String(bad.status));
  assert.match(bad.stderr, /An error occurred \(InvalidArgument\) when calling the PutBucketNotificationConfiguration operation: Unable to validate the following destination configurations/);
});

test('boto3: the legacy put_bucket_notification (same wire) is stored as a current configuration', async (t) => {
  const python = externalClients().present.find((c) => c.kind === 'boto3');
  if (!python) {
    t.skip('no boto3 on this machine');
    return;
  }
  const b = await bucket('notify-legacy');
  const q = await queue('notify-legacy-q');
  const r = await runBoto3(python.bin, cloud.endpoint, `
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', config=Config(s3={'addressing_style': 'path'}))
s3.put_bucket_notification(Bucket=${JSON.stringify(b)}, NotificationConfiguration={'QueueConfiguration': {'Id': 'legacy', 'Queue': ${JSON.stringify(q.arn)}, 'Events': ['s3:ObjectCreated:*']}})
got = s3.get_bucket_notification_configuration(Bucket=${JSON.stringify(b)})
got.pop('ResponseMetadata')
print(json.dumps(got))
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { QueueConfigurations: [{ Id: 'legacy', QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] });
  checkTestEvent((await next(q.url))[0]!, b);
});

test('a configuration survives a restart on the same data directory and keeps notifying', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-s3-notify-'));
  const start = () => startNimbus({ ephemeral: false, dataDir: dir, port: 0, logLevel: 'off' });
  try {
    let c = await start();
    let s3c = new S3Client({ ...clientConfig(c.endpoint), forcePathStyle: true });
    let sqsc = new SQSClient(clientConfig(c.endpoint));
    await s3c.send(new CreateBucketCommand({ Bucket: 'kept' }));
    const { QueueUrl } = await sqsc.send(new CreateQueueCommand({ QueueName: 'kept-q' }));
    const config = { QueueConfigurations: [{ Id: 'kept', QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:kept-q`, Events: ['s3:ObjectCreated:*' as const] }] };
    await s3c.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'kept', NotificationConfiguration: config, SkipDestinationValidation: true }));
    s3c.destroy();
    sqsc.destroy();
    await c.stop();

    c = await start();
    s3c = new S3Client({ ...clientConfig(c.endpoint), forcePathStyle: true });
    sqsc = new SQSClient(clientConfig(c.endpoint));
    try {
      const { $metadata, ...document } = await s3c.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'kept' }));
      assert.equal($metadata.httpStatusCode, 200);
      assert.deepEqual(document, config);
      await s3c.send(new PutObjectCommand({ Bucket: 'kept', Key: 'after-restart', Body: 'x' }));
      const { Messages = [] } = await sqsc.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      assert.equal(Messages.length, 1);
      assert.deepEqual([record(Messages[0]!.Body!).s3.configurationId, record(Messages[0]!.Body!).s3.object.key], ['kept', 'after-restart']);
    } finally {
      s3c.destroy();
      sqsc.destroy();
      await c.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
