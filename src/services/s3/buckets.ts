/** Bucket naming rules, ownership and lookup shared by S3's operations. */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../gateway/context.js';
import type { BucketRow, S3Store } from './store.js';
import { accessDenied, noSuchBucket } from './errors.js';

const NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d+\.\d+\.\d+\.\d+$/;
// Prefixes and suffixes S3 reserves (General purpose bucket naming rules).
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Whether a name follows the general purpose bucket naming rules. */
export function isValidBucketName(name: string): boolean {
  if (!NAME.test(name) || IP_LIKE.test(name) || name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) return false;
  return !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
}

/** 400 InvalidBucketName. */
export function invalidBucketName(name: string): ServiceError {
  return new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', { status: 400, fields: { BucketName: name } });
}

/** The canonical user id S3 shows as an account's owner id (64 hex digits, stable per account). */
export function canonicalId(account: string): string {
  return createHash('sha256').update(`nimbus-canonical-user:${account}`).digest('hex');
}

/** The Owner element of an account. */
export function ownerOf(account: string): { ID: string } {
  return { ID: canonicalId(account) };
}

/** The caller's bucket, or S3's error: NoSuchBucket when none has the name, AccessDenied when another account owns it. */
export function requireBucket(store: S3Store, ctx: RequestContext, name: string): BucketRow {
  const b = store.bucket(name);
  if (!b) throw noSuchBucket(name);
  if (b.account !== ctx.account) throw accessDenied();
  return b;
}
