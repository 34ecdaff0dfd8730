/**
 * DynamoDB numbers: parsed into sign, significant digits and exponent, checked against
 * DynamoDB's limits (38 significant digits, magnitude 1E-130 to 9.99..E+125) and written
 * back in canonical form (DynamoDB returns "1.5" for "1.50" and "100" for "1E2").
 */
import { ServiceError } from '../../shared/errors.js';
import { isCanonicalPlain } from './expressions/number.js';

/** A parsed number: value = (neg ? -1 : 1) * 0.d1d2d3... * 10^exp; zero has no digits. */
export interface DecimalNumber {
  neg: boolean;
  /** Significant digits, no leading or trailing zeros ('' for zero). */
  digits: string;
  /** Exponent of the 0.d1d2... form. */
  exp: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_DIGITS = 38;
/** 9.99..E+125 is the largest magnitude: 0.999.. * 10^126. */
const MAX_EXP = 126;
/** 1E-130 is the smallest magnitude: 0.1 * 10^-129. */
const MIN_EXP = -129;

function invalid(text: string): ServiceError {
  return new ServiceError('ValidationException', `The parameter cannot be converted to a numeric value: ${text}`);
}

/** Parses and checks a number as DynamoDB does; throws its ValidationException. */
export function parseNumber(text: string): DecimalNumber {
  if (isCanonicalPlain(text)) return parsePlain(text);
  const m = NUMBER.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    if (text === '') throw new ServiceError('ValidationException', 'The parameter cannot be converted to a numeric value');
    throw invalid(text);
  }
  const intPart = m[2];
  const fracPart = m[3] ?? '';
  let all = intPart + fracPart;
  let exp = intPart.length + (m[4] ? Number(m[4]) : 0);
  let lead = 0;
  while (lead < all.length && all.charCodeAt(lead) === 48) lead++;
  all = all.slice(lead);
  exp -= lead;
  let end = all.length;
  while (end > 0 && all.charCodeAt(end - 1) === 48) end--;
  all = all.slice(0, end);
  if (all.length === 0) return { neg: false, digits: '', exp: 0 };
  if (all.length > MAX_DIGITS) throw new ServiceError('ValidationException', 'Attempting to store more than 38 significant digits in a Number');
  if (exp > MAX_EXP) throw new ServiceError('ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (exp < MIN_EXP) throw new ServiceError('ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return { neg: m[1] === '-', digits: all, exp };
}

/** parseNumber of a text in canonical plain form (isCanonicalPlain), without the regular expression. */
function parsePlain(text: string): DecimalNumber {
  const neg = text.charCodeAt(0) === 45;
  const start = neg ? 1 : 0;
  if (text.length === start + 1 && text.charCodeAt(start) === 48) return { neg: false, digits: '', exp: 0 };
  const dot = text.indexOf('.', start);
  if (text.charCodeAt(start) === 48) {
    // 0.000ddd: the fraction's leading zeros only lower the exponent.
    let s = dot + 1;
    while (text.charCodeAt(s) === 48) s++;
    return { neg, digits: text.slice(s), exp: dot + 1 - s };
  }
  const intEnd = dot < 0 ? text.length : dot;
  if (dot >= 0) return { neg, digits: text.slice(start, dot) + text.slice(dot + 1), exp: intEnd - start };
  // An integer: its trailing zeros only raise the exponent.
  let end = intEnd;
  while (text.charCodeAt(end - 1) === 48) end--;
  return { neg, digits: text.slice(start, end), exp: intEnd - start };
}

/** The canonical text of a parsed number, as DynamoDB returns it. */
export function formatNumber(n: DecimalNumber): string {
  if (n.digits === '') return '0';
  const sign = n.neg ? '-' : '';
  const d = n.digits;
  if (n.exp <= 0) return `${sign}0.${'0'.repeat(-n.exp)}${d}`;
  if (n.exp >= d.length) return `${sign}${d}${'0'.repeat(n.exp - d.length)}`;
  return `${sign}${d.slice(0, n.exp)}.${d.slice(n.exp)}`;
}

/** Parses, checks and canonicalizes a number text. */
export function canonicalNumber(text: string): string {
  if (isCanonicalPlain(text)) return text;
  return formatNumber(parseNumber(text));
}
