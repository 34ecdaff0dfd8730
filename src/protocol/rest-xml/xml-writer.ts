/**
 * A precompiled XML writer for model shapes: one closure per shape (and per
 * scalar member), built once and cached on the shape, that turns a value into
 * its element text with the model's element names, wrapping/flattening,
 * attributes and namespaces.
 */
import type { Member, Shape } from '../../models/model.js';
import { formatTimestamp, timestampFormatOf, toDate } from '../rest/values.js';

/** Writes one value as an element named `name`, with `attrs` (already rendered, leading space) in its open tag. */
export type XmlWrite = (value: unknown, name: string, attrs: string) => string;

const WRITE_KEY = 'rest-xml:write';
const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_G = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<"\r\n\t]/;
const ATTR_SPECIAL_G = /[&<"\r\n\t]/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;' };
const escapeChar = (c: string): string => ESCAPES[c]!;

/** Escapes element text (a bare CR would be normalised away by parsers, so it is written as a reference). */
export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? s.replace(TEXT_SPECIAL_G, escapeChar) : s;
}

/** Escapes an attribute value. */
export function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(ATTR_SPECIAL_G, escapeChar) : s;
}

const MS_PER_DAY = 86_400_000;
/** Times ISO 8601 writes as YYYY-MM-DDTHH:MM:SS.mmmZ: years 0000 to 9999. */
const MIN_PLAIN_MS = -62_167_219_200_000;
const MAX_PLAIN_MS = 253_402_300_800_000;
const DIGITS2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DIGITS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** The date part (`YYYY-MM-DDT`) of the day last written: a listing's times mostly share a few days. */
let cachedDay = NaN;
let cachedDayText = '';

/**
 * A timestamp as ISO 8601 with milliseconds, the text of Date#toISOString: the date part
 * is cached per day and the time assembled from digit tables, several times cheaper than
 * toISOString for the thousand LastModified values of a listing page.
 */
export function isoTimestamp(value: unknown): string {
  const d = toDate(value);
  const ms = d.getTime();
  if (!(ms >= MIN_PLAIN_MS && ms < MAX_PLAIN_MS)) return d.toISOString();
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== cachedDay) {
    cachedDayText = d.toISOString().slice(0, 11);
    cachedDay = day;
  }
  let t = ms - day * MS_PER_DAY;
  const millis = t % 1000;
  t = (t - millis) / 1000;
  const seconds = t % 60;
  t = (t - seconds) / 60;
  const minutes = t % 60;
  return `${cachedDayText}${DIGITS2[(t - minutes) / 60]}:${DIGITS2[minutes]}:${DIGITS2[seconds]}.${DIGITS3[millis]}Z`;
}

/** The `xmlns` attribute text of a namespace trait, with a leading space. */
export function namespaceAttr(ns: { prefix?: string; uri: string } | undefined): string {
  if (!ns) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeAttr(ns.uri)}"` : ` xmlns="${escapeAttr(ns.uri)}"`;
}

/** The element name of a structure member (botocore: a flattened list takes its item's locationName first). */
export function elementName(member: Member): string {
  const s = member.shape;
  if (s.type === 'list' && (member.flattened || s.flattened) && s.member?.locationName) return s.member.locationName;
  return member.locationName ?? member.name;
}

/** The text form of a scalar value of a member (iso8601 timestamps by default, base64 blobs). */
export function compileScalarText(member: Member): (v: unknown) => string {
  switch (member.shape.type) {
    case 'timestamp': {
      const format = timestampFormatOf(member, 'iso8601');
      return format === 'iso8601' ? isoTimestamp : (v) => formatTimestamp(v, format);
    }
    case 'blob':
      return (v) => (typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array)).toString('base64');
    case 'float': case 'double':
      return (v) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : String(v));
    default:
      return (v) => String(v);
  }
}

/** Scalar types whose text never holds a character to escape (digits, signs, letters, base64, ISO or HTTP dates). */
const PLAIN_TYPES = new Set(['timestamp', 'integer', 'long', 'short', 'byte', 'float', 'double', 'boolean', 'blob', 'bigInteger', 'bigDecimal']);

function scalarWriter(member: Member): XmlWrite {
  const text = compileScalarText(member);
  if (PLAIN_TYPES.has(member.shape.type)) {
    // A value of the wrong type (a string where a number belongs) still goes through escaping.
    return (v, name, attrs) => (typeof v === 'string' ? `<${name}${attrs}>${escapeText(text(v))}</${name}>` : `<${name}${attrs}>${text(v)}</${name}>`);
  }
  return (v, name, attrs) => `<${name}${attrs}>${escapeText(text(v))}</${name}>`;
}

/** The writer for a member's value (its shape's writer, or a scalar writer that honours the member's traits). */
export function memberWriter(member: Member): XmlWrite {
  const t = member.shape.type;
  if (t === 'structure' || t === 'list' || t === 'map') return shapeWriter(member.shape);
  return scalarWriter(member);
}

interface ElementMember {
  readonly name: string;
  readonly element: string;
  readonly attrs: string;
  readonly write: XmlWrite;
  /** A flattened list: items are written one by one under the parent, named `element`. */
  readonly flatList?: XmlWrite;
  /** A flattened map: entries are written one by one under the parent, named `element`. */
  readonly flatMap?: XmlWrite;
}

function compileStructure(shape: Shape): XmlWrite {
  const shapeAttrs = namespaceAttr(shape.xmlNamespace);
  const attributes: { name: string; attr: string; text: (v: unknown) => string }[] = [];
  const elements: ElementMember[] = [];
  const order = shape.xmlOrder ? shape.xmlOrder.map((n) => shape.members[n]!).filter(Boolean) : shape.memberList;
  for (const m of order) {
    // HTTP-bound members never appear in a body document.
    if (m.location) continue;
    if (m.xmlAttribute) {
      attributes.push({ name: m.name, attr: m.locationName ?? m.name, text: compileScalarText(m) });
      continue;
    }
    const flattened = m.flattened || m.shape.flattened;
    const el: ElementMember = {
      name: m.name, element: elementName(m), attrs: namespaceAttr(m.xmlNamespace), write: memberWriter(m),
      flatList: flattened && m.shape.type === 'list' ? memberWriter(m.shape.member!) : undefined,
      flatMap: flattened && m.shape.type === 'map' ? mapEntriesWriter(m.shape) : undefined,
    };
    elements.push(el);
  }
  return (value, name, attrs) => {
    const obj = value as Record<string, unknown>;
    let open = `<${name}${attrs}${shapeAttrs}`;
    for (const a of attributes) {
      const v = obj[a.name];
      if (v !== undefined && v !== null) open += ` ${a.attr}="${escapeAttr(a.text(v))}"`;
    }
    let inner = '';
    for (const e of elements) {
      const v = obj[e.name];
      if (v === undefined || v === null) continue;
      if (e.flatList) {
        if (Array.isArray(v)) inner += writeItems(v, e.flatList, e.element, e.attrs);
      } else if (e.flatMap) {
        inner += e.flatMap(v, e.element, e.attrs);
      } else {
        inner += e.write(v, e.element, e.attrs);
      }
    }
    return `${open}>${inner}</${name}>`;
  };
}

/**
 * The elements of a list's items, joined into one flat string: appended one by one they
 * would form a rope of thousands of pieces (a listing page), which the response then
 * has to flatten, at several times the cost of the join.
 */
function writeItems(items: readonly unknown[], write: XmlWrite, name: string, attrs: string): string {
  if (items.length === 1) return items[0] === undefined || items[0] === null ? '' : write(items[0], name, attrs);
  const parts: string[] = [];
  for (const item of items) if (item !== undefined && item !== null) parts.push(write(item, name, attrs));
  return parts.join('');
}

function compileList(shape: Shape): XmlWrite {
  const item = shape.member!;
  const itemName = item.locationName ?? 'member';
  const itemAttrs = namespaceAttr(item.xmlNamespace);
  const writeItem = memberWriter(item);
  const shapeAttrs = namespaceAttr(shape.xmlNamespace);
  return (value, name, attrs) => {
    let inner = '';
    if (Array.isArray(value)) inner = writeItems(value, writeItem, itemName, itemAttrs);
    return `<${name}${attrs}${shapeAttrs}>${inner}</${name}>`;
  };
}

/** Writes a map's entries as `<name><key/><value/></name>` each (the flattened form, and the inside of `<entry>`). */
function mapEntriesWriter(shape: Shape): XmlWrite {
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const writeKey = memberWriter(shape.key!);
  const writeValue = memberWriter(shape.value!);
  return (value, name, attrs) => {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${name}${attrs}>${writeKey(k, keyName, '')}${writeValue(v, valueName, '')}</${name}>`;
    }
    return out;
  };
}

function compileMap(shape: Shape): XmlWrite {
  const entries = mapEntriesWriter(shape);
  const shapeAttrs = namespaceAttr(shape.xmlNamespace);
  return (value, name, attrs) => `<${name}${attrs}${shapeAttrs}>${entries(value, 'entry', '')}</${name}>`;
}

/** The compiled writer of a structure, list or map shape (cached on the shape; recursive shapes allowed). */
export function shapeWriter(shape: Shape): XmlWrite {
  const cached = shape.plans.get(WRITE_KEY) as XmlWrite | undefined;
  if (cached) return cached;
  let compiled: XmlWrite | undefined;
  // A recursive shape meets itself while compiling: hand out an indirection until the real writer exists.
  shape.plans.set(WRITE_KEY, ((v, n, a) => compiled!(v, n, a)) as XmlWrite);
  compiled = shape.type === 'structure' ? compileStructure(shape) : shape.type === 'list' ? compileList(shape) : compileMap(shape);
  shape.plans.set(WRITE_KEY, compiled);
  return compiled;
}

/** The XML declaration S3 and the other REST-XML services put before a document. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
