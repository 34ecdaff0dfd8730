/**
 * The lifecycle sweeper: applies each bucket's enabled lifecycle rules at a point in time.
 * Current versions past their Expiration go (unversioned buckets) or get a delete marker
 * (versioned buckets); noncurrent versions past NoncurrentDays, counted from when they
 * became noncurrent (their successor's creation), are deleted beyond the newest
 * NewerNoncurrentVersions; expired object delete markers (no noncurrent versions left)
 * are removed; incomplete multipart uploads are aborted. Object Lock protects versions
 * from the sweeper as from users. Time comes from the shared clock, or is given
 * (GET /_nimbus/s3/lifecycle/sweep?at=...), so tests never wait for days.
 */
import type { Statement } from 'better-sqlite3';
import type { ServiceEnv } from '../../gateway/context.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { periodic, type Periodic } from '../../shared/periodic.js';
import type { LifecycleRule } from '../../models/generated/s3.js';
import type { BucketRow, ObjectRow, S3Store } from './store.js';
import { decodeTags } from './tagging.js';
import { versionIdFor } from './versions.js';
import { currentExpiry, dueAfterDays, ruleMatches, rulePrefix } from './lifecycle.js';
import { LIFECYCLE, lifecycleRules } from './operations/lifecycle-ops.js';
import { forgetOverwrittenVersion, forgetUploadState, forgetVersionState, isProtected, locksOf } from './object-lock.js';
import { notifyLifecycleExpiration } from './notification-delivery.js';

/** How often the sweeper runs on its own. */
const TICK_MS = 60_000;
/** Rows read per page of a bucket's walk. */
const PAGE = 500;
/** The object columns, in one order for both version tables. */
const COLUMNS = 'bucket, key, blob, size, etag, modified, content_type, cache_control, content_disposition, content_encoding, content_language, expires, website_redirect, storage_class, metadata, checksum_algorithm, checksum_value, checksum_type, parts_count, version_id, delete_marker, seq, tags';

/** What one sweep did. */
export interface SweepReport {
  expired: number;
  deleteMarkersCreated: number;
  noncurrentDeleted: number;
  deleteMarkersRemoved: number;
  uploadsAborted: number;
}

/** A lifecycle deletion, for S3 event notifications (LifecycleExpiration:Delete / DeleteMarkerCreated). */
export interface LifecycleEvent {
  bucket: BucketRow;
  event: 'LifecycleExpiration:Delete' | 'LifecycleExpiration:DeleteMarkerCreated';
  row: ObjectRow;
  time: number;
}

interface VersionRow extends ObjectRow {
  latest: number;
}

/** The lifecycle sweeper of one S3 store. */
export class LifecycleSweeper {
  private readonly timer: Periodic;
  private readonly s: {
    configured: Statement<[string], { bucket: string }>;
    versionsPage: Statement<[{ bucket: string; after: string }], VersionRow>;
    uploads: Statement<[string], { upload_id: string; key: string; initiated: number }>;
  };

  constructor(
    private readonly store: S3Store,
    private readonly clock: Clock,
    logger: Logger,
    /** Called for each expiration, once its transaction committed. */
    private readonly onEvent?: (e: LifecycleEvent) => void,
  ) {
    // The lock tables are created here, with the service, rather than inside a first request's transaction.
    locksOf(store);
    const db = store.storage.db;
    this.timer = periodic(TICK_MS, () => this.sweep(this.clock.now()), { alive: () => db.open, logger, failure: 's3 lifecycle sweep failed' });
    this.s = {
      configured: db.prepare('SELECT bucket FROM s3_bucket_config WHERE kind = ? ORDER BY bucket'),
      // Every version of the keys of one page, current first then newest first; the page ends on a key boundary.
      versionsPage: db.prepare(`SELECT * FROM (
          SELECT ${COLUMNS}, 1 AS latest FROM s3_objects WHERE bucket = @bucket AND key > @after
          UNION ALL
          SELECT ${COLUMNS}, 0 AS latest FROM s3_versions WHERE bucket = @bucket AND key > @after)
        WHERE key IN (SELECT key FROM (
          SELECT key FROM s3_objects WHERE bucket = @bucket AND key > @after
          UNION SELECT key FROM s3_versions WHERE bucket = @bucket AND key > @after) ORDER BY key LIMIT ${PAGE})
        ORDER BY key, latest DESC, seq DESC`),
      uploads: db.prepare('SELECT upload_id, key, initiated FROM s3_uploads WHERE bucket = ? ORDER BY key, upload_id'),
    };
  }

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  /** The sweeper's clock time. */
  now(): number {
    return this.clock.now();
  }

  /** Applies every bucket's rules (or one bucket's) as of `now` (epoch ms). */
  sweep(now: number, only?: string): SweepReport {
    const report: SweepReport = { expired: 0, deleteMarkersCreated: 0, noncurrentDeleted: 0, deleteMarkersRemoved: 0, uploadsAborted: 0 };
    for (const { bucket } of this.s.configured.all(LIFECYCLE)) {
      if (only !== undefined && bucket !== only) continue;
      const b = this.store.bucket(bucket);
      const rules = lifecycleRules(this.store, bucket)?.filter((r) => r.Status === 'Enabled');
      if (!b || !rules || rules.length === 0) continue;
      this.sweepObjects(b, rules, now, report);
      this.sweepUploads(b, rules, now, report);
    }
    return report;
  }

  private sweepObjects(bucket: BucketRow, rules: LifecycleRule[], now: number, report: SweepReport): void {
    let after = '';
    for (;;) {
      const rows = this.s.versionsPage.all({ bucket: bucket.name, after });
      if (rows.length === 0) return;
      let i = 0;
      while (i < rows.length) {
        let j = i;
        while (j < rows.length && rows[j]!.key === rows[i]!.key) j++;
        this.sweepKey(bucket, rules, rows.slice(i, j), now, report);
        i = j;
      }
      after = rows[rows.length - 1]!.key;
    }
  }

  /** One key's versions: current (if any) first, then noncurrent newest first. */
  private sweepKey(bucket: BucketRow, rules: LifecycleRule[], versions: VersionRow[], now: number, report: SweepReport): void {
    const current = versions[0]!.latest === 1 ? versions[0]! : undefined;
    const noncurrent = current ? versions.slice(1) : versions;
    const events: LifecycleEvent[] = [];
    const released: string[] = [];
    this.store.storage.db.transaction(() => {
      // Noncurrent versions: each became noncurrent when its successor was created.
      const doomed = new Set<VersionRow>();
      for (const rule of rules) {
        const nc = rule.NoncurrentVersionExpiration;
        if (!nc?.NoncurrentDays) continue;
        const keep = nc.NewerNoncurrentVersions ?? 0;
        let rank = 0;
        for (let k = 0; k < noncurrent.length; k++) {
          const v = noncurrent[k]!;
          const successor = k === 0 ? current : noncurrent[k - 1];
          const since = successor?.modified ?? v.modified;
          if (!ruleMatches(rule, { key: v.key, size: v.size, tags: decodeTags(v.tags) })) continue;
          rank++;
          if (rank <= keep || dueAfterDays(since, nc.NoncurrentDays) > now) continue;
          doomed.add(v);
        }
      }
      const locks = locksOf(this.store);
      for (const v of doomed) {
        const lock = locks.get(bucket.name, v.key, v.version_id);
        if (isProtected(lock, now, false)) continue;
        const row = this.store.deleteVersion(bucket.name, v.key, v.version_id);
        if (row) {
          forgetVersionState(this.store, bucket.name, row);
          released.push(row.blob);
          report.noncurrentDeleted++;
          events.push({ bucket, event: 'LifecycleExpiration:Delete', row, time: now });
        }
      }
      const left = noncurrent.length - doomed.size;
      if (!current) return;
      if (current.delete_marker) {
        // An expired object delete marker: the only version left of its key.
        if (left === 0 && rules.some((r) => r.Expiration?.ExpiredObjectDeleteMarker === true && current.key.startsWith(rulePrefix(r)))) {
          this.store.deleteVersion(bucket.name, current.key, current.version_id);
          forgetVersionState(this.store, bucket.name, current);
          report.deleteMarkersRemoved++;
          events.push({ bucket, event: 'LifecycleExpiration:Delete', row: current, time: now });
        }
        return;
      }
      const due = currentExpiry(rules, { key: current.key, size: current.size, tags: decodeTags(current.tags) }, current.modified);
      if (!due || due.at > now) return;
      if (bucket.versioning === null) {
        forgetVersionState(this.store, bucket.name, current);
        const blob = this.store.deleteObject(bucket.name, current.key);
        if (blob) released.push(blob);
        report.expired++;
        events.push({ bucket, event: 'LifecycleExpiration:Delete', row: current, time: now });
        return;
      }
      const marker: ObjectRow = {
        bucket: bucket.name, key: current.key, blob: '', size: 0, etag: '', modified: now,
        content_type: null, cache_control: null, content_disposition: null, content_encoding: null, content_language: null,
        expires: null, website_redirect: null, storage_class: null, metadata: null,
        checksum_algorithm: null, checksum_value: null, checksum_type: null, parts_count: null,
        version_id: versionIdFor(bucket), delete_marker: 1, seq: this.store.newSeq(), tags: null,
      };
      forgetOverwrittenVersion(this.store, bucket.name, marker.key, marker.version_id);
      released.push(...this.store.putObject(marker));
      report.expired++;
      report.deleteMarkersCreated++;
      events.push({ bucket, event: 'LifecycleExpiration:DeleteMarkerCreated', row: marker, time: now });
    })();
    this.store.dropBlobs(released);
    if (this.onEvent) for (const e of events) this.onEvent(e);
  }

  private sweepUploads(bucket: BucketRow, rules: LifecycleRule[], now: number, report: SweepReport): void {
    const abortRules = rules.filter((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined);
    if (abortRules.length === 0) return;
    for (const u of this.s.uploads.all(bucket.name)) {
      const due = abortRules.some((r) => u.key.startsWith(rulePrefix(r)) && dueAfterDays(u.initiated, r.AbortIncompleteMultipartUpload!.DaysAfterInitiation!) <= now);
      if (!due) continue;
      const blobs = this.store.storage.db.transaction(() => {
        forgetUploadState(this.store, u.upload_id);
        return this.store.deleteUpload(u.upload_id);
      })();
      this.store.dropBlobs(blobs);
      report.uploadsAborted++;
    }
  }
}

/** The running sweepers, one per S3 store (one per nimbus instance in this process). */
const sweepers = new Map<S3Store, LifecycleSweeper>();

/** Creates and starts the sweeper of a store; its expirations are notified as S3 events. */
export function startLifecycleSweeper(store: S3Store, env: ServiceEnv): LifecycleSweeper {
  const notify = (e: LifecycleEvent) => notifyLifecycleExpiration(store, env, e.event, e.bucket, e.row.key, e.row.version_id, e.time);
  const s = new LifecycleSweeper(store, env.clock, env.logger, notify);
  s.start();
  sweepers.set(store, s);
  return s;
}

/** Stops every sweeper (nimbus stopping). */
export function stopLifecycleSweepers(): void {
  for (const s of sweepers.values()) s.stop();
  sweepers.clear();
}

/**
 * GET /_nimbus/s3/lifecycle/sweep[?at=<ISO 8601 or epoch ms>][&bucket=<name>]: runs a sweep
 * now, or as of the time given, of every bucket or the one named, and answers what it did;
 * lets tests and users see lifecycle rules act without waiting for days.
 */
export function sweepRoute(store: S3Store, query: Readonly<Record<string, readonly string[]>>): { status: number; contentType: string; body: string } {
  const s = sweepers.get(store);
  if (!s) return { status: 503, contentType: 'application/json', body: JSON.stringify({ message: 'the lifecycle sweeper is not running' }) };
  const at = query.at?.[0];
  let now = Date.now();
  if (at !== undefined) {
    now = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (Number.isNaN(now)) return { status: 400, contentType: 'application/json', body: JSON.stringify({ message: `at: not a time: ${at}` }) };
  } else {
    now = s.now();
  }
  return { status: 200, contentType: 'application/json', body: JSON.stringify(s.sweep(now, query.bucket?.[0])) };
}
