/**
 * Publish and PublishBatch through @aws-sdk/client-sns with delivery into real SQS
 * queues of the same nimbus: the notification envelope, raw delivery with message
 * attributes, filter policies on attributes and body, MessageStructure=json, FIFO
 * ordering and deduplication, dead-letter queues, and SNS's errors (Publish API reference).
 */
import { test, after } from 'node:test';
import { createServer } from 'node:http';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, PublishBatchCommand, ConfirmSubscriptionCommand,
} from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { rejects } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { cloud, config } = nimbusHarness();
const sns = new SNSClient(config());
const sqs = new SQSClient(config());
after(() => {
  sns.destroy();
  sqs.destroy();
});

interface Queue { url: string; arn: string }

async function queue(name: string, attributes: Record<string, string> = {}): Promise<Queue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function receive(q: Queue, max = 10) {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: max, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
  return out.Messages ?? [];
}

async function topic(name: string, attributes?: Record<string, string>): Promise<string> {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn!;
}

test('Publish delivers the notification envelope to an SQS subscriber', async () => {
  const TopicArn = await topic('envelope');
  const q = await queue('envelope-q');
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  const { MessageId } = await sns.send(new PublishCommand({
    TopicArn, Message: 'hello', Subject: 'Greeting',
    MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' }, bytes: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
  }));
  assert.match(MessageId!, /^[0-9a-f-]{36}$/);
  const [m] = await receive(q);
  const body = JSON.parse(m.Body!);
  assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(body.Type, 'Notification');
  assert.equal(body.MessageId, MessageId);
  assert.equal(body.TopicArn, TopicArn);
  assert.equal(body.Subject, 'Greeting');
  assert.equal(body.Message, 'hello');
  assert.match(body.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(body.SignatureVersion, '1');
  assert.equal(Buffer.from(body.Signature, 'base64').length, 256);
  assert.equal(body.SigningCertURL, `${cloud.endpoint}/_nimbus/sns/SimpleNotificationService.pem`);
  assert.equal(body.UnsubscribeURL, `${cloud.endpoint}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`);
  assert.deepEqual(body.MessageAttributes, { color: { Type: 'String', Value: 'blue' }, bytes: { Type: 'Binary', Value: 'AQID' } });
  assert.equal(m.MessageAttributes, undefined);
});

test('RawMessageDelivery: the message itself with its attributes as SQS message attributes', async () => {
  const TopicArn = await topic('raw');
  const q = await queue('raw-q');
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"order":1}', MessageAttributes: { n: { DataType: 'Number', StringValue: '42' }, s: { DataType: 'String', StringValue: 'x' } } }));
  const [m] = await receive(q);
  assert.equal(m.Body, '{"order":1}');
  assert.deepEqual(m.MessageAttributes, { n: { DataType: 'Number', StringValue: '42' }, s: { DataType: 'String', StringValue: 'x' } });
});

test('filter policies pick subscribers by attributes and by body', async () => {
  const TopicArn = await topic('filtered');
  const all = await queue('f-all');
  const red = await queue('f-red');
  const big = await queue('f-big');
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: all.arn, Attributes: { RawMessageDelivery: 'true' } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: red.arn, Attributes: { RawMessageDelivery: 'true', FilterPolicy: '{"color":["red"],"size":[{"numeric":[">",1]}]}' } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: big.arn, Attributes: { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageBody', FilterPolicy: '{"order":{"total":[{"numeric":[">=",100]}]}}' } }));
  const publish = (Message: string, color?: string, size?: string) => sns.send(new PublishCommand({
    TopicArn, Message,
    MessageAttributes: { ...(color ? { color: { DataType: 'String', StringValue: color } } : {}), ...(size ? { size: { DataType: 'Number', StringValue: size } } : {}) },
  }));
  await publish('{"order":{"total":5}}', 'red', '2');
  await publish('{"order":{"total":500}}', 'blue', '2');
  await publish('not json', 'red', '1');
  assert.deepEqual((await receive(all)).map((m) => m.Body).sort(), ['not json', '{"order":{"total":500}}', '{"order":{"total":5}}'].sort());
  assert.deepEqual((await receive(red)).map((m) => m.Body), ['{"order":{"total":5}}']);
  assert.deepEqual((await receive(big)).map((m) => m.Body), ['{"order":{"total":500}}']);
});

test('MessageStructure json: each protocol gets its entry, others the default', async () => {
  const TopicArn = await topic('structured');
  const q = await queue('structured-q');
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
  await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues' }) }));
  const [m] = await receive(q);
  assert.equal(JSON.parse(m.Body!).Message, 'for queues');
  await rejects(sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: '{"sqs":"x"}' })), 'InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body');
  await rejects(sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: 'plain' })), 'InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse');
});

test('FIFO topic to FIFO queue: sequence numbers, group ids, deduplication', async () => {
  const TopicArn = await topic('orders.fifo', { FifoTopic: 'true' });
  const q = await queue('orders-q.fifo', { FifoQueue: 'true' });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const a = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  const b = await sns.send(new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
  const dup = await sns.send(new PublishCommand({ TopicArn, Message: 'one again', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  assert.match(a.SequenceNumber!, /^\d{20}$/);
  assert.ok(BigInt(b.SequenceNumber!) > BigInt(a.SequenceNumber!));
  assert.equal(dup.MessageId, a.MessageId);
  assert.equal(dup.SequenceNumber, a.SequenceNumber);
  const got = await receive(q);
  assert.deepEqual(got.map((m) => m.Body), ['one', 'two']);
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x' })), 'InvalidParameterException', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageGroupId: 'g' })), 'InvalidParameterException',
    'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  const standard = await topic('not-fifo');
  await rejects(sns.send(new PublishCommand({ TopicArn: standard, Message: 'x', MessageDeduplicationId: 'd' })), 'InvalidParameterException',
    'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
});

test('a failed delivery goes to the subscription\'s dead-letter queue', async () => {
  const TopicArn = await topic('with-dlq');
  const dlq = await queue('dlq');
  await sns.send(new SubscribeCommand({
    TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:never-created',
    Attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
  }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'lost' }));
  assert.deepEqual((await receive(dlq)).map((m) => m.Body), ['lost']);
});

test('Publish errors: target, empty, size, subject, attributes, missing topic', async () => {
  const TopicArn = await topic('errors');
  await rejects(sns.send(new PublishCommand({ Message: 'x' })), 'InvalidParameterException', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: '' })), 'InvalidParameterException', 'Invalid parameter: Empty message');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 'Invalid parameter: Message too long');
  await sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_144) }));
  assert.match((await sns.send(new PublishCommand({ TargetArn: TopicArn, Message: 'via TargetArn' }))).MessageId!, /^[0-9a-f-]{36}$/);
  await rejects(sns.send(new PublishCommand({ TopicArn, TargetArn: TopicArn, Message: 'x' })), 'InvalidParameterException',
    'Invalid parameter: TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', Subject: 'line\nbreak' })), 'InvalidParameterException', 'Invalid parameter: Subject');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'Decimal', StringValue: '1' } } })),
    'InvalidParameterValueException', 'The message attribute \'a\' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'Number', StringValue: 'ten' } } })),
    'InvalidParameterValueException', 'Could not cast message attribute \'a\' value to number.');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } })),
    'InvalidParameterValueException', 'The message attribute \'a\' must contain non-empty message attribute value for message attribute type \'String\'.');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { 'a..b': { DataType: 'String', StringValue: 'v' } } })),
    'InvalidParameterValueException', 'Message attribute name can not have successive \'.\' character.');
  await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { 'a b': { DataType: 'String', StringValue: 'v' } } })),
    'InvalidParameterValueException', 'Invalid non-alphanumeric character \'#x20\' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.');
  await rejects(sns.send(new PublishCommand({ TopicArn: `${TopicArn}-gone`, Message: 'x' })), 'NotFoundException', 'Topic does not exist', 404);
  const sms = await sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'code 1234' }));
  assert.match(sms.MessageId!, /^[0-9a-f-]{36}$/);
  await rejects(sns.send(new PublishCommand({ PhoneNumber: '555', Message: 'x' })), 'InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: 555 is not valid to publish to');
});

test('PublishBatch: successes and per-entry failures; batch-level errors', async () => {
  const TopicArn = await topic('batch');
  const q = await queue('batch-q');
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
  const out = await sns.send(new PublishBatchCommand({
    TopicArn,
    PublishBatchRequestEntries: [
      { Id: 'a', Message: 'first' },
      { Id: 'b', Message: '' },
      { Id: 'c', Message: 'third', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
    ],
  }));
  assert.deepEqual(out.Successful!.map((s) => s.Id), ['a', 'c']);
  assert.deepEqual(out.Failed, [{ Id: 'b', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
  assert.deepEqual((await receive(q)).map((m) => m.Body).sort(), ['first', 'third']);
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })), 'EmptyBatchRequestException', 'The batch request doesn\'t contain any entries.');
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' })) })),
    'TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.');
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: 'm' }, { Id: 'x', Message: 'n' }] })),
    'BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'bad id!', Message: 'm' }] })),
    'InvalidBatchEntryIdException', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
});

test('HTTP subscribers get the notification with SNS\'s headers; a 500 is retried per the delivery policy', async () => {
  const TopicArn = await topic('http-delivery');
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let failNext = false;
  let arrived: () => void = () => {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failNext ? 500 : 200;
      failNext = false;
      res.end();
      arrived();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const next = () => new Promise<void>((r) => (arrived = r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    let got = next();
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'http', Endpoint: url,
      Attributes: { DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1 } }) },
    }));
    await got;
    const token = JSON.parse(received[0].body).Token;
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));

    failNext = true;
    got = next();
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'ping', Subject: 'S' }));
    await got;
    got = next();
    await got; // the retry
    const [first, retry] = received.slice(1);
    assert.equal(first.body, retry.body);
    assert.equal(retry.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(retry.headers['x-amz-sns-message-id'], MessageId);
    assert.equal(retry.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(retry.headers['x-amz-sns-subscription-arn'], SubscriptionArn);
    assert.equal(retry.headers['content-type'], 'text/plain; charset=UTF-8');
    const body = JSON.parse(retry.body);
    assert.equal(body.Type, 'Notification');
    assert.equal(body.Message, 'ping');
    assert.equal(body.Subject, 'S');
  } finally {
    server.close();
  }
});

test('an HTTP delivery still failing once its retries are exhausted goes to the subscription\'s dead-letter queue', async () => {
  const TopicArn = await topic('http-dead-letter');
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'http-dead-letter-dlq' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  let attempts = 0;
  let confirmation = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.headers['x-amz-sns-message-type'] === 'SubscriptionConfirmation') {
        confirmation = body;
        res.end();
        return;
      }
      attempts++;
      res.statusCode = 503;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'http', Endpoint: url,
      Attributes: {
        RawMessageDelivery: 'true',
        DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1 } }),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn }),
      },
    }));
    while (!confirmation) await new Promise((r) => setTimeout(r, 10));
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: JSON.parse(confirmation).Token }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'undeliverable', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
    // Long polling waits for the dead-lettered message: the first attempt, one retry a second later, then the queue.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MessageAttributeNames: ['All'] }));
    assert.deepEqual(Messages?.map((m) => [m.Body, m.MessageAttributes?.k?.StringValue]), [['undeliverable', 'v']]);
    assert.equal(attempts, 2);
  } finally {
    server.close();
  }
});
