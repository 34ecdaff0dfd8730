/**
 * SQS messages on standard queues through the SDK v3: send and batch limits, MD5s
 * as AWS computes them, receive with system and message attributes, visibility and
 * receipt handles, delays, long polling woken by a send, redrive to a dead-letter
 * queue, retention. Sources: the SQS API reference (SendMessage, ReceiveMessage, ...)
 * and the Developer Guide (message attribute MD5, dead-letter queues, quotas).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, SendMessageBatchCommand, ReceiveMessageCommand,
  DeleteMessageCommand, DeleteMessageBatchCommand, ChangeMessageVisibilityCommand, ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { failure } from '../../helpers/errors.js';
import { nimbusHarness } from '../../helpers/harness.js';

let offset = 0;
const clock = { now: () => Date.now() + offset };
const { config } = nimbusHarness({ clock });
const sqs = new SQSClient(config());


async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

async function counts(QueueUrl: string): Promise<[string, string, string]> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }))).Attributes!;
  return [a.ApproximateNumberOfMessages!, a.ApproximateNumberOfMessagesNotVisible!, a.ApproximateNumberOfMessagesDelayed!];
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

test('SendMessage answers the MD5s AWS computes; ReceiveMessage returns body, system and message attributes', async () => {
  const QueueUrl = await queue('attrs');
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: 'héllo wörld',
    // The Developer Guide's MD5 algorithm; this vector is AWS's answer for a single Number attribute.
    MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' } },
  }));
  assert.equal(sent.MD5OfMessageBody, md5('héllo wörld'));
  assert.equal(sent.MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
  assert.match(sent.MD5OfMessageSystemAttributes!, /^[0-9a-f]{32}$/);
  assert.match(sent.MessageId!, /^[0-9a-f-]{36}$/);
  assert.equal(sent.SequenceNumber, undefined);
  const before = clock.now();
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));
  assert.equal(r.Messages!.length, 1);
  const m = r.Messages![0];
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.Body, 'héllo wörld');
  assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
  assert.equal(m.MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
  assert.deepEqual(m.MessageAttributes, { timestamp: { DataType: 'Number', StringValue: '1493147359900' } });
  const a = m.Attributes!;
  assert.deepEqual(Object.keys(a).sort(), ['AWSTraceHeader', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
  assert.equal(a.SenderId, '000000000000');
  assert.equal(a.ApproximateReceiveCount, '1');
  assert.equal(a.AWSTraceHeader, 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  assert.ok(Number(a.SentTimestamp) <= Number(a.ApproximateFirstReceiveTimestamp));
  assert.ok(Number(a.ApproximateFirstReceiveTimestamp) >= before - 5);
});

test('MessageAttributeNames selects by name and by prefix; the MD5 covers only what is returned', async () => {
  const QueueUrl = await queue('attr-filter');
  const attrs = {
    'foo.a': { DataType: 'String', StringValue: 'A' },
    'foo.b': { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    bar: { DataType: 'Number.int', StringValue: '-12.5e3' },
    baz: { DataType: 'String.custom', StringValue: 'z' },
  };
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: attrs }));
  const receive = async (names?: string[]) => {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names, VisibilityTimeout: 0 }));
    return r.Messages![0];
  };
  const all = await receive(['All']);
  assert.equal(all.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(Object.keys(all.MessageAttributes!).sort(), ['bar', 'baz', 'foo.a', 'foo.b']);
  assert.deepEqual([...(all.MessageAttributes!['foo.b'].BinaryValue as Uint8Array)], [0, 1, 2, 255]);
  const prefixed = await receive(['foo.*']);
  assert.deepEqual(Object.keys(prefixed.MessageAttributes!).sort(), ['foo.a', 'foo.b']);
  const byName = await receive(['bar', 'missing']);
  assert.deepEqual(byName.MessageAttributes, { bar: { DataType: 'Number.int', StringValue: '-12.5e3' } });
  // The digest of one attribute sent alone equals the digest of that attribute returned alone.
  const alone = await sqs.send(new SendMessageCommand({ QueueUrl: await queue('attr-alone'), MessageBody: 'x', MessageAttributes: { bar: attrs.bar } }));
  assert.equal(byName.MD5OfMessageAttributes, alone.MD5OfMessageAttributes);
  const none = await receive(undefined);
  assert.equal(none.MessageAttributes, undefined);
  assert.equal(none.MD5OfMessageAttributes, undefined);
  assert.equal(none.Attributes, undefined);
  const some = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'], AttributeNames: ['SenderId' as 'All'] }))).Messages![0];
  assert.deepEqual(some.Attributes, { ApproximateReceiveCount: '5', SenderId: '000000000000' });
});

test('SendMessage refuses forbidden characters, oversized and empty bodies, and bad attributes', async () => {
  const QueueUrl = await queue('refusals', { MaximumMessageSize: '1024' });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a\u0001b' }))), {
    name: 'InvalidMessageContents', code: 'InvalidMessageContents', status: 400,
    message: "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1025) }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
  });
  // Attribute names, types and values count toward the size.
  assert.equal((await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1000), MessageAttributes: { name: { DataType: 'String', StringValue: 'v'.repeat(20) } } })))).name, 'InvalidParameterValue');
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024) }));
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '' }))), {
    name: 'MissingParameter', code: 'MissingParameter', status: 400, message: 'The request must contain the parameter MessageBody.',
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { a: { DataType: 'String', StringValue: '' } } }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: "Can't cast the value of message (user) attribute 'n' to a number.",
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { t: { DataType: 'Blob', StringValue: 'v' } } }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: "The type of message (user) attribute 't' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
  });
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: eleven }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
  });
  assert.deepEqual(await counts(QueueUrl), ['1', '0', '0']);
});

test('SendMessageBatch: ten entries, per-entry failures, and the batch-level errors', async () => {
  const QueueUrl = await queue('batch');
  const ten = Array.from({ length: 10 }, (_, i) => ({ Id: `e-${i}`, MessageBody: `body ${i}` }));
  const ok = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: ten }));
  assert.deepEqual(ok.Successful!.map((s) => [s.Id, s.MD5OfMessageBody]), ten.map((e) => [e.Id, md5(e.MessageBody)]));
  assert.deepEqual(ok.Failed ?? [], []);
  const mixed = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [
    { Id: 'good', MessageBody: 'fine' },
    { Id: 'bad_chars', MessageBody: 'nul\u0000' },
    { Id: 'bad_delay', MessageBody: 'x', DelaySeconds: 1000 },
  ] }));
  assert.deepEqual(mixed.Successful!.map((s) => s.Id), ['good']);
  assert.deepEqual(mixed.Failed, [
    { Id: 'bad_chars', SenderFault: true, Code: 'InvalidMessageContents', Message: "Invalid binary character '#x0' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]." },
    { Id: 'bad_delay', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
  ]);
  assert.deepEqual(await counts(QueueUrl), ['11', '0', '0']);
  assert.deepEqual(await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [...ten, { Id: 'eleventh', MessageBody: 'x' }] }))), {
    name: 'TooManyEntriesInBatchRequest', code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400, message: 'Maximum number of entries per request are 10. You have sent 11.',
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] }))), {
    name: 'EmptyBatchRequest', code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400, message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] }))), {
    name: 'BatchEntryIdsNotDistinct', code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400, message: 'Id a repeated.',
  });
  assert.deepEqual(await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'no spaces', MessageBody: 'x' }] }))), {
    name: 'InvalidBatchEntryId', code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400, message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  });
  const big = 'x'.repeat(262144);
  const five = Array.from({ length: 5 }, (_, i) => ({ Id: `big${i}`, MessageBody: big }));
  assert.deepEqual(await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: five }))), {
    name: 'BatchRequestTooLong', code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400, message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1310720 bytes.',
  });
  const four = five.slice(0, 4);
  assert.equal((await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: four }))).Successful!.length, 4);
  assert.deepEqual(await counts(QueueUrl), ['15', '0', '0']);
});

test('ReceiveMessage: MaxNumberOfMessages, a new receipt handle per receive, visibility expiry returns the message', async () => {
  const QueueUrl = await queue('visibility', { VisibilityTimeout: '30' });
  for (let i = 0; i < 5; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
  const three = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 3 }));
  assert.equal(three.Messages!.length, 3);
  const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  assert.equal(rest.Messages!.length, 2);
  assert.deepEqual([...three.Messages!, ...rest.Messages!].map((m) => m.Body).sort(), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  assert.deepEqual(await counts(QueueUrl), ['0', '5', '0']);
  offset += 31_000;
  assert.deepEqual(await counts(QueueUrl), ['5', '0', '0']);
  const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  assert.equal(again.Messages!.length, 5);
  for (const m of again.Messages!) assert.equal(m.Attributes!.ApproximateReceiveCount, '2');
  const first = three.Messages![0];
  const second = again.Messages!.find((m) => m.MessageId === first.MessageId)!;
  assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
  // Deleting with the latest handle removes the message; deleting again succeeds.
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle }));
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle }));
  assert.deepEqual(await counts(QueueUrl), ['0', '4', '0']);
  assert.deepEqual(await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
  });
});

test('ChangeMessageVisibility: hides or releases an in-flight message; errors for handles and messages not in flight', async () => {
  const QueueUrl = await queue('change-vis');
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
  const m = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0];
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 120 }));
  offset += 31_000;
  assert.deepEqual(await counts(QueueUrl), ['0', '1', '0']);
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  assert.deepEqual(await counts(QueueUrl), ['1', '0', '0']);
  assert.deepEqual(await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 10 }))), {
    name: 'MessageNotInflight', code: 'AWS.SimpleQueueService.MessageNotInflight', status: 400, message: "The specified message isn't in flight.",
  });
  assert.deepEqual(await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'not-a-handle', VisibilityTimeout: 10 }))), {
    name: 'ReceiptHandleIsInvalid', code: 'ReceiptHandleIsInvalid', status: 404, message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
  });
  const m2 = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0];
  assert.deepEqual(await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m2.ReceiptHandle, VisibilityTimeout: 43201 }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.',
  });
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m2.ReceiptHandle }));
  assert.deepEqual(await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m2.ReceiptHandle, VisibilityTimeout: 10 }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400,
    message: `Value ${m2.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
  });
  // A handle of another queue is not a handle of this one.
  const other = await queue('change-vis-other');
  assert.equal((await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: other, ReceiptHandle: m2.ReceiptHandle })))).name, 'ReceiptHandleIsInvalid');
});

test('DeleteMessageBatch and ChangeMessageVisibilityBatch answer per entry', async () => {
  const QueueUrl = await queue('batch-ops');
  await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }, { Id: 'c', MessageBody: 'c' }] }));
  const got = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!;
  assert.equal(got.length, 3);
  const vis = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [
    { Id: 'one', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
    { Id: 'bogus', ReceiptHandle: 'bogus', VisibilityTimeout: 0 },
  ] }));
  assert.deepEqual(vis.Successful, [{ Id: 'one' }]);
  assert.deepEqual(vis.Failed, [{ Id: 'bogus', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "bogus" is not a valid receipt handle.' }]);
  assert.deepEqual(await counts(QueueUrl), ['1', '2', '0']);
  const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [
    { Id: 'x', ReceiptHandle: got[1].ReceiptHandle },
    { Id: 'y', ReceiptHandle: got[2].ReceiptHandle },
    { Id: 'z', ReceiptHandle: 'zzz' },
  ] }));
  assert.deepEqual(del.Successful, [{ Id: 'x' }, { Id: 'y' }]);
  assert.deepEqual(del.Failed, [{ Id: 'z', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "zzz" is not a valid receipt handle.' }]);
  assert.deepEqual(await counts(QueueUrl), ['1', '0', '0']);
  assert.equal((await failure(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })))).message, 'There should be at least one DeleteMessageBatchRequestEntry in the request.');
});

test('Per-message and queue delays keep messages delayed until their time', async () => {
  const QueueUrl = await queue('delayed', { DelaySeconds: '10' });
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue-delay' }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no-delay', DelaySeconds: 0 }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'long-delay', DelaySeconds: 60 }));
  assert.deepEqual(await counts(QueueUrl), ['1', '0', '2']);
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))).Messages!.map((m) => m.Body), ['no-delay']);
  offset += 11_000;
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }))).Messages!.map((m) => m.Body), ['queue-delay']);
  offset += 50_000;
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body), ['long-delay']);
});

test('Long polling returns as soon as a message is sent; an empty wait answers no messages', async () => {
  const QueueUrl = await queue('long-poll');
  const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  // Let the receive reach the server and park before sending.
  await new Promise((r) => setTimeout(r, 100));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
  assert.deepEqual((await waiting).Messages!.map((m) => m.Body), ['wake up']);
  // Two receivers, one message each.
  const w1 = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  const w2 = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
  await new Promise((r) => setTimeout(r, 100));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '1', MessageBody: 'one' }, { Id: '2', MessageBody: 'two' }] }));
  const bodies = [...(await w1).Messages!, ...(await w2).Messages!].map((m) => m.Body).sort();
  assert.deepEqual(bodies, ['one', 'two']);
  const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.equal(empty.Messages, undefined);
  assert.deepEqual(await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 }))), {
    name: 'InvalidParameterValue', code: 'InvalidParameterValue', status: 400, message: 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
  });
});

test('A long poll also wakes when a delayed message becomes visible', async () => {
  const QueueUrl = await queue('long-poll-delay');
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'soon', DelaySeconds: 1 }));
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10 }));
  assert.deepEqual(r.Messages!.map((m) => m.Body), ['soon']);
});

test('maxReceiveCount moves a message to the dead-letter queue with its attributes', async () => {
  const dlq = await queue('redrive-dlq');
  const QueueUrl = await queue('redrive-src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:redrive-dlq', maxReceiveCount: 2 }) });
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' } } }));
  for (let i = 1; i <= 2; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(r.Messages![0].Attributes!.ApproximateReceiveCount, String(i));
  }
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  assert.deepEqual(await counts(QueueUrl), ['0', '0', '0']);
  const moved = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }))).Messages!;
  assert.equal(moved.length, 1);
  assert.equal(moved[0].MessageId, sent.MessageId);
  assert.equal(moved[0].Body, 'poison');
  assert.equal(moved[0].MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual(moved[0].MessageAttributes, { kind: { DataType: 'String', StringValue: 'bad' } });
  assert.equal(moved[0].Attributes!.DeadLetterQueueSourceArn, 'arn:aws:sqs:us-east-1:000000000000:redrive-src');
});

test('Messages older than MessageRetentionPeriod are deleted', async () => {
  const QueueUrl = await queue('retention', { MessageRetentionPeriod: '60' });
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
  offset += 30_000;
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'newer' }));
  offset += 31_000;
  assert.deepEqual((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body), ['newer']);
  assert.deepEqual(await counts(QueueUrl), ['0', '1', '0']);
});
