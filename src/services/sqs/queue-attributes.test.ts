import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAttributes, defaultSettings, firstDifference, parseRedrivePolicy, settingsAsAttributes } from './queue-attributes.js';

test('defaults of a standard and a FIFO queue as SQS reports them', () => {
  assert.deepEqual(settingsAsAttributes(defaultSettings(false)), {
    VisibilityTimeout: '30', MaximumMessageSize: '1048576', MessageRetentionPeriod: '345600', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0', SqsManagedSseEnabled: 'true',
  });
  const fifo = settingsAsAttributes(defaultSettings(true));
  assert.equal(fifo.FifoQueue, 'true');
  assert.equal(fifo.ContentBasedDeduplication, 'false');
  assert.equal(fifo.DeduplicationScope, 'messageQueue');
  assert.equal(fifo.FifoThroughputLimit, 'perQueue');
});

test('range limits: edges accepted, one past refused', () => {
  const table: Array<[string, number, number]> = [
    ['DelaySeconds', 0, 900], ['MaximumMessageSize', 1024, 1048576], ['MessageRetentionPeriod', 60, 1209600],
    ['ReceiveMessageWaitTimeSeconds', 0, 20], ['VisibilityTimeout', 0, 43200],
  ];
  for (const [name, lo, hi] of table) {
    applyAttributes(defaultSettings(false), { [name]: String(lo) }, false, true);
    applyAttributes(defaultSettings(false), { [name]: String(hi) }, false, true);
    assert.throws(() => applyAttributes(defaultSettings(false), { [name]: String(lo - 1) }, false, true), { code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` });
    assert.throws(() => applyAttributes(defaultSettings(false), { [name]: String(hi + 1) }, false, true), { code: 'InvalidAttributeValue' });
  }
});

test('RedrivePolicy: numeric strings accepted, missing members and bad counts refused', () => {
  assert.deepEqual(parseRedrivePolicy('{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:d","maxReceiveCount":"3"}'), { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:d', maxReceiveCount: 3 });
  assert.throws(() => parseRedrivePolicy('{"maxReceiveCount":3}'), /does not contain mandatory attribute: deadLetterTargetArn/);
  assert.throws(() => parseRedrivePolicy('{"deadLetterTargetArn":"x","maxReceiveCount":1001}'), /Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive\./);
  assert.throws(() => parseRedrivePolicy('nope'), /Redrive policy is not a valid JSON map\./);
});

test('FIFO-only attributes are unknown to standard queues; KMS replaces SSE-SQS', () => {
  assert.throws(() => applyAttributes(defaultSettings(false), { DeduplicationScope: 'messageGroup' }, false, true), { code: 'InvalidAttributeName', message: 'Unknown Attribute DeduplicationScope.' });
  assert.equal(applyAttributes(defaultSettings(false), { FifoQueue: 'false' }, false, true).FifoQueue, undefined);
  const kms = applyAttributes(defaultSettings(false), { KmsMasterKeyId: 'alias/x' }, false, true);
  assert.equal(kms.SqsManagedSseEnabled, false);
  assert.equal(kms.KmsDataKeyReusePeriodSeconds, 300);
  assert.throws(() => applyAttributes(defaultSettings(false), { KmsMasterKeyId: 'alias/x', SqsManagedSseEnabled: 'true' }, false, true), { code: 'InvalidAttributeName' });
});

test('firstDifference names the first attribute that differs', () => {
  const a = defaultSettings(false);
  assert.equal(firstDifference(a, applyAttributes(a, { DelaySeconds: '0' }, false, true)), undefined);
  assert.equal(firstDifference(a, applyAttributes(a, { DelaySeconds: '5' }, false, true)), 'DelaySeconds');
});
