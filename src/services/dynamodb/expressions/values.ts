/**
 * Attribute value helpers: type names, DynamoDB ordering, equality and item size.
 */
import type { AttributeValue, Item } from './types.js';
import { compareNumberText, numberSize } from './number.js';

/** The type key of an attribute value (S, N, B, SS, NS, BS, M, L, NULL, BOOL). */
export function typeOf(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

/** Compares strings by their UTF-8 bytes (UTF-16 order differs above U+FFFF). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8.
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** DynamoDB ordering of two scalars of one type: -1, 0 or 1 (numbers numerically, strings by UTF-8 bytes, binary bytewise). */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareNumberText(a.N, b.N);
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('B' in a && 'B' in b) return Buffer.compare(a.B, b.B);
  throw new TypeError(`compareValues: cannot order ${typeOf(a)} and ${typeOf(b)}`);
}

/** True for S, N and B values (the types that order). */
export function isOrderable(v: AttributeValue): boolean {
  return 'S' in v || 'N' in v || 'B' in v;
}

function setHas(set: string[], x: string, numeric: boolean): boolean {
  for (const e of set) if (numeric ? compareNumberText(e, x) === 0 : e === x) return true;
  return false;
}

/** DynamoDB equality: same type and value (numbers numerically, sets regardless of order). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumberText(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && a.B.equals(b.B);
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && a.SS.length === b.SS.length && a.SS.every((x) => b.SS.includes(x));
  if ('NS' in a) return 'NS' in b && a.NS.length === b.NS.length && a.NS.every((x) => setHas(b.NS, x, true));
  if ('BS' in a) return 'BS' in b && a.BS.length === b.BS.length && a.BS.every((x) => b.BS.some((y) => y.equals(x)));
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]!));
  if ('M' in a) {
    if (!('M' in b)) return false;
    const ka = Object.keys(a.M);
    if (ka.length !== Object.keys(b.M).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b.M, k) && valuesEqual(a.M[k]!, b.M[k]!));
  }
  return false;
}

/** The size of a value by DynamoDB's rules (developer guide, "Item sizes and formats"). */
export function valueSize(v: AttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v.S, 'utf8');
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return v.B.length;
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) { let n = 0; for (const s of v.SS) n += Buffer.byteLength(s, 'utf8'); return n; }
  if ('NS' in v) { let n = 0; for (const s of v.NS) n += numberSize(s); return n; }
  if ('BS' in v) { let n = 0; for (const b of v.BS) n += b.length; return n; }
  if ('L' in v) { let n = 3; for (const e of v.L) n += valueSize(e) + 1; return n; }
  if ('M' in v) { let n = 3; for (const k in v.M) n += Buffer.byteLength(k, 'utf8') + valueSize(v.M[k]!) + 1; return n; }
  return 0;
}

/** The size of an item by DynamoDB's rules: attribute name bytes plus value sizes. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const k in item) n += Buffer.byteLength(k, 'utf8') + valueSize(item[k]!);
  return n;
}
