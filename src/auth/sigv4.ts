/**
 * AWS Signature Version 4: reading who signed a request (cheap, on every request,
 * before the service is known) and verifying the signature once a secret is known.
 * SigV2 (`AWS key:sig`, S3's legacy form) and SigV4a are recognised so the key and
 * scope can be routed, but only SigV4 signatures are checked.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServiceError } from '../shared/errors.js';
import {
  canonicalHeaders, canonicalQuery, canonicalRequest, EMPTY_SHA256, firstHeader, formatAmzDate, hmacHex,
  normalizedCanonicalPath, parseAmzDate, reencodedS3Path, sha256Hex, signingKey, stringToSign,
} from './canonical.js';
import {
  authDialect, authProblemError, contentSha256Error, contentSha256MismatchError, hostNotSignedError, MAX_SKEW_MS,
  requestTimeSkewError, signatureMismatchError, wrongServiceError, type AuthDialect,
} from './errors.js';
import {
  ALGORITHM_V4, ALGORITHM_V4A, hasV2Query, hasV4Query, parsePresignedQuery, parseV2Query, presignedTimeError,
  problemAuth, regionSet, splitCredential, TERMINATOR,
} from './presign.js';
import type { AuthHeaders, AuthQuery, ParsedAuth, SigningContext } from './types.js';

export type { ParsedAuth, AuthProblem, SigningContext, AuthHeaders, AuthQuery } from './types.js';
export type { AuthDialect } from './errors.js';

const COMPONENT_SEPARATORS = /[,\s]+/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const QUERY_CONTENT_SHA256 = /(?:^|&)X-Amz-Content-Sha256=([^&]*)/i;

/** The x-amz-content-sha256 values that stand for a payload that is not hashed up front. */
export const PAYLOAD_LITERALS: ReadonlySet<string> = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-EVENTS',
]);

/**
 * Who signed the request: from the Authorization header, or presigned query
 * parameters (SigV4, SigV4a, S3's SigV2). Undefined when the request carries no
 * credentials; a garbled signature comes back with `problem` set (and whatever
 * key, region and service could be read, so the gateway can still route the error).
 */
export function parseAuthorization(headers: AuthHeaders, query: AuthQuery): ParsedAuth | undefined {
  const header = firstHeader(headers, 'authorization');
  if (header !== undefined) {
    if (hasV4Query(query) || hasV2Query(query)) {
      const parsed = parseHeader(header, headers, query);
      return problemAuth({ kind: 'both-header-and-query' }, { ...parsed, problem: undefined });
    }
    return parseHeader(header, headers, query);
  }
  if (hasV4Query(query)) return parsePresignedQuery(query, headers);
  if (hasV2Query(query)) return parseV2Query(query);
  return undefined;
}

function parseHeader(header: string, headers: AuthHeaders, query: AuthQuery): ParsedAuth {
  const fast = parseCanonicalHeader(header, headers);
  if (fast !== undefined) return fast;
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space + 1);
  if (algorithm === 'AWS') return parseV2Header(rest, header, headers);
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let seenPair = false;
  for (const part of rest.split(COMPONENT_SEPARATORS)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      // AWS quotes a stray word back only once a key=value pair has started the list.
      if (seenPair) return problemAuth({ kind: 'header-pair-without-equals', algorithm, pair: part, header }, { algorithm });
      continue;
    }
    seenPair = true;
    const key = part.slice(0, eq);
    if (key === 'Credential') credential = part.slice(eq + 1);
    else if (key === 'SignedHeaders') signedHeaders = part.slice(eq + 1);
    else if (key === 'Signature') signature = part.slice(eq + 1);
  }
  const v4a = algorithm === ALGORITHM_V4A;
  const cred = credential ? splitCredential(credential, v4a) : undefined;
  const partial: Partial<ParsedAuth> = { algorithm, accessKeyId: cred?.accessKeyId ?? credential?.split('/')[0] ?? '' };
  if (cred) Object.assign(partial, { scopeDate: cred.scopeDate, region: cred.region, service: cred.service, credentialScope: cred.scope });

  const missing: string[] = [];
  if (!credential) missing.push('Credential');
  if (!signature) missing.push('Signature');
  if (signedHeaders === undefined) missing.push('SignedHeaders');
  const amzDateHeader = firstHeader(headers, 'x-amz-date');
  const dateHeader = amzDateHeader ?? firstHeader(headers, 'date');
  if (missing.length > 0 || dateHeader === undefined) {
    return problemAuth({ kind: 'header-incomplete', algorithm, missing, missingDate: dateHeader === undefined, header }, partial);
  }
  if (algorithm !== ALGORITHM_V4 && !v4a) {
    return problemAuth({ kind: 'unsupported-algorithm', algorithm, header, location: 'header' }, partial);
  }
  if (!cred) return problemAuth({ kind: 'credential-malformed', credential: credential ?? '', location: 'header' }, partial);
  if (cred.terminator !== TERMINATOR) return problemAuth({ kind: 'bad-terminator', terminator: cred.terminator, location: 'header' }, partial);
  let amzDate = dateHeader;
  if (amzDateHeader === undefined) {
    // Only a Date header: SigV4 signs its ISO 8601 basic form.
    const ms = Date.parse(dateHeader);
    amzDate = Number.isNaN(ms) ? dateHeader : formatAmzDate(ms);
  }
  if (Number.isNaN(parseAmzDate(amzDate))) return problemAuth({ kind: 'bad-date', date: dateHeader, location: 'header' }, partial);
  if (cred.scopeDate !== amzDate.slice(0, 8)) {
    return problemAuth({ kind: 'scope-date-mismatch', scopeDate: cred.scopeDate, amzDate, location: 'header' }, partial);
  }
  const token = firstHeader(headers, 'x-amz-security-token');
  const set = v4a ? regionSet(headers, query) : undefined;
  return {
    version: v4a ? 'v4a' : 'v4',
    location: 'header',
    algorithm,
    accessKeyId: cred.accessKeyId,
    scopeDate: cred.scopeDate,
    region: v4a ? (set?.[0] ?? '*') : cred.region,
    service: cred.service,
    credentialScope: cred.scope,
    amzDate,
    signedHeaders: (signedHeaders ?? '').toLowerCase().split(';').filter((h) => h !== ''),
    signature: signature ?? '',
    ...(token === undefined ? {} : { securityToken: token }),
    ...(set === undefined ? {} : { regionSet: set }),
  };
}

const V4_PREFIX = `${ALGORITHM_V4} Credential=`;

/**
 * The header as every SDK writes it, `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=...`, read with a few indexOf calls; undefined for anything else (other
 * spacing, order or algorithm, a missing date, a problem to report), which the
 * general parser then reads. The credential and the signed-header list repeat from
 * request to request of one client, so their split forms are kept.
 */
function parseCanonicalHeader(header: string, headers: AuthHeaders): ParsedAuth | undefined {
  if (!header.startsWith(V4_PREFIX)) return undefined;
  const c0 = V4_PREFIX.length;
  const c1 = header.indexOf(',', c0);
  if (c1 < 0) return undefined;
  let s = c1 + 1;
  while (header.charCodeAt(s) === 32) s++;
  if (!header.startsWith('SignedHeaders=', s)) return undefined;
  const h0 = s + 14;
  const h1 = header.indexOf(',', h0);
  if (h1 < 0) return undefined;
  s = h1 + 1;
  while (header.charCodeAt(s) === 32) s++;
  if (!header.startsWith('Signature=', s)) return undefined;
  const s0 = s + 10;
  // No blank inside a component (the general parser would split there); commas end them already.
  if (s0 === header.length || h0 === h1 || OTHER_BLANKS.test(header)) return undefined;
  const space = header.indexOf(' ', c0);
  if (space < c1 || header.indexOf(' ', h0) < h1 || header.indexOf(' ', s0) >= 0 || header.indexOf(',', s0) >= 0) return undefined;
  const signature = header.slice(s0);
  const credential = header.slice(c0, c1);
  const signed = header.slice(h0, h1);
  const cred = cachedCredential(credential);
  if (cred === undefined || cred.terminator !== TERMINATOR) return undefined;
  const amzDate = firstHeader(headers, 'x-amz-date');
  if (amzDate === undefined || cred.scopeDate !== amzDate.slice(0, 8) || Number.isNaN(parseAmzDate(amzDate))) return undefined;
  const token = firstHeader(headers, 'x-amz-security-token');
  const auth: { -readonly [K in keyof ParsedAuth]: ParsedAuth[K] } = {
    version: 'v4', location: 'header', algorithm: ALGORITHM_V4, accessKeyId: cred.accessKeyId, scopeDate: cred.scopeDate,
    region: cred.region, service: cred.service, credentialScope: cred.scope, amzDate, signedHeaders: cachedSignedHeaders(signed), signature,
  };
  if (token !== undefined) auth.securityToken = token;
  return auth;
}

/** Blanks other than the space, which SDKs never put in the header. */
const OTHER_BLANKS = /[\t\n\r\v\f]/;

type Credential = NonNullable<ReturnType<typeof splitCredential>>;
const credentials = new Map<string, Credential | null>();
const signedHeaderLists = new Map<string, readonly string[]>();
const CACHE_LIMIT = 256;

function cachedCredential(credential: string): Credential | undefined {
  let cred = credentials.get(credential);
  if (cred === undefined) {
    if (credentials.size >= CACHE_LIMIT) credentials.clear();
    cred = splitCredential(credential, false) ?? null;
    credentials.set(credential, cred);
  }
  return cred ?? undefined;
}

function cachedSignedHeaders(signed: string): readonly string[] {
  let list = signedHeaderLists.get(signed);
  if (list === undefined) {
    if (signedHeaderLists.size >= CACHE_LIMIT) signedHeaderLists.clear();
    list = Object.freeze(signed.toLowerCase().split(';').filter((h) => h !== ''));
    signedHeaderLists.set(signed, list);
  }
  return list;
}

// `AWS AKID:signature`, S3's SigV2; only the key is of use.
function parseV2Header(rest: string, header: string, headers: AuthHeaders): ParsedAuth {
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) {
    return problemAuth({ kind: 'header-incomplete', algorithm: 'AWS', missing: ['Credential', 'Signature', 'SignedHeaders'], missingDate: false, header }, { version: 'v2', algorithm: 'AWS' });
  }
  const token = firstHeader(headers, 'x-amz-security-token');
  return {
    version: 'v2', location: 'header', algorithm: 'AWS', accessKeyId: rest.slice(0, colon).trim(),
    scopeDate: '', region: '', service: '', credentialScope: '', amzDate: '', signedHeaders: [],
    signature: rest.slice(colon + 1).trim(),
    ...(token === undefined ? {} : { securityToken: token }),
  };
}

/** The request as the verifier needs it; the gateway's Exchange fits as is. */
export interface VerifiableRequest {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded, without the query. */
  readonly path: string;
  /** The raw query string without '?'. */
  readonly rawQuery: string;
  readonly headers: AuthHeaders;
  /** The body, when it has been read. */
  readonly body?: Buffer;
  /** False while the body is still a stream (then x-amz-content-sha256 or `payloadHash` must say the hash). */
  readonly bodyRead?: boolean;
  /** The detected service and its codec decide the error dialect unless `options.dialect` is given. */
  readonly service?: { readonly name: string };
  readonly codec?: { readonly name: string };
}

/** Knobs of `verifySignature`. */
export interface VerifyOptions {
  /** The error family to answer in (default: from `request.service` and `request.codec`). */
  readonly dialect?: AuthDialect;
  /** The endpoint's signing name: a scope naming another service is refused. */
  readonly expectedService?: string;
  /** Hex sha256 of the body when the caller already computed it. */
  readonly payloadHash?: string;
}

/**
 * Checks a parsed signature against the secret at `nowMs`: the problem the parser
 * found, the time window (15 minutes, S3 presigned X-Amz-Expires), then the
 * canonical request. Undefined when it holds; otherwise the AWS error to answer.
 * SigV2 and SigV4a signatures pass unchecked (only their time is checked).
 */
export function verifySignature(
  request: VerifiableRequest,
  auth: ParsedAuth,
  secretAccessKey: string,
  nowMs: number,
  options: VerifyOptions = {},
): ServiceError | undefined {
  const dialect = options.dialect ?? authDialect(request.service?.name, request.codec?.name);
  if (auth.problem) return authProblemError(auth.problem, dialect);
  if (auth.version === 'v2') {
    // Only S3 ever spoke SigV2; to any other front end the header is just incomplete.
    if (dialect !== 's3') {
      return authProblemError(auth.location === 'header'
        ? { kind: 'header-incomplete', algorithm: 'AWS', missing: ['Credential', 'Signature', 'SignedHeaders'], missingDate: false, header: firstHeader(request.headers, 'authorization') ?? '' }
        : { kind: 'query-incomplete', missing: ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] }, dialect);
    }
    return auth.location === 'query' ? presignedTimeError(auth, dialect, nowMs) : undefined;
  }
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    return wrongServiceError(dialect, auth.service, options.expectedService);
  }
  const timeError = auth.location === 'query' ? presignedTimeError(auth, dialect, nowMs) : headerTimeError(auth, dialect, nowMs);
  if (timeError) return timeError;
  if (auth.version === 'v4a') return undefined;
  if (!auth.signedHeaders.includes('host')) return hostNotSignedError(dialect);

  const declared = declaredPayloadHash(request, auth);
  if (dialect === 's3' && auth.location === 'header' && (declared === undefined || !isKnownPayloadHash(declared))) {
    return contentSha256Error(declared);
  }
  const payloadHash = payloadHashFor(request, auth, dialect, declared, options.payloadHash);
  const key = signingKey(secretAccessKey, auth.scopeDate, auth.region, auth.service);
  const query = canonicalQuery(request.rawQuery, auth.location === 'query');
  const headerBlock = canonicalHeaders(request.headers, auth.signedHeaders);
  const path = dialect === 's3' ? request.path : normalizedCanonicalPath(request.path);
  const canonical = canonicalRequest(request.method, path, query, headerBlock, auth.signedHeaders, payloadHash);
  const toSign = stringToSign(ALGORITHM_V4, auth.amzDate, auth.credentialScope, canonical);
  let ok = signaturesEqual(hmacHex(key, toSign), auth.signature);
  if (!ok) {
    // Clients that leave some characters of an S3 key unencoded sign the encoded form.
    const alternate = dialect === 's3' ? reencodedS3Path(request.path) : path;
    if (alternate !== path) {
      const again = canonicalRequest(request.method, alternate, query, headerBlock, auth.signedHeaders, payloadHash);
      ok = signaturesEqual(hmacHex(key, stringToSign(ALGORITHM_V4, auth.amzDate, auth.credentialScope, again)), auth.signature);
    }
  }
  if (!ok) {
    return signatureMismatchError(dialect, { accessKeyId: auth.accessKeyId, signatureProvided: auth.signature, canonicalRequest: canonical, stringToSign: toSign });
  }
  // S3 checks a buffered body against the hash it was signed with; a streamed one is checked as it flows.
  if (dialect === 's3' && request.bodyRead === true && declared !== undefined && HEX_SHA256.test(declared)) {
    const actual = options.payloadHash ?? sha256Hex(request.body ?? EMPTY);
    if (actual !== declared.toLowerCase()) return contentSha256MismatchError(declared, actual);
  }
  return undefined;
}

const EMPTY = Buffer.alloc(0);

function headerTimeError(auth: ParsedAuth, dialect: AuthDialect, nowMs: number): ServiceError | undefined {
  const dateMs = parseAmzDate(auth.amzDate);
  return Math.abs(nowMs - dateMs) > MAX_SKEW_MS ? requestTimeSkewError(dialect, auth.amzDate, dateMs, nowMs) : undefined;
}

/** x-amz-content-sha256 from the header, or hoisted into a presigned query. */
function declaredPayloadHash(request: VerifiableRequest, auth: ParsedAuth): string | undefined {
  const header = firstHeader(request.headers, 'x-amz-content-sha256');
  if (header !== undefined || auth.location === 'header') return header;
  const m = QUERY_CONTENT_SHA256.exec(request.rawQuery);
  return m === null ? undefined : decodeURIComponentSafe(m[1]);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** True for a hex sha256 or one of the literal payload markers. */
export function isKnownPayloadHash(value: string): boolean {
  return PAYLOAD_LITERALS.has(value) || HEX_SHA256.test(value);
}

/**
 * The payload hash line of the canonical request. S3 signs what x-amz-content-sha256
 * says (UNSIGNED-PAYLOAD for a presigned URL without one); other services sign the
 * body's sha256, so a lying header cannot pass.
 */
function payloadHashFor(request: VerifiableRequest, auth: ParsedAuth, dialect: AuthDialect, declared: string | undefined, precomputed: string | undefined): string {
  if (dialect === 's3') {
    if (declared !== undefined) return declared;
    if (auth.location === 'query') return 'UNSIGNED-PAYLOAD';
  }
  if (declared !== undefined && PAYLOAD_LITERALS.has(declared)) return declared;
  if (precomputed !== undefined) return precomputed;
  if (request.bodyRead === false) return declared ?? EMPTY_SHA256;
  return request.body === undefined || request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
}

function signaturesEqual(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(provided, 'latin1'));
}

/**
 * The error for a garbled signature, needing no secret: the gateway can refuse
 * such a request even where it does not verify signatures (AWS always refuses it).
 */
export function authShapeError(request: VerifiableRequest, auth: ParsedAuth, options: VerifyOptions = {}): ServiceError | undefined {
  if (!auth.problem) return undefined;
  return authProblemError(auth.problem, options.dialect ?? authDialect(request.service?.name, request.codec?.name));
}

/** What an aws-chunked decoder needs to verify chunk signatures of a SigV4 request signed with this secret. */
export function signingContext(auth: ParsedAuth, secretAccessKey: string): SigningContext | undefined {
  if (auth.version !== 'v4' || auth.problem) return undefined;
  return {
    signingKey: signingKey(secretAccessKey, auth.scopeDate, auth.region, auth.service),
    amzDate: auth.amzDate,
    credentialScope: auth.credentialScope,
    seedSignature: auth.signature,
  };
}
