/**
 * S3 Object Lock (user guide, "Locking objects with Object Lock"): a bucket's lock
 * configuration with its default retention, and per-version retention (GOVERNANCE or
 * COMPLIANCE until a date) and legal hold. A protected version cannot be deleted for
 * good; a delete without a version id still adds a delete marker.
 */
import type { Statement } from 'better-sqlite3';
import { ServiceError } from '../../shared/errors.js';
import type { ObjectLockConfiguration } from '../../models/generated/s3.js';
import { NULL_VERSION, type S3Store } from './store.js';
import { forgetBucketGrants, forgetObjectGrants, forgetUploadGrants, objectGrantsMayExist } from './operations/acl-ops.js';

/** The s3_bucket_config kind of a bucket's lock configuration. */
const KIND = 'object-lock';
const DAY_MS = 86_400_000;
const MODES: ReadonlySet<string> = new Set(['GOVERNANCE', 'COMPLIANCE']);

/** The lock state of one version; legal_hold is null until first set. */
export interface LockRow {
  mode: string | null;
  retain_until: number | null;
  legal_hold: string | null;
}

/** The lock members of a write (PutObject, CopyObject, CreateMultipartUpload). */
export interface LockRequest {
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

/** The lock members GetObject and HeadObject answer with. */
export interface LockOutput {
  ObjectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: 'ON' | 'OFF';
}

const SCHEMA = [
  `CREATE TABLE s3_object_locks (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    mode TEXT,
    retain_until INTEGER,
    legal_hold TEXT,
    PRIMARY KEY (bucket, key, version_id)
  ) WITHOUT ROWID`,
  // Lock settings a multipart upload asked for, applied to the object it completes into.
  `CREATE TABLE s3_upload_locks (
    upload_id TEXT PRIMARY KEY,
    mode TEXT,
    retain_until INTEGER,
    legal_hold TEXT
  ) WITHOUT ROWID`,
];

/** Prepared statements over the lock tables of one S3 store. */
export class ObjectLocks {
  private readonly s: {
    get: Statement<[string, string, string], LockRow>;
    put: Statement<[string, string, string, string | null, number | null, string | null]>;
    delete: Statement<[string, string, string]>;
    getUpload: Statement<[string], LockRow>;
    putUpload: Statement<[string, string | null, number | null, string | null]>;
    deleteUpload: Statement<[string]>;
    deleteBucket: Statement<[string]>;
    deleteBucketUploads: Statement<[string]>;
  };
  /** Parsed lock configurations by their stored text, so reads do not parse JSON again. */
  private readonly parsed = new Map<string, ObjectLockConfiguration>();
  /**
   * The buckets that may have Object Lock (a superset: names stay after a bucket is deleted),
   * so that writes and reads elsewhere skip the lookups.
   */
  private readonly lockBuckets: Set<string>;

  constructor(readonly store: S3Store) {
    store.storage.migrate('s3-object-lock', SCHEMA);
    const db = store.storage.db;
    this.s = {
      get: db.prepare('SELECT mode, retain_until, legal_hold FROM s3_object_locks WHERE bucket = ? AND key = ? AND version_id = ?'),
      put: db.prepare('INSERT OR REPLACE INTO s3_object_locks (bucket, key, version_id, mode, retain_until, legal_hold) VALUES (?, ?, ?, ?, ?, ?)'),
      delete: db.prepare('DELETE FROM s3_object_locks WHERE bucket = ? AND key = ? AND version_id = ?'),
      getUpload: db.prepare('SELECT mode, retain_until, legal_hold FROM s3_upload_locks WHERE upload_id = ?'),
      putUpload: db.prepare('INSERT OR REPLACE INTO s3_upload_locks (upload_id, mode, retain_until, legal_hold) VALUES (?, ?, ?, ?)'),
      deleteUpload: db.prepare('DELETE FROM s3_upload_locks WHERE upload_id = ?'),
      deleteBucket: db.prepare('DELETE FROM s3_object_locks WHERE bucket = ?'),
      deleteBucketUploads: db.prepare('DELETE FROM s3_upload_locks WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = ?)'),
    };
    const rows = db.prepare('SELECT bucket FROM s3_bucket_config WHERE kind = ?').all(KIND) as { bucket: string }[];
    this.lockBuckets = new Set(rows.map((r) => r.bucket));
  }

  /** Whether the bucket may have Object Lock (false: it certainly has not). */
  mayHaveLock(bucket: string): boolean { return this.lockBuckets.has(bucket); }

  /** The bucket's lock configuration, undefined when Object Lock is not enabled on it. */
  config(bucket: string): ObjectLockConfiguration | undefined {
    if (!this.lockBuckets.has(bucket)) return undefined;
    const text = this.store.config(bucket, KIND);
    if (text === undefined) return undefined;
    let c = this.parsed.get(text);
    if (!c) {
      c = JSON.parse(text) as ObjectLockConfiguration;
      if (this.parsed.size > 1000) this.parsed.clear();
      this.parsed.set(text, c);
    }
    return c;
  }

  putConfig(bucket: string, config: ObjectLockConfiguration): void {
    this.lockBuckets.add(bucket);
    this.store.putConfig(bucket, KIND, JSON.stringify(config));
  }

  get(bucket: string, key: string, versionId: string): LockRow | undefined { return this.s.get.get(bucket, key, versionId); }

  set(bucket: string, key: string, versionId: string, row: LockRow): void {
    if (row.mode === null && row.legal_hold === null) this.s.delete.run(bucket, key, versionId);
    else this.s.put.run(bucket, key, versionId, row.mode, row.retain_until, row.legal_hold);
  }

  /** Forgets a version's lock state (the version is gone). */
  forget(bucket: string, key: string, versionId: string): void { this.s.delete.run(bucket, key, versionId); }

  upload(uploadId: string): LockRow | undefined { return this.s.getUpload.get(uploadId); }
  setUpload(uploadId: string, row: LockRow): void { this.s.putUpload.run(uploadId, row.mode, row.retain_until, row.legal_hold); }
  forgetUpload(uploadId: string): void { this.s.deleteUpload.run(uploadId); }

  /** Drops the lock state of a bucket's versions and uploads (before the bucket and its uploads go). */
  forgetBucket(bucket: string): void {
    this.s.deleteBucket.run(bucket);
    this.s.deleteBucketUploads.run(bucket);
  }
}

const instances = new WeakMap<S3Store, ObjectLocks>();

/** The lock tables of a store (created on first use). */
export function locksOf(store: S3Store): ObjectLocks {
  let l = instances.get(store);
  if (!l) {
    l = new ObjectLocks(store);
    instances.set(store, l);
  }
  return l;
}

/** 400 InvalidRequest for lock operations on a bucket without Object Lock. */
export function missingLockConfiguration(): ServiceError {
  return new ServiceError('InvalidRequest', 'Bucket is missing Object Lock Configuration', { status: 400 });
}

/** 403 AccessDenied for a change a lock forbids. */
export function protectedByLock(): ServiceError {
  return new ServiceError('AccessDenied', 'Access Denied because object protected by object lock.', { status: 403 });
}

/** 400 InvalidArgument for a retain-until date not in the future. */
export function retainDateInPast(): ServiceError {
  return new ServiceError('InvalidArgument', 'The retain until date must be in the future!', { status: 400 });
}

/** CreateBucket with x-amz-bucket-object-lock-enabled: versioning on, lock enabled (inside the creating transaction). */
export function enableObjectLockOnCreate(store: S3Store, bucket: string): void {
  store.setVersioning(bucket, 'Enabled');
  locksOf(store).putConfig(bucket, { ObjectLockEnabled: 'Enabled' });
}

/** PutBucketVersioning: a bucket with Object Lock cannot have versioning suspended. */
export function checkVersioningChange(store: S3Store, bucket: string, status: string): void {
  if (status === 'Suspended' && locksOf(store).config(bucket) !== undefined) {
    throw new ServiceError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', { status: 409, fields: { BucketName: bucket } });
  }
}

/** Whether a write names any lock setting. */
function asksForLock(r: LockRequest): boolean {
  return r.ObjectLockMode !== undefined || r.ObjectLockRetainUntilDate !== undefined || r.ObjectLockLegalHoldStatus !== undefined;
}

/**
 * The lock a new version gets, from the write's headers or else the bucket's default retention;
 * throws S3's error for lock headers a bucket without Object Lock refuses, or incomplete ones.
 * `integrity`: whether the write carries Content-MD5 or a checksum (undefined: not checked).
 */
export function lockForWrite(store: S3Store, bucket: string, r: LockRequest, now: number, integrity?: boolean): LockRow | undefined {
  const asked = asksForLock(r);
  const config = locksOf(store).config(bucket);
  if (!config) {
    // PutObject, CopyObject and CreateMultipartUpload spell the configuration as one word.
    if (asked) throw new ServiceError('InvalidRequest', 'Bucket is missing ObjectLockConfiguration', { status: 400 });
    return undefined;
  }
  if ((r.ObjectLockMode === undefined) !== (r.ObjectLockRetainUntilDate === undefined)) {
    throw new ServiceError('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', { status: 400 });
  }
  if (r.ObjectLockMode !== undefined && !MODES.has(r.ObjectLockMode)) {
    throw new ServiceError('InvalidArgument', 'Unknown wormMode directive.', { status: 400, fields: { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: r.ObjectLockMode } });
  }
  if (r.ObjectLockRetainUntilDate !== undefined && r.ObjectLockRetainUntilDate.getTime() <= now) throw retainDateInPast();
  if (r.ObjectLockLegalHoldStatus !== undefined && r.ObjectLockLegalHoldStatus !== 'ON' && r.ObjectLockLegalHoldStatus !== 'OFF') {
    throw new ServiceError('InvalidArgument', "Legal Hold must be either of 'ON' or 'OFF'", { status: 400 });
  }
  const retention = config.Rule?.DefaultRetention;
  const lock: LockRow = { mode: null, retain_until: null, legal_hold: r.ObjectLockLegalHoldStatus ?? null };
  if (r.ObjectLockMode !== undefined) {
    lock.mode = r.ObjectLockMode;
    lock.retain_until = r.ObjectLockRetainUntilDate!.getTime();
  } else if (retention?.Mode !== undefined) {
    lock.mode = retention.Mode;
    lock.retain_until = defaultRetainUntil(now, retention.Days, retention.Years);
  }
  if (lock.mode === null && lock.legal_hold === null) return undefined;
  // PutObject API reference: uploads with a retention period need Content-MD5 or a checksum.
  if (integrity === false) {
    throw new ServiceError('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters', { status: 400 });
  }
  return lock;
}

/** The retain-until date of a default retention of Days or Years from `now`. */
export function defaultRetainUntil(now: number, days: number | undefined, years: number | undefined): number {
  if (days !== undefined) return now + days * DAY_MS;
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() + (years ?? 0));
  return d.getTime();
}

/** Records a new version's lock (inside the writing transaction). */
export function applyLock(store: S3Store, bucket: string, key: string, versionId: string, lock: LockRow | undefined): void {
  if (lock) locksOf(store).set(bucket, key, versionId, lock);
}

/** The lock members of a read of one version. */
export function lockOutput(store: S3Store, bucket: string, key: string, versionId: string): LockOutput {
  const out: LockOutput = {};
  const locks = locksOf(store);
  if (!locks.mayHaveLock(bucket)) return out;
  const row = locks.get(bucket, key, versionId);
  if (!row) return out;
  if (row.mode !== null) {
    out.ObjectLockMode = row.mode as LockOutput['ObjectLockMode'];
    out.ObjectLockRetainUntilDate = new Date(row.retain_until!);
  }
  if (row.legal_hold !== null) out.ObjectLockLegalHoldStatus = row.legal_hold as LockOutput['ObjectLockLegalHoldStatus'];
  return out;
}

/** Whether a lock forbids deleting its version now: a legal hold, COMPLIANCE retention, or GOVERNANCE retention without bypass. */
export function isProtected(row: LockRow | undefined, now: number, bypassGovernance: boolean): boolean {
  if (!row) return false;
  if (row.legal_hold === 'ON') return true;
  if (row.mode === null || row.retain_until === null || row.retain_until <= now) return false;
  return row.mode === 'COMPLIANCE' || !bypassGovernance;
}

/**
 * Before a version is deleted for good (inside the deleting transaction): 403 when its
 * lock protects it; otherwise its lock state goes with it.
 */
export function checkVersionDelete(store: S3Store, bucket: string, key: string, versionId: string, now: number, bypassGovernance: boolean): void {
  const locks = locksOf(store);
  const row = locks.get(bucket, key, versionId);
  if (!row) return;
  if (isProtected(row, now, bypassGovernance)) throw protectedByLock();
  locks.forget(bucket, key, versionId);
}

/**
 * The lock of the object a multipart upload completes into (inside the completing
 * transaction): what CreateMultipartUpload asked for, else the bucket's default retention now.
 */
export function lockForCompletion(store: S3Store, bucket: string, uploadId: string, now: number): LockRow | undefined {
  const locks = locksOf(store);
  const asked = locks.upload(uploadId);
  if (asked) locks.forgetUpload(uploadId);
  const lock: LockRow = { mode: asked?.mode ?? null, retain_until: asked?.retain_until ?? null, legal_hold: asked?.legal_hold ?? null };
  const retention = lock.mode === null ? locks.config(bucket)?.Rule?.DefaultRetention : undefined;
  if (retention?.Mode !== undefined) {
    lock.mode = retention.Mode;
    lock.retain_until = defaultRetainUntil(now, retention.Days, retention.Years);
  }
  return lock.mode === null && lock.legal_hold === null ? undefined : lock;
}

/** The identity of one version: its key, version id and creation sequence number. */
export interface VersionIdentity {
  key: string;
  version_id: string;
  seq: number;
}

/**
 * A version is gone for good (inside the deleting transaction): its lock state and its
 * grants go with it, so that nothing of it outlives it or applies to a later version.
 */
export function forgetVersionState(store: S3Store, bucket: string, v: VersionIdentity): void {
  const locks = locksOf(store);
  if (locks.mayHaveLock(bucket)) locks.forget(bucket, v.key, v.version_id);
  forgetObjectGrants(store, bucket, v.seq);
}

/**
 * Before a write makes `versionId` a key's current version (inside the writing
 * transaction): a null version replaces the key's null version, which is gone for good.
 */
export function forgetOverwrittenVersion(store: S3Store, bucket: string, key: string, versionId: string): void {
  if (versionId !== NULL_VERSION) return;
  if (!objectGrantsMayExist(store, bucket) && !locksOf(store).mayHaveLock(bucket)) return;
  const old = store.version(bucket, key, NULL_VERSION);
  if (old) forgetVersionState(store, bucket, old);
}

/** An upload is aborted (inside the aborting transaction): its requested lock and grants go. */
export function forgetUploadState(store: S3Store, uploadId: string): void {
  locksOf(store).forgetUpload(uploadId);
  forgetUploadGrants(store, uploadId);
}

/** A bucket is deleted (inside the deleting transaction, before its uploads go): all lock and grant rows of its versions and uploads go. */
export function forgetBucketState(store: S3Store, bucket: string): void {
  locksOf(store).forgetBucket(bucket);
  forgetBucketGrants(store, bucket);
}
