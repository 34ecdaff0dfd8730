/**
 * Browser POST uploads: the policy document and its conditions (Amazon S3 API reference,
 * "Creating a POST policy"): expiration, exact matches, starts-with, content-length-range,
 * and that every form field is covered by a condition. Pure functions.
 */
import { ServiceError } from '../../shared/errors.js';

/** A decoded POST policy. */
export interface PostPolicy {
  expiration: Date;
  conditions: PolicyCondition[];
}

/** One condition, normalised: a field test or the length range. */
export type PolicyCondition =
  | { op: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { op: 'content-length-range'; min: number; max: number };

/** Fields no condition needs to cover. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file', 'signature', 'awsaccesskeyid']);

function invalidPolicy(message: string): ServiceError {
  return new ServiceError('InvalidPolicyDocument', `Invalid Policy: ${message}`, { status: 400 });
}

/** Decodes the base64 policy field; 400 InvalidPolicyDocument when it is not a policy. */
export function decodePolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== 'string' || Number.isNaN(Date.parse(expiration))) throw invalidPolicy('Policy missing expiration.');
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy missing conditions.');
  const out: PolicyCondition[] = [];
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as unknown[];
      const name = typeof op === 'string' ? op.toLowerCase() : '';
      if (name === 'content-length-range' && typeof a === 'number' && typeof b === 'number') out.push({ op: 'content-length-range', min: a, max: b });
      else if ((name === 'eq' || name === 'starts-with') && typeof a === 'string' && a.startsWith('$') && typeof b === 'string') {
        out.push({ op: name, field: a.slice(1).toLowerCase(), value: b, text: `["${op as string}", "${a}", "${b}"]` });
      } else throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}`);
    } else if (typeof c === 'object' && c !== null) {
      for (const [k, v] of Object.entries(c as Record<string, unknown>)) {
        if (typeof v !== 'string') throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}`);
        out.push({ op: 'eq', field: k.toLowerCase(), value: v, text: `["eq", "$${k}", "${v}"]` });
      }
    } else throw invalidPolicy('Invalid Condition.');
  }
  return { expiration: new Date(expiration), conditions: out };
}

function denied(reason: string): ServiceError {
  return new ServiceError('AccessDenied', `Invalid according to Policy: ${reason}`, { status: 403 });
}

/**
 * Checks a form against its policy before the file is read: expiry, every field
 * condition (the bucket compared to `bucket`), and no uncovered field. Field names lower-cased.
 */
export function checkPolicyFields(policy: PostPolicy, fields: ReadonlyMap<string, string>, bucket: string, nowMs: number): void {
  if (nowMs > policy.expiration.getTime()) throw denied('Policy expired.');
  const covered = new Set<string>();
  for (const c of policy.conditions) {
    if (c.op === 'content-length-range') continue;
    covered.add(c.field);
    const value = c.field === 'bucket' ? bucket : fields.get(c.field) ?? '';
    const ok = c.op === 'eq' ? value === c.value : value.startsWith(c.value);
    if (!ok) throw denied(`Policy Condition failed: ${c.text}`);
  }
  const extra = [...fields.keys()].filter((f) => !EXEMPT.has(f) && !f.startsWith('x-ignore-') && !covered.has(f) && f !== 'bucket');
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

/** Checks the size received so far against content-length-range (EntityTooLarge at once, EntityTooSmall when `done`). */
export function checkPolicySize(policy: PostPolicy, size: number, done = true): void {
  for (const c of policy.conditions) {
    if (c.op !== 'content-length-range') continue;
    if (size > c.max) throw new ServiceError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { status: 400, fields: { ProposedSize: size, MaxSizeAllowed: c.max } });
    if (done && size < c.min) throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { status: 400, fields: { ProposedSize: size, MinSizeAllowed: c.min } });
  }
}
