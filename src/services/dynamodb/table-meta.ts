/**
 * Table definitions: CreateTable's checks in DynamoDB's words, the stored metadata of
 * a table and its indexes, and the TableDescription answered by the control plane.
 */
import { ServiceError } from '../../shared/errors.js';
import type {
  AttributeDefinition, CreateTableInput, KeySchemaElement, Projection, ProvisionedThroughput,
  GlobalSecondaryIndexDescription, LocalSecondaryIndexDescription, TableDescription, Tag,
} from '../../models/generated/dynamodb.js';
import type { KeyType } from './key-codec.js';

/** A secondary index as stored. */
export interface IndexMeta {
  /** Index id within the table (rows of ddb_index_items). */
  id: number;
  name: string;
  global: boolean;
  keySchema: KeySchemaElement[];
  hashKey: string;
  hashType: KeyType;
  rangeKey?: string;
  rangeType?: KeyType;
  projection: Projection;
  throughput?: { read: number; write: number };
  /** ACTIVE, or CREATING in the UpdateTable answer that adds it. */
  status: string;
}

/** A table as stored (the JSON of ddb_tables.meta). */
export interface TableMeta {
  name: string;
  arn: string;
  tableId: string;
  created: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  hashKey: string;
  hashType: KeyType;
  rangeKey?: string;
  rangeType?: KeyType;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** When the table last switched to on-demand (or was created on-demand). */
  payPerRequestSince?: number;
  billingModeChanged?: boolean;
  throughput: { read: number; write: number; lastIncrease?: number; lastDecrease?: number; decreasesToday: number };
  indexes: IndexMeta[];
  nextIndexId: number;
  stream?: { enabled: boolean; viewType?: string; label: string };
  sse?: { kmsKeyArn: string };
  tableClass?: string;
  deletionProtection: boolean;
  ttl?: { attribute: string; enabled: boolean };
  tags: Tag[];
}

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]+$/;

/**
 * Checks a table name given where an ARN is also accepted (the model's TableArn shape
 * drops the name's own constraints), in the Coral sentence DynamoDB answers.
 */
export function checkTableName(name: string, member = 'tableName'): void {
  if (name.startsWith('arn:')) return;
  const errors: string[] = [];
  if (!TABLE_NAME.test(name)) errors.push(`Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
  if (name.length < 3) errors.push(`Value '${name}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 3`);
  if (name.length > 255) errors.push(`Value '${name}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 255`);
  if (errors.length) throw invalid(`${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
}

interface KeyParts { hashKey: string; rangeKey?: string }

function keyParts(schema: KeySchemaElement[], invalidMessage: string): KeyParts {
  if (schema[0].KeyType !== 'HASH') throw invalid(`${invalidMessage}: The first KeySchemaElement is not a HASH key type`);
  if (schema.length > 1) {
    if (schema[1].KeyType !== 'RANGE') throw invalid(`${invalidMessage}: The second KeySchemaElement is not a RANGE key type`);
    if (schema[0].AttributeName === schema[1].AttributeName) {
      throw invalid(`${invalidMessage}: Both the Hash Key and the Range Key element in the KeySchema have the same name`);
    }
  }
  if (schema.length > 2) throw invalid(`${invalidMessage}: Too many key schema elements`);
  return { hashKey: schema[0].AttributeName, rangeKey: schema[1]?.AttributeName };
}

function checkProjection(p: Projection, indexName: string): void {
  const type = p.ProjectionType;
  if (type === undefined) throw invalid('One or more parameter values were invalid: Unknown ProjectionType: null');
  if (type === 'INCLUDE') {
    if (!p.NonKeyAttributes?.length) throw invalid(`One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  } else if (p.NonKeyAttributes !== undefined) {
    throw invalid(`One or more parameter values were invalid: ProjectionType is ${type}, but NonKeyAttributes is specified`);
  }
  void indexName;
}

function throughputOf(t: ProvisionedThroughput | undefined): { read: number; write: number } | undefined {
  return t ? { read: t.ReadCapacityUnits, write: t.WriteCapacityUnits } : undefined;
}

/** What CreateTable needs besides the input. */
export interface NewTableContext {
  arn: string;
  tableId: string;
  now: number;
}

/** Checks a CreateTable request and builds the table's metadata; throws DynamoDB's ValidationException. */
export function tableFromCreate(input: CreateTableInput, name: string, c: NewTableContext): TableMeta {
  const defs = input.AttributeDefinitions ?? [];
  const schema = input.KeySchema ?? [];
  if (!input.AttributeDefinitions) throw invalid('1 validation error detected: Value null at \'attributeDefinitions\' failed to satisfy constraint: Member must not be null');
  if (!input.KeySchema) throw invalid('1 validation error detected: Value null at \'keySchema\' failed to satisfy constraint: Member must not be null');
  const types = new Map<string, KeyType>();
  for (const d of defs) {
    if (types.has(d.AttributeName)) throw invalid('Cannot have two attributes with the same name');
    types.set(d.AttributeName, d.AttributeType as KeyType);
  }
  const table = keyParts(schema, 'Invalid KeySchema');
  const used: string[] = [];
  const use = (n: string | undefined) => { if (n !== undefined && !used.includes(n)) used.push(n); };
  use(table.hashKey);
  use(table.rangeKey);
  const defined = (names: (string | undefined)[]) => names.every((n) => n === undefined || types.has(n));
  if (!defined([table.hashKey, table.rangeKey])) {
    throw invalid(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${schema.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}]`);
  }

  const billingMode = input.BillingMode ?? 'PROVISIONED';
  if (billingMode === 'PROVISIONED' && !input.ProvisionedThroughput) {
    throw invalid('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  if (billingMode === 'PAY_PER_REQUEST' && input.ProvisionedThroughput) {
    throw invalid('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }

  const indexes: IndexMeta[] = [];
  const names = new Set<string>();
  let nextId = 1;
  const lsis = input.LocalSecondaryIndexes;
  if (lsis) {
    if (lsis.length === 0) throw invalid('One or more parameter values were invalid: List of LocalSecondaryIndexes is empty');
    if (table.rangeKey === undefined) throw invalid('One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    if (lsis.length > 5) throw invalid('One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5');
    for (const lsi of lsis) {
      const k = keyParts(lsi.KeySchema, 'Invalid KeySchema');
      if (!defined([k.hashKey, k.rangeKey])) throw invalid('Invalid KeySchema: Some index key attribute have no definition');
      if (k.rangeKey === undefined) throw invalid(`One or more parameter values were invalid: Index KeySchema does not have a range key for index: ${lsi.IndexName}`);
      if (k.hashKey !== table.hashKey) {
        throw invalid(`One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${k.hashKey}, table hash key: ${table.hashKey}`);
      }
      checkProjection(lsi.Projection, lsi.IndexName);
      if (names.has(lsi.IndexName)) throw invalid(`One or more parameter values were invalid: Duplicate index name: ${lsi.IndexName}`);
      names.add(lsi.IndexName);
      use(k.hashKey);
      use(k.rangeKey);
      indexes.push(indexMeta(nextId++, lsi.IndexName, false, lsi.KeySchema, k, types, lsi.Projection, undefined));
    }
  }
  const gsis = input.GlobalSecondaryIndexes;
  if (gsis) {
    if (gsis.length === 0) throw invalid('One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty');
    if (gsis.length > 20) throw invalid('One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20');
    for (const gsi of gsis) {
      const k = keyParts(gsi.KeySchema, 'Invalid KeySchema');
      if (!defined([k.hashKey, k.rangeKey])) throw invalid('Invalid KeySchema: Some index key attribute have no definition');
      checkProjection(gsi.Projection, gsi.IndexName);
      if (billingMode === 'PAY_PER_REQUEST' && gsi.ProvisionedThroughput) {
        throw invalid(`One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ${gsi.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (billingMode === 'PROVISIONED' && !gsi.ProvisionedThroughput) {
        throw invalid(`One or more parameter values were invalid: ProvisionedThroughput is not specified for index: ${gsi.IndexName}`);
      }
      if (names.has(gsi.IndexName)) throw invalid(`One or more parameter values were invalid: Duplicate index name: ${gsi.IndexName}`);
      names.add(gsi.IndexName);
      use(k.hashKey);
      use(k.rangeKey);
      indexes.push(indexMeta(nextId++, gsi.IndexName, true, gsi.KeySchema, k, types, gsi.Projection, throughputOf(gsi.ProvisionedThroughput)));
    }
  }
  if (used.length !== defs.length) {
    if (indexes.length === 0) throw invalid('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    throw invalid(`One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [${defs.map((d) => d.AttributeName).join(', ')}], keys used: [${used.join(', ')}]`);
  }

  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled && !stream.StreamViewType) {
    throw invalid('One or more parameter values were invalid: Enabled StreamSpecification must have a StreamViewType specified');
  }
  if (stream && !stream.StreamEnabled && stream.StreamViewType) {
    throw invalid('One or more parameter values were invalid: Disabled StreamSpecification cannot specify StreamViewType');
  }

  const tp = throughputOf(input.ProvisionedThroughput) ?? { read: 0, write: 0 };
  const meta: TableMeta = {
    name, arn: c.arn, tableId: c.tableId, created: c.now,
    attributeDefinitions: defs, keySchema: schema,
    hashKey: table.hashKey, hashType: types.get(table.hashKey)!,
    billingMode, throughput: { read: tp.read, write: tp.write, decreasesToday: 0 },
    indexes, nextIndexId: nextId, deletionProtection: input.DeletionProtectionEnabled ?? false, tags: input.Tags ?? [],
  };
  if (table.rangeKey !== undefined) {
    meta.rangeKey = table.rangeKey;
    meta.rangeType = types.get(table.rangeKey);
  }
  if (billingMode === 'PAY_PER_REQUEST') meta.payPerRequestSince = c.now;
  if (stream?.StreamEnabled) meta.stream = { enabled: true, viewType: stream.StreamViewType, label: streamLabel(c.now) };
  if (input.TableClass !== undefined) meta.tableClass = input.TableClass;
  return meta;
}

/** Builds an index's metadata from its key schema. */
export function indexMeta(id: number, name: string, global: boolean, keySchema: KeySchemaElement[], k: KeyParts, types: Map<string, KeyType>, projection: Projection, throughput: { read: number; write: number } | undefined): IndexMeta {
  const m: IndexMeta = { id, name, global, keySchema, hashKey: k.hashKey, hashType: types.get(k.hashKey)!, projection, status: 'ACTIVE' };
  if (k.rangeKey !== undefined) {
    m.rangeKey = k.rangeKey;
    m.rangeType = types.get(k.rangeKey);
  }
  if (throughput) m.throughput = throughput;
  return m;
}

/** Key parts of a key schema, checked as CreateTable checks an index's. */
export function indexKeyParts(schema: KeySchemaElement[]): KeyParts {
  return keyParts(schema, 'Invalid KeySchema');
}

/** A stream label: the creation time as AWS writes it (ISO 8601 without the zone). */
export function streamLabel(now: number): string {
  return new Date(now).toISOString().replace('Z', '');
}

/** Live sizes of a table and its indexes, for DescribeTable. */
export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  indexes: Map<number, { itemCount: number; sizeBytes: number }>;
}

const WARM = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

/** The TableDescription of a stored table. */
export function describeTable(meta: TableMeta, status: string, stats: TableStats | undefined, region: string, account: string): TableDescription {
  const d: TableDescription = {
    AttributeDefinitions: meta.attributeDefinitions,
    TableName: meta.name,
    KeySchema: meta.keySchema,
    TableStatus: status as TableDescription['TableStatus'],
    CreationDateTime: new Date(meta.created),
    ProvisionedThroughput: {
      NumberOfDecreasesToday: meta.throughput.decreasesToday,
      ReadCapacityUnits: meta.throughput.read,
      WriteCapacityUnits: meta.throughput.write,
    },
    TableSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    TableArn: meta.arn,
    TableId: meta.tableId,
  };
  if (meta.throughput.lastIncrease !== undefined) d.ProvisionedThroughput!.LastIncreaseDateTime = new Date(meta.throughput.lastIncrease);
  if (meta.throughput.lastDecrease !== undefined) d.ProvisionedThroughput!.LastDecreaseDateTime = new Date(meta.throughput.lastDecrease);
  if (meta.billingMode === 'PAY_PER_REQUEST' || meta.billingModeChanged) {
    d.BillingModeSummary = { BillingMode: meta.billingMode };
    if (meta.payPerRequestSince !== undefined) d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = new Date(meta.payPerRequestSince);
  }
  const lsis: LocalSecondaryIndexDescription[] = [];
  const gsis: GlobalSecondaryIndexDescription[] = [];
  for (const ix of meta.indexes) {
    const s = stats?.indexes.get(ix.id);
    const base = {
      IndexName: ix.name, KeySchema: ix.keySchema, Projection: ix.projection,
      IndexSizeBytes: s?.sizeBytes ?? 0, ItemCount: s?.itemCount ?? 0, IndexArn: `${meta.arn}/index/${ix.name}`,
    };
    if (!ix.global) {
      lsis.push(base);
      continue;
    }
    const g: GlobalSecondaryIndexDescription = {
      ...base,
      IndexStatus: ix.status as GlobalSecondaryIndexDescription['IndexStatus'],
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: ix.throughput?.read ?? 0, WriteCapacityUnits: ix.throughput?.write ?? 0 },
      WarmThroughput: { ...WARM, Status: ix.status as 'ACTIVE' },
    };
    if (ix.status === 'CREATING') g.Backfilling = false;
    gsis.push(g);
  }
  if (lsis.length) d.LocalSecondaryIndexes = lsis;
  if (gsis.length) d.GlobalSecondaryIndexes = gsis;
  if (meta.stream) {
    d.StreamSpecification = { StreamEnabled: meta.stream.enabled, StreamViewType: meta.stream.viewType as 'NEW_IMAGE' };
    d.LatestStreamLabel = meta.stream.label;
    d.LatestStreamArn = `${meta.arn}/stream/${meta.stream.label}`;
    if (!meta.stream.enabled) delete d.StreamSpecification;
  }
  if (meta.sse) d.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: meta.sse.kmsKeyArn };
  if (meta.tableClass !== undefined) d.TableClassSummary = { TableClass: meta.tableClass as 'STANDARD' };
  d.DeletionProtectionEnabled = meta.deletionProtection;
  d.WarmThroughput = { ...WARM, Status: status === 'ACTIVE' ? 'ACTIVE' : 'UPDATING' };
  void region; void account;
  return d;
}
