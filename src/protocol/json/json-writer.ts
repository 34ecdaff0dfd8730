/**
 * awsJson response bodies: a converter compiled once per shape (cached in
 * `shape.plans`) turns an output into its wire form, then one native
 * JSON.stringify writes it. The converter copies on write: a subtree that is
 * already in wire form (strings, numbers, booleans, only modelled members) is
 * returned as is, so only blobs (base64), timestamps (epoch seconds),
 * non-finite floats ("NaN", "Infinity") and objects carrying unmodelled or null
 * members cost an allocation. Measured ~2x faster than building the text by
 * hand, which pays a JSON.stringify call per string.
 */
import { randomBytes } from 'node:crypto';
import type { Member, Shape } from '../../models/model.js';
import { asDate, blobBytes, epochSeconds, setKey } from './wire-values.js';
import { wireName } from './shape-reader.js';
import { RawJson } from '../../shared/raw-json.js';

export { RawJson };

/** Converts one value into what JSON.stringify must see; returns `v` itself when it is already so. */
export type ConvertFn = (v: unknown) => unknown;
interface ConverterPlan { convert: ConvertFn }
interface MemberConverter { readonly name: string; readonly wire: string; readonly plan: ConverterPlan }

const PLAN_KEY = 'json.convert';
const identity: ConvertFn = (v) => v;

/** A string no response holds by chance (random per process); a response that does hold it is written without splicing. Exported for tests. */
export const RAW_PLACEHOLDER = `\u0000raw.${randomBytes(12).toString('hex')}`;
const RAW_QUOTED = JSON.stringify(RAW_PLACEHOLDER);
/** The raw texts met by the conversion in progress, in JSON.stringify's visiting order. */
let rawTexts: string[] | undefined;
/** Set while converting without placeholders: raw values become their parsed form. */
let rawParsed = false;

function rawWire(r: RawJson): unknown {
  if (rawParsed) return JSON.parse(r.text);
  (rawTexts ??= []).push(r.text);
  return RAW_PLACEHOLDER;
}

/** The JSON text of `v` as a value of `shape`. */
export function writeJson(shape: Shape, v: unknown): string {
  const plan = planFor(shape);
  rawTexts = undefined;
  const wire = plan.convert(v);
  const raws = rawTexts as string[] | undefined; // set by rawWire during convert
  rawTexts = undefined;
  const text = JSON.stringify(wire) ?? 'null';
  if (raws === undefined) return text;
  // Converting and JSON.stringify visit members in the same order, so the n-th placeholder is the n-th text.
  let out = '';
  let from = 0;
  for (let i = 0; i < raws.length; i++) {
    const at = text.indexOf(RAW_QUOTED, from);
    if (at < 0) return JSON.stringify(toJsonWire(shape, v)) ?? 'null';
    out += text.slice(from, at) + raws[i]!;
    from = at + RAW_QUOTED.length;
  }
  if (text.indexOf(RAW_QUOTED, from) >= 0) return JSON.stringify(toJsonWire(shape, v)) ?? 'null';
  return out + text.slice(from);
}

/** The wire form of `v` as a value of `shape` (for callers that add members of their own, like `__type`). */
export function toJsonWire(shape: Shape, v: unknown): unknown {
  rawParsed = true;
  try {
    return planFor(shape).convert(v);
  } finally {
    rawParsed = false;
  }
}

function planFor(shape: Shape): ConverterPlan {
  let plan = shape.plans.get(PLAN_KEY) as ConverterPlan | undefined;
  if (plan) return plan;
  // Registered before compiling members so that recursive shapes (AttributeValue) resolve to it.
  plan = { convert: identity };
  shape.plans.set(PLAN_KEY, plan);
  plan.convert = compile(shape);
  return plan;
}

function memberPlan(m: Member | undefined): ConverterPlan {
  if (!m) return { convert: identity };
  if (m.shape.type === 'timestamp' && m.timestampFormat) return { convert: timestampConverter(m.timestampFormat) };
  return planFor(m.shape);
}

function compile(shape: Shape): ConvertFn {
  if (shape.document) return identity;
  switch (shape.type) {
    case 'structure': return structureConverter(shape);
    case 'list': return listConverter(memberPlan(shape.member));
    case 'map': return mapConverter(memberPlan(shape.value));
    case 'string': case 'character': case 'bigdecimal': case 'biginteger':
      return (v) => (typeof v === 'string' ? v : String(v));
    case 'boolean': return (v) => (typeof v === 'boolean' ? v : Boolean(v));
    case 'integer': case 'long': case 'short': case 'byte': case 'float': case 'double':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : number(Number(v)));
    case 'timestamp': return timestampConverter(shape.timestampFormat);
    case 'blob': return (v) => blobBytes(v).toString('base64');
    default: return identity;
  }
}

/** A number, with the non-finite values spelled as awsJson strings. */
function number(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

function timestampConverter(format: Member['timestampFormat']): ConvertFn {
  // awsJson's default is epoch seconds, fractional when the time has milliseconds.
  if (format === 'iso8601') return (v) => asDate(v).toISOString();
  if (format === 'rfc822') return (v) => asDate(v).toUTCString();
  return epochSeconds;
}

function structureConverter(shape: Shape): ConvertFn {
  const byName = new Map<string, MemberConverter>();
  for (const m of shape.memberList) byName.set(m.name, { name: m.name, wire: wireName(m), plan: memberPlan(m) });
  /** A copy of the members before `stop`, all of which were already in wire form. */
  const copyBefore = (obj: Record<string, unknown>, stop: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k in obj) {
      if (k === stop) break;
      if (obj[k] !== undefined) out[k] = obj[k];
    }
    return out;
  };
  return (v) => {
    const obj = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      const x = obj[key];
      const m = byName.get(key);
      if (m === undefined || x === null || x === undefined) {
        // Unmodelled and null members are left out; undefined ones JSON.stringify skips itself.
        if (!out && x !== undefined) out = copyBefore(obj, key);
        continue;
      }
      const c = x instanceof RawJson ? rawWire(x) : m.plan.convert(x);
      if (out) out[m.wire] = c;
      else if (c !== x || m.wire !== key) {
        out = copyBefore(obj, key);
        out[m.wire] = c;
      }
    }
    return out ?? obj;
  };
}

/** The texts of a list whose every element is RawJson (a Query's or Scan's Items), else undefined. */
function allRaw(arr: readonly unknown[]): string[] | undefined {
  if (arr.length === 0 || !(arr[0] instanceof RawJson)) return undefined;
  const texts: string[] = [];
  for (const x of arr) {
    if (!(x instanceof RawJson)) return undefined;
    texts.push(x.text);
  }
  return texts;
}

function listConverter(item: ConverterPlan): ConvertFn {
  return (v) => {
    const arr = v as readonly unknown[];
    // A list of stored items is spliced as one text: one placeholder instead of one per item.
    if (!rawParsed) {
      const texts = allRaw(arr);
      if (texts) return rawWire(new RawJson(`[${texts.join(',')}]`));
    }
    let out: unknown[] | undefined;
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      const c = x === undefined || x === null ? undefined : x instanceof RawJson ? rawWire(x) : item.convert(x);
      if (out) {
        if (c !== undefined) out.push(c);
      } else if (c !== x || c === undefined) {
        out = arr.slice(0, i);
        if (c !== undefined) out.push(c);
      }
    }
    return out ?? arr;
  };
}

function mapConverter(value: ConverterPlan): ConvertFn {
  return (v) => {
    const obj = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(obj)) {
      const x = obj[key];
      const c = x === undefined || x === null ? undefined : x instanceof RawJson ? rawWire(x) : value.convert(x);
      if (out) {
        if (c !== undefined) setKey(out, key, c);
      } else if (c !== x || c === undefined) {
        out = {};
        for (const k of Object.keys(obj)) {
          if (k === key) break;
          setKey(out, k, obj[k]);
        }
        if (c !== undefined) setKey(out, key, c);
      }
    }
    return out ?? obj;
  };
}
