/**
 * ItemCollectionSizeLimitExceededException: on a table with a local secondary index, an
 * item collection (the items of one partition key value, with their rows in every LSI)
 * may not grow past 10 GB; a write that would make it larger fails with HTTP 400 and the
 * message "Collection size exceeded." (developer guide, "Error handling with DynamoDB"),
 * and inside TransactWriteItems cancels the transaction with the reason code
 * ItemCollectionSizeLimitExceeded (API reference, TransactWriteItems). Tables without a
 * local secondary index have no such limit. The limit is lowered here to 2,500 bytes
 * through the dynamodbItemCollectionLimit setting (NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PutItemCommand, UpdateItemCommand, DeleteItemCommand, GetItemCommand, QueryCommand,
  BatchWriteItemCommand, TransactWriteItemsCommand, ExecuteStatementCommand, BatchExecuteStatementCommand,
  type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { dynamodbHarness } from '../../helpers/harness.js';
import { rejects } from '../../helpers/errors.js';
import { DEFAULT_CONFIG, configFromEnv, checkConfig } from '../../../src/config.js';

const LIMIT = 2500;
const KEY_SCHEMA = {
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'sk', AttributeType: 'N' as const }, { AttributeName: 'at', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

const { ddb } = dynamodbHarness({
  nimbus: { dynamodbItemCollectionLimit: LIMIT },
  tables: [
    {
      TableName: 'lsi', ...KEY_SCHEMA,
      LocalSecondaryIndexes: [{ IndexName: 'byAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    },
    {
      TableName: 'gsi', ...KEY_SCHEMA,
      GlobalSecondaryIndexes: [{ IndexName: 'byAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    },
    { TableName: 'plain', ...KEY_SCHEMA, AttributeDefinitions: KEY_SCHEMA.AttributeDefinitions.slice(0, 2) },
  ],
});

/** An item of about 1,000 bytes (the `data` string) in the collection `pk`; `at` puts it in the LSI too. */
function item(pk: string, sk: number, { at, size = 1000 }: { at?: string; size?: number } = {}) {
  return { pk: { S: pk }, sk: { N: String(sk) }, data: { S: 'x'.repeat(size) }, ...(at ? { at: { S: at } } : {}) };
}

const EXCEEDED = ['ItemCollectionSizeLimitExceededException', 'Collection size exceeded.'] as const;

async function keys(table: string, pk: string): Promise<number[]> {
  const out = await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk } } }));
  return (out.Items ?? []).map((i) => Number(i.sk!.N));
}

test('the setting: AWS\'s 10 GB by default, lowered through NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT', () => {
  assert.equal(DEFAULT_CONFIG.dynamodbItemCollectionLimit, 10 * 1024 ** 3);
  assert.equal(configFromEnv({ NIMBUS_DYNAMODB_ITEM_COLLECTION_LIMIT: '4096' }).dynamodbItemCollectionLimit, 4096);
  assert.equal(configFromEnv({}).dynamodbItemCollectionLimit, undefined);
  assert.throws(() => checkConfig({ ...DEFAULT_CONFIG, dynamodbItemCollectionLimit: Number('ten') }), /^Error: invalid DynamoDB item collection limit: NaN \(a whole number of bytes\)$/);
});

test('PutItem past the limit fails with ItemCollectionSizeLimitExceededException and writes nothing', async () => {
  // About 1,000 bytes of base item and as much again for its row in the LSI (projection ALL).
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('a', 1, { at: 'x' }) }));
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('a', 2, { size: 300 }) }));
  // Another 300 bytes take the collection past 2,500, with or without an LSI row.
  await rejects(ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('a', 3, { at: 'y', size: 300 }) })), ...EXCEEDED);
  await rejects(ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('a', 3, { size: 300 }) })), ...EXCEEDED);
  assert.equal((await ddb.send(new GetItemCommand({ TableName: 'lsi', Key: { pk: { S: 'a' }, sk: { N: '3' } } }))).Item, undefined);
  assert.deepEqual(await keys('lsi', 'a'), [1, 2]);
  const viaIndex = await ddb.send(new QueryCommand({ TableName: 'lsi', IndexName: 'byAt', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
  assert.deepEqual(viaIndex.Items?.map((i) => i.sk!.N), ['1']);
  // The limit is per collection: another partition key value has its own.
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('b', 1, { size: 2000 }) }));
  // Replacing an item with one of the same size does not grow the collection.
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: { ...item('a', 2), data: { S: 'y'.repeat(300) } } }));
  // A delete always succeeds and makes room.
  await ddb.send(new DeleteItemCommand({ TableName: 'lsi', Key: { pk: { S: 'a' }, sk: { N: '2' } } }));
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('a', 3, { size: 300 }) }));
  assert.deepEqual(await keys('lsi', 'a'), [1, 3]);
});

test('UpdateItem that grows an item past the limit fails and leaves the item as it was', async () => {
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('u', 1, { size: 100 }) }));
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('u', 2, { size: 1000 }) }));
  await rejects(ddb.send(new UpdateItemCommand({
    TableName: 'lsi', Key: { pk: { S: 'u' }, sk: { N: '1' } }, UpdateExpression: 'SET #d = :d, #at = :at',
    ExpressionAttributeNames: { '#d': 'data', '#at': 'at' }, ExpressionAttributeValues: { ':d': { S: 'z'.repeat(1000) }, ':at': { S: 'q' } },
  })), ...EXCEEDED);
  const got = await ddb.send(new GetItemCommand({ TableName: 'lsi', Key: { pk: { S: 'u' }, sk: { N: '1' } } }));
  assert.deepEqual(got.Item, item('u', 1, { size: 100 }));
  // Growing it a little stays under the limit.
  await ddb.send(new UpdateItemCommand({
    TableName: 'lsi', Key: { pk: { S: 'u' }, sk: { N: '1' } }, UpdateExpression: 'SET extra = :e', ExpressionAttributeValues: { ':e': { S: 'e'.repeat(100) } },
  }));
});

test('BatchWriteItem past the limit fails as a whole: no item of the batch is written', async () => {
  await rejects(ddb.send(new BatchWriteItemCommand({
    RequestItems: {
      plain: [{ PutRequest: { Item: item('c', 9) } }],
      lsi: [1, 2, 3].map((sk) => ({ PutRequest: { Item: item('c', sk) } })),
    },
  })), ...EXCEEDED);
  assert.deepEqual(await keys('lsi', 'c'), []);
  assert.deepEqual(await keys('plain', 'c'), []);
  // Within the limit the same kind of batch goes through.
  const ok = await ddb.send(new BatchWriteItemCommand({ RequestItems: { lsi: [1, 2].map((sk) => ({ PutRequest: { Item: item('c', sk) } })) } }));
  assert.deepEqual(ok.UnprocessedItems, {});
  assert.deepEqual(await keys('lsi', 'c'), [1, 2]);
});

test('TransactWriteItems past the limit is cancelled with the reason ItemCollectionSizeLimitExceeded', async () => {
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('t', 1) }));
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('t', 2) }));
  await assert.rejects(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: 'plain', Item: item('t', 1) } },
    { Put: { TableName: 'lsi', Item: item('t', 3) } },
  ] })), (e: TransactionCanceledException) => {
    assert.equal(e.name, 'TransactionCanceledException');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ItemCollectionSizeLimitExceeded]');
    assert.deepEqual(e.CancellationReasons, [{ Code: 'None' }, { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded.' }]);
    return true;
  });
  assert.deepEqual(await keys('lsi', 't'), [1, 2]);
  assert.deepEqual(await keys('plain', 't'), []);
});

test('PartiQL: ExecuteStatement fails with the exception, BatchExecuteStatement answers the statement\'s error code', async () => {
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('p', 1) }));
  await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: item('p', 2) }));
  const insert = (sk: number) => `INSERT INTO "lsi" VALUE {'pk': 'p', 'sk': ${sk}, 'data': '${'x'.repeat(1000)}'}`;
  await rejects(ddb.send(new ExecuteStatementCommand({ Statement: insert(3) })), ...EXCEEDED);
  const out = await ddb.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: insert(4) }] }));
  assert.deepEqual(out.Responses, [{ Error: { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded.' } }]);
  assert.deepEqual(await keys('lsi', 'p'), [1, 2]);
});

test('tables without a local secondary index have no item collection limit', async () => {
  for (const table of ['plain', 'gsi']) {
    for (let sk = 1; sk <= 5; sk++) await ddb.send(new PutItemCommand({ TableName: table, Item: item('big', sk, { at: 'x' }) }));
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [6, 7, 8].map((sk) => ({ PutRequest: { Item: item('big', sk) } })) } }));
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: item('big', 9) } }] }));
    assert.deepEqual(await keys(table, 'big'), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
});
