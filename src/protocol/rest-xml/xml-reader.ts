/**
 * Reads REST-XML request documents: fast-xml-parser turns the text into a tree,
 * then a reader compiled once per shape maps elements and attributes to members
 * (wrapped or flattened lists, entry/key/value maps, xmlAttribute members).
 */
import { XMLParser } from 'fast-xml-parser';
import type { Member, Shape } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { parseTimestamp, setKey, timestampFormatOf } from '../rest/values.js';
import { elementName } from './xml-writer.js';

/** Reads one parsed element (text, or an object of children and `@attributes`) into a value. */
export type XmlRead = (node: unknown) => unknown;

const READ_KEY = 'rest-xml:read';
const ATTR_PREFIX = '@';
const TEXT_KEY = '#text';
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** S3's wording for a body that does not parse or does not fit the schema. */
export const MALFORMED_XML_MESSAGE = 'The XML you provided was not well-formed or did not validate against our published schema';

/** The error S3 answers for an unreadable XML body. */
export function malformedXml(): ServiceError {
  return new ServiceError('MalformedXML', MALFORMED_XML_MESSAGE, { status: 400 });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR_PREFIX,
  textNodeName: TEXT_KEY,
  parseTagValue: false,
  parseAttributeValue: false,
  // Values keep their whitespace: S3 keys may begin or end with spaces.
  trimValues: false,
  // Numeric character references (&#xD; from SDKs escaping CR) need htmlEntities.
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
});

/** Parses an XML document and returns its single root element; MalformedXML when it is not one well-formed document. */
export function parseXmlDocument(body: Buffer | string): { name: string; node: unknown } {
  let text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A DTD could declare expanding entities; AWS's documents never carry one.
  if (text.includes('<!DOCTYPE')) throw malformedXml();
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
  const names = Object.keys(doc);
  if (names.length !== 1) throw malformedXml();
  const name = names[0]!;
  const node = doc[name];
  if (Array.isArray(node)) throw malformedXml();
  return { name, node };
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (node !== null && typeof node === 'object') {
    const t = (node as Record<string, unknown>)[TEXT_KEY];
    return typeof t === 'string' ? t : '';
  }
  return '';
}

function asArray(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [raw];
}

function first(raw: unknown): unknown {
  return Array.isArray(raw) ? raw[0] : raw;
}

/** The reader of a scalar member (text to value), honouring the member's timestamp format. */
export function compileScalarRead(member: Member): (text: string) => unknown {
  switch (member.shape.type) {
    case 'integer': case 'long': case 'short': case 'byte':
      return (t) => {
        if (!INTEGER_TEXT.test(t)) throw malformedXml();
        return Number(t);
      };
    case 'float': case 'double':
      return (t) => {
        const s = t.trim();
        if (s === 'NaN') return NaN;
        if (s === 'Infinity') return Infinity;
        if (s === '-Infinity') return -Infinity;
        const n = Number(s);
        if (s === '' || Number.isNaN(n)) throw malformedXml();
        return n;
      };
    case 'boolean':
      return (t) => {
        const s = t.trim();
        if (s === 'true') return true;
        if (s === 'false') return false;
        throw malformedXml();
      };
    case 'timestamp': {
      const format = timestampFormatOf(member, 'iso8601');
      return (t) => {
        try {
          return parseTimestamp(t, format);
        } catch {
          throw malformedXml();
        }
      };
    }
    case 'blob':
      return (t) => Buffer.from(t.trim(), 'base64');
    default:
      return (t) => t;
  }
}

/** The reader of a member's element. */
export function memberReader(member: Member): XmlRead {
  const t = member.shape.type;
  if (t === 'structure' || t === 'list' || t === 'map') return shapeReader(member.shape);
  const read = compileScalarRead(member);
  return (node) => read(textOf(node));
}

interface ElementMember {
  readonly name: string;
  readonly element: string;
  readonly read: XmlRead;
  /** Items of a flattened list, or entries of a flattened map, each an element named `element` in the parent. */
  readonly flatItem?: XmlRead;
  readonly flatMap?: (entries: unknown[]) => Record<string, unknown>;
}

function compileStructure(shape: Shape): XmlRead {
  const attributes: { name: string; key: string; read: (t: string) => unknown }[] = [];
  const elements: ElementMember[] = [];
  for (const m of shape.memberList) {
    if (m.location) continue;
    if (m.xmlAttribute) {
      attributes.push({ name: m.name, key: ATTR_PREFIX + (m.locationName ?? m.name), read: compileScalarRead(m) });
      continue;
    }
    const flattened = m.flattened || m.shape.flattened;
    elements.push({
      name: m.name, element: elementName(m), read: memberReader(m),
      flatItem: flattened && m.shape.type === 'list' ? memberReader(m.shape.member!) : undefined,
      flatMap: flattened && m.shape.type === 'map' ? mapEntriesReader(m.shape) : undefined,
    });
  }
  return (node) => {
    const out: Record<string, unknown> = {};
    if (node === null || typeof node !== 'object') return out;
    const obj = node as Record<string, unknown>;
    for (const a of attributes) {
      const raw = obj[a.key];
      if (typeof raw === 'string') out[a.name] = a.read(raw);
    }
    for (const e of elements) {
      const raw = obj[e.element];
      if (raw === undefined) continue;
      if (e.flatItem) out[e.name] = asArray(raw).map(e.flatItem);
      else if (e.flatMap) out[e.name] = e.flatMap(asArray(raw));
      else out[e.name] = e.read(first(raw));
    }
    return out;
  };
}

function compileList(shape: Shape): XmlRead {
  const item = shape.member!;
  const itemName = item.locationName ?? 'member';
  const readItem = memberReader(item);
  return (node) => {
    if (node === null || typeof node !== 'object') return [];
    const raw = (node as Record<string, unknown>)[itemName];
    return raw === undefined ? [] : asArray(raw).map(readItem);
  };
}

function mapEntriesReader(shape: Shape): (entries: unknown[]) => Record<string, unknown> {
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const readKey = memberReader(shape.key!);
  const readValue = memberReader(shape.value!);
  return (entries) => {
    const out: Record<string, unknown> = {};
    for (const entry of entries) {
      if (entry === null || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      const k = e[keyName];
      if (k === undefined) continue;
      const v = e[valueName];
      setKey(out, String(readKey(first(k))), v === undefined ? undefined : readValue(first(v)));
    }
    return out;
  };
}

function compileMap(shape: Shape): XmlRead {
  const entries = mapEntriesReader(shape);
  return (node) => {
    if (node === null || typeof node !== 'object') return {};
    const raw = (node as Record<string, unknown>)['entry'];
    return raw === undefined ? {} : entries(asArray(raw));
  };
}

/** The compiled reader of a structure, list or map shape (cached on the shape; recursive shapes allowed). */
export function shapeReader(shape: Shape): XmlRead {
  const cached = shape.plans.get(READ_KEY) as XmlRead | undefined;
  if (cached) return cached;
  let compiled: XmlRead | undefined;
  shape.plans.set(READ_KEY, ((n) => compiled!(n)) as XmlRead);
  compiled = shape.type === 'structure' ? compileStructure(shape) : shape.type === 'list' ? compileList(shape) : compileMap(shape);
  shape.plans.set(READ_KEY, compiled);
  return compiled;
}
