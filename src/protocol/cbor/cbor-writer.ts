/**
 * Shape-directed CBOR writer for rpcv2Cbor responses, compiled once per shape
 * (cached in `shape.plans`): structures as definite-length maps of the present
 * members, integers as CBOR integers, float/double as doubles, timestamps as
 * tag 1 epoch seconds, blobs as byte strings, bigInteger as bignums and
 * bigDecimal as tag 4 decimal fractions.
 */
import type { Member, Shape } from '../../models/model.js';
import { blobBytes, epochSeconds } from '../json/wire-values.js';
import { wireName } from '../json/shape-reader.js';
import type { CborSink } from './sink.js';

/** Writes one value. */
export type CborWriteFn = (sink: CborSink, v: unknown) => void;
interface WriterPlan { write: CborWriteFn }
interface MemberWriter { readonly name: string; readonly key: string; readonly plan: WriterPlan }
/** The members of a structure: how many are present in a value, and writing them as map entries. */
export interface MembersWriter { count(v: Record<string, unknown>): number; write(sink: CborSink, v: Record<string, unknown>): void }

const PLAN_KEY = 'cbor.write';

/** The compiled writer of a shape. */
export function cborWriter(shape: Shape): CborWriteFn {
  return planFor(shape).write;
}

/** The compiled member writer of a structure, for callers that add entries of their own (`__type`). */
export function cborMembersWriter(shape: Shape): MembersWriter {
  let plan = shape.plans.get('cbor.members') as MembersWriter | undefined;
  if (!plan) {
    plan = membersWriter(shape);
    shape.plans.set('cbor.members', plan);
  }
  return plan;
}

function planFor(shape: Shape): WriterPlan {
  let plan = shape.plans.get(PLAN_KEY) as WriterPlan | undefined;
  if (plan) return plan;
  // Registered before compiling members so that recursive shapes resolve to it.
  plan = { write: (sink) => sink.null() };
  shape.plans.set(PLAN_KEY, plan);
  plan.write = compile(shape);
  return plan;
}

function memberPlan(m: Member | undefined): WriterPlan {
  return m ? planFor(m.shape) : { write: writeUntyped };
}

function compile(shape: Shape): CborWriteFn {
  if (shape.document) return writeUntyped;
  switch (shape.type) {
    case 'structure': {
      const members = membersWriter(shape);
      return (sink, v) => {
        const obj = v as Record<string, unknown>;
        sink.head(5, members.count(obj));
        members.write(sink, obj);
      };
    }
    case 'list': {
      const item = memberPlan(shape.member);
      return (sink, v) => {
        const arr = v as readonly unknown[];
        let n = 0;
        for (let i = 0; i < arr.length; i++) if (arr[i] !== undefined && arr[i] !== null) n++;
        sink.head(4, n);
        for (let i = 0; i < arr.length; i++) {
          const x = arr[i];
          if (x !== undefined && x !== null) item.write(sink, x);
        }
      };
    }
    case 'map': {
      const value = memberPlan(shape.value);
      return (sink, v) => {
        const obj = v as Record<string, unknown>;
        const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && obj[k] !== null);
        sink.head(5, keys.length);
        for (const k of keys) {
          sink.text(k);
          value.write(sink, obj[k]);
        }
      };
    }
    case 'string': case 'character': return (sink, v) => sink.text(typeof v === 'string' ? v : String(v));
    case 'boolean': return (sink, v) => sink.bool(Boolean(v));
    case 'integer': case 'long': case 'short': case 'byte':
      return (sink, v) => (typeof v === 'bigint' ? sink.integer(v) : sink.number(typeof v === 'number' ? v : Number(v)));
    case 'float': case 'double': return (sink, v) => sink.double(typeof v === 'number' ? v : Number(v));
    case 'timestamp': return (sink, v) => sink.timestamp(epochSeconds(v));
    case 'blob': return (sink, v) => sink.bytes(blobBytes(v));
    case 'biginteger': return (sink, v) => sink.integer(BigInt(v as string | number | bigint));
    case 'bigdecimal': return writeBigDecimal;
    default: return writeUntyped;
  }
}

function membersWriter(shape: Shape): MembersWriter {
  const members: MemberWriter[] = shape.memberList.map((m) => ({ name: m.name, key: wireName(m), plan: planFor(m.shape) }));
  return {
    count(v) {
      let n = 0;
      for (let i = 0; i < members.length; i++) {
        const x = v[members[i].name];
        if (x !== undefined && x !== null) n++;
      }
      return n;
    },
    write(sink, v) {
      for (let i = 0; i < members.length; i++) {
        const m = members[i];
        const x = v[m.name];
        if (x === undefined || x === null) continue;
        sink.text(m.key);
        m.plan.write(sink, x);
      }
    },
  };
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** bigDecimal as tag 4 [exponent, mantissa], from its decimal string. */
function writeBigDecimal(sink: CborSink, v: unknown): void {
  const s = String(v).trim();
  const match = DECIMAL.exec(s);
  if (!match || s === '' || s === '.') throw new TypeError(`not a decimal: ${s}`);
  const [, sign, int = '', frac = '', exp = '0'] = match;
  const digits = `${int}${frac}` || '0';
  const mantissa = BigInt(sign === '-' ? `-${digits}` : digits);
  sink.head(6, 4);
  sink.head(4, 2);
  sink.integer(Number(exp) - frac.length);
  sink.integer(mantissa);
}

/** A value without a shape (documents, unmodelled error fields). */
export function writeUntyped(sink: CborSink, v: unknown): void {
  if (v === null || v === undefined) return sink.null();
  switch (typeof v) {
    case 'string': return sink.text(v);
    case 'number': return sink.number(v);
    case 'bigint': return sink.integer(v);
    case 'boolean': return sink.bool(v);
    default: break;
  }
  if (v instanceof Uint8Array) return sink.bytes(v);
  if (v instanceof Date) return sink.timestamp(v.getTime() / 1000);
  if (Array.isArray(v)) {
    sink.head(4, v.length);
    for (const x of v) writeUntyped(sink, x);
    return;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  sink.head(5, keys.length);
  for (const k of keys) {
    sink.text(k);
    writeUntyped(sink, obj[k]);
  }
}
