/** PutBucketWebsite, GetBucketWebsite, DeleteBucketWebsite: the configuration stored as a bucket document. */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { validateWebsite } from '../website.js';

/** The s3_bucket_config kind of website configurations. */
export const WEBSITE = 'website';

/** 404 NoSuchWebsiteConfiguration. */
export function noSuchWebsiteConfiguration(bucket: string): ServiceError {
  return new ServiceError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', { status: 404, fields: { BucketName: bucket } });
}

/** A bucket's website configuration, undefined when it has none. */
export function websiteOf(store: S3Store, bucket: string): m.WebsiteConfiguration | undefined {
  const text = store.config(bucket, WEBSITE);
  return text === undefined ? undefined : JSON.parse(text) as m.WebsiteConfiguration;
}

/** PutBucketWebsite: validated, then stored as given. */
export function putBucketWebsite(store: S3Store, ctx: RequestContext, input: m.PutBucketWebsiteRequest): void {
  requireBucket(store, ctx, input.Bucket);
  validateWebsite(input.WebsiteConfiguration);
  store.putConfig(input.Bucket, WEBSITE, JSON.stringify(input.WebsiteConfiguration));
}

/** GetBucketWebsite: the stored configuration, or NoSuchWebsiteConfiguration. */
export function getBucketWebsite(store: S3Store, ctx: RequestContext, input: m.GetBucketWebsiteRequest): m.GetBucketWebsiteOutput {
  requireBucket(store, ctx, input.Bucket);
  const c = websiteOf(store, input.Bucket);
  if (!c) throw noSuchWebsiteConfiguration(input.Bucket);
  return c;
}

/** DeleteBucketWebsite: 204 whether or not one was configured. */
export function deleteBucketWebsite(store: S3Store, ctx: RequestContext, input: m.DeleteBucketWebsiteRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, WEBSITE);
}
