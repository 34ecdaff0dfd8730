/**
 * S3's metadata in SQLite: buckets (names global across accounts), objects keyed
 * by (bucket, key) so that a listing page is a range scan of the primary key, and
 * multipart uploads with their parts. Bodies live in the blob store, referenced by id.
 */
import type { Statement } from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import { GroupCommit } from '../../state/group-commit.js';

/** A bucket row. */
export interface BucketRow {
  name: string;
  account: string;
  region: string;
  created: number;
  /** The versioning status: null until versioning is first configured, then 'Enabled' or 'Suspended'. */
  versioning: string | null;
}

/** The stored headers and metadata of an object (also of a multipart upload, to be applied on completion). */
export interface ObjectHeaders {
  content_type: string | null;
  cache_control: string | null;
  content_disposition: string | null;
  content_encoding: string | null;
  content_language: string | null;
  expires: string | null;
  website_redirect: string | null;
  storage_class: string | null;
  /** User metadata as JSON, null when none. */
  metadata: string | null;
}

/** An object row. */
export interface ObjectRow extends ObjectHeaders {
  bucket: string;
  key: string;
  blob: string;
  size: number;
  etag: string;
  modified: number;
  checksum_algorithm: string | null;
  checksum_value: string | null;
  checksum_type: string | null;
  parts_count: number | null;
  /** The version id; 'null' for the null version (unversioned and suspended buckets). */
  version_id: string;
  /** 1 for a delete marker (no blob, no body). */
  delete_marker: number;
  /** Creation order of versions across the store: newer versions have larger numbers. */
  seq: number;
  /** The object's tag set as JSON ([[key, value], ...]), null when none. */
  tags: string | null;
}

/** The columns a listing needs. */
export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  modified: number;
  storage_class: string | null;
  checksum_algorithm: string | null;
  checksum_type: string | null;
}

/** A multipart upload row. */
export interface UploadRow extends ObjectHeaders {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  account: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  /** The tags of the object to be (x-amz-tagging), as JSON. */
  tags: string | null;
}

/** A part row. */
export interface PartRow {
  upload_id: string;
  part_number: number;
  blob: string;
  size: number;
  etag: string;
  modified: number;
  checksum_value: string | null;
}

const SCHEMA = [
  `CREATE TABLE s3_buckets (
    name TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    created INTEGER NOT NULL
  ) WITHOUT ROWID`,
  `CREATE TABLE s3_objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    blob TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    modified INTEGER NOT NULL,
    content_type TEXT, cache_control TEXT, content_disposition TEXT, content_encoding TEXT,
    content_language TEXT, expires TEXT, website_redirect TEXT, storage_class TEXT, metadata TEXT,
    checksum_algorithm TEXT, checksum_value TEXT, checksum_type TEXT, parts_count INTEGER,
    PRIMARY KEY (bucket, key)
  ) WITHOUT ROWID`,
  `CREATE TABLE s3_uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    initiated INTEGER NOT NULL,
    account TEXT NOT NULL,
    content_type TEXT, cache_control TEXT, content_disposition TEXT, content_encoding TEXT,
    content_language TEXT, expires TEXT, website_redirect TEXT, storage_class TEXT, metadata TEXT,
    checksum_algorithm TEXT, checksum_type TEXT
  )`,
  'CREATE INDEX s3_uploads_by_key ON s3_uploads (bucket, key, upload_id)',
  `CREATE TABLE s3_parts (
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    blob TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    modified INTEGER NOT NULL,
    checksum_value TEXT,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID`,
  // Versioning: s3_objects holds the current version of each key (a delete marker too);
  // s3_versions the noncurrent ones, newest first by seq.
  'ALTER TABLE s3_buckets ADD COLUMN versioning TEXT',
  "ALTER TABLE s3_objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null'",
  'ALTER TABLE s3_objects ADD COLUMN delete_marker INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE s3_objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE s3_objects ADD COLUMN tags TEXT',
  'ALTER TABLE s3_uploads ADD COLUMN tags TEXT',
  `CREATE TABLE s3_versions (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    delete_marker INTEGER NOT NULL,
    blob TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    modified INTEGER NOT NULL,
    content_type TEXT, cache_control TEXT, content_disposition TEXT, content_encoding TEXT,
    content_language TEXT, expires TEXT, website_redirect TEXT, storage_class TEXT, metadata TEXT,
    checksum_algorithm TEXT, checksum_value TEXT, checksum_type TEXT, parts_count INTEGER, tags TEXT,
    PRIMARY KEY (bucket, key, seq)
  ) WITHOUT ROWID`,
  'CREATE INDEX s3_versions_by_id ON s3_versions (bucket, key, version_id)',
  // Bucket subresources stored as documents (policy, CORS, tagging, encryption, ...), one row per kind.
  `CREATE TABLE s3_bucket_config (
    bucket TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (bucket, kind)
  ) WITHOUT ROWID`,
];

const HEADER_COLUMNS = 'content_type, cache_control, content_disposition, content_encoding, content_language, expires, website_redirect, storage_class, metadata';
const HEADER_PARAMS = '@content_type, @cache_control, @content_disposition, @content_encoding, @content_language, @expires, @website_redirect, @storage_class, @metadata';
const OBJECT_COLUMNS = `bucket, key, blob, size, etag, modified, ${HEADER_COLUMNS}, checksum_algorithm, checksum_value, checksum_type, parts_count, version_id, delete_marker, seq, tags`;

/**
 * Row values in OBJECT_COLUMNS order as an ObjectRow. Statements read rows as arrays
 * and this builds the object: better-sqlite3's own row objects (24 properties added one
 * by one) cost about three times the read itself.
 */
function objectRow(v: unknown[] | undefined): ObjectRow | undefined {
  if (v === undefined) return undefined;
  return {
    bucket: v[0] as string, key: v[1] as string, blob: v[2] as string, size: v[3] as number, etag: v[4] as string, modified: v[5] as number,
    content_type: v[6] as string | null, cache_control: v[7] as string | null, content_disposition: v[8] as string | null,
    content_encoding: v[9] as string | null, content_language: v[10] as string | null, expires: v[11] as string | null,
    website_redirect: v[12] as string | null, storage_class: v[13] as string | null, metadata: v[14] as string | null,
    checksum_algorithm: v[15] as string | null, checksum_value: v[16] as string | null, checksum_type: v[17] as string | null,
    parts_count: v[18] as number | null, version_id: v[19] as string, delete_marker: v[20] as number, seq: v[21] as number, tags: v[22] as string | null,
  };
}

/** A statement that reads rows as arrays of column values. */
function raw<P extends unknown[]>(statement: Statement<P, unknown>): Statement<P, unknown[]> {
  return statement.raw(true) as unknown as Statement<P, unknown[]>;
}

/** Bucket rows kept in memory at most (the cache starts over past this). */
const MAX_CACHED_BUCKETS = 10_000;
/** Current-version rows kept in memory at most (the cache starts over past this). */
const MAX_CACHED_OBJECTS = 10_000;

/** The version id of the null version. */
export const NULL_VERSION = 'null';

/** A row of ListObjectVersions' walk: a version of a key, current (latest = 1) or not. */
export interface VersionEntry extends ListedObject {
  version_id: string;
  delete_marker: number;
  seq: number;
  latest: number;
}

/** Where a versions walk resumes: after (key, latest, seq) in (key asc, latest desc, seq desc) order; latest = 2 starts at the key. */
export interface VersionCursor {
  key: string;
  latest: number;
  seq: number;
}

/** Prepared statements over S3's tables. */
export class S3Store {
  readonly storage: Storage;
  private readonly s: {
    bucket: Statement<[string], BucketRow>;
    insertBucket: Statement<[string, string, string, number]>;
    deleteBucket: Statement<[string]>;
    bucketsOf: Statement<[string], BucketRow>;
    anyObject: Statement<[string], { key: string }>;
    object: Statement<[string, string], unknown[]>;
    current: Statement<[string, string], unknown[]>;
    archiveCurrent: Statement<[string, string]>;
    upsertObject: Statement<unknown[]>;
    deleteObject: Statement<[string, string]>;
    listFrom: Statement<[string, string, number], unknown[]>;
    listAfter: Statement<[string, string, number], unknown[]>;
    upload: Statement<[string], UploadRow>;
    insertUpload: Statement<UploadRow>;
    deleteUpload: Statement<[string]>;
    uploadsOfBucket: Statement<[string], { upload_id: string }>;
    uploadsFrom: Statement<[{ bucket: string; key: string; uploadId: string; limit: number }], UploadRow>;
    part: Statement<[string, number], PartRow>;
    upsertPart: Statement<PartRow>;
    parts: Statement<[string], PartRow>;
    partsAfter: Statement<[string, number, number], PartRow>;
    deleteParts: Statement<[string]>;
    anyVersion: Statement<[string], { key: string }>;
    setVersioning: Statement<[string | null, string]>;
    noncurrent: Statement<[string, string, string], unknown[]>;
    newestNoncurrent: Statement<[string, string], unknown[]>;
    deleteVersion: Statement<[string, string, number]>;
    versionsFrom: Statement<[VersionCursor & { bucket: string; limit: number }], VersionEntry>;
    setTags: Statement<[string | null, string, string, string]>;
    setVersionTags: Statement<[string | null, string, string, string]>;
    config: Statement<[string, string], { value: string }>;
    putConfig: Statement<[string, string, string]>;
    deleteConfig: Statement<[string, string]>;
    deleteConfigs: Statement<[string]>;
    maxSeq: Statement<[], { seq: number | null }>;
  };
  private nextSeq: number;
  /** Runs a function in a transaction (a savepoint when one is open); the wrapper is built once, not per call. */
  readonly transaction: <T>(fn: () => T) => T;
  /**
   * Bucket rows by name, read on every request: filled only outside transactions (a row
   * seen inside one may yet be rolled back) and dropped on every write of a bucket row
   * and on reset, so it always agrees with the table.
   */
  private readonly buckets = new Map<string, BucketRow>();
  /**
   * Current-version rows by bucket then key, read by every GetObject and HeadObject: filled
   * only outside transactions like the bucket rows, and dropped on every write of the key
   * (all of which are this class's), so a row here is always the committed one.
   */
  private readonly objects = new Map<string, Map<string, ObjectRow>>();
  private cachedObjects = 0;
  /** Writes for the next group commit, in arrival order. */
  private readonly group: GroupCommit;

  constructor(storage: Storage) {
    this.storage = storage;
    storage.migrate('s3', SCHEMA);
    const db = storage.db;
    const listColumns = 'key, size, etag, modified, storage_class, checksum_algorithm, checksum_type';
    this.s = {
      bucket: db.prepare('SELECT * FROM s3_buckets WHERE name = ?'),
      insertBucket: db.prepare('INSERT INTO s3_buckets (name, account, region, created) VALUES (?, ?, ?, ?)'),
      deleteBucket: db.prepare('DELETE FROM s3_buckets WHERE name = ?'),
      bucketsOf: db.prepare('SELECT * FROM s3_buckets WHERE account = ? ORDER BY name'),
      anyObject: db.prepare('SELECT key FROM s3_objects WHERE bucket = ? LIMIT 1'),
      anyVersion: db.prepare('SELECT key FROM s3_versions WHERE bucket = ? LIMIT 1'),
      setVersioning: db.prepare('UPDATE s3_buckets SET versioning = ? WHERE name = ?'),
      noncurrent: raw(db.prepare(`SELECT ${OBJECT_COLUMNS} FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?`)),
      newestNoncurrent: raw(db.prepare(`SELECT ${OBJECT_COLUMNS} FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1`)),
      deleteVersion: db.prepare('DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND seq = ?'),
      versionsFrom: db.prepare(`SELECT * FROM (
          SELECT ${listColumns}, version_id, delete_marker, seq, 1 AS latest FROM s3_objects
            WHERE bucket = @bucket AND (key > @key OR (key = @key AND @latest = 2))
          UNION ALL
          SELECT ${listColumns}, version_id, delete_marker, seq, 0 AS latest FROM s3_versions
            WHERE bucket = @bucket AND (key > @key OR (key = @key AND (@latest >= 1 OR seq < @seq))))
        ORDER BY key, latest DESC, seq DESC LIMIT @limit`),
      setTags: db.prepare('UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ? AND version_id = ?'),
      setVersionTags: db.prepare('UPDATE s3_versions SET tags = ? WHERE bucket = ? AND key = ? AND version_id = ?'),
      config: db.prepare('SELECT value FROM s3_bucket_config WHERE bucket = ? AND kind = ?'),
      putConfig: db.prepare('INSERT OR REPLACE INTO s3_bucket_config (bucket, kind, value) VALUES (?, ?, ?)'),
      deleteConfig: db.prepare('DELETE FROM s3_bucket_config WHERE bucket = ? AND kind = ?'),
      deleteConfigs: db.prepare('DELETE FROM s3_bucket_config WHERE bucket = ?'),
      maxSeq: db.prepare('SELECT max(seq) AS seq FROM (SELECT max(seq) AS seq FROM s3_objects UNION ALL SELECT max(seq) FROM s3_versions)'),
      object: raw(db.prepare(`SELECT ${OBJECT_COLUMNS} FROM s3_objects WHERE bucket = ? AND key = ?`)),
      current: raw(db.prepare('SELECT blob, version_id FROM s3_objects WHERE bucket = ? AND key = ?')),
      archiveCurrent: db.prepare(`INSERT INTO s3_versions (${OBJECT_COLUMNS}) SELECT ${OBJECT_COLUMNS} FROM s3_objects WHERE bucket = ? AND key = ?`),
      // Positional: binding 23 named parameters from an object costs nearly twice as much.
      upsertObject: db.prepare(`INSERT OR REPLACE INTO s3_objects (${OBJECT_COLUMNS}) VALUES (${OBJECT_COLUMNS.split(',').map(() => '?').join(', ')})`),
      deleteObject: db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?'),
      // A current delete marker hides its key from listings.
      listFrom: raw(db.prepare(`SELECT ${listColumns} FROM s3_objects WHERE bucket = ? AND key >= ? AND delete_marker = 0 ORDER BY key LIMIT ?`)),
      listAfter: raw(db.prepare(`SELECT ${listColumns} FROM s3_objects WHERE bucket = ? AND key > ? AND delete_marker = 0 ORDER BY key LIMIT ?`)),
      upload: db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ?'),
      insertUpload: db.prepare(`INSERT INTO s3_uploads (upload_id, bucket, key, initiated, account, ${HEADER_COLUMNS}, checksum_algorithm, checksum_type, tags)
        VALUES (@upload_id, @bucket, @key, @initiated, @account, ${HEADER_PARAMS}, @checksum_algorithm, @checksum_type, @tags)`),
      deleteUpload: db.prepare('DELETE FROM s3_uploads WHERE upload_id = ?'),
      uploadsOfBucket: db.prepare('SELECT upload_id FROM s3_uploads WHERE bucket = ?'),
      // Uploads after (key, upload id marker), in key then initiation order.
      uploadsFrom: db.prepare(`SELECT * FROM s3_uploads WHERE bucket = @bucket AND (key > @key OR (key = @key AND upload_id > @uploadId))
        ORDER BY key, upload_id LIMIT @limit`),
      part: db.prepare('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number = ?'),
      upsertPart: db.prepare('INSERT OR REPLACE INTO s3_parts (upload_id, part_number, blob, size, etag, modified, checksum_value) VALUES (@upload_id, @part_number, @blob, @size, @etag, @modified, @checksum_value)'),
      parts: db.prepare('SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY part_number'),
      partsAfter: db.prepare('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?'),
      deleteParts: db.prepare('DELETE FROM s3_parts WHERE upload_id = ?'),
    };
    const tx = db.transaction((fn: () => unknown) => fn());
    this.transaction = <T>(fn: () => T): T => tx(fn) as T;
    this.group = new GroupCommit(this.transaction, () => db.inTransaction);
    this.nextSeq = (this.s.maxSeq.get()?.seq ?? 0) + 1;
    storage.onReset(() => {
      this.buckets.clear();
      this.objects.clear();
      this.cachedObjects = 0;
    });
  }

  /**
   * Runs `fn` in a transaction shared with the other writes that become ready in this
   * turn of the event loop (a group commit), each in a savepoint of its own: one that
   * throws is undone alone and rejects alone, the others commit together. Resolves
   * once the commit is done (so an answer sent then is durable), rejects every write of
   * a batch whose commit fails. A write that arrives alone commits alone. Under
   * concurrent uploads this shares one commit (and its WAL pages) among many writes.
   */
  commitSoon<T>(fn: () => T): Promise<T> {
    return this.group.run(fn);
  }


  /** A new version's place in creation order. */
  newSeq(): number {
    return this.nextSeq++;
  }

  /** A bucket row (shared: never to be modified by the caller). */
  bucket(name: string): BucketRow | undefined {
    const cached = this.buckets.get(name);
    if (cached !== undefined) return cached;
    const row = this.s.bucket.get(name);
    if (row !== undefined && !this.storage.db.inTransaction) {
      if (this.buckets.size >= MAX_CACHED_BUCKETS) this.buckets.clear();
      this.buckets.set(name, row);
    }
    return row;
  }

  insertBucket(row: Omit<BucketRow, 'versioning'>): void {
    this.buckets.delete(row.name);
    this.s.insertBucket.run(row.name, row.account, row.region, row.created);
  }
  bucketsOf(account: string): BucketRow[] { return this.s.bucketsOf.all(account); }
  /** Whether a bucket holds any version of any object (delete markers included). */
  hasObjects(bucket: string): boolean { return this.s.anyObject.get(bucket) !== undefined || this.s.anyVersion.get(bucket) !== undefined; }
  setVersioning(bucket: string, status: string): void {
    this.buckets.delete(bucket);
    this.s.setVersioning.run(status, bucket);
  }

  /** A bucket subresource document (policy, cors, tagging, ...). */
  config(bucket: string, kind: string): string | undefined { return this.s.config.get(bucket, kind)?.value; }
  putConfig(bucket: string, kind: string, value: string): void { this.s.putConfig.run(bucket, kind, value); }
  deleteConfig(bucket: string, kind: string): void { this.s.deleteConfig.run(bucket, kind); }

  /** Deletes an empty bucket and its multipart uploads; returns the blobs of their parts to remove. */
  deleteBucket(name: string): string[] {
    const blobs: string[] = [];
    this.buckets.delete(name);
    this.forgetBucketObjects(name);
    this.transaction(() => {
      for (const { upload_id } of this.s.uploadsOfBucket.all(name)) blobs.push(...this.deleteUploadRows(upload_id));
      this.s.deleteConfigs.run(name);
      this.s.deleteBucket.run(name);
    });
    return blobs;
  }

  /** The current version of a key (shared: never to be modified by the caller). */
  object(bucket: string, key: string): ObjectRow | undefined {
    const cached = this.objects.get(bucket)?.get(key);
    if (cached !== undefined) return cached;
    const row = objectRow(this.s.object.get(bucket, key));
    if (row !== undefined && !this.storage.db.inTransaction) {
      if (this.cachedObjects >= MAX_CACHED_OBJECTS) {
        this.objects.clear();
        this.cachedObjects = 0;
      }
      let byKey = this.objects.get(bucket);
      if (byKey === undefined) this.objects.set(bucket, (byKey = new Map()));
      byKey.set(key, row);
      this.cachedObjects++;
    }
    return row;
  }

  /** Drops a key's cached current version (before any write of it). */
  private forgetObject(bucket: string, key: string): void {
    if (this.objects.get(bucket)?.delete(key)) this.cachedObjects--;
  }

  private forgetBucketObjects(bucket: string): void {
    const byKey = this.objects.get(bucket);
    if (byKey === undefined) return;
    this.cachedObjects -= byKey.size;
    this.objects.delete(bucket);
  }

  /**
   * Makes `row` (an object or a delete marker) the current version of its key. The version
   * it supersedes becomes noncurrent, unless both are the null version; a new null version
   * replaces the noncurrent null version too. Returns the blobs no longer referenced.
   * `versioned` false says the bucket has never had versioning (so no noncurrent versions).
   */
  putObject(row: ObjectRow, versioned = true): string[] {
    return this.storage.db.inTransaction ? this.putObjectRows(row, versioned) : this.transaction(() => this.putObjectRows(row, versioned));
  }

  private putObjectRows(row: ObjectRow, versioned = true): string[] {
    const released: string[] = [];
    this.forgetObject(row.bucket, row.key);
    const old = this.s.current.get(row.bucket, row.key);
    if (old !== undefined) {
      if (old[1] === NULL_VERSION && row.version_id === NULL_VERSION) released.push(old[0] as string);
      else this.s.archiveCurrent.run(row.bucket, row.key);
    }
    if (versioned && row.version_id === NULL_VERSION) {
      const nullVersion = objectRow(this.s.noncurrent.get(row.bucket, row.key, NULL_VERSION));
      if (nullVersion) {
        this.s.deleteVersion.run(row.bucket, row.key, nullVersion.seq);
        released.push(nullVersion.blob);
      }
    }
    this.upsert(row);
    // A blob kept in the database goes in this transaction (no orphan, undone on rollback); files after the commit.
    return released.filter((b) => b !== '' && b !== row.blob && !this.storage.blobs.deleteInline(b));
  }

  /** Writes a current-version row (values in OBJECT_COLUMNS order). */
  private upsert(r: ObjectRow): void {
    this.s.upsertObject.run(
      r.bucket, r.key, r.blob, r.size, r.etag, r.modified, r.content_type, r.cache_control, r.content_disposition, r.content_encoding,
      r.content_language, r.expires, r.website_redirect, r.storage_class, r.metadata, r.checksum_algorithm, r.checksum_value,
      r.checksum_type, r.parts_count, r.version_id, r.delete_marker, r.seq, r.tags,
    );
  }

  /** Deletes the current version of a key (an unversioned bucket's delete); returns its blob, to remove. */
  deleteObject(bucket: string, key: string): string | undefined {
    this.forgetObject(bucket, key);
    return this.transaction(() => {
      const old = objectRow(this.s.object.get(bucket, key));
      if (old) this.s.deleteObject.run(bucket, key);
      return old?.blob;
    });
  }

  /** One version of a key, current or noncurrent. */
  version(bucket: string, key: string, versionId: string): ObjectRow | undefined {
    const current = this.object(bucket, key);
    if (current && current.version_id === versionId) return current;
    return objectRow(this.s.noncurrent.get(bucket, key, versionId));
  }

  /**
   * Deletes one version of a key for good; when it was the current one, the newest
   * noncurrent version becomes current. Returns the row deleted, if any.
   */
  deleteVersion(bucket: string, key: string, versionId: string): ObjectRow | undefined {
    this.forgetObject(bucket, key);
    return this.transaction(() => {
      const current = objectRow(this.s.object.get(bucket, key));
      if (current && current.version_id === versionId) {
        this.s.deleteObject.run(bucket, key);
        const next = objectRow(this.s.newestNoncurrent.get(bucket, key));
        if (next) {
          this.s.deleteVersion.run(bucket, key, next.seq);
          this.upsert(next);
        }
        return current;
      }
      const row = objectRow(this.s.noncurrent.get(bucket, key, versionId));
      if (row) this.s.deleteVersion.run(bucket, key, row.seq);
      return row;
    });
  }

  /** Versions of a bucket after a cursor, in ListObjectVersions order. */
  versionsAfter(bucket: string, cursor: VersionCursor, limit: number): VersionEntry[] {
    return this.s.versionsFrom.all({ bucket, key: cursor.key, latest: cursor.latest, seq: cursor.seq, limit });
  }

  /** Replaces the tags of one version; returns whether it exists. */
  setTags(bucket: string, key: string, versionId: string, tags: string | null): boolean {
    this.forgetObject(bucket, key);
    return this.s.setTags.run(tags, bucket, key, versionId).changes > 0 || this.s.setVersionTags.run(tags, bucket, key, versionId).changes > 0;
  }

  /** Up to `limit` objects from `key` (inclusive) or after it. */
  listObjects(bucket: string, key: string, inclusive: boolean, limit: number): ListedObject[] {
    const rows = (inclusive ? this.s.listFrom : this.s.listAfter).all(bucket, key, limit);
    const out: ListedObject[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i]!;
      out[i] = { key: v[0] as string, size: v[1] as number, etag: v[2] as string, modified: v[3] as number, storage_class: v[4] as string | null, checksum_algorithm: v[5] as string | null, checksum_type: v[6] as string | null };
    }
    return out;
  }

  upload(uploadId: string): UploadRow | undefined { return this.s.upload.get(uploadId); }
  insertUpload(row: UploadRow): void { this.s.insertUpload.run(row); }

  /** Uploads of a bucket after (keyMarker, uploadIdMarker), in key and initiation order. */
  uploadsAfter(bucket: string, keyMarker: string, uploadIdMarker: string, limit: number): UploadRow[] {
    return this.s.uploadsFrom.all({ bucket, key: keyMarker, uploadId: uploadIdMarker, limit });
  }

  part(uploadId: string, partNumber: number): PartRow | undefined { return this.s.part.get(uploadId, partNumber); }

  /** Stores a part; returns the blob of the part it replaced, to remove. */
  putPart(row: PartRow): string | undefined {
    return this.transaction(() => {
      const old = this.s.part.get(row.upload_id, row.part_number);
      this.s.upsertPart.run(row);
      return old?.blob;
    });
  }

  parts(uploadId: string): PartRow[] { return this.s.parts.all(uploadId); }
  partsAfter(uploadId: string, marker: number, limit: number): PartRow[] { return this.s.partsAfter.all(uploadId, marker, limit); }

  /** Removes an upload and its parts; returns the parts' blobs, to remove. */
  deleteUpload(uploadId: string): string[] {
    return this.transaction(() => this.deleteUploadRows(uploadId));
  }

  private deleteUploadRows(uploadId: string): string[] {
    const blobs = this.s.parts.all(uploadId).map((p) => p.blob);
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return blobs;
  }

  /**
   * Completes an upload: stores the object and removes the upload in one transaction;
   * returns the blobs no longer referenced (the parts and a replaced object).
   */
  completeUpload(uploadId: string, row: ObjectRow): string[] {
    return this.transaction(() => [...this.deleteUploadRows(uploadId), ...this.putObjectRows(row)]);
  }

  /** Removes blobs no row references any more (after the transaction that released them). */
  dropBlobs(ids: readonly (string | undefined)[]): void {
    // Delete markers have no blob ('').
    for (const id of ids) if (id) this.storage.blobs.delete(id);
  }
}
