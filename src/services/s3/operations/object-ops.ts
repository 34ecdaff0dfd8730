/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  PutObjectRequest, PutObjectOutput, GetObjectRequest, GetObjectOutput, HeadObjectRequest, HeadObjectOutput,
  DeleteObjectRequest, DeleteObjectOutput, DeleteObjectsRequest, DeleteObjectsOutput, DeletedObject, Grant,
} from '../../../models/generated/s3.js';
import type { LockRow } from '../object-lock.js';
import type { ObjectEventName } from '../notifications.js';
import type { BucketRow, ObjectRow, S3Store } from '../store.js';
import { NULL_VERSION } from '../store.js';
import { requireBucket } from '../buckets.js';
import { malformedXml, noSuchKey } from '../errors.js';
import { checkVersionId, isValidVersionId, readVersion, reportsVersion, versionIdFor } from '../versions.js';
import { encodeTags, parseTaggingHeader, tagCount } from '../tagging.js';
import { receiveBody } from '../receive.js';
import { checkReadConditions, checkWriteConditions } from '../conditions.js';
import { headersFrom, readOutput } from '../objects.js';
import { CHECKSUM_MEMBER } from '../checksums.js';
import { requestedGrants, saveObjectGrants } from './acl-ops.js';
import { applyLock, checkVersionDelete, forgetOverwrittenVersion, forgetVersionState, lockForWrite, lockOutput } from '../object-lock.js';
import { expirationOf } from './lifecycle-ops.js';
import { notifyObject } from '../notification-delivery.js';
import { WHOLE_READ_LIMIT } from '../../../state/blobs.js';

const MAX_DELETE_KEYS = 1000;
const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * PutObject: the body streams to a blob; the object row is committed only once the blob is whole and verified.
 * `event` is the notification it emits (a browser POST upload stores through here too).
 */
export async function putObject(store: S3Store, ctx: RequestContext, input: PutObjectRequest, event: 'ObjectCreated:Put' | 'ObjectCreated:Post' = 'ObjectCreated:Put'): Promise<PutObjectOutput> {
  requireBucket(store, ctx, input.Bucket);
  const conditional = input.IfMatch !== undefined || input.IfNoneMatch !== undefined;
  if (conditional) checkWriteConditions(input, currentEtag(store, input.Bucket, input.Key), input.Key, noSuchKey);
  const tags = input.Tagging !== undefined ? encodeTags(parseTaggingHeader(input.Tagging)) : null;
  const lock = lockForWrite(store, input.Bucket, input, ctx.clock.now(), hasIntegrity(input));
  const grants = requestedGrants(store, input.Bucket, ctx.account, input, false);
  const body = await receiveBody(store.storage.blobs, input.Body!, input, 'CRC64NVME', true);
  const row: ObjectRow = {
    bucket: input.Bucket, key: input.Key, blob: body.blob, size: body.size, etag: body.md5.toString('hex'), modified: ctx.clock.now(),
    ...headersFrom(input),
    checksum_algorithm: body.algorithm, checksum_value: body.checksum, checksum_type: 'FULL_OBJECT', parts_count: null,
    version_id: NULL_VERSION, delete_marker: 0, seq: 0, tags,
  };
  const bucket = await commitVersion(store, ctx, row, { blob: body.blob, data: body.data, lock, grants, event, check: conditional ? () => checkWriteConditions(input, currentEtag(store, input.Bucket, input.Key), input.Key, noSuchKey) : undefined });
  const out: PutObjectOutput = { ETag: `"${row.etag}"`, [CHECKSUM_MEMBER[body.algorithm]]: body.checksum, ChecksumType: 'FULL_OBJECT', ServerSideEncryption: 'AES256' };
  if (bucket!.versioning !== null) out.VersionId = row.version_id;
  const expiration = expirationOf(store, row);
  if (expiration !== undefined) out.Expiration = expiration;
  return out;
}

/** Whether a PutObject carries Content-MD5 or a checksum (S3 requires one with Object Lock). */
function hasIntegrity(input: PutObjectRequest): boolean {
  return input.ContentMD5 !== undefined || input.ChecksumAlgorithm !== undefined || input.ChecksumCRC32 !== undefined || input.ChecksumCRC32C !== undefined
    || input.ChecksumCRC64NVME !== undefined || input.ChecksumSHA1 !== undefined || input.ChecksumSHA256 !== undefined;
}

/** The ETag of a key's current version, undefined when there is none (or it is a delete marker). */
export function currentEtag(store: S3Store, bucket: string, key: string): string | undefined {
  const row = store.object(bucket, key);
  return row && !row.delete_marker ? row.etag : undefined;
}

/** A byte range of an object, `unsatisfiable`, or undefined when the header is to be ignored (S3 ignores ranges it cannot parse). */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = RANGE.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1) };
}

function findObject(store: S3Store, ctx: RequestContext, bucket: string, key: string, versionId: string | undefined, method: string): { row: ObjectRow; bucket: BucketRow } {
  const b = requireBucket(store, ctx, bucket);
  return { row: readVersion(store, bucket, key, versionId, method), bucket: b };
}

/** Version id and tag count, as GetObject and HeadObject report them. */
function versionMembers(out: { VersionId?: string; TagCount?: number }, bucket: BucketRow, row: ObjectRow): void {
  if (reportsVersion(bucket, row)) out.VersionId = row.version_id;
  if (row.tags !== null) out.TagCount = tagCount(row.tags);
}

/** Object Lock state of the version read; the lifecycle expiration of a current one. */
function readMembers(store: S3Store, out: GetObjectOutput | HeadObjectOutput, bucket: BucketRow, row: ObjectRow, versionId: string | undefined): void {
  // Lock state exists only in versioned buckets.
  if (bucket.versioning !== null) Object.assign(out, lockOutput(store, row.bucket, row.key, row.version_id));
  if (versionId === undefined) {
    const expiration = expirationOf(store, row);
    if (expiration !== undefined) out.Expiration = expiration;
  }
}

function rangeOf(input: { Range?: string }, row: ObjectRow): { start: number; end: number } | undefined {
  if (input.Range === undefined) return undefined;
  const r = parseRange(input.Range, row.size);
  if (r === 'unsatisfiable') {
    throw new ServiceError('InvalidRange', 'The requested range is not satisfiable', { status: 416, fields: { RangeRequested: input.Range, ActualObjectSize: row.size }, headers: { 'Content-Range': `bytes */${row.size}` } });
  }
  return r;
}

/** What commitVersion writes with a new version besides its row. */
export interface NewVersion {
  /** The body's blob, dropped when the commit fails ('' when the body is `data`). */
  blob: string;
  /** A small body still in memory: stored as a database row in the commit's transaction, so both happen or neither. */
  data?: Buffer;
  lock: LockRow | undefined;
  grants: Grant[] | undefined;
  event: ObjectEventName;
  /** Conditions re-checked inside the transaction (the key may have changed while the body streamed). */
  check?: () => void;
}

/**
 * Commits a new version of an object: in one transaction (a group commit shared with
 * the writes ready at the same time) the bucket is read again
 * (it may have gone while the body streamed), `check` runs, the version gets its id
 * and sequence number, the overwritten null version's state goes, a body still in
 * memory becomes its blob (one commit for both), and the row is
 * written with its lock and grants. The body's blob is dropped when that fails, the
 * blobs it replaced when it succeeds; then the event is sent. Answers the bucket as read.
 */
export async function commitVersion(store: S3Store, ctx: RequestContext, row: ObjectRow, v: NewVersion): Promise<BucketRow> {
  let released: string[] = [];
  let bucket: BucketRow | undefined;
  try {
    await store.commitSoon(() => {
      bucket = requireBucket(store, ctx, row.bucket);
      v.check?.();
      row.version_id = versionIdFor(bucket);
      row.seq = store.newSeq();
      forgetOverwrittenVersion(store, row.bucket, row.key, row.version_id);
      if (v.data !== undefined) row.blob = store.storage.blobs.writeRow(v.data).id;
      released = store.putObject(row, bucket.versioning !== null);
      applyLock(store, row.bucket, row.key, row.version_id, v.lock);
      saveObjectGrants(store, row.bucket, row.seq, v.grants);
    });
  } catch (e) {
    // A body written in the transaction went with its rollback.
    if (v.data === undefined) store.dropBlobs([v.blob]);
    throw e;
  }
  store.dropBlobs(released);
  notifyObject(store, ctx, v.event, bucket!, row.key, { size: row.size, etag: row.etag, versionId: row.version_id });
  return bucket!;
}

/** GetObject: the blob streamed, whole or a range (206), after the conditional headers. */
export async function getObject(store: S3Store, ctx: RequestContext, input: GetObjectRequest): Promise<GetObjectOutput> {
  const { row, bucket } = findObject(store, ctx, input.Bucket, input.Key, input.VersionId, 'GET');
  checkReadConditions(input, row.etag, row.modified);
  const range = rangeOf(input, row);
  const out = readOutput(row, input.ChecksumMode, range === undefined) as GetObjectOutput;
  versionMembers(out, bucket, row);
  readMembers(store, out, bucket, row, input.VersionId);
  if (range) {
    out.ContentRange = `bytes ${range.start}-${range.end}/${row.size}`;
    out.ContentLength = range.end - range.start + 1;
  } else {
    out.ContentLength = row.size;
  }
  // Response-* query parameters override the stored headers of this answer only.
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseContentDisposition !== undefined) out.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
  if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires.toUTCString();
  // An object up to WHOLE_READ_LIMIT is one read into a pooled buffer: cheaper than a stream.
  out.Body = row.size === 0 ? Buffer.alloc(0) : !range && row.size <= WHOLE_READ_LIMIT ? await store.storage.blobs.readWhole(row.blob) : store.storage.blobs.read(row.blob, range);
  return out;
}

/** HeadObject: GetObject's headers without the body. */
export async function headObject(store: S3Store, ctx: RequestContext, input: HeadObjectRequest): Promise<HeadObjectOutput> {
  const { row, bucket } = findObject(store, ctx, input.Bucket, input.Key, input.VersionId, 'HEAD');
  checkReadConditions(input, row.etag, row.modified);
  const range = rangeOf(input, row);
  const out = readOutput(row, input.ChecksumMode, range === undefined) as HeadObjectOutput;
  versionMembers(out, bucket, row);
  readMembers(store, out, bucket, row, input.VersionId);
  out.ContentLength = range ? range.end - range.start + 1 : row.size;
  if (range) out.ContentRange = `bytes ${range.start}-${range.end}/${row.size}`;
  return out;
}

/** The outcome of deleting one key or version. */
interface DeleteOutcome {
  deleteMarker: boolean;
  versionId?: string;
  /** Whether a version was removed or a delete marker created (what S3 notifies). */
  changed: boolean;
}

/**
 * Deletes a key as S3 does: a named version goes for good (204 even when it does not exist);
 * otherwise an unversioned bucket drops the object and a versioned one gets a delete marker
 * (the null version in a suspended bucket). Runs inside the caller's transaction; pushes released blobs.
 */
function deleteOne(store: S3Store, ctx: RequestContext, bucket: BucketRow, key: string, versionId: string | undefined, released: (string | undefined)[], bypassGovernance = false): DeleteOutcome {
  if (versionId !== undefined) {
    checkVersionDelete(store, bucket.name, key, versionId, ctx.clock.now(), bypassGovernance);
    const row = store.deleteVersion(bucket.name, key, versionId);
    if (row) {
      released.push(row.blob);
      forgetVersionState(store, bucket.name, row);
    }
    return { deleteMarker: row?.delete_marker === 1, versionId, changed: row !== undefined };
  }
  if (bucket.versioning === null) {
    // The only version of an unversioned key is the null version.
    forgetOverwrittenVersion(store, bucket.name, key, NULL_VERSION);
    const blob = store.deleteObject(bucket.name, key);
    released.push(blob);
    return { deleteMarker: false, changed: blob !== undefined };
  }
  const marker: ObjectRow = {
    bucket: bucket.name, key, blob: '', size: 0, etag: '', modified: ctx.clock.now(),
    content_type: null, cache_control: null, content_disposition: null, content_encoding: null, content_language: null,
    expires: null, website_redirect: null, storage_class: null, metadata: null,
    checksum_algorithm: null, checksum_value: null, checksum_type: null, parts_count: null,
    version_id: versionIdFor(bucket), delete_marker: 1, seq: store.newSeq(), tags: null,
  };
  forgetOverwrittenVersion(store, bucket.name, key, marker.version_id);
  released.push(...store.putObject(marker));
  return { deleteMarker: true, versionId: marker.version_id, changed: true };
}

/** Notifies a committed delete: a delete marker created, or a version (or an unversioned object) removed. */
function notifyDelete(store: S3Store, ctx: RequestContext, bucket: BucketRow, key: string, named: string | undefined, done: DeleteOutcome): void {
  if (!done.changed) return;
  if (named === undefined && done.deleteMarker) notifyObject(store, ctx, 'ObjectRemoved:DeleteMarkerCreated', bucket, key, { versionId: done.versionId });
  else notifyObject(store, ctx, 'ObjectRemoved:Delete', bucket, key, { versionId: named });
}

/** DeleteObject: 204 whether or not the key existed. */
export async function deleteObject(store: S3Store, ctx: RequestContext, input: DeleteObjectRequest): Promise<DeleteObjectOutput> {
  const bucket = requireBucket(store, ctx, input.Bucket);
  if (input.VersionId !== undefined) checkVersionId(input.VersionId);
  if (input.IfMatch !== undefined) {
    const etag = currentEtag(store, input.Bucket, input.Key);
    if (etag !== undefined) checkWriteConditions({ IfMatch: input.IfMatch }, etag, input.Key, noSuchKey);
  }
  const released: (string | undefined)[] = [];
  const done = store.transaction(() => deleteOne(store, ctx, bucket, input.Key, input.VersionId, released, input.BypassGovernanceRetention === true));
  store.dropBlobs(released);
  notifyDelete(store, ctx, bucket, input.Key, input.VersionId, done);
  const out: DeleteObjectOutput = {};
  if (done.deleteMarker) out.DeleteMarker = true;
  if (done.versionId !== undefined) out.VersionId = done.versionId;
  return out;
}

/** DeleteObjects: up to 1,000 keys; each reported deleted (unless Quiet) or with its own error. */
export async function deleteObjects(store: S3Store, ctx: RequestContext, input: DeleteObjectsRequest): Promise<DeleteObjectsOutput> {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const objects = input.Delete?.Objects ?? [];
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw malformedXml();
  const deleted: DeletedObject[] = [];
  const errors: DeleteObjectsOutput['Errors'] = [];
  const released: (string | undefined)[] = [];
  const done: [string, string | undefined, DeleteOutcome][] = [];
  store.storage.db.transaction(() => {
    for (const o of objects) {
      if (o.Key === undefined) throw malformedXml();
      if (o.VersionId !== undefined && !isValidVersionId(o.VersionId)) {
        errors.push({ Key: o.Key, VersionId: o.VersionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
        continue;
      }
      if (o.ETag !== undefined) {
        const etag = currentEtag(store, input.Bucket, o.Key);
        if (etag !== undefined && o.ETag.replace(/"/g, '') !== etag) {
          errors.push({ Key: o.Key, Code: 'PreconditionFailed', Message: 'At least one of the pre-conditions you specified did not hold' });
          continue;
        }
      }
      let outcome: DeleteOutcome;
      try {
        outcome = deleteOne(store, ctx, bucket, o.Key, o.VersionId, released, input.BypassGovernanceRetention === true);
      } catch (e) {
        // A version Object Lock protects fails on its own; the other keys go on.
        if (!(e instanceof ServiceError) || e.code !== 'AccessDenied') throw e;
        errors.push({ Key: o.Key, VersionId: o.VersionId, Code: e.code, Message: e.message });
        continue;
      }
      done.push([o.Key, o.VersionId, outcome]);
      const d: DeletedObject = { Key: o.Key };
      if (o.VersionId !== undefined) d.VersionId = o.VersionId;
      if (outcome.deleteMarker) {
        d.DeleteMarker = true;
        d.DeleteMarkerVersionId = outcome.versionId;
      }
      deleted.push(d);
    }
  })();
  store.dropBlobs(released);
  for (const [key, named, outcome] of done) notifyDelete(store, ctx, bucket, key, named, outcome);
  const out: DeleteObjectsOutput = {};
  if (!input.Delete?.Quiet && deleted.length > 0) out.Deleted = deleted;
  if (errors.length > 0) out.Errors = errors;
  return out;
}
