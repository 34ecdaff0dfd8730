/**
 * Applying update actions to an item (developer guide, "Update expressions").
 * Every operand reads the item as it was before the update; the result is a new
 * item, the input is never modified.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { AttributeValue, DocumentPath, Item, Operand, UpdateActions } from './types.js';
import { resolvePath } from './evaluate.js';
import { addNumberText, canonicalNumber, compareNumberText } from './number.js';

const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';
const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function operandValue(op: Operand, item: Item): AttributeValue {
  switch (op.kind) {
    case 'value': return op.value;
    case 'path': {
      const v = resolvePath(item, op.path);
      if (v === undefined) throw validation(MISSING_ATTRIBUTE);
      return v;
    }
    case 'if_not_exists': return resolvePath(item, op.path) ?? operandValue(op.operand, item);
    case 'list_append': {
      const a = operandValue(op.left, item);
      const b = operandValue(op.right, item);
      if (!('L' in a) || !('L' in b)) throw validation(INCORRECT_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'plus': case 'minus': {
      const a = operandValue(op.left, item);
      const b = operandValue(op.right, item);
      if (!('N' in a) || !('N' in b)) throw validation(INCORRECT_TYPE);
      return { N: addNumberText(a.N, b.N, op.kind === 'minus') };
    }
    case 'size': throw validation(INCORRECT_TYPE);
  }
}

/**
 * What one applyUpdate call tracks, created on first need: the containers already
 * copied (a nested path copies its containers once), and list elements to remove.
 */
interface Work {
  copied: Set<AttributeValue> | undefined;
  listRemovals: Map<AttributeValue[], number[]> | undefined;
}

/** Copies the containers along a path so that writing below it leaves the original item untouched. */
function copyContainer(v: AttributeValue, w: Work): AttributeValue {
  const copied = (w.copied ??= new Set());
  if (copied.has(v)) return v;
  let out = v;
  if ('M' in v) out = { M: { ...v.M } };
  else if ('L' in v) out = { L: [...v.L] };
  copied.add(out);
  return out;
}

/** The container that holds the last step of path in the (copied) new item, copying on the way; undefined when absent or not a container. */
function parentFor(item: Item, path: DocumentPath, w: Work): AttributeValue | undefined {
  const head = path[0] as string;
  if (path.length === 1) return undefined;
  let cur = item[head];
  if (cur === undefined) return undefined;
  cur = copyContainer(cur, w);
  item[head] = cur;
  for (let i = 1; i < path.length - 1; i++) {
    const step = path[i]!;
    let next: AttributeValue | undefined;
    if (typeof step === 'number') {
      if (!('L' in cur)) return undefined;
      next = cur.L[step];
      if (next === undefined) return undefined;
      next = copyContainer(next, w);
      cur.L[step] = next;
    } else {
      if (!('M' in cur)) return undefined;
      next = Object.prototype.hasOwnProperty.call(cur.M, step) ? cur.M[step] : undefined;
      if (next === undefined) return undefined;
      next = copyContainer(next, w);
      cur.M[step] = next;
    }
    cur = next;
  }
  return cur;
}

function setAt(item: Item, path: DocumentPath, value: AttributeValue, w: Work): void {
  if (path.length === 1) { item[path[0] as string] = value; return; }
  const parent = parentFor(item, path, w);
  const last = path[path.length - 1]!;
  if (parent === undefined) throw validation(INVALID_PATH);
  if (typeof last === 'number') {
    if (!('L' in parent)) throw validation(INVALID_PATH);
    // An index past the end appends (developer guide, "Adding elements to a list").
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else {
    if (!('M' in parent)) throw validation(INVALID_PATH);
    parent.M[last] = value;
  }
}

function removeAt(item: Item, path: DocumentPath, w: Work): void {
  if (path.length === 1) { delete item[path[0] as string]; return; }
  const parent = parentFor(item, path, w);
  if (parent === undefined) return;
  const last = path[path.length - 1]!;
  if (typeof last === 'number') {
    if (!('L' in parent)) return;
    const removals = (w.listRemovals ??= new Map());
    const list = removals.get(parent.L) ?? [];
    list.push(last);
    removals.set(parent.L, list);
  } else if ('M' in parent) {
    delete parent.M[last];
  }
}

function union(current: AttributeValue, add: AttributeValue): AttributeValue {
  if ('SS' in current && 'SS' in add) return { SS: [...current.SS, ...add.SS.filter((s) => !current.SS.includes(s))] };
  if ('NS' in current && 'NS' in add) {
    const out = [...current.NS];
    for (const n of add.NS) if (!out.some((m) => compareNumberText(m, n) === 0)) out.push(n);
    return { NS: out };
  }
  if ('BS' in current && 'BS' in add) return { BS: [...current.BS, ...add.BS.filter((b) => !current.BS.some((c) => c.equals(b)))] };
  throw validation(INCORRECT_TYPE);
}

function difference(current: AttributeValue, del: AttributeValue): AttributeValue | undefined {
  let out: AttributeValue;
  if ('SS' in current && 'SS' in del) out = { SS: current.SS.filter((s) => !del.SS.includes(s)) };
  else if ('NS' in current && 'NS' in del) out = { NS: current.NS.filter((n) => !del.NS.some((m) => compareNumberText(m, n) === 0)) };
  else if ('BS' in current && 'BS' in del) out = { BS: current.BS.filter((b) => !del.BS.some((c) => c.equals(b))) };
  else throw validation(INCORRECT_TYPE);
  const rest = 'SS' in out ? out.SS : 'NS' in out ? out.NS : (out as { BS: Buffer[] }).BS;
  // A set is never empty: emptying it removes the attribute.
  return rest.length === 0 ? undefined : out;
}

/** Removes list elements by their original indexes, highest first. */
function flushRemovals(w: Work): void {
  const removals = w.listRemovals;
  if (removals === undefined) return;
  for (const [list, indexes] of removals) {
    indexes.sort((a, b) => b - a);
    for (const i of indexes) if (i < list.length) list.splice(i, 1);
  }
  removals.clear();
}

/** Applies the update actions to a copy of the item and returns the new item. */
export function applyUpdate(actions: UpdateActions, item: Item): Item {
  const out: Item = { ...item };
  const w: Work = { copied: undefined, listRemovals: undefined };
  // Every SET operand reads the item as it was before this update.
  const set = actions.set;
  if (set.length === 1) setAt(out, set[0]!.path, operandValue(set[0]!.value, item), w);
  else if (set.length > 1) {
    const values: AttributeValue[] = [];
    for (const a of set) values.push(operandValue(a.value, item));
    for (let i = 0; i < set.length; i++) setAt(out, set[i]!.path, values[i]!, w);
  }

  for (const path of actions.remove) removeAt(out, path, w);
  flushRemovals(w);

  for (const a of actions.add) {
    const current = resolvePath(out, a.path);
    let next: AttributeValue;
    if (current === undefined) {
      next = 'N' in a.value ? { N: canonicalNumber(a.value.N) } : a.value;
    } else if ('N' in current && 'N' in a.value) {
      next = { N: addNumberText(current.N, a.value.N) };
    } else if (actions.legacy && 'L' in current && 'L' in a.value) {
      next = { L: [...current.L, ...a.value.L] };
    } else {
      next = union(current, a.value);
    }
    setAt(out, a.path, next, w);
  }

  for (const a of actions.delete) {
    const current = resolvePath(out, a.path);
    if (current === undefined) continue;
    const next = difference(current, a.value);
    if (next === undefined) removeAt(out, a.path, w);
    else setAt(out, a.path, next, w);
  }
  flushRemovals(w);
  return out;
}
