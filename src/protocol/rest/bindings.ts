/**
 * The HTTP bindings of REST operations (URI labels, query parameters, headers,
 * prefix headers, status code, payload), compiled once per shape and shared by
 * the rest-json and rest-xml codecs, which add their own body format.
 */
import { Readable } from 'node:stream';
import type { Member, Operation, Shape } from '../../models/model.js';
import type { WireRequest } from '../types.js';
import {
  badBindingValue, compileFromText, compileToText, quoteHeaderItem, setKey, splitHeaderList,
  type FromText, type ToText,
} from './values.js';
import type { PathLabels } from './router.js';

/** How the payload member travels: a document of the protocol's body format, raw bytes, text or a stream. */
export type PayloadKind = 'document' | 'blob' | 'string' | 'stream' | 'eventstream';

/** The payload member of a shape (`shape.payload`). */
export interface PayloadBinding {
  readonly name: string;
  readonly member: Member;
  readonly kind: PayloadKind;
}

interface ValueBinding {
  readonly name: string;
  readonly member: Member;
  /** Wire name: label name, query key, or lower-cased header name (input) / header name as modelled (output). */
  readonly wire: string;
  /** The wire name lower-cased, as node delivers header names. */
  readonly lower: string;
  readonly list: boolean;
  readonly fromText: FromText;
  readonly toText: ToText;
}

interface PrefixBinding {
  readonly name: string;
  /** Lower-cased prefix for reading; `wirePrefix` keeps the model's case for writing. */
  readonly prefix: string;
  readonly wirePrefix: string;
  readonly fromText: FromText;
}

/** The compiled bindings of an input or output structure. */
export interface BindingPlan {
  readonly labels: readonly ValueBinding[];
  readonly query: readonly ValueBinding[];
  /** A map member bound to every query parameter no other member takes. */
  readonly queryMap?: { readonly name: string; readonly listValues: boolean; readonly fromText: FromText };
  readonly headers: readonly ValueBinding[];
  /** Header members by lower-cased header name (reading) and by member name (writing). */
  readonly headerByWire: ReadonlyMap<string, ValueBinding>;
  readonly headerByName: ReadonlyMap<string, ValueBinding>;
  readonly prefixHeaders: readonly PrefixBinding[];
  readonly statusCode?: string;
  readonly payload?: PayloadBinding;
  /** Members that travel in the body document when there is no payload member. */
  readonly bodyMembers: readonly Member[];
  readonly boundQueryKeys: ReadonlySet<string>;
}

const PLAN_KEY = 'rest-bindings';
const DIGITS = /^\d+$/;
const EMPTY_PLAN: BindingPlan = {
  labels: [], query: [], headers: [], headerByWire: new Map(), headerByName: new Map(), prefixHeaders: [], bodyMembers: [], boundQueryKeys: new Set(),
};

function payloadKind(member: Member): PayloadKind {
  const s = member.shape;
  if (s.eventstream) return 'eventstream';
  if (s.type === 'blob') return member.streaming || s.streaming ? 'stream' : 'blob';
  if (s.type === 'string') return 'string';
  return 'document';
}

function valueBinding(name: string, member: Member, wire: string, location: 'uri' | 'querystring' | 'header'): ValueBinding {
  const list = member.shape.type === 'list';
  const item = list ? member.shape.member! : member;
  // Smithy's defaults: headers carry HTTP dates, labels and query parameters ISO 8601.
  const tsDefault = location === 'header' ? 'rfc822' : 'iso8601';
  // A list's items take the list member's traits, but the jsonvalue/timestampFormat of the reference still apply.
  const itemMember: Member = list ? { ...item, timestampFormat: item.timestampFormat ?? member.timestampFormat } : member;
  return { name, member, wire, lower: wire.toLowerCase(), list, fromText: compileFromText(itemMember, tsDefault), toText: compileToText(itemMember, tsDefault) };
}

/** Compiles (once) the binding plan of an input or output structure. */
export function bindingPlan(shape: Shape | undefined): BindingPlan {
  if (!shape) return EMPTY_PLAN;
  const cached = shape.plans.get(PLAN_KEY) as BindingPlan | undefined;
  if (cached) return cached;
  const labels: ValueBinding[] = [];
  const query: ValueBinding[] = [];
  const headers: ValueBinding[] = [];
  const prefixHeaders: PrefixBinding[] = [];
  const bodyMembers: Member[] = [];
  const boundQueryKeys = new Set<string>();
  let queryMap: BindingPlan['queryMap'];
  let statusCode: string | undefined;
  for (const m of shape.memberList) {
    const wire = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri': labels.push(valueBinding(m.name, m, wire, 'uri')); break;
      case 'querystring':
        if (m.shape.type === 'map') {
          const value = m.shape.value!;
          const listValues = value.shape.type === 'list';
          queryMap = { name: m.name, listValues, fromText: compileFromText(listValues ? value.shape.member! : value, 'iso8601') };
        } else {
          query.push(valueBinding(m.name, m, wire, 'querystring'));
          boundQueryKeys.add(wire);
        }
        break;
      case 'header': headers.push(valueBinding(m.name, m, wire, 'header')); break;
      case 'headers': prefixHeaders.push({ name: m.name, prefix: wire.toLowerCase(), wirePrefix: wire, fromText: compileFromText(m.shape.value!, 'rfc822') }); break;
      case 'statusCode': statusCode = m.name; break;
      default:
        if (shape.payload === undefined) bodyMembers.push(m);
    }
  }
  const pm = shape.payload !== undefined ? shape.members[shape.payload] : undefined;
  const payload = pm ? { name: pm.name, member: pm, kind: payloadKind(pm) } : undefined;
  const headerByWire = new Map(headers.map((b) => [b.lower, b]));
  const headerByName = new Map(headers.map((b) => [b.name, b]));
  const plan: BindingPlan = { labels, query, queryMap, headers, headerByWire, headerByName, prefixHeaders, statusCode, payload, bodyMembers, boundQueryKeys };
  shape.plans.set(PLAN_KEY, plan);
  return plan;
}

const LITERAL_QUERY_KEY = 'rest-literal-query';

/** The query keys an operation's URI template names literally (`?uploads`, `?list-type=2`): never part of a query-string map. */
export function literalQueryKeys(op: Operation): ReadonlySet<string> {
  let keys = op.plans.get(LITERAL_QUERY_KEY) as ReadonlySet<string> | undefined;
  if (!keys) {
    const uri = op.http.requestUri;
    const q = uri.indexOf('?');
    keys = new Set(q === -1 ? [] : uri.slice(q + 1).split('&').map((kv) => decodeURIComponent(kv.split('=')[0]!)));
    op.plans.set(LITERAL_QUERY_KEY, keys);
  }
  return keys;
}

/** True when the operation's input payload is a streaming blob (or an event stream): the gateway then hands the codec the body as a stream. */
export function hasStreamingInput(op: Operation): boolean {
  const kind = bindingPlan(op.input).payload?.kind;
  return kind === 'stream' || kind === 'eventstream';
}

function convertWith(fromText: FromText, text: string, where: string, wire: string, errorCode: string): unknown {
  try {
    return fromText(text);
  } catch {
    throw badBindingValue(errorCode, where, wire, text);
  }
}

function convert(b: ValueBinding, text: string, where: string, errorCode: string): unknown {
  return convertWith(b.fromText, text, where, b.wire, errorCode);
}

/**
 * Reads the labels, query parameters and headers of a request into `out`.
 * Bad text becomes a ServiceError with the protocol's code (SerializationException, InvalidArgument).
 */
export function readBindings(plan: BindingPlan, op: Operation, req: WireRequest, labels: PathLabels, out: Record<string, unknown>, errorCode: string): void {
  for (const b of plan.labels) {
    const text = labels[b.wire];
    if (text !== undefined) out[b.name] = convert(b, text, 'path label', errorCode);
  }
  const q = req.query;
  for (const b of plan.query) {
    const values = q[b.wire];
    if (values === undefined) continue;
    out[b.name] = b.list ? values.map((v) => convert(b, v, 'query parameter', errorCode)) : convert(b, values[0]!, 'query parameter', errorCode);
  }
  if (plan.queryMap) {
    const map: Record<string, unknown> = {};
    let any = false;
    const literal = literalQueryKeys(op);
    for (const key of Object.keys(q)) {
      if (plan.boundQueryKeys.has(key) || literal.has(key)) continue;
      const values = q[key]!;
      const fromText = plan.queryMap.fromText;
      setKey(map, key, plan.queryMap.listValues
        ? values.map((v) => convertWith(fromText, v, 'query parameter', key, errorCode))
        : convertWith(fromText, values[0]!, 'query parameter', key, errorCode));
      any = true;
    }
    if (any) out[plan.queryMap.name] = map;
  }
  // Walk the request's headers (a dozen) rather than the model's (S3 PutObject binds about fifty).
  if (plan.headers.length === 0 && plan.prefixHeaders.length === 0) return;
  const h = req.headers;
  for (const name in h) {
    const raw = h[name];
    if (raw === undefined) continue;
    const text = typeof raw === 'string' ? raw : raw.join(', ');
    const b = plan.headerByWire.get(name);
    if (b) {
      if (b.list) {
        out[b.name] = text === '' ? [] : splitHeaderList(text, b.member.shape.member!.shape).map((v) => convert(b, v, 'header', errorCode));
      } else {
        out[b.name] = convert(b, text, 'header', errorCode);
      }
      continue;
    }
    for (const p of plan.prefixHeaders) {
      if (!name.startsWith(p.prefix)) continue;
      const map = (out[p.name] ??= {}) as Record<string, unknown>;
      setKey(map, name.slice(p.prefix.length), convertWith(p.fromText, text, 'header', name, errorCode));
    }
  }
}

/**
 * S3's streaming uploads (aws-chunked): the SDK adds `aws-chunked` to Content-Encoding and
 * sends the object's length in x-amz-decoded-content-length; S3 stores neither the
 * encoding token nor the framed length, so the input gets what the caller meant.
 * (De-framing the body and checking chunk signatures and trailers is the gateway's.)
 */
export function unwrapAwsChunked(plan: BindingPlan, req: WireRequest, out: Record<string, unknown>): void {
  const encoding = req.headers['content-encoding'];
  if (typeof encoding !== 'string' || !encoding.includes('aws-chunked')) return;
  for (const b of plan.headers) {
    if (b.lower === 'content-encoding') {
      const rest = encoding.split(',').map((t) => t.trim()).filter((t) => t !== '' && t !== 'aws-chunked').join(',');
      if (rest === '') delete out[b.name];
      else out[b.name] = rest;
    } else if (b.lower === 'content-length') {
      const decoded = req.headers['x-amz-decoded-content-length'];
      if (typeof decoded === 'string' && DIGITS.test(decoded)) out[b.name] = Number(decoded);
      else delete out[b.name];
    }
  }
}

/** The body stream of a streaming payload: the gateway's stream, or the buffered body as one. */
export function requestStream(req: WireRequest): Readable {
  return req.bodyStream ?? Readable.from(req.body.length > 0 ? [req.body] : []);
}

/** Writes an output's header and prefix-header members, and returns the status its statusCode member gives. */
export function writeBindings(plan: BindingPlan, output: Record<string, unknown>, headers: Record<string, string | number | readonly string[]>): number | undefined {
  // Walk the output's members (a handful) rather than the model's header bindings.
  for (const name in output) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    const b = plan.headerByName.get(name);
    if (b) {
      if (!b.list) headers[b.wire] = b.toText(v);
      else if (Array.isArray(v)) {
        const isTs = b.member.shape.member!.shape.type === 'timestamp';
        headers[b.wire] = v.map((item) => (isTs ? b.toText(item) : quoteHeaderItem(b.toText(item)))).join(', ');
      }
      continue;
    }
    if (typeof v !== 'object') continue;
    for (const p of plan.prefixHeaders) {
      if (p.name !== name) continue;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== undefined && x !== null) headers[p.wirePrefix + k] = String(x);
      }
    }
  }
  if (plan.statusCode !== undefined) {
    const s = output[plan.statusCode];
    if (typeof s === 'number') return s;
  }
  return undefined;
}

/** The bytes or text of a blob/string payload value; streams pass through. */
export function payloadBody(value: unknown): Buffer | string | Readable | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || Buffer.isBuffer(value) || value instanceof Readable) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return String(value);
}
