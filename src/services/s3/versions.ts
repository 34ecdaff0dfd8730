/**
 * Versioning rules shared by S3's object operations: version ids, which version a
 * request reads, and the errors for missing versions and delete markers
 * (Amazon S3 user guide, "Working with delete markers").
 */
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import type { BucketRow, ObjectRow, S3Store } from './store.js';
import { NULL_VERSION } from './store.js';
import { invalidArgument, noSuchKey } from './errors.js';

const VERSION_ID = /^[A-Za-z0-9._]{32}$/;

/** A new version id: 32 URL-safe characters, as S3's look. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url').replace(/-/g, '.');
}

/** The version id a write to the bucket creates: a new one when versioning is enabled, else the null version. */
export function versionIdFor(bucket: BucketRow): string {
  return bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
}

/** Whether S3 reports version ids for this object: always once the bucket has had versioning, or for a non-null version. */
export function reportsVersion(bucket: BucketRow, row: ObjectRow): boolean {
  return bucket.versioning !== null || row.version_id !== NULL_VERSION;
}

/** Whether a version id is one S3 could have issued. */
export function isValidVersionId(versionId: string): boolean {
  return versionId === NULL_VERSION || VERSION_ID.test(versionId);
}

/** 400 InvalidArgument for a version id S3 could not have issued. */
export function checkVersionId(versionId: string): void {
  if (!isValidVersionId(versionId)) throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}

/** 404 NoSuchVersion. */
export function noSuchVersion(key: string, versionId: string): ServiceError {
  return new ServiceError('NoSuchVersion', 'The specified version does not exist.', { status: 404, fields: { Key: key, VersionId: versionId } });
}

/**
 * The version a GET or HEAD reads: the current one, or the one named. A current delete
 * marker answers 404 NoSuchKey and a named one 405 MethodNotAllowed, both with x-amz-delete-marker.
 */
export function readVersion(store: S3Store, bucket: string, key: string, versionId: string | undefined, method: string): ObjectRow {
  if (versionId === undefined) {
    const row = store.object(bucket, key);
    if (!row) throw noSuchKey(key);
    if (row.delete_marker) {
      const e = noSuchKey(key);
      return throwWithHeaders(e, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.version_id });
    }
    return row;
  }
  checkVersionId(versionId);
  const row = store.version(bucket, key, versionId);
  if (!row) throw noSuchVersion(key, versionId);
  if (row.delete_marker) {
    throw new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      status: 405,
      fields: { Method: method, ResourceType: 'DeleteMarker' },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': row.version_id, 'Last-Modified': new Date(row.modified).toUTCString() },
    });
  }
  return row;
}

function throwWithHeaders(e: ServiceError, headers: Record<string, string>): never {
  throw new ServiceError(e.code, e.message, { status: e.status, fields: e.fields, headers });
}
