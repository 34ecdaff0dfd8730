/**
 * Leaf conversions shared by the JSON and CBOR codecs: timestamps, blobs,
 * base64 with the checks AWS applies, and prototype-safe map keys.
 */
import { gunzipSync } from 'node:zlib';
import { ServiceError } from '../../shared/errors.js';
import type { WireRequest } from '../types.js';

/** Sets a key on a plain object; '__proto__' becomes an own property instead of replacing the prototype. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** True for an object that JSON.parse or the CBOR decoder made for a JSON object / CBOR map. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The SerializationException every codec answers malformed input with (awsJson and rpcv2Cbor alike). */
export function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message, { status: 400, senderFault: true });
}

/** A gzip body inflates to at most this; more is refused rather than exhausting memory. */
const MAX_INFLATED_BODY = 64 * 1024 * 1024;

/**
 * The request body, inflated when the client compressed it: the SDKs gzip large
 * bodies of operations with the requestcompression trait (CloudWatch PutMetricData
 * over 10 KB) and say so with Content-Encoding. The gzip magic is checked too, so a
 * body the gateway already inflated is left alone.
 */
export function requestBody(req: WireRequest): Buffer {
  const body = req.body;
  const enc = req.headers['content-encoding'];
  if (body.length < 2 || body[0] !== 0x1f || body[1] !== 0x8b || enc === undefined || !String(enc).toLowerCase().includes('gzip')) return body;
  try {
    return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BODY });
  } catch {
    throw serializationError('The request body could not be decompressed');
  }
}

/** Epoch seconds of a timestamp value handed to a serializer (Date, epoch seconds, or a date string). */
export function epochSeconds(v: unknown): number {
  if (v instanceof Date) return v.getTime() / 1000;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  throw new TypeError(`not a timestamp: ${String(v)}`);
}

/** A timestamp value as a Date (for iso8601 / rfc822 output). */
export function asDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(epochSeconds(v) * 1000);
}

/** The bytes of a blob value handed to a serializer; a string blob is its UTF-8 text. */
export function blobBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new TypeError(`not a blob: ${typeof v}`);
}

/** A Date from epoch seconds read off the wire, or undefined when out of range. */
export function dateFromSeconds(seconds: number): Date | undefined {
  const d = new Date(Math.round(seconds * 1000));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A Date from a timestamp string (epoch seconds, ISO 8601 or RFC 822), or undefined. */
export function dateFromString(s: string): Date | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  if (Number.isFinite(n)) return dateFromSeconds(n);
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * Decodes standard base64 as AWS's JSON services do: a length not a multiple of 4,
 * a stray character or non-zero padding bits are a SerializationException.
 * Messages are DynamoDB's, typo included ("dectected").
 */
export function decodeBase64(s: string): Buffer {
  const len = s.length;
  if (len % 4 !== 0) throw serializationError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${len}`);
  if (len === 0) return Buffer.alloc(0);
  const pad = s.charCodeAt(len - 1) !== 61 ? 0 : s.charCodeAt(len - 2) === 61 ? 2 : 1;
  // Node's decoder is native but lenient: it skips characters outside the alphabet and stops at
  // '=' (both shorten the result) and accepts the URL-safe '-' and '_'. Check those cheaply.
  const buf = Buffer.from(s, 'base64');
  const last = s.charCodeAt(len - 1 - pad);
  const lastBits = last < 128 ? B64[last] : -1;
  if (buf.length === (len / 4) * 3 - pad && lastBits >= 0 && (pad === 0 || (lastBits & (pad === 1 ? 0x03 : 0x0f)) === 0)
    && !s.includes('-') && !s.includes('_')) {
    return buf;
  }
  throw serializationError('Invalid last non-pad Base64 character dectected');
}
