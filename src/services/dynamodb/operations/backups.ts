/**
 * On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
 * RestoreTableFromBackup) and point-in-time recovery settings (DescribeContinuousBackups,
 * UpdateContinuousBackups). A backup is a copy of the table's items and definition taken
 * in one transaction; a restore creates a new table from the definition (indexes as in
 * the backup unless overridden) and writes the copied items through the one write path,
 * so its indexes are rebuilt.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  CreateBackupInput, CreateBackupOutput, DescribeBackupInput, DescribeBackupOutput, DeleteBackupInput, DeleteBackupOutput,
  ListBackupsInput, ListBackupsOutput, BackupSummary, BackupDescription, BackupDetails, RestoreTableFromBackupInput, RestoreTableFromBackupOutput,
  DescribeContinuousBackupsInput, DescribeContinuousBackupsOutput, UpdateContinuousBackupsInput, UpdateContinuousBackupsOutput,
  ContinuousBackupsDescription, CreateTableInput, SourceTableFeatureDetails, AttributeDefinition,
} from '../../../models/generated/dynamodb.js';
import { tableFromCreate, describeTable, checkTableName, type TableMeta } from '../table-meta.js';
import { tableNameOf } from '../common.js';
import { deserializeItem } from '../item-codec.js';
import { keyOfItem } from '../keys.js';
import { writeItem } from '../writes.js';
import type { DynamoStore, StoredTable } from '../store.js';
import type { BackupStore, StoredBackup } from '../backup-store.js';

/** PITR keeps 35 days unless told otherwise (UpdateContinuousBackups API reference). */
const DEFAULT_RECOVERY_DAYS = 35;
/** LatestRestorableDateTime trails the current time by about five minutes (developer guide, "Point-in-time recovery"). */
const PITR_LAG_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function tableNotFound(name: string): ServiceError {
  return new ServiceError('TableNotFoundException', `Table not found: ${name}`);
}

function backupNotFound(arn: string): ServiceError {
  return new ServiceError('BackupNotFoundException', `Backup not found: ${arn}`);
}

function sourceTable(store: DynamoStore, ctx: RequestContext, nameOrArn: string): StoredTable {
  const name = tableNameOf(nameOrArn);
  const t = store.table(ctx.account, ctx.region, name);
  if (!t) {
    checkTableName(nameOrArn);
    throw tableNotFound(name);
  }
  return t;
}

/** A backup ARN: the table's ARN, then /backup/ and the creation time in milliseconds (14 digits) with a random suffix. */
function backupArn(meta: TableMeta, now: number): string {
  return `${meta.arn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

function details(b: StoredBackup, status: BackupDetails['BackupStatus']): BackupDetails {
  return {
    BackupArn: b.arn, BackupName: b.name, BackupSizeBytes: b.size, BackupStatus: status,
    BackupType: b.type as BackupDetails['BackupType'], BackupCreationDateTime: new Date(b.created),
  };
}

function description(b: StoredBackup, status: BackupDetails['BackupStatus']): BackupDescription {
  const m = b.meta;
  const features: SourceTableFeatureDetails = {};
  const lsis = m.indexes.filter((i) => !i.global);
  const gsis = m.indexes.filter((i) => i.global);
  if (lsis.length) features.LocalSecondaryIndexes = lsis.map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection }));
  if (gsis.length) {
    features.GlobalSecondaryIndexes = gsis.map((i) => ({
      IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection,
      ProvisionedThroughput: { ReadCapacityUnits: i.throughput?.read ?? 0, WriteCapacityUnits: i.throughput?.write ?? 0 },
    }));
  }
  if (m.stream?.enabled) features.StreamDescription = { StreamEnabled: true, StreamViewType: m.stream.viewType as 'NEW_IMAGE' };
  if (m.ttl) features.TimeToLiveDescription = { TimeToLiveStatus: m.ttl.enabled ? 'ENABLED' : 'DISABLED', AttributeName: m.ttl.attribute };
  if (m.sse) features.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: m.sse.kmsKeyArn };
  return {
    BackupDetails: details(b, status),
    SourceTableDetails: {
      TableName: m.name, TableId: m.tableId, TableArn: m.arn, TableSizeBytes: b.size, KeySchema: m.keySchema,
      TableCreationDateTime: new Date(m.created),
      ProvisionedThroughput: { ReadCapacityUnits: m.throughput.read, WriteCapacityUnits: m.throughput.write },
      ItemCount: b.itemCount, BillingMode: m.billingMode,
    },
    SourceTableFeatureDetails: features,
  };
}

function requireBackup(backups: BackupStore, ctx: RequestContext, arn: string): StoredBackup {
  const b = backups.get(ctx.account, ctx.region, arn);
  if (!b) throw backupNotFound(arn);
  return b;
}

/** CreateBackup. */
export function createBackup(store: DynamoStore, backups: BackupStore, ctx: RequestContext, input: CreateBackupInput): CreateBackupOutput {
  const t = sourceTable(store, ctx, input.TableName);
  const now = ctx.clock.now();
  const b: StoredBackup = {
    arn: backupArn(t.meta, now), account: ctx.account, region: ctx.region, name: input.BackupName, tableName: t.meta.name,
    created: now, type: 'USER', size: 0, itemCount: 0, meta: structuredClone(t.meta),
  };
  // The copy and the backup row commit together: the backup is the table at one moment.
  store.transaction(() => backups.create(b, [...store.allItems(t.id)]));
  return { BackupDetails: details(b, 'CREATING') };
}

/** DescribeBackup. */
export function describeBackup(backups: BackupStore, ctx: RequestContext, input: DescribeBackupInput): DescribeBackupOutput {
  return { BackupDescription: description(requireBackup(backups, ctx, input.BackupArn), 'AVAILABLE') };
}

/** DeleteBackup. */
export function deleteBackup(backups: BackupStore, ctx: RequestContext, input: DeleteBackupInput): DeleteBackupOutput {
  const b = requireBackup(backups, ctx, input.BackupArn);
  backups.delete(b.arn);
  return { BackupDescription: description(b, 'DELETED') };
}

/** ListBackups: oldest first, filtered by table, creation time (lower bound inclusive, upper exclusive) and type. */
export function listBackups(backups: BackupStore, ctx: RequestContext, input: ListBackupsInput): ListBackupsOutput {
  const type = input.BackupType ?? 'USER';
  let after: { created: number; arn: string } | undefined;
  if (input.ExclusiveStartBackupArn !== undefined) {
    const start = backups.get(ctx.account, ctx.region, input.ExclusiveStartBackupArn);
    after = start ? { created: start.created, arn: start.arn } : undefined;
  }
  const lower = input.TimeRangeLowerBound?.getTime();
  const upper = input.TimeRangeUpperBound?.getTime();
  const tableName = input.TableName === undefined ? undefined : tableNameOf(input.TableName);
  const summaries: BackupSummary[] = [];
  let last: string | undefined;
  for (const b of backups.list(ctx.account, ctx.region, after)) {
    if (tableName !== undefined && b.tableName !== tableName) continue;
    if (type !== 'ALL' && b.type !== type) continue;
    if (lower !== undefined && b.created < lower) continue;
    if (upper !== undefined && b.created >= upper) continue;
    if (input.Limit !== undefined && summaries.length >= input.Limit) {
      last = summaries[summaries.length - 1]!.BackupArn;
      break;
    }
    summaries.push({
      TableName: b.meta.name, TableId: b.meta.tableId, TableArn: b.meta.arn, BackupArn: b.arn, BackupName: b.name,
      BackupCreationDateTime: new Date(b.created), BackupStatus: 'AVAILABLE', BackupType: b.type as BackupSummary['BackupType'], BackupSizeBytes: b.size,
    });
  }
  const out: ListBackupsOutput = { BackupSummaries: summaries };
  if (last) out.LastEvaluatedBackupArn = last;
  return out;
}

/** The CreateTable request that a restore amounts to: the backup's definition with the overrides applied. */
function restoreDefinition(b: StoredBackup, input: RestoreTableFromBackupInput): CreateTableInput {
  const m = b.meta;
  const billingMode = input.BillingModeOverride ?? m.billingMode;
  const def: CreateTableInput = { TableName: input.TargetTableName, AttributeDefinitions: [], KeySchema: m.keySchema, BillingMode: billingMode };
  if (billingMode === 'PROVISIONED') {
    def.ProvisionedThroughput = input.ProvisionedThroughputOverride ?? { ReadCapacityUnits: m.throughput.read || 1, WriteCapacityUnits: m.throughput.write || 1 };
  }
  const lsis = input.LocalSecondaryIndexOverride ?? m.indexes.filter((i) => !i.global).map((i) => ({ IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection }));
  const gsis = input.GlobalSecondaryIndexOverride ?? m.indexes.filter((i) => i.global).map((i) => ({
    IndexName: i.name, KeySchema: i.keySchema, Projection: i.projection,
    ...(billingMode === 'PROVISIONED' ? { ProvisionedThroughput: { ReadCapacityUnits: i.throughput?.read || 1, WriteCapacityUnits: i.throughput?.write || 1 } } : {}),
  }));
  if (lsis.length) def.LocalSecondaryIndexes = lsis;
  if (gsis.length) def.GlobalSecondaryIndexes = gsis;
  // Only the attributes the restored keys use are defined (an index left out may have used others).
  const used = new Set<string>();
  for (const k of [...m.keySchema, ...lsis.flatMap((i) => i.KeySchema), ...gsis.flatMap((i) => i.KeySchema)]) used.add(k.AttributeName);
  const defs: AttributeDefinition[] = m.attributeDefinitions.filter((d) => used.has(d.AttributeName));
  for (const name of used) {
    if (!defs.some((d) => d.AttributeName === name)) {
      throw new ServiceError('ValidationException', `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${[...used].join(', ')}], AttributeDefinitions: [${m.attributeDefinitions.map((d) => d.AttributeName).join(', ')}]`);
    }
  }
  def.AttributeDefinitions = defs;
  if (m.tableClass !== undefined) def.TableClass = m.tableClass as CreateTableInput['TableClass'];
  return def;
}

/** RestoreTableFromBackup. */
export function restoreTableFromBackup(store: DynamoStore, backups: BackupStore, ctx: RequestContext, input: RestoreTableFromBackupInput): RestoreTableFromBackupOutput {
  checkTableName(input.TargetTableName, 'targetTableName');
  const b = requireBackup(backups, ctx, input.BackupArn);
  const name = input.TargetTableName;
  if (store.table(ctx.account, ctx.region, name)) throw new ServiceError('TableAlreadyExistsException', `Table already exists: ${name}`);
  const now = ctx.clock.now();
  const arn = `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`;
  const meta = tableFromCreate(restoreDefinition(b, input), name, { arn, tableId: randomUUID(), now });
  const sse = input.SSESpecificationOverride;
  if (sse?.Enabled) meta.sse = { kmsKeyArn: sse.KMSMasterKeyId?.startsWith('arn:') ? sse.KMSMasterKeyId : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${sse.KMSMasterKeyId ?? randomUUID()}` };
  else if (sse === undefined && b.meta.sse) meta.sse = { ...b.meta.sse };
  const t = store.transaction(() => {
    const created = store.createTable(ctx.account, ctx.region, meta);
    store.streams.sync(created, now);
    for (const row of backups.items(b.arn)) {
      const item = deserializeItem(row.item);
      writeItem(store, created, keyOfItem(meta, item), undefined, 0, { item, text: row.item, size: row.size }, undefined, 'request');
    }
    return created;
  });
  const d = describeTable(t.meta, 'CREATING', undefined, ctx.region, ctx.account);
  d.RestoreSummary = { SourceBackupArn: b.arn, SourceTableArn: b.meta.arn, RestoreDateTime: new Date(now), RestoreInProgress: true };
  return { TableDescription: d };
}

function continuousBackups(backups: BackupStore, t: StoredTable, now: number): ContinuousBackupsDescription {
  const p = backups.pitr(t.meta.tableId);
  if (!p?.enabled) return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
  const earliest = Math.max(p.since, now - p.days * DAY_MS);
  const latest = Math.max(earliest, now - PITR_LAG_MS);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: p.days,
      EarliestRestorableDateTime: new Date(earliest), LatestRestorableDateTime: new Date(latest),
    },
  };
}

/** DescribeContinuousBackups. */
export function describeContinuousBackups(store: DynamoStore, backups: BackupStore, ctx: RequestContext, input: DescribeContinuousBackupsInput): DescribeContinuousBackupsOutput {
  const t = sourceTable(store, ctx, input.TableName);
  return { ContinuousBackupsDescription: continuousBackups(backups, t, ctx.clock.now()) };
}

/** UpdateContinuousBackups. */
export function updateContinuousBackups(store: DynamoStore, backups: BackupStore, ctx: RequestContext, input: UpdateContinuousBackupsInput): UpdateContinuousBackupsOutput {
  const t = sourceTable(store, ctx, input.TableName);
  const spec = input.PointInTimeRecoverySpecification;
  const now = ctx.clock.now();
  const current = backups.pitr(t.meta.tableId);
  const days = spec.RecoveryPeriodInDays ?? current?.days ?? DEFAULT_RECOVERY_DAYS;
  // Enabling again keeps the window that is already open; disabling closes it.
  const since = spec.PointInTimeRecoveryEnabled && current?.enabled ? current.since : now;
  backups.setPitr(t.meta.tableId, { enabled: spec.PointInTimeRecoveryEnabled, since, days: spec.PointInTimeRecoveryEnabled ? days : DEFAULT_RECOVERY_DAYS });
  return { ContinuousBackupsDescription: continuousBackups(backups, t, now) };
}
