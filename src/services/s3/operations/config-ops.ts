/**
 * Bucket configuration documents: policy, CORS, public access block, ownership controls
 * and default encryption, stored per bucket and returned as stored. New buckets start as
 * S3 creates them since 2023: public access blocked, BucketOwnerEnforced, SSE-S3.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { malformedXml } from '../errors.js';
import { CORS_METHODS, actualRequestHeaders, preflight } from '../cors.js';

/** Kinds of s3_bucket_config rows. */
const POLICY = 'policy';
const CORS = 'cors';
const PUBLIC_ACCESS_BLOCK = 'public-access-block';
const OWNERSHIP = 'ownership';
const ENCRYPTION = 'encryption';
const MAX_CORS_RULES = 100;
const MAX_POLICY_BYTES = 20 * 1024;
const OWNERSHIPS: ReadonlySet<string> = new Set(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']);

const DEFAULT_PUBLIC_ACCESS_BLOCK: m.PublicAccessBlockConfiguration = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const DEFAULT_ENCRYPTION: m.ServerSideEncryptionConfiguration = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };

/** The configuration rows a new bucket starts with. */
export function initialBucketConfig(store: S3Store, bucket: string, ownership: string | undefined): void {
  store.putConfig(bucket, PUBLIC_ACCESS_BLOCK, JSON.stringify(DEFAULT_PUBLIC_ACCESS_BLOCK));
  store.putConfig(bucket, OWNERSHIP, ownership ?? 'BucketOwnerEnforced');
}

function malformedPolicy(message: string): ServiceError {
  return new ServiceError('MalformedPolicy', message, { status: 400 });
}

/** PutBucketPolicy: a JSON document with statements; stored byte for byte. */
export function putBucketPolicy(store: S3Store, ctx: RequestContext, input: m.PutBucketPolicyRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const text = input.Policy;
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformedPolicy('Policy exceeds the maximum allowed document size.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (!text.trimStart().startsWith('{') || typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const statement = (doc as Record<string, unknown>).Statement;
  if (statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) throw malformedPolicy('Statement is not an object');
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformedPolicy('Invalid effect: ' + String(st.Effect ?? ''));
    if (st.Action === undefined && st.NotAction === undefined) throw malformedPolicy('Missing required field Action');
    if (st.Principal === undefined && st.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
    if (st.Resource === undefined && st.NotResource === undefined) throw malformedPolicy('Missing required field Resource');
  }
  store.putConfig(input.Bucket, POLICY, text);
}

/** GetBucketPolicy: the document as stored. */
export function getBucketPolicy(store: S3Store, ctx: RequestContext, input: m.GetBucketPolicyRequest): m.GetBucketPolicyOutput {
  requireBucket(store, ctx, input.Bucket);
  const policy = store.config(input.Bucket, POLICY);
  if (policy === undefined) throw new ServiceError('NoSuchBucketPolicy', 'The bucket policy does not exist', { status: 404, fields: { BucketName: input.Bucket } });
  return { Policy: policy };
}

/** DeleteBucketPolicy: 204. */
export function deleteBucketPolicy(store: S3Store, ctx: RequestContext, input: m.DeleteBucketPolicyRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, POLICY);
}

/** PutBucketCors: up to 100 rules of supported methods. */
export function putBucketCors(store: S3Store, ctx: RequestContext, input: m.PutBucketCorsRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const rules = input.CORSConfiguration?.CORSRules ?? [];
  if (rules.length === 0) throw malformedXml();
  if (rules.length > MAX_CORS_RULES) throw new ServiceError('InvalidRequest', 'The number of CORS rules should not exceed allowed limit of 100 rules.', { status: 400 });
  for (const r of rules) {
    if (!r.AllowedMethods?.length || !r.AllowedOrigins?.length) throw malformedXml();
    for (const method of r.AllowedMethods) {
      if (!CORS_METHODS.has(method)) throw new ServiceError('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`, { status: 400 });
    }
    for (const origin of r.AllowedOrigins) {
      if (origin.split('*').length > 2) throw new ServiceError('InvalidRequest', `AllowedOrigin "${origin}" can not have more than one wildcard.`, { status: 400 });
    }
  }
  store.putConfig(input.Bucket, CORS, JSON.stringify(rules));
}

function corsRules(store: S3Store, bucket: string): m.CORSRule[] | undefined {
  const stored = store.config(bucket, CORS);
  return stored === undefined ? undefined : (JSON.parse(stored) as m.CORSRule[]);
}

/** GetBucketCors. */
export function getBucketCors(store: S3Store, ctx: RequestContext, input: m.GetBucketCorsRequest): m.GetBucketCorsOutput {
  requireBucket(store, ctx, input.Bucket);
  const rules = corsRules(store, input.Bucket);
  if (rules === undefined) throw new ServiceError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', { status: 404, fields: { BucketName: input.Bucket } });
  return { CORSRules: rules };
}

/** DeleteBucketCors: 204. */
export function deleteBucketCors(store: S3Store, ctx: RequestContext, input: m.DeleteBucketCorsRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, CORS);
}

/** The headers of a browser preflight to a bucket (or 403 AccessForbidden); 403 AccessForbidden too for a bucket that does not exist. */
export function bucketPreflight(store: S3Store, bucket: string, origin: string, method: string, requestHeaders: string | undefined): Record<string, string> {
  const rules = store.bucket(bucket) ? corsRules(store, bucket) : undefined;
  return preflight(rules, origin, method, requestHeaders);
}

/** The CORS headers for an actual request with Origin to a bucket. */
export function bucketCorsHeaders(store: S3Store, bucket: string, origin: string, method: string): Record<string, string> {
  return actualRequestHeaders(corsRules(store, bucket), origin, method);
}

/** PutPublicAccessBlock. */
export function putPublicAccessBlock(store: S3Store, ctx: RequestContext, input: m.PutPublicAccessBlockRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const c = input.PublicAccessBlockConfiguration ?? {};
  const doc: m.PublicAccessBlockConfiguration = {
    BlockPublicAcls: c.BlockPublicAcls ?? false, IgnorePublicAcls: c.IgnorePublicAcls ?? false,
    BlockPublicPolicy: c.BlockPublicPolicy ?? false, RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
  };
  store.putConfig(input.Bucket, PUBLIC_ACCESS_BLOCK, JSON.stringify(doc));
}

/** GetPublicAccessBlock. */
export function getPublicAccessBlock(store: S3Store, ctx: RequestContext, input: m.GetPublicAccessBlockRequest): m.GetPublicAccessBlockOutput {
  requireBucket(store, ctx, input.Bucket);
  const stored = store.config(input.Bucket, PUBLIC_ACCESS_BLOCK);
  if (stored === undefined) {
    throw new ServiceError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { status: 404, fields: { BucketName: input.Bucket } });
  }
  return { PublicAccessBlockConfiguration: JSON.parse(stored) as m.PublicAccessBlockConfiguration };
}

/** DeletePublicAccessBlock: 204. */
export function deletePublicAccessBlock(store: S3Store, ctx: RequestContext, input: m.DeletePublicAccessBlockRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, PUBLIC_ACCESS_BLOCK);
}

/** PutBucketOwnershipControls: exactly one rule. */
export function putBucketOwnershipControls(store: S3Store, ctx: RequestContext, input: m.PutBucketOwnershipControlsRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const rules = input.OwnershipControls?.Rules ?? [];
  if (rules.length !== 1 || !OWNERSHIPS.has(rules[0]!.ObjectOwnership)) throw malformedXml();
  store.putConfig(input.Bucket, OWNERSHIP, rules[0]!.ObjectOwnership);
}

/** GetBucketOwnershipControls. */
export function getBucketOwnershipControls(store: S3Store, ctx: RequestContext, input: m.GetBucketOwnershipControlsRequest): m.GetBucketOwnershipControlsOutput {
  requireBucket(store, ctx, input.Bucket);
  const stored = store.config(input.Bucket, OWNERSHIP);
  if (stored === undefined) throw new ServiceError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', { status: 404, fields: { BucketName: input.Bucket } });
  return { OwnershipControls: { Rules: [{ ObjectOwnership: stored as m.ObjectOwnership }] } };
}

/** DeleteBucketOwnershipControls: 204. */
export function deleteBucketOwnershipControls(store: S3Store, ctx: RequestContext, input: m.DeleteBucketOwnershipControlsRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, OWNERSHIP);
}

/** PutBucketEncryption: one rule naming AES256, aws:kms or aws:kms:dsse. */
export function putBucketEncryption(store: S3Store, ctx: RequestContext, input: m.PutBucketEncryptionRequest): void {
  requireBucket(store, ctx, input.Bucket);
  const rules = input.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length !== 1) throw malformedXml();
  const byDefault = rules[0]!.ApplyServerSideEncryptionByDefault;
  if (byDefault?.SSEAlgorithm === 'AES256' && byDefault.KMSMasterKeyID !== undefined) {
    throw new ServiceError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { status: 400, fields: { ArgumentName: 'ApplyServerSideEncryptionByDefault' } });
  }
  const rule: m.ServerSideEncryptionRule = { ...rules[0]!, BucketKeyEnabled: rules[0]!.BucketKeyEnabled ?? false };
  store.putConfig(input.Bucket, ENCRYPTION, JSON.stringify({ Rules: [rule] }));
}

/** GetBucketEncryption: every bucket has default encryption (SSE-S3 unless configured). */
export function getBucketEncryption(store: S3Store, ctx: RequestContext, input: m.GetBucketEncryptionRequest): m.GetBucketEncryptionOutput {
  requireBucket(store, ctx, input.Bucket);
  const stored = store.config(input.Bucket, ENCRYPTION);
  return { ServerSideEncryptionConfiguration: stored === undefined ? DEFAULT_ENCRYPTION : (JSON.parse(stored) as m.ServerSideEncryptionConfiguration) };
}

/** DeleteBucketEncryption: back to SSE-S3. */
export function deleteBucketEncryption(store: S3Store, ctx: RequestContext, input: m.DeleteBucketEncryptionRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.deleteConfig(input.Bucket, ENCRYPTION);
}
