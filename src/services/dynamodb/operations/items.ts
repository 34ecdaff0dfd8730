/**
 * Single-item writes and reads: PutItem, UpdateItem, DeleteItem, GetItem. A write is
 * planned first (input checked, expressions compiled, key encoded) and then run
 * inside a transaction against the stored item; batches and transactions reuse the plans.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  PutItemInput, PutItemOutput, GetItemInput, GetItemOutput, UpdateItemInput, UpdateItemOutput,
  DeleteItemInput, DeleteItemOutput,
} from '../../../models/generated/dynamodb.js';
import {
  compileExpressions, evaluateCondition, applyUpdate, project, itemSize, conditionFromExpected,
  updateFromAttributeUpdates, projectionFromAttributesToGet,
  type Item, type ConditionNode, type UpdateActions, type DocumentPath, type LegacyCondition, type LegacyAttributeUpdate,
} from '../expressions/index.js';
import { validateItem, serializeItem, deserializeItem, rawItem } from '../item-codec.js';
import { keyOfItem, keyOfKey, checkIndexKeys, keyAttributes } from '../keys.js';
import { requireTable, consumedCapacity, checkNotMixed, wantsCapacity } from '../common.js';
import { Capacity, writeItem, writesBaseRowOnly, readUnits, type PreparedItem } from '../writes.js';
import type { DynamoStore, StoredKey, StoredTable } from '../store.js';
import { itemCollectionMetrics } from '../item-collections.js';

/** DynamoDB's item size limit (400 KB). */
export const MAX_ITEM_SIZE = 400 * 1024;

/** A write checked and ready to run against the stored item. */
export interface WritePlan {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  t: StoredTable;
  key: StoredKey;
  /** The Key parameter (or the key attributes of a Put's item). */
  keyItem: Item;
  condition?: ConditionNode;
  /** The new item, given the stored one (undefined: delete). */
  next(old: Item | undefined): PreparedItem | undefined;
  /** Paths the update touches, for UPDATED_OLD / UPDATED_NEW. */
  updatedPaths?: DocumentPath[];
}

/** The error of a failed condition; `item` is returned when ReturnValuesOnConditionCheckFailure is ALL_OLD. */
export function conditionalCheckFailed(old: Item | undefined, returnOld: boolean): ServiceError {
  const fields: Record<string, unknown> = {};
  if (returnOld && old) fields.Item = old;
  return new ServiceError('ConditionalCheckFailedException', 'The conditional request failed', { fields });
}

/** Checks an item's size against the 400 KB limit and serializes it. */
export function prepareItem(item: Item): PreparedItem {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw new ServiceError('ValidationException', 'Item size has exceeded the maximum allowed size');
  return { item, text: serializeItem(item), size };
}

type ConditionInput = {
  ConditionExpression?: string;
  Expected?: Record<string, LegacyCondition>;
  ConditionalOperator?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, import('../expressions/index.js').AttributeValue>;
};

function compileCondition(input: ConditionInput): ConditionNode | undefined {
  checkNotMixed(input as Record<string, unknown>, ['Expected', 'ConditionalOperator'], ['ConditionExpression']);
  if (input.Expected) return conditionFromExpected(input.Expected, input.ConditionalOperator);
  if (input.ConditionExpression === undefined && !input.ExpressionAttributeNames && !input.ExpressionAttributeValues) return undefined;
  return compileExpressions({
    ConditionExpression: input.ConditionExpression,
    ExpressionAttributeNames: input.ExpressionAttributeNames,
    ExpressionAttributeValues: input.ExpressionAttributeValues,
  }).condition;
}

/** Plans a PutItem (also a batch or transaction Put). */
export function planPut(store: DynamoStore, ctx: RequestContext, input: { TableName: string; Item: Item } & ConditionInput): WritePlan {
  const t = requireTable(store, ctx, input.TableName);
  const item = input.Item;
  validateItem(item);
  const key = keyOfItem(t.meta, item);
  checkIndexKeys(t.meta, item);
  const prepared = prepareItem(item);
  return { kind: 'Put', t, key, keyItem: keyAttributes(t.meta, item), condition: compileCondition(input), next: () => prepared };
}

/** Plans a DeleteItem (also a batch or transaction Delete). */
export function planDelete(store: DynamoStore, ctx: RequestContext, input: { TableName: string; Key: Item } & ConditionInput): WritePlan {
  const t = requireTable(store, ctx, input.TableName);
  validateItem(input.Key);
  const key = keyOfKey(t.meta, input.Key);
  return { kind: 'Delete', t, key, keyItem: input.Key, condition: compileCondition(input), next: () => undefined };
}

/** Plans a ConditionCheck of a transaction. */
export function planConditionCheck(store: DynamoStore, ctx: RequestContext, input: { TableName: string; Key: Item } & ConditionInput): WritePlan {
  const plan = planDelete(store, ctx, input);
  return { ...plan, kind: 'ConditionCheck', next: () => { throw new Error('a condition check writes nothing'); } };
}

type UpdateInput = { TableName: string; Key: Item; UpdateExpression?: string; AttributeUpdates?: Record<string, LegacyAttributeUpdate> } & ConditionInput;

/** Plans an UpdateItem (also a transaction Update). */
export function planUpdate(store: DynamoStore, ctx: RequestContext, input: UpdateInput): WritePlan {
  const t = requireTable(store, ctx, input.TableName);
  validateItem(input.Key);
  const key = keyOfKey(t.meta, input.Key);
  checkNotMixed(input as Record<string, unknown>, ['AttributeUpdates', 'Expected', 'ConditionalOperator'], ['UpdateExpression', 'ConditionExpression']);
  let actions: UpdateActions | undefined;
  let condition: ConditionNode | undefined;
  if (input.AttributeUpdates || input.Expected) {
    if (input.AttributeUpdates) actions = updateFromAttributeUpdates(input.AttributeUpdates);
    if (input.Expected) condition = conditionFromExpected(input.Expected, input.ConditionalOperator);
  } else if (input.UpdateExpression !== undefined || input.ConditionExpression !== undefined || input.ExpressionAttributeNames || input.ExpressionAttributeValues) {
    const c = compileExpressions({
      UpdateExpression: input.UpdateExpression, ConditionExpression: input.ConditionExpression,
      ExpressionAttributeNames: input.ExpressionAttributeNames, ExpressionAttributeValues: input.ExpressionAttributeValues,
    });
    actions = c.update;
    condition = c.condition;
  }
  const meta = t.meta;
  const paths: DocumentPath[] = [];
  if (actions) {
    for (const a of actions.set) paths.push(a.path);
    for (const p of actions.remove) paths.push(p);
    for (const a of actions.add) paths.push(a.path);
    for (const a of actions.delete) paths.push(a.path);
    for (const p of paths) {
      if (p[0] === meta.hashKey || p[0] === meta.rangeKey) {
        throw new ServiceError('ValidationException', `One or more parameter values were invalid: Cannot update attribute ${p[0]}. This attribute is part of the key`);
      }
    }
  }
  const keyItem = input.Key;
  return {
    kind: 'Update', t, key, keyItem, condition, updatedPaths: paths,
    next(old) {
      const base: Item = old ? old : { ...keyItem };
      const item = actions ? applyUpdate(actions, base) : base;
      checkIndexKeys(meta, item);
      return prepareItem(item);
    },
  };
}

/** Reads the stored item of a plan's key. */
export function readStored(store: DynamoStore, plan: { t: StoredTable; key: StoredKey }): { item: Item | undefined; size: number } {
  const row = store.getItem(plan.t.id, plan.key);
  return row ? { item: deserializeItem(row.item), size: row.size } : { item: undefined, size: 0 };
}

/**
 * Whether a write must read the stored item, not just its size: for a condition, a
 * stream record, index rows, or an update's base. A plain Put on a table without
 * streams or indexes needs only the old size (for its capacity), unless the caller
 * returns the old item (`wantOld`).
 */
function needsOldItem(plan: WritePlan, wantOld: boolean): boolean {
  return wantOld || plan.kind !== 'Put' || plan.condition !== undefined || plan.t.meta.stream?.enabled === true || plan.t.meta.indexes.length > 0;
}

/**
 * Runs a planned single-item write: in a transaction when it writes more than the base
 * row (a stream record, index rows). A write of the base row alone is one statement,
 * atomic on its own, and the reads before it need no transaction either: the process
 * holds the database's only connection (EXCLUSIVE locking) and nothing yields between
 * the read and the write, so no other write can come between them. BEGIN and COMMIT
 * as statements of their own cost more than the point read and the write together.
 */
function runAlone<T>(store: DynamoStore, plan: WritePlan, run: () => T): T {
  return writesBaseRowOnly(plan.t) ? run() : store.transaction(run);
}

/** Runs one planned write: reads the stored item, checks the condition, writes. Call inside a transaction (or alone: see runAlone). */
export function runWrite(store: DynamoStore, plan: WritePlan, returnOldOnFailure: boolean, cap?: Capacity, wantOld = true): { old: Item | undefined; next: PreparedItem | undefined } {
  if (!needsOldItem(plan, wantOld)) {
    const next = plan.next(undefined);
    // The old size only counts toward the capacity a caller asked for.
    writeItem(store, plan.t, plan.key, undefined, cap ? store.itemSize(plan.t.id, plan.key) : 0, next, cap);
    return { old: undefined, next };
  }
  const { item: old, size } = readStored(store, plan);
  if (plan.condition && !evaluateCondition(plan.condition, old)) throw conditionalCheckFailed(old, returnOldOnFailure);
  const next = plan.next(old);
  writeItem(store, plan.t, plan.key, old, size, next, cap);
  return { old, next };
}

function checkReturnValues(value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new ServiceError('ValidationException', `ReturnValues can only be ${allowed.filter((v) => v !== 'NONE').join(' or ')} or NONE`);
  }
}

/** PutItem. */
export function putItem(store: DynamoStore, ctx: RequestContext, input: PutItemInput): PutItemOutput {
  checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
  const plan = planPut(store, ctx, input as never);
  const cap = wantsCapacity(input.ReturnConsumedCapacity) ? new Capacity() : undefined;
  const wantOld = input.ReturnValues === 'ALL_OLD';
  const run = () => runWrite(store, plan, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD', cap, wantOld);
  const { old } = runAlone(store, plan, run);
  const out: PutItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old) out.Attributes = old;
  return withWriteMetrics(store, out, input, plan, cap);
}

/** DeleteItem. */
export function deleteItem(store: DynamoStore, ctx: RequestContext, input: DeleteItemInput): DeleteItemOutput {
  checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
  const plan = planDelete(store, ctx, input as never);
  const cap = wantsCapacity(input.ReturnConsumedCapacity) ? new Capacity() : undefined;
  const { old } = runAlone(store, plan, () => runWrite(store, plan, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD', cap));
  const out: DeleteItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old) out.Attributes = old;
  return withWriteMetrics(store, out, input, plan, cap);
}

/** UpdateItem. */
export function updateItem(store: DynamoStore, ctx: RequestContext, input: UpdateItemInput): UpdateItemOutput {
  const plan = planUpdate(store, ctx, input as UpdateInput);
  const cap = wantsCapacity(input.ReturnConsumedCapacity) ? new Capacity() : undefined;
  const { old, next } = runAlone(store, plan, () => runWrite(store, plan, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD', cap));
  const out: UpdateItemOutput = {};
  const rv = input.ReturnValues ?? 'NONE';
  let attributes: Item | undefined;
  if (rv === 'ALL_OLD') attributes = old;
  else if (rv === 'ALL_NEW') attributes = next?.item;
  else if (rv === 'UPDATED_OLD' && old) attributes = project(old, plan.updatedPaths!);
  else if (rv === 'UPDATED_NEW' && next) attributes = project(next.item, plan.updatedPaths!);
  if (attributes && Object.keys(attributes).length) out.Attributes = attributes;
  return withWriteMetrics(store, out, input, plan, cap);
}

/** A single-item write's answer with the ConsumedCapacity and ItemCollectionMetrics it asked for. */
function withWriteMetrics<O extends { ConsumedCapacity?: unknown; ItemCollectionMetrics?: unknown }>(
  store: DynamoStore, out: O,
  input: { ReturnConsumedCapacity?: string; ReturnItemCollectionMetrics?: string },
  plan: { t: StoredTable; key: StoredKey; keyItem: Item },
  cap: Capacity | undefined,
): O {
  const cc = consumedCapacity(input.ReturnConsumedCapacity, plan.t.meta.name, cap);
  if (cc) out.ConsumedCapacity = cc;
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    const icm = itemCollectionMetrics(store, plan.t, plan.key, plan.keyItem);
    if (icm) out.ItemCollectionMetrics = icm;
  }
  return out;
}

/** The projection paths of a read (ProjectionExpression or legacy AttributesToGet). */
export function readProjection(input: { ProjectionExpression?: string; AttributesToGet?: string[]; ExpressionAttributeNames?: Record<string, string> }): DocumentPath[] | undefined {
  checkNotMixed(input as Record<string, unknown>, ['AttributesToGet'], ['ProjectionExpression']);
  if (input.AttributesToGet) return projectionFromAttributesToGet(input.AttributesToGet);
  if (input.ProjectionExpression === undefined && !input.ExpressionAttributeNames) return undefined;
  return compileExpressions({ ProjectionExpression: input.ProjectionExpression, ExpressionAttributeNames: input.ExpressionAttributeNames }).projection;
}

/** GetItem; with `raw` the item is answered as its stored text (for the JSON codec only). */
export function getItem(store: DynamoStore, ctx: RequestContext, input: GetItemInput, raw = false): GetItemOutput {
  const t = requireTable(store, ctx, input.TableName);
  validateItem(input.Key as Item);
  const key = keyOfKey(t.meta, input.Key as Item);
  const paths = readProjection(input);
  const row = store.getItem(t.id, key);
  const out: GetItemOutput = {};
  if (row) out.Item = paths ? project(deserializeItem(row.item), paths) : raw ? rawItem(row.item) : deserializeItem(row.item);
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
    const cap = new Capacity();
    cap.table = readUnits(row?.size ?? 0, input.ConsistentRead === true);
    out.ConsumedCapacity = consumedCapacity(input.ReturnConsumedCapacity, t.meta.name, cap);
  }
  return out;
}
