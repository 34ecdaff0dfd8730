/**
 * Scalar conversions for the HTTP-bound parts of REST requests and responses:
 * URI labels, query parameters and headers carry every value as text, each
 * location with its own default timestamp format.
 */
import type { Member, Shape } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';

/** A timestamp format as the models name them. */
export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

/** Converts one text value (already percent-decoded) into the member's value; throws Error on bad text. */
export type FromText = (text: string) => unknown;

/** Converts a value into its text form for a header, label or query parameter. */
export type ToText = (value: unknown) => string;

const INTEGER_TYPES = new Set(['integer', 'long', 'short', 'byte']);
const FLOAT_TYPES = new Set(['float', 'double']);
const INTEGER_TEXT = /^[+-]?\d+$/;
// An HTTP date (rfc822/rfc7231) carries a comma after the weekday, so lists of them split on every second comma.
const HTTP_DATE_LIST_SPLIT = /(?<=GMT)\s*,\s*/;
const HEADER_QUOTE_ESCAPES = /["\\]/g;

/** The timestamp format of a member: its own trait, its shape's, else the location's default. */
export function timestampFormatOf(member: Member, fallback: TimestampFormat): TimestampFormat {
  return member.timestampFormat ?? member.shape.timestampFormat ?? fallback;
}

/** Parses a timestamp in a given format into a Date; throws on text that is not one. */
export function parseTimestamp(text: string, format: TimestampFormat): Date {
  let ms: number;
  if (format === 'unixTimestamp') {
    const n = Number(text.trim());
    ms = text.trim() === '' ? NaN : n * 1000;
  } else {
    ms = Date.parse(text.trim());
  }
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${text}`);
  return new Date(ms);
}

/** Normalises a timestamp value (Date, epoch seconds or date text) to a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  return new Date(String(value));
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** An HTTP date (IMF-fixdate), as Date#toUTCString writes it but several times faster: it is on every GetObject. */
export function httpDate(d: Date): string {
  const y = d.getUTCFullYear();
  return `${DAY_NAMES[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTH_NAMES[d.getUTCMonth()]} ${y < 1000 ? String(y).padStart(4, '0') : y} `
    + `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`;
}

/** Writes a timestamp in a given format (iso8601 keeps milliseconds, as S3 does). */
export function formatTimestamp(value: unknown, format: TimestampFormat): string {
  const d = toDate(value);
  switch (format) {
    case 'iso8601': return d.toISOString();
    case 'rfc822': return httpDate(d);
    default: return String(d.getTime() / 1000);
  }
}

/** Parses an integer or float from text the way the SDKs write them (floats may be NaN/Infinity). */
function parseNumber(text: string, integer: boolean): number {
  const t = text.trim();
  if (integer) {
    if (!INTEGER_TEXT.test(t)) throw new Error(`not an integer: ${text}`);
    return Number(t);
  }
  if (t === 'NaN') return NaN;
  if (t === 'Infinity') return Infinity;
  if (t === '-Infinity') return -Infinity;
  const n = Number(t);
  if (t === '' || Number.isNaN(n)) throw new Error(`not a number: ${text}`);
  return n;
}

/** Parses a boolean; AWS accepts only true/false (case-insensitively). */
function parseBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new Error(`not a boolean: ${text}`);
}

/** Compiles the text-to-value conversion for a scalar member in a location with a default timestamp format. */
export function compileFromText(member: Member, timestampDefault: TimestampFormat): FromText {
  const shape = member.shape;
  const t = shape.type;
  if (t === 'timestamp') {
    const format = timestampFormatOf(member, timestampDefault);
    return (s) => parseTimestamp(s, format);
  }
  if (INTEGER_TYPES.has(t)) return (s) => parseNumber(s, true);
  if (FLOAT_TYPES.has(t)) return (s) => parseNumber(s, false);
  if (t === 'boolean') return parseBoolean;
  if (t === 'blob') return (s) => Buffer.from(s, 'base64');
  if (member.jsonvalue) return (s) => JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as unknown;
  return (s) => s;
}

/** Compiles the value-to-text conversion for a scalar member in a location with a default timestamp format. */
export function compileToText(member: Member, timestampDefault: TimestampFormat): ToText {
  const shape = member.shape;
  const t = shape.type;
  if (t === 'timestamp') {
    const format = timestampFormatOf(member, timestampDefault);
    return (v) => formatTimestamp(v, format);
  }
  if (t === 'blob') return (v) => (typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array)).toString('base64');
  if (member.jsonvalue) return (v) => Buffer.from(JSON.stringify(v)).toString('base64');
  if (FLOAT_TYPES.has(t)) return (v) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : String(v));
  return (v) => String(v);
}

/**
 * Splits a header list value. Strings may be double-quoted when they hold commas
 * (smithy's quoteHeader); HTTP dates hold a comma of their own.
 */
export function splitHeaderList(value: string, itemShape: Shape): string[] {
  if (itemShape.type === 'timestamp' && value.includes('GMT')) return value.split(HTTP_DATE_LIST_SPLIT).map((s) => s.trim());
  if (!value.includes('"')) return value.split(',').map((s) => s.trim());
  const out: string[] = [];
  let i = 0;
  const n = value.length;
  while (i <= n) {
    while (i < n && value[i] === ' ') i++;
    if (value[i] === '"') {
      let s = '';
      i++;
      while (i < n && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < n) i++;
        s += value[i++];
      }
      out.push(s);
      i++;
      while (i < n && value[i] !== ',') i++;
      i++;
    } else {
      const end = value.indexOf(',', i);
      const stop = end === -1 ? n : end;
      out.push(value.slice(i, stop).trim());
      i = stop + 1;
    }
  }
  return out;
}

/** Quotes a header list item when it holds a comma or a double quote, as smithy clients expect. */
export function quoteHeaderItem(item: string): string {
  if (!item.includes(',') && !item.includes('"')) return item;
  return `"${item.replace(HEADER_QUOTE_ESCAPES, '\\$&')}"`;
}

/** Sets a map key so that user keys such as '__proto__' stay plain data. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The error raised for an HTTP-bound value that does not parse, in the protocol's own code. */
export function badBindingValue(code: string, where: string, wireName: string, text: string): ServiceError {
  return new ServiceError(code, `Invalid value '${text}' for ${where} '${wireName}'`, { status: 400 });
}
