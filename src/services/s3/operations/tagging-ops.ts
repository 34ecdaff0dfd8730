/** Object tagging (per version) and bucket tagging. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  PutObjectTaggingRequest, PutObjectTaggingOutput, GetObjectTaggingRequest, GetObjectTaggingOutput,
  DeleteObjectTaggingRequest, DeleteObjectTaggingOutput, PutBucketTaggingRequest, GetBucketTaggingRequest,
  GetBucketTaggingOutput, DeleteBucketTaggingRequest, Tag,
} from '../../../models/generated/s3.js';
import type { S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { readVersion, reportsVersion } from '../versions.js';
import { decodeTags, encodeTags, validateTags } from '../tagging.js';
import { notifyObject } from '../notification-delivery.js';

const BUCKET_TAGGING = 'tagging';

function setObjectTags(store: S3Store, ctx: RequestContext, input: { Bucket: string; Key: string; VersionId?: string }, tags: readonly Tag[], method: string): { VersionId?: string } {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const row = readVersion(store, input.Bucket, input.Key, input.VersionId, method);
  store.setTags(input.Bucket, input.Key, row.version_id, encodeTags(tags));
  notifyObject(store, ctx, method === 'PUT' ? 'ObjectTagging:Put' : 'ObjectTagging:Delete', bucket, input.Key, { etag: row.etag, versionId: row.version_id });
  return reportsVersion(bucket, row) ? { VersionId: row.version_id } : {};
}

/** PutObjectTagging: replaces the tag set of the current (or named) version. */
export async function putObjectTagging(store: S3Store, ctx: RequestContext, input: PutObjectTaggingRequest): Promise<PutObjectTaggingOutput> {
  const tags = input.Tagging?.TagSet ?? [];
  validateTags(tags, 'object');
  return setObjectTags(store, ctx, input, tags, 'PUT');
}

/** GetObjectTagging: the tag set, empty when none. */
export async function getObjectTagging(store: S3Store, ctx: RequestContext, input: GetObjectTaggingRequest): Promise<GetObjectTaggingOutput> {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const row = readVersion(store, input.Bucket, input.Key, input.VersionId, 'GET');
  const out: GetObjectTaggingOutput = { TagSet: decodeTags(row.tags) };
  if (reportsVersion(bucket, row)) out.VersionId = row.version_id;
  return out;
}

/** DeleteObjectTagging: 204. */
export async function deleteObjectTagging(store: S3Store, ctx: RequestContext, input: DeleteObjectTaggingRequest): Promise<DeleteObjectTaggingOutput> {
  return setObjectTags(store, ctx, input, [], 'DELETE');
}

/** PutBucketTagging: replaces the bucket's tag set (up to 50 tags). */
export function putBucketTagging(store: S3Store, ctx: RequestContext, input: PutBucketTaggingRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const tags = input.Tagging?.TagSet ?? [];
  validateTags(tags, 'bucket');
  const encoded = encodeTags(tags);
  if (encoded === null) store.deleteConfig(input.Bucket, BUCKET_TAGGING);
  else store.putConfig(input.Bucket, BUCKET_TAGGING, encoded);
}

/** GetBucketTagging: 404 NoSuchTagSet when the bucket has none. */
export function getBucketTagging(store: S3Store, ctx: RequestContext, input: GetBucketTaggingRequest): GetBucketTaggingOutput {
  requireBucket(store, ctx, input.Bucket);
  const stored = store.config(input.Bucket, BUCKET_TAGGING);
  if (stored === undefined) throw new ServiceError('NoSuchTagSet', 'The TagSet does not exist', { status: 404, fields: { BucketName: input.Bucket } });
  return { TagSet: decodeTags(stored) };
}

/** DeleteBucketTagging: 204. */
export function deleteBucketTagging(store: S3Store, ctx: RequestContext, input: DeleteBucketTaggingRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, BUCKET_TAGGING);
}
