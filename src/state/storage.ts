/**
 * The storage layer: one SQLite database (WAL) for metadata, items and messages,
 * and a blob store for large bodies. Services reach storage only through this
 * module, so that another engine can stand behind it later.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BlobStore, INLINE_SCHEMA } from './blobs.js';

/** The on-disk format version; bump with a migration when the layout of nimbus's own tables changes. */
/** The WAL size (in 4 KiB pages) at which a write runs a checkpoint itself: 64 MB. */
const WAL_AUTOCHECKPOINT_PAGES = 16_384;
/** How often a pause in requests is looked for, to checkpoint then. */
const IDLE_CHECKPOINT_MS = 250;

export const FORMAT_VERSION = 1;

/** One schema step of a namespace: SQL to run, or a function for data migrations. */
export type Migration = string | ((db: Database.Database) => void);

/** Options for opening storage. */
export interface StorageOptions {
  /** Directory holding nimbus.db and blobs/; ignored when ephemeral. */
  dataDir?: string;
  /** Keep the database in memory and blobs in a temporary directory removed on close. */
  ephemeral?: boolean;
}

/** The database and blob store of one nimbus instance. */
export class Storage {
  readonly db: Database.Database;
  readonly blobs: BlobStore;
  readonly ephemeral: boolean;
  readonly dataDir: string | undefined;
  private readonly tempDir: string | undefined;
  private readonly resetHooks: Array<() => void> = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private activity = 0;
  private lastActivity = 0;
  private checkpointedAt = -1;

  constructor(options: StorageOptions) {
    this.ephemeral = options.ephemeral ?? false;
    if (this.ephemeral) {
      this.tempDir = mkdtempSync(join(tmpdir(), 'nimbus-'));
      this.db = new Database(':memory:');
    } else {
      const dir = options.dataDir ?? '.nimbus';
      mkdirSync(dir, { recursive: true });
      this.dataDir = dir;
      this.db = new Database(join(dir, 'nimbus.db'), { timeout: 0 });
      // One process owns the data directory: EXCLUSIVE locking keeps the WAL index in
      // process memory instead of a shared-memory file locked with fcntl around every
      // statement (measured: a point SELECT 2.6 µs instead of 6 µs, an INSERT 21 µs
      // instead of 29), and a second nimbus on the same directory is refused at once.
      this.db.pragma('locking_mode = EXCLUSIVE');
      try {
        this.db.pragma('journal_mode = WAL');
      } catch (e) {
        this.db.close();
        if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`data directory ${dir} is in use by another nimbus process; stop it or use another --data-dir`);
        throw e;
      }
      // NORMAL in WAL mode: a committed transaction is in the OS's hands before the
      // call returns, so it survives kill -9 (not power loss), at a fraction of FULL's cost.
      this.db.pragma('synchronous = NORMAL');
      // A checkpoint copies the WAL into the database file and syncs it: at SQLite's
      // default (every 1,000 pages) that stalled every connection for 10-30 ms (hundreds
      // on a busy disk) every few hundred writes. The WAL may now grow to 64 MB under
      // sustained load, where a hot set's pages are copied once per checkpoint instead of
      // once per 1,000 pages; otherwise checkpoints run when requests pause (checkpointIfIdle).
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      this.idleTimer = setInterval(() => this.checkpointIfIdle(), IDLE_CHECKPOINT_MS);
      this.idleTimer.unref();
    }
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec('CREATE TABLE IF NOT EXISTS nimbus_schema (namespace TEXT PRIMARY KEY, version INTEGER NOT NULL)');
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > FORMAT_VERSION) {
      // Refusing must not leave the file open (an in-process caller goes on running).
      this.db.close();
      throw new Error(`data directory format ${current} is newer than this nimbus (${FORMAT_VERSION}); upgrade nimbus or use another --data-dir`);
    }
    if (current < FORMAT_VERSION) this.db.pragma(`user_version = ${FORMAT_VERSION}`);
    // Small bodies are rows of the database, larger ones files beside it.
    this.migrate('blobs', INLINE_SCHEMA);
    this.blobs = new BlobStore(join(this.tempDir ?? this.dataDir!, 'blobs'), this.db);
  }

  /**
   * Brings a namespace's tables up to date: runs the migrations after the recorded
   * version, each in a transaction with its version bump, so a crash leaves either
   * the old or the new schema.
   */
  migrate(namespace: string, migrations: readonly Migration[]): void {
    const row = this.db.prepare('SELECT version FROM nimbus_schema WHERE namespace = ?').get(namespace) as { version: number } | undefined;
    const from = row?.version ?? 0;
    if (from > migrations.length) {
      throw new Error(`schema of ${namespace} is at version ${from}, newer than this nimbus knows (${migrations.length})`);
    }
    const setVersion = this.db.prepare('INSERT INTO nimbus_schema (namespace, version) VALUES (?, ?) ON CONFLICT(namespace) DO UPDATE SET version = excluded.version');
    for (let v = from; v < migrations.length; v++) {
      const step = migrations[v];
      this.db.transaction(() => {
        if (typeof step === 'string') this.db.exec(step);
        else step(this.db);
        setVersion.run(namespace, v + 1);
      })();
    }
  }

  /** Registers work to do on reset besides emptying the tables (e.g. clearing caches). */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Deletes every resource of every service, keeping the schema. */
  reset(): void {
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'nimbus_schema'").all() as { name: string }[];
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it:
    // tables are emptied in catalog order, parents possibly before their children.
    this.db.pragma('foreign_keys = OFF');
    try {
      this.db.transaction(() => {
        for (const { name } of tables) this.db.exec(`DELETE FROM "${name.replace(/"/g, '""')}"`);
      })();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
    this.blobs.clear();
    for (const hook of this.resetHooks) hook();
  }

  /** Closes the database; an ephemeral instance's files are removed. */
  /** Counts requests, so that checkpoints wait for a pause (the gateway calls it per request). */
  noteActivity(): void {
    this.activity++;
  }

  private checkpointIfIdle(): void {
    const seen = this.activity;
    if (seen === this.lastActivity && seen !== this.checkpointedAt && this.db.open) {
      this.checkpointedAt = seen;
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
    this.lastActivity = seen;
  }

  close(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.blobs.close();
    if (this.db.open) {
      if (!this.ephemeral) this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}
