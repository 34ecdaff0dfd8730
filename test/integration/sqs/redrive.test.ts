/**
 * Dead-letter queue redrive through the SDK v3: StartMessageMoveTask back to each
 * message's source queue or to a destination, ListMessageMoveTasks, and
 * CancelMessageMoveTask. Source: SQS API reference for the three operations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, GetQueueAttributesCommand,
  StartMessageMoveTaskCommand, ListMessageMoveTasksCommand, CancelMessageMoveTaskCommand, type ListMessageMoveTasksResultEntry,
} from '@aws-sdk/client-sqs';
import { rejects } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

const { config } = nimbusHarness();
const sqs = new SQSClient(config());

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function depth(QueueUrl: string): Promise<number> {
  return Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);
}

/** Sends bodies to a queue whose maxReceiveCount is 1 and receives twice, so they land in its dead-letter queue. */
async function deadLetter(QueueUrl: string, bodies: string[]): Promise<void> {
  for (const b of bodies) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: b }));
  await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
}

/** The newest task of a source once it is no longer running (bounded: a stuck task fails the test). */
async function finished(sourceArn: string): Promise<ListMessageMoveTasksResultEntry> {
  for (let i = 0; i < 500; i++) {
    const t = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }))).Results![0];
    if (t.Status !== 'RUNNING') return t;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('task still running');
}

test('a move task without destination returns each message to its source queue', async () => {
  await queue('rd-dlq');
  const redrive = JSON.stringify({ deadLetterTargetArn: arn('rd-dlq'), maxReceiveCount: 1 });
  const src1 = await queue('rd-src1', { RedrivePolicy: redrive });
  const src2 = await queue('rd-src2', { RedrivePolicy: redrive });
  await deadLetter(src1, ['a', 'b']);
  await deadLetter(src2, ['c']);
  const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('rd-dlq') }));
  assert.ok(started.TaskHandle);
  const t = await finished(arn('rd-dlq'));
  assert.equal(typeof t.StartedTimestamp, 'number');
  assert.deepEqual({ ...t, StartedTimestamp: 0 }, {
    Status: 'COMPLETED', SourceArn: arn('rd-dlq'), ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3, StartedTimestamp: 0,
  });
  const back1 = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: src1, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
  assert.deepEqual(back1.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount]).sort(), [['a', '1'], ['b', '1']]);
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src2, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body), ['c']);
  // A finished task can no longer be cancelled.
  await rejects(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle })), 'ResourceNotFoundException', 'Task does not exist.', 404);
});

test('a move task to a destination at a set rate can be cancelled; one task per source at a time', async () => {
  await queue('rc-dlq');
  const dest = await queue('rc-dest');
  const src = await queue('rc-src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('rc-dlq'), maxReceiveCount: 1 }) });
  await deadLetter(src, ['1', '2', '3', '4', '5']);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('rc-dlq'), DestinationArn: arn('rc-dest'), MaxNumberOfMessagesPerSecond: 1 }));
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('rc-dlq') })), 'InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  const running = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rc-dlq'), MaxResults: 10 }))).Results!;
  assert.equal(running.length, 1);
  assert.equal(running[0].Status, 'RUNNING');
  assert.equal(running[0].TaskHandle, TaskHandle);
  assert.equal(running[0].DestinationArn, arn('rc-dest'));
  assert.equal(running[0].MaxNumberOfMessagesPerSecond, 1);
  const { ApproximateNumberOfMessagesMoved: moved } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.ok(moved !== undefined && moved < 5);
  const t = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('rc-dlq') }))).Results![0];
  assert.equal(t.Status, 'CANCELLED');
  assert.equal(t.TaskHandle, undefined);
  assert.equal(t.ApproximateNumberOfMessagesMoved, moved);
  assert.equal(await depth(dest), moved);
  assert.equal(await depth(await queue('rc-dlq')), 5 - moved!);
});

test('StartMessageMoveTask checks its source and destination', async () => {
  await queue('plain');
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('plain') })), 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('nowhere') })), 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.", 404);
  await queue('chk-dlq');
  await queue('chk-src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('chk-dlq'), maxReceiveCount: 1 }) });
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('chk-dlq'), DestinationArn: arn('nowhere') })), 'ResourceNotFoundException', "The resource that you specified for the DestinationArn parameter doesn't exist.", 404);
  assert.deepEqual((await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('chk-dlq') }))).Results ?? [], []);
});
