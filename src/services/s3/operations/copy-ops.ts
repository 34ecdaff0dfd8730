/** CopyObject: within or across buckets, metadata copied or replaced (MetadataDirective). */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { CopyObjectRequest, CopyObjectOutput, CopyObjectResult } from '../../../models/generated/s3.js';
import type { ObjectRow, S3Store } from '../store.js';
import { NULL_VERSION } from '../store.js';
import { requireBucket } from '../buckets.js';
import { requestedGrants } from './acl-ops.js';
import { noSuchKey } from '../errors.js';
import { checkVersionId, noSuchVersion, reportsVersion } from '../versions.js';
import { encodeTags, parseTaggingHeader } from '../tagging.js';
import { commitVersion, currentEtag } from './object-ops.js';
import { parseCopySource } from '../copy-source.js';
import { COPY_SOURCE_NAMES, checkReadConditions, checkWriteConditions } from '../conditions.js';
import { headersFrom, headersOf } from '../objects.js';
import { CHECKSUM_MEMBER, createHasher, isAlgorithm, type ChecksumAlgorithmName } from '../checksums.js';
import { lockForWrite } from '../object-lock.js';
import { expirationOf } from './lifecycle-ops.js';

/** The source object of a copy (the version named, else the current one), after its CopySource* conditions (412 when one fails). */
export function copySourceObject(store: S3Store, ctx: RequestContext, copySource: string, c: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date; CopySourceIfUnmodifiedSince?: Date }): ObjectRow {
  const src = parseCopySource(copySource);
  requireBucket(store, ctx, src.bucket);
  let row: ObjectRow | undefined;
  if (src.versionId !== undefined) {
    checkVersionId(src.versionId);
    row = store.version(src.bucket, src.key, src.versionId);
    if (!row) throw noSuchVersion(src.key, src.versionId);
    if (row.delete_marker) throw new ServiceError('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.', { status: 400 });
  } else {
    row = store.object(src.bucket, src.key);
    if (!row || row.delete_marker) throw noSuchKey(src.key);
  }
  checkReadConditions(
    { IfMatch: c.CopySourceIfMatch, IfNoneMatch: c.CopySourceIfNoneMatch, IfModifiedSince: c.CopySourceIfModifiedSince, IfUnmodifiedSince: c.CopySourceIfUnmodifiedSince },
    row.etag, row.modified, COPY_SOURCE_NAMES, false,
  );
  return row;
}

/** Copies bytes of a blob (a range, inclusive) to a new blob, hashing them. */
export async function copyBlob(store: S3Store, blob: string, range: { start: number; end: number } | undefined, algorithm: ChecksumAlgorithmName | undefined): Promise<{ blob: string; size: number; md5: string; checksum?: string }> {
  const md5 = createHash('md5');
  const hasher = algorithm ? createHasher(algorithm) : undefined;
  const source = store.storage.blobs.read(blob, range);
  const info = await store.storage.blobs.write((async function* () {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      md5.update(chunk);
      hasher?.update(chunk);
      yield chunk;
    }
  })());
  const out: { blob: string; size: number; md5: string; checksum?: string } = { blob: info.id, size: info.size, md5: md5.digest('hex') };
  if (hasher) out.checksum = await hasher.digest();
  return out;
}

/** CopyObject. */
export async function copyObject(store: S3Store, ctx: RequestContext, input: CopyObjectRequest): Promise<CopyObjectOutput> {
  requireBucket(store, ctx, input.Bucket);
  // The copy gets the lock asked for or the bucket's default retention, never the source's.
  const lock = lockForWrite(store, input.Bucket, input, ctx.clock.now());
  const source = copySourceObject(store, ctx, input.CopySource, input);
  const sourceBucket = store.bucket(source.bucket)!;
  const replace = input.MetadataDirective === 'REPLACE';
  const src = parseCopySource(input.CopySource);
  const sameKey = src.bucket === input.Bucket && src.key === input.Key;
  if (sameKey && !replace && src.versionId === undefined && input.StorageClass === undefined && input.WebsiteRedirectLocation === undefined && input.ChecksumAlgorithm === undefined) {
    throw new ServiceError('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", { status: 400 });
  }
  checkWriteConditions(input, currentEtag(store, input.Bucket, input.Key), input.Key, noSuchKey);
  const tags = input.TaggingDirective === 'REPLACE' ? encodeTags(parseTaggingHeader(input.Tagging ?? '')) : source.tags;
  const named = input.ChecksumAlgorithm?.toUpperCase();
  const algorithm: ChecksumAlgorithmName = isAlgorithm(named) ? named : isAlgorithm(source.checksum_algorithm ?? undefined) && source.checksum_type !== 'COMPOSITE' ? source.checksum_algorithm as ChecksumAlgorithmName : 'CRC64NVME';
  const grants = requestedGrants(store, input.Bucket, ctx.account, input, false);
  const copied = await copyBlob(store, source.blob, undefined, algorithm);
  const headers = replace ? headersFrom(input) : headersOf(source);
  if (!replace && input.StorageClass !== undefined) headers.storage_class = input.StorageClass === 'STANDARD' ? null : input.StorageClass;
  if (!replace && input.WebsiteRedirectLocation !== undefined) headers.website_redirect = input.WebsiteRedirectLocation;
  const row: ObjectRow = {
    bucket: input.Bucket, key: input.Key, blob: copied.blob, size: copied.size, etag: copied.md5, modified: ctx.clock.now(),
    ...headers, checksum_algorithm: algorithm, checksum_value: copied.checksum ?? null, checksum_type: 'FULL_OBJECT', parts_count: null,
    version_id: NULL_VERSION, delete_marker: 0, seq: 0, tags,
  };
  const bucket = await commitVersion(store, ctx, row, { blob: copied.blob, lock, grants, event: 'ObjectCreated:Copy' });
  const result: CopyObjectResult = { ETag: `"${row.etag}"`, LastModified: new Date(row.modified), ChecksumType: 'FULL_OBJECT' };
  (result as Record<string, unknown>)[CHECKSUM_MEMBER[algorithm]] = copied.checksum;
  const out: CopyObjectOutput = { CopyObjectResult: result, ServerSideEncryption: 'AES256' };
  if (bucket.versioning !== null) out.VersionId = row.version_id;
  const expiration = expirationOf(store, row);
  if (expiration !== undefined) out.Expiration = expiration;
  if (reportsVersion(sourceBucket, source)) out.CopySourceVersionId = source.version_id;
  return out;
}
