/**
 * Time to Live: a background sweeper deleting items whose TTL attribute (a Number of
 * epoch seconds) lies in the past, a bounded batch per table per tick, each deletion
 * written with its REMOVE stream record (identity: the DynamoDB service). Expired items
 * stay readable until swept, as in DynamoDB. The same tick trims stream records past
 * their 24-hour retention.
 */
import type { Logger } from '../../shared/logger.js';
import { periodic, type Periodic } from '../../shared/periodic.js';
import { deserializeItem } from './item-codec.js';
import { writeItem } from './writes.js';
import type { Item } from './expressions/index.js';
import type { DynamoStore, ItemRow, StoredTable } from './store.js';

/** How often the sweeper runs. */
const TICK_MS = 1000;
/** Items examined per table per tick. */
const ROWS_PER_TICK = 1000;
/** DynamoDB ignores TTL values more than five years in the past (developer guide, "Time to Live"). */
const FIVE_YEARS_MS = 5 * 365 * 24 * 60 * 60 * 1000;
const START = { hh: -1, hk: Buffer.alloc(0), rk: Buffer.alloc(0) };

/** The TTL sweeper of one DynamoDB store. */
export class TtlSweeper {
  private readonly timer: Periodic;
  /** Where the walk of each table stopped (keys in scan order), so large tables are covered over several ticks. */
  private readonly cursors = new Map<number, { hh: number; hk: Buffer; rk: Buffer }>();

  constructor(private readonly store: DynamoStore, logger: Logger) {
    this.timer = periodic(TICK_MS, () => this.tick(), { alive: () => store.db.open, logger, failure: 'dynamodb ttl sweep failed' });
  }

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  /** One pass: a batch of every TTL-enabled table, then stream retention. */
  tick(): void {
    const now = this.store.clock.now();
    for (const t of this.store.ttlTables()) this.sweepTable(t, now);
    this.store.streams.sweep(now);
  }

  private sweepTable(t: StoredTable, now: number): void {
    const tid = t.id;
    const attribute = t.meta.ttl!.attribute;
    const from = this.cursors.get(tid) ?? START;
    const rows = this.store.itemsAfter(tid, from, ROWS_PER_TICK);
    this.cursors.set(tid, rows.length < ROWS_PER_TICK ? START : rows[rows.length - 1]!);
    const expired: { row: ItemRow; item: Item }[] = [];
    for (const row of rows) {
      const item = deserializeItem(row.item);
      const v = item[attribute];
      if (!v || !('N' in v)) continue;
      const at = Number(v.N) * 1000;
      if (at < now && at >= now - FIVE_YEARS_MS) expired.push({ row, item });
    }
    if (!expired.length) return;
    this.store.transaction(() => {
      for (const { row, item } of expired) writeItem(this.store, t, { hh: row.hh, hk: row.hk, rk: row.rk }, item, row.size, undefined, undefined, 'ttl');
    });
  }
}
