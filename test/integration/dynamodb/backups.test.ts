/**
 * On-demand backups and point-in-time recovery through the SDK v3 client: a backup is
 * the table at one moment, a restore rebuilds the table and its indexes from it, with
 * DynamoDB's errors (API reference: CreateBackup, RestoreTableFromBackup, ListBackups,
 * UpdateContinuousBackups).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, PutItemCommand, DeleteItemCommand, QueryCommand, ScanCommand, DescribeTableCommand, DeleteTableCommand,
  CreateBackupCommand, DescribeBackupCommand, ListBackupsCommand, DeleteBackupCommand, RestoreTableFromBackupCommand,
  DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { rejects } from '../../helpers/errors.js';
import { dynamodbHarness } from '../../helpers/harness.js';

const { ddb } = dynamodbHarness({
  tables: [
    {
      TableName: 'orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'total', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      LocalSecondaryIndexes: [{ IndexName: 'byTotal', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    },
  ],
  setup: async () => {
    for (let i = 1; i <= 3; i++) {
      await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c1' }, sk: { N: String(i) }, status: { S: i === 2 ? 'open' : 'done' }, total: { N: String(i * 10) } } }));
    }
  },
});

test('CreateBackup copies the table at that moment; restore rebuilds items and indexes', async () => {
  const created = await ddb.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'snap1' }));
  const d = created.BackupDetails!;
  assert.match(d.BackupArn!, /^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/backup\/\d{14}-[0-9a-f]{8}$/);
  assert.equal(d.BackupName, 'snap1');
  assert.equal(d.BackupStatus, 'CREATING');
  assert.equal(d.BackupType, 'USER');
  assert.ok(d.BackupCreationDateTime instanceof Date);

  // Changes after the backup do not reach it.
  await ddb.send(new DeleteItemCommand({ TableName: 'orders', Key: { pk: { S: 'c1' }, sk: { N: '1' } } }));
  await ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c1' }, sk: { N: '9' }, status: { S: 'open' }, total: { N: '90' } } }));

  const described = await ddb.send(new DescribeBackupCommand({ BackupArn: d.BackupArn }));
  const bd = described.BackupDescription!;
  assert.equal(bd.BackupDetails!.BackupStatus, 'AVAILABLE');
  assert.equal(bd.SourceTableDetails!.TableName, 'orders');
  assert.equal(bd.SourceTableDetails!.ItemCount, 3);
  assert.equal(bd.SourceTableDetails!.BillingMode, 'PAY_PER_REQUEST');
  assert.deepEqual(bd.SourceTableFeatureDetails!.GlobalSecondaryIndexes!.map((i) => i.IndexName), ['byStatus']);
  assert.deepEqual(bd.SourceTableFeatureDetails!.LocalSecondaryIndexes!.map((i) => i.IndexName), ['byTotal']);
  assert.equal(bd.BackupDetails!.BackupSizeBytes, bd.SourceTableDetails!.TableSizeBytes);

  const restored = await ddb.send(new RestoreTableFromBackupCommand({ TargetTableName: 'orders-restored', BackupArn: d.BackupArn }));
  const td = restored.TableDescription!;
  assert.equal(td.TableName, 'orders-restored');
  assert.equal(td.TableStatus, 'CREATING');
  assert.equal(td.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/orders-restored');
  assert.equal(td.RestoreSummary!.SourceBackupArn, d.BackupArn);
  assert.equal(td.RestoreSummary!.SourceTableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/orders');
  assert.equal(td.RestoreSummary!.RestoreInProgress, true);

  const scan = await ddb.send(new ScanCommand({ TableName: 'orders-restored' }));
  assert.deepEqual(scan.Items!.map((i) => i.sk.N).sort(), ['1', '2', '3']);
  const open = await ddb.send(new QueryCommand({ TableName: 'orders-restored', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } }));
  assert.deepEqual(open.Items!.map((i) => i.sk.N), ['2']);
  const byTotal = await ddb.send(new QueryCommand({ TableName: 'orders-restored', IndexName: 'byTotal', KeyConditionExpression: 'pk = :p AND #t > :t', ExpressionAttributeNames: { '#t': 'total' }, ExpressionAttributeValues: { ':p': { S: 'c1' }, ':t': { N: '15' } } }));
  assert.deepEqual(byTotal.Items, [{ pk: { S: 'c1' }, sk: { N: '2' }, total: { N: '20' } }, { pk: { S: 'c1' }, sk: { N: '3' }, total: { N: '30' } }]);
  const desc = await ddb.send(new DescribeTableCommand({ TableName: 'orders-restored' }));
  assert.equal(desc.Table!.ItemCount, 3);
  assert.equal(desc.Table!.GlobalSecondaryIndexes![0].ItemCount, 3);

  await rejects(ddb.send(new RestoreTableFromBackupCommand({ TargetTableName: 'orders', BackupArn: d.BackupArn })), 'TableAlreadyExistsException', 'Table already exists: orders');
});

test('RestoreTableFromBackup with index and billing overrides', async () => {
  const { BackupDetails } = await ddb.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'snap-override' }));
  const restored = await ddb.send(new RestoreTableFromBackupCommand({
    TargetTableName: 'orders-slim', BackupArn: BackupDetails!.BackupArn, GlobalSecondaryIndexOverride: [], LocalSecondaryIndexOverride: [],
    BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
  }));
  const td = restored.TableDescription!;
  assert.equal(td.GlobalSecondaryIndexes, undefined);
  assert.equal(td.LocalSecondaryIndexes, undefined);
  assert.deepEqual(td.AttributeDefinitions, [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }]);
  assert.equal(td.ProvisionedThroughput!.ReadCapacityUnits, 3);
  await rejects(ddb.send(new QueryCommand({ TableName: 'orders-slim', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } })),
    'ValidationException', 'The table does not have the specified index: byStatus');
  const scan = await ddb.send(new ScanCommand({ TableName: 'orders-slim' }));
  assert.equal(scan.Count, 3);
});

test('ListBackups filters by table, type and time, and pages', async () => {
  await ddb.send(new CreateTableCommand({
    TableName: 'solo', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  const solo = await ddb.send(new CreateBackupCommand({ TableName: 'solo', BackupName: 'solo-1' }));
  const all = await ddb.send(new ListBackupsCommand({}));
  const names = all.BackupSummaries!.map((b) => b.BackupName);
  assert.ok(names.includes('snap1') && names.includes('solo-1'));
  const only = await ddb.send(new ListBackupsCommand({ TableName: 'solo' }));
  assert.deepEqual(only.BackupSummaries!.map((b) => b.BackupName), ['solo-1']);
  const s = only.BackupSummaries![0];
  assert.equal(s.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/solo');
  assert.equal(s.BackupStatus, 'AVAILABLE');
  assert.equal(s.BackupType, 'USER');
  assert.deepEqual((await ddb.send(new ListBackupsCommand({ BackupType: 'SYSTEM' }))).BackupSummaries, []);
  assert.equal((await ddb.send(new ListBackupsCommand({ BackupType: 'ALL', TableName: 'solo' }))).BackupSummaries!.length, 1);
  const created = solo.BackupDetails!.BackupCreationDateTime!;
  assert.deepEqual((await ddb.send(new ListBackupsCommand({ TableName: 'solo', TimeRangeUpperBound: created }))).BackupSummaries, []);
  assert.equal((await ddb.send(new ListBackupsCommand({ TableName: 'solo', TimeRangeLowerBound: created }))).BackupSummaries!.length, 1);

  const seen: string[] = [];
  let ExclusiveStartBackupArn: string | undefined;
  do {
    const page = await ddb.send(new ListBackupsCommand({ Limit: 1, ExclusiveStartBackupArn }));
    assert.ok(page.BackupSummaries!.length <= 1);
    seen.push(...page.BackupSummaries!.map((b) => b.BackupArn!));
    ExclusiveStartBackupArn = page.LastEvaluatedBackupArn;
  } while (ExclusiveStartBackupArn);
  assert.deepEqual(seen, all.BackupSummaries!.map((b) => b.BackupArn));
});

test('DeleteBackup, and backups outlive their table', async () => {
  const { BackupDetails } = await ddb.send(new CreateBackupCommand({ TableName: 'solo', BackupName: 'solo-2' }));
  const arn = BackupDetails!.BackupArn!;
  await ddb.send(new DeleteTableCommand({ TableName: 'solo' }));
  assert.equal((await ddb.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!.BackupDetails!.BackupName, 'solo-2');
  const deleted = await ddb.send(new DeleteBackupCommand({ BackupArn: arn }));
  assert.equal(deleted.BackupDescription!.BackupDetails!.BackupStatus, 'DELETED');
  await rejects(ddb.send(new DescribeBackupCommand({ BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
  await rejects(ddb.send(new DeleteBackupCommand({ BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
  await rejects(ddb.send(new RestoreTableFromBackupCommand({ TargetTableName: 'x-restored', BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
  await rejects(ddb.send(new CreateBackupCommand({ TableName: 'solo', BackupName: 'again' })), 'TableNotFoundException', 'Table not found: solo');
});

test('point-in-time recovery settings', async () => {
  const off = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' }));
  assert.deepEqual(off.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });

  const on = await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } }));
  const p = on.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
  assert.equal(p.PointInTimeRecoveryStatus, 'ENABLED');
  assert.equal(p.RecoveryPeriodInDays, 7);
  assert.ok(p.EarliestRestorableDateTime instanceof Date);
  assert.equal(p.LatestRestorableDateTime!.getTime(), p.EarliestRestorableDateTime!.getTime());

  const described = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'orders' }));
  assert.equal(described.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.PointInTimeRecoveryStatus, 'ENABLED');
  assert.equal(described.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.EarliestRestorableDateTime!.getTime(), p.EarliestRestorableDateTime!.getTime());

  const disabled = await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
  assert.deepEqual(disabled.ContinuousBackupsDescription!.PointInTimeRecoveryDescription, { PointInTimeRecoveryStatus: 'DISABLED' });

  await rejects(ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'nope' })), 'TableNotFoundException', 'Table not found: nope');
  await rejects(ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'nope', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })), 'TableNotFoundException', 'Table not found: nope');
});
