/**
 * Items answered as their stored JSON text (spliced into the response without a parse):
 * every read that returns whole items gives back exactly what was written, binaries,
 * sets, nesting, escapes and non-ASCII text included, and through the internal client
 * (as other services call DynamoDB) the same items arrive parsed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PutItemCommand, GetItemCommand, QueryCommand, ScanCommand, BatchGetItemCommand,
  TransactGetItemsCommand, DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { Gateway } from '../../../src/gateway/gateway.js';
import { Storage } from '../../../src/state/storage.js';
import { CredentialStore } from '../../../src/state/credentials.js';
import { DEFAULT_CONFIG } from '../../../src/config.js';
import { createLogger } from '../../../src/shared/logger.js';
import { dynamodb } from '../../../src/services/dynamodb/index.js';
import { dynamodbStreams } from '../../../src/services/dynamodb/streams.js';
import { dynamodbHarness } from '../../helpers/harness.js';

const { ddb, config } = dynamodbHarness({
  tables: [
    {
      TableName: 'raw', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'keys', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'all', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
  ],
});
const streams = new DynamoDBStreamsClient(config());

const odd = 'quote " backslash \\ nul \u0000 line\u2028sep é 𝄞 </script>';
function item(sk: number): Record<string, unknown> {
  return {
    pk: { S: 'p' }, sk: { N: String(sk) }, g: { S: 'G' }, text: { S: odd },
    bin: { B: new Uint8Array([0, 255, sk]) }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    m: { M: { B: { S: 'an attribute named B' }, l: { L: [{ N: '-1.5' }, { NULL: true }, { BOOL: false }, { SS: ['x', 'y'] }] } } },
  };
}
const plain = (sk: number) => ({ pk: { S: 'p' }, sk: { N: String(sk) }, g: { S: 'G' }, n: { NS: ['1', '22'] } });

test('GetItem, Query, Scan, BatchGetItem and TransactGetItems answer items exactly as written', async () => {
  for (const sk of [1, 2]) await ddb.send(new PutItemCommand({ TableName: 'raw', Item: item(sk) as never }));
  await ddb.send(new PutItemCommand({ TableName: 'raw', Item: plain(3) as never }));
  const all = [item(1), item(2), plain(3)];
  const key = (sk: number) => ({ pk: { S: 'p' }, sk: { N: String(sk) } });

  assert.deepEqual((await ddb.send(new GetItemCommand({ TableName: 'raw', Key: key(1) }))).Item, item(1));
  assert.deepEqual((await ddb.send(new GetItemCommand({ TableName: 'raw', Key: key(3) }))).Item, plain(3));

  const q = await ddb.send(new QueryCommand({ TableName: 'raw', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
  assert.deepEqual(q.Items, all);
  assert.equal(q.LastEvaluatedKey, undefined);
  const paged = await ddb.send(new QueryCommand({ TableName: 'raw', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 2, ScanIndexForward: false }));
  assert.deepEqual(paged.Items, [plain(3), item(2)]);
  assert.deepEqual(paged.LastEvaluatedKey, key(2));
  const filtered = await ddb.send(new QueryCommand({
    TableName: 'raw', KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_exists(bin)', ExpressionAttributeValues: { ':p': { S: 'p' } },
  }));
  assert.deepEqual([filtered.Items, filtered.Count, filtered.ScannedCount], [[item(1), item(2)], 2, 3]);
  const counted = await ddb.send(new QueryCommand({ TableName: 'raw', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT', Limit: 2 }));
  assert.deepEqual([counted.Items, counted.Count, counted.ScannedCount, counted.LastEvaluatedKey], [undefined, 2, 2, key(2)]);
  const viaAll = await ddb.send(new QueryCommand({ TableName: 'raw', IndexName: 'all', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } }, Limit: 1 }));
  assert.deepEqual([viaAll.Items, viaAll.LastEvaluatedKey], [[item(1)], { ...key(1), g: { S: 'G' } }]);
  const viaKeys = await ddb.send(new ScanCommand({ TableName: 'raw', IndexName: 'keys' }));
  assert.deepEqual(new Set(viaKeys.Items!.map((i) => JSON.stringify(i))), new Set([1, 2, 3].map((sk) => JSON.stringify({ pk: { S: 'p' }, sk: { N: String(sk) }, g: { S: 'G' } }))));

  assert.deepEqual((await ddb.send(new ScanCommand({ TableName: 'raw' }))).Items, all);
  const batch = await ddb.send(new BatchGetItemCommand({ RequestItems: { raw: { Keys: [key(2), key(3), key(9)] } } }));
  assert.deepEqual(batch.Responses, { raw: [item(2), plain(3)] });
  const tx = await ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'raw', Key: key(1) } }, { Get: { TableName: 'raw', Key: key(9) } }] }));
  assert.deepEqual(tx.Responses, [{ Item: item(1) }, {}]);
});

test('GetRecords answers the images exactly as written', async () => {
  const arn = (await ddb.send(new DescribeTableCommand({ TableName: 'raw' }))).Table!.LatestStreamArn!;
  const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0].ShardId!;
  const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
  const records = (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records!;
  assert.deepEqual(records.map((r) => [r.dynamodb!.Keys, r.dynamodb!.NewImage, r.dynamodb!.OldImage]), [
    [{ pk: { S: 'p' }, sk: { N: '1' } }, item(1), undefined],
    [{ pk: { S: 'p' }, sk: { N: '2' } }, item(2), undefined],
    [{ pk: { S: 'p' }, sk: { N: '3' } }, plain(3), undefined],
  ]);

});

test('through the internal client (other services calling DynamoDB) items arrive parsed', async () => {
  const storage = new Storage({ ephemeral: true });
  try {
    const gateway = new Gateway({ ...DEFAULT_CONFIG, ephemeral: true, port: 0 }, storage, new CredentialStore(storage), createLogger({ level: 'off' }), { now: () => Date.now() }, [dynamodb, dynamodbStreams]);
    await gateway.start();
    const call = (service: string, op: string, input: Record<string, unknown>) => gateway.internal.call(service, op, input);
    const created = await call('dynamodb', 'CreateTable', {
      TableName: 'raw', BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }) as { TableDescription: { LatestStreamArn: string } };
    const written = { pk: { S: 'p' }, text: { S: odd }, bin: { B: Buffer.from([0, 255]) } };
    await call('dynamodb', 'PutItem', { TableName: 'raw', Item: written });
    assert.deepEqual((await call('dynamodb', 'GetItem', { TableName: 'raw', Key: { pk: { S: 'p' } } })).Item, written);
    assert.deepEqual((await call('dynamodb', 'Query', { TableName: 'raw', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })).Items, [written]);
    assert.deepEqual((await call('dynamodb', 'Scan', { TableName: 'raw' })).Items, [written]);
    assert.deepEqual((await call('dynamodb', 'BatchGetItem', { RequestItems: { raw: { Keys: [{ pk: { S: 'p' } }] } } })).Responses, { raw: [written] });
    assert.deepEqual((await call('dynamodb', 'TransactGetItems', { TransactItems: [{ Get: { TableName: 'raw', Key: { pk: { S: 'p' } } } }] })).Responses, [{ Item: written }]);
    const arn = created.TableDescription.LatestStreamArn;
    const d = await call('streams.dynamodb', 'DescribeStream', { StreamArn: arn }) as { StreamDescription: { Shards: { ShardId: string }[] } };
    const it = await call('streams.dynamodb', 'GetShardIterator', { StreamArn: arn, ShardId: d.StreamDescription.Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' });
    const records = (await call('streams.dynamodb', 'GetRecords', { ShardIterator: it.ShardIterator })).Records as { dynamodb: { Keys: unknown; NewImage: unknown } }[];
    assert.deepEqual(records.map((r) => [r.dynamodb.Keys, r.dynamodb.NewImage]), [[{ pk: { S: 'p' } }, written]]);
    await gateway.services.stop();
  } finally {
    storage.close();
  }
});
