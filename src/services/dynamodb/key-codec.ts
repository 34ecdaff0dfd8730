/**
 * Order-preserving encoding of key attribute values into bytes, so that SQLite's
 * memcmp ordering of BLOB columns is DynamoDB's ordering: numbers numerically,
 * strings by UTF-8 bytes, binary bytewise. Query and Scan are then range scans.
 */
import type { AttributeValue } from './expressions/index.js';
import { parseNumber } from './numbers.js';

/** A key attribute type. */
export type KeyType = 'S' | 'N' | 'B';

const NEGATIVE = 0x40;
const ZERO = 0x80;
const POSITIVE = 0xc0;
/** Exponent bias: exponents (-129..126) become 871..1126, two bytes big-endian. */
const EXP_BIAS = 1000;
const NEG_END = 0xff;
const EMPTY = Buffer.alloc(0);

/**
 * Encodes the number text (already validated) so that byte order is numeric order:
 * a sign byte, the exponent, then the digits; negatives have exponent and digits
 * complemented and a terminator, so that a longer magnitude sorts lower.
 */
export function encodeNumber(text: string): Buffer {
  const n = parseNumber(text);
  if (n.digits === '') return Buffer.from([ZERO]);
  const d = n.digits;
  const out = Buffer.allocUnsafe(3 + d.length + (n.neg ? 1 : 0));
  const e = n.exp + EXP_BIAS;
  if (n.neg) {
    out[0] = NEGATIVE;
    out.writeUInt16BE(0xffff - e, 1);
    for (let i = 0; i < d.length; i++) out[3 + i] = 0x69 - d.charCodeAt(i); // '9' - d + '0'
    out[3 + d.length] = NEG_END;
  } else {
    out[0] = POSITIVE;
    out.writeUInt16BE(e, 1);
    out.write(d, 3, 'latin1');
  }
  return out;
}

/** The bytes of a key value of the given type (the caller has checked the type). */
export function encodeKeyValue(value: AttributeValue, type: KeyType): Buffer {
  if (type === 'S') return Buffer.from((value as { S: string }).S, 'utf8');
  if (type === 'N') return encodeNumber((value as { N: string }).N);
  return (value as { B: Buffer }).B;
}


/** 32-bit FNV-1a of the encoded partition key: the item's place in Scan order and its Scan segment. */
export function partitionHash(bytes: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The smallest byte string greater than every string that starts with `prefix`, or undefined when none exists. */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]++;
  return out;
}

/** The immediate successor of a byte string in memcmp order (x followed by a zero byte). */
export function successor(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length + 1);
  bytes.copy(out);
  return out;
}
