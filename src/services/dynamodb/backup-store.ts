/**
 * On-demand backups and point-in-time recovery settings, beside the table store: a
 * backup keeps the table's metadata as it was and a copy of every item row, so that a
 * restore rebuilds the table and its indexes from the copy alone.
 */
import type Database from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import type { TableMeta } from './table-meta.js';

const MIGRATIONS = [
  `CREATE TABLE ddb_backups (
     arn TEXT PRIMARY KEY,
     account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, table_name TEXT NOT NULL,
     created INTEGER NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL, item_count INTEGER NOT NULL,
     meta TEXT NOT NULL);
   CREATE INDEX ddb_backups_by_time ON ddb_backups (account, region, created, arn);
   CREATE TABLE ddb_backup_items (
     arn TEXT NOT NULL, seq INTEGER NOT NULL, size INTEGER NOT NULL, item TEXT NOT NULL,
     PRIMARY KEY (arn, seq)) WITHOUT ROWID;
   CREATE TABLE ddb_pitr (
     table_id TEXT PRIMARY KEY, enabled INTEGER NOT NULL, since INTEGER NOT NULL, days INTEGER NOT NULL) WITHOUT ROWID;`,
];

/** A stored backup (without its items). */
export interface StoredBackup {
  arn: string;
  account: string;
  region: string;
  name: string;
  tableName: string;
  created: number;
  type: string;
  size: number;
  itemCount: number;
  /** The source table's metadata when the backup was taken. */
  meta: TableMeta;
}

interface BackupRow {
  arn: string; account: string; region: string; name: string; table_name: string;
  created: number; type: string; size: number; item_count: number; meta: string;
}

function fromRow(r: BackupRow): StoredBackup {
  return {
    arn: r.arn, account: r.account, region: r.region, name: r.name, tableName: r.table_name,
    created: r.created, type: r.type, size: r.size, itemCount: r.item_count, meta: JSON.parse(r.meta) as TableMeta,
  };
}

/** Point-in-time recovery of one table. */
export interface PitrSetting {
  enabled: boolean;
  since: number;
  days: number;
}

/** The SQLite store of backups and PITR settings. */
export class BackupStore {
  private readonly db: Database.Database;
  private readonly s;

  constructor(storage: Storage) {
    storage.migrate('dynamodb-backups', MIGRATIONS);
    const db = (this.db = storage.db);
    this.s = {
      insert: db.prepare('INSERT INTO ddb_backups (arn, account, region, name, table_name, created, type, size, item_count, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM ddb_backups WHERE arn = ?'),
      remove: db.prepare('DELETE FROM ddb_backups WHERE arn = ?'),
      removeItems: db.prepare('DELETE FROM ddb_backup_items WHERE arn = ?'),
      insertItem: db.prepare('INSERT INTO ddb_backup_items (arn, seq, size, item) VALUES (?, ?, ?, ?)'),
      items: db.prepare('SELECT size, item FROM ddb_backup_items WHERE arn = ? ORDER BY seq'),
      list: db.prepare('SELECT * FROM ddb_backups WHERE account = ? AND region = ? AND (created, arn) > (?, ?) ORDER BY created, arn'),
      pitr: db.prepare('SELECT enabled, since, days FROM ddb_pitr WHERE table_id = ?'),
      putPitr: db.prepare('INSERT OR REPLACE INTO ddb_pitr (table_id, enabled, since, days) VALUES (?, ?, ?, ?)'),
    };
  }

  /** Stores a backup with its items, in one transaction. */
  create(b: StoredBackup, items: Iterable<{ size: number; item: string }>): StoredBackup {
    this.db.transaction(() => {
      let seq = 0;
      let size = 0;
      for (const row of items) {
        this.s.insertItem.run(b.arn, seq++, row.size, row.item);
        size += row.size;
      }
      b.itemCount = seq;
      b.size = size;
      this.s.insert.run(b.arn, b.account, b.region, b.name, b.tableName, b.created, b.type, b.size, b.itemCount, JSON.stringify(b.meta));
    })();
    return b;
  }

  /** The backup of an ARN, in an account and region. */
  get(account: string, region: string, arn: string): StoredBackup | undefined {
    const r = this.s.get.get(arn) as BackupRow | undefined;
    return r && r.account === account && r.region === region ? fromRow(r) : undefined;
  }

  delete(arn: string): void {
    this.db.transaction(() => {
      this.s.removeItems.run(arn);
      this.s.remove.run(arn);
    })();
  }

  /** The backups of an account and region after a position, oldest first. */
  list(account: string, region: string, after: { created: number; arn: string } | undefined): IterableIterator<StoredBackup> {
    const rows = this.s.list.iterate(account, region, after?.created ?? -1, after?.arn ?? '') as IterableIterator<BackupRow>;
    return (function* () { for (const r of rows) yield fromRow(r); })();
  }

  /** The item rows of a backup, in the order they were copied. */
  items(arn: string): { size: number; item: string }[] {
    return this.s.items.all(arn) as { size: number; item: string }[];
  }

  /** The PITR setting of a table (by its TableId), if ever set. */
  pitr(tableId: string): PitrSetting | undefined {
    const r = this.s.pitr.get(tableId) as { enabled: number; since: number; days: number } | undefined;
    return r ? { enabled: r.enabled === 1, since: r.since, days: r.days } : undefined;
  }

  setPitr(tableId: string, p: PitrSetting): void {
    this.s.putPitr.run(tableId, p.enabled ? 1 : 0, p.since, p.days);
  }
}
