/**
 * SQS queues through the SDK v3 (JSON 1.0): CreateQueue with every attribute and
 * SQS's checks, idempotent create, GetQueueUrl, Get/SetQueueAttributes, ListQueues
 * paging, tags, PurgeQueue's 60-second rule, DeleteQueue, dead-letter sources.
 * Sources: the SQS API reference for each operation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, GetQueueUrlCommand, GetQueueAttributesCommand, SetQueueAttributesCommand,
  ListQueuesCommand, DeleteQueueCommand, PurgeQueueCommand, TagQueueCommand, UntagQueueCommand, ListQueueTagsCommand,
  ListDeadLetterSourceQueuesCommand, SendMessageCommand, AddPermissionCommand, RemovePermissionCommand,
} from '@aws-sdk/client-sqs';
import { failure } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

let offset = 0;
const clock = { now: () => Date.now() + offset };
const { cloud, config } = nimbusHarness({ clock });
const sqs = new SQSClient(config());


test('CreateQueue answers the queue URL on the addressed host; defaults as SQS reports them', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'defaults' }));
  assert.equal(QueueUrl, `${cloud.endpoint}/000000000000/defaults`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const created = Attributes!.CreatedTimestamp;
  assert.match(created!, /^\d{10}$/);
  assert.deepEqual(Attributes, {
    QueueArn: 'arn:aws:sqs:us-east-1:000000000000:defaults',
    ApproximateNumberOfMessages: '0',
    ApproximateNumberOfMessagesNotVisible: '0',
    ApproximateNumberOfMessagesDelayed: '0',
    CreatedTimestamp: created,
    LastModifiedTimestamp: created,
    VisibilityTimeout: '30',
    MaximumMessageSize: '1048576',
    MessageRetentionPeriod: '345600',
    DelaySeconds: '0',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
  });
});

test('CreateQueue takes every attribute; GetQueueAttributes answers each by name', async () => {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'all-attrs-dlq.fifo', Attributes: { FifoQueue: 'true' } }));
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] });
  const allow = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:000000000000:x.fifo'] });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({
    QueueName: 'all-attrs.fifo',
    Attributes: {
      DelaySeconds: '5', MaximumMessageSize: '2048', MessageRetentionPeriod: '600', ReceiveMessageWaitTimeSeconds: '3',
      VisibilityTimeout: '45', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:all-attrs-dlq.fifo', maxReceiveCount: '4' }),
      RedriveAllowPolicy: allow, FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId', KmsMasterKeyId: 'alias/aws/sqs', Policy: policy,
    },
  }));
  assert.ok(dlq.QueueUrl);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const { CreatedTimestamp, LastModifiedTimestamp, ...rest } = Attributes!;
  assert.ok(CreatedTimestamp && LastModifiedTimestamp);
  assert.deepEqual(rest, {
    QueueArn: 'arn:aws:sqs:us-east-1:000000000000:all-attrs.fifo',
    ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', ApproximateNumberOfMessagesDelayed: '0',
    VisibilityTimeout: '45', MaximumMessageSize: '2048', MessageRetentionPeriod: '600', DelaySeconds: '5', ReceiveMessageWaitTimeSeconds: '3',
    Policy: policy,
    RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:all-attrs-dlq.fifo","maxReceiveCount":4}',
    RedriveAllowPolicy: allow,
    KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '300', SqsManagedSseEnabled: 'false',
    FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId',
  });
  const some = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'QueueArn', 'FifoQueue'] }));
  assert.deepEqual(some.Attributes, { VisibilityTimeout: '45', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:all-attrs.fifo', FifoQueue: 'true' });
  const none = await sqs.send(new GetQueueAttributesCommand({ QueueUrl }));
  assert.equal(none.Attributes, undefined);
  assert.deepEqual(await failure(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Bogus' as 'All'] }))),
    { name: 'InvalidAttributeName', code: 'InvalidAttributeName', message: 'Unknown Attribute Bogus.', status: 400 });
});

test('CreateQueue checks names and values with SQS\'s errors', async () => {
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'bad name' }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length', status: 400 });
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'x'.repeat(81) }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length', status: 400 });
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'standard.fifo' }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length', status: 400 });
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'nosuffix', Attributes: { FifoQueue: 'true' } }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.', status: 400 });
  for (const [name, value] of [['DelaySeconds', '901'], ['MaximumMessageSize', '1023'], ['MaximumMessageSize', '1048577'], ['MessageRetentionPeriod', '59'], ['MessageRetentionPeriod', '1209601'], ['ReceiveMessageWaitTimeSeconds', '21'], ['VisibilityTimeout', '43201'], ['VisibilityTimeout', 'abc'], ['Policy', '{nope']]) {
    assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { [name]: value } }))),
      { name: 'InvalidAttributeValue', code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.`, status: 400 }, `${name}=${value}`);
  }
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { Bogus: '1' } as Record<string, string> }))),
    { name: 'InvalidAttributeName', code: 'InvalidAttributeName', message: 'Unknown Attribute Bogus.', status: 400 });
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { ContentBasedDeduplication: 'true' } }))),
    { name: 'InvalidAttributeName', code: 'InvalidAttributeName', message: 'Unknown Attribute ContentBasedDeduplication.', status: 400 });
  const redrive = '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3}';
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { RedrivePolicy: redrive } }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: `Value ${redrive} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`, status: 400 });
  const zero = '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:defaults","maxReceiveCount":0}';
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { RedrivePolicy: zero } }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: `Value ${zero} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.`, status: 400 });
  const mixed = '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:all-attrs-dlq.fifo","maxReceiveCount":3}';
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'checked', Attributes: { RedrivePolicy: mixed } }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: `Value ${mixed} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`, status: 400 });
  // Nothing was created by the failed calls.
  assert.deepEqual((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'checked' })))).name, 'QueueDoesNotExist');
});

test('CreateQueue of an existing queue: same attributes answer its URL, different ones QueueAlreadyExists', async () => {
  const first = await sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: { VisibilityTimeout: '60', DelaySeconds: '2' } }));
  const again = await sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: { VisibilityTimeout: '60', DelaySeconds: '2' } }));
  assert.equal(again.QueueUrl, first.QueueUrl);
  const subset = await sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: { VisibilityTimeout: '60' } }));
  assert.equal(subset.QueueUrl, first.QueueUrl);
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: { VisibilityTimeout: '61' } }))), {
    name: 'QueueNameExists', code: 'QueueAlreadyExists', message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout', status: 400,
  });
});

test('GetQueueUrl, and QueueDoesNotExist with the query code for unknown queues', async () => {
  await sqs.send(new CreateQueueCommand({ QueueName: 'findme' }));
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'findme' }))).QueueUrl, `${cloud.endpoint}/000000000000/findme`);
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'findme', QueueOwnerAWSAccountId: '000000000000' }))).QueueUrl, `${cloud.endpoint}/000000000000/findme`);
  const expected = { name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.', status: 400 };
  assert.deepEqual(await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'ghost' }))), expected);
  assert.deepEqual(await failure(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${cloud.endpoint}/000000000000/ghost`, AttributeNames: ['All'] }))), expected);
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl: `${cloud.endpoint}/000000000000/ghost`, MessageBody: 'x' }))), expected);
});

test('SetQueueAttributes changes settings and LastModifiedTimestamp; removes RedrivePolicy with an empty value', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'settable' }));
  offset += 2000;
  const redrive = '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:defaults","maxReceiveCount":7}';
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '90', RedrivePolicy: redrive } }));
  const after1 = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy', 'CreatedTimestamp', 'LastModifiedTimestamp'] }))).Attributes!;
  assert.equal(after1.VisibilityTimeout, '90');
  assert.equal(after1.RedrivePolicy, redrive);
  assert.equal(Number(after1.LastModifiedTimestamp) - Number(after1.CreatedTimestamp) >= 2, true);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: '' } }));
  const after2 = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }))).Attributes;
  assert.equal(after2, undefined);
  assert.deepEqual(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'true' } }))),
    { name: 'InvalidAttributeName', code: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.', status: 400 });
  assert.deepEqual(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { QueueArn: 'x' } }))),
    { name: 'InvalidAttributeName', code: 'InvalidAttributeName', message: 'Unknown Attribute QueueArn.', status: 400 });
});

test('ListQueues: prefix, MaxResults pages with NextToken', async () => {
  for (const n of ['page-c', 'page-a', 'page-b', 'other']) await sqs.send(new CreateQueueCommand({ QueueName: n }));
  const url = (n: string) => `${cloud.endpoint}/000000000000/${n}`;
  const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-' }));
  assert.deepEqual(all.QueueUrls, [url('page-a'), url('page-b'), url('page-c')]);
  assert.equal(all.NextToken, undefined);
  const p1 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2 }));
  assert.deepEqual(p1.QueueUrls, [url('page-a'), url('page-b')]);
  assert.ok(p1.NextToken);
  const p2 = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2, NextToken: p1.NextToken }));
  assert.deepEqual(p2.QueueUrls, [url('page-c')]);
  assert.equal(p2.NextToken, undefined);
  const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
  assert.equal(none.QueueUrls, undefined);
  assert.deepEqual(await failure(sqs.send(new ListQueuesCommand({ MaxResults: 1001 }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.', status: 400 });
});

test('TagQueue, UntagQueue, ListQueueTags; tags given at creation', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a' } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'a' });
  await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev', team: 'b' } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'b', env: 'dev' });
  await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team', 'absent'] }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { env: 'dev' });
  await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['env'] }));
  assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, undefined);
});

test('PurgeQueue empties the queue; a second purge within 60 seconds is PurgeQueueInProgress', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'purged' }));
  for (let i = 0; i < 3; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages, '0');
  assert.deepEqual(await failure(sqs.send(new PurgeQueueCommand({ QueueUrl }))), {
    name: 'PurgeQueueInProgress', code: 'AWS.SimpleQueueService.PurgeQueueInProgress', message: 'Only one PurgeQueue operation on purged is allowed every 60 seconds.', status: 403,
  });
  offset += 61_000;
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
});

test('DeleteQueue removes the queue and its messages; its name is free again after 60 s; InvalidAddress for a malformed URL', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bye' }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  assert.equal((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'doomed' })))).name, 'QueueDoesNotExist');
  assert.equal((await failure(sqs.send(new DeleteQueueCommand({ QueueUrl })))).name, 'QueueDoesNotExist');
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }))), {
    name: 'QueueDeletedRecently', code: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400,
    message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
  });
  offset += 61_000;
  const { QueueUrl: again } = await sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }));
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: again, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages, '0');
  assert.deepEqual(await failure(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${cloud.endpoint}/not-a-queue-url`, AttributeNames: ['All'] }))), {
    name: 'InvalidAddress', code: 'InvalidAddress', message: `The address ${cloud.endpoint}/not-a-queue-url is not valid for this endpoint.`, status: 404,
  });
});

test('ListDeadLetterSourceQueues names the queues whose RedrivePolicy targets the queue', async () => {
  const { QueueUrl: dlq } = await sqs.send(new CreateQueueCommand({ QueueName: 'dl-target' }));
  const redrive = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dl-target', maxReceiveCount: 2 });
  await sqs.send(new CreateQueueCommand({ QueueName: 'dl-src-1', Attributes: { RedrivePolicy: redrive } }));
  await sqs.send(new CreateQueueCommand({ QueueName: 'dl-src-2', Attributes: { RedrivePolicy: redrive } }));
  const r = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
  assert.deepEqual(r.queueUrls, [`${cloud.endpoint}/000000000000/dl-src-1`, `${cloud.endpoint}/000000000000/dl-src-2`]);
  const p1 = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1 }));
  assert.deepEqual(p1.queueUrls, [`${cloud.endpoint}/000000000000/dl-src-1`]);
  const p2 = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1, NextToken: p1.NextToken }));
  assert.deepEqual(p2.queueUrls, [`${cloud.endpoint}/000000000000/dl-src-2`]);
  assert.equal(p2.NextToken, undefined);
});

test('AddPermission and RemovePermission edit the queue policy by label', async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'shared' }));
  await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'send', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
  await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'read', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['ReceiveMessage', 'DeleteMessage'] }));
  const arn = 'arn:aws:sqs:us-east-1:000000000000:shared';
  const policy = JSON.parse((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!.Policy!);
  assert.deepEqual(policy, {
    Version: '2012-10-17', Id: `${arn}/SQSDefaultPolicy`,
    Statement: [
      { Sid: 'send', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SQS:SendMessage', Resource: arn },
      { Sid: 'read', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] }, Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'], Resource: arn },
    ],
  });
  assert.deepEqual(await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'send', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Value send for parameter Label is invalid. Reason: Already exists.', status: 400 });
  assert.deepEqual(await failure(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['CreateQueue'] }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: 'Value SQS:CreateQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.', status: 400 });
  await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'send' }));
  const after1 = JSON.parse((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!.Policy!);
  assert.deepEqual(after1.Statement.map((s: { Sid: string }) => s.Sid), ['read']);
  assert.deepEqual(await failure(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'send' }))),
    { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: "Value send for parameter Label is invalid. Reason: can't find label on existing policy.", status: 400 });
  await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'read' }));
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes, undefined);
});

test('reset deletes every queue and message', async () => {
  await sqs.send(new CreateQueueCommand({ QueueName: 'before-reset' }));
  cloud.reset();
  assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'before-reset' }));
  assert.deepEqual((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes, { ApproximateNumberOfMessages: '0' });
});
