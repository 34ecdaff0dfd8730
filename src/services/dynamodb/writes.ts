/**
 * The one write path of items: the base row and every secondary index row of the
 * item change together (callers run it inside a transaction), and the capacity the
 * write consumed is counted per table and index.
 */
import type { Item } from './expressions/index.js';
import { itemSize } from './expressions/index.js';
import { indexKeyOf, projectIndexItem, sameKey } from './keys.js';
import { checkItemCollectionSize } from './item-collections.js';
import type { DynamoStore, StoredKey, StoredTable } from './store.js';
import type { ChangeCause } from './stream-log.js';

const KB = 1024;

/** Write capacity units of an item write of `size` bytes. */
export function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / KB));
}

/** Read capacity units for `size` bytes read. */
export function readUnits(size: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(size / (4 * KB)));
  return consistent ? units : units / 2;
}

/** Capacity consumed by one operation: the table's and each index's units. */
export class Capacity {
  table = 0;
  readonly indexes = new Map<string, { global: boolean; units: number }>();

  addIndex(name: string, global: boolean, units: number): void {
    const e = this.indexes.get(name);
    if (e) e.units += units;
    else this.indexes.set(name, { global, units });
  }
}

/** The stored text and size of an item about to be written. */
export interface PreparedItem {
  item: Item;
  text: string;
  size: number;
}

/**
 * Whether writeItem on this table writes the base row alone (no stream record, no index
 * rows, no check after the write): one statement, which single-item writes run without
 * a transaction of their own (items.ts runAlone). Anything writeItem comes to do besides
 * that row for some table must make this false for it.
 */
export function writesBaseRowOnly(t: StoredTable): boolean {
  return t.meta.indexes.length === 0 && t.meta.stream?.enabled !== true;
}

/**
 * Writes `next` at `key` (or deletes the item when `next` is undefined), given the
 * item stored before (`old`), and maintains the index rows. Run inside a transaction:
 * a put that leaves an item collection past its limit throws, undoing the write.
 */
export function writeItem(store: DynamoStore, t: StoredTable, key: StoredKey, old: Item | undefined, oldSize: number, next: PreparedItem | undefined, cap?: Capacity, cause: ChangeCause = 'request'): void {
  if (t.meta.stream?.enabled) store.streams.record(t, old, next, store.clock.now(), cause);
  if (next) store.putItem(t.id, key, next.size, next.text);
  else if (old) store.deleteItem(t.id, key);
  if (cap) cap.table += writeUnits(Math.max(oldSize, next?.size ?? 0));
  const meta = t.meta;
  for (const ix of meta.indexes) {
    const oldIk = old ? indexKeyOf(ix, old) : undefined;
    const newIk = next ? indexKeyOf(ix, next.item) : undefined;
    if (!oldIk && !newIk) continue;
    if (oldIk && (!newIk || !sameKey(oldIk, newIk))) {
      store.deleteIndexItem(t.id, ix.id, oldIk, key);
      if (cap) cap.addIndex(ix.name, ix.global, 1);
    }
    if (newIk && next) {
      const size = ix.projection.ProjectionType === 'ALL' ? next.size : itemSize(projectIndexItem(meta, ix, next.item));
      store.putIndexItem(t.id, ix.id, newIk, key, size);
      if (cap) cap.addIndex(ix.name, ix.global, writeUnits(size));
    }
  }
  if (next && meta.indexes.length > 0) checkItemCollectionSize(store, t, key);
}
