/**
 * Deliveries outside SQS and their failures: email, email-json and SMS messages
 * recorded at GET /_nimbus/sns/messages (nimbus has no mail server or carrier), a
 * FIFO topic fanned out to a FIFO queue keeping group order and deduplication, and a
 * delivery to a deleted queue landing in the subscription's dead-letter queue.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, ConfirmSubscriptionCommand, GetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud, config } = nimbusHarness();
const sns = new SNSClient(config());
const sqs = new SQSClient(config());
after(() => {
  sns.destroy();
  sqs.destroy();
});

interface Sent {
  Account: string; Region: string; Protocol: string; Endpoint: string; Type: string; TopicArn?: string; SubscriptionArn?: string;
  MessageId: string; Subject?: string; Message: string; Timestamp: string;
}

async function sent(query = ''): Promise<Sent[]> {
  const res = await fetch(`${cloud.endpoint}/_nimbus/sns/messages${query}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return ((await res.json()) as { messages: Sent[] }).messages;
}

async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

test('email, email-json and SMS deliveries are readable at GET /_nimbus/sns/messages', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail' }));
  const email = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'dev@example.com', ReturnSubscriptionArn: true }));
  const json = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'ops@example.com', ReturnSubscriptionArn: true }));
  const sms = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550101', ReturnSubscriptionArn: true }));

  // The confirmation requests, carrying the token that confirms each email subscription.
  const confirmations = await sent('?protocol=email');
  assert.equal(confirmations.length, 1);
  const c = confirmations[0];
  assert.equal(c.Type, 'SubscriptionConfirmation');
  assert.equal(c.Endpoint, 'dev@example.com');
  assert.equal(c.SubscriptionArn, email.SubscriptionArn);
  const envelope = JSON.parse(c.Message) as { Type: string; Token: string; TopicArn: string; SubscribeURL: string };
  assert.equal(envelope.Type, 'SubscriptionConfirmation');
  assert.equal(envelope.TopicArn, TopicArn);
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: envelope.Token }));
  const jsonToken = (JSON.parse((await sent('?protocol=email-json'))[0].Message) as { Token: string }).Token;
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: jsonToken }));
  const attrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: json.SubscriptionArn }));
  assert.equal(attrs.Attributes!.PendingConfirmation, 'false');

  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello', Subject: 'Greetings' }));
  const direct = await sns.send(new PublishCommand({ PhoneNumber: '+15555550199', Message: 'code 4321' }));

  const notifications = (await sent()).filter((m) => m.Type === 'Notification');
  assert.deepEqual(notifications.map((m) => [m.Protocol, m.Endpoint, m.MessageId]).sort(), [
    ['email', 'dev@example.com', MessageId],
    ['email-json', 'ops@example.com', MessageId],
    ['sms', '+15555550101', MessageId],
    ['sms', '+15555550199', direct.MessageId],
  ].sort());
  const byProtocol = new Map(notifications.filter((m) => m.MessageId === MessageId).map((m) => [m.Protocol, m]));
  const plain = byProtocol.get('email')!;
  assert.equal(plain.Message, 'hello');
  assert.equal(plain.Subject, 'Greetings');
  assert.equal(plain.TopicArn, TopicArn);
  assert.equal(plain.Account, '000000000000');
  assert.equal(plain.Region, 'us-east-1');
  assert.match(plain.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const jsonBody = JSON.parse(byProtocol.get('email-json')!.Message) as Record<string, string>;
  assert.equal(jsonBody.Type, 'Notification');
  assert.equal(jsonBody.MessageId, MessageId);
  assert.equal(jsonBody.Message, 'hello');
  assert.equal(jsonBody.Subject, 'Greetings');
  assert.equal(jsonBody.UnsubscribeURL, `${cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${json.SubscriptionArn}`);
  assert.equal(byProtocol.get('sms')!.SubscriptionArn, sms.SubscriptionArn);

  // Filters: endpoint (a phone number too), account, region.
  assert.deepEqual((await sent('?endpoint=%2B15555550199')).map((m) => m.Message), ['code 4321']);
  assert.deepEqual(await sent('?account=111111111111'), []);
  assert.deepEqual(await sent('?region=eu-west-1'), []);
});

test('FIFO topic to FIFO queue: each group in order, duplicates dropped, ids on the messages', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
  const q = await queue('fanout-q.fifo', { FifoQueue: 'true' });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  const publishes: Array<[string, string, string | undefined]> = [
    ['a', 'a1', undefined], ['b', 'b1', undefined], ['a', 'a2', 'id-a2'], ['b', 'b2', undefined],
    ['a', 'a2 again', 'id-a2'], // explicit id repeated: a duplicate
    ['b', 'b1', undefined], // same body: a duplicate by content
    ['a', 'a3', undefined],
  ];
  const ids: string[] = [];
  for (const [group, body, dedup] of publishes) {
    ids.push((await sns.send(new PublishCommand({ TopicArn, Message: body, MessageGroupId: group, MessageDeduplicationId: dedup }))).MessageId!);
  }
  assert.equal(ids[4], ids[2]);
  assert.equal(ids[5], ids[1]);

  const received: Array<{ group: string; body: string; dedup: string }> = [];
  for (let i = 0; i < 10 && received.length < 5; i++) {
    // One message at a time: the next of a group only after the previous one is deleted.
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'] }));
    for (const m of out.Messages ?? []) {
      const envelope = JSON.parse(m.Body!) as { Message: string; SequenceNumber: string; TopicArn: string };
      assert.equal(envelope.TopicArn, TopicArn);
      assert.match(envelope.SequenceNumber, /^\d{20}$/);
      received.push({ group: m.Attributes!.MessageGroupId!, body: envelope.Message, dedup: m.Attributes!.MessageDeduplicationId! });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  assert.deepEqual(received.filter((m) => m.group === 'a').map((m) => m.body), ['a1', 'a2', 'a3']);
  assert.deepEqual(received.filter((m) => m.group === 'b').map((m) => m.body), ['b1', 'b2']);
  assert.equal(received.find((m) => m.body === 'a2')!.dedup, 'id-a2');
  assert.match(received.find((m) => m.body === 'a1')!.dedup, /^[0-9a-f]{64}$/);
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10 }))).Messages, undefined);
});

test('a delivery to a deleted queue goes to the subscription\'s dead-letter queue', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-deleted' }));
  const target = await queue('soon-deleted');
  const dlq = await queue('soon-deleted-dlq');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'sqs', Endpoint: target.arn, ReturnSubscriptionArn: true,
    Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
  }));
  // Delivered while the queue exists (its URL is now known to SNS)...
  await sns.send(new PublishCommand({ TopicArn, Message: 'first' }));
  const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: target.url }))).Messages ?? [];
  assert.deepEqual(first.map((m) => (JSON.parse(m.Body!) as { Message: string }).Message), ['first']);
  // ...then to the dead-letter queue once the queue is gone: the envelope SNS would have delivered.
  await sqs.send(new DeleteQueueCommand({ QueueUrl: target.url }));
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'second', Subject: 'undeliverable' }));
  const dead = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10 }))).Messages ?? [];
  assert.equal(dead.length, 1);
  const envelope = JSON.parse(dead[0].Body!) as Record<string, string>;
  assert.equal(envelope.Type, 'Notification');
  assert.equal(envelope.MessageId, MessageId);
  assert.equal(envelope.Message, 'second');
  assert.equal(envelope.Subject, 'undeliverable');
  assert.equal(envelope.TopicArn, TopicArn);
  assert.equal(envelope.UnsubscribeURL, `${cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`);
});

test('one publish to several queues: each live queue gets it once, a deleted one\'s delivery goes to its dead-letter queue', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fan-three' }));
  const live = [await queue('fan-three-a'), await queue('fan-three-c')];
  const gone = await queue('fan-three-b');
  const dlq = await queue('fan-three-dlq');
  for (const q of [live[0], gone, live[1]]) {
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'sqs', Endpoint: q.arn,
      Attributes: { RawMessageDelivery: 'true', ...(q === gone ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } : {}) },
    }));
  }
  // The first publish makes SNS know every queue's URL; the second's deliveries all run within one transaction.
  await sns.send(new PublishCommand({ TopicArn, Message: 'warm', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'fanned', MessageAttributes: { n: { DataType: 'Number', StringValue: '2' } } }));
  for (const q of live) {
    const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];
    assert.deepEqual(got.map((m) => [m.Body, m.MessageAttributes?.n?.StringValue]), [['warm', '1'], ['fanned', '2']]);
  }
  const dead = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10 }))).Messages ?? [];
  assert.deepEqual(dead.map((m) => m.Body), ['fanned']);
});
