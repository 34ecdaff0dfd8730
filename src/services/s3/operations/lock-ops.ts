/**
 * PutObjectLockConfiguration, GetObjectLockConfiguration, PutObjectRetention,
 * GetObjectRetention, PutObjectLegalHold and GetObjectLegalHold.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { ObjectRow, S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { malformedXml } from '../errors.js';
import { readVersion } from '../versions.js';
import { locksOf, missingLockConfiguration, protectedByLock, retainDateInPast, type LockRow } from '../object-lock.js';

const MODES: ReadonlySet<string> = new Set(['GOVERNANCE', 'COMPLIANCE']);

function positivePeriod(): ServiceError {
  return new ServiceError('InvalidArgument', 'Default retention period must be a positive integer value.', { status: 400 });
}

/** Checks a lock configuration document; returns it as stored. */
function checkConfiguration(c: m.ObjectLockConfiguration | undefined): m.ObjectLockConfiguration {
  if (!c || c.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  if (c.Rule === undefined) return { ObjectLockEnabled: 'Enabled' };
  const r = c.Rule.DefaultRetention;
  if (!r || r.Mode === undefined || !MODES.has(r.Mode)) throw malformedXml();
  if ((r.Days === undefined) === (r.Years === undefined)) throw malformedXml();
  if (r.Days !== undefined && r.Days <= 0) throw positivePeriod();
  if (r.Years !== undefined && r.Years <= 0) throw positivePeriod();
  const retention: m.DefaultRetention = { Mode: r.Mode };
  if (r.Days !== undefined) retention.Days = r.Days;
  else retention.Years = r.Years;
  return { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: retention } };
}

/** PutObjectLockConfiguration: enables Object Lock on a versioned bucket, sets or clears its default retention. */
export function putObjectLockConfiguration(store: S3Store, ctx: RequestContext, input: m.PutObjectLockConfigurationRequest): m.PutObjectLockConfigurationOutput {
  const bucket = requireBucket(store, ctx, input.Bucket);
  const config = checkConfiguration(input.ObjectLockConfiguration);
  const locks = locksOf(store);
  // Object Lock can be enabled on an existing bucket only while versioning is enabled on it.
  if (locks.config(input.Bucket) === undefined && bucket.versioning !== 'Enabled') {
    throw new ServiceError('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", { status: 409, fields: { BucketName: input.Bucket } });
  }
  locks.putConfig(input.Bucket, config);
  return {};
}

/** GetObjectLockConfiguration. */
export function getObjectLockConfiguration(store: S3Store, ctx: RequestContext, input: m.GetObjectLockConfigurationRequest): m.GetObjectLockConfigurationOutput {
  requireBucket(store, ctx, input.Bucket);
  const config = locksOf(store).config(input.Bucket);
  if (!config) {
    throw new ServiceError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', { status: 404, fields: { BucketName: input.Bucket } });
  }
  return { ObjectLockConfiguration: config };
}

/** The version a retention or legal hold request acts on, in a bucket with Object Lock. */
function lockedVersion(store: S3Store, ctx: RequestContext, bucket: string, key: string, versionId: string | undefined, method: string): ObjectRow {
  requireBucket(store, ctx, bucket);
  if (locksOf(store).config(bucket) === undefined) throw missingLockConfiguration();
  return readVersion(store, bucket, key, versionId, method);
}

function noLockConfiguration(): ServiceError {
  return new ServiceError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', { status: 404 });
}

/**
 * PutObjectRetention: COMPLIANCE retention can only be extended; shortening or removing
 * GOVERNANCE retention needs x-amz-bypass-governance-retention.
 */
export function putObjectRetention(store: S3Store, ctx: RequestContext, input: m.PutObjectRetentionRequest): m.PutObjectRetentionOutput {
  const row = lockedVersion(store, ctx, input.Bucket, input.Key, input.VersionId, 'PUT');
  const mode = input.Retention?.Mode;
  const until = input.Retention?.RetainUntilDate;
  if ((mode === undefined) !== (until === undefined)) throw malformedXml();
  if (mode !== undefined && !MODES.has(mode)) throw malformedXml();
  const now = ctx.clock.now();
  if (until !== undefined && until.getTime() <= now) throw retainDateInPast();
  const locks = locksOf(store);
  store.storage.db.transaction(() => {
    const old = locks.get(input.Bucket, input.Key, row.version_id);
    const next: LockRow = { mode: mode ?? null, retain_until: until?.getTime() ?? null, legal_hold: old?.legal_hold ?? null };
    if (old && old.mode !== null && old.retain_until !== null && old.retain_until > now) {
      const shortened = next.retain_until === null || next.retain_until < old.retain_until;
      if (old.mode === 'COMPLIANCE' && (shortened || next.mode !== 'COMPLIANCE')) throw protectedByLock();
      if (old.mode === 'GOVERNANCE' && shortened && input.BypassGovernanceRetention !== true) throw protectedByLock();
    }
    locks.set(input.Bucket, input.Key, row.version_id, next);
  })();
  return {};
}

/** GetObjectRetention. */
export function getObjectRetention(store: S3Store, ctx: RequestContext, input: m.GetObjectRetentionRequest): m.GetObjectRetentionOutput {
  const row = lockedVersion(store, ctx, input.Bucket, input.Key, input.VersionId, 'GET');
  const lock = locksOf(store).get(input.Bucket, input.Key, row.version_id);
  if (!lock || lock.mode === null) throw noLockConfiguration();
  return { Retention: { Mode: lock.mode as m.ObjectLockRetentionMode, RetainUntilDate: new Date(lock.retain_until!) } };
}

/** PutObjectLegalHold: ON or OFF, independent of retention. */
export function putObjectLegalHold(store: S3Store, ctx: RequestContext, input: m.PutObjectLegalHoldRequest): m.PutObjectLegalHoldOutput {
  const row = lockedVersion(store, ctx, input.Bucket, input.Key, input.VersionId, 'PUT');
  const status = input.LegalHold?.Status;
  if (status !== 'ON' && status !== 'OFF') throw malformedXml();
  const locks = locksOf(store);
  store.storage.db.transaction(() => {
    const old = locks.get(input.Bucket, input.Key, row.version_id);
    locks.set(input.Bucket, input.Key, row.version_id, { mode: old?.mode ?? null, retain_until: old?.retain_until ?? null, legal_hold: status });
  })();
  return {};
}

/** GetObjectLegalHold. */
export function getObjectLegalHold(store: S3Store, ctx: RequestContext, input: m.GetObjectLegalHoldRequest): m.GetObjectLegalHoldOutput {
  const row = lockedVersion(store, ctx, input.Bucket, input.Key, input.VersionId, 'GET');
  const lock = locksOf(store).get(input.Bucket, input.Key, row.version_id);
  if (!lock || lock.legal_hold === null) throw noLockConfiguration();
  return { LegalHold: { Status: lock.legal_hold as m.ObjectLockLegalHoldStatus } };
}
