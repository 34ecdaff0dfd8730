/**
 * ItemCollectionMetrics: the size of an item collection a write touched (the items
 * of one partition key plus their rows in every local secondary index), answered for
 * tables with local secondary indexes when ReturnItemCollectionMetrics is SIZE.
 */
import type { ItemCollectionMetrics } from '../../models/generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { Item } from './expressions/index.js';
import type { DynamoStore, StoredKey, StoredTable } from './store.js';

const GB = 1024 * 1024 * 1024;

/** The message of ItemCollectionSizeLimitExceededException and of the transaction cancellation reason ItemCollectionSizeLimitExceeded. */
export const COLLECTION_SIZE_EXCEEDED = 'Collection size exceeded.';

/**
 * The bytes of the item collection of `key` (its base items plus their rows in every
 * local secondary index), or undefined for a table without local secondary indexes.
 */
function itemCollectionBytes(store: DynamoStore, t: StoredTable, key: StoredKey): number | undefined {
  let bytes = 0;
  let local = false;
  for (const ix of t.meta.indexes) {
    if (ix.global) continue;
    local = true;
    bytes += store.indexPartitionBytes(t.id, ix.id, key);
  }
  return local ? bytes + store.partitionBytes(t.id, key) : undefined;
}

/**
 * Refuses a write that left the item collection of `key` larger than the store's limit
 * (AWS: 10 GB, for tables with local secondary indexes only). Called inside the write's
 * transaction, after the write, so that the throw undoes it. Only writes that store an
 * item call it: a delete never grows a collection.
 */
export function checkItemCollectionSize(store: DynamoStore, t: StoredTable, key: StoredKey): void {
  const bytes = itemCollectionBytes(store, t, key);
  // Developer guide, "Error handling with DynamoDB": ItemCollectionSizeLimitExceededException, "Collection size exceeded."
  if (bytes !== undefined && bytes > store.itemCollectionLimit) throw new ServiceError('ItemCollectionSizeLimitExceededException', COLLECTION_SIZE_EXCEEDED);
}

/**
 * The metrics of the item collection of `key`, or undefined for a table without local
 * secondary indexes (API reference: "If the table does not have any local secondary
 * indexes, this information is not returned"). The estimate is a range of whole
 * gigabytes around the collection's size: [0, 1] until it reaches 1 GB.
 */
export function itemCollectionMetrics(store: DynamoStore, t: StoredTable, key: StoredKey, keyItem: Item): ItemCollectionMetrics | undefined {
  const bytes = itemCollectionBytes(store, t, key);
  if (bytes === undefined) return undefined;
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
