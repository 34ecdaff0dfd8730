/**
 * Items on the way in and out: AttributeValue validation in DynamoDB's words (one
 * data type per value, numbers canonical, sets non-empty and without duplicates),
 * and the stored serialization (the wire JSON, binaries in base64).
 */
import { ServiceError } from '../../shared/errors.js';
import type { AttributeValue, Item } from './expressions/index.js';
import { canonicalNumber } from './numbers.js';
import { RawJson } from '../../shared/raw-json.js';

/** The data types of an AttributeValue, as a prototype-less lookup. */
const IS_TYPE: Record<string, true | undefined> = Object.assign(Object.create(null) as Record<string, true | undefined>, {
  S: true, N: true, B: true, SS: true, NS: true, BS: true, M: true, L: true, NULL: true, BOOL: true,
});
const SET_WORDS: Record<string, string> = { SS: 'string', NS: 'number', BS: 'binary' };

function invalid(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/**
 * Checks every value of an item (or key) and canonicalizes its numbers in place.
 * Messages as DynamoDB returns them for PutItem, keys and ExpressionAttributeValues.
 */
export function validateItem(item: Record<string, AttributeValue>): void {
  for (const name in item) validateValue(item[name]);
}

/** Checks one AttributeValue (see validateItem). */
export function validateValue(value: AttributeValue): void {
  const v = value as Record<string, unknown>;
  let type: string | undefined;
  let count = 0;
  // The value's own members (the request reader drops unknown ones), not a probe of all ten types.
  for (const t in v) {
    if (IS_TYPE[t] === true && v[t] !== undefined) {
      type = t;
      count++;
    }
  }
  if (count === 0) throw invalid('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (count > 1) throw invalid('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  switch (type) {
    case 'N':
      v.N = canonicalNumber(v.N as string);
      return;
    case 'NULL':
      if (v.NULL !== true) throw invalid('One or more parameter values were invalid: Null attribute value types must have the value of true');
      return;
    case 'SS': case 'NS': case 'BS': {
      const list = v[type] as unknown[];
      if (list.length === 0) throw invalid(`One or more parameter values were invalid: An ${SET_WORDS[type]} set  may not be empty`);
      if (type === 'NS') for (let i = 0; i < list.length; i++) list[i] = canonicalNumber(list[i] as string);
      const seen = new Set<string>();
      for (const x of list) {
        const k = Buffer.isBuffer(x) ? x.toString('base64') : (x as string);
        if (seen.has(k)) {
          const shown = list.map((y) => (Buffer.isBuffer(y) ? y.toString('base64') : String(y))).join(', ');
          throw invalid(`One or more parameter values were invalid: Input collection [${shown}] contains duplicates.`);
        }
        seen.add(k);
      }
      return;
    }
    case 'M': {
      const m = v.M as Record<string, AttributeValue>;
      for (const k in m) validateValue(m[k]);
      return;
    }
    case 'L':
      for (const x of v.L as AttributeValue[]) validateValue(x);
      return;
    default:
      return;
  }
}

/** Marks a stored item that holds binaries, so items without them are read with one JSON.parse. */
const BINARY_MARK = '!';

/** Whether a value holds a B or BS anywhere. */
function holdsBinary(value: AttributeValue): boolean {
  const v = value as Record<string, unknown>;
  if (v.B !== undefined || v.BS !== undefined) return true;
  if (v.M !== undefined) {
    const m = v.M as Item;
    for (const k in m) if (holdsBinary(m[k])) return true;
  } else if (v.L !== undefined) {
    for (const x of v.L as AttributeValue[]) if (holdsBinary(x)) return true;
  }
  return false;
}

/** The stored text of an item: its wire JSON; binaries in base64. */
export function serializeItem(item: Item): string {
  // Most items hold no binary: one native JSON.stringify without a replacer.
  let any = false;
  for (const k in item) {
    if (holdsBinary(item[k])) {
      any = true;
      break;
    }
  }
  if (!any) return JSON.stringify(item);
  let hasBinary = false;
  const text = JSON.stringify(item, function (this: Record<string, unknown>, key, value: unknown) {
    if (key === 'B' || key === 'BS') {
      // Only a B or BS member of an AttributeValue holds bytes (an attribute may be named B too).
      const raw = this[key];
      if (Buffer.isBuffer(raw)) {
        hasBinary = true;
        return raw.toString('base64');
      }
      if (Array.isArray(raw)) {
        hasBinary = true;
        return (raw as Buffer[]).map((b) => b.toString('base64'));
      }
    }
    return value;
  });
  return hasBinary ? BINARY_MARK + text : text;
}

/** The item a stored text holds. */
export function deserializeItem(text: string): Item {
  if (text.charCodeAt(0) !== 33) return JSON.parse(text) as Item;
  const item = JSON.parse(text.slice(1)) as Item;
  for (const k in item) reviveBinary(item[k]);
  return item;
}

function reviveBinary(value: AttributeValue): void {
  const v = value as Record<string, unknown>;
  if (typeof v.B === 'string') v.B = Buffer.from(v.B, 'base64');
  else if (Array.isArray(v.BS)) v.BS = (v.BS as string[]).map((b) => Buffer.from(b, 'base64'));
  else if (v.M) for (const k in v.M as Item) reviveBinary((v.M as Item)[k]);
  else if (v.L) for (const x of v.L as AttributeValue[]) reviveBinary(x);
}

/**
 * A stored item as the response writes it: its stored text spliced into the JSON body
 * without a parse (the stored text is the wire JSON; binaries already base64). Only for
 * answers the JSON codec writes, never for internal callers, which get parsed items.
 */
export function rawItem(text: string): Item {
  return new RawJson(text.charCodeAt(0) === 33 ? text.slice(1) : text) as unknown as Item;
}
