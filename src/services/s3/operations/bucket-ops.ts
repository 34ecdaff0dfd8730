/** CreateBucket, DeleteBucket, ListBuckets, HeadBucket, GetBucketLocation. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type {
  CreateBucketRequest, CreateBucketOutput, DeleteBucketRequest, ListBucketsRequest, ListBucketsOutput,
  HeadBucketRequest, HeadBucketOutput, GetBucketLocationRequest, GetBucketLocationOutput, BucketLocationConstraint,
} from '../../../models/generated/s3.js';
import type { S3Store } from '../store.js';
import { invalidBucketName, isValidBucketName, ownerOf, requireBucket } from '../buckets.js';
import { invalidArgument } from '../errors.js';
import { initialBucketConfig } from './config-ops.js';
import { createBucketGrants, saveBucketGrants } from './acl-ops.js';
import { enableObjectLockOnCreate, forgetBucketState } from '../object-lock.js';

const US_EAST_1 = 'us-east-1';
const MAX_BUCKETS_PAGE = 10000;

/** CreateBucket: the name is global; LocationConstraint must name the region the request was sent to (none in us-east-1). */
export function createBucket(store: S3Store, ctx: RequestContext, input: CreateBucketRequest): CreateBucketOutput {
  const name = input.Bucket;
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const constraint: string | undefined = input.CreateBucketConfiguration?.LocationConstraint;
  const region = ctx.region;
  if (constraint === undefined || constraint === '') {
    if (region !== US_EAST_1) throw new ServiceError('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', { status: 400 });
  } else if (constraint === US_EAST_1 && region === US_EAST_1) {
    throw new ServiceError('InvalidLocationConstraint', 'The specified location-constraint is not valid', { status: 400, fields: { LocationConstraint: constraint } });
  } else if (constraint !== region) {
    throw new ServiceError('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, { status: 400 });
  }
  const existing = store.bucket(name);
  if (existing) {
    if (existing.account !== ctx.account) {
      throw new ServiceError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { status: 409, fields: { BucketName: name } });
    }
    // CreateBucket API reference: in us-east-1, re-creating a bucket you own succeeds (legacy compatibility).
    if (existing.region === US_EAST_1 && region === US_EAST_1) return { Location: `/${name}` };
    throw new ServiceError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { status: 409, fields: { BucketName: name } });
  }
  const grants = createBucketGrants(input, ctx.account);
  store.storage.db.transaction(() => {
    store.insertBucket({ name, account: ctx.account, region, created: ctx.clock.now() });
    initialBucketConfig(store, name, input.ObjectOwnership);
    saveBucketGrants(store, name, grants);
    if (input.ObjectLockEnabledForBucket === true) enableObjectLockOnCreate(store, name);
  })();
  return { Location: region === US_EAST_1 ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
}

/** DeleteBucket: only an empty bucket; its unfinished multipart uploads go with it. */
export function deleteBucket(store: S3Store, ctx: RequestContext, input: DeleteBucketRequest): void {
  requireBucket(store, ctx, input.Bucket);
  if (store.hasObjects(input.Bucket)) {
    throw new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', { status: 409, fields: { BucketName: input.Bucket } });
  }
  // Lock and grant rows left by versions and uploads go in the same transaction as the bucket.
  const blobs = store.storage.db.transaction(() => {
    forgetBucketState(store, input.Bucket);
    return store.deleteBucket(input.Bucket);
  })();
  store.dropBlobs(blobs);
}

/** ListBuckets: the caller's buckets by name, optionally filtered by prefix and region, paginated by name. */
export function listBuckets(store: S3Store, ctx: RequestContext, input: ListBucketsRequest): ListBucketsOutput {
  const max = input.MaxBuckets;
  if (max !== undefined && (max < 1 || max > MAX_BUCKETS_PAGE)) throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', 'max-buckets', String(max));
  let after = '';
  if (input.ContinuationToken !== undefined) {
    after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
    if (after === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
  }
  const all = store.bucketsOf(ctx.account).filter((b) => b.name > after
    && (input.Prefix === undefined || b.name.startsWith(input.Prefix))
    && (input.BucketRegion === undefined || b.region === input.BucketRegion));
  const page = max !== undefined ? all.slice(0, max) : all;
  const out: ListBucketsOutput = {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.created), BucketRegion: b.region, BucketArn: `arn:aws:s3:::${b.name}` })),
    Owner: ownerOf(ctx.account),
  };
  if (input.Prefix !== undefined) out.Prefix = input.Prefix;
  if (page.length < all.length) out.ContinuationToken = Buffer.from(page[page.length - 1]!.name).toString('base64url');
  return out;
}

/** HeadBucket: 200 with the bucket's region, or a bodiless 404/403. */
export function headBucket(store: S3Store, ctx: RequestContext, input: HeadBucketRequest): HeadBucketOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  return { BucketRegion: b.region, AccessPointAlias: false };
}

/** GetBucketLocation: empty for us-east-1, else the region. */
export function getBucketLocation(store: S3Store, ctx: RequestContext, input: GetBucketLocationRequest): GetBucketLocationOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  return b.region === US_EAST_1 ? {} : { LocationConstraint: b.region as BucketLocationConstraint };
}
