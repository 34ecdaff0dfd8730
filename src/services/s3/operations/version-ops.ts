/**
 * PutBucketVersioning, GetBucketVersioning and ListObjectVersions: a walk of current and
 * noncurrent versions in (key, newest first) order from the (KeyMarker, VersionIdMarker)
 * cursor, rolled up into CommonPrefixes at the delimiter.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  PutBucketVersioningRequest, GetBucketVersioningRequest, GetBucketVersioningOutput,
  ListObjectVersionsRequest, ListObjectVersionsOutput, ObjectVersion, DeleteMarkerEntry,
} from '../../../models/generated/s3.js';
import type { S3Store, VersionCursor, VersionEntry } from '../store.js';
import { ownerOf, requireBucket } from '../buckets.js';
import { invalidArgument, malformedXml } from '../errors.js';
import { checkVersionId } from '../versions.js';
import { urlEncodeKey } from './list-ops.js';
import { checkVersioningChange } from '../object-lock.js';

const MAX_KEYS = 1000;
const PAST = '\u{10FFFF}';
/** Cursor latest values: 2 starts at a key, 1 resumes after its current version, 0 after a noncurrent one. */
const AT_KEY = 2;
const AFTER_CURRENT = 1;
const AFTER_NONCURRENT = 0;

/** PutBucketVersioning: Enabled or Suspended; a bucket once versioned never returns to unversioned. */
export function putBucketVersioning(store: S3Store, ctx: RequestContext, input: PutBucketVersioningRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const status = input.VersioningConfiguration?.Status;
  if (status === undefined) return;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (input.VersioningConfiguration.MFADelete === 'Enabled' && input.MFA === undefined) {
    throw new ServiceError('InvalidRequest', 'The x-amz-mfa header is required when enabling MFA Delete.', { status: 400 });
  }
  checkVersioningChange(store, input.Bucket, status);
  store.setVersioning(input.Bucket, status);
}

/** GetBucketVersioning: empty until versioning was first configured. */
export function getBucketVersioning(store: S3Store, ctx: RequestContext, input: GetBucketVersioningRequest): GetBucketVersioningOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  return b.versioning === null ? {} : { Status: b.versioning as GetBucketVersioningOutput['Status'] };
}

/** The cursor where a listing starts, from its markers. */
function startCursor(store: S3Store, bucket: string, prefix: string, keyMarker: string, versionIdMarker: string | undefined): VersionCursor {
  if (keyMarker === '') return { key: prefix, latest: AT_KEY, seq: 0 };
  if (versionIdMarker !== undefined && versionIdMarker !== '') {
    const row = store.version(bucket, keyMarker, versionIdMarker);
    if (row) {
      const current = store.object(bucket, keyMarker);
      return current && current.seq === row.seq ? { key: keyMarker, latest: AFTER_CURRENT, seq: 0 } : { key: keyMarker, latest: AFTER_NONCURRENT, seq: row.seq };
    }
  }
  // After every version of the key marker.
  const after: VersionCursor = { key: keyMarker, latest: AFTER_NONCURRENT, seq: -1 };
  return keyMarker < prefix ? { key: prefix, latest: AT_KEY, seq: 0 } : after;
}

/** ListObjectVersions. */
export async function listObjectVersions(store: S3Store, ctx: RequestContext, input: ListObjectVersionsRequest): Promise<ListObjectVersionsOutput> {
  requireBucket(store, ctx, input.Bucket);
  if (input.EncodingType !== undefined && input.EncodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
  if (input.MaxKeys !== undefined && input.MaxKeys < 0) throw invalidArgument('max-keys cannot be negative', 'max-keys', String(input.MaxKeys));
  const keyMarker = input.KeyMarker ?? '';
  if (input.VersionIdMarker !== undefined && input.VersionIdMarker !== '') {
    if (keyMarker === '') throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
    checkVersionId(input.VersionIdMarker);
  }
  const maxKeys = Math.min(input.MaxKeys ?? MAX_KEYS, MAX_KEYS);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter ?? '';
  const e = input.EncodingType === 'url' ? urlEncodeKey : (s: string) => s;
  const owner = ownerOf(ctx.account);
  const versions: ObjectVersion[] = [];
  const markers: DeleteMarkerEntry[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let lastKey: string | undefined;
  let lastVersion: string | undefined;
  let cursor = startCursor(store, input.Bucket, prefix, keyMarker, input.VersionIdMarker);
  const batch = maxKeys + 1;
  let count = 0;
  outer: while (maxKeys > 0) {
    const rows: VersionEntry[] = store.versionsAfter(input.Bucket, cursor, batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      // The cursor never precedes the prefix, so the first key outside it ends the listing.
      if (!r.key.startsWith(prefix)) break outer;
      let rolled: string | undefined;
      if (delimiter !== '') {
        const at = r.key.indexOf(delimiter, prefix.length);
        if (at >= 0) rolled = r.key.slice(0, at + delimiter.length);
      }
      if (rolled !== undefined && (rolled === lastKey || rolled === keyMarker)) {
        cursor = { key: rolled + PAST, latest: AT_KEY, seq: 0 };
        continue outer;
      }
      if (count === maxKeys) { truncated = true; break outer; }
      count++;
      if (rolled !== undefined) {
        prefixes.push(rolled);
        lastKey = rolled;
        lastVersion = undefined;
        cursor = { key: rolled + PAST, latest: AT_KEY, seq: 0 };
        continue outer;
      }
      const common = { Key: e(r.key), VersionId: r.version_id, IsLatest: r.latest === 1, LastModified: new Date(r.modified), Owner: owner };
      if (r.delete_marker) markers.push(common);
      else {
        const v: ObjectVersion = { ETag: `"${r.etag}"`, Size: r.size, StorageClass: (r.storage_class ?? 'STANDARD') as ObjectVersion['StorageClass'], ...common };
        if (r.checksum_algorithm !== null) {
          v.ChecksumAlgorithm = [r.checksum_algorithm as NonNullable<ObjectVersion['ChecksumAlgorithm']>[number]];
          v.ChecksumType = (r.checksum_type ?? 'FULL_OBJECT') as ObjectVersion['ChecksumType'];
        }
        versions.push(v);
      }
      lastKey = r.key;
      lastVersion = r.version_id;
      cursor = { key: r.key, latest: r.latest === 1 ? AFTER_CURRENT : AFTER_NONCURRENT, seq: r.seq };
    }
    if (rows.length < batch) break;
  }
  const out: ListObjectVersionsOutput = {
    IsTruncated: truncated,
    KeyMarker: e(keyMarker),
    VersionIdMarker: input.VersionIdMarker ?? '',
    Versions: versions.length > 0 ? versions : undefined,
    DeleteMarkers: markers.length > 0 ? markers : undefined,
    Name: input.Bucket,
    Prefix: e(prefix),
    MaxKeys: maxKeys,
    CommonPrefixes: prefixes.length > 0 ? prefixes.map((p) => ({ Prefix: e(p) })) : undefined,
  };
  if (input.Delimiter !== undefined) out.Delimiter = e(delimiter);
  if (input.EncodingType === 'url') out.EncodingType = 'url';
  if (truncated && lastKey !== undefined) {
    out.NextKeyMarker = e(lastKey);
    if (lastVersion !== undefined) out.NextVersionIdMarker = lastVersion;
  }
  return out;
}
