/**
 * FIFO queues through the SDK v3: order within a message group, a group held back
 * while one of its messages is in flight, 5-minute deduplication (explicit and
 * content-based, per queue or per group), growing sequence numbers, and the FIFO
 * errors. Source: SQS Developer Guide, "Amazon SQS FIFO queues".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand,
  DeleteMessageCommand, GetQueueAttributesCommand, ChangeMessageVisibilityCommand,
} from '@aws-sdk/client-sqs';
import { rejects } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

let offset = 0;
const clock = { now: () => Date.now() + offset };
const { config } = nimbusHarness({ clock });
const sqs = new SQSClient(config());

async function fifo(name: string, Attributes: Record<string, string> = {}): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ...Attributes } }))).QueueUrl!;
}

async function visible(QueueUrl: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages!;
}

test('Messages of a group come in order; the group waits while one of its messages is in flight', async () => {
  const QueueUrl = await fifo('order.fifo');
  for (const [g, b] of [['A', 'a1'], ['B', 'b1'], ['A', 'a2'], ['A', 'a3'], ['B', 'b2']]) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: b, MessageGroupId: g, MessageDeduplicationId: b }));
  }
  // As many messages of one group as possible first, in order.
  const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['All'] }))).Messages!;
  assert.deepEqual(first.map((m) => m.Body), ['a1', 'a2']);
  const a1 = first[0];
  assert.equal(a1.Attributes!.MessageGroupId, 'A');
  assert.equal(a1.Attributes!.MessageDeduplicationId, 'a1');
  assert.match(a1.Attributes!.SequenceNumber!, /^\d{20}$/);
  assert.ok(BigInt(first[1].Attributes!.SequenceNumber!) > BigInt(a1.Attributes!.SequenceNumber!));
  const b = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }))).Messages!;
  assert.deepEqual(b.map((m) => m.Body), ['b1']);
  // Both groups have a message in flight: nothing is receivable.
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: a1.ReceiptHandle }));
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[1].ReceiptHandle }));
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body), ['a3']);
  // Visibility runs out: b1 comes back before b2, and group B's oldest message is older than a3.
  offset += 31_000;
  const again = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
  assert.deepEqual(again.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]), [['b1', '2'], ['b2', '1'], ['a3', '2']]);
});

test('Sequence numbers grow; a duplicate within 5 minutes is answered as the original and not enqueued', async () => {
  const QueueUrl = await fifo('dedup.fifo');
  const s1 = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  const s2 = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
  assert.ok(BigInt(s2.SequenceNumber!) > BigInt(s1.SequenceNumber!));
  const dup = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one again', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  assert.equal(dup.MessageId, s1.MessageId);
  assert.equal(dup.SequenceNumber, s1.SequenceNumber);
  assert.equal(await visible(QueueUrl), '2');
  // Deleted messages still deduplicate within the interval.
  const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!;
  for (const m of got) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  assert.equal(await visible(QueueUrl), '0');
  offset += 5 * 60_000 + 1000;
  const later = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
  assert.notEqual(later.MessageId, s1.MessageId);
  assert.equal(await visible(QueueUrl), '1');
});

test('Content-based deduplication uses the body; DeduplicationScope messageGroup deduplicates per group', async () => {
  const QueueUrl = await fifo('content.fifo', { ContentBasedDeduplication: 'true' });
  const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g1' }));
  const b = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g2', MessageAttributes: { x: { DataType: 'String', StringValue: 'y' } } }));
  assert.equal(b.MessageId, a.MessageId);
  assert.equal(await visible(QueueUrl), '1');
  const m = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['MessageDeduplicationId'] }))).Messages![0];
  assert.match(m.Attributes!.MessageDeduplicationId!, /^[0-9a-f]{64}$/);

  const perGroup = await fifo('per-group.fifo', { ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  const p1 = await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'same', MessageGroupId: 'g1' }));
  const p2 = await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'same', MessageGroupId: 'g2' }));
  const p3 = await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: 'same', MessageGroupId: 'g1' }));
  assert.notEqual(p2.MessageId, p1.MessageId);
  assert.equal(p3.MessageId, p1.MessageId);
  assert.equal(await visible(perGroup), '2');
});

test('Batches deduplicate between their own entries', async () => {
  const QueueUrl = await fifo('batch-dedup.fifo');
  const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
    { Id: 'a', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
    { Id: 'b', MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
    { Id: 'c', MessageBody: 'z', MessageGroupId: 'g' },
  ] }));
  assert.deepEqual(r.Successful!.map((s) => s.Id), ['a', 'b']);
  assert.equal(r.Successful![0].MessageId, r.Successful![1].MessageId);
  assert.deepEqual(r.Failed, [{ Id: 'c', SenderFault: true, Code: 'InvalidParameterValue', Message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' }]);
  assert.equal(await visible(QueueUrl), '1');
});

test('FIFO errors: missing group, missing deduplication id, per-message delay, expired receipt handle', async () => {
  const QueueUrl = await fifo('errors.fifo');
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })), 'MissingParameter', 'The request must contain the parameter MessageGroupId.');
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })), 'InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })), 'InvalidParameterValue', 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: '', MessageDeduplicationId: 'd' })), 'InvalidParameterValue', 'Value  for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'has space' })), 'InvalidParameterValue', 'Value has space for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
  const standard = (await sqs.send(new CreateQueueCommand({ QueueName: 'not-fifo' }))).QueueUrl!;
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: standard, MessageBody: 'x', MessageDeduplicationId: 'd' })), 'InvalidParameterValue', 'Value d for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.');
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
  const m = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 5 }))).Messages![0];
  offset += 6000;
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle })), 'InvalidParameterValue', `Value ${m.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
  const m2 = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0];
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m2.ReceiptHandle, VisibilityTimeout: 60 }));
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m2.ReceiptHandle }));
  assert.equal(await visible(QueueUrl), '0');
});

test('ReceiveRequestAttemptId: a retried receive answers the same messages and receipt handles', async () => {
  const QueueUrl = await fifo('attempts.fifo');
  for (const b of ['m1', 'm2', 'm3']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: b, MessageGroupId: b, MessageDeduplicationId: b }));
  const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'try-1' }))).Messages!;
  const retry = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'try-1' }))).Messages!;
  assert.deepEqual(retry.map((m) => [m.Body, m.ReceiptHandle]), first.map((m) => [m.Body, m.ReceiptHandle]));
  const other = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'try-2' }))).Messages!;
  assert.deepEqual(other.map((m) => m.Body), ['m3']);
  // Once a message of the attempt is deleted, the id starts a new receive.
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first[0].ReceiptHandle }));
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'try-1' }))).Messages, undefined);
});
