/**
 * SNS topics through @aws-sdk/client-sns: CreateTopic (standard, FIFO, idempotent),
 * attributes with SNS's computed ones, ListTopics paging, tags, DeleteTopic, and
 * SNS's error codes and messages (CreateTopic, GetTopicAttributes API references).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SNSClient, CreateTopicCommand, DeleteTopicCommand, ListTopicsCommand, GetTopicAttributesCommand,
  SetTopicAttributesCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
  GetDataProtectionPolicyCommand, PutDataProtectionPolicyCommand,
} from '@aws-sdk/client-sns';
import { rejects } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud, config } = nimbusHarness();
const sns = new SNSClient(config());
after(() => sns.destroy());

const ACCOUNT = '000000000000';
const arnOf = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;

test('CreateTopic answers the ARN; GetTopicAttributes reports SNS\'s attributes', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
  assert.equal(TopicArn, arnOf('orders'));
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.deepEqual(Object.keys(Attributes!).sort(), ['DisplayName', 'EffectiveDeliveryPolicy', 'Owner', 'Policy', 'SubscriptionsConfirmed', 'SubscriptionsDeleted', 'SubscriptionsPending', 'TopicArn']);
  assert.equal(Attributes!.DisplayName, 'Orders');
  assert.equal(Attributes!.Owner, ACCOUNT);
  assert.equal(Attributes!.TopicArn, TopicArn);
  assert.equal(Attributes!.SubscriptionsConfirmed, '0');
  assert.equal(Attributes!.SubscriptionsPending, '0');
  assert.equal(Attributes!.SubscriptionsDeleted, '0');
  const policy = JSON.parse(Attributes!.Policy);
  assert.equal(policy.Id, '__default_policy_ID');
  assert.equal(policy.Statement[0].Resource, TopicArn);
  assert.deepEqual(policy.Statement[0].Condition, { StringEquals: { 'AWS:SourceOwner': ACCOUNT } });
  assert.equal(JSON.parse(Attributes!.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy.numRetries, 3);
});

test('CreateTopic is idempotent with the same attributes, refuses different ones', async () => {
  const a = await sns.send(new CreateTopicCommand({ Name: 'same', Attributes: { DisplayName: 'x' }, Tags: [{ Key: 'k', Value: 'v' }] }));
  const b = await sns.send(new CreateTopicCommand({ Name: 'same', Attributes: { DisplayName: 'x' } }));
  assert.equal(a.TopicArn, b.TopicArn);
  await rejects(sns.send(new CreateTopicCommand({ Name: 'same', Attributes: { DisplayName: 'y' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes', 400);
  await rejects(sns.send(new CreateTopicCommand({ Name: 'same', Tags: [{ Key: 'k', Value: 'other' }] })), 'InvalidParameterException', 'Invalid parameter: Tags Reason: Topic already exists with different tags', 400);
});

test('FIFO topics: .fifo name with FifoTopic, ContentBasedDeduplication only on FIFO', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
  assert.equal(TopicArn, arnOf('events.fifo'));
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes!.FifoTopic, 'true');
  assert.equal(Attributes!.ContentBasedDeduplication, 'true');
  assert.equal(Attributes!.FifoThroughputScope, 'Topic');
  await rejects(sns.send(new CreateTopicCommand({ Name: 'events', Attributes: { FifoTopic: 'true' } })), 'InvalidParameterException',
    'Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.', 400);
  await rejects(sns.send(new CreateTopicCommand({ Name: 'plain.fifo' })), 'InvalidParameterException', 'Invalid parameter: Topic Name', 400);
  await rejects(sns.send(new CreateTopicCommand({ Name: 'bad name' })), 'InvalidParameterException', 'Invalid parameter: Topic Name', 400);
  const standard = await sns.send(new CreateTopicCommand({ Name: 'standard' }));
  await rejects(sns.send(new SetTopicAttributesCommand({ TopicArn: standard.TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' })),
    'InvalidParameterException', 'Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics', 400);
});

test('SetTopicAttributes sets and clears; unknown names and topics are refused', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'settable' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  let attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.equal(attrs.DisplayName, 'Shown');
  assert.equal(attrs.SignatureVersion, '2');
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: '' }));
  attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.equal(attrs.DisplayName, '');
  await rejects(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Color', AttributeValue: 'red' })), 'InvalidParameterException', 'Invalid parameter: AttributeName', 400);
  await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arnOf('missing') })), 'NotFoundException', 'Topic does not exist', 404);
  await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })), 'InvalidParameterException', 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1', 400);
});

test('ListTopics pages by 100 with NextToken; DeleteTopic removes and is idempotent', async () => {
  const names = Array.from({ length: 105 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
  for (const Name of names) await sns.send(new CreateTopicCommand({ Name }));
  const seen: string[] = [];
  let NextToken: string | undefined;
  let pages = 0;
  do {
    const out = await sns.send(new ListTopicsCommand({ NextToken }));
    seen.push(...out.Topics!.map((t) => t.TopicArn!));
    NextToken = out.NextToken;
    pages++;
  } while (NextToken);
  assert.equal(pages, 2);
  for (const n of names) assert.ok(seen.includes(arnOf(n)), n);
  await sns.send(new DeleteTopicCommand({ TopicArn: arnOf('page-000') }));
  await sns.send(new DeleteTopicCommand({ TopicArn: arnOf('page-000') }));
  await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arnOf('page-000') })), 'NotFoundException', 'Topic does not exist', 404);
  const other = new SNSClient({ ...config(), region: 'eu-west-1' });
  assert.deepEqual((await other.send(new ListTopicsCommand({}))).Topics, []);
  other.destroy();
});

test('tags: TagResource, UntagResource, ListTagsForResource; unknown resource', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }));
  await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
  await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
  await rejects(sns.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('nope') })), 'ResourceNotFoundException', 'Resource does not exist', 404);
  await rejects(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'd', Value: '1' }, { Key: 'd', Value: '2' }] })), 'InvalidParameterException', 'Invalid parameter: Duplicated keys are not allowed.', 400);
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await rejects(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: many })), 'TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded', 400);
});

test('DataProtectionPolicy: stored at create, read and replaced', async () => {
  const policy = JSON.stringify({ Name: 'p', Version: '2021-06-01', Statement: [] });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'protected', DataProtectionPolicy: policy }));
  assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy, policy);
  const next = JSON.stringify({ Name: 'q', Version: '2021-06-01', Statement: [] });
  await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: next }));
  assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy, next);
});
