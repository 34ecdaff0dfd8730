/**
 * ItemCollectionMetrics: the size of an item collection a write touched (the items
 * of one partition key plus their rows in every local secondary index), answered for
 * tables with local secondary indexes when ReturnItemCollectionMetrics is SIZE.
 */
import type { ItemCollectionMetrics } from '../../models/generated/dynamodb.js';
import type { Item } from './expressions/index.js';
import type { DynamoStore, StoredKey, StoredTable } from './store.js';

const GB = 1024 * 1024 * 1024;

/**
 * The metrics of the item collection of `key`, or undefined for a table without local
 * secondary indexes (API reference: "If the table does not have any local secondary
 * indexes, this information is not returned"). The estimate is a range of whole
 * gigabytes around the collection's size: [0, 1] until it reaches 1 GB.
 */
export function itemCollectionMetrics(store: DynamoStore, t: StoredTable, key: StoredKey, keyItem: Item): ItemCollectionMetrics | undefined {
  let bytes = 0;
  let local = false;
  for (const ix of t.meta.indexes) {
    if (ix.global) continue;
    local = true;
    bytes += store.indexPartitionBytes(t.id, ix.id, key);
  }
  if (!local) return undefined;
  bytes += store.partitionBytes(t.id, key);
  const low = Math.floor(bytes / GB);
  const hashKey = t.meta.hashKey;
  return { ItemCollectionKey: { [hashKey]: keyItem[hashKey] }, SizeEstimateRangeGB: [low, low + 1] };
}

/** The item collections a batch or a transaction wrote, each once, by table name in the order first written. */
export class ItemCollections {
  private readonly byTable = new Map<string, Map<string, { t: StoredTable; key: StoredKey; keyItem: Item }>>();

  add(t: StoredTable, key: StoredKey, keyItem: Item): void {
    if (!t.meta.indexes.some((ix) => !ix.global)) return;
    let m = this.byTable.get(t.meta.name);
    if (!m) this.byTable.set(t.meta.name, (m = new Map()));
    const id = `${key.hh}:${key.hk.toString('base64')}`;
    if (!m.has(id)) m.set(id, { t, key, keyItem });
  }

  /** ItemCollectionMetrics by table (sizes as stored now), or undefined when no table has a local secondary index. */
  metrics(store: DynamoStore): Record<string, ItemCollectionMetrics[]> | undefined {
    if (this.byTable.size === 0) return undefined;
    const out: Record<string, ItemCollectionMetrics[]> = {};
    for (const [name, m] of this.byTable) {
      out[name] = [...m.values()].map(({ t, key, keyItem }) => itemCollectionMetrics(store, t, key, keyItem)!);
    }
    return out;
  }
}
