/**
 * DynamoDB control plane through the SDK v3 client: CreateTable's checks in DynamoDB's
 * words, DescribeTable's fields, ListTables paging, deletion protection, UpdateTable,
 * tags, TTL, limits and endpoints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand, UpdateTableCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsOfResourceCommand, DescribeLimitsCommand, DescribeEndpointsCommand,
  UpdateTimeToLiveCommand, DescribeTimeToLiveCommand, waitUntilTableExists, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { rejects } from '../../helpers/errors.js';
import { dynamodbHarness } from '../../helpers/harness.js';

const { cloud, ddb } = dynamodbHarness();

const simple = (TableName: string): CreateTableCommandInput => ({
  TableName, BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
});

test('CreateTable answers CREATING; the table is ACTIVE for every later call (waiter included)', async () => {
  const out = await ddb.send(new CreateTableCommand({
    TableName: 'orders', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
    LocalSecondaryIndexes: [{ IndexName: 'byPkG', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    SSESpecification: { Enabled: true, KMSMasterKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc' },
    Tags: [{ Key: 'team', Value: 'core' }], TableClass: 'STANDARD_INFREQUENT_ACCESS', DeletionProtectionEnabled: true,
  }));
  const d = out.TableDescription!;
  assert.equal(d.TableStatus, 'CREATING');
  assert.equal(d.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/orders');
  assert.match(d.TableId!, /^[0-9a-f-]{36}$/);
  await waitUntilTableExists({ client: ddb, maxWaitTime: 10, minDelay: 1 }, { TableName: 'orders' });
  const t = (await ddb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!;
  assert.equal(t.TableStatus, 'ACTIVE');
  assert.equal(t.TableId, d.TableId);
  assert.ok(t.CreationDateTime instanceof Date);
  assert.deepEqual(t.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
  assert.equal(t.BillingModeSummary, undefined);
  assert.equal(t.ItemCount, 0);
  assert.equal(t.TableSizeBytes, 0);
  assert.deepEqual(t.GlobalSecondaryIndexes, [{
    IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, IndexStatus: 'ACTIVE',
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, IndexSizeBytes: 0, ItemCount: 0,
    IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byG',
    WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
  }]);
  assert.deepEqual(t.LocalSecondaryIndexes, [{
    IndexName: 'byPkG', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, IndexSizeBytes: 0, ItemCount: 0,
    IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byPkG',
  }]);
  assert.deepEqual(t.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  assert.equal(t.LatestStreamArn, `arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/${t.LatestStreamLabel}`);
  assert.deepEqual(t.SSEDescription, { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/abc' });
  assert.deepEqual(t.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
  assert.equal(t.DeletionProtectionEnabled, true);

  await rejects(ddb.send(new CreateTableCommand(simple('orders'))), 'ResourceInUseException', 'Table already exists: orders');
  await rejects(ddb.send(new DeleteTableCommand({ TableName: 'orders' })), 'ResourceInUseException',
    'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  const upd = await ddb.send(new UpdateTableCommand({ TableName: 'orders', DeletionProtectionEnabled: false, BillingMode: 'PAY_PER_REQUEST' }));
  assert.equal(upd.TableDescription!.TableStatus, 'UPDATING');
  assert.equal(upd.TableDescription!.BillingModeSummary!.BillingMode, 'PAY_PER_REQUEST');
  assert.ok(upd.TableDescription!.BillingModeSummary!.LastUpdateToPayPerRequestDateTime instanceof Date);
  const del = await ddb.send(new DeleteTableCommand({ TableName: 'orders' }));
  assert.equal(del.TableDescription!.TableStatus, 'DELETING');
  await rejects(ddb.send(new DescribeTableCommand({ TableName: 'orders' })), 'ResourceNotFoundException', 'Requested resource not found: Table: orders not found');
});

test('CreateTable validation in DynamoDB words', async () => {
  const cases: Array<[Partial<CreateTableCommandInput>, string]> = [
    [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }] }, 'Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name'],
    [{ AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }] }, 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [x]'],
    [{ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] }, 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'],
    [{ BillingMode: 'PROVISIONED' }, 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'],
    [{ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'],
    [{ LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk2', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] },
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'],
    [{ TableName: 'a!' }, "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
    [{ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'u', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] },
      'One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [pk, g, u], keys used: [pk, g]'],
  ];
  for (const [patch, message] of cases) {
    await rejects(ddb.send(new CreateTableCommand({ ...simple('bad-table'), ...patch } as CreateTableCommandInput)), 'ValidationException', message);
  }
  const list = await ddb.send(new ListTablesCommand({}));
  assert.ok(!list.TableNames!.includes('bad-table'));
});

test('ListTables pages with Limit and ExclusiveStartTableName', async () => {
  for (const n of ['lt-c', 'lt-a', 'lt-b']) await ddb.send(new CreateTableCommand(simple(n)));
  const p1 = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'lt-' }));
  assert.deepEqual(p1.TableNames, ['lt-a', 'lt-b']);
  assert.equal(p1.LastEvaluatedTableName, 'lt-b');
  const p2 = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'lt-b' }));
  assert.deepEqual(p2.TableNames, ['lt-c']);
  assert.equal(p2.LastEvaluatedTableName, undefined);
  for (const n of ['lt-c', 'lt-a', 'lt-b']) await ddb.send(new DeleteTableCommand({ TableName: n }));
});

test('tags, TTL, UpdateTable throughput and GSIs, limits and endpoints', async () => {
  const arn = (await ddb.send(new CreateTableCommand(simple('tagged')))).TableDescription!.TableArn!;
  await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
  assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);

  assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'tagged' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
  const ttl = await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'tagged', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
  assert.deepEqual(ttl.TimeToLiveSpecification, { Enabled: true, AttributeName: 'exp' });
  assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'tagged' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
  await rejects(ddb.send(new UpdateTimeToLiveCommand({ TableName: 'tagged', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })), 'ValidationException', 'TimeToLive is already enabled');

  const up = await ddb.send(new UpdateTableCommand({
    TableName: 'tagged', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
  }));
  assert.equal(up.TableDescription!.GlobalSecondaryIndexes![0].IndexStatus, 'CREATING');
  const after = (await ddb.send(new DescribeTableCommand({ TableName: 'tagged' }))).Table!;
  assert.equal(after.GlobalSecondaryIndexes![0].IndexStatus, 'ACTIVE');
  assert.deepEqual(after.AttributeDefinitions, [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'N' }]);
  await rejects(ddb.send(new UpdateTableCommand({ TableName: 'tagged' })), 'ValidationException',
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  await ddb.send(new UpdateTableCommand({ TableName: 'tagged', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'gsi' } }] }));
  assert.equal((await ddb.send(new DescribeTableCommand({ TableName: 'tagged' }))).Table!.GlobalSecondaryIndexes, undefined);

  assert.deepEqual((await ddb.send(new DescribeLimitsCommand({}))).AccountMaxReadCapacityUnits, 80000);
  const ep = await ddb.send(new DescribeEndpointsCommand({}));
  assert.deepEqual(ep.Endpoints, [{ Address: new URL(cloud.endpoint).host, CachePeriodInMinutes: 1440 }]);
  await rejects(ddb.send(new DescribeTableCommand({ TableName: 'nope' })), 'ResourceNotFoundException', 'Requested resource not found: Table: nope not found');
});
