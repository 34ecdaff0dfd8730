/**
 * Message attributes: validation, the MD5 digest AWS computes over them (which the
 * SDKs verify), and their stored form. The stored form is the very byte sequence the
 * digest is taken over, so a send encodes once and a receive decodes without JSON.
 *
 * Digest input (SQS Developer Guide, "Calculating the MD5 message digest for message
 * attributes"): for each attribute in ascending name order, the name, the data type
 * (each as a 4-byte big-endian length and UTF-8 bytes), one transport byte (1 for a
 * string value, 2 for a binary value) and the value (length-prefixed).
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../shared/errors.js';
import type { MessageAttributeValue } from '../../models/generated/sqs.js';

const STRING_TRANSPORT = 1;
const BINARY_TRANSPORT = 2;
/** SendMessage: at most 10 message attributes (SQS quotas). */
const MAX_ATTRIBUTES = 10;
const MAX_NAME_LENGTH = 256;
const NAME = /^[A-Za-z0-9_.-]+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The encoded attributes of one message, with their byte size as SQS counts it toward the message size. */
export interface EncodedAttributes {
  readonly bytes: Buffer;
  readonly md5: string;
  /** Names, types and values in bytes (what counts toward MaximumMessageSize). */
  readonly size: number;
}

/** The MD5 of a message body as SQS reports it (hex of the UTF-8 bytes). */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message, { status: 400 });
}

/** Index of the first character outside SQS's allowed set, or -1 (XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF). */
export function forbiddenCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      return i;
    }
    if (c >= 0xe000 && c <= 0xfffd) continue;
    return i;
  }
  return -1;
}

/** The `#xN` form SQS uses to name a forbidden character. */
export function characterName(text: string, index: number): string {
  return `#x${(text.codePointAt(index) ?? 0).toString(16).toUpperCase()}`;
}

/**
 * Validates message attributes (user attributes, or system attributes when `system`)
 * and encodes them; undefined when there are none. The encoding is written into one
 * buffer sized up front (no list of small buffers to concatenate).
 */
export function encodeAttributes(attributes: Record<string, MessageAttributeValue> | undefined, system = false): EncodedAttributes | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  const kind = system ? 'system' : 'user';
  if (!system && names.length > MAX_ATTRIBUTES) {
    throw invalid(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  if (names.length > 1) names.sort();
  // First pass: checks and byte lengths.
  let size = 0;
  let total = 0;
  for (const name of names) {
    const value = attributes[name];
    if (!system) checkName(name);
    const type = value.DataType ?? '';
    const base = type.startsWith('String') ? 'String' : type.startsWith('Number') ? 'Number' : type.startsWith('Binary') ? 'Binary' : undefined;
    if (!base) {
      throw invalid(`The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw invalid(`Message (${kind}) attribute '${name}' uses a list type, which SQS does not support.`);
    }
    let valueLength: number;
    if (base === 'Binary') {
      if (!value.BinaryValue || value.BinaryValue.length === 0) {
        throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      }
      valueLength = value.BinaryValue.length;
    } else {
      const text = value.StringValue;
      if (text === undefined || text === '') {
        throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      }
      if (base === 'Number' && !NUMBER.test(text)) {
        throw invalid(`Can't cast the value of message (${kind}) attribute '${name}' to a number.`);
      }
      const bad = forbiddenCharacter(text);
      if (bad >= 0) {
        throw new ServiceError('InvalidMessageContents', `Invalid binary character '${characterName(text, bad)}' was found in the message attribute '${name}', the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`, { status: 400 });
      }
      valueLength = Buffer.byteLength(text, 'utf8');
    }
    const entry = Buffer.byteLength(name, 'utf8') + Buffer.byteLength(type, 'utf8') + valueLength;
    size += entry;
    // Three 4-byte lengths and the transport byte.
    total += entry + 13;
  }
  // Second pass: the digest input, in name order.
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  const text = (t: string): void => {
    const n = bytes.write(t, at + 4, 'utf8');
    bytes.writeUInt32BE(n, at);
    at += 4 + n;
  };
  for (const name of names) {
    const value = attributes[name];
    const type = value.DataType;
    text(name);
    text(type);
    if (type.startsWith('Binary')) {
      bytes[at++] = BINARY_TRANSPORT;
      const v = value.BinaryValue!;
      bytes.writeUInt32BE(v.length, at);
      bytes.set(v, at + 4);
      at += 4 + v.length;
    } else {
      bytes[at++] = STRING_TRANSPORT;
      text(value.StringValue!);
    }
  }
  return { bytes, md5: createHash('md5').update(bytes).digest('hex'), size };
}

function checkName(name: string): void {
  const lower = name.toLowerCase();
  if (name.length > MAX_NAME_LENGTH || !NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw invalid(`Message (user) attribute name '${name}' is invalid. The attribute name can contain only A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters, cannot start or end with a period, cannot have consecutive periods, and cannot start with 'AWS.' or 'Amazon.'.`);
  }
}

/** One decoded attribute, in stored order (ascending names). */
interface DecodedAttribute {
  readonly name: string;
  readonly value: MessageAttributeValue;
  /** Offsets of this attribute's encoding, to digest a subset without re-encoding. */
  readonly start: number;
  readonly end: number;
}

function decode(bytes: Buffer): DecodedAttribute[] {
  const out: DecodedAttribute[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const nameLen = bytes.readUInt32BE(at); at += 4;
    const name = bytes.toString('utf8', at, at + nameLen); at += nameLen;
    const typeLen = bytes.readUInt32BE(at); at += 4;
    const type = bytes.toString('utf8', at, at + typeLen); at += typeLen;
    const transport = bytes[at]; at += 1;
    const valueLen = bytes.readUInt32BE(at); at += 4;
    const value: MessageAttributeValue = transport === BINARY_TRANSPORT
      ? { DataType: type, BinaryValue: Buffer.from(bytes.subarray(at, at + valueLen)) }
      : { DataType: type, StringValue: bytes.toString('utf8', at, at + valueLen) };
    at += valueLen;
    out.push({ name, value, start, end: at });
  }
  return out;
}

/** Which attribute names a ReceiveMessage asked for: `All`/`.*`, exact names, and `prefix.*` patterns. */
export interface AttributeFilter {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/** Compiles ReceiveMessage's MessageAttributeNames once per request; undefined when none are asked for. */
export function attributeFilter(requested: readonly string[] | undefined): AttributeFilter | undefined {
  if (!requested?.length) return undefined;
  const names = new Set<string>();
  const prefixes: string[] = [];
  let all = false;
  for (const n of requested) {
    if (n === 'All' || n === '.*') all = true;
    else if (n.endsWith('.*')) prefixes.push(n.slice(0, -1));
    else names.add(n);
  }
  return { all, names, prefixes };
}

function wanted(filter: AttributeFilter, name: string): boolean {
  if (filter.all || filter.names.has(name)) return true;
  for (const p of filter.prefixes) if (name.startsWith(p)) return true;
  return false;
}

/**
 * The attributes a receive returns and the MD5 over exactly those, or undefined when
 * none match. `md5OfAll` is the digest computed at send time over all of them: when the
 * filter keeps every attribute it is the answer, and no digest is computed again.
 */
export function selectAttributes(bytes: Buffer, filter: AttributeFilter, md5OfAll?: string | null): { attributes: Record<string, MessageAttributeValue>; md5: string } | undefined {
  const decoded = decode(bytes);
  const attributes: Record<string, MessageAttributeValue> = {};
  let kept = 0;
  for (const a of decoded) {
    if (!wanted(filter, a.name)) continue;
    attributes[a.name] = a.value;
    kept++;
  }
  if (kept === 0) return undefined;
  if (kept === decoded.length && md5OfAll) return { attributes, md5: md5OfAll };
  const hash = createHash('md5');
  for (const a of decoded) if (attributes[a.name] === a.value) hash.update(bytes.subarray(a.start, a.end));
  return { attributes, md5: hash.digest('hex') };
}
