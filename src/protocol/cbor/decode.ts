/**
 * A CBOR (RFC 8949) decoder for rpcv2Cbor request bodies. Written here rather
 * than configured from cbor-x because the protocol needs what cbor-x does not
 * give: indefinite-length text and byte strings (cbor-x rejects them), map keys
 * kept exactly ('__proto__' included, cbor-x renames it), and only the standard
 * tags (cbor-x also honours its own record/structured-clone tags, through a
 * process-wide registry).
 *
 * Maps become plain objects, byte strings Buffers (views of the body, no copy),
 * tag 1 a Date, tags 2/3 a bigint, tag 4 a decimal string; other tags yield their
 * content. Any malformation throws a CborError.
 */

/** A malformed CBOR body. */
export class CborError extends Error {}

/** Nesting deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 512;

interface Cursor { readonly buf: Buffer; pos: number }

/** Decodes exactly one CBOR data item filling `buf`. */
export function decodeCbor(buf: Buffer): unknown {
  const c: Cursor = { buf, pos: 0 };
  const value = item(c, 0);
  if (c.pos !== buf.length) throw new CborError(`Unexpected data after the CBOR item at byte ${c.pos}`);
  return value;
}

const BREAK = Symbol('break');

function need(c: Cursor, n: number): void {
  if (n > c.buf.length - c.pos) throw new CborError('Unexpected end of CBOR data');
}

/** The argument of a head: a count, length, value or tag number. -1 means indefinite. */
function argument(c: Cursor, info: number): number | bigint {
  if (info < 24) return info;
  switch (info) {
    case 24: need(c, 1); return c.buf[c.pos++];
    case 25: { need(c, 2); const v = c.buf.readUInt16BE(c.pos); c.pos += 2; return v; }
    case 26: { need(c, 4); const v = c.buf.readUInt32BE(c.pos); c.pos += 4; return v; }
    case 27: {
      need(c, 8);
      const v = c.buf.readBigUInt64BE(c.pos);
      c.pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    case 31: return -1;
    default: throw new CborError(`Reserved additional information ${info}`);
  }
}

/** A length that must fit what is left of the body (so a forged length cannot force a huge allocation). */
function length(c: Cursor, arg: number | bigint, minBytesPerEntry: number): number {
  if (typeof arg === 'bigint' || arg * minBytesPerEntry > c.buf.length - c.pos) throw new CborError('Unexpected end of CBOR data');
  return arg;
}

function item(c: Cursor, depth: number): unknown {
  const v = itemOrBreak(c, depth);
  if (v === BREAK) throw new CborError('Unexpected break outside an indefinite-length item');
  return v;
}

function itemOrBreak(c: Cursor, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new CborError('CBOR nesting too deep');
  need(c, 1);
  const head = c.buf[c.pos++];
  const major = head >> 5;
  const info = head & 0x1f;
  if (major === 7) return simple(c, info);
  const arg = argument(c, info);
  switch (major) {
    case 0: return arg;
    case 1: return typeof arg === 'bigint' ? -1n - arg : -1 - arg;
    case 2: return arg === -1 ? chunks(c, 2) : bytes(c, length(c, arg, 1));
    case 3: return arg === -1 ? chunks(c, 3) : text(c, length(c, arg, 1));
    case 4: {
      const out: unknown[] = [];
      if (arg === -1) {
        for (let v = itemOrBreak(c, depth + 1); v !== BREAK; v = itemOrBreak(c, depth + 1)) out.push(v);
      } else {
        const n = length(c, arg, 1);
        for (let i = 0; i < n; i++) out.push(item(c, depth + 1));
      }
      return out;
    }
    case 5: {
      const out: Record<string, unknown> = {};
      if (arg === -1) {
        for (let k = itemOrBreak(c, depth + 1); k !== BREAK; k = itemOrBreak(c, depth + 1)) put(out, k, item(c, depth + 1));
      } else {
        const n = length(c, arg, 2);
        for (let i = 0; i < n; i++) put(out, item(c, depth + 1), item(c, depth + 1));
      }
      return out;
    }
    default: return tagged(c, arg, item(c, depth + 1));
  }
}

function put(obj: Record<string, unknown>, key: unknown, value: unknown): void {
  if (typeof key !== 'string') throw new CborError('CBOR map keys must be text strings');
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function bytes(c: Cursor, n: number): Buffer {
  const b = c.buf.subarray(c.pos, c.pos + n);
  c.pos += n;
  return b;
}

/**
 * Short ASCII strings (member names, enum values) repeat across and within bodies.
 * Handing back the same string object for the same bytes lets V8 reuse its property
 * lookups instead of internalizing a fresh key each time; measured ~2x on a decode.
 */
const SHORT_TEXT = 24;
const CACHE_SLOTS = 1024;
const textCache: (string | undefined)[] = new Array(CACHE_SLOTS);

function text(c: Cursor, n: number): string {
  const { buf } = c;
  const start = c.pos;
  c.pos += n;
  if (n >= SHORT_TEXT) return buf.toString('utf8', start, start + n);
  let h = n;
  for (let i = start; i < start + n; i++) {
    const b = buf[i];
    if (b >= 0x80) return buf.toString('utf8', start, start + n);
    h = (h * 31 + b) | 0;
  }
  const slot = h & (CACHE_SLOTS - 1);
  const cached = textCache[slot];
  if (cached !== undefined && cached.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  let s = '';
  for (let i = start; i < start + n; i++) s += String.fromCharCode(buf[i]);
  textCache[slot] = s;
  return s;
}

/** An indefinite-length string: definite chunks of the same major type up to a break. */
function chunks(c: Cursor, major: 2 | 3): Buffer | string {
  const parts: Buffer[] = [];
  for (;;) {
    need(c, 1);
    const head = c.buf[c.pos++];
    if (head === 0xff) break;
    if (head >> 5 !== major || (head & 0x1f) === 31) throw new CborError('Invalid chunk in an indefinite-length string');
    parts.push(bytes(c, length(c, argument(c, head & 0x1f), 1)));
  }
  const all = Buffer.concat(parts);
  return major === 2 ? all : all.toString('utf8');
}

function simple(c: Cursor, info: number): unknown {
  switch (info) {
    case 20: return false;
    case 21: return true;
    case 22: return null;
    case 23: return undefined;
    case 25: { need(c, 2); const v = float16(c.buf.readUInt16BE(c.pos)); c.pos += 2; return v; }
    case 26: { need(c, 4); const v = c.buf.readFloatBE(c.pos); c.pos += 4; return v; }
    case 27: { need(c, 8); const v = c.buf.readDoubleBE(c.pos); c.pos += 8; return v; }
    case 31: return BREAK;
    default: throw new CborError(`Unsupported CBOR simple value ${info}`);
  }
}

function float16(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function tagged(c: Cursor, tag: number | bigint, content: unknown): unknown {
  switch (tag) {
    case 1: // epoch-based date/time: seconds, integer or float
      if (typeof content === 'number') return new Date(Math.round(content * 1000));
      if (typeof content === 'bigint') return new Date(Number(content) * 1000);
      throw new CborError('Tag 1 must wrap a number');
    case 2: case 3: { // bignums
      if (!Buffer.isBuffer(content)) throw new CborError(`Tag ${tag} must wrap a byte string`);
      const n = content.length === 0 ? 0n : BigInt(`0x${content.toString('hex')}`);
      return tag === 2 ? n : -1n - n;
    }
    case 4: { // decimal fraction [exponent, mantissa]
      if (!Array.isArray(content) || content.length !== 2) throw new CborError('Tag 4 must wrap [exponent, mantissa]');
      const [e, m] = content as unknown[];
      if ((typeof e !== 'number' && typeof e !== 'bigint') || (typeof m !== 'number' && typeof m !== 'bigint')) throw new CborError('Tag 4 must wrap integers');
      return decimalString(BigInt(m), Number(e));
    }
    default:
      return content;
  }
}

/** mantissa × 10^exponent in plain decimal notation. */
function decimalString(mantissa: bigint, exponent: number): string {
  const neg = mantissa < 0n;
  let digits = (neg ? -mantissa : mantissa).toString();
  if (exponent >= 0) digits += '0'.repeat(exponent);
  else {
    const point = digits.length + exponent;
    digits = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return neg ? `-${digits}` : digits;
}
