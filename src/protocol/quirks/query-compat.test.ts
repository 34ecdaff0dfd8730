/**
 * The awsQueryCompatible overlay: the committed table is what codegen/query-names.ts
 * extracts from Debian's botocore 1.29, and lookups resolve as botocore does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../../models/model.js';
import { queryCompatFor, queryErrorWire, queryTrait } from './query-compat.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OLD_DATA = '/usr/lib/python3/dist-packages/botocore/data';

test('the committed query-compat.json is what the codegen extracts', { skip: !existsSync(OLD_DATA) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'query-names-'));
  try {
    const out = join(dir, 'q.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'codegen/query-names.ts'), '--out', out], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(root, 'src/protocol/quirks/query-compat.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQS: overlay names, wrappers and error codes; services with full query models get none', () => {
  const sqs = loadModel('sqs');
  const compat = queryCompatFor(sqs)!;
  assert.equal(compat.xmlNamespace, 'http://queue.amazonaws.com/doc/2012-11-05/');
  const req = sqs.shapes.get('SendMessageRequest')!;
  assert.equal(queryTrait(compat, req, req.members.MessageAttributes, 'locationName'), 'MessageAttribute');
  assert.equal(queryTrait(compat, req, req.members.MessageAttributes, 'flattened'), true);
  const map = sqs.shapes.get('MessageBodyAttributeMap')!;
  assert.equal(queryTrait(compat, map, map.key!, 'locationName'), 'Name');
  assert.equal(compat.resultWrapper(sqs.operations.get('ReceiveMessage')!), 'ReceiveMessageResult');
  assert.deepEqual(queryErrorWire(sqs, 'QueueDoesNotExist').code, 'AWS.SimpleQueueService.NonExistentQueue');
  assert.equal(queryErrorWire(sqs, 'AWS.SimpleQueueService.NonExistentQueue').shape?.name, 'QueueDoesNotExist');
  assert.deepEqual(queryErrorWire(sqs, 'InvalidParameterValue'), { code: 'InvalidParameterValue' });
  assert.equal(queryCompatFor(loadModel('sts')), undefined);
  const iam = loadModel('iam');
  assert.deepEqual({ ...queryErrorWire(iam, 'NoSuchEntityException'), shape: undefined }, { code: 'NoSuchEntity', status: 404, senderFault: true, shape: undefined });
});
