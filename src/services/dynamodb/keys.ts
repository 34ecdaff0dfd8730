/**
 * Key attributes of items, keys and index entries: checked against the key schema in
 * DynamoDB's words and encoded for storage.
 */
import { ServiceError } from '../../shared/errors.js';
import type { AttributeValue, Item } from './expressions/index.js';
import { encodeKeyValue, partitionHash, type KeyType } from './key-codec.js';
import type { StoredKey } from './store.js';
import type { IndexMeta, TableMeta } from './table-meta.js';

const EMPTY: Buffer = Buffer.alloc(0);

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** The single type name of an AttributeValue (S, N, ...). */
export function typeOf(v: AttributeValue): string {
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return k;
  return '';
}

function emptyValue(v: AttributeValue, type: KeyType): string | undefined {
  if (type === 'S' && (v as { S: string }).S === '') return 'string';
  if (type === 'B' && (v as { B: Buffer }).B.length === 0) return 'binary';
  return undefined;
}

/** The encoded key of a whole item (PutItem): missing or wrong-typed keys in PutItem's words. */
export function keyOfItem(meta: TableMeta, item: Item): StoredKey {
  const hk = itemKeyPart(item, meta.hashKey, meta.hashType);
  const rk = meta.rangeKey === undefined ? EMPTY : itemKeyPart(item, meta.rangeKey, meta.rangeType!);
  return { hh: partitionHash(hk), hk, rk };
}

function itemKeyPart(item: Item, name: string, type: KeyType): Buffer {
  const v = item[name];
  if (v === undefined) throw invalid(`One or more parameter values were invalid: Missing the key ${name} in the item`);
  const actual = typeOf(v);
  if (actual !== type) throw invalid(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${type} actual: ${actual}`);
  const empty = emptyValue(v, type);
  if (empty) throw invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${name}`);
  return encodeKeyValue(v, type);
}

/** The encoded key of a Key parameter (GetItem, DeleteItem, UpdateItem, batches): exactly the key attributes. */
export function keyOfKey(meta: TableMeta, key: Item): StoredKey {
  let n = 0;
  for (const _ in key) n++;
  const expected = meta.rangeKey === undefined ? 1 : 2;
  const h = key[meta.hashKey];
  const r = meta.rangeKey === undefined ? undefined : key[meta.rangeKey];
  if (n !== expected || h === undefined || (meta.rangeKey !== undefined && r === undefined)) throw mismatch();
  if (typeOf(h) !== meta.hashType || (r !== undefined && typeOf(r) !== meta.rangeType)) throw mismatch();
  const eh = emptyValue(h, meta.hashType);
  if (eh) throw invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${eh} value. Key: ${meta.hashKey}`);
  if (r !== undefined) {
    const er = emptyValue(r, meta.rangeType!);
    if (er) throw invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${er} value. Key: ${meta.rangeKey}`);
  }
  const hk = encodeKeyValue(h, meta.hashType);
  return { hh: partitionHash(hk), hk, rk: r === undefined ? EMPTY : encodeKeyValue(r, meta.rangeType!) };
}

/** DynamoDB's answer for a Key that is not exactly the table's key. */
export function mismatch(): ServiceError {
  return invalid('The provided key element does not match the schema');
}

/**
 * Checks the index key attributes an item carries (PutItem, UpdateItem results):
 * present ones must have the index's type and must not be empty.
 */
export function checkIndexKeys(meta: TableMeta, item: Item): void {
  for (const ix of meta.indexes) {
    checkIndexKey(ix, ix.hashKey, ix.hashType, item);
    if (ix.rangeKey !== undefined) checkIndexKey(ix, ix.rangeKey, ix.rangeType!, item);
  }
}

function checkIndexKey(ix: IndexMeta, name: string, type: KeyType, item: Item): void {
  const v = item[name];
  if (v === undefined) return;
  const actual = typeOf(v);
  if (actual !== type) throw invalid(`One or more parameter values were invalid: Type mismatch for Index Key ${name} Expected: ${type} Actual: ${actual} IndexName: ${ix.name}`);
  const empty = emptyValue(v, type);
  if (empty) {
    throw invalid(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${empty} value. IndexName: ${ix.name}, IndexKey: ${name}`);
  }
}

/** The encoded index key of an item, or undefined when the item lacks an index key attribute (a sparse index). */
export function indexKeyOf(ix: IndexMeta, item: Item): StoredKey | undefined {
  const h = item[ix.hashKey];
  if (h === undefined || typeOf(h) !== ix.hashType) return undefined;
  let rk: Buffer = EMPTY;
  if (ix.rangeKey !== undefined) {
    const r = item[ix.rangeKey];
    if (r === undefined || typeOf(r) !== ix.rangeType) return undefined;
    rk = encodeKeyValue(r, ix.rangeType!);
  }
  const hk = encodeKeyValue(h, ix.hashType);
  return { hh: partitionHash(hk), hk, rk };
}

/** The key attributes of an item (the table's, plus an index's when given), as LastEvaluatedKey carries them. */
export function keyAttributes(meta: TableMeta, item: Item, ix?: IndexMeta): Item {
  const out: Item = { [meta.hashKey]: item[meta.hashKey] };
  if (meta.rangeKey !== undefined) out[meta.rangeKey] = item[meta.rangeKey];
  if (ix) {
    out[ix.hashKey] = item[ix.hashKey];
    if (ix.rangeKey !== undefined) out[ix.rangeKey] = item[ix.rangeKey];
  }
  return out;
}

/** True when two encoded keys are equal. */
export function sameKey(a: StoredKey, b: StoredKey): boolean {
  return a.hh === b.hh && a.hk.equals(b.hk) && a.rk.equals(b.rk);
}

/** The attributes an index projects an item onto. */
export function projectIndexItem(meta: TableMeta, ix: IndexMeta, item: Item): Item {
  const type = ix.projection.ProjectionType;
  if (type === 'ALL') return item;
  const out = keyAttributes(meta, item, ix);
  if (type === 'INCLUDE') for (const a of ix.projection.NonKeyAttributes ?? []) if (item[a] !== undefined) out[a] = item[a];
  return out;
}
