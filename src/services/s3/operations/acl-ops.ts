/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl, and the ACLs that CreateBucket,
 * PutObject, CopyObject, CreateMultipartUpload and POST uploads set. A bucket's grants are a
 * bucket document; an object version's are keyed by its creation sequence number (unique per
 * version), an upload's by its id until completion. No row means the default: owner FULL_CONTROL.
 */
import type { Statement } from 'better-sqlite3';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { Storage } from '../../../state/storage.js';
import type { S3Store } from '../store.js';
import { ownerOf, requireBucket } from '../buckets.js';
import { readVersion } from '../versions.js';
import { aclNotSupported, grantsAllUsers, grantsOf, onlyOwnerFullControl, ownerGrant, type AclInput } from '../acl.js';
import { ServiceError } from '../../../shared/errors.js';

const ACL = 'acl';
const OWNERSHIP = 'ownership';
const PUBLIC_ACCESS_BLOCK = 'public-access-block';

/** Object and upload grants, in their own tables. */
class AclStore {
  private readonly s: {
    object: Statement<[string, number], { grants: string }>;
    putObject: Statement<[string, number, string]>;
    upload: Statement<[string], { grants: string }>;
    putUpload: Statement<[string, string]>;
    deleteUpload: Statement<[string]>;
    deleteObject: Statement<[string, number]>;
    deleteBucketObjects: Statement<[string]>;
    deleteBucketUploads: Statement<[string]>;
  };
  /** Buckets whose versions may have grant rows (a superset), so that deletes elsewhere skip the lookups. */
  private readonly objectBuckets: Set<string>;

  constructor(storage: Storage) {
    storage.migrate('s3-acl', [
      'CREATE TABLE s3_object_acls (bucket TEXT NOT NULL, seq INTEGER NOT NULL, grants TEXT NOT NULL, PRIMARY KEY (bucket, seq)) WITHOUT ROWID',
      'CREATE TABLE s3_upload_acls (upload_id TEXT PRIMARY KEY, grants TEXT NOT NULL)',
    ]);
    const db = storage.db;
    this.s = {
      object: db.prepare('SELECT grants FROM s3_object_acls WHERE bucket = ? AND seq = ?'),
      putObject: db.prepare('INSERT OR REPLACE INTO s3_object_acls (bucket, seq, grants) VALUES (?, ?, ?)'),
      upload: db.prepare('SELECT grants FROM s3_upload_acls WHERE upload_id = ?'),
      putUpload: db.prepare('INSERT OR REPLACE INTO s3_upload_acls (upload_id, grants) VALUES (?, ?)'),
      deleteUpload: db.prepare('DELETE FROM s3_upload_acls WHERE upload_id = ?'),
      deleteObject: db.prepare('DELETE FROM s3_object_acls WHERE bucket = ? AND seq = ?'),
      deleteBucketObjects: db.prepare('DELETE FROM s3_object_acls WHERE bucket = ?'),
      deleteBucketUploads: db.prepare('DELETE FROM s3_upload_acls WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = ?)'),
    };
    this.objectBuckets = new Set((db.prepare('SELECT DISTINCT bucket FROM s3_object_acls').all() as { bucket: string }[]).map((r) => r.bucket));
  }

  mayHaveObjectGrants(bucket: string): boolean { return this.objectBuckets.has(bucket); }

  forgetObject(bucket: string, seq: number): void {
    if (this.objectBuckets.has(bucket)) this.s.deleteObject.run(bucket, seq);
  }

  forgetUpload(uploadId: string): void { this.s.deleteUpload.run(uploadId); }

  /** Drops the grants of a bucket's versions and uploads (before the bucket and its uploads go). */
  forgetBucket(bucket: string): void {
    this.s.deleteBucketObjects.run(bucket);
    this.s.deleteBucketUploads.run(bucket);
    this.objectBuckets.delete(bucket);
  }

  object(bucket: string, seq: number): m.Grant[] | undefined {
    const row = this.s.object.get(bucket, seq);
    return row ? JSON.parse(row.grants) as m.Grant[] : undefined;
  }

  putObject(bucket: string, seq: number, grants: m.Grant[]): void {
    this.objectBuckets.add(bucket);
    this.s.putObject.run(bucket, seq, JSON.stringify(grants));
  }

  takeUpload(uploadId: string): m.Grant[] | undefined {
    const row = this.s.upload.get(uploadId);
    if (!row) return undefined;
    this.s.deleteUpload.run(uploadId);
    return JSON.parse(row.grants) as m.Grant[];
  }

  putUpload(uploadId: string, grants: m.Grant[]): void { this.s.putUpload.run(uploadId, JSON.stringify(grants)); }
}

const stores = new WeakMap<Storage, AclStore>();
function acls(store: S3Store): AclStore {
  let a = stores.get(store.storage);
  if (!a) stores.set(store.storage, (a = new AclStore(store.storage)));
  return a;
}

/** Prepares the ACL tables (at provider creation, so that the first request does not migrate). */
export function initAcls(store: S3Store): void {
  acls(store);
}

/** Whether a bucket's ACLs are disabled (BucketOwnerEnforced, the default for new buckets). */
function aclsDisabled(store: S3Store, bucket: string): boolean {
  return store.config(bucket, OWNERSHIP) === 'BucketOwnerEnforced';
}

/**
 * The grants an input asks for, checked against the bucket's object ownership; undefined when
 * it names none (the default). Called before any write, so a refused ACL writes nothing.
 */
export function requestedGrants(store: S3Store, bucket: string, account: string, input: AclInput, forBucket: boolean): m.Grant[] | undefined {
  const grants = grantsOf(input, account, forBucket);
  if (grants !== undefined && aclsDisabled(store, bucket) && !onlyOwnerFullControl(grants, account)) throw aclNotSupported();
  return grants;
}

/** CreateBucket's ACL: with BucketOwnerEnforced (asked for or by default), only private. */
export function createBucketGrants(input: m.CreateBucketRequest, account: string): m.Grant[] | undefined {
  const grants = grantsOf(input as AclInput, account, true);
  if (grants === undefined) return undefined;
  const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
  if (ownership === 'BucketOwnerEnforced' && !onlyOwnerFullControl(grants, account)) {
    throw new ServiceError('InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting', { status: 400 });
  }
  return grants;
}

/** Stores a bucket's grants (inside the caller's transaction). */
export function saveBucketGrants(store: S3Store, bucket: string, grants: m.Grant[] | undefined): void {
  if (grants !== undefined) store.putConfig(bucket, ACL, JSON.stringify(grants));
}

/** Stores an object version's grants (inside the caller's transaction; `seq` is the version's). */
export function saveObjectGrants(store: S3Store, bucket: string, seq: number, grants: m.Grant[] | undefined): void {
  if (grants !== undefined) acls(store).putObject(bucket, seq, grants);
}

/** Whether versions of a bucket may have grant rows (false: certainly none). */
export function objectGrantsMayExist(store: S3Store, bucket: string): boolean {
  return acls(store).mayHaveObjectGrants(bucket);
}

/** Drops a version's grants: the version is gone for good (inside the deleting transaction). */
export function forgetObjectGrants(store: S3Store, bucket: string, seq: number): void {
  acls(store).forgetObject(bucket, seq);
}

/** Drops an aborted upload's grants (inside the aborting transaction). */
export function forgetUploadGrants(store: S3Store, uploadId: string): void {
  acls(store).forgetUpload(uploadId);
}

/** Drops every version and upload grant of a bucket being deleted (inside the deleting transaction). */
export function forgetBucketGrants(store: S3Store, bucket: string): void {
  acls(store).forgetBucket(bucket);
}

/** Keeps an upload's grants until it completes. */
export function saveUploadGrants(store: S3Store, uploadId: string, grants: m.Grant[] | undefined): void {
  if (grants !== undefined) acls(store).putUpload(uploadId, grants);
}

/** Moves a completed upload's grants to the object version it became (inside the completing transaction). */
export function completeUploadGrants(store: S3Store, uploadId: string, bucket: string, seq: number): void {
  const grants = acls(store).takeUpload(uploadId);
  if (grants !== undefined) acls(store).putObject(bucket, seq, grants);
}

function bucketGrants(store: S3Store, bucket: string, account: string): m.Grant[] {
  const text = store.config(bucket, ACL);
  return text === undefined ? [ownerGrant(account)] : JSON.parse(text) as m.Grant[];
}

/** Whether an unsigned POST upload may write: the bucket grants AllUsers WRITE and public ACLs are not ignored. */
export function anonymousWriteAllowed(store: S3Store, bucket: string): boolean {
  const b = store.bucket(bucket);
  if (!b || aclsDisabled(store, bucket)) return false;
  const block = store.config(bucket, PUBLIC_ACCESS_BLOCK);
  if (block !== undefined && (JSON.parse(block) as m.PublicAccessBlockConfiguration).IgnorePublicAcls) return false;
  return grantsAllUsers(bucketGrants(store, bucket, b.account), 'WRITE');
}

/** Whether an object version's ACL lets everyone read it: ACLs enabled on the bucket and AllUsers granted READ. */
export function aclGrantsPublicRead(store: S3Store, bucket: string, seq: number): boolean {
  if (!acls(store).mayHaveObjectGrants(bucket) || aclsDisabled(store, bucket)) return false;
  const grants = acls(store).object(bucket, seq);
  return grants !== undefined && grantsAllUsers(grants, 'READ');
}

/** GetBucketAcl. */
export function getBucketAcl(store: S3Store, ctx: RequestContext, input: m.GetBucketAclRequest): m.GetBucketAclOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  return { Owner: ownerOf(b.account), Grants: bucketGrants(store, input.Bucket, b.account) };
}

/** PutBucketAcl: a canned ACL, grant headers, or an AccessControlPolicy document (one of them). */
export function putBucketAcl(store: S3Store, ctx: RequestContext, input: m.PutBucketAclRequest): void {
  const b = requireBucket(store, ctx, input.Bucket);
  const grants = requestedGrants(store, input.Bucket, b.account, input, true);
  if (grants === undefined) {
    throw new ServiceError('MissingSecurityHeader', 'Your request was missing a required header', { status: 400, fields: { MissingHeaderName: 'x-amz-acl' } });
  }
  saveBucketGrants(store, input.Bucket, grants);
}

/** GetObjectAcl: of the current version or a named one. */
export function getObjectAcl(store: S3Store, ctx: RequestContext, input: m.GetObjectAclRequest): m.GetObjectAclOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  const row = readVersion(store, input.Bucket, input.Key, input.VersionId, 'GET');
  return { Owner: ownerOf(b.account), Grants: acls(store).object(input.Bucket, row.seq) ?? [ownerGrant(b.account)] };
}

/** PutObjectAcl: replaces one version's grants. */
export function putObjectAcl(store: S3Store, ctx: RequestContext, input: m.PutObjectAclRequest): m.PutObjectAclOutput {
  const b = requireBucket(store, ctx, input.Bucket);
  const row = readVersion(store, input.Bucket, input.Key, input.VersionId, 'PUT');
  const grants = requestedGrants(store, input.Bucket, b.account, input, false);
  if (grants === undefined) {
    throw new ServiceError('MissingSecurityHeader', 'Your request was missing a required header', { status: 400, fields: { MissingHeaderName: 'x-amz-acl' } });
  }
  acls(store).putObject(input.Bucket, row.seq, grants);
  return {};
}
