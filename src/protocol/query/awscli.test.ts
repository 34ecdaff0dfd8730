/**
 * Debian's AWS CLI 2.9 still speaks query to SQS: its requests must parse, and the
 * codec's responses and query error codes must come out of the CLI as AWS's would.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryCodec } from './index.js';
import { serveCodec, type Exchange } from './oracle.test-helper.js';

const AWS = '/usr/bin/aws';

function cli(endpoint: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  return new Promise((resolve, reject) => {
    const child = spawn(AWS, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const closers: (() => void)[] = [];
after(() => closers.forEach((c) => c()));

test('AWS CLI 2.9 (Debian): sqs receive-message, send-message and a NonExistentQueue error over query', { skip: !existsSync(AWS) }, async () => {
  const log: Exchange[] = [];
  const message = { MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: 'x', Body: 'hi & <b>\r\n', Attributes: { SenderId: 'A' }, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } };
  const { server, endpoint } = await serveCodec(queryCodec, loadModel('sqs'), (op) => {
    if (op.name === 'ReceiveMessage') return { Messages: [message] };
    if (op.name === 'SendMessage') return { MessageId: 'm2', MD5OfMessageBody: 'y' };
    throw new ServiceError('QueueDoesNotExist', 'The specified queue does not exist for this wsdl version.');
  }, log);
  closers.push(() => server.close());

  let r = await cli(endpoint, ['sqs', 'receive-message', '--queue-url', 'http://localhost:4566/000000000000/q', '--attribute-names', 'All', '--message-attribute-names', 'All', '--max-number-of-messages', '5']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { Messages: [{ MessageId: 'm1', ReceiptHandle: 'rh', MD5OfBody: 'x', Body: 'hi & <b>\r\n', Attributes: { SenderId: 'A' }, MessageAttributes: { k: { StringValue: 'v', DataType: 'String' } } }] });
  assert.deepEqual(log[0].input, { QueueUrl: 'http://localhost:4566/000000000000/q', AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 5 });

  r = await cli(endpoint, ['sqs', 'send-message', '--queue-url', 'http://localhost:4566/000000000000/q', '--message-body', 'x y', '--message-attributes', '{"a":{"DataType":"Binary","BinaryValue":"AAEC"}}']);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out), { MD5OfMessageBody: 'y', MessageId: 'm2' });
  assert.deepEqual(log[1].input, { QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'x y', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } } });

  r = await cli(endpoint, ['sqs', 'get-queue-url', '--queue-name', 'missing']);
  assert.equal(r.code, 254);
  assert.equal(r.err.trim(), 'An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist for this wsdl version.');
});
