/**
 * ItemCollectionMetrics (ReturnItemCollectionMetrics SIZE): on a table with a local
 * secondary index every write names the partition key of the item collection it
 * touched and its estimated size as a range of gigabytes; on a table without one the
 * member is absent (API reference, PutItem / BatchWriteItem / TransactWriteItems output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PutItemCommand, UpdateItemCommand, DeleteItemCommand,
  BatchWriteItemCommand, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { dynamodbHarness } from '../../helpers/harness.js';

const { ddb } = dynamodbHarness({
  tables: [
    {
      TableName: 'lsi', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'at', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      LocalSecondaryIndexes: [{ IndexName: 'byAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    },
    {
      TableName: 'plain', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
  ],
});

const SMALL = { ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [0, 1] };

test('PutItem, UpdateItem and DeleteItem answer the item collection on a table with a local secondary index', async () => {
  const put = await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: { pk: { S: 'a' }, sk: { N: '1' }, at: { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(put.ItemCollectionMetrics, SMALL);
  const upd = await ddb.send(new UpdateItemCommand({
    TableName: 'lsi', Key: { pk: { S: 'a' }, sk: { N: '2' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(upd.ItemCollectionMetrics, SMALL);
  const del = await ddb.send(new DeleteItemCommand({ TableName: 'lsi', Key: { pk: { S: 'a' }, sk: { N: '2' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(del.ItemCollectionMetrics, SMALL);
  // NONE (the default) and a table without a local secondary index answer none.
  const none = await ddb.send(new PutItemCommand({ TableName: 'lsi', Item: { pk: { S: 'a' }, sk: { N: '3' } }, ReturnItemCollectionMetrics: 'NONE' }));
  assert.equal(none.ItemCollectionMetrics, undefined);
  const plain = await ddb.send(new PutItemCommand({ TableName: 'plain', Item: { pk: { S: 'a' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.equal(plain.ItemCollectionMetrics, undefined);
  const plainDel = await ddb.send(new DeleteItemCommand({ TableName: 'plain', Key: { pk: { S: 'a' } }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.equal(plainDel.ItemCollectionMetrics, undefined);
});

test('BatchWriteItem answers each item collection written once, by table', async () => {
  const out = await ddb.send(new BatchWriteItemCommand({
    RequestItems: {
      lsi: [
        { PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' }, at: { S: 'x' } } } },
        { PutRequest: { Item: { pk: { S: 'c' }, sk: { N: '1' } } } },
        { PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '2' } } } },
        { DeleteRequest: { Key: { pk: { S: 'a' }, sk: { N: '1' } } } },
      ],
      plain: [{ PutRequest: { Item: { pk: { S: 'b' } } } }],
    },
    ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(out.UnprocessedItems, {});
  assert.deepEqual(out.ItemCollectionMetrics, {
    lsi: [
      { ItemCollectionKey: { pk: { S: 'b' } }, SizeEstimateRangeGB: [0, 1] },
      { ItemCollectionKey: { pk: { S: 'c' } }, SizeEstimateRangeGB: [0, 1] },
      { ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [0, 1] },
    ],
  });
  const plainOnly = await ddb.send(new BatchWriteItemCommand({ RequestItems: { plain: [{ PutRequest: { Item: { pk: { S: 'c' } } } }] }, ReturnItemCollectionMetrics: 'SIZE' }));
  assert.equal(plainOnly.ItemCollectionMetrics, undefined);
  const notAsked = await ddb.send(new BatchWriteItemCommand({ RequestItems: { lsi: [{ PutRequest: { Item: { pk: { S: 'd' }, sk: { N: '1' } } } }] } }));
  assert.equal(notAsked.ItemCollectionMetrics, undefined);
});

test('TransactWriteItems answers the item collections it wrote, not those it only checked', async () => {
  const out = await ddb.send(new TransactWriteItemsCommand({
    TransactItems: [
      { ConditionCheck: { TableName: 'lsi', Key: { pk: { S: 'b' }, sk: { N: '1' } }, ConditionExpression: 'attribute_exists(pk)' } },
      { Put: { TableName: 'lsi', Item: { pk: { S: 'e' }, sk: { N: '1' }, at: { S: 'y' } } } },
      { Update: { TableName: 'lsi', Key: { pk: { S: 'e' }, sk: { N: '2' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'z' } } } },
      { Put: { TableName: 'plain', Item: { pk: { S: 'e' } } } },
    ],
    ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(out.ItemCollectionMetrics, { lsi: [{ ItemCollectionKey: { pk: { S: 'e' } }, SizeEstimateRangeGB: [0, 1] }] });
});
