/**
 * DynamoDB Streams through the SDK v3 streams client: records of every item change in
 * commit order with the images the view type asks for, shard iterators of every type,
 * iterator expiry after 15 minutes, 24-hour retention, and Time to Live deletions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, GetItemCommand, TransactWriteItemsCommand, DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { dynamodbHarness } from '../../helpers/harness.js';

let offset = 0;
const clock = { now: () => Date.now() + offset };

const { ddb, config } = dynamodbHarness({ nimbus: { clock } });
const streams = new DynamoDBStreamsClient(config());

async function table(name: string, viewType: 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE'): Promise<{ arn: string; shard: string }> {
  const created = await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
  }));
  const arn = created.TableDescription!.LatestStreamArn!;
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return { arn, shard: d.StreamDescription!.Shards![0].ShardId! };
}

async function readAll(arn: string, shard: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON'): Promise<_Record[]> {
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: type }));
  return (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records!;
}

/** A record without its random eventID (checked for shape) and with its sequence number checked for shape. */
function stable(r: _Record): unknown {
  assert.match(r.eventID!, /^[0-9a-f]{32}$/);
  assert.match(r.dynamodb!.SequenceNumber!, /^\d{21,40}$/);
  assert.ok(r.dynamodb!.ApproximateCreationDateTime instanceof Date);
  assert.equal(r.dynamodb!.ApproximateCreationDateTime!.getTime() % 1000, 0);
  const { eventID: _id, dynamodb, ...rest } = r;
  const { SequenceNumber: _s, ApproximateCreationDateTime: _t, ...d } = dynamodb!;
  return { ...rest, dynamodb: d };
}

const base = { eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' };

test('ListStreams and DescribeStream: one enabled stream and one shard per table', async () => {
  const { arn, shard } = await table('st-describe', 'NEW_IMAGE');
  assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/st-describe\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  assert.match(shard, /^shardId-\d{20}-[0-9a-f]{8}$/);
  const listed = await streams.send(new ListStreamsCommand({ TableName: 'st-describe' }));
  assert.deepEqual(listed.Streams, [{ StreamArn: arn, TableName: 'st-describe', StreamLabel: arn.split('/stream/')[1] }]);
  const d = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
  assert.equal(d.StreamStatus, 'ENABLED');
  assert.equal(d.StreamViewType, 'NEW_IMAGE');
  assert.equal(d.TableName, 'st-describe');
  assert.deepEqual(d.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
  assert.equal(d.Shards!.length, 1);
  assert.match(d.Shards![0].SequenceNumberRange!.StartingSequenceNumber!, /^\d{21}$/);
  assert.equal(d.Shards![0].SequenceNumberRange!.EndingSequenceNumber, undefined);

  await ddb.send(new PutItemCommand({ TableName: 'st-describe', Item: { pk: { S: 'a' } } }));
  await ddb.send(new UpdateTableCommand({ TableName: 'st-describe', StreamSpecification: { StreamEnabled: false } }));
  const closed = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
  assert.equal(closed.StreamStatus, 'DISABLED');
  const [only] = await readAll(arn, shard);
  assert.equal(closed.Shards![0].SequenceNumberRange!.EndingSequenceNumber, only.dynamodb!.SequenceNumber);
  // A closed shard read to its end gives no next iterator.
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).NextShardIterator, undefined);

  await assert.rejects(streams.send(new DescribeStreamCommand({ StreamArn: `${arn}x` })), (e: Error) => {
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, `Requested resource not found: Stream: ${arn}x not found`);
    return true;
  });
});

test('GetRecords: INSERT, MODIFY, REMOVE in commit order with both images; unchanged writes record nothing', async () => {
  const { arn, shard } = await table('st-images', 'NEW_AND_OLD_IMAGES');
  await ddb.send(new PutItemCommand({ TableName: 'st-images', Item: { pk: { S: 'a' }, n: { N: '1' }, b: { B: Buffer.from([1, 2]) } } }));
  await ddb.send(new UpdateItemCommand({ TableName: 'st-images', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
  await ddb.send(new PutItemCommand({ TableName: 'st-images', Item: { pk: { S: 'a' }, n: { N: '2' }, b: { B: Buffer.from([1, 2]) } } }));
  await ddb.send(new DeleteItemCommand({ TableName: 'st-images', Key: { pk: { S: 'a' } } }));
  await ddb.send(new DeleteItemCommand({ TableName: 'st-images', Key: { pk: { S: 'missing' } } }));
  await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: 'st-images', Item: { pk: { S: 't1' } } } },
    { Put: { TableName: 'st-images', Item: { pk: { S: 't2' } } } },
  ] }));
  const records = await readAll(arn, shard);
  const bin = new Uint8Array([1, 2]);
  assert.deepEqual(records.map(stable), [
    { ...base, eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, n: { N: '1' }, b: { B: bin } }, SizeBytes: 12, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    { ...base, eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, n: { N: '2' }, b: { B: bin } }, OldImage: { pk: { S: 'a' }, n: { N: '1' }, b: { B: bin } }, SizeBytes: 21, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    { ...base, eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: 'a' } }, OldImage: { pk: { S: 'a' }, n: { N: '2' }, b: { B: bin } }, SizeBytes: 12, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    { ...base, eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 't1' } }, NewImage: { pk: { S: 't1' } }, SizeBytes: 8, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    { ...base, eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 't2' } }, NewImage: { pk: { S: 't2' } }, SizeBytes: 8, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
  ]);
  const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1]);

  // Limit pages through NextShardIterator; AT_ and AFTER_SEQUENCE_NUMBER start at a record; LATEST sees only later ones.
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  const p1 = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator!, Limit: 2 }));
  const p2 = await streams.send(new GetRecordsCommand({ ShardIterator: p1.NextShardIterator!, Limit: 2 }));
  assert.deepEqual([...p1.Records!, ...p2.Records!].map((r) => r.eventID), records.slice(0, 4).map((r) => r.eventID));
  const seq = records[2].dynamodb!.SequenceNumber!;
  const at = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq }));
  assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator!, Limit: 1 }))).Records![0].eventID, records[2].eventID);
  const afterIt = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seq }));
  assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: afterIt.ShardIterator!, Limit: 1 }))).Records![0].eventID, records[3].eventID);
  const latest = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'LATEST' }));
  const empty = await streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator! }));
  assert.deepEqual(empty.Records, []);
  await ddb.send(new PutItemCommand({ TableName: 'st-images', Item: { pk: { S: 'late' } } }));
  const late = await streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator! }));
  assert.deepEqual(late.Records!.map((r) => r.dynamodb!.Keys), [{ pk: { S: 'late' } }]);
});

test('view types: KEYS_ONLY carries keys, OLD_IMAGE only the old image', async () => {
  const keys = await table('st-keys', 'KEYS_ONLY');
  const old = await table('st-old', 'OLD_IMAGE');
  for (const name of ['st-keys', 'st-old']) {
    await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, v: { S: '1' } } }));
    await ddb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, v: { S: '2' } } }));
  }
  assert.deepEqual((await readAll(keys.arn, keys.shard)).map((r) => [r.eventName, r.dynamodb!.Keys, r.dynamodb!.NewImage, r.dynamodb!.OldImage, r.dynamodb!.StreamViewType]), [
    ['INSERT', { pk: { S: 'k' } }, undefined, undefined, 'KEYS_ONLY'],
    ['MODIFY', { pk: { S: 'k' } }, undefined, undefined, 'KEYS_ONLY'],
  ]);
  assert.deepEqual((await readAll(old.arn, old.shard)).map((r) => [r.eventName, r.dynamodb!.NewImage, r.dynamodb!.OldImage]), [
    ['INSERT', undefined, undefined],
    ['MODIFY', undefined, { pk: { S: 'k' }, v: { S: '1' } }],
  ]);
});

test('iterators expire after 15 minutes; records are trimmed after 24 hours', async () => {
  const { arn, shard } = await table('st-time', 'KEYS_ONLY');
  await ddb.send(new PutItemCommand({ TableName: 'st-time', Item: { pk: { S: 'old' } } }));
  const [first] = await readAll(arn, shard);
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  offset += 15 * 60 * 1000 + 1000;
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! })), (e: Error) => {
    assert.equal(e.name, 'ExpiredIteratorException');
    assert.match(e.message, /^Iterator expired\. The iterator was created at time \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4} while right now it is \w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4} which is further in the future than the tolerated delay of 900000 milliseconds\.$/);
    return true;
  });
  // An iterator taken a minute before its record turns 24 hours old, used two minutes later, points at trimmed data.
  offset += 24 * 60 * 60 * 1000 - 16 * 60 * 1000;
  const stale = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  offset += 2 * 60 * 1000;
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: stale.ShardIterator! })), (e: Error) => {
    assert.equal(e.name, 'TrimmedDataAccessException');
    assert.equal(e.message, 'The data you are trying to access has been trimmed');
    return true;
  });
  await ddb.send(new PutItemCommand({ TableName: 'st-time', Item: { pk: { S: 'new' } } }));
  await assert.rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first.dynamodb!.SequenceNumber! })), (e: Error) => {
    assert.equal(e.name, 'TrimmedDataAccessException');
    assert.equal(e.message, 'The data you are trying to access has been trimmed');
    return true;
  });
  assert.deepEqual((await readAll(arn, shard)).map((r) => r.dynamodb!.Keys), [{ pk: { S: 'new' } }]);
});

test('Time to Live deletes expired items with REMOVE records from the DynamoDB service', async () => {
  const { arn, shard } = await table('st-ttl', 'NEW_AND_OLD_IMAGES');
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'st-ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
  const nowSec = Math.floor(clock.now() / 1000);
  await ddb.send(new PutItemCommand({ TableName: 'st-ttl', Item: { pk: { S: 'gone' }, exp: { N: String(nowSec - 10) } } }));
  await ddb.send(new PutItemCommand({ TableName: 'st-ttl', Item: { pk: { S: 'kept' }, exp: { N: String(nowSec + 3600) } } }));
  await ddb.send(new PutItemCommand({ TableName: 'st-ttl', Item: { pk: { S: 'ancient' }, exp: { N: String(nowSec - 6 * 365 * 86400) } } }));
  await ddb.send(new PutItemCommand({ TableName: 'st-ttl', Item: { pk: { S: 'text' }, exp: { S: '1' } } }));
  let records: _Record[] = [];
  for (let i = 0; i < 100 && !records.some((r) => r.eventName === 'REMOVE'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    records = await readAll(arn, shard);
  }
  // The sweeper runs on its own timer: its REMOVE may land between the puts, but always after the INSERT of what it removes.
  const removals = records.filter((r) => r.eventName === 'REMOVE');
  assert.equal(removals.length, 1);
  const removal = removals[0]!;
  const inserted = records.findIndex((r) => r.eventName === 'INSERT' && r.dynamodb?.Keys?.pk?.S === 'gone');
  assert.ok(inserted >= 0 && inserted < records.indexOf(removal));
  assert.deepEqual(stable(removal), {
    ...base, eventName: 'REMOVE', userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' },
    dynamodb: { Keys: { pk: { S: 'gone' } }, OldImage: { pk: { S: 'gone' }, exp: { N: String(nowSec - 10) } }, SizeBytes: 21, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  assert.equal((await ddb.send(new GetItemCommand({ TableName: 'st-ttl', Key: { pk: { S: 'gone' } } }))).Item, undefined);
  // Values more than five years old and non-numbers are ignored.
  assert.equal((await ddb.send(new DescribeTableCommand({ TableName: 'st-ttl' }))).Table!.ItemCount, 3);
});

test('GetRecords answers at most 1 MB of records, the rest through NextShardIterator', async () => {
  const { arn, shard } = await table('st-big', 'NEW_IMAGE');
  // Three records of about 390 KB each: two fit in 1 MB, the third comes with the next call.
  for (const pk of ['a', 'b', 'c']) await ddb.send(new PutItemCommand({ TableName: 'st-big', Item: { pk: { S: pk }, d: { S: 'x'.repeat(390 * 1024) } } }));
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  const p1 = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }));
  assert.deepEqual(p1.Records!.map((r) => [r.dynamodb!.Keys, r.dynamodb!.SizeBytes]), [[{ pk: { S: 'a' } }, 399367], [{ pk: { S: 'b' } }, 399367]]);
  const p2 = await streams.send(new GetRecordsCommand({ ShardIterator: p1.NextShardIterator! }));
  assert.deepEqual(p2.Records!.map((r) => r.dynamodb!.Keys), [{ pk: { S: 'c' } }]);
  const p3 = await streams.send(new GetRecordsCommand({ ShardIterator: p2.NextShardIterator! }));
  assert.deepEqual(p3.Records, []);
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: p3.NextShardIterator!, Limit: 1001 })), (e: Error) => {
    assert.equal(e.name, 'ValidationException');
    assert.equal(e.message, "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
    return true;
  });
});
