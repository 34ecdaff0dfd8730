/**
 * A precompiled XML writer for model shapes: one closure per shape (and per
 * scalar member), built once and cached on the shape, that turns a value into
 * its element text with the model's element names, wrapping/flattening,
 * attributes and namespaces.
 */
import type { Member, Shape } from '../../models/model.js';
import { formatTimestamp, timestampFormatOf } from '../rest/values.js';

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
      return (v) => formatTimestamp(v, format);
    }
    case 'blob':
      return (v) => (typeof v === 'string' ? Buffer.from(v) : Buffer.from(v as Uint8Array)).toString('base64');
    case 'float': case 'double':
      return (v) => (typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : String(v));
    default:
      return (v) => String(v);
  }
}

function scalarWriter(member: Member): XmlWrite {
  const text = compileScalarText(member);
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
        if (Array.isArray(v)) for (const item of v) if (item !== undefined && item !== null) inner += e.flatList(item, e.element, e.attrs);
      } else if (e.flatMap) {
        inner += e.flatMap(v, e.element, e.attrs);
      } else {
        inner += e.write(v, e.element, e.attrs);
      }
    }
    return `${open}>${inner}</${name}>`;
  };
}

function compileList(shape: Shape): XmlWrite {
  const item = shape.member!;
  const itemName = item.locationName ?? 'member';
  const itemAttrs = namespaceAttr(item.xmlNamespace);
  const writeItem = memberWriter(item);
  const shapeAttrs = namespaceAttr(shape.xmlNamespace);
  return (value, name, attrs) => {
    let inner = '';
    if (Array.isArray(value)) for (const v of value) if (v !== undefined && v !== null) inner += writeItem(v, itemName, itemAttrs);
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
