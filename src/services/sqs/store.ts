/**
 * SQS state in SQLite: queues (settings and tags, cached in memory since they are few
 * and read on every call), messages (the source of truth for every message state:
 * visible, delayed, in flight) and FIFO deduplication records. Every statement is
 * prepared once; the message path runs a handful of indexed statements per call.
 */
import type Database from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import type { QueueSettings } from './queue-attributes.js';

const MIGRATIONS = [
  `CREATE TABLE sqs_queues (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     name TEXT NOT NULL,
     settings TEXT NOT NULL,
     tags TEXT NOT NULL,
     created INTEGER NOT NULL,
     modified INTEGER NOT NULL,
     purged INTEGER,
     UNIQUE (account, region, name)
   );
   CREATE TABLE sqs_messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     queue_id INTEGER NOT NULL,
     message_id TEXT NOT NULL,
     body TEXT NOT NULL,
     md5_body TEXT NOT NULL,
     attributes BLOB,
     md5_attributes TEXT,
     sender_id TEXT NOT NULL,
     trace_header TEXT,
     group_id TEXT,
     dedup_id TEXT,
     source_arn TEXT,
     sent INTEGER NOT NULL,
     visible_at INTEGER NOT NULL,
     receive_count INTEGER NOT NULL DEFAULT 0,
     first_receive INTEGER,
     receipt TEXT
   );
   CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at);
   CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;
   CREATE TABLE sqs_dedup (
     queue_id INTEGER NOT NULL,
     scope TEXT NOT NULL,
     dedup_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     expires INTEGER NOT NULL,
     PRIMARY KEY (queue_id, scope, dedup_id)
   );`,
  `CREATE TABLE sqs_move_tasks (
     handle TEXT PRIMARY KEY,
     account TEXT NOT NULL,
     region TEXT NOT NULL,
     source_arn TEXT NOT NULL,
     destination_arn TEXT,
     rate INTEGER,
     status TEXT NOT NULL,
     moved INTEGER NOT NULL,
     to_move INTEGER NOT NULL,
     max_seq INTEGER NOT NULL,
     started INTEGER NOT NULL,
     failure TEXT
   );
   CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, started);`,
];

/** A message move task (StartMessageMoveTask) as stored. */
export interface MoveTaskRow {
  handle: string;
  account: string;
  region: string;
  source_arn: string;
  destination_arn: string | null;
  rate: number | null;
  status: string;
  moved: number;
  to_move: number;
  /** Messages up to this sequence were in the queue when the task started: later ones are not moved. */
  max_seq: number;
  started: number;
  failure: string | null;
}

/** A queue as kept in memory. */
export interface QueueRecord {
  readonly id: number;
  readonly account: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  settings: QueueSettings;
  tags: Record<string, string>;
  readonly created: number;
  modified: number;
  purged: number | undefined;
}

/** A new message. */
export interface NewMessage {
  message_id: string;
  body: string;
  md5_body: string;
  attributes: Buffer | null;
  md5_attributes: string | null;
  sender_id: string;
  trace_header: string | null;
  group_id: string | null;
  dedup_id: string | null;
  source_arn: string | null;
  sent: number;
  visible_at: number;
  receive_count: number;
  first_receive: number | null;
}

/** A message row as receive reads it: a stored message with its sequence number and current receipt. */
export interface MessageRow extends NewMessage {
  seq: number;
  receipt: string | null;
}

interface QueueRow { id: number; account: string; region: string; name: string; settings: string; tags: string; created: number; modified: number; purged: number | null }

function key(account: string, region: string, name: string): string {
  return `${account}\n${region}\n${name}`;
}

/** The SQS store of one nimbus instance. */
export class SqsStore {
  readonly db: Database.Database;
  private readonly queues = new Map<string, QueueRecord>();
  private readonly byId = new Map<number, QueueRecord>();
  private readonly stmt;
  private readonly tx: (fn: () => unknown) => unknown;

  constructor(storage: Storage) {
    storage.migrate('sqs', MIGRATIONS);
    this.db = storage.db;
    const db = this.db;
    const COLS = 'seq, message_id, body, md5_body, attributes, md5_attributes, sender_id, trace_header, group_id, dedup_id, source_arn, sent, visible_at, receive_count, first_receive, receipt';
    this.stmt = {
      insertQueue: db.prepare('INSERT INTO sqs_queues (account, region, name, settings, tags, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      updateQueue: db.prepare('UPDATE sqs_queues SET settings = ?, tags = ?, modified = ?, purged = ? WHERE id = ?'),
      deleteQueue: db.prepare('DELETE FROM sqs_queues WHERE id = ?'),
      deleteQueueMessages: db.prepare('DELETE FROM sqs_messages WHERE queue_id = ?'),
      deleteQueueDedup: db.prepare('DELETE FROM sqs_dedup WHERE queue_id = ?'),
      allQueues: db.prepare('SELECT * FROM sqs_queues'),
      insertMessage: db.prepare(`INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, sender_id, trace_header, group_id, dedup_id, source_arn, sent, visible_at, receive_count, first_receive)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      visible: db.prepare(`SELECT ${COLS} FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?`),
      // FIFO: oldest first, skipping groups that have a message in flight.
      visibleFifo: db.prepare(`SELECT ${COLS} FROM sqs_messages m WHERE m.queue_id = @queue AND m.visible_at <= @now
        AND NOT EXISTS (SELECT 1 FROM sqs_messages b WHERE b.queue_id = @queue AND b.group_id = m.group_id AND b.visible_at > @now AND b.receive_count > 0)
        ORDER BY m.seq LIMIT @limit`),
      groupVisible: db.prepare(`SELECT ${COLS} FROM sqs_messages WHERE queue_id = ? AND group_id = ? AND visible_at <= ? ORDER BY seq LIMIT ?`),
      markReceived: db.prepare('UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, first_receive = COALESCE(first_receive, ?), receipt = ? WHERE seq = ?'),
      bySeq: db.prepare(`SELECT ${COLS} FROM sqs_messages WHERE seq = ? AND queue_id = ?`),
      deleteMessage: db.prepare('DELETE FROM sqs_messages WHERE seq = ?'),
      deleteOf: db.prepare('DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ?'),
      setVisibility: db.prepare('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?'),
      expire: db.prepare('DELETE FROM sqs_messages WHERE queue_id = ? AND sent < ?'),
      nextVisible: db.prepare('SELECT MIN(visible_at) AS t FROM sqs_messages WHERE queue_id = ? AND visible_at > ?'),
      countVisible: db.prepare('SELECT COUNT(*) AS n FROM sqs_messages WHERE queue_id = ? AND visible_at <= ?'),
      countNotVisible: db.prepare('SELECT COUNT(*) AS n FROM sqs_messages WHERE queue_id = ? AND visible_at > ? AND receive_count > 0'),
      countDelayed: db.prepare('SELECT COUNT(*) AS n FROM sqs_messages WHERE queue_id = ? AND visible_at > ? AND receive_count = 0'),
      movable: db.prepare(`SELECT ${COLS} FROM sqs_messages WHERE queue_id = ? AND seq <= ? AND visible_at <= ? ORDER BY seq LIMIT ?`),
      maxSeq: db.prepare('SELECT MAX(seq) AS s, COUNT(*) AS n FROM sqs_messages WHERE queue_id = ?'),
      insertTask: db.prepare('INSERT INTO sqs_move_tasks (handle, account, region, source_arn, destination_arn, rate, status, moved, to_move, max_seq, started, failure) VALUES (@handle, @account, @region, @source_arn, @destination_arn, @rate, @status, @moved, @to_move, @max_seq, @started, @failure)'),
      updateTask: db.prepare('UPDATE sqs_move_tasks SET status = ?, moved = ?, failure = ? WHERE handle = ?'),
      tasksOf: db.prepare('SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started DESC, rowid DESC LIMIT ?'),
      task: db.prepare('SELECT * FROM sqs_move_tasks WHERE handle = ?'),
      runningTasks: db.prepare("SELECT * FROM sqs_move_tasks WHERE status IN ('RUNNING', 'CANCELLING')"),
      findDedup: db.prepare('SELECT message_id, seq, expires FROM sqs_dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ?'),
      putDedup: db.prepare('INSERT OR REPLACE INTO sqs_dedup (queue_id, scope, dedup_id, message_id, seq, expires) VALUES (?, ?, ?, ?, ?, ?)'),
      expireDedup: db.prepare('DELETE FROM sqs_dedup WHERE queue_id = ? AND expires <= ?'),
    };
    // One transaction function for all callers (better-sqlite3 wraps once, not per call).
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.load();
    storage.onReset(() => {
      this.queues.clear();
      this.byId.clear();
    });
  }

  private load(): void {
    for (const row of this.stmt.allQueues.all() as QueueRow[]) this.cache(row);
  }

  private cache(row: QueueRow): QueueRecord {
    const settings = JSON.parse(row.settings) as QueueSettings;
    const q: QueueRecord = {
      id: row.id, account: row.account, region: row.region, name: row.name,
      arn: `arn:aws:sqs:${row.region}:${row.account}:${row.name}`,
      fifo: settings.FifoQueue === true,
      settings, tags: JSON.parse(row.tags) as Record<string, string>,
      created: row.created, modified: row.modified, purged: row.purged ?? undefined,
    };
    this.queues.set(key(q.account, q.region, q.name), q);
    this.byId.set(q.id, q);
    return q;
  }

  /** Runs `fn` in a transaction (a savepoint when nested): all of its writes commit, or none. */
  atomically<T>(fn: () => T): T {
    return this.tx(fn) as T;
  }

  /** The queue of that name, if any. */
  get(account: string, region: string, name: string): QueueRecord | undefined {
    return this.queues.get(key(account, region, name));
  }

  /** A queue by id (still existing), for long-poll wake-ups. */
  getById(id: number): QueueRecord | undefined {
    return this.byId.get(id);
  }

  /** The queues of an account and region, by name. */
  list(account: string, region: string): QueueRecord[] {
    const out: QueueRecord[] = [];
    for (const q of this.queues.values()) if (q.account === account && q.region === region) out.push(q);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The queues of an account and region whose RedrivePolicy targets `arn`. */
  deadLetterSources(account: string, region: string, arn: string): QueueRecord[] {
    return this.list(account, region).filter((q) => q.settings.RedrivePolicy?.deadLetterTargetArn === arn);
  }

  /** Creates a queue. */
  create(account: string, region: string, name: string, settings: QueueSettings, tags: Record<string, string>, now: number): QueueRecord {
    const r = this.stmt.insertQueue.run(account, region, name, JSON.stringify(settings), JSON.stringify(tags), now, now);
    return this.cache({ id: Number(r.lastInsertRowid), account, region, name, settings: JSON.stringify(settings), tags: JSON.stringify(tags), created: now, modified: now, purged: null });
  }

  /** Writes a queue's settings, tags and purge time. */
  save(q: QueueRecord): void {
    this.stmt.updateQueue.run(JSON.stringify(q.settings), JSON.stringify(q.tags), q.modified, q.purged ?? null, q.id);
  }

  /** Deletes a queue with its messages. */
  delete(q: QueueRecord): void {
    this.atomically(() => {
      this.stmt.deleteQueueMessages.run(q.id);
      this.stmt.deleteQueueDedup.run(q.id);
      this.stmt.deleteQueue.run(q.id);
    });
    this.queues.delete(key(q.account, q.region, q.name));
    this.byId.delete(q.id);
  }

  /** Deletes every message of a queue and records the purge. */
  purge(q: QueueRecord, now: number): void {
    this.atomically(() => {
      this.stmt.deleteQueueMessages.run(q.id);
      q.purged = now;
      this.save(q);
    });
  }

  /** Inserts a message; returns its sequence (row id). */
  insert(queueId: number, m: NewMessage): number {
    // Positional parameters: binding by name costs a property lookup per column on the hot path.
    return Number(this.stmt.insertMessage.run(queueId, m.message_id, m.body, m.md5_body, m.attributes, m.md5_attributes, m.sender_id, m.trace_header, m.group_id, m.dedup_id, m.source_arn, m.sent, m.visible_at, m.receive_count, m.first_receive).lastInsertRowid);
  }

  /**
   * Up to `limit` receivable messages in the order a receive takes them. FIFO: groups
   * in the order of their oldest receivable message, each group's messages in order,
   * as many of one group as possible first (SQS Developer Guide, "FIFO queue logic").
   */
  receivable(q: QueueRecord, now: number, limit: number): MessageRow[] {
    if (!q.fifo) return this.stmt.visible.all(q.id, now, limit) as MessageRow[];
    const candidates = this.stmt.visibleFifo.all({ queue: q.id, now, limit }) as MessageRow[];
    const out: MessageRow[] = [];
    const groups = new Set<string>();
    for (const c of candidates) {
      if (out.length >= limit) break;
      if (c.group_id === null || groups.has(c.group_id)) continue;
      groups.add(c.group_id);
      for (const row of this.stmt.groupVisible.all(q.id, c.group_id, now, limit - out.length) as MessageRow[]) out.push(row);
    }
    return out;
  }

  /** Marks a message received: hidden until `visibleAt`, with a new receipt token. */
  markReceived(seq: number, visibleAt: number, now: number, receipt: string): void {
    this.stmt.markReceived.run(visibleAt, now, receipt, seq);
  }

  /** A message of a queue by sequence. */
  message(queueId: number, seq: number): MessageRow | undefined {
    return this.stmt.bySeq.get(seq, queueId) as MessageRow | undefined;
  }

  deleteMessage(seq: number): void {
    this.stmt.deleteMessage.run(seq);
  }

  /** Deletes a message of a queue by sequence, if it is still there (one statement, no read first). */
  deleteOf(queueId: number, seq: number): void {
    this.stmt.deleteOf.run(seq, queueId);
  }

  setVisibility(seq: number, visibleAt: number): void {
    this.stmt.setVisibility.run(visibleAt, seq);
  }

  /** Deletes messages sent before `before` (retention expiry). */
  expire(queueId: number, before: number): void {
    this.stmt.expire.run(queueId, before);
  }

  /** When the next hidden or delayed message of a queue becomes visible, if any. */
  nextVisible(queueId: number, now: number): number | undefined {
    const row = this.stmt.nextVisible.get(queueId, now) as { t: number | null };
    return row.t ?? undefined;
  }

  /** ApproximateNumberOfMessages, ...NotVisible and ...Delayed. */
  counts(queueId: number, now: number): { visible: number; notVisible: number; delayed: number } {
    return {
      visible: (this.stmt.countVisible.get(queueId, now) as { n: number }).n,
      notVisible: (this.stmt.countNotVisible.get(queueId, now) as { n: number }).n,
      delayed: (this.stmt.countDelayed.get(queueId, now) as { n: number }).n,
    };
  }

  /** Up to `limit` visible messages of a queue with sequence up to `maxSeq`, oldest first. */
  movable(queueId: number, maxSeq: number, now: number, limit: number): MessageRow[] {
    return this.stmt.movable.all(queueId, maxSeq, now, limit) as MessageRow[];
  }

  /** The highest sequence and the number of messages of a queue. */
  extent(queueId: number): { maxSeq: number; count: number } {
    const row = this.stmt.maxSeq.get(queueId) as { s: number | null; n: number };
    return { maxSeq: row.s ?? 0, count: row.n };
  }

  insertTask(t: MoveTaskRow): void {
    this.stmt.insertTask.run(t);
  }

  updateTask(t: MoveTaskRow): void {
    this.stmt.updateTask.run(t.status, t.moved, t.failure, t.handle);
  }

  /** The most recent tasks of a source queue, newest first. */
  tasksOf(sourceArn: string, limit: number): MoveTaskRow[] {
    return this.stmt.tasksOf.all(sourceArn, limit) as MoveTaskRow[];
  }

  task(handle: string): MoveTaskRow | undefined {
    return this.stmt.task.get(handle) as MoveTaskRow | undefined;
  }

  /** Tasks that were running (or being cancelled) when nimbus last stopped. */
  runningTasks(): MoveTaskRow[] {
    return this.stmt.runningTasks.all() as MoveTaskRow[];
  }

  /** The message a FIFO deduplication id already stands for, if still within its interval. */
  findDuplicate(queueId: number, scope: string, dedupId: string, now: number): { message_id: string; seq: number } | undefined {
    const row = this.stmt.findDedup.get(queueId, scope, dedupId) as { message_id: string; seq: number; expires: number } | undefined;
    return row && row.expires > now ? row : undefined;
  }

  recordDuplicate(queueId: number, scope: string, dedupId: string, messageId: string, seq: number, expires: number): void {
    this.stmt.putDedup.run(queueId, scope, dedupId, messageId, seq, expires);
  }

  expireDuplicates(queueId: number, now: number): void {
    this.stmt.expireDedup.run(queueId, now);
  }
}
