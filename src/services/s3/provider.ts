/**
 * The S3 provider: one method per implemented operation, each delegating to
 * operations/*.ts over the S3Store; operations left out answer 501.
 */
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import type * as m from '../../models/generated/s3.js';
import type { Readable } from 'node:stream';
import { S3Store } from './store.js';
import { requireBucket } from './buckets.js';
import { postObject, type PostObjectResult } from './post-object.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './operations/bucket-ops.js';
import { deleteObject, deleteObjects, getObject, headObject, putObject } from './operations/object-ops.js';
import { copyObject } from './operations/copy-ops.js';
import { listObjects, listObjectsV2 } from './operations/list-ops.js';
import * as config from './operations/config-ops.js';
import * as website from './operations/website-ops.js';
import * as acl from './operations/acl-ops.js';
import { getObjectAttributes } from './operations/attributes-ops.js';
import { initAttributes } from './attributes.js';
import * as lock from './operations/lock-ops.js';
import * as lifecycle from './operations/lifecycle-ops.js';
import * as notification from './operations/notification-ops.js';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './operations/version-ops.js';
import {
  deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging,
} from './operations/tagging-ops.js';
import {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy,
} from './operations/multipart-ops.js';

/** The s3 provider. */
export class S3Provider implements m.S3Operations {
  readonly store: S3Store;

  constructor(readonly env: ServiceEnv) {
    this.store = new S3Store(env.storage);
    acl.initAcls(this.store);
    initAttributes(this.store);
  }

  async createBucket(ctx: RequestContext, input: m.CreateBucketRequest): Promise<m.CreateBucketOutput> { return createBucket(this.store, ctx, input); }
  async deleteBucket(ctx: RequestContext, input: m.DeleteBucketRequest): Promise<void> { deleteBucket(this.store, ctx, input); }
  async listBuckets(ctx: RequestContext, input: m.ListBucketsRequest): Promise<m.ListBucketsOutput> { return listBuckets(this.store, ctx, input); }
  async headBucket(ctx: RequestContext, input: m.HeadBucketRequest): Promise<m.HeadBucketOutput> { return headBucket(this.store, ctx, input); }
  async getBucketLocation(ctx: RequestContext, input: m.GetBucketLocationRequest): Promise<m.GetBucketLocationOutput> { return getBucketLocation(this.store, ctx, input); }

  putObject(ctx: RequestContext, input: m.PutObjectRequest): Promise<m.PutObjectOutput> { return putObject(this.store, ctx, input); }
  getObject(ctx: RequestContext, input: m.GetObjectRequest): Promise<m.GetObjectOutput> { return getObject(this.store, ctx, input); }
  headObject(ctx: RequestContext, input: m.HeadObjectRequest): Promise<m.HeadObjectOutput> { return headObject(this.store, ctx, input); }
  deleteObject(ctx: RequestContext, input: m.DeleteObjectRequest): Promise<m.DeleteObjectOutput> { return deleteObject(this.store, ctx, input); }
  deleteObjects(ctx: RequestContext, input: m.DeleteObjectsRequest): Promise<m.DeleteObjectsOutput> { return deleteObjects(this.store, ctx, input); }
  copyObject(ctx: RequestContext, input: m.CopyObjectRequest): Promise<m.CopyObjectOutput> { return copyObject(this.store, ctx, input); }
  listObjects(ctx: RequestContext, input: m.ListObjectsRequest): Promise<m.ListObjectsOutput> { return listObjects(this.store, ctx, input); }
  listObjectsV2(ctx: RequestContext, input: m.ListObjectsV2Request): Promise<m.ListObjectsV2Output> { return listObjectsV2(this.store, ctx, input); }

  async putBucketVersioning(ctx: RequestContext, input: m.PutBucketVersioningRequest): Promise<void> { putBucketVersioning(this.store, ctx, input); }
  async getBucketVersioning(ctx: RequestContext, input: m.GetBucketVersioningRequest): Promise<m.GetBucketVersioningOutput> { return getBucketVersioning(this.store, ctx, input); }
  listObjectVersions(ctx: RequestContext, input: m.ListObjectVersionsRequest): Promise<m.ListObjectVersionsOutput> { return listObjectVersions(this.store, ctx, input); }

  putObjectTagging(ctx: RequestContext, input: m.PutObjectTaggingRequest): Promise<m.PutObjectTaggingOutput> { return putObjectTagging(this.store, ctx, input); }
  getObjectTagging(ctx: RequestContext, input: m.GetObjectTaggingRequest): Promise<m.GetObjectTaggingOutput> { return getObjectTagging(this.store, ctx, input); }
  deleteObjectTagging(ctx: RequestContext, input: m.DeleteObjectTaggingRequest): Promise<m.DeleteObjectTaggingOutput> { return deleteObjectTagging(this.store, ctx, input); }
  async putBucketTagging(ctx: RequestContext, input: m.PutBucketTaggingRequest): Promise<void> { putBucketTagging(this.store, ctx, input); }
  async getBucketTagging(ctx: RequestContext, input: m.GetBucketTaggingRequest): Promise<m.GetBucketTaggingOutput> { return getBucketTagging(this.store, ctx, input); }
  async deleteBucketTagging(ctx: RequestContext, input: m.DeleteBucketTaggingRequest): Promise<void> { deleteBucketTagging(this.store, ctx, input); }

  async putBucketPolicy(ctx: RequestContext, input: m.PutBucketPolicyRequest): Promise<void> { config.putBucketPolicy(this.store, ctx, input); }
  async getBucketPolicy(ctx: RequestContext, input: m.GetBucketPolicyRequest): Promise<m.GetBucketPolicyOutput> { return config.getBucketPolicy(this.store, ctx, input); }
  async deleteBucketPolicy(ctx: RequestContext, input: m.DeleteBucketPolicyRequest): Promise<void> { config.deleteBucketPolicy(this.store, ctx, input); }
  async putBucketCors(ctx: RequestContext, input: m.PutBucketCorsRequest): Promise<void> { config.putBucketCors(this.store, ctx, input); }
  async getBucketCors(ctx: RequestContext, input: m.GetBucketCorsRequest): Promise<m.GetBucketCorsOutput> { return config.getBucketCors(this.store, ctx, input); }
  async deleteBucketCors(ctx: RequestContext, input: m.DeleteBucketCorsRequest): Promise<void> { config.deleteBucketCors(this.store, ctx, input); }
  async putPublicAccessBlock(ctx: RequestContext, input: m.PutPublicAccessBlockRequest): Promise<void> { config.putPublicAccessBlock(this.store, ctx, input); }
  async getPublicAccessBlock(ctx: RequestContext, input: m.GetPublicAccessBlockRequest): Promise<m.GetPublicAccessBlockOutput> { return config.getPublicAccessBlock(this.store, ctx, input); }
  async deletePublicAccessBlock(ctx: RequestContext, input: m.DeletePublicAccessBlockRequest): Promise<void> { config.deletePublicAccessBlock(this.store, ctx, input); }
  async putBucketOwnershipControls(ctx: RequestContext, input: m.PutBucketOwnershipControlsRequest): Promise<void> { config.putBucketOwnershipControls(this.store, ctx, input); }
  async getBucketOwnershipControls(ctx: RequestContext, input: m.GetBucketOwnershipControlsRequest): Promise<m.GetBucketOwnershipControlsOutput> { return config.getBucketOwnershipControls(this.store, ctx, input); }
  async deleteBucketOwnershipControls(ctx: RequestContext, input: m.DeleteBucketOwnershipControlsRequest): Promise<void> { config.deleteBucketOwnershipControls(this.store, ctx, input); }
  async putBucketEncryption(ctx: RequestContext, input: m.PutBucketEncryptionRequest): Promise<void> { config.putBucketEncryption(this.store, ctx, input); }
  async getBucketEncryption(ctx: RequestContext, input: m.GetBucketEncryptionRequest): Promise<m.GetBucketEncryptionOutput> { return config.getBucketEncryption(this.store, ctx, input); }
  async deleteBucketEncryption(ctx: RequestContext, input: m.DeleteBucketEncryptionRequest): Promise<void> { config.deleteBucketEncryption(this.store, ctx, input); }
  putBucketNotificationConfiguration(ctx: RequestContext, input: m.PutBucketNotificationConfigurationRequest): Promise<void> { return notification.putBucketNotificationConfiguration(this.store, ctx, input); }
  async getBucketNotificationConfiguration(ctx: RequestContext, input: m.GetBucketNotificationConfigurationRequest): Promise<m.NotificationConfiguration> { return notification.getBucketNotificationConfiguration(this.store, ctx, input); }

  /** The answer to a browser preflight for a bucket (headers of a 200), or 403 AccessForbidden; not an S3 operation. */
  preflight(bucket: string, origin: string, method: string, requestHeaders: string | undefined): Record<string, string> {
    return config.bucketPreflight(this.store, bucket, origin, method, requestHeaders);
  }

  /** A browser POST upload (multipart/form-data) to a bucket; not an operation of the model (see intercept.ts). */
  postObject(bucket: string, contentType: string, form: Readable, authorize: (fields: ReadonlyMap<string, string>) => RequestContext): Promise<PostObjectResult> {
    return postObject(this.store, bucket, contentType, form, authorize);
  }

  /** Whether an unsigned POST upload may write to a bucket (public-read-write ACL, public ACLs not ignored). */
  anonymousWriteAllowed(bucket: string): boolean {
    return acl.anonymousWriteAllowed(this.store, bucket);
  }

  async putBucketWebsite(ctx: RequestContext, input: m.PutBucketWebsiteRequest): Promise<void> { website.putBucketWebsite(this.store, ctx, input); }
  async getBucketWebsite(ctx: RequestContext, input: m.GetBucketWebsiteRequest): Promise<m.GetBucketWebsiteOutput> { return website.getBucketWebsite(this.store, ctx, input); }
  async deleteBucketWebsite(ctx: RequestContext, input: m.DeleteBucketWebsiteRequest): Promise<void> { website.deleteBucketWebsite(this.store, ctx, input); }
  async getBucketAcl(ctx: RequestContext, input: m.GetBucketAclRequest): Promise<m.GetBucketAclOutput> { return acl.getBucketAcl(this.store, ctx, input); }
  async putBucketAcl(ctx: RequestContext, input: m.PutBucketAclRequest): Promise<void> { acl.putBucketAcl(this.store, ctx, input); }
  async getObjectAcl(ctx: RequestContext, input: m.GetObjectAclRequest): Promise<m.GetObjectAclOutput> { return acl.getObjectAcl(this.store, ctx, input); }
  async putObjectAcl(ctx: RequestContext, input: m.PutObjectAclRequest): Promise<m.PutObjectAclOutput> { return acl.putObjectAcl(this.store, ctx, input); }
  getObjectAttributes(ctx: RequestContext, input: m.GetObjectAttributesRequest): Promise<m.GetObjectAttributesOutput> { return getObjectAttributes(this.store, ctx, input); }

  /** The CORS headers of an actual request with Origin to a bucket; not an S3 operation. */
  corsHeaders(bucket: string, origin: string, method: string): Record<string, string> {
    return config.bucketCorsHeaders(this.store, bucket, origin, method);
  }

  createMultipartUpload(ctx: RequestContext, input: m.CreateMultipartUploadRequest): Promise<m.CreateMultipartUploadOutput> { return createMultipartUpload(this.store, ctx, input); }
  uploadPart(ctx: RequestContext, input: m.UploadPartRequest): Promise<m.UploadPartOutput> { return uploadPart(this.store, ctx, input); }
  uploadPartCopy(ctx: RequestContext, input: m.UploadPartCopyRequest): Promise<m.UploadPartCopyOutput> { return uploadPartCopy(this.store, ctx, input); }
  completeMultipartUpload(ctx: RequestContext, input: m.CompleteMultipartUploadRequest): Promise<m.CompleteMultipartUploadOutput> { return completeMultipartUpload(this.store, ctx, input); }
  abortMultipartUpload(ctx: RequestContext, input: m.AbortMultipartUploadRequest): Promise<m.AbortMultipartUploadOutput> { return abortMultipartUpload(this.store, ctx, input); }
  listParts(ctx: RequestContext, input: m.ListPartsRequest): Promise<m.ListPartsOutput> { return listParts(this.store, ctx, input); }
  listMultipartUploads(ctx: RequestContext, input: m.ListMultipartUploadsRequest): Promise<m.ListMultipartUploadsOutput> { return listMultipartUploads(this.store, ctx, input); }

  putObjectLockConfiguration(ctx: RequestContext, input: m.PutObjectLockConfigurationRequest): Promise<m.PutObjectLockConfigurationOutput> { return Promise.resolve(lock.putObjectLockConfiguration(this.store, ctx, input)); }
  getObjectLockConfiguration(ctx: RequestContext, input: m.GetObjectLockConfigurationRequest): Promise<m.GetObjectLockConfigurationOutput> { return Promise.resolve(lock.getObjectLockConfiguration(this.store, ctx, input)); }
  putObjectRetention(ctx: RequestContext, input: m.PutObjectRetentionRequest): Promise<m.PutObjectRetentionOutput> { return Promise.resolve(lock.putObjectRetention(this.store, ctx, input)); }
  getObjectRetention(ctx: RequestContext, input: m.GetObjectRetentionRequest): Promise<m.GetObjectRetentionOutput> { return Promise.resolve(lock.getObjectRetention(this.store, ctx, input)); }
  putObjectLegalHold(ctx: RequestContext, input: m.PutObjectLegalHoldRequest): Promise<m.PutObjectLegalHoldOutput> { return Promise.resolve(lock.putObjectLegalHold(this.store, ctx, input)); }
  getObjectLegalHold(ctx: RequestContext, input: m.GetObjectLegalHoldRequest): Promise<m.GetObjectLegalHoldOutput> { return Promise.resolve(lock.getObjectLegalHold(this.store, ctx, input)); }
  putBucketLifecycleConfiguration(ctx: RequestContext, input: m.PutBucketLifecycleConfigurationRequest): Promise<m.PutBucketLifecycleConfigurationOutput> { return Promise.resolve(lifecycle.putBucketLifecycleConfiguration(this.store, ctx, input)); }
  getBucketLifecycleConfiguration(ctx: RequestContext, input: m.GetBucketLifecycleConfigurationRequest): Promise<m.GetBucketLifecycleConfigurationOutput> { return Promise.resolve(lifecycle.getBucketLifecycleConfiguration(this.store, ctx, input)); }
  async deleteBucketLifecycle(ctx: RequestContext, input: m.DeleteBucketLifecycleRequest): Promise<void> { lifecycle.deleteBucketLifecycle(this.store, ctx, input); }
}
