/**
 * The SigV4 canonical request, string to sign and signing key, computed the way
 * AWS does (docs: "Create a canonical request for Signature Version 4").
 */
import { createHash, createHmac } from 'node:crypto';
import type { AuthHeaders } from './types.js';

/** sha256 of the empty string, the payload hash of a request without a body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const RESERVED_EXTRA = /[!'()*]/g;
const ENCODED_SLASH = /%2F/g;
const WHITESPACE_RUN = /\s+/g;

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper case). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(RESERVED_EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decodes a URL component; a malformed escape leaves the text as sent ('+' stays '+'). */
export function uriDecode(value: string): string {
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Canonical URI of every service but S3: the path is normalized (empty, '.' and
 * '..' segments removed, as the SDKs do) and its already-encoded form encoded again.
 */
export function normalizedCanonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return uriEncode(`${leading}${segments.join('/')}${trailing}`).replace(ENCODED_SLASH, '/');
}

/** S3 signs the path as sent; a client that left characters unencoded signed their encoded form instead. */
export function reencodedS3Path(rawPath: string): string {
  return rawPath.split('/').map((segment) => uriEncode(uriDecode(segment))).join('/');
}

/**
 * Canonical query string from the raw query: every parameter decoded and
 * re-encoded, sorted by encoded name then value, X-Amz-Signature left out when `dropSignature`.
 */
export function canonicalQuery(rawQuery: string, dropSignature: boolean): string {
  if (rawQuery === '') return '';
  const pairs: string[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = uriEncode(uriDecode(rawName));
    if (dropSignature && name.length === 15 && name.toLowerCase() === 'x-amz-signature') continue;
    const value = eq < 0 ? '' : uriEncode(uriDecode(part.slice(eq + 1)));
    pairs.push(`${name}=${value}`);
  }
  if (pairs.length > 1) pairs.sort(comparePairs);
  return pairs.join('&');
}

// Names first, then values: as whole strings 'a-b=1' would sort before 'a=1' because '-' < '='.
function comparePairs(a: string, b: string): number {
  const an = a.slice(0, a.indexOf('='));
  const bn = b.slice(0, b.indexOf('='));
  if (an !== bn) return an < bn ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One header's canonical value: repeated values joined with ',', each trimmed with inner whitespace runs collapsed. */
export function canonicalHeaderValue(value: string | readonly string[]): string {
  if (typeof value === 'string') return value.replace(WHITESPACE_RUN, ' ').trim();
  return value.map((v) => v.replace(WHITESPACE_RUN, ' ').trim()).join(',');
}

/** Looks up a header by its lower-case name; `host` falls back to HTTP/2's `:authority`. */
export function headerValue(headers: AuthHeaders, name: string): string | readonly string[] | undefined {
  const value = headers[name];
  if (value === undefined && name === 'host') return headers[':authority'];
  return value;
}

/** First value of a header, or undefined. */
export function firstHeader(headers: AuthHeaders, name: string): string | undefined {
  const value = headerValue(headers, name);
  return typeof value === 'string' ? value : value?.[0];
}

/** The canonical request's header block and signed-header list. Absent signed headers canonicalize as empty values, as AWS does. */
export function canonicalHeaders(headers: AuthHeaders, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    const value = headerValue(headers, name);
    out += `${name}:${value === undefined ? '' : canonicalHeaderValue(value)}\n`;
  }
  return out;
}

/** The whole canonical request. */
export function canonicalRequest(
  method: string,
  canonicalUri: string,
  canonicalQueryString: string,
  canonicalHeaderBlock: string,
  signedHeaders: readonly string[],
  payloadHash: string,
): string {
  return `${method}\n${canonicalUri}\n${canonicalQueryString}\n${canonicalHeaderBlock}\n${signedHeaders.join(';')}\n${payloadHash}`;
}

/** Hex sha256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The SigV4 string to sign for a canonical request. */
export function stringToSign(algorithm: string, amzDate: string, credentialScope: string, canonical: string): string {
  return `${algorithm}\n${amzDate}\n${credentialScope}\n${sha256Hex(canonical)}`;
}

/** Hex HMAC-SHA256 of a string under a key. */
export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

const SIGNING_KEY_CACHE_LIMIT = 256;
const signingKeys = new Map<string, Buffer>();

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
 * cached per (secret, date, region, service) in a small map that drops its oldest entry when full.
 */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secretAccessKey}\u0000${date}\u0000${region}\u0000${service}`;
  const cached = signingKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (signingKeys.size >= SIGNING_KEY_CACHE_LIMIT) {
    const oldest = signingKeys.keys().next().value;
    if (oldest !== undefined) signingKeys.delete(oldest);
  }
  signingKeys.set(cacheKey, key);
  return key;
}

/** Number of signing keys currently cached (for tests). */
export function signingKeyCacheSize(): number {
  return signingKeys.size;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

// Requests of one second share their X-Amz-Date: the last one parsed is remembered.
let lastAmzDate = '';
let lastAmzMs = Number.NaN;

/** Epoch milliseconds of a YYYYMMDDTHHMMSSZ timestamp, or NaN. */
export function parseAmzDate(value: string): number {
  if (value === lastAmzDate) return lastAmzMs;
  const m = AMZ_DATE.exec(value);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 20261340 over into the next year; AWS rejects such dates.
  if (formatAmzDate(ms) !== value) ms = Number.NaN;
  lastAmzDate = value;
  lastAmzMs = ms;
  return ms;
}

/** YYYYMMDDTHHMMSSZ of an epoch-milliseconds time. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** ISO 8601 without milliseconds (S3's ServerTime and Expires fields). */
export function formatIsoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
