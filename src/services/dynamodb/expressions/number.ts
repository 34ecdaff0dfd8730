/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (developer guide, "Data types").
 * Exact decimal arithmetic on BigInt coefficients; never JS floats.
 */
import { ServiceError } from '../../../shared/errors.js';

/** A decimal: coef * 10^exp, coef carries the sign, no trailing zeros in coef (zero is 0n with exp 0). */
export interface Decimal { coef: bigint; exp: number }

const MAX_DIGITS = 38;
const MAX_ADJUSTED_EXP = 125;
const MIN_ADJUSTED_EXP = -130;
const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const TEN = 10n;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function normalize(coef: bigint, exp: number): Decimal {
  if (coef === 0n) return { coef: 0n, exp: 0 };
  while (coef % TEN === 0n) { coef /= TEN; exp++; }
  return { coef, exp };
}

function digitCount(coef: bigint): number {
  return (coef < 0n ? -coef : coef).toString().length;
}

/** Parses a wire number string; throws DynamoDB's ValidationException for non-numbers. Range is not checked here. */
export function parseDecimal(text: string): Decimal {
  const m = NUMBER_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw validation(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = (m[4] === undefined ? 0 : Number(m[4])) - fracPart.length;
  let coef = BigInt((intPart + fracPart) || '0');
  if (m[1] === '-') coef = -coef;
  return normalize(coef, exp);
}

/** Throws DynamoDB's errors for a decimal outside what DynamoDB can store. */
export function checkDecimal(d: Decimal): Decimal {
  if (d.coef === 0n) return d;
  const digits = digitCount(d.coef);
  const adjusted = d.exp + digits - 1;
  if (adjusted > MAX_ADJUSTED_EXP) throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (adjusted < MIN_ADJUSTED_EXP) throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  if (digits > MAX_DIGITS) throw validation('Attempting to store more than 38 significant digits in a Number');
  return d;
}

/** DynamoDB's canonical text of a number: plain notation, no leading or trailing zeros, no "-0". */
export function formatDecimal(d: Decimal): string {
  if (d.coef === 0n) return '0';
  const neg = d.coef < 0n;
  const digits = (neg ? -d.coef : d.coef).toString();
  let out: string;
  if (d.exp >= 0) out = digits + '0'.repeat(d.exp);
  else {
    const point = digits.length + d.exp;
    out = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return neg ? `-${out}` : out;
}

/** Parses, range-checks and canonicalizes a wire number string. */
export function canonicalNumber(text: string): string {
  if (isCanonicalPlain(text)) return text;
  return formatDecimal(checkDecimal(parseDecimal(text)));
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * TEN ** BigInt(a.exp - exp), b.coef * TEN ** BigInt(b.exp - exp), exp];
}

/** a + b, exact. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.coef === 0n) return b;
  if (b.coef === 0n) return a;
  const [x, y, exp] = align(a, b);
  return normalize(x + y, exp);
}

/** a - b, exact. */
export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, { coef: -b.coef, exp: b.exp });
}

/** Up to this many characters an integer text holds at most 15 digits: sums stay exact in a double. */
const SMALL_INT_CHARS = 15;

/** The value of an integer text of at most 15 characters (-?[0-9]+), else undefined. */
function smallInt(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > SMALL_INT_CHARS) return undefined;
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  if (start === n) return undefined;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(text);
}

/**
 * The canonical text of a + b (or a - b) for two wire number texts, exact and range-checked.
 * Integers of up to 15 digits (counters, the usual operands) add as doubles, where every
 * such sum is exact and within DynamoDB's range; anything else goes through the decimals.
 */
export function addNumberText(a: string, b: string, subtract = false): string {
  const x = smallInt(a);
  if (x !== undefined) {
    const y = smallInt(b);
    // String() of an integer below 1e21 is its plain digits; of -0 it is "0".
    if (y !== undefined) return String(subtract ? x - y : x + y);
  }
  const d = parseDecimal(a);
  const e = parseDecimal(b);
  return formatDecimal(checkDecimal(subtract ? subtractDecimal(d, e) : addDecimal(d, e)));
}

/** -1, 0 or 1. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = a.coef === 0n ? 0 : a.coef < 0n ? -1 : 1;
  const sb = b.coef === 0n ? 0 : b.coef < 0n ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Same sign: compare adjusted exponents first, then aligned coefficients.
  const adjA = a.exp + digitCount(a.coef);
  const adjB = b.exp + digitCount(b.coef);
  if (adjA !== adjB) return (adjA < adjB ? -1 : 1) * sa;
  const [x, y] = align(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Compares two wire number strings numerically. */
export function compareNumberText(a: string, b: string): number {
  if (a === b) return 0;
  return compareDecimal(parseDecimal(a), parseDecimal(b));
}

/** The bytes DynamoDB charges for a number: 1, plus a byte per two significant digits on each side of the point, plus 1 if negative. */
export function numberSize(text: string): number {
  if (isCanonicalPlain(text)) return plainNumberSize(text);
  const d = parseDecimal(text);
  if (d.coef === 0n) return 1;
  const neg = d.coef < 0n;
  const digits = (neg ? -d.coef : d.coef).toString();
  // digits has no trailing zeros; split at the decimal point.
  const point = digits.length + d.exp;
  let intDigits: number;
  let fracDigits: number;
  if (d.exp >= 0) { intDigits = digits.length; fracDigits = 0; }
  else if (point <= 0) { intDigits = 0; fracDigits = digits.length; }
  else { intDigits = point; fracDigits = digits.length - point; }
  // Leading zeros of the integer part and of the fraction are not significant.
  if (intDigits > 0) intDigits = digits.slice(0, intDigits).replace(/0+$/, '').length;
  return 1 + Math.ceil(intDigits / 2) + Math.ceil(fracDigits / 2) + (neg ? 1 : 0);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether `text` is already DynamoDB's canonical form, -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?
 * and not "-0", with at most 38 digits (so within every limit): the common case, which
 * needs no parsing to be checked, canonicalized or sized.
 */
export function isCanonicalPlain(text: string): boolean {
  const n = text.length;
  const start = n > 0 && text.charCodeAt(0) === 45 ? 1 : 0;
  if (start >= n || !isDigit(text.charCodeAt(start))) return false;
  const zero = text.charCodeAt(start) === 48;
  let i = start + 1;
  if (!zero) while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (i === n) return !(zero && start === 1) && n - start <= 38;
  if (text.charCodeAt(i) !== 46 || i + 1 === n) return false;
  for (let j = i + 1; j < n; j++) if (!isDigit(text.charCodeAt(j))) return false;
  return text.charCodeAt(n - 1) !== 48 && n - start - 1 <= 38;
}

/** numberSize of a text for which isCanonicalPlain holds. */
function plainNumberSize(text: string): number {
  if (text === '0') return 1;
  const neg = text.charCodeAt(0) === 45;
  const start = neg ? 1 : 0;
  const dot = text.indexOf('.', start);
  const intEnd = dot < 0 ? text.length : dot;
  let intDigits = 0;
  let fracDigits = 0;
  if (text.charCodeAt(start) !== 48) {
    // Trailing zeros of the integer part are not significant.
    let e = intEnd;
    while (e > start && text.charCodeAt(e - 1) === 48) e--;
    intDigits = e - start;
    if (dot >= 0) fracDigits = text.length - dot - 1;
  } else {
    // 0.000ddd: the fraction's leading zeros are not significant.
    let s = dot + 1;
    while (text.charCodeAt(s) === 48) s++;
    fracDigits = text.length - s;
  }
  return 1 + Math.ceil(intDigits / 2) + Math.ceil(fracDigits / 2) + (neg ? 1 : 0);
}
