/**
 * PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. A statement
 * is parsed, then run as the item operation it stands for (developer guide, "PartiQL
 * select/insert/update/delete statements for DynamoDB"): SELECT as a Query when its WHERE
 * pins the partition key, else a Scan; INSERT as a PutItem that must not replace an
 * item; UPDATE and DELETE as UpdateItem and DeleteItem on the key the WHERE pins, the
 * rest of the WHERE as their condition. The expression engine compiles and evaluates
 * every condition, update and projection.
 */
import { ServiceError, isServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  ExecuteStatementInput, ExecuteStatementOutput, BatchExecuteStatementInput, BatchExecuteStatementOutput, BatchStatementResponse,
  BatchStatementErrorCodeEnum, ExecuteTransactionInput, ExecuteTransactionOutput, ConsumedCapacity, CancellationReason,
  TransactWriteItem, ReturnValuesOnConditionCheckFailure,
} from '../../../models/generated/dynamodb.js';
import { compileExpressions, evaluateCondition, project, type AttributeValue, type Item, type ConditionNode, type DocumentPath } from '../expressions/index.js';
import { parseStatement, PartiqlSyntaxError, PartiqlParameterError } from '../partiql/parser.js';
import type { PqCondition, PqStatement } from '../partiql/ast.js';
import { ExpressionWriter, conjuncts, joinAnd, equalityOn, rangeKeyCondition } from '../partiql/translate.js';
import { requireTable } from '../common.js';
import { typeOf } from '../keys.js';
import type { TableMeta } from '../table-meta.js';
import type { DynamoStore } from '../store.js';
import * as items from './items.js';
import * as reads from './reads.js';
import * as batch from './batch.js';

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

const DUPLICATE = 'Duplicate primary key exists in table';
const KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes';

/** Parses a statement in DynamoDB's error words. */
function parse(statement: string, params: unknown[] | undefined): PqStatement {
  try {
    return parseStatement(statement, (params ?? []) as AttributeValue[]);
  } catch (e) {
    if (e instanceof PartiqlSyntaxError) throw invalid(`Statement wasn't well formed, can't be processed: ${e.message}`);
    if (e instanceof PartiqlParameterError) throw invalid(e.message);
    throw e;
  }
}

/** The full primary key a WHERE pins with equalities, and the rest of its conjuncts. */
function pinnedKey(meta: TableMeta, where: PqCondition | undefined): { key: Item; rest: PqCondition[] } {
  const rest = conjuncts(where);
  const key: Item = {};
  for (const attr of [meta.hashKey, meta.rangeKey]) {
    if (attr === undefined) continue;
    const i = rest.findIndex((c) => equalityOn(c, attr) !== undefined);
    if (i < 0) throw invalid(KEY_EQUALITY);
    key[attr] = equalityOn(rest[i]!, attr)!;
    rest.splice(i, 1);
  }
  return { key, rest };
}

/** A write statement as the item operation that runs it. */
type WriteRequest =
  | { kind: 'Put'; input: { TableName: string; Item: Item; ConditionExpression: string; ExpressionAttributeNames: Record<string, string> } }
  | { kind: 'Update'; input: { TableName: string; Key: Item; UpdateExpression?: string; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> }; returnValues?: string }
  | { kind: 'Delete'; input: { TableName: string; Key: Item; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> }; returnValues?: string };

function writeRequest(store: DynamoStore, ctx: RequestContext, s: Exclude<PqStatement, { kind: 'select' }>): WriteRequest {
  const t = requireTable(store, ctx, s.table);
  const meta = t.meta;
  const TableName = meta.name;
  if (s.kind === 'insert') {
    return { kind: 'Put', input: { TableName, Item: s.item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': meta.hashKey } } };
  }
  const { key, rest } = pinnedKey(meta, s.where);
  const w = new ExpressionWriter();
  if (s.kind === 'update') {
    // An UPDATE needs the item: on a missing one it fails its condition (developer guide, "PartiQL update statements").
    const exists: PqCondition = { kind: 'missing', path: [meta.hashKey], negated: true };
    const UpdateExpression = w.update(s.set, s.remove);
    const ConditionExpression = w.condition(joinAnd([exists, ...rest])!);
    return { kind: 'Update', input: { TableName, Key: key, UpdateExpression, ConditionExpression, ...w.members() }, returnValues: s.returning };
  }
  if (s.returning !== undefined && s.returning !== 'ALL_OLD') throw invalid('Statement wasn\'t well formed, can\'t be processed: DELETE can only return ALL OLD *');
  // Deleting a missing item succeeds; the condition applies to an item that exists.
  const cond = joinAnd(rest);
  const ConditionExpression = cond ? w.condition({ kind: 'or', left: { kind: 'missing', path: [meta.hashKey], negated: false }, right: cond }) : undefined;
  return { kind: 'Delete', input: { TableName, Key: key, ConditionExpression, ...w.members() }, returnValues: s.returning };
}

interface WriteOptions { capacity?: string; onFailure?: ReturnValuesOnConditionCheckFailure }

/** Runs one write statement; the returned item is the RETURNING image, if any. */
function runWrite(store: DynamoStore, ctx: RequestContext, req: WriteRequest, o: WriteOptions): { item?: Item; capacity?: ConsumedCapacity } {
  const common = { ReturnConsumedCapacity: o.capacity as 'TOTAL', ReturnValuesOnConditionCheckFailure: o.onFailure };
  if (req.kind === 'Put') {
    try {
      return { capacity: items.putItem(store, ctx, { ...req.input, ...common } as never).ConsumedCapacity };
    } catch (e) {
      if (isServiceError(e) && e.code === 'ConditionalCheckFailedException') throw new ServiceError('DuplicateItemException', DUPLICATE);
      throw e;
    }
  }
  if (req.kind === 'Update') {
    const out = items.updateItem(store, ctx, { ...req.input, ...common, ReturnValues: req.returnValues } as never);
    return { item: out.Attributes as Item | undefined, capacity: out.ConsumedCapacity };
  }
  const out = items.deleteItem(store, ctx, { ...req.input, ...common, ReturnValues: req.returnValues } as never);
  return { item: out.Attributes as Item | undefined, capacity: out.ConsumedCapacity };
}

/** A NextToken: the LastEvaluatedKey of the page, opaque to the caller. */
function encodeToken(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString('base64');
}

function decodeToken(token: string): Item {
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8'), (_k, v) => {
      if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data as number[]);
      return v;
    }) as Item;
  } catch {
    throw invalid('Invalid NextToken');
  }
}

interface Filter { condition?: ConditionNode; projection?: DocumentPath[] }

/** The WHERE and the projection of a SELECT, compiled by the expression engine. */
function compileFilter(s: Extract<PqStatement, { kind: 'select' }>): Filter {
  if (!s.where && !s.projection) return {};
  const w = new ExpressionWriter();
  const c = compileExpressions({
    ConditionExpression: s.where ? w.condition(s.where) : undefined,
    ProjectionExpression: s.projection ? s.projection.map((p) => w.path(p)).join(', ') : undefined,
    ...w.members(),
  });
  return { condition: c.condition, projection: c.projection };
}

function select(store: DynamoStore, ctx: RequestContext, s: Extract<PqStatement, { kind: 'select' }>, input: ExecuteStatementInput): ExecuteStatementOutput {
  const t = requireTable(store, ctx, s.table);
  const ix = s.index === undefined ? undefined : t.meta.indexes.find((i) => i.name === s.index);
  if (s.index !== undefined && !ix) throw invalid(`The table does not have the specified index: ${s.index}`);
  const schema = ix ?? t.meta;
  const filter = compileFilter(s);
  const cs = conjuncts(s.where);
  const hashValue = cs.map((c) => equalityOn(c, schema.hashKey)).find((v) => v !== undefined && typeOf(v) === schema.hashType);
  const common = {
    TableName: t.meta.name, IndexName: ix?.name, Limit: input.Limit, ConsistentRead: input.ConsistentRead,
    ReturnConsumedCapacity: input.ReturnConsumedCapacity, ExclusiveStartKey: input.NextToken !== undefined ? decodeToken(input.NextToken) : undefined,
  };
  let page;
  if (hashValue) {
    // The partition key is pinned: a Query of that partition, narrowed by one range key condition if there is one.
    const kw = new ExpressionWriter();
    let kce = `${kw.path([schema.hashKey])} = ${kw.value(hashValue)}`;
    const range = schema.rangeKey === undefined ? undefined : cs.find((c) => rangeKeyCondition(c, schema.rangeKey!) && rangeTypeMatches(c, schema.rangeType!));
    if (range) kce += ` AND ${kw.condition(range)}`;
    page = reads.query(store, ctx, { ...common, KeyConditionExpression: kce, ...kw.members() } as never);
  } else {
    page = reads.scan(store, ctx, common as never);
  }
  const out: ExecuteStatementOutput = { Items: [] };
  for (const item of (page.Items ?? []) as Item[]) {
    if (filter.condition && !evaluateCondition(filter.condition, item)) continue;
    out.Items!.push(filter.projection ? project(item, filter.projection) : item);
  }
  if (page.LastEvaluatedKey) {
    out.LastEvaluatedKey = page.LastEvaluatedKey;
    out.NextToken = encodeToken(page.LastEvaluatedKey as Item);
  }
  if (page.ConsumedCapacity) out.ConsumedCapacity = page.ConsumedCapacity;
  return out;
}

function rangeTypeMatches(c: PqCondition, type: string): boolean {
  const values: AttributeValue[] = [];
  if (c.kind === 'compare' && c.right.kind === 'value') values.push(c.right.value);
  if (c.kind === 'between' && c.low.kind === 'value' && c.high.kind === 'value') values.push(c.low.value, c.high.value);
  if (c.kind === 'function' && c.args[1]?.kind === 'value') values.push(c.args[1].value);
  return values.every((v) => typeOf(v) === type);
}

/** ExecuteStatement. */
export function executeStatement(store: DynamoStore, ctx: RequestContext, input: ExecuteStatementInput): ExecuteStatementOutput {
  const s = parse(input.Statement, input.Parameters);
  if (s.kind === 'select') return select(store, ctx, s, input);
  const req = writeRequest(store, ctx, s);
  const r = runWrite(store, ctx, req, { capacity: input.ReturnConsumedCapacity, onFailure: input.ReturnValuesOnConditionCheckFailure });
  const out: ExecuteStatementOutput = { Items: r.item ? [r.item] : [] };
  if (r.capacity) out.ConsumedCapacity = r.capacity;
  return out;
}

const ERROR_CODES: Record<string, BatchStatementErrorCodeEnum> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ValidationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  TransactionConflictException: 'TransactionConflict',
};

/** Sums ConsumedCapacity entries per table. */
function addCapacity(totals: Map<string, ConsumedCapacity>, cc: ConsumedCapacity | undefined): void {
  if (!cc?.TableName) return;
  const e = totals.get(cc.TableName);
  if (!e) totals.set(cc.TableName, { TableName: cc.TableName, CapacityUnits: cc.CapacityUnits ?? 0 });
  else e.CapacityUnits = (e.CapacityUnits ?? 0) + (cc.CapacityUnits ?? 0);
}

/** A read statement of a batch or transaction: a SELECT that pins the whole primary key of a table. */
function keyedRead(store: DynamoStore, ctx: RequestContext, s: Extract<PqStatement, { kind: 'select' }>): { TableName: string; Key: Item; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  const t = requireTable(store, ctx, s.table);
  if (s.index !== undefined) throw invalid(KEY_EQUALITY);
  const { key, rest } = pinnedKey(t.meta, s.where);
  if (rest.length) throw invalid(KEY_EQUALITY);
  const out: { TableName: string; Key: Item; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = { TableName: t.meta.name, Key: key };
  if (s.projection) {
    const w = new ExpressionWriter();
    out.ProjectionExpression = s.projection.map((p) => w.path(p)).join(', ');
    out.ExpressionAttributeNames = w.names;
  }
  return out;
}

/** BatchExecuteStatement: each statement runs on its own and answers its own error. */
export function batchExecuteStatement(store: DynamoStore, ctx: RequestContext, input: BatchExecuteStatementInput): BatchExecuteStatementOutput {
  const totals = new Map<string, ConsumedCapacity>();
  const responses: BatchStatementResponse[] = input.Statements.map((st) => {
    try {
      const s = parse(st.Statement, st.Parameters);
      if (s.kind === 'select') {
        const read = keyedRead(store, ctx, s);
        const out = items.getItem(store, ctx, { ...read, ConsistentRead: st.ConsistentRead, ReturnConsumedCapacity: input.ReturnConsumedCapacity } as never);
        addCapacity(totals, out.ConsumedCapacity);
        return out.Item ? { TableName: read.TableName, Item: out.Item } : { TableName: read.TableName };
      }
      const req = writeRequest(store, ctx, s);
      const r = runWrite(store, ctx, req, { capacity: input.ReturnConsumedCapacity, onFailure: st.ReturnValuesOnConditionCheckFailure });
      addCapacity(totals, r.capacity);
      return { TableName: req.input.TableName };
    } catch (e) {
      if (!isServiceError(e) || !ERROR_CODES[e.code]) throw e;
      const error: BatchStatementResponse['Error'] = { Code: ERROR_CODES[e.code], Message: e.message };
      if (e.fields.Item) error.Item = e.fields.Item as Item;
      return { Error: error };
    }
  });
  const out: BatchExecuteStatementOutput = { Responses: responses };
  if (totals.size) out.ConsumedCapacity = [...totals.values()];
  return out;
}

/** ExecuteTransaction: all reads (as TransactGetItems) or all writes (as TransactWriteItems). */
export function executeTransaction(store: DynamoStore, ctx: RequestContext, input: ExecuteTransactionInput): ExecuteTransactionOutput {
  const statements = input.TransactStatements.map((st) => parse(st.Statement, st.Parameters));
  const readCount = statements.filter((s) => s.kind === 'select').length;
  if (readCount && readCount !== statements.length) throw invalid('Transaction statements must be either all reads or all writes');
  if (readCount) {
    const gets = statements.map((s) => ({ Get: keyedRead(store, ctx, s as Extract<PqStatement, { kind: 'select' }>) }));
    const out = batch.transactGetItems(store, ctx, { TransactItems: gets, ReturnConsumedCapacity: input.ReturnConsumedCapacity } as never);
    const result: ExecuteTransactionOutput = { Responses: out.Responses };
    if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
    return result;
  }
  const transactItems: TransactWriteItem[] = statements.map((s, i) => {
    const req = writeRequest(store, ctx, s as Exclude<PqStatement, { kind: 'select' }>);
    const onFailure = input.TransactStatements[i]!.ReturnValuesOnConditionCheckFailure;
    return { [req.kind]: { ...req.input, ReturnValuesOnConditionCheckFailure: onFailure } } as TransactWriteItem;
  });
  try {
    const out = batch.transactWriteItems(store, ctx, { TransactItems: transactItems, ClientRequestToken: input.ClientRequestToken, ReturnConsumedCapacity: input.ReturnConsumedCapacity } as never);
    const result: ExecuteTransactionOutput = {};
    if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
    return result;
  } catch (e) {
    if (!isServiceError(e) || e.code !== 'TransactionCanceledException') throw e;
    // An INSERT that finds its key taken is cancelled as a duplicate, not as a failed condition.
    const reasons = (e.fields.CancellationReasons as CancellationReason[]).map((r, i) =>
      statements[i]!.kind === 'insert' && r.Code === 'ConditionalCheckFailed' ? { Code: 'DuplicateItem', Message: DUPLICATE } : r);
    throw new ServiceError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { fields: { CancellationReasons: reasons } });
  }
}
