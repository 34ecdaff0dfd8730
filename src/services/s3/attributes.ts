/**
 * The part list GetObjectAttributes reports for an object made by a multipart upload with
 * additional checksums (Amazon S3 API reference, GetObjectAttributes: "ObjectParts"):
 * recorded when the upload completes, keyed by the version's sequence number.
 */
import type { Statement } from 'better-sqlite3';
import type { Storage } from '../../state/storage.js';
import type { PartRow, S3Store } from './store.js';

/** One recorded part. */
export interface RecordedPart {
  number: number;
  size: number;
  checksum: string | null;
}

class PartsStore {
  readonly put: Statement<[string, number, string]>;
  readonly get: Statement<[string, number], { parts: string }>;

  constructor(storage: Storage) {
    storage.migrate('s3-attributes', [
      'CREATE TABLE s3_object_parts (bucket TEXT NOT NULL, seq INTEGER NOT NULL, parts TEXT NOT NULL, PRIMARY KEY (bucket, seq)) WITHOUT ROWID',
    ]);
    this.put = storage.db.prepare('INSERT OR REPLACE INTO s3_object_parts (bucket, seq, parts) VALUES (?, ?, ?)');
    this.get = storage.db.prepare('SELECT parts FROM s3_object_parts WHERE bucket = ? AND seq = ?');
  }
}

const stores = new WeakMap<Storage, PartsStore>();
function partsStore(storage: Storage): PartsStore {
  let s = stores.get(storage);
  if (!s) stores.set(storage, (s = new PartsStore(storage)));
  return s;
}

/** Prepares the table (at provider creation). */
export function initAttributes(store: S3Store): void {
  partsStore(store.storage);
}

/** Records the parts of a completed upload that named a checksum algorithm (inside the completing transaction). */
export function recordParts(store: S3Store, bucket: string, seq: number, parts: readonly PartRow[], checksummed: boolean): void {
  if (!checksummed) return;
  const list: RecordedPart[] = parts.map((p) => ({ number: p.part_number, size: p.size, checksum: p.checksum_value }));
  partsStore(store.storage).put.run(bucket, seq, JSON.stringify(list));
}

/** The recorded parts of a version, undefined when none were recorded. */
export function recordedParts(store: S3Store, bucket: string, seq: number): RecordedPart[] | undefined {
  const row = partsStore(store.storage).get.get(bucket, seq);
  return row ? JSON.parse(row.parts) as RecordedPart[] : undefined;
}
