/**
 * The S3 provider: one method per implemented operation, each delegating to
 * operations/*.ts over the S3Store; operations left out answer 501.
 */
import type { RequestContext, ServiceEnv } from '../../gateway/context.js';
import type * as m from '../../models/generated/s3.js';
import { S3Store } from './store.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './operations/bucket-ops.js';
import { deleteObject, deleteObjects, getObject, headObject, putObject } from './operations/object-ops.js';
import { copyObject } from './operations/copy-ops.js';
import { listObjects, listObjectsV2 } from './operations/list-ops.js';
import {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy,
} from './operations/multipart-ops.js';

/** The s3 provider. */
export class S3Provider implements m.S3Operations {
  readonly store: S3Store;

  constructor(readonly env: ServiceEnv) {
    this.store = new S3Store(env.storage);
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

  createMultipartUpload(ctx: RequestContext, input: m.CreateMultipartUploadRequest): Promise<m.CreateMultipartUploadOutput> { return createMultipartUpload(this.store, ctx, input); }
  uploadPart(ctx: RequestContext, input: m.UploadPartRequest): Promise<m.UploadPartOutput> { return uploadPart(this.store, ctx, input); }
  uploadPartCopy(ctx: RequestContext, input: m.UploadPartCopyRequest): Promise<m.UploadPartCopyOutput> { return uploadPartCopy(this.store, ctx, input); }
  completeMultipartUpload(ctx: RequestContext, input: m.CompleteMultipartUploadRequest): Promise<m.CompleteMultipartUploadOutput> { return completeMultipartUpload(this.store, ctx, input); }
  abortMultipartUpload(ctx: RequestContext, input: m.AbortMultipartUploadRequest): Promise<m.AbortMultipartUploadOutput> { return abortMultipartUpload(this.store, ctx, input); }
  listParts(ctx: RequestContext, input: m.ListPartsRequest): Promise<m.ListPartsOutput> { return listParts(this.store, ctx, input); }
  listMultipartUploads(ctx: RequestContext, input: m.ListMultipartUploadsRequest): Promise<m.ListMultipartUploadsOutput> { return listMultipartUploads(this.store, ctx, input); }
}
