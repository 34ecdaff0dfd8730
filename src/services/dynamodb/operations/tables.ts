/**
 * The control plane: tables, indexes, tags, TTL, limits and endpoints.
 * Tables are usable as soon as CreateTable returns: its answer says CREATING as AWS's
 * does, and every later call (DescribeTable, waiters, PutItem) finds the table ACTIVE.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  CreateTableInput, CreateTableOutput, DescribeTableInput, DescribeTableOutput, DeleteTableInput, DeleteTableOutput,
  ListTablesInput, ListTablesOutput, UpdateTableInput, UpdateTableOutput, TagResourceInput, UntagResourceInput,
  ListTagsOfResourceInput, ListTagsOfResourceOutput, DescribeLimitsOutput, DescribeEndpointsResponse,
  UpdateTimeToLiveInput, UpdateTimeToLiveOutput, DescribeTimeToLiveInput, DescribeTimeToLiveOutput,
} from '../../../models/generated/dynamodb.js';
import { tableFromCreate, describeTable, checkTableName, streamLabel, indexKeyParts, indexMeta, type TableMeta } from '../table-meta.js';
import { tableNameOf } from '../common.js';
import { deserializeItem } from '../item-codec.js';
import { indexKeyOf, projectIndexItem } from '../keys.js';
import { itemSize } from '../expressions/index.js';
import type { KeyType } from '../key-codec.js';
import type { DynamoStore, StoredTable } from '../store.js';

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function notFound(name: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
}

/** The table a control-plane request names; its error names the table. */
function controlTable(store: DynamoStore, ctx: RequestContext, nameOrArn: string): StoredTable {
  const name = tableNameOf(nameOrArn);
  const t = store.table(ctx.account, ctx.region, name);
  if (!t) {
    checkTableName(nameOrArn);
    throw notFound(name);
  }
  return t;
}

function sseKeyArn(ctx: RequestContext, keyId: string | undefined): string {
  if (keyId?.startsWith('arn:')) return keyId;
  return `arn:aws:kms:${ctx.region}:${ctx.account}:key/${keyId ?? randomUUID()}`;
}

/** CreateTable. */
export function createTable(store: DynamoStore, ctx: RequestContext, input: CreateTableInput): CreateTableOutput {
  checkTableName(input.TableName);
  const name = tableNameOf(input.TableName);
  const now = ctx.clock.now();
  const meta = tableFromCreate(input, name, { arn: `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`, tableId: randomUUID(), now });
  if (input.SSESpecification?.Enabled) meta.sse = { kmsKeyArn: sseKeyArn(ctx, input.SSESpecification.KMSMasterKeyId) };
  if (store.table(ctx.account, ctx.region, name)) throw new ServiceError('ResourceInUseException', `Table already exists: ${name}`);
  const t = store.transaction(() => {
    const created = store.createTable(ctx.account, ctx.region, meta);
    store.streams.sync(created, now);
    return created;
  });
  return { TableDescription: describeTable(t.meta, 'CREATING', undefined, ctx.region, ctx.account) };
}

/** DescribeTable. */
export function describe(store: DynamoStore, ctx: RequestContext, input: DescribeTableInput): DescribeTableOutput {
  const t = controlTable(store, ctx, input.TableName);
  return { Table: describeTable(t.meta, 'ACTIVE', store.stats(t.id), ctx.region, ctx.account) };
}

/** DeleteTable. */
export function deleteTable(store: DynamoStore, ctx: RequestContext, input: DeleteTableInput): DeleteTableOutput {
  const t = controlTable(store, ctx, input.TableName);
  if (t.meta.deletionProtection) {
    throw new ServiceError('ResourceInUseException', `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
  }
  const description = describeTable(t.meta, 'DELETING', store.stats(t.id), ctx.region, ctx.account);
  store.transaction(() => {
    store.streams.sync(t, ctx.clock.now(), true);
    store.deleteTable(t);
  });
  return { TableDescription: description };
}

/** ListTables. */
export function listTables(store: DynamoStore, ctx: RequestContext, input: ListTablesInput): ListTablesOutput {
  const limit = input.Limit ?? 100;
  const names = store.listTables(ctx.account, ctx.region, input.ExclusiveStartTableName ?? '', limit + 1);
  const out: ListTablesOutput = { TableNames: names.slice(0, limit) };
  if (names.length > limit) out.LastEvaluatedTableName = names[limit - 1];
  return out;
}

/** UpdateTable: billing mode, throughput, streams, SSE, table class, deletion protection, GSIs (created with backfill, or deleted). */
export function updateTable(store: DynamoStore, ctx: RequestContext, input: UpdateTableInput): UpdateTableOutput {
  const t = controlTable(store, ctx, input.TableName);
  const meta: TableMeta = structuredClone(t.meta);
  const now = ctx.clock.now();
  const gsiUpdates = input.GlobalSecondaryIndexUpdates ?? [];
  const changes = input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined || gsiUpdates.length > 0
    || input.StreamSpecification !== undefined || input.SSESpecification !== undefined || input.TableClass !== undefined
    || input.DeletionProtectionEnabled !== undefined || input.ReplicaUpdates !== undefined || input.OnDemandThroughput !== undefined || input.WarmThroughput !== undefined;
  if (!changes) {
    throw invalid('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (input.BillingMode !== undefined && input.BillingMode !== meta.billingMode) {
    meta.billingMode = input.BillingMode;
    meta.billingModeChanged = true;
    if (input.BillingMode === 'PAY_PER_REQUEST') {
      meta.payPerRequestSince = now;
      if (input.ProvisionedThroughput) throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
      meta.throughput = { read: 0, write: 0, decreasesToday: 0 };
      for (const ix of meta.indexes) if (ix.global) delete ix.throughput;
    } else if (!input.ProvisionedThroughput) {
      throw invalid('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    }
  }
  if (input.ProvisionedThroughput) {
    if (meta.billingMode === 'PAY_PER_REQUEST') {
      throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    const { ReadCapacityUnits: r, WriteCapacityUnits: w } = input.ProvisionedThroughput;
    const tp = meta.throughput;
    if (r === tp.read && w === tp.write && input.BillingMode === undefined && gsiUpdates.length === 0) {
      throw invalid(`The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${tp.read}. Requested ReadCapacityUnits: ${r}. Current WriteCapacityUnits provisioned for the table: ${tp.write}. Requested WriteCapacityUnits: ${w}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`);
    }
    if (r > tp.read || w > tp.write) tp.lastIncrease = now;
    if (r < tp.read || w < tp.write) {
      tp.lastDecrease = now;
      tp.decreasesToday++;
    }
    tp.read = r;
    tp.write = w;
  }
  if (input.StreamSpecification) {
    const s = input.StreamSpecification;
    if (s.StreamEnabled) {
      if (!s.StreamViewType) throw invalid('One or more parameter values were invalid: Enabled StreamSpecification must have a StreamViewType specified');
      if (meta.stream?.enabled) throw invalid(`Table already has an enabled stream: ${meta.arn}/stream/${meta.stream.label}`);
      meta.stream = { enabled: true, viewType: s.StreamViewType, label: streamLabel(now) };
    } else {
      if (!meta.stream?.enabled) throw invalid('Table already has stream disabled');
      meta.stream.enabled = false;
    }
  }
  if (input.SSESpecification) {
    if (input.SSESpecification.Enabled === false) delete meta.sse;
    else meta.sse = { kmsKeyArn: sseKeyArn(ctx, input.SSESpecification.KMSMasterKeyId) };
  }
  if (input.TableClass !== undefined) meta.tableClass = input.TableClass;
  if (input.DeletionProtectionEnabled !== undefined) meta.deletionProtection = input.DeletionProtectionEnabled;

  const types = new Map<string, KeyType>(meta.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType as KeyType]));
  for (const d of input.AttributeDefinitions ?? []) {
    const had = types.get(d.AttributeName);
    if (had !== undefined && had !== d.AttributeType) {
      throw invalid(`One or more parameter values were invalid: Attribute ${d.AttributeName} is defined with type ${d.AttributeType}, but it is already defined with type ${had}`);
    }
    if (had === undefined) {
      types.set(d.AttributeName, d.AttributeType as KeyType);
      meta.attributeDefinitions.push(d);
    }
  }
  const created: number[] = [];
  const deleted: number[] = [];
  for (const u of gsiUpdates) {
    if (u.Create) {
      const c = u.Create;
      if (meta.indexes.some((i) => i.name === c.IndexName)) throw invalid(`One or more parameter values were invalid: Duplicate index name: ${c.IndexName}`);
      const k = indexKeyParts(c.KeySchema);
      if (!types.has(k.hashKey) || (k.rangeKey !== undefined && !types.has(k.rangeKey))) throw invalid('Invalid KeySchema: Some index key attribute have no definition');
      if (meta.billingMode === 'PROVISIONED' && !c.ProvisionedThroughput) throw invalid(`One or more parameter values were invalid: ProvisionedThroughput is not specified for index: ${c.IndexName}`);
      if (meta.billingMode === 'PAY_PER_REQUEST' && c.ProvisionedThroughput) throw invalid(`One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ${c.IndexName} when BillingMode is PAY_PER_REQUEST`);
      const tp = c.ProvisionedThroughput ? { read: c.ProvisionedThroughput.ReadCapacityUnits, write: c.ProvisionedThroughput.WriteCapacityUnits } : undefined;
      const ix = indexMeta(meta.nextIndexId++, c.IndexName, true, c.KeySchema, k, types, c.Projection, tp);
      meta.indexes.push(ix);
      created.push(ix.id);
    } else if (u.Delete) {
      const i = meta.indexes.findIndex((x) => x.global && x.name === u.Delete!.IndexName);
      if (i < 0) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Index: ${u.Delete.IndexName} not found`);
      deleted.push(meta.indexes[i].id);
      meta.indexes.splice(i, 1);
    } else if (u.Update) {
      const ix = meta.indexes.find((x) => x.global && x.name === u.Update!.IndexName);
      if (!ix) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Index: ${u.Update.IndexName} not found`);
      if (u.Update.ProvisionedThroughput) ix.throughput = { read: u.Update.ProvisionedThroughput.ReadCapacityUnits, write: u.Update.ProvisionedThroughput.WriteCapacityUnits };
    }
  }
  // Attribute definitions are the keys in use: ones no key uses any more are dropped.
  const used = new Set<string>([meta.hashKey, ...(meta.rangeKey ? [meta.rangeKey] : [])]);
  for (const ix of meta.indexes) {
    used.add(ix.hashKey);
    if (ix.rangeKey) used.add(ix.rangeKey);
  }
  meta.attributeDefinitions = meta.attributeDefinitions.filter((d) => used.has(d.AttributeName));

  store.transaction(() => {
    for (const iid of deleted) store.deleteIndex(t.id, iid);
    for (const iid of created) backfill(store, t, meta, iid);
    t.meta = meta;
    store.saveTable(t);
    store.streams.sync(t, now);
  });
  const answer = structuredClone(meta);
  for (const ix of answer.indexes) if (created.includes(ix.id)) ix.status = 'CREATING';
  return { TableDescription: describeTable(answer, 'UPDATING', store.stats(t.id), ctx.region, ctx.account) };
}

/** Writes the index rows of a new GSI for the items already in the table. */
function backfill(store: DynamoStore, t: StoredTable, meta: TableMeta, iid: number): void {
  const ix = meta.indexes.find((i) => i.id === iid)!;
  const rows = [...store.allItems(t.id)];
  for (const row of rows) {
    const item = deserializeItem(row.item);
    const ik = indexKeyOf(ix, item);
    if (!ik) continue;
    const size = ix.projection.ProjectionType === 'ALL' ? row.size : itemSize(projectIndexItem(meta, ix, item));
    store.putIndexItem(t.id, iid, ik, { hh: row.hh, hk: row.hk, rk: row.rk }, size);
  }
}

/** The table an ARN names (tagging operations take ARNs). */
function tableOfArn(store: DynamoStore, ctx: RequestContext, arn: string): StoredTable {
  const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(arn);
  if (!m) throw invalid(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  const t = m[1] === ctx.region && m[2] === ctx.account ? store.table(ctx.account, ctx.region, m[3]) : undefined;
  if (!t) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return t;
}

/** TagResource. */
export function tagResource(store: DynamoStore, ctx: RequestContext, input: TagResourceInput): void {
  const t = tableOfArn(store, ctx, input.ResourceArn);
  const tags = new Map(t.meta.tags.map((x) => [x.Key, x.Value]));
  for (const x of input.Tags) tags.set(x.Key, x.Value);
  if (tags.size > 50) throw invalid('One or more parameter values were invalid: The number of tags exceeds the limit of 50');
  t.meta.tags = [...tags].map(([Key, Value]) => ({ Key, Value }));
  store.saveTable(t);
}

/** UntagResource. */
export function untagResource(store: DynamoStore, ctx: RequestContext, input: UntagResourceInput): void {
  const t = tableOfArn(store, ctx, input.ResourceArn);
  const remove = new Set(input.TagKeys);
  t.meta.tags = t.meta.tags.filter((x) => !remove.has(x.Key));
  store.saveTable(t);
}

/** ListTagsOfResource (all tags in one page: a table has at most 50). */
export function listTagsOfResource(store: DynamoStore, ctx: RequestContext, input: ListTagsOfResourceInput): ListTagsOfResourceOutput {
  const t = tableOfArn(store, ctx, input.ResourceArn);
  return { Tags: t.meta.tags };
}

/** DescribeLimits: the default quotas of an account and region. */
export function describeLimits(): DescribeLimitsOutput {
  return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
}

/** DescribeEndpoints: this endpoint, cached for a day as AWS says. */
export function describeEndpoints(ctx: RequestContext): DescribeEndpointsResponse {
  return { Endpoints: [{ Address: new URL(ctx.endpoint).host, CachePeriodInMinutes: 1440 }] };
}

/** UpdateTimeToLive. */
export function updateTimeToLive(store: DynamoStore, ctx: RequestContext, input: UpdateTimeToLiveInput): UpdateTimeToLiveOutput {
  const t = controlTable(store, ctx, input.TableName);
  const spec = input.TimeToLiveSpecification;
  const cur = t.meta.ttl;
  if (spec.Enabled && cur?.enabled) throw invalid('TimeToLive is already enabled');
  if (!spec.Enabled && !cur?.enabled) throw invalid('TimeToLive is already disabled');
  if (!spec.Enabled && cur && cur.attribute !== spec.AttributeName) {
    throw invalid('TimeToLive is active on a different AttributeName: current AttributeName is ' + cur.attribute);
  }
  t.meta.ttl = { attribute: spec.AttributeName, enabled: spec.Enabled };
  store.saveTable(t);
  return { TimeToLiveSpecification: spec };
}

/** DescribeTimeToLive. */
export function describeTimeToLive(store: DynamoStore, ctx: RequestContext, input: DescribeTimeToLiveInput): DescribeTimeToLiveOutput {
  const t = controlTable(store, ctx, input.TableName);
  const ttl = t.meta.ttl;
  if (!ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attribute } };
}
