/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and DeleteBucketLifecycle;
 * the x-amz-expiration header object reads and writes answer with.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as m from '../../../models/generated/s3.js';
import type { ObjectRow, S3Store } from '../store.js';
import { requireBucket } from '../buckets.js';
import { decodeTags } from '../tagging.js';
import { currentExpiry, decodeLifecycle, dueAfterDays, encodeLifecycle, expirationHeader, rulePrefix, validateLifecycle } from '../lifecycle.js';

/** The s3_bucket_config kind of a bucket's lifecycle rules. */
export const LIFECYCLE = 'lifecycle';
const MIN_SIZE_KIND = 'lifecycle-min-size';
const DEFAULT_MIN_SIZE: m.TransitionDefaultMinimumObjectSize = 'all_storage_classes_128K';

/** Parsed rules by their stored text, so object reads do not parse JSON again. */
const parsed = new Map<string, m.LifecycleRule[]>();
/**
 * Per store, the buckets that may have lifecycle rules (a superset: names stay after a
 * delete), so that reads of other buckets skip the lookup.
 */
const configured = new WeakMap<S3Store, Set<string>>();

function lifecycleBuckets(store: S3Store): Set<string> {
  let set = configured.get(store);
  if (!set) {
    const rows = store.storage.db.prepare('SELECT bucket FROM s3_bucket_config WHERE kind = ?').all(LIFECYCLE) as { bucket: string }[];
    set = new Set(rows.map((r) => r.bucket));
    configured.set(store, set);
  }
  return set;
}

/** A bucket's lifecycle rules, undefined when it has none. */
export function lifecycleRules(store: S3Store, bucket: string): m.LifecycleRule[] | undefined {
  const text = store.config(bucket, LIFECYCLE);
  if (text === undefined) return undefined;
  let rules = parsed.get(text);
  if (!rules) {
    rules = decodeLifecycle(text);
    if (parsed.size > 1000) parsed.clear();
    parsed.set(text, rules);
  }
  return rules;
}

/** The x-amz-expiration value for a current object under its bucket's rules, if one expires it. */
export function expirationOf(store: S3Store, row: ObjectRow): string | undefined {
  if (!lifecycleBuckets(store).has(row.bucket)) return undefined;
  const rules = lifecycleRules(store, row.bucket);
  if (!rules) return undefined;
  const e = currentExpiry(rules, { key: row.key, size: row.size, tags: decodeTags(row.tags) }, row.modified);
  return e ? expirationHeader(e) : undefined;
}

/** When an upload begun at `initiated` is aborted by its bucket's rules (x-amz-abort-date, x-amz-abort-rule-id), if one applies. */
export function abortOf(store: S3Store, bucket: string, key: string, initiated: number): { AbortDate: Date; AbortRuleId: string } | undefined {
  if (!lifecycleBuckets(store).has(bucket)) return undefined;
  let best: { AbortDate: Date; AbortRuleId: string } | undefined;
  for (const rule of lifecycleRules(store, bucket) ?? []) {
    const days = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (rule.Status !== 'Enabled' || days === undefined || !key.startsWith(rulePrefix(rule))) continue;
    const at = dueAfterDays(initiated, days);
    if (!best || at < best.AbortDate.getTime()) best = { AbortDate: new Date(at), AbortRuleId: rule.ID ?? '' };
  }
  return best;
}

/** PutBucketLifecycleConfiguration: replaces the bucket's rules, stored as given. */
export function putBucketLifecycleConfiguration(store: S3Store, ctx: RequestContext, input: m.PutBucketLifecycleConfigurationRequest): m.PutBucketLifecycleConfigurationOutput {
  requireBucket(store, ctx, input.Bucket);
  validateLifecycle(input.LifecycleConfiguration);
  const minSize = input.TransitionDefaultMinimumObjectSize ?? DEFAULT_MIN_SIZE;
  lifecycleBuckets(store).add(input.Bucket);
  store.storage.db.transaction(() => {
    store.putConfig(input.Bucket, LIFECYCLE, encodeLifecycle(input.LifecycleConfiguration!.Rules));
    store.putConfig(input.Bucket, MIN_SIZE_KIND, minSize);
  })();
  return { TransitionDefaultMinimumObjectSize: minSize };
}

/** GetBucketLifecycleConfiguration. */
export function getBucketLifecycleConfiguration(store: S3Store, ctx: RequestContext, input: m.GetBucketLifecycleConfigurationRequest): m.GetBucketLifecycleConfigurationOutput {
  requireBucket(store, ctx, input.Bucket);
  const rules = lifecycleRules(store, input.Bucket);
  if (!rules) {
    throw new ServiceError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', { status: 404, fields: { BucketName: input.Bucket } });
  }
  return { Rules: rules, TransitionDefaultMinimumObjectSize: (store.config(input.Bucket, MIN_SIZE_KIND) ?? DEFAULT_MIN_SIZE) as m.TransitionDefaultMinimumObjectSize };
}

/** DeleteBucketLifecycle: 204 whether or not the bucket had rules. */
export function deleteBucketLifecycle(store: S3Store, ctx: RequestContext, input: m.DeleteBucketLifecycleRequest): void {
  requireBucket(store, ctx, input.Bucket);
  store.storage.db.transaction(() => {
    store.deleteConfig(input.Bucket, LIFECYCLE);
    store.deleteConfig(input.Bucket, MIN_SIZE_KIND);
  })();
}
