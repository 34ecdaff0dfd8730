/**
 * Query and Scan: range scans over the encoded keys of a table or index, then
 * DynamoDB's evaluation order: Limit counts items read, the 1 MB page limit counts
 * their size, the filter runs after both, the projection last.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { QueryInput, QueryOutput, ScanInput, ScanOutput } from '../../../models/generated/dynamodb.js';
import {
  compileExpressions, evaluateCondition, project, conditionFromFilter, keyConditionFromKeyConditions, projectionFromAttributesToGet, conditionAttributeNames,
  type AttributeValue, type Item, type ConditionNode, type DocumentPath, type KeyCondition, type LegacyCondition,
} from '../expressions/index.js';
import { validateItem, deserializeItem, rawItem } from '../item-codec.js';
import { encodeKeyValue, partitionHash, prefixEnd, successor, type KeyType } from '../key-codec.js';
import { keyAttributes, projectIndexItem, typeOf, keyOfKey, indexKeyOf } from '../keys.js';
import { requireTable, consumedCapacity, checkNotMixed } from '../common.js';
import { Capacity, readUnits } from '../writes.js';
import type { DynamoStore, StoredTable } from '../store.js';
import type { IndexMeta, TableMeta } from '../table-meta.js';

/** A Query or Scan page stops once this much item data was read (1 MB). */
const PAGE_BYTES = 1024 * 1024;
const HASH_SPACE = 2 ** 32;
/** Up to this Limit a page's rows are fetched in one call (at most 64 x 400 KB). */
const ALL_ROWS_LIMIT = 64;

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

interface Source {
  t: StoredTable;
  ix?: IndexMeta;
}

function resolveIndex(t: StoredTable, name: string | undefined): IndexMeta | undefined {
  if (name === undefined) return undefined;
  const ix = t.meta.indexes.find((i) => i.name === name);
  if (!ix) throw invalid(`The table does not have the specified index: ${name}`);
  return ix;
}

/** Select and ConsistentRead rules shared by Query and Scan. */
function checkSelect(src: Source, select: string | undefined, paths: DocumentPath[] | undefined, consistent: boolean | undefined): void {
  const { ix } = src;
  if (consistent && ix?.global) throw invalid('Consistent reads are not supported on global secondary indexes');
  if (select === 'SPECIFIC_ATTRIBUTES' && !paths) {
    throw invalid('One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a projection expression or AttributesToGet');
  }
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && paths) {
    throw invalid(`One or more parameter values were invalid: Select type ${select} is not compatible with ProjectionExpression or AttributesToGet`);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !ix) {
    throw invalid('One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported when IndexName is not specified');
  }
  if (select === 'ALL_ATTRIBUTES' && ix?.global && ix.projection.ProjectionType !== 'ALL') {
    throw invalid(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${ix.name} because its projection type is not ALL`);
  }
}

type ReadInput = {
  ProjectionExpression?: string; FilterExpression?: string; KeyConditionExpression?: string;
  AttributesToGet?: string[]; ConditionalOperator?: string;
  ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue>;
};

/** The expressions of a Query or Scan, compiled together so that names and values count as used across all of them. */
interface ReadExpressions {
  keyCondition?: KeyCondition;
  filter?: ConditionNode;
  paths?: DocumentPath[];
}

/**
 * Compiles the expression or legacy parameters of a Query or Scan. As in DynamoDB, the
 * legacy KeyConditions may go with the expression parameters (not with KeyConditionExpression).
 */
function compileRead(input: ReadInput & Record<string, unknown>, legacyFilter: 'QueryFilter' | 'ScanFilter', schema?: { hashKey: string; rangeKey?: string }): ReadExpressions {
  const expressionParams = ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'];
  const legacyParams = ['AttributesToGet', legacyFilter, 'ConditionalOperator'];
  if (input.KeyConditionExpression !== undefined) legacyParams.push('KeyConditions');
  checkNotMixed(input, legacyParams, expressionParams);
  const out: ReadExpressions = {};
  if (input.AttributesToGet) out.paths = projectionFromAttributesToGet(input.AttributesToGet);
  const legacy = input[legacyFilter] as Record<string, LegacyCondition> | undefined;
  if (legacy) out.filter = conditionFromFilter(legacy, input.ConditionalOperator);
  const any = input.ProjectionExpression !== undefined || input.FilterExpression !== undefined || input.KeyConditionExpression !== undefined;
  if (any || input.ExpressionAttributeNames !== undefined || input.ExpressionAttributeValues !== undefined) {
    const c = compileExpressions({
      KeyConditionExpression: input.KeyConditionExpression, FilterExpression: input.FilterExpression, ProjectionExpression: input.ProjectionExpression,
      ExpressionAttributeNames: input.ExpressionAttributeNames, ExpressionAttributeValues: input.ExpressionAttributeValues,
    }, schema);
    if (c.keyCondition) out.keyCondition = c.keyCondition;
    if (c.filter) out.filter = c.filter;
    if (c.projection) out.paths = c.projection;
  }
  return out;
}

/** A row of a page read: the item's size and stored text. */
type PageRow = [size: number, item: string];

/** The shape of a page read shared by Query and Scan. */
interface PageRequest {
  src: Source;
  /** [size, item] of each row read. */
  rows: Iterable<PageRow>;
  limit: number | undefined;
  filter: ConditionNode | undefined;
  paths: DocumentPath[] | undefined;
  count: boolean;
  consistent: boolean;
  /** Answer items as their stored text (see rawItem). */
  raw: boolean;
}

interface Page {
  items: Item[];
  count: number;
  scanned: number;
  /** The stored text of the last item read, when the page names it as LastEvaluatedKey. */
  last: string | undefined;
  bytes: number;
}

function readPage(r: PageRequest): Page {
  const { t, ix } = r.src;
  // An index that does not project everything answers items cut down to its projection.
  const projecting = ix !== undefined && ix.projection.ProjectionType !== 'ALL';
  const verbatim = r.raw && !projecting && r.paths === undefined;
  // Items are parsed only to be filtered or reshaped; otherwise their stored text goes out as it is.
  const parse = r.filter !== undefined || (!r.count && !verbatim);
  const items: Item[] = [];
  let count = 0;
  let scanned = 0;
  let bytes = 0;
  let last: string | undefined;
  let more = false;
  for (const row of r.rows) {
    if ((r.limit !== undefined && scanned >= r.limit) || bytes >= PAGE_BYTES) {
      more = true;
      break;
    }
    const text = row[1];
    scanned++;
    bytes += row[0];
    last = text;
    if (!parse) {
      count++;
      if (!r.count) items.push(rawItem(text));
      continue;
    }
    let item = deserializeItem(text);
    if (projecting) item = projectIndexItem(t.meta, ix, item);
    if (r.filter && !evaluateCondition(r.filter, item)) continue;
    count++;
    if (!r.count) items.push(r.paths ? project(item, r.paths) : verbatim ? rawItem(text) : item);
  }
  // Like DynamoDB, a page that stops at its Limit names its last key even when nothing follows.
  if (!more && !(r.limit !== undefined && scanned >= r.limit)) last = undefined;
  return { items, count, scanned, last, bytes };
}

function pageOutput(r: PageRequest, page: Page, returnCapacity: string | undefined): QueryOutput {
  const { t, ix } = r.src;
  const out: QueryOutput = {};
  if (!r.count) out.Items = page.items;
  out.Count = page.count;
  out.ScannedCount = page.scanned;
  if (page.last !== undefined) out.LastEvaluatedKey = keyAttributes(t.meta, deserializeItem(page.last), ix);
  if (returnCapacity === 'TOTAL' || returnCapacity === 'INDEXES') {
    const cap = new Capacity();
    const units = readUnits(page.bytes, r.consistent);
    if (ix) cap.addIndex(ix.name, ix.global, units);
    else cap.table = units;
    out.ConsumedCapacity = consumedCapacity(returnCapacity, t.meta.name, cap);
  }
  return out;
}

function schemaOf(meta: TableMeta, ix: IndexMeta | undefined): { hashKey: string; hashType: KeyType; rangeKey?: string; rangeType?: KeyType } {
  return ix ?? meta;
}

// Only what a page reads: each BLOB column would cost a Buffer per row (the key columns tripled a Query's cost).
const ITEM_COLUMNS = 'size, item';
const INDEX_FROM = 'ddb_index_items x JOIN ddb_items i ON i.tid = x.tid AND i.hh = x.bhh AND i.hk = x.bhk AND i.rk = x.brk';
const INDEX_COLUMNS = 'x.size, i.item';

/** The encoded ExclusiveStartKey of a table or index read. */
function startKey(src: Source, esk: Item): { hh: number; hk: Buffer; rk: Buffer; base?: { hh: number; hk: Buffer; rk: Buffer } } {
  validateItem(esk);
  const { t, ix } = src;
  const baseKey: Item = { [t.meta.hashKey]: esk[t.meta.hashKey] };
  if (t.meta.rangeKey !== undefined) baseKey[t.meta.rangeKey] = esk[t.meta.rangeKey];
  let base;
  try {
    base = keyOfKey(t.meta, Object.fromEntries(Object.entries(baseKey).filter(([, v]) => v !== undefined)) as Item);
  } catch {
    throw invalid('The provided starting key is invalid: The provided key element does not match the schema');
  }
  if (!ix) return base;
  const ik = indexKeyOf(ix, esk);
  if (!ik) throw invalid('The provided starting key is invalid: The provided key element does not match the schema');
  return { ...ik, base };
}

/** Query. */
export function query(store: DynamoStore, ctx: RequestContext, input: QueryInput, raw = false): QueryOutput {
  const t = requireTable(store, ctx, input.TableName);
  const ix = resolveIndex(t, input.IndexName);
  const src = { t, ix };
  const schema = schemaOf(t.meta, ix);
  const keys = { hashKey: schema.hashKey, rangeKey: schema.rangeKey };
  const compiled = compileRead(input as never, 'QueryFilter', keys);
  const paths = compiled.paths;
  checkSelect(src, input.Select, paths, input.ConsistentRead);
  let kc = compiled.keyCondition;
  if (input.KeyConditions && input.KeyConditionExpression === undefined) {
    kc = keyConditionFromKeyConditions(input.KeyConditions as Record<string, LegacyCondition>, keys);
  }
  if (!kc) throw invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  const filter = compiled.filter;
  if (filter) {
    // DynamoDB: "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk".
    const used = conditionAttributeNames(filter);
    for (const k of [schema.hashKey, schema.rangeKey]) {
      if (k !== undefined && used.has(k)) {
        const what = input.QueryFilter ? 'QueryFilter' : 'Filter Expression';
        throw invalid(`${what} can only contain non-primary key attributes: Primary key attribute: ${k}`);
      }
    }
  }

  if (typeOf(kc.hashValue) !== schema.hashType || (kc.range && kc.range.values.some((v) => typeOf(v) !== schema.rangeType))) {
    throw invalid('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
  const hk = encodeKeyValue(kc.hashValue, schema.hashType);
  const hh = partitionHash(hk);
  let lo: Buffer | undefined;
  let hi: Buffer | undefined;
  if (kc.range) {
    const [a, b] = kc.range.values.map((v) => encodeKeyValue(v, schema.rangeType!));
    switch (kc.range.op) {
      case '=': lo = a; hi = successor(a); break;
      case '<': hi = a; break;
      case '<=': hi = successor(a); break;
      case '>': lo = successor(a); break;
      case '>=': lo = a; break;
      case 'BETWEEN': lo = a; hi = successor(b); break;
      case 'BEGINS_WITH':
        if (schema.rangeType === 'N') throw invalid('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
        lo = a; hi = prefixEnd(a); break;
    }
  }
  const forward = input.ScanIndexForward !== false;
  const where: string[] = [];
  const params: unknown[] = [];
  const p = ix ? 'x.' : '';
  where.push(`${p}tid = ?`); params.push(t.id);
  if (ix) { where.push('x.iid = ?'); params.push(ix.id); }
  where.push(`${p}hh = ?`, `${p}hk = ?`); params.push(hh, hk);
  if (lo) { where.push(`${p}rk >= ?`); params.push(lo); }
  if (hi) { where.push(`${p}rk < ?`); params.push(hi); }
  if (input.ExclusiveStartKey) {
    const s = startKey(src, input.ExclusiveStartKey as Item);
    if (!s.hk.equals(hk)) throw invalid('The provided starting key is outside query range');
    const op = forward ? '>' : '<';
    if (ix) {
      where.push(`(x.rk, x.bhh, x.bhk, x.brk) ${op} (?, ?, ?, ?)`);
      params.push(s.rk, s.base!.hh, s.base!.hk, s.base!.rk);
    } else {
      where.push(`rk ${op} ?`);
      params.push(s.rk);
    }
  }
  const dir = forward ? '' : ' DESC';
  const order = ix ? `x.rk${dir}, x.bhh${dir}, x.bhk${dir}, x.brk${dir}` : `rk${dir}`;
  const sql = ix
    ? `SELECT ${INDEX_COLUMNS} FROM ${INDEX_FROM} WHERE ${where.join(' AND ')} ORDER BY ${order}`
    : `SELECT ${ITEM_COLUMNS} FROM ddb_items WHERE ${where.join(' AND ')} ORDER BY ${order}`;
  const req: PageRequest = {
    src, rows: pageRows(store, sql, params, input.Limit),
    limit: input.Limit, filter, paths, count: input.Select === 'COUNT', consistent: input.ConsistentRead === true, raw,
  };
  return pageOutput(req, readPage(req), input.ReturnConsumedCapacity);
}

/**
 * The rows of a page read. With a small Limit one statement call fetches at most
 * Limit rows, cheaper than stepping an iterator row by row; otherwise an iterator,
 * which the 1 MB page limit stops without holding more than a page of (up to 400 KB)
 * items in memory. No row past the Limit is needed: a page that reaches its Limit
 * names its last key whether or not more follow, and one that stops at 1 MB before
 * its Limit finds the row that tells whether more follow among the first Limit.
 */
function pageRows(store: DynamoStore, sql: string, params: unknown[], limit: number | undefined): Iterable<PageRow> {
  if (limit === undefined) return store.rawStatement(sql).iterate(...params) as IterableIterator<PageRow>;
  const st = store.rawStatement(`${sql} LIMIT ?`);
  return (limit <= ALL_ROWS_LIMIT ? st.all(...params, limit) : st.iterate(...params, limit)) as Iterable<PageRow>;
}

/** Scan. */
export function scan(store: DynamoStore, ctx: RequestContext, input: ScanInput, raw = false): ScanOutput {
  const t = requireTable(store, ctx, input.TableName);
  const ix = resolveIndex(t, input.IndexName);
  const src = { t, ix };
  if (input.Segment !== undefined && input.TotalSegments === undefined) {
    throw invalid('The TotalSegments parameter is required but was not present in the request when parameter Segment is present');
  }
  if (input.TotalSegments !== undefined && input.Segment === undefined) {
    throw invalid('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (input.Segment !== undefined && input.TotalSegments !== undefined && input.Segment >= input.TotalSegments) {
    throw invalid(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`);
  }
  const { paths, filter } = compileRead(input as never, 'ScanFilter');
  checkSelect(src, input.Select, paths, input.ConsistentRead);
  const p = ix ? 'x.' : '';
  const where: string[] = [`${p}tid = ?`];
  const params: unknown[] = [t.id];
  if (ix) { where.push('x.iid = ?'); params.push(ix.id); }
  if (input.TotalSegments !== undefined && input.TotalSegments > 1) {
    const seg = input.Segment!;
    where.push(`${p}hh >= ?`, `${p}hh < ?`);
    params.push(Math.floor((seg * HASH_SPACE) / input.TotalSegments), Math.floor(((seg + 1) * HASH_SPACE) / input.TotalSegments));
  }
  if (input.ExclusiveStartKey) {
    const s = startKey(src, input.ExclusiveStartKey as Item);
    if (ix) {
      where.push('(x.hh, x.hk, x.rk, x.bhh, x.bhk, x.brk) > (?, ?, ?, ?, ?, ?)');
      params.push(s.hh, s.hk, s.rk, s.base!.hh, s.base!.hk, s.base!.rk);
    } else {
      where.push('(hh, hk, rk) > (?, ?, ?)');
      params.push(s.hh, s.hk, s.rk);
    }
  }
  const sql = ix
    ? `SELECT ${INDEX_COLUMNS} FROM ${INDEX_FROM} WHERE ${where.join(' AND ')} ORDER BY x.hh, x.hk, x.rk, x.bhh, x.bhk, x.brk`
    : `SELECT ${ITEM_COLUMNS} FROM ddb_items WHERE ${where.join(' AND ')} ORDER BY hh, hk, rk`;
  const req: PageRequest = {
    src, rows: pageRows(store, sql, params, input.Limit),
    limit: input.Limit, filter, paths, count: input.Select === 'COUNT', consistent: input.ConsistentRead === true, raw,
  };
  return pageOutput(req, readPage(req), input.ReturnConsumedCapacity);
}
