/**
 * DynamoDB storage on SQLite. Items are rows keyed (table, partition hash, hash key,
 * range key) with the keys in an order-preserving byte encoding, so that a Query is a
 * range scan of one partition and a Scan walks partitions in hash order (its segments
 * are ranges of that hash). Secondary index rows point at their base item and are
 * written in the same transaction as it.
 */
import type Database from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import type { TableMeta } from './table-meta.js';
import type { Clock } from '../../shared/clock.js';
import { StreamLog, STREAM_MIGRATION } from './stream-log.js';
import { DYNAMODB_ITEM_COLLECTION_LIMIT } from '../../config.js';

const MIGRATIONS = [
  `CREATE TABLE ddb_tables (
     id INTEGER PRIMARY KEY,
     account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
     meta TEXT NOT NULL,
     UNIQUE (account, region, name));
   CREATE TABLE ddb_items (
     tid INTEGER NOT NULL, hh INTEGER NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL,
     size INTEGER NOT NULL, item TEXT NOT NULL,
     PRIMARY KEY (tid, hh, hk, rk)) WITHOUT ROWID;
   CREATE TABLE ddb_index_items (
     tid INTEGER NOT NULL, iid INTEGER NOT NULL, hh INTEGER NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL,
     bhh INTEGER NOT NULL, bhk BLOB NOT NULL, brk BLOB NOT NULL, size INTEGER NOT NULL,
     PRIMARY KEY (tid, iid, hh, hk, rk, bhh, bhk, brk)) WITHOUT ROWID;
   CREATE TABLE ddb_transact_tokens (
     account TEXT NOT NULL, region TEXT NOT NULL, token TEXT NOT NULL,
     fingerprint TEXT NOT NULL, expires INTEGER NOT NULL,
     PRIMARY KEY (account, region, token)) WITHOUT ROWID;`,
  STREAM_MIGRATION,
];

/** The encoded primary key of an item. */
export interface StoredKey {
  hh: number;
  hk: Buffer;
  rk: Buffer;
}

/** One item row as read. */
export interface ItemRow {
  hh: number;
  hk: Buffer;
  rk: Buffer;
  size: number;
  item: string;
}

/** One index row joined with its base item. */
export interface IndexRow extends ItemRow {
  bhh: number;
  bhk: Buffer;
  brk: Buffer;
}

/** A stored table: its row id and metadata. */
export interface StoredTable {
  id: number;
  account: string;
  region: string;
  meta: TableMeta;
}

/** The SQLite store of DynamoDB tables and items. */
export class DynamoStore {
  readonly db: Database.Database;
  /** The change records of DynamoDB Streams. */
  readonly streams: StreamLog;
  private readonly cache = new Map<string, StoredTable | null>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  private readonly s;
  /** The item collection size limit in bytes (tables with local secondary indexes; AWS: 10 GB). */
  itemCollectionLimit = DYNAMODB_ITEM_COLLECTION_LIMIT;
  /** One transaction wrapper for every write: db.transaction() builds a new function each call. */
  private readonly tx: <T>(fn: () => T) => T;

  constructor(storage: Storage, readonly clock: Clock) {
    storage.migrate('dynamodb', MIGRATIONS);
    this.db = storage.db;
    this.streams = new StreamLog(this.db);
    storage.onReset(() => {
      this.cache.clear();
      this.streams.clear();
    });
    const db = this.db;
    this.tx = db.transaction((fn: () => unknown) => fn()) as <T>(fn: () => T) => T;
    this.s = {
      tableByName: db.prepare('SELECT id, meta FROM ddb_tables WHERE account = ? AND region = ? AND name = ?'),
      insertTable: db.prepare('INSERT INTO ddb_tables (account, region, name, meta) VALUES (?, ?, ?, ?)'),
      updateTable: db.prepare('UPDATE ddb_tables SET meta = ? WHERE id = ?'),
      deleteTable: db.prepare('DELETE FROM ddb_tables WHERE id = ?'),
      deleteItems: db.prepare('DELETE FROM ddb_items WHERE tid = ?'),
      deleteIndexItemsAll: db.prepare('DELETE FROM ddb_index_items WHERE tid = ?'),
      deleteIndexItemsOf: db.prepare('DELETE FROM ddb_index_items WHERE tid = ? AND iid = ?'),
      listTables: db.prepare('SELECT name FROM ddb_tables WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?'),
      getItem: db.prepare('SELECT size, item FROM ddb_items WHERE tid = ? AND hh = ? AND hk = ? AND rk = ?'),
      getItemSize: db.prepare('SELECT size FROM ddb_items WHERE tid = ? AND hh = ? AND hk = ? AND rk = ?').pluck(),
      putItem: db.prepare('INSERT OR REPLACE INTO ddb_items (tid, hh, hk, rk, size, item) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteItem: db.prepare('DELETE FROM ddb_items WHERE tid = ? AND hh = ? AND hk = ? AND rk = ?'),
      putIndexItem: db.prepare('INSERT OR REPLACE INTO ddb_index_items (tid, iid, hh, hk, rk, bhh, bhk, brk, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      deleteIndexItem: db.prepare('DELETE FROM ddb_index_items WHERE tid = ? AND iid = ? AND hh = ? AND hk = ? AND rk = ? AND bhh = ? AND bhk = ? AND brk = ?'),
      tableStats: db.prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM ddb_items WHERE tid = ?'),
      indexStats: db.prepare('SELECT iid, count(*) AS n, coalesce(sum(size), 0) AS bytes FROM ddb_index_items WHERE tid = ? GROUP BY iid'),
      itemsAfter: db.prepare('SELECT hh, hk, rk, size, item FROM ddb_items WHERE tid = ? AND (hh, hk, rk) > (?, ?, ?) ORDER BY hh, hk, rk LIMIT ?'),
      ttlTables: db.prepare("SELECT account, region, name FROM ddb_tables WHERE json_extract(meta, '$.ttl.enabled') = 1"),
      allItems: db.prepare('SELECT hh, hk, rk, size, item FROM ddb_items WHERE tid = ?'),
      partitionBytes: db.prepare('SELECT coalesce(sum(size), 0) FROM ddb_items WHERE tid = ? AND hh = ? AND hk = ?').pluck(),
      indexPartitionBytes: db.prepare('SELECT coalesce(sum(size), 0) FROM ddb_index_items WHERE tid = ? AND iid = ? AND hh = ? AND hk = ?').pluck(),
      getToken: db.prepare('SELECT fingerprint, expires FROM ddb_transact_tokens WHERE account = ? AND region = ? AND token = ?'),
      putToken: db.prepare('INSERT OR REPLACE INTO ddb_transact_tokens (account, region, token, fingerprint, expires) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** A prepared statement for SQL built from a fixed set of shapes, prepared once. */
  statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** A prepared statement (see statement) answering rows as arrays of column values, cheaper than objects. */
  rawStatement(sql: string): Database.Statement {
    let st = this.rawStatements.get(sql);
    if (!st) {
      st = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, st);
    }
    return st;
  }

  /** Runs fn in one SQLite transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.tx(fn);
  }

  /** The table of an account and region, or undefined. */
  table(account: string, region: string, name: string): StoredTable | undefined {
    const key = `${account}\u0000${region}\u0000${name}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const row = this.s.tableByName.get(account, region, name) as { id: number; meta: string } | undefined;
    const t = row ? { id: row.id, account, region, meta: JSON.parse(row.meta) as TableMeta } : undefined;
    this.cache.set(key, t ?? null);
    return t;
  }

  /** Stores a new table; undefined when the name is taken. */
  createTable(account: string, region: string, meta: TableMeta): StoredTable {
    const info = this.s.insertTable.run(account, region, meta.name, JSON.stringify(meta));
    const t = { id: Number(info.lastInsertRowid), account, region, meta };
    this.cache.set(`${account}\u0000${region}\u0000${meta.name}`, t);
    return t;
  }

  /** Saves changed metadata of a table. */
  saveTable(t: StoredTable): void {
    this.s.updateTable.run(JSON.stringify(t.meta), t.id);
  }

  /** Removes a table with its items and index rows. */
  deleteTable(t: StoredTable): void {
    this.transaction(() => {
      this.s.deleteIndexItemsAll.run(t.id);
      this.s.deleteItems.run(t.id);
      this.s.deleteTable.run(t.id);
    });
    this.cache.set(`${t.account}\u0000${t.region}\u0000${t.meta.name}`, null);
  }

  /** Table names after `start`, in order, at most `limit`. */
  listTables(account: string, region: string, start: string, limit: number): string[] {
    return (this.s.listTables.all(account, region, start, limit) as { name: string }[]).map((r) => r.name);
  }

  /** Item count and bytes of a table and of each index. */
  stats(tid: number): { itemCount: number; sizeBytes: number; indexes: Map<number, { itemCount: number; sizeBytes: number }> } {
    const t = this.s.tableStats.get(tid) as { n: number; bytes: number };
    const indexes = new Map<number, { itemCount: number; sizeBytes: number }>();
    for (const r of this.s.indexStats.all(tid) as { iid: number; n: number; bytes: number }[]) indexes.set(r.iid, { itemCount: r.n, sizeBytes: r.bytes });
    return { itemCount: t.n, sizeBytes: t.bytes, indexes };
  }

  /** The stored item at a key. */
  getItem(tid: number, k: StoredKey): { size: number; item: string } | undefined {
    return this.s.getItem.get(tid, k.hh, k.hk, k.rk) as { size: number; item: string } | undefined;
  }

  /** The size of the stored item at a key (0 when none), without reading the item. */
  itemSize(tid: number, k: StoredKey): number {
    return (this.s.getItemSize.get(tid, k.hh, k.hk, k.rk) as number | undefined) ?? 0;
  }

  putItem(tid: number, k: StoredKey, size: number, item: string): void {
    this.s.putItem.run(tid, k.hh, k.hk, k.rk, size, item);
  }

  deleteItem(tid: number, k: StoredKey): void {
    this.s.deleteItem.run(tid, k.hh, k.hk, k.rk);
  }

  putIndexItem(tid: number, iid: number, ik: StoredKey, base: StoredKey, size: number): void {
    this.s.putIndexItem.run(tid, iid, ik.hh, ik.hk, ik.rk, base.hh, base.hk, base.rk, size);
  }

  deleteIndexItem(tid: number, iid: number, ik: StoredKey, base: StoredKey): void {
    this.s.deleteIndexItem.run(tid, iid, ik.hh, ik.hk, ik.rk, base.hh, base.hk, base.rk);
  }

  /** Drops every row of one index (DeleteTable of a GSI through UpdateTable). */
  deleteIndex(tid: number, iid: number): void {
    this.s.deleteIndexItemsOf.run(tid, iid);
  }

  /** Up to `limit` items of a table after a key, in scan order (the TTL sweeper's walk). */
  itemsAfter(tid: number, after: StoredKey, limit: number): ItemRow[] {
    return this.s.itemsAfter.all(tid, after.hh, after.hk, after.rk, limit) as ItemRow[];
  }

  /** The tables with Time to Live enabled, in every account and region. */
  ttlTables(): StoredTable[] {
    const out: StoredTable[] = [];
    for (const r of this.s.ttlTables.all() as { account: string; region: string; name: string }[]) {
      const t = this.table(r.account, r.region, r.name);
      if (t?.meta.ttl?.enabled) out.push(t);
    }
    return out;
  }

  /** Every item of a table (GSI backfill). */
  allItems(tid: number): IterableIterator<ItemRow> {
    return this.s.allItems.iterate(tid) as IterableIterator<ItemRow>;
  }

  /** The bytes of the items of one partition of a table (an item collection's base items). */
  partitionBytes(tid: number, k: StoredKey): number {
    return this.s.partitionBytes.get(tid, k.hh, k.hk) as number;
  }

  /** The bytes of the index rows of one partition key in an index. */
  indexPartitionBytes(tid: number, iid: number, k: StoredKey): number {
    return this.s.indexPartitionBytes.get(tid, iid, k.hh, k.hk) as number;
  }

  /** The fingerprint recorded for a TransactWriteItems token, unless expired. */
  transactToken(account: string, region: string, token: string, now: number): string | undefined {
    const r = this.s.getToken.get(account, region, token) as { fingerprint: string; expires: number } | undefined;
    return r && r.expires > now ? r.fingerprint : undefined;
  }

  recordTransactToken(account: string, region: string, token: string, fingerprint: string, expires: number): void {
    this.s.putToken.run(account, region, token, fingerprint, expires);
  }
}
