/**
 * S3 Lifecycle rules as a pure engine (user guide, "Managing the lifecycle of objects"):
 * validation of a configuration, which objects a rule's filter selects, and when an
 * action falls due. Days-based actions fall due at the midnight UTC after the object's
 * creation time plus the days ("rounded to the next day midnight UTC").
 */
import { ServiceError } from '../../shared/errors.js';
import type { BucketLifecycleConfiguration, LifecycleRule, Tag } from '../../models/generated/s3.js';
import { malformedXml } from './errors.js';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
const MAX_RULES = 1000;
const MAX_ID_LENGTH = 255;

/** What a filter looks at: the key, the size and the tags of one version. */
export interface Candidate {
  key: string;
  size: number;
  tags: readonly Tag[];
}

function invalidArgument(message: string): ServiceError {
  return new ServiceError('InvalidArgument', message, { status: 400 });
}

function positive(n: number | undefined, message: string): void {
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) throw invalidArgument(message);
}

function atMidnight(d: Date | undefined): void {
  if (d !== undefined && d.getTime() % DAY_MS !== 0) throw invalidArgument("'Date' must be at midnight GMT");
}

/** Counts the members of a filter that are set. */
function filterMembers(f: object): number {
  return Object.values(f).filter((v) => v !== undefined).length;
}

/** Checks a configuration as PutBucketLifecycleConfiguration does, throwing S3's error for the first fault. */
export function validateLifecycle(config: BucketLifecycleConfiguration | undefined): void {
  const rules = config?.Rules;
  // S3 answers MalformedXML to more than 1,000 rules as well.
  if (!rules || rules.length === 0 || rules.length > MAX_RULES) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
    if (rule.ID !== undefined) {
      if (rule.ID.length > MAX_ID_LENGTH) throw invalidArgument('ID length should not exceed allowed limit of 255');
      if (ids.has(rule.ID)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule');
      ids.add(rule.ID);
    }
    if (rule.Prefix !== undefined && rule.Filter !== undefined) throw malformedXml();
    if (rule.Filter !== undefined && filterMembers(rule.Filter) > 1) throw malformedXml();
    const tags = rule.Filter?.And?.Tags ?? [];
    if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw new ServiceError('InvalidRequest', 'Duplicate Tag Keys are not allowed.', { status: 400 });
    const e = rule.Expiration;
    const actions = [e, rule.NoncurrentVersionExpiration, rule.AbortIncompleteMultipartUpload, ...(rule.Transitions ?? []), ...(rule.NoncurrentVersionTransitions ?? [])];
    if (actions.every((a) => a === undefined)) throw new ServiceError('InvalidRequest', 'At least one action needs to be specified in a rule', { status: 400 });
    if (e) {
      const set = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((v) => v !== undefined).length;
      if (set !== 1) throw malformedXml();
      positive(e.Days, "'Days' for Expiration action must be a positive integer");
      atMidnight(e.Date);
    }
    const nc = rule.NoncurrentVersionExpiration;
    if (nc) {
      if (nc.NoncurrentDays === undefined) throw malformedXml();
      positive(nc.NoncurrentDays, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
      positive(nc.NewerNoncurrentVersions, "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer");
    }
    const abort = rule.AbortIncompleteMultipartUpload;
    if (abort) {
      if (abort.DaysAfterInitiation === undefined) throw malformedXml();
      positive(abort.DaysAfterInitiation, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    }
    for (const t of rule.Transitions ?? []) {
      if ((t.Days === undefined) === (t.Date === undefined)) throw malformedXml();
      if (t.Days !== undefined && (!Number.isInteger(t.Days) || t.Days < 0)) throw invalidArgument("'Days' for Transition action must be a nonnegative integer");
      atMidnight(t.Date);
    }
  }
}

/** The key prefix a rule selects ('' for all). */
export function rulePrefix(rule: LifecycleRule): string {
  return rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
}

/** Whether a rule's filter selects a version. */
export function ruleMatches(rule: LifecycleRule, c: Candidate): boolean {
  if (!c.key.startsWith(rulePrefix(rule))) return false;
  const f = rule.Filter;
  if (!f) return true;
  const wanted = f.Tag ? [f.Tag] : f.And?.Tags ?? [];
  for (const t of wanted) if (!c.tags.some((o) => o.Key === t.Key && o.Value === t.Value)) return false;
  const greater = f.ObjectSizeGreaterThan ?? f.And?.ObjectSizeGreaterThan;
  const less = f.ObjectSizeLessThan ?? f.And?.ObjectSizeLessThan;
  if (greater !== undefined && !(c.size > greater)) return false;
  if (less !== undefined && !(c.size < less)) return false;
  return true;
}

/** When an action of `days` days counted from `since` falls due: the next midnight UTC after since + days. */
export function dueAfterDays(since: number, days: number): number {
  return Math.floor(since / DAY_MS) * DAY_MS + (days + 1) * DAY_MS;
}

/** The expiration a current object falls under: the earliest of the enabled rules that select it. */
export function currentExpiry(rules: readonly LifecycleRule[], c: Candidate, created: number): { at: number; ruleId: string } | undefined {
  let best: { at: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const e = rule.Expiration;
    if (rule.Status !== 'Enabled' || !e || (e.Days === undefined && e.Date === undefined)) continue;
    if (!ruleMatches(rule, c)) continue;
    const at = e.Date !== undefined ? e.Date.getTime() : dueAfterDays(created, e.Days!);
    if (!best || at < best.at) best = { at, ruleId: rule.ID ?? '' };
  }
  return best;
}

/** The x-amz-expiration header value: `expiry-date="<HTTP date>", rule-id="<URL-encoded id>"`. */
export function expirationHeader(e: { at: number; ruleId: string }): string {
  return `expiry-date="${new Date(e.at).toUTCString()}", rule-id="${encodeURIComponent(e.ruleId)}"`;
}

/** A configuration as stored: JSON with dates as ISO strings. */
export function encodeLifecycle(rules: readonly LifecycleRule[]): string {
  return JSON.stringify(rules);
}

/** A stored configuration back as rules, dates revived. */
export function decodeLifecycle(text: string): LifecycleRule[] {
  const rules = JSON.parse(text) as LifecycleRule[];
  for (const r of rules) {
    if (r.Expiration?.Date !== undefined) r.Expiration.Date = new Date(r.Expiration.Date as unknown as string);
    for (const t of r.Transitions ?? []) if (t.Date !== undefined) t.Date = new Date(t.Date as unknown as string);
  }
  return rules;
}
