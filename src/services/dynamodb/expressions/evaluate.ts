/**
 * Evaluation of bound conditions over an item (developer guide, "Condition and
 * filter expressions, operators, and functions"). An absent item is an empty item.
 */
import type { AttributeValue, ConditionNode, DocumentPath, Item, Operand } from './types.js';
import { typeOf, compareValues, valuesEqual, compareStrings } from './values.js';
import { compareNumberText } from './number.js';

const EMPTY: Item = {};

/** The value at a document path, or undefined. */
export function resolvePath(item: Item, path: DocumentPath): AttributeValue | undefined {
  let cur: AttributeValue | undefined = Object.prototype.hasOwnProperty.call(item, path[0] as string) ? item[path[0] as string] : undefined;
  for (let i = 1; i < path.length && cur !== undefined; i++) {
    const step = path[i]!;
    if (typeof step === 'number') cur = 'L' in cur ? cur.L[step] : undefined;
    else cur = 'M' in cur && Object.prototype.hasOwnProperty.call(cur.M, step) ? cur.M[step] : undefined;
  }
  return cur;
}

/** The size() of a value, or undefined for types size does not apply to. */
export function sizeOf(v: AttributeValue): number | undefined {
  if ('S' in v) return v.S.length;
  if ('B' in v) return v.B.length;
  if ('SS' in v) return v.SS.length;
  if ('NS' in v) return v.NS.length;
  if ('BS' in v) return v.BS.length;
  if ('L' in v) return v.L.length;
  if ('M' in v) return Object.keys(v.M).length;
  return undefined;
}

function operandValue(op: Operand, item: Item): AttributeValue | undefined {
  switch (op.kind) {
    case 'value': return op.value;
    case 'path': return resolvePath(item, op.path);
    case 'size': {
      const v = operandValue(op.operand, item);
      const n = v === undefined ? undefined : sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    default: return undefined;
  }
}

function sameOrderableType(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  return (t === 'S' || t === 'N' || t === 'B') && t === typeOf(b);
}

function contains(haystack: AttributeValue, needle: AttributeValue): boolean {
  if ('S' in haystack) return 'S' in needle && haystack.S.includes(needle.S);
  if ('SS' in haystack) return 'S' in needle && haystack.SS.includes(needle.S);
  if ('NS' in haystack) return 'N' in needle && haystack.NS.some((n) => compareNumberText(n, needle.N) === 0);
  if ('BS' in haystack) return 'B' in needle && haystack.BS.some((b) => b.equals(needle.B));
  if ('B' in haystack) return 'B' in needle && haystack.B.includes(needle.B);
  if ('L' in haystack) return haystack.L.some((e) => valuesEqual(e, needle));
  return false;
}

function beginsWith(v: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in v) return 'S' in prefix && v.S.startsWith(prefix.S);
  if ('B' in v) return 'B' in prefix && v.B.length >= prefix.B.length && v.B.subarray(0, prefix.B.length).equals(prefix.B);
  return false;
}

function evaluate(node: ConditionNode, item: Item): boolean {
  switch (node.kind) {
    case 'and': return evaluate(node.left, item) && evaluate(node.right, item);
    case 'or': return evaluate(node.left, item) || evaluate(node.right, item);
    case 'not': return !evaluate(node.operand, item);
    case 'compare': {
      const a = operandValue(node.left, item);
      const b = operandValue(node.right, item);
      if (node.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      if (node.op === '<>') return !(a !== undefined && b !== undefined && valuesEqual(a, b));
      if (a === undefined || b === undefined || !sameOrderableType(a, b)) return false;
      const c = compareValues(a, b);
      switch (node.op) {
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        default: return c >= 0;
      }
    }
    case 'between': {
      const v = operandValue(node.operand, item);
      const lo = operandValue(node.low, item);
      const hi = operandValue(node.high, item);
      if (v === undefined || lo === undefined || hi === undefined) return false;
      if (!sameOrderableType(v, lo) || !sameOrderableType(v, hi)) return false;
      return compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
    }
    case 'in': {
      const v = operandValue(node.operand, item);
      if (v === undefined) return false;
      for (const o of node.list) {
        const x = operandValue(o, item);
        if (x !== undefined && valuesEqual(v, x)) return true;
      }
      return false;
    }
    case 'attribute_exists': return resolvePath(item, node.path) !== undefined;
    case 'attribute_not_exists': return resolvePath(item, node.path) === undefined;
    case 'attribute_type': {
      const v = resolvePath(item, node.path);
      const t = operandValue(node.type, item);
      return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S;
    }
    case 'begins_with': {
      const v = operandValue(node.operand, item);
      const p = operandValue(node.prefix, item);
      return v !== undefined && p !== undefined && beginsWith(v, p);
    }
    case 'contains': {
      const v = operandValue(node.operand, item);
      const x = operandValue(node.value, item);
      return v !== undefined && x !== undefined && contains(v, x);
    }
    case 'legacy_ne': {
      const v = resolvePath(item, node.path);
      return v === undefined || !valuesEqual(v, node.value);
    }
    case 'legacy_not_contains': {
      const v = resolvePath(item, node.path);
      return v === undefined || !contains(v, node.value);
    }
  }
}

/** True when the item (undefined: no item) satisfies the condition. */
export function evaluateCondition(node: ConditionNode, item: Item | undefined): boolean {
  return evaluate(node, item ?? EMPTY);
}

/** Orders two strings by UTF-8 bytes (re-exported for the storage layer's sort keys). */
export { compareStrings };
