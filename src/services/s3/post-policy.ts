/**
 * Browser POST uploads: the policy document and its conditions (Amazon S3 API reference,
 * "Creating a POST policy"): expiration, exact matches, starts-with, content-length-range,
 * and that every form field is covered by a condition. Pure functions.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
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

/** Who signed a form, as the gateway resolves access keys: the secret is absent when that key's signatures are not checked. */
export interface PostSigner<P> {
  principal: P;
  secret?: string;
  /** The session token temporary credentials must present (x-amz-security-token). */
  sessionToken?: string;
}

/** A form field S3 requires once signing fields are present. */
export function missingField(name: string): ServiceError {
  return new ServiceError('InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, { status: 400, fields: { ArgumentName: name, ArgumentValue: '' } });
}

function signatureMismatch(accessKeyId: string, policy: string, provided: string): ServiceError {
  return new ServiceError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    status: 403, fields: { AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided },
  });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The signer of a form (Amazon S3 API reference, "Authenticating Requests in Browser-Based
 * Uploads Using POST"): SigV4 (x-amz-algorithm, x-amz-credential, x-amz-date, x-amz-signature
 * over the base64 policy) or SigV2 (AWSAccessKeyId, signature); undefined for an unsigned form.
 * Field names are lower-cased; `resolve` answers undefined for an unknown key.
 */
export function postSigner<P>(fields: ReadonlyMap<string, string>, resolve: (accessKeyId: string) => PostSigner<P> | undefined): PostSigner<P> | undefined {
  const v4 = fields.has('x-amz-signature') || fields.has('x-amz-credential') || fields.has('x-amz-algorithm');
  const v2 = !v4 && (fields.has('signature') || fields.has('awsaccesskeyid'));
  if (!v4 && !v2) return undefined;
  const policy = fields.get('policy');
  if (v2) {
    const key = fields.get('awsaccesskeyid');
    if (key === undefined) throw missingField('AWSAccessKeyId');
    if (policy === undefined) throw missingField('policy');
    const signature = fields.get('signature');
    if (signature === undefined) throw missingField('signature');
    const signer = known(key, resolve, fields.get('x-amz-security-token'));
    if (signer.secret !== undefined && !sameText(createHmac('sha1', signer.secret).update(policy).digest('base64'), signature)) throw signatureMismatch(key, policy, signature);
    return signer;
  }
  for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature', 'policy']) if (!fields.has(name)) throw missingField(name);
  const algorithm = fields.get('x-amz-algorithm')!;
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw new ServiceError('InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', { status: 400, fields: { ArgumentName: 'x-amz-algorithm', ArgumentValue: algorithm } });
  }
  const credential = fields.get('x-amz-credential')!;
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[3] !== 's3' || parts[4] !== 'aws4_request') {
    throw new ServiceError('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`, { status: 400 });
  }
  const [key, date, region] = parts as [string, string, string];
  const signer = known(key, resolve, fields.get('x-amz-security-token'));
  const provided = fields.get('x-amz-signature')!;
  if (signer.secret !== undefined) {
    const signingKey = [date, region, 's3', 'aws4_request'].reduce<Buffer>((k, part) => createHmac('sha256', k).update(part).digest(), Buffer.from(`AWS4${signer.secret}`));
    if (!sameText(createHmac('sha256', signingKey).update(policy!).digest('hex'), provided)) throw signatureMismatch(key, policy!, provided);
  }
  return signer;
}

function known<P>(key: string, resolve: (accessKeyId: string) => PostSigner<P> | undefined, token: string | undefined): PostSigner<P> {
  const signer = resolve(key);
  // Temporary credentials without their token are unknown to S3.
  if (!signer || (signer.sessionToken !== undefined && token === undefined)) {
    throw new ServiceError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { status: 403, fields: { AWSAccessKeyId: key } });
  }
  if (signer.sessionToken !== undefined && token !== signer.sessionToken) {
    throw new ServiceError('InvalidToken', 'The provided token is malformed or otherwise invalid.', { status: 400, fields: { Token: token } });
  }
  return signer;
}

/** The region a SigV4 form was signed for, if any. */
export function postRegion(fields: ReadonlyMap<string, string>): string | undefined {
  return fields.get('x-amz-credential')?.split('/')[2];
}
