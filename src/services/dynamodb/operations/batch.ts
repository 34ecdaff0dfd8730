/**
 * Multi-item operations: BatchGetItem and BatchWriteItem (each item on its own, all
 * written in one SQLite transaction here, so nothing is left unprocessed), and
 * TransactWriteItems / TransactGetItems (all or nothing, reasons in request order).
 */
import { createHash } from 'node:crypto';
import { ServiceError, isServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  BatchGetItemInput, BatchGetItemOutput, KeysAndAttributes, BatchWriteItemInput, BatchWriteItemOutput, ConsumedCapacity,
  TransactWriteItemsInput, TransactWriteItemsOutput, TransactGetItemsInput, TransactGetItemsOutput, CancellationReason,
} from '../../../models/generated/dynamodb.js';
import { project, evaluateCondition, type Item, type DocumentPath } from '../expressions/index.js';
import { validateItem, deserializeItem, rawItem } from '../item-codec.js';
import { keyOfKey, mismatch } from '../keys.js';
import { requireTable, consumedCapacity } from '../common.js';
import { Capacity, readUnits, writeItem } from '../writes.js';
import { planPut, planDelete, planUpdate, planConditionCheck, readProjection, readStored, type WritePlan } from './items.js';
import type { DynamoStore, StoredKey, StoredTable } from '../store.js';
import { ItemCollections } from '../item-collections.js';

const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
/** BatchGetItem answers at most 16 MB of items (API reference). */
const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;
/** A ClientRequestToken is remembered for 10 minutes (TransactWriteItems API reference). */
const TOKEN_TTL_MS = 10 * 60 * 1000;

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function keyId(tid: number, k: StoredKey): string {
  return `${tid}:${k.hk.toString('base64')}:${k.rk.toString('base64')}`;
}

/** BatchGetItem. */
export function batchGetItem(store: DynamoStore, ctx: RequestContext, input: BatchGetItemInput, raw = false): BatchGetItemOutput {
  let total = 0;
  for (const name in input.RequestItems) total += input.RequestItems[name].Keys.length;
  if (total > MAX_BATCH_GET) throw invalid(`Too many items requested for the BatchGetItem call`);
  const responses: Record<string, Item[]> = {};
  const capacities: ConsumedCapacity[] = [];
  const reads: { name: string; t: StoredTable; req: KeysAndAttributes; keys: StoredKey[]; paths: DocumentPath[] | undefined }[] = [];
  for (const name in input.RequestItems) {
    const req = input.RequestItems[name];
    const t = requireTable(store, ctx, name);
    const paths = readProjection(req);
    const seen = new Set<string>();
    const keys = req.Keys.map((key) => {
      validateItem(key as Item);
      const k = keyOfKey(t.meta, key as Item);
      const id = keyId(t.id, k);
      if (seen.has(id)) throw invalid('Provided list of item keys contains duplicates');
      seen.add(id);
      return k;
    });
    reads.push({ name, t, req, keys, paths });
  }
  // A response carries at most 16 MB of items; the keys not read by then come back as UnprocessedKeys.
  let bytes = 0;
  let full = false;
  const unprocessed: Record<string, KeysAndAttributes> = {};
  for (const { name, t, req, keys, paths } of reads) {
    const items: Item[] = [];
    const cap = new Capacity();
    for (let i = 0; i < keys.length; i++) {
      const row = store.getItem(t.id, keys[i]);
      if (full || (row && bytes + row.size > MAX_BATCH_GET_BYTES)) {
        full = true;
        const { Keys: _all, ...rest } = req;
        unprocessed[name] = { ...rest, Keys: req.Keys.slice(i) };
        break;
      }
      cap.table += readUnits(row?.size ?? 0, req.ConsistentRead === true);
      if (!row) continue;
      bytes += row.size;
      items.push(paths ? project(deserializeItem(row.item), paths) : raw ? rawItem(row.item) : deserializeItem(row.item));
    }
    responses[name] = items;
    const cc = consumedCapacity(input.ReturnConsumedCapacity, t.meta.name, cap);
    if (cc) capacities.push(cc);
  }
  const out: BatchGetItemOutput = { Responses: responses, UnprocessedKeys: unprocessed };
  if (capacities.length) out.ConsumedCapacity = capacities;
  return out;
}

/** BatchWriteItem. */
export function batchWriteItem(store: DynamoStore, ctx: RequestContext, input: BatchWriteItemInput): BatchWriteItemOutput {
  let total = 0;
  for (const name in input.RequestItems) total += input.RequestItems[name].length;
  if (total > MAX_BATCH_WRITE) throw invalid('Too many items requested for the BatchWriteItem call');
  const plans: WritePlan[] = [];
  const seen = new Set<string>();
  for (const name in input.RequestItems) {
    for (const req of input.RequestItems[name]) {
      if ((req.PutRequest === undefined) === (req.DeleteRequest === undefined)) {
        throw invalid('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
      }
      let plan: WritePlan;
      try {
        plan = req.PutRequest
          ? planPut(store, ctx, { TableName: name, Item: req.PutRequest.Item as Item })
          : planDelete(store, ctx, { TableName: name, Key: req.DeleteRequest!.Key as Item });
      } catch (e) {
        // In a batch, a wrong-typed or missing table key is reported as a schema mismatch.
        if (isServiceError(e) && /^One or more parameter values were invalid: (Type mismatch for key|Missing the key)/.test(e.message)) throw mismatch();
        throw e;
      }
      const id = keyId(plan.t.id, plan.key);
      if (seen.has(id)) throw invalid('Provided list of item keys contains duplicates');
      seen.add(id);
      plans.push(plan);
    }
  }
  const caps = new Map<string, Capacity>();
  store.transaction(() => {
    for (const plan of plans) {
      let cap = caps.get(plan.t.meta.name);
      if (!cap) caps.set(plan.t.meta.name, (cap = new Capacity()));
      const { item: old, size } = readStored(store, plan);
      writeItem(store, plan.t, plan.key, old, size, plan.next(old), cap);
    }
  });
  const out: BatchWriteItemOutput = { UnprocessedItems: {} };
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    const collections = new ItemCollections();
    for (const plan of plans) collections.add(plan.t, plan.key, plan.keyItem);
    const icm = collections.metrics(store);
    if (icm) out.ItemCollectionMetrics = icm;
  }
  const capacities: ConsumedCapacity[] = [];
  for (const [name, cap] of caps) {
    const cc = consumedCapacity(input.ReturnConsumedCapacity, name, cap);
    if (cc) capacities.push(cc);
  }
  if (capacities.length) out.ConsumedCapacity = capacities;
  return out;
}

/** TransactWriteItems. */
export function transactWriteItems(store: DynamoStore, ctx: RequestContext, input: TransactWriteItemsInput): TransactWriteItemsOutput {
  const now = ctx.clock.now();
  let fingerprint: string | undefined;
  if (input.ClientRequestToken !== undefined) {
    const { ClientRequestToken: _token, ...rest } = input;
    fingerprint = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    const seen = store.transactToken(ctx.account, ctx.region, input.ClientRequestToken, now);
    if (seen !== undefined) {
      if (seen !== fingerprint) {
        throw new ServiceError('IdempotentParameterMismatchException', 'Request parameters do not match the original request for the given ClientRequestToken');
      }
      return {};
    }
  }
  const plans: { plan: WritePlan; returnOld: boolean }[] = [];
  const seen = new Set<string>();
  for (const w of input.TransactItems) {
    const actions = [w.Put, w.Update, w.Delete, w.ConditionCheck].filter((x) => x !== undefined).length;
    if (actions !== 1) throw invalid('TransactItems can only contain one of Check, Put, Update or Delete');
    let plan: WritePlan;
    if (w.Put) plan = planPut(store, ctx, w.Put as never);
    else if (w.Update) plan = planUpdate(store, ctx, w.Update as never);
    else if (w.Delete) plan = planDelete(store, ctx, w.Delete as never);
    else {
      if (!w.ConditionCheck!.ConditionExpression) throw invalid('The ConditionExpression parameter is required for a ConditionCheck');
      plan = planConditionCheck(store, ctx, w.ConditionCheck as never);
    }
    const id = keyId(plan.t.id, plan.key);
    if (seen.has(id)) throw invalid('Transaction request cannot include multiple operations on one item');
    seen.add(id);
    const returnOld = (w.Put ?? w.Update ?? w.Delete ?? w.ConditionCheck)!.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
    plans.push({ plan, returnOld });
  }
  const caps = new Map<string, Capacity>();
  store.transaction(() => {
    const reasons: CancellationReason[] = [];
    let failed = false;
    const staged: Array<() => void> = [];
    const cancel = () => new ServiceError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { fields: { CancellationReasons: reasons } });
    for (const { plan, returnOld } of plans) {
      const { item: old, size } = readStored(store, plan);
      if (plan.condition && !evaluateCondition(plan.condition, old)) {
        failed = true;
        const r: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
        if (returnOld && old) r.Item = old;
        reasons.push(r);
        continue;
      }
      if (plan.kind === 'ConditionCheck') {
        reasons.push({ Code: 'None' });
        continue;
      }
      try {
        const next = plan.next(old);
        const at = reasons.length;
        staged.push(() => {
          let cap = caps.get(plan.t.meta.name);
          if (!cap) caps.set(plan.t.meta.name, (cap = new Capacity()));
          try {
            writeItem(store, plan.t, plan.key, old, size, next, cap);
          } catch (e) {
            if (!isServiceError(e) || e.code !== 'ItemCollectionSizeLimitExceededException') throw e;
            // API reference, TransactWriteItems: cancellation reason "Code: ItemCollectionSizeLimitExceeded, Message: Collection size exceeded."
            reasons[at] = { Code: 'ItemCollectionSizeLimitExceeded', Message: e.message };
            throw cancel();
          }
        });
        reasons.push({ Code: 'None' });
      } catch (e) {
        if (!isServiceError(e) || e.code !== 'ValidationException') throw e;
        failed = true;
        reasons.push({ Code: 'ValidationError', Message: e.message });
      }
    }
    if (failed) throw cancel();
    for (const write of staged) write();
    if (input.ClientRequestToken !== undefined) store.recordTransactToken(ctx.account, ctx.region, input.ClientRequestToken, fingerprint!, now + TOKEN_TTL_MS);
  });
  const out: TransactWriteItemsOutput = {};
  const capacities: ConsumedCapacity[] = [];
  for (const [name, cap] of caps) {
    // Transactional writes cost twice a standard write.
    cap.table *= 2;
    for (const e of cap.indexes.values()) e.units *= 2;
    const cc = consumedCapacity(input.ReturnConsumedCapacity, name, cap);
    if (cc) capacities.push(cc);
  }
  if (capacities.length) out.ConsumedCapacity = capacities;
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    const collections = new ItemCollections();
    for (const { plan } of plans) if (plan.kind !== 'ConditionCheck') collections.add(plan.t, plan.key, plan.keyItem);
    const icm = collections.metrics(store);
    if (icm) out.ItemCollectionMetrics = icm;
  }
  return out;
}

/** TransactGetItems. */
export function transactGetItems(store: DynamoStore, ctx: RequestContext, input: TransactGetItemsInput, raw = false): TransactGetItemsOutput {
  const gets = input.TransactItems.map(({ Get: g }) => {
    const t = requireTable(store, ctx, g.TableName);
    validateItem(g.Key as Item);
    return { t, key: keyOfKey(t.meta, g.Key as Item), paths: readProjection(g) };
  });
  const caps = new Map<string, Capacity>();
  const responses = store.transaction(() => gets.map(({ t, key, paths }) => {
    const row = store.getItem(t.id, key);
    let cap = caps.get(t.meta.name);
    if (!cap) caps.set(t.meta.name, (cap = new Capacity()));
    cap.table += 2 * readUnits(row?.size ?? 0, true);
    if (!row) return {};
    return { Item: paths ? project(deserializeItem(row.item), paths) : raw ? rawItem(row.item) : deserializeItem(row.item) };
  }));
  const out: TransactGetItemsOutput = { Responses: responses };
  const capacities: ConsumedCapacity[] = [];
  for (const [name, cap] of caps) {
    const cc = consumedCapacity(input.ReturnConsumedCapacity, name, cap);
    if (cc) capacities.push(cc);
  }
  if (capacities.length) out.ConsumedCapacity = capacities;
  return out;
}
