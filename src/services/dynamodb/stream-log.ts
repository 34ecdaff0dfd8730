/**
 * The change log behind DynamoDB Streams: one stream per enabling of a table's
 * StreamSpecification (named by its label), one shard per stream, and the records of
 * the shard, appended in the same SQLite transaction as the item change they describe.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Item } from './expressions/index.js';
import { itemSize, valuesEqual } from './expressions/index.js';
import { serializeItem } from './item-codec.js';
import { keyAttributes } from './keys.js';
import type { PreparedItem } from './writes.js';
import type { StoredTable } from './store.js';

/** Stream records are kept for 24 hours (DynamoDB Streams developer guide). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The stream tables (second dynamodb migration). */
export const STREAM_MIGRATION = `
  CREATE TABLE ddb_streams (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL, region TEXT NOT NULL, table_name TEXT NOT NULL, tid INTEGER NOT NULL,
    label TEXT NOT NULL, arn TEXT NOT NULL, view_type TEXT NOT NULL, key_schema TEXT NOT NULL,
    created INTEGER NOT NULL, shard_id TEXT NOT NULL,
    base_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, trimmed_seq INTEGER NOT NULL,
    disabled_at INTEGER,
    UNIQUE (account, region, arn));
  CREATE INDEX ddb_streams_table ON ddb_streams (tid, disabled_at);
  CREATE TABLE ddb_stream_records (
    sid INTEGER NOT NULL, seq INTEGER NOT NULL, created INTEGER NOT NULL,
    event_name TEXT NOT NULL, event_id TEXT NOT NULL,
    keys TEXT NOT NULL, new_image TEXT, old_image TEXT, size INTEGER NOT NULL, by_ttl INTEGER NOT NULL,
    PRIMARY KEY (sid, seq)) WITHOUT ROWID;`;

/** A stream as stored. */
export interface StreamRow {
  id: number;
  account: string;
  region: string;
  table_name: string;
  tid: number;
  label: string;
  arn: string;
  view_type: string;
  key_schema: string;
  created: number;
  shard_id: string;
  base_seq: number;
  last_seq: number;
  trimmed_seq: number;
  disabled_at: number | null;
}

/** A stream record as stored. */
export interface StreamRecordRow {
  seq: number;
  created: number;
  event_name: string;
  event_id: string;
  keys: string;
  new_image: string | null;
  old_image: string | null;
  size: number;
  by_ttl: number;
}

/** Why an item changed: a request, or the TTL sweeper (records carry the service's identity). */
export type ChangeCause = 'request' | 'ttl';

/** The stream store. */
export class StreamLog {
  /** Current stream of a table by `tid:label`: its id and view type. */
  private readonly current = new Map<string, { id: number; viewType: string }>();
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      byTableLabel: db.prepare('SELECT id, view_type FROM ddb_streams WHERE tid = ? AND label = ?'),
      insert: db.prepare(`INSERT INTO ddb_streams (account, region, table_name, tid, label, arn, view_type, key_schema, created, shard_id, base_seq, last_seq, trimmed_seq)
        VALUES (@account, @region, @table_name, @tid, @label, @arn, @view_type, @key_schema, @created, @shard_id, @base_seq, @base_seq, @base_seq)`),
      disableOthers: db.prepare('UPDATE ddb_streams SET disabled_at = ? WHERE tid = ? AND disabled_at IS NULL AND label <> ?'),
      disableAll: db.prepare('UPDATE ddb_streams SET disabled_at = ? WHERE tid = ? AND disabled_at IS NULL'),
      nextSeq: db.prepare('UPDATE ddb_streams SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq'),
      append: db.prepare(`INSERT INTO ddb_stream_records (sid, seq, created, event_name, event_id, keys, new_image, old_image, size, by_ttl)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      byArn: db.prepare('SELECT * FROM ddb_streams WHERE account = ? AND region = ? AND arn = ?'),
      byId: db.prepare('SELECT * FROM ddb_streams WHERE id = ?'),
      list: db.prepare('SELECT * FROM ddb_streams WHERE account = ? AND region = ? AND (disabled_at IS NULL OR disabled_at > ?) ORDER BY id'),
      oldestKept: db.prepare('SELECT max(seq) AS seq FROM ddb_stream_records WHERE sid = ? AND created < ?'),
      trim: db.prepare('DELETE FROM ddb_stream_records WHERE sid = ? AND seq <= ?'),
      setTrimmed: db.prepare('UPDATE ddb_streams SET trimmed_seq = ? WHERE id = ? AND trimmed_seq < ?'),
      read: db.prepare('SELECT seq, created, event_name, event_id, keys, new_image, old_image, size, by_ttl FROM ddb_stream_records WHERE sid = ? AND seq >= ? ORDER BY seq LIMIT ?'),
      expired: db.prepare('SELECT id FROM ddb_streams WHERE disabled_at IS NOT NULL AND disabled_at <= ?'),
      dropStream: db.prepare('DELETE FROM ddb_streams WHERE id = ?'),
      dropRecords: db.prepare('DELETE FROM ddb_stream_records WHERE sid = ?'),
      allLive: db.prepare('SELECT id FROM ddb_streams'),
    };
  }

  /** Forgets cached stream ids (reset). */
  clear(): void {
    this.current.clear();
  }

  /**
   * Brings the streams of a table in line with its metadata after CreateTable, UpdateTable
   * or DeleteTable: the current stream exists; every other one of the table is disabled.
   */
  sync(t: StoredTable, now: number, deleted = false): void {
    const st = t.meta.stream;
    if (deleted || !st?.enabled) {
      this.s.disableAll.run(now, t.id);
      return;
    }
    this.s.disableOthers.run(now, t.id, st.label);
    if (this.s.byTableLabel.get(t.id, st.label)) return;
    const created = Date.parse(st.label + 'Z');
    this.s.insert.run({
      account: t.account, region: t.region, table_name: t.meta.name, tid: t.id, label: st.label,
      arn: `${t.meta.arn}/stream/${st.label}`, view_type: st.viewType!, key_schema: JSON.stringify(t.meta.keySchema), created,
      shard_id: `shardId-${String(created).padStart(20, '0')}-${randomBytes(4).toString('hex')}`,
      // Sequence numbers of a shard start after its creation time in microseconds, so that streams do not share them.
      base_seq: created * 1000,
    });
  }

  private streamOf(t: StoredTable): { id: number; viewType: string } | undefined {
    const label = t.meta.stream!.label;
    const key = `${t.id}:${label}`;
    let s = this.current.get(key);
    if (!s) {
      const row = this.s.byTableLabel.get(t.id, label) as { id: number; view_type: string } | undefined;
      if (!row) return undefined;
      s = { id: row.id, viewType: row.view_type };
      this.current.set(key, s);
    }
    return s;
  }

  /**
   * Appends the record of one item change to the table's stream, if it has an enabled one.
   * A write that changes nothing writes no record (developer guide, "Change data capture for DynamoDB Streams").
   */
  record(t: StoredTable, old: Item | undefined, next: PreparedItem | undefined, now: number, cause: ChangeCause): void {
    if (!t.meta.stream?.enabled || (!old && !next)) return;
    if (old && next && valuesEqual({ M: old }, { M: next.item })) return;
    const s = this.streamOf(t);
    if (!s) return;
    const keys = keyAttributes(t.meta, (next?.item ?? old)!);
    let size = itemSize(keys);
    let newImage: string | null = null;
    let oldImage: string | null = null;
    if (next && (s.viewType === 'NEW_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES')) {
      newImage = next.text;
      size += next.size;
    }
    if (old && (s.viewType === 'OLD_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES')) {
      oldImage = serializeItem(old);
      size += itemSize(old);
    }
    const seq = (this.s.nextSeq.get(s.id) as { last_seq: number }).last_seq;
    const name = !old ? 'INSERT' : next ? 'MODIFY' : 'REMOVE';
    this.s.append.run(s.id, seq, now, name, randomUUID().replace(/-/g, ''), serializeItem(keys), newImage, oldImage, size, cause === 'ttl' ? 1 : 0);
  }

  /** A stream of an account and region by ARN, unless gone (disabled more than 24 hours ago). */
  byArn(account: string, region: string, arn: string, now: number): StreamRow | undefined {
    const row = this.s.byArn.get(account, region, arn) as StreamRow | undefined;
    return row && (row.disabled_at === null || row.disabled_at > now - RETENTION_MS) ? row : undefined;
  }

  byId(id: number, now: number): StreamRow | undefined {
    const row = this.s.byId.get(id) as StreamRow | undefined;
    return row && (row.disabled_at === null || row.disabled_at > now - RETENTION_MS) ? row : undefined;
  }

  /** The live streams of an account and region, oldest first. */
  list(account: string, region: string, now: number): StreamRow[] {
    return this.s.list.all(account, region, now - RETENTION_MS) as StreamRow[];
  }

  /** Drops the records of a stream older than 24 hours; returns the highest trimmed sequence number. */
  trim(row: StreamRow, now: number): number {
    const r = this.s.oldestKept.get(row.id, now - RETENTION_MS) as { seq: number | null };
    if (r.seq !== null && r.seq > row.trimmed_seq) {
      this.db.transaction(() => {
        this.s.trim.run(row.id, r.seq);
        this.s.setTrimmed.run(r.seq, row.id, r.seq);
      })();
      row.trimmed_seq = r.seq;
    }
    return row.trimmed_seq;
  }

  /** Up to `limit` records from sequence number `from` on. */
  read(sid: number, from: number, limit: number): IterableIterator<StreamRecordRow> {
    return this.s.read.iterate(sid, from, limit) as IterableIterator<StreamRecordRow>;
  }

  /** Retention sweep: trims every stream and forgets those disabled more than 24 hours ago. */
  sweep(now: number): void {
    for (const { id } of this.s.expired.all(now - RETENTION_MS) as { id: number }[]) {
      this.db.transaction(() => {
        this.s.dropRecords.run(id);
        this.s.dropStream.run(id);
      })();
    }
    for (const { id } of this.s.allLive.all() as { id: number }[]) {
      const row = this.s.byId.get(id) as StreamRow | undefined;
      if (row) this.trim(row, now);
    }
  }
}
