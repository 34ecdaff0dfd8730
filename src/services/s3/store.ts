/**
 * S3's metadata in SQLite: buckets (names global across accounts), objects keyed
 * by (bucket, key) so that a listing page is a range scan of the primary key, and
 * multipart uploads with their parts. Bodies live in the blob store, referenced by id.
 */
import type { Statement } from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';

/** A bucket row. */
export interface BucketRow {
  name: string;
  account: string;
  region: string;
  created: number;
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
];

const HEADER_COLUMNS = 'content_type, cache_control, content_disposition, content_encoding, content_language, expires, website_redirect, storage_class, metadata';
const HEADER_PARAMS = '@content_type, @cache_control, @content_disposition, @content_encoding, @content_language, @expires, @website_redirect, @storage_class, @metadata';

/** Prepared statements over S3's tables. */
export class S3Store {
  readonly storage: Storage;
  private readonly s: {
    bucket: Statement<[string], BucketRow>;
    insertBucket: Statement<[string, string, string, number]>;
    deleteBucket: Statement<[string]>;
    bucketsOf: Statement<[string], BucketRow>;
    anyObject: Statement<[string], { key: string }>;
    object: Statement<[string, string], ObjectRow>;
    upsertObject: Statement<ObjectRow>;
    deleteObject: Statement<[string, string]>;
    listFrom: Statement<[string, string, number], ListedObject>;
    listAfter: Statement<[string, string, number], ListedObject>;
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
  };

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
      object: db.prepare('SELECT * FROM s3_objects WHERE bucket = ? AND key = ?'),
      upsertObject: db.prepare(`INSERT OR REPLACE INTO s3_objects (bucket, key, blob, size, etag, modified, ${HEADER_COLUMNS}, checksum_algorithm, checksum_value, checksum_type, parts_count)
        VALUES (@bucket, @key, @blob, @size, @etag, @modified, ${HEADER_PARAMS}, @checksum_algorithm, @checksum_value, @checksum_type, @parts_count)`),
      deleteObject: db.prepare('DELETE FROM s3_objects WHERE bucket = ? AND key = ?'),
      listFrom: db.prepare(`SELECT ${listColumns} FROM s3_objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?`),
      listAfter: db.prepare(`SELECT ${listColumns} FROM s3_objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?`),
      upload: db.prepare('SELECT * FROM s3_uploads WHERE upload_id = ?'),
      insertUpload: db.prepare(`INSERT INTO s3_uploads (upload_id, bucket, key, initiated, account, ${HEADER_COLUMNS}, checksum_algorithm, checksum_type)
        VALUES (@upload_id, @bucket, @key, @initiated, @account, ${HEADER_PARAMS}, @checksum_algorithm, @checksum_type)`),
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
  }

  bucket(name: string): BucketRow | undefined { return this.s.bucket.get(name); }
  insertBucket(row: BucketRow): void { this.s.insertBucket.run(row.name, row.account, row.region, row.created); }
  bucketsOf(account: string): BucketRow[] { return this.s.bucketsOf.all(account); }
  hasObjects(bucket: string): boolean { return this.s.anyObject.get(bucket) !== undefined; }

  /** Deletes an empty bucket and its multipart uploads; returns the blobs of their parts to remove. */
  deleteBucket(name: string): string[] {
    const blobs: string[] = [];
    this.storage.db.transaction(() => {
      for (const { upload_id } of this.s.uploadsOfBucket.all(name)) blobs.push(...this.deleteUploadRows(upload_id));
      this.s.deleteBucket.run(name);
    })();
    return blobs;
  }

  object(bucket: string, key: string): ObjectRow | undefined { return this.s.object.get(bucket, key); }

  /** Stores an object; returns the blob of the object it replaced, to remove. */
  putObject(row: ObjectRow): string | undefined {
    return this.storage.db.transaction(() => {
      const old = this.s.object.get(row.bucket, row.key);
      this.s.upsertObject.run(row);
      return old && old.blob !== row.blob ? old.blob : undefined;
    })();
  }

  /** Deletes an object; returns its blob, to remove. */
  deleteObject(bucket: string, key: string): string | undefined {
    return this.storage.db.transaction(() => {
      const old = this.s.object.get(bucket, key);
      if (old) this.s.deleteObject.run(bucket, key);
      return old?.blob;
    })();
  }

  /** Up to `limit` objects from `key` (inclusive) or after it. */
  listObjects(bucket: string, key: string, inclusive: boolean, limit: number): ListedObject[] {
    return (inclusive ? this.s.listFrom : this.s.listAfter).all(bucket, key, limit);
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
    return this.storage.db.transaction(() => {
      const old = this.s.part.get(row.upload_id, row.part_number);
      this.s.upsertPart.run(row);
      return old?.blob;
    })();
  }

  parts(uploadId: string): PartRow[] { return this.s.parts.all(uploadId); }
  partsAfter(uploadId: string, marker: number, limit: number): PartRow[] { return this.s.partsAfter.all(uploadId, marker, limit); }

  /** Removes an upload and its parts; returns the parts' blobs, to remove. */
  deleteUpload(uploadId: string): string[] {
    return this.storage.db.transaction(() => this.deleteUploadRows(uploadId))();
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
    return this.storage.db.transaction(() => {
      const blobs = this.deleteUploadRows(uploadId);
      const old = this.s.object.get(row.bucket, row.key);
      this.s.upsertObject.run(row);
      if (old && old.blob !== row.blob) blobs.push(old.blob);
      return blobs;
    })();
  }

  /** Removes blobs no row references any more (after the transaction that released them). */
  dropBlobs(ids: readonly (string | undefined)[]): void {
    for (const id of ids) if (id) this.storage.blobs.delete(id);
  }
}
