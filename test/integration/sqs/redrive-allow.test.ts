/**
 * RedriveAllowPolicy enforced (SetQueueAttributes API reference, RedriveAllowPolicy):
 * denyAll lets no source queue name the queue as its dead-letter queue, byQueue only the
 * queues of sourceQueueArns (1 to 10 ARNs), allowAll (the default) any. A RedrivePolicy
 * naming a queue that does not allow the source is refused by CreateQueue and
 * SetQueueAttributes; a policy changed afterwards keeps messages in the source queue.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, SetQueueAttributesCommand, GetQueueAttributesCommand, GetQueueUrlCommand,
  SendMessageCommand, ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
let sqs: SQSClient;
before(async () => {
  cloud = await startTestNimbus();
  sqs = new SQSClient(clientConfig(cloud.endpoint));
});
after(async () => {
  sqs.destroy();
  await cloud.stop();
});

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const redrive = (dlq: string, maxReceiveCount = 1) => JSON.stringify({ deadLetterTargetArn: arn(dlq), maxReceiveCount });
const denied = (policy: string) => `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue's RedriveAllowPolicy does not allow this queue as a source queue.`;

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected a failure');
}

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function attribute(QueueUrl: string, name: 'RedrivePolicy' | 'ApproximateNumberOfMessages'): Promise<string | undefined> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [name] }))).Attributes?.[name];
}

test('CreateQueue refuses a RedrivePolicy naming a denyAll dead-letter queue, and creates no queue', async () => {
  await queue('deny-all-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
  const policy = redrive('deny-all-dlq');
  assert.deepEqual(await failure(sqs.send(new CreateQueueCommand({ QueueName: 'deny-all-src', Attributes: { RedrivePolicy: policy } }))),
    { name: 'InvalidParameterValue', message: denied(policy), status: 400 });
  assert.equal((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'deny-all-src' })))).name, 'QueueDoesNotExist');
});

test('byQueue allows only the queues of sourceQueueArns, through CreateQueue and SetQueueAttributes', async () => {
  await queue('by-queue-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('by-queue-allowed')] }) });
  const policy = redrive('by-queue-dlq', 3);
  // The listed source: accepted when created with the policy.
  const allowed = await queue('by-queue-allowed', { RedrivePolicy: policy });
  assert.equal(await attribute(allowed, 'RedrivePolicy'), JSON.stringify({ deadLetterTargetArn: arn('by-queue-dlq'), maxReceiveCount: 3 }));
  // Another queue: refused, its attributes unchanged.
  const other = await queue('by-queue-other');
  assert.deepEqual(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: other, Attributes: { RedrivePolicy: policy, VisibilityTimeout: '5' } }))),
    { name: 'InvalidParameterValue', message: denied(policy), status: 400 });
  const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: other, AttributeNames: ['All'] }))).Attributes!;
  assert.equal(attrs.RedrivePolicy, undefined);
  assert.equal(attrs.VisibilityTimeout, '30');
});

test('allowAll, or no RedriveAllowPolicy, allows any source queue', async () => {
  await queue('allow-all-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }) });
  await queue('no-allow-policy-dlq');
  const a = await queue('allow-all-src', { RedrivePolicy: redrive('allow-all-dlq') });
  assert.equal(await attribute(a, 'RedrivePolicy'), redrive('allow-all-dlq'));
  const b = await queue('no-allow-policy-src');
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: b, Attributes: { RedrivePolicy: redrive('no-allow-policy-dlq') } }));
  assert.equal(await attribute(b, 'RedrivePolicy'), redrive('no-allow-policy-dlq'));
});

test('byQueue takes 1 to 10 source queue ARNs', async () => {
  const dlq = await queue('ten-sources-dlq');
  const ten = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 10 }, (_, i) => arn(`src-${i}`)) });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: ten } }));
  const eleven = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => arn(`src-${i}`)) });
  assert.deepEqual(await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: eleven } }))), {
    name: 'InvalidParameterValue', status: 400,
    message: `Value ${eleven} for parameter RedriveAllowPolicy is invalid. Reason: sourceQueueArns must be specified with 1 to 10 queue ARNs when redrivePermission is byQueue.`,
  });
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['RedriveAllowPolicy'] }))).Attributes!.RedriveAllowPolicy, ten);
});

test('a dead-letter queue that stops allowing its source leaves messages in the source queue', async () => {
  const dlq = await queue('revoked-dlq');
  const src = await queue('revoked-src', { RedrivePolicy: redrive('revoked-dlq') });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'stays' }));
  // Past maxReceiveCount (1) the message is still received from the source queue.
  for (const count of ['1', '2', '3']) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.deepEqual(Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount]), [['stays', count]]);
  }
  assert.equal(await attribute(dlq, 'ApproximateNumberOfMessages'), '0');
  // Allowed again (byQueue naming the source): the next receive moves it.
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn('revoked-src')] }) } }));
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
  const moved = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] }))).Messages ?? [];
  assert.deepEqual(moved.map((m) => [m.Body, m.Attributes?.DeadLetterQueueSourceArn]), [['stays', arn('revoked-src')]]);
});
