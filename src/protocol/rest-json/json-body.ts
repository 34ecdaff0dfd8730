/**
 * The JSON body of rest-json requests and responses: a reader and a writer
 * compiled once per shape (cached on the shape). Timestamps travel as epoch
 * seconds unless the member says otherwise, blobs as base64.
 */
import type { Member, Shape } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { formatTimestamp, parseTimestamp, setKey, timestampFormatOf, toDate } from '../rest/values.js';

/** Reads one JSON value into the member's value; throws SerializationException on a wrong type. */
export type JsonRead = (value: unknown) => unknown;
/** Writes one value as JSON text. */
export type JsonWrite = (value: unknown) => string;

const READ_KEY = 'rest-json:read';
const WRITE_KEY = 'rest-json:write';
const EPOCH_TEXT = /^[\d.+-]+$/;

/** The error JSON services answer for a body that does not parse or has a wrong type. */
export function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message, { status: 400 });
}

/** The JSON key of a body member (rest-json honours locationName in the body). */
function jsonKey(m: Member): string {
  return m.locationName ?? m.name;
}

function expected(what: string, m: Member): ServiceError {
  return serializationError(`Unexpected value type for ${m.name}: expected ${what}`);
}

function floatOf(v: unknown, m: Member): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw expected('a number', m);
}

function scalarRead(m: Member): JsonRead {
  switch (m.shape.type) {
    case 'string': case 'character':
      return (v) => {
        if (typeof v !== 'string') throw expected('a string', m);
        return v;
      };
    case 'integer': case 'long': case 'short': case 'byte':
      return (v) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw expected('an integer', m);
        return v;
      };
    case 'float': case 'double':
      return (v) => floatOf(v, m);
    case 'boolean':
      return (v) => {
        if (typeof v !== 'boolean') throw expected('a boolean', m);
        return v;
      };
    case 'timestamp': {
      const format = timestampFormatOf(m, 'unixTimestamp');
      return (v) => {
        if (typeof v === 'number') return new Date(v * 1000);
        if (typeof v !== 'string') throw expected('a timestamp', m);
        try {
          return parseTimestamp(v, format === 'unixTimestamp' && !EPOCH_TEXT.test(v) ? 'iso8601' : format);
        } catch {
          throw expected('a timestamp', m);
        }
      };
    }
    case 'blob':
      return (v) => {
        if (typeof v !== 'string') throw expected('a base64 string', m);
        return Buffer.from(v, 'base64');
      };
    case 'bigdecimal': case 'biginteger':
      return (v) => {
        if (typeof v !== 'number' && typeof v !== 'string') throw expected('a number', m);
        return String(v);
      };
    default:
      return (v) => v;
  }
}

/** The reader of a member's JSON value. */
export function memberJsonReader(m: Member): JsonRead {
  const s = m.shape;
  if (s.document) return (v) => v;
  if (s.type === 'structure' || s.type === 'list' || s.type === 'map') return shapeJsonReader(s);
  return scalarRead(m);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function compileRead(shape: Shape): JsonRead {
  if (shape.type === 'list') {
    const item = memberJsonReader(shape.member!);
    const m = shape.member!;
    return (v) => {
      if (!Array.isArray(v)) throw expected('a list', m);
      const out: unknown[] = [];
      for (const x of v) if (x !== null && x !== undefined) out.push(item(x));
      return out;
    };
  }
  if (shape.type === 'map') {
    const value = memberJsonReader(shape.value!);
    const m = shape.value!;
    return (v) => {
      if (!isObject(v)) throw expected('a map', m);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x !== null && x !== undefined) setKey(out, k, value(x));
      }
      return out;
    };
  }
  const members = shape.memberList.filter((m) => !m.location).map((m) => ({ name: m.name, key: jsonKey(m), read: memberJsonReader(m) }));
  return (v) => {
    if (!isObject(v)) throw serializationError(`Unexpected value type for ${shape.name}: expected an object`);
    const out: Record<string, unknown> = {};
    for (const m of members) {
      const x = v[m.key];
      if (x !== null && x !== undefined) out[m.name] = m.read(x);
    }
    return out;
  };
}

/** The compiled reader of a structure, list or map shape; structures read only their body (unbound) members. */
export function shapeJsonReader(shape: Shape): JsonRead {
  const cached = shape.plans.get(READ_KEY) as JsonRead | undefined;
  if (cached) return cached;
  let compiled: JsonRead | undefined;
  shape.plans.set(READ_KEY, ((v) => compiled!(v)) as JsonRead);
  compiled = compileRead(shape);
  shape.plans.set(READ_KEY, compiled);
  return compiled;
}

/** Parses a JSON body; SerializationException when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw serializationError('Could not parse request body into json: Unexpected character');
  }
}

function floatText(v: unknown): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isFinite(n)) return String(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

function scalarWrite(m: Member): JsonWrite {
  switch (m.shape.type) {
    case 'integer': case 'long': case 'short': case 'byte':
      return (v) => String(Number(v));
    case 'float': case 'double':
      return floatText;
    case 'boolean':
      return (v) => (v ? 'true' : 'false');
    case 'timestamp': {
      const format = timestampFormatOf(m, 'unixTimestamp');
      if (format === 'unixTimestamp') return (v) => String(toDate(v).getTime() / 1000);
      return (v) => JSON.stringify(formatTimestamp(v, format));
    }
    case 'blob':
      return (v) => `"${(typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array)).toString('base64')}"`;
    case 'bigdecimal': case 'biginteger':
      return (v) => String(v);
    default:
      return (v) => JSON.stringify(String(v));
  }
}

/** The writer of a member's value as JSON. */
export function memberJsonWriter(m: Member): JsonWrite {
  const s = m.shape;
  if (s.document) return (v) => JSON.stringify(v) ?? 'null';
  if (s.type === 'structure' || s.type === 'list' || s.type === 'map') return shapeJsonWriter(s);
  return scalarWrite(m);
}

function compileWrite(shape: Shape): JsonWrite {
  if (shape.type === 'list') {
    const item = memberJsonWriter(shape.member!);
    return (v) => {
      let out = '';
      for (const x of v as unknown[]) {
        if (x === null || x === undefined) continue;
        out += out === '' ? item(x) : `,${item(x)}`;
      }
      return `[${out}]`;
    };
  }
  if (shape.type === 'map') {
    const value = memberJsonWriter(shape.value!);
    return (v) => {
      let out = '';
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === null || x === undefined) continue;
        out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${value(x)}`;
      }
      return `{${out}}`;
    };
  }
  const members = shape.memberList.filter((m) => !m.location).map((m) => ({ name: m.name, prefix: `${JSON.stringify(jsonKey(m))}:`, write: memberJsonWriter(m) }));
  return (v) => {
    const obj = v as Record<string, unknown>;
    let out = '';
    for (const m of members) {
      const x = obj[m.name];
      if (x === null || x === undefined) continue;
      out += `${out === '' ? '' : ','}${m.prefix}${m.write(x)}`;
    }
    return `{${out}}`;
  };
}

/** The compiled writer of a structure, list or map shape; structures write only their body (unbound) members. */
export function shapeJsonWriter(shape: Shape): JsonWrite {
  const cached = shape.plans.get(WRITE_KEY) as JsonWrite | undefined;
  if (cached) return cached;
  let compiled: JsonWrite | undefined;
  shape.plans.set(WRITE_KEY, ((v) => compiled!(v)) as JsonWrite);
  compiled = compileWrite(shape);
  shape.plans.set(WRITE_KEY, compiled);
  return compiled;
}
