/**
 * Presigned requests: SigV4 (and SigV4a) X-Amz-* query parameters, S3's legacy
 * SigV2 AWSAccessKeyId/Signature/Expires, and the time rules each front end applies
 * (docs: "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)").
 */
import { ServiceError } from '../shared/errors.js';
import { formatIsoSeconds, parseAmzDate } from './canonical.js';
import { authProblemError, MAX_SKEW_MS, requestTimeSkewError, type AuthDialect } from './errors.js';
import type { AuthHeaders, AuthProblem, AuthQuery, ParsedAuth } from './types.js';

/** SigV4 presigned URLs live at most a week (S3 enforces it; the signing key is valid that long). */
export const MAX_PRESIGNED_EXPIRES = 604_800;

/** The SigV4 algorithm name. */
export const ALGORITHM_V4 = 'AWS4-HMAC-SHA256';
/** The SigV4a (asymmetric, multi-region) algorithm name. */
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';
/** The last element of every SigV4 credential scope. */
export const TERMINATOR = 'aws4_request';

// The order AWS's coral front end lists missing parameters in.
const REQUIRED_QUERY = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;
const DIGITS = /^\d+$/;
const SIGNED_DIGITS = /^-?\d+$/;

/** First value of a query parameter. */
export function queryValue(query: AuthQuery, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** True when the query carries SigV4/SigV4a presigning parameters. */
export function hasV4Query(query: AuthQuery): boolean {
  return query['X-Amz-Algorithm'] !== undefined || query['X-Amz-Credential'] !== undefined;
}

/** True when the query carries an S3 SigV2 presigned signature. */
export function hasV2Query(query: AuthQuery): boolean {
  return query.AWSAccessKeyId !== undefined && query.Signature !== undefined;
}

/** An auth record that only says what went wrong, with whatever was readable. */
export function problemAuth(problem: AuthProblem, partial: Partial<ParsedAuth> = {}): ParsedAuth & { readonly problem: AuthProblem } {
  return {
    version: 'v4', location: 'header', algorithm: '', accessKeyId: '', scopeDate: '', region: '', service: '',
    credentialScope: '', amzDate: '', signedHeaders: [], signature: '', ...partial, problem,
  };
}

/** Splits a Credential value into key and scope; SigV4a scopes have no region. */
export function splitCredential(credential: string, v4a: boolean): { accessKeyId: string; scopeDate: string; region: string; service: string; scope: string; terminator: string } | undefined {
  const parts = credential.split('/');
  // AWS ignores trailing slashes.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const expected = v4a ? 4 : 5;
  if (parts.length !== expected || parts[0] === '') return undefined;
  const [accessKeyId, scopeDate] = parts;
  const region = v4a ? '' : parts[2];
  const service = parts[expected - 2];
  return { accessKeyId, scopeDate, region, service, scope: parts.slice(1).join('/'), terminator: parts[expected - 1] };
}

/** The region set of a SigV4a request (header or query). */
export function regionSet(headers: AuthHeaders, query: AuthQuery): string[] {
  const raw = queryValue(query, 'X-Amz-Region-Set') ?? firstOf(headers['x-amz-region-set']);
  return raw === undefined ? [] : raw.split(',').map((r) => r.trim()).filter((r) => r !== '');
}

function firstOf(v: string | readonly string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.[0];
}

/** Reads a SigV4/SigV4a presigned query; problems come back inside the record. */
export function parsePresignedQuery(query: AuthQuery, headers: AuthHeaders): ParsedAuth {
  const missing = REQUIRED_QUERY.filter((name) => query[name] === undefined);
  const credentialRaw = queryValue(query, 'X-Amz-Credential') ?? '';
  const algorithm = queryValue(query, 'X-Amz-Algorithm') ?? '';
  const v4a = algorithm === ALGORITHM_V4A;
  const cred = splitCredential(credentialRaw, v4a);
  const partial: Partial<ParsedAuth> = { location: 'query', algorithm, accessKeyId: cred?.accessKeyId ?? credentialRaw.split('/')[0] ?? '' };
  if (cred) Object.assign(partial, { scopeDate: cred.scopeDate, region: cred.region, service: cred.service, credentialScope: cred.scope });
  if (missing.length > 0) return problemAuth({ kind: 'query-incomplete', missing }, partial);
  if (algorithm !== ALGORITHM_V4 && !v4a) return problemAuth({ kind: 'unsupported-algorithm', algorithm, header: '', location: 'query' }, partial);
  if (!cred) return problemAuth({ kind: 'credential-malformed', credential: credentialRaw, location: 'query' }, partial);
  if (cred.terminator !== TERMINATOR) return problemAuth({ kind: 'bad-terminator', terminator: cred.terminator, location: 'query' }, partial);
  const amzDate = queryValue(query, 'X-Amz-Date') ?? '';
  const dateMs = parseAmzDate(amzDate);
  if (Number.isNaN(dateMs)) return problemAuth({ kind: 'bad-date', date: amzDate, location: 'query' }, partial);
  if (cred.scopeDate !== amzDate.slice(0, 8)) {
    return problemAuth({ kind: 'scope-date-mismatch', scopeDate: cred.scopeDate, amzDate, location: 'query' }, partial);
  }
  const expiresRaw = queryValue(query, 'X-Amz-Expires');
  const expires = expiresRaw !== undefined && DIGITS.test(expiresRaw) ? Number(expiresRaw) : undefined;
  const set = v4a ? regionSet(headers, query) : undefined;
  return {
    version: v4a ? 'v4a' : 'v4',
    location: 'query',
    algorithm,
    accessKeyId: cred.accessKeyId,
    scopeDate: cred.scopeDate,
    region: v4a ? (set?.[0] ?? '*') : cred.region,
    service: cred.service,
    credentialScope: cred.scope,
    amzDate,
    signedHeaders: (queryValue(query, 'X-Amz-SignedHeaders') ?? '').toLowerCase().split(';').filter((h) => h !== ''),
    signature: queryValue(query, 'X-Amz-Signature') ?? '',
    ...optional('securityToken', queryValue(query, 'X-Amz-Security-Token')),
    ...optional('expires', expires),
    ...optional('expiresRaw', expiresRaw),
    ...optional('expiresAt', expires === undefined ? undefined : dateMs + expires * 1000),
    ...optional('regionSet', set),
  };
}

/** Reads S3's SigV2 presigned query (AWSAccessKeyId, Signature, Expires as epoch seconds). */
export function parseV2Query(query: AuthQuery): ParsedAuth {
  const expires = queryValue(query, 'Expires');
  const expiresSec = expires !== undefined && DIGITS.test(expires) ? Number(expires) : undefined;
  return {
    version: 'v2', location: 'query', algorithm: 'AWS', accessKeyId: queryValue(query, 'AWSAccessKeyId') ?? '',
    scopeDate: '', region: '', service: '', credentialScope: '', amzDate: '', signedHeaders: [],
    signature: queryValue(query, 'Signature') ?? '',
    ...optional('securityToken', queryValue(query, 'x-amz-security-token')),
    ...optional('expiresAt', expiresSec === undefined ? undefined : expiresSec * 1000),
  };
}

// Absent members stay absent rather than present-and-undefined.
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The time check of a presigned request. S3 honours X-Amz-Expires (1 s to a week)
 * and refuses a URL dated more than 15 minutes ahead; every other front end ignores
 * X-Amz-Expires and applies its usual 15-minute window to X-Amz-Date.
 */
export function presignedTimeError(auth: ParsedAuth, dialect: AuthDialect, nowMs: number): ServiceError | undefined {
  if (auth.version === 'v2') {
    if (auth.expiresAt !== undefined && nowMs > auth.expiresAt) {
      return new ServiceError('AccessDenied', 'Request has expired', { status: 403, fields: { Expires: formatIsoSeconds(auth.expiresAt), ServerTime: formatIsoSeconds(nowMs) } });
    }
    return undefined;
  }
  const dateMs = parseAmzDate(auth.amzDate);
  if (dialect !== 's3') {
    return Math.abs(nowMs - dateMs) > MAX_SKEW_MS ? requestTimeSkewError(dialect, auth.amzDate, dateMs, nowMs) : undefined;
  }
  const raw = auth.expiresRaw;
  if (raw === undefined) return authProblemError({ kind: 'query-incomplete', missing: ['X-Amz-Expires'] }, dialect);
  if (!SIGNED_DIGITS.test(raw)) return authProblemError({ kind: 'bad-expires', expires: raw, reason: 'not-a-number' }, dialect);
  const seconds = Number(raw);
  if (seconds < 0) return authProblemError({ kind: 'bad-expires', expires: raw, reason: 'negative' }, dialect);
  if (seconds > MAX_PRESIGNED_EXPIRES) return authProblemError({ kind: 'bad-expires', expires: raw, reason: 'too-large' }, dialect);
  const expiresAt = dateMs + seconds * 1000;
  if (dateMs - MAX_SKEW_MS > nowMs) {
    // S3 really does report X-Amz-Date here as epoch milliseconds.
    return new ServiceError('AccessDenied', 'Request is not yet valid', {
      status: 403,
      fields: { 'X-Amz-Date': String(dateMs), Expires: formatIsoSeconds(expiresAt), ServerTime: formatIsoSeconds(nowMs) },
    });
  }
  if (nowMs > expiresAt) {
    return new ServiceError('AccessDenied', 'Request has expired', {
      status: 403,
      fields: { 'X-Amz-Expires': raw, Expires: formatIsoSeconds(expiresAt), ServerTime: formatIsoSeconds(nowMs) },
    });
  }
  return undefined;
}
