/**
 * Shape-directed conversion of a decoded request body (JSON.parse output, or the
 * CBOR decoder's output) into nimbus's input value conventions: Dates, Buffers,
 * plain objects keyed by member name, nulls dropped, unknown members ignored.
 * One reader is compiled per shape and dialect and cached in `shape.plans`;
 * readers copy on write, so the decoded body itself is reused where it already
 * has the right form.
 */
import type { Member, ServiceModel, Shape } from '../../models/model.js';
import { typeMismatch } from './type-errors.js';
import { dateFromSeconds, dateFromString, decodeBase64, isPlainObject, serializationError, setKey } from './wire-values.js';
import { errorNamespace } from './error-facts.js';

/** The wire encodings that share this reader. */
export type Dialect = 'json' | 'cbor';

/** Reads one wire value; `asValue` is true for list elements and map values. */
type ReadFn = (v: unknown, asValue: boolean) => unknown;
interface ReaderPlan { read: ReadFn }
interface MemberPlan { readonly name: string; readonly plan: ReaderPlan }

const PLAN_KEY: Record<Dialect, string> = { json: 'json.read', cbor: 'cbor.read' };

/** The member's name on the wire: botocore honours locationName in JSON and CBOR bodies. */
export function wireName(m: Member): string {
  return m.locationName ?? m.name;
}

/** Converts a decoded body into the input of `shape`; throws SerializationException on a type mismatch. */
export function readInput(shape: Shape | undefined, body: unknown, dialect: Dialect, model: ServiceModel): Record<string, unknown> {
  if (!shape) {
    if (!isPlainObject(body)) throw serializationError('Start of list found where not expected');
    return {};
  }
  return planFor(shape, dialect, errorNamespace(model)).read(body, false) as Record<string, unknown>;
}

function planFor(shape: Shape, dialect: Dialect, ns: string): ReaderPlan {
  const key = PLAN_KEY[dialect];
  let plan = shape.plans.get(key) as ReaderPlan | undefined;
  if (plan) return plan;
  // Registered before compiling members so that recursive shapes (AttributeValue) resolve to it.
  plan = { read: () => undefined };
  shape.plans.set(key, plan);
  plan.read = compile(shape, dialect, ns);
  return plan;
}

function memberPlan(m: Member, dialect: Dialect, ns: string): ReaderPlan {
  // A member-level timestampFormat only matters for JSON strings; everything else is per shape.
  if (m.shape.type === 'timestamp' && m.timestampFormat && dialect === 'json') return { read: timestampReader(m.shape, dialect, ns) };
  return planFor(m.shape, dialect, ns);
}

function compile(shape: Shape, dialect: Dialect, ns: string): ReadFn {
  if (shape.document) return (v) => v;
  switch (shape.type) {
    case 'structure': return structureReader(shape, dialect, ns);
    case 'list': return listReader(shape, dialect, ns);
    case 'map': return mapReader(shape, dialect, ns);
    case 'string': case 'character': return (v, asValue) => {
      if (typeof v === 'string') return v;
      throw typeMismatch(shape, v, ns, asValue);
    };
    case 'boolean': return (v, asValue) => {
      if (typeof v === 'boolean') return v;
      throw typeMismatch(shape, v, ns, asValue);
    };
    case 'integer': case 'long': case 'short': case 'byte': return (v, asValue) => {
      // Coral truncates a decimal given for an integer rather than rejecting it.
      if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
      if (typeof v === 'bigint') return Number(v);
      throw typeMismatch(shape, v, ns, asValue);
    };
    case 'float': case 'double': return (v, asValue) => {
      if (typeof v === 'number') return v;
      // awsJson and rpcv2Cbor spell the non-finite values as strings in JSON.
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
      if (typeof v === 'bigint') return Number(v);
      throw typeMismatch(shape, v, ns, asValue);
    };
    case 'bigdecimal': case 'biginteger': return (v, asValue) => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'bigint') return String(v);
      throw typeMismatch(shape, v, ns, asValue);
    };
    case 'timestamp': return timestampReader(shape, dialect, ns);
    case 'blob': return dialect === 'json'
      ? (v, asValue) => {
        if (typeof v === 'string') return decodeBase64(v);
        throw typeMismatch(shape, v, ns, asValue);
      }
      : (v, asValue) => {
        if (Buffer.isBuffer(v)) return v;
        if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        throw typeMismatch(shape, v, ns, asValue);
      };
    default: return (v) => v;
  }
}

function timestampReader(shape: Shape, dialect: Dialect, ns: string): ReadFn {
  return (v, asValue) => {
    let d: Date | undefined;
    if (v instanceof Date) d = Number.isNaN(v.getTime()) ? undefined : v;
    else if (typeof v === 'number') d = dateFromSeconds(v);
    else if (typeof v === 'string' && dialect === 'json') d = dateFromString(v);
    else throw typeMismatch(shape, v, ns, asValue);
    if (!d) throw serializationError(`${typeof v === 'string' ? 'STRING_VALUE' : 'NUMBER_VALUE'} cannot be converted to Date`);
    return d;
  };
}

/** A copy of the keys of `obj` before `stop`, all of which were already in their final form. */
function copyBefore(obj: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (k === stop) break;
    setKey(out, k, obj[k]);
  }
  return out;
}

// The readers below copy on write: an object or array whose every value reads back
// as itself (strings, numbers, booleans, known members, no nulls) is returned as is,
// so the decoded body is reused rather than copied; only what changes is allocated.

function structureReader(shape: Shape, dialect: Dialect, ns: string): ReadFn {
  const byWire = new Map<string, MemberPlan>();
  for (const m of shape.memberList) byWire.set(wireName(m), { name: m.name, plan: memberPlan(m, dialect, ns) });
  return (v, asValue) => {
    if (!isPlainObject(v)) throw typeMismatch(shape, v, ns, asValue);
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(v)) {
      const mp = byWire.get(key);
      const x = v[key];
      // Unknown members are ignored and null means absent, as AWS's JSON services do.
      if (mp === undefined || x === null || x === undefined) {
        if (!out) out = copyBefore(v, key);
        continue;
      }
      const c = mp.plan.read(x, false);
      if (out) out[mp.name] = c;
      else if (c !== x || mp.name !== key) {
        out = copyBefore(v, key);
        out[mp.name] = c;
      }
    }
    return out ?? v;
  };
}

function listReader(shape: Shape, dialect: Dialect, ns: string): ReadFn {
  const item = shape.member ? memberPlan(shape.member, dialect, ns) : { read: (v: unknown) => v };
  return (v, asValue) => {
    if (!Array.isArray(v)) throw typeMismatch(shape, v, ns, asValue);
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const c = x === null || x === undefined ? undefined : item.read(x, true);
      if (out) {
        if (c !== undefined) out.push(c);
      } else if (c !== x || c === undefined) {
        out = v.slice(0, i);
        if (c !== undefined) out.push(c);
      }
    }
    return out ?? v;
  };
}

function mapReader(shape: Shape, dialect: Dialect, ns: string): ReadFn {
  const value = shape.value ? memberPlan(shape.value, dialect, ns) : { read: (v: unknown) => v };
  return (v, asValue) => {
    if (!isPlainObject(v)) throw typeMismatch(shape, v, ns, asValue);
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(v)) {
      const x = v[key];
      const c = x === null || x === undefined ? undefined : value.read(x, true);
      if (out) {
        if (c !== undefined) setKey(out, key, c);
      } else if (c !== x || c === undefined) {
        out = copyBefore(v, key);
        if (c !== undefined) setKey(out, key, c);
      }
    }
    return out ?? v;
  };
}
