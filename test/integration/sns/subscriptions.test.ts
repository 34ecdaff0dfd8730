/**
 * SNS subscriptions through @aws-sdk/client-sns: Subscribe per protocol (SQS and Lambda
 * confirmed at once, HTTP and email pending with a token), ConfirmSubscription from the
 * SubscriptionConfirmation an HTTP endpoint receives, attributes with filter policies,
 * the list operations and Unsubscribe, with SNS's errors (Subscribe API reference).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, ConfirmSubscriptionCommand, UnsubscribeCommand,
  ListSubscriptionsCommand, ListSubscriptionsByTopicCommand, GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand, GetTopicAttributesCommand, DeleteTopicCommand,
} from '@aws-sdk/client-sns';
import { rejects } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

let topicArn: string;
const { cloud, config } = nimbusHarness({}, async () => {
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'subs' }))).TopicArn!;
});
const sns = new SNSClient(config());
after(() => sns.destroy());

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q1';

test('Subscribe sqs: confirmed at once, attributes as SNS reports them, idempotent', async () => {
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'true' } }));
  assert.match(SubscriptionArn!, new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
  const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
  assert.deepEqual(Attributes, {
    ConfirmationWasAuthenticated: 'true',
    Endpoint: QUEUE,
    Owner: '000000000000',
    PendingConfirmation: 'false',
    Protocol: 'sqs',
    RawMessageDelivery: 'true',
    SubscriptionArn,
    SubscriptionPrincipal: 'arn:aws:iam::000000000000:root',
    TopicArn: topicArn,
  });
  const again = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: QUEUE }));
  assert.equal(again.SubscriptionArn, SubscriptionArn);
  await rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'false' } })),
    'InvalidParameterException', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
  const topic = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!;
  assert.equal(topic.SubscriptionsConfirmed, '1');
});

test('Subscribe validates protocol and endpoint with SNS\'s reasons', async () => {
  const cases: [string, string | undefined, string][] = [
    ['carrier-pigeon', 'x', 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon'],
    ['sqs', 'https://sqs.us-east-1.amazonaws.com/000000000000/q', 'Invalid parameter: SQS endpoint ARN'],
    ['lambda', 'arn:aws:sqs:us-east-1:000000000000:q', 'Invalid parameter: Lambda endpoint ARN'],
    ['http', 'https://example.com/hook', 'Invalid parameter: Endpoint must match the specified protocol'],
    ['email', 'not-an-address', 'Invalid parameter: Email address'],
    ['sms', 'call me', 'Invalid SMS endpoint: call me'],
    ['sqs', 'arn:aws:sqs:us-east-1:000000000000:q.fifo', 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'],
  ];
  for (const [Protocol, Endpoint, message] of cases) {
    await rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol, Endpoint })), 'InvalidParameterException', message);
  }
  const fifo = (await sns.send(new CreateTopicCommand({ Name: 'subs.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn;
  await rejects(sns.send(new SubscribeCommand({ TopicArn: fifo, Protocol: 'email', Endpoint: 'a@example.com' })), 'InvalidParameterException', 'Invalid parameter: Invalid protocol type: email');
  await rejects(sns.send(new SubscribeCommand({ TopicArn: `${topicArn}-missing`, Protocol: 'sqs', Endpoint: QUEUE })), 'NotFoundException', 'Topic does not exist', 404);
});

test('Subscribe checks filter policies: Attributes Reason on Subscribe, plain on SetSubscriptionAttributes', async () => {
  await rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-fp`, Attributes: { FilterPolicy: '{"a":"b"}' } })),
    'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array');
  await rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-fp`, Attributes: { FilterPolicy: '{"a":{"b":["c"]}}' } })),
    'InvalidParameterException', 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy');
  await rejects(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-fp`, Attributes: { FilterPolicyScope: 'Body' } })),
    'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-fp`,
    Attributes: { FilterPolicy: '{"a":{"b":["c"]}}', FilterPolicyScope: 'MessageBody' },
  }));
  let attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.equal(attrs.FilterPolicy, '{"a":{"b":["c"]}}');
  assert.equal(attrs.FilterPolicyScope, 'MessageBody');
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageAttributes' })),
    'InvalidParameterException', 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{invalid' })),
    'InvalidParameterException', 'Invalid parameter: FilterPolicy: failed to parse JSON.');
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }) })),
    'InvalidParameterException', 'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys');
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'Color', AttributeValue: 'red' })),
    'InvalidParameterException', 'Invalid parameter: AttributeName');
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"store":["x"]}' }));
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: `${QUEUE}-dlq` }) }));
  attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
  assert.equal(attrs.FilterPolicy, '{"store":["x"]}');
  assert.equal(attrs.RedrivePolicy, JSON.stringify({ deadLetterTargetArn: `${QUEUE}-dlq` }));
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: '{"deadLetterTargetArn":"nope"}' })),
    'InvalidParameterException', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
});

test('HTTP: pending with a token sent in a SubscriptionConfirmation; ConfirmSubscription confirms', async () => {
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  try {
    const url = `http://127.0.0.1:${port}/hook`;
    const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');
    while (received.length === 0) await new Promise((r) => setTimeout(r, 10));
    const { headers, body } = received[0];
    assert.equal(headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.equal(headers['x-amz-sns-topic-arn'], topicArn);
    const msg = JSON.parse(body);
    assert.equal(msg.Type, 'SubscriptionConfirmation');
    assert.equal(msg.TopicArn, topicArn);
    assert.equal(msg.SignatureVersion, '1');
    assert.match(msg.Token, /^[0-9a-f]{288}$/);
    assert.equal(msg.SubscribeURL, `${cloud.endpoint}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${msg.Token}`);

    const listed = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions!;
    assert.deepEqual(listed.find((s) => s.Endpoint === url), { SubscriptionArn: 'PendingConfirmation', Owner: '000000000000', Protocol: 'http', Endpoint: url, TopicArn: topicArn });
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!.SubscriptionsPending, '1');

    await rejects(sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'bogus' })), 'InvalidParameterException', 'Invalid parameter: Token');
    const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: msg.Token }));
    assert.match(confirmed.SubscriptionArn!, new RegExp(`^${topicArn}:`));
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: confirmed.SubscriptionArn }))).Attributes!;
    assert.equal(attrs.PendingConfirmation, 'false');
    assert.equal(attrs.ConfirmationWasAuthenticated, 'false');
    assert.equal(JSON.parse(attrs.EffectiveDeliveryPolicy).healthyRetryPolicy.numRetries, 3);
  } finally {
    server.close();
  }
});

test('email pending; ReturnSubscriptionArn answers the ARN', async () => {
  const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'dev@example.com', ReturnSubscriptionArn: true }));
  assert.match(sub.SubscriptionArn!, new RegExp(`^${topicArn}:`));
  const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))).Attributes!;
  assert.equal(attrs.PendingConfirmation, 'true');
  const lambda = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' }));
  assert.match(lambda.SubscriptionArn!, new RegExp(`^${topicArn}:`));
});

test('Unsubscribe removes, counts SubscriptionsDeleted, is idempotent; errors', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'unsub' }));
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
  assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.length, 1);
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
  assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.SubscriptionsDeleted, '1');
  await rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFoundException', 'Subscription does not exist', 404);
  await rejects(sns.send(new UnsubscribeCommand({ SubscriptionArn: 'nope' })), 'InvalidParameterException', 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
  await rejects(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `${TopicArn}-x` })), 'NotFoundException', 'Topic does not exist', 404);
});

test('ListSubscriptions lists the region\'s subscriptions; DeleteTopic removes its subscriptions', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'listed' }));
  const arns: string[] = [];
  for (let i = 0; i < 3; i++) arns.push((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-l${i}` }))).SubscriptionArn!);
  const all = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!;
  for (const a of arns) assert.ok(all.some((s) => s.SubscriptionArn === a));
  await sns.send(new DeleteTopicCommand({ TopicArn }));
  const after = (await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!;
  for (const a of arns) assert.ok(!after.some((s) => s.SubscriptionArn === a));
});
