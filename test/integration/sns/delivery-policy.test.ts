/**
 * HTTP(S) delivery failures ("Amazon SNS dead-letter queues", "Amazon SNS message delivery
 * retries"): a 4xx other than 429 is a client-side error, not retried and dead-lettered at
 * once; a 429 or a 5xx is a server-side error, retried per the delivery policy, then
 * dead-lettered. Without a RedrivePolicy the message is discarded.
 */
import { test, before, after } from 'node:test';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, ConfirmSubscriptionCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  cloud = await startTestNimbus();
  sns = new SNSClient(clientConfig(cloud.endpoint));
  sqs = new SQSClient(clientConfig(cloud.endpoint));
});
after(async () => {
  sns.destroy();
  sqs.destroy();
  await cloud.stop();
});

/** An endpoint that confirms its subscription and answers each notification with the next status of `statuses`. */
interface Endpoint {
  server: Server;
  url: string;
  attempts: string[];
  /** Resolves when `n` notification attempts have arrived. */
  attempted(n: number): Promise<void>;
  confirmation: Promise<string>;
}

async function endpoint(statuses: number[]): Promise<Endpoint> {
  const attempts: string[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let confirm: (body: string) => void = () => {};
  const confirmation = new Promise<string>((r) => (confirm = r));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.headers['x-amz-sns-message-type'] === 'SubscriptionConfirmation') {
        res.end();
        confirm(body);
        return;
      }
      res.statusCode = statuses[Math.min(attempts.length, statuses.length - 1)];
      attempts.push(body);
      res.end();
      for (const w of waiters) if (attempts.length >= w.n) w.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server, attempts, confirmation,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    attempted: (n) => new Promise<void>((resolve) => (attempts.length >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

async function dlq(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Subscribes the endpoint (raw delivery, one retry a second later) and confirms it. */
async function subscribe(name: string, e: Endpoint, deadLetterArn?: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const Attributes: Record<string, string> = {
    RawMessageDelivery: 'true',
    DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 1, minDelayTarget: 1, maxDelayTarget: 1 } }),
  };
  if (deadLetterArn) Attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: deadLetterArn });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: e.url, Attributes }));
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: JSON.parse(await e.confirmation).Token }));
  return TopicArn!;
}

async function deadLettered(url: string): Promise<string[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
  return (Messages ?? []).map((m) => m.Body!);
}

for (const status of [400, 403, 404, 410]) {
  test(`a ${status} is a client-side error: not retried, dead-lettered at once`, async () => {
    const e = await endpoint([status, 200]);
    try {
      const q = await dlq(`client-error-${status}-dlq`);
      const TopicArn = await subscribe(`client-error-${status}`, e, q.arn);
      await sns.send(new PublishCommand({ TopicArn, Message: `rejected with ${status}` }));
      // The dead-lettered message arrives without the one-second retry ever being made.
      assert.deepEqual(await deadLettered(q.url), [`rejected with ${status}`]);
      assert.deepEqual(e.attempts, [`rejected with ${status}`]);
    } finally {
      e.server.close();
    }
  });
}

test('a 429 is a server-side error: retried per the delivery policy, delivered on the retry', async () => {
  const e = await endpoint([429, 200]);
  try {
    const q = await dlq('throttled-dlq');
    const TopicArn = await subscribe('throttled', e, q.arn);
    await sns.send(new PublishCommand({ TopicArn, Message: 'slow down' }));
    await e.attempted(2);
    assert.deepEqual(e.attempts, ['slow down', 'slow down']);
    // Delivered on the retry: nothing in the dead-letter queue.
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }));
    assert.equal(Messages, undefined);
  } finally {
    e.server.close();
  }
});

test('a 429 on every attempt is dead-lettered once the retries are exhausted', async () => {
  const e = await endpoint([429]);
  try {
    const q = await dlq('always-throttled-dlq');
    const TopicArn = await subscribe('always-throttled', e, q.arn);
    await sns.send(new PublishCommand({ TopicArn, Message: 'never accepted' }));
    assert.deepEqual(await deadLettered(q.url), ['never accepted']);
    assert.equal(e.attempts.length, 2);
  } finally {
    e.server.close();
  }
});

test('a 4xx without a RedrivePolicy discards the message, and later ones are still delivered', async () => {
  const e = await endpoint([400, 200]);
  try {
    const TopicArn = await subscribe('client-error-no-dlq', e);
    await sns.send(new PublishCommand({ TopicArn, Message: 'dropped' }));
    await e.attempted(1);
    // Failed deliveries don't change the subscription: the next message is delivered.
    await sns.send(new PublishCommand({ TopicArn, Message: 'next' }));
    await e.attempted(2);
    assert.deepEqual(e.attempts, ['dropped', 'next']);
  } finally {
    e.server.close();
  }
});
