/**
 * Projection of an item onto document paths (ProjectionExpression, AttributesToGet).
 * List elements picked by index keep their relative order and close up.
 */
import type { AttributeValue, DocumentPath, Item } from './types.js';

type Node = { kind: 'leaf'; value: AttributeValue } | { kind: 'M'; children: Map<string, Node> } | { kind: 'L'; children: Map<number, Node> };

function materialize(node: Node): AttributeValue {
  if (node.kind === 'leaf') return node.value;
  if (node.kind === 'M') {
    const m: Record<string, AttributeValue> = {};
    for (const [k, v] of node.children) m[k] = materialize(v);
    return { M: m };
  }
  const indexes = [...node.children.keys()].sort((a, b) => a - b);
  return { L: indexes.map((i) => materialize(node.children.get(i)!)) };
}

/** The projection of an item onto the document paths. */
export function project(item: Item, paths: DocumentPath[]): Item {
  const out: Item = {};
  const nested = new Map<string, Node>();
  for (const path of paths) {
    const head = path[0] as string;
    if (!Object.prototype.hasOwnProperty.call(item, head)) continue;
    if (path.length === 1) { out[head] = item[head]!; continue; }
    // Walk the value and the projection tree side by side.
    let value: AttributeValue | undefined = item[head];
    const values: AttributeValue[] = [value!];
    for (let i = 1; i < path.length && value !== undefined; i++) {
      const step = path[i]!;
      if (typeof step === 'number') value = 'L' in value ? value.L[step] : undefined;
      else value = 'M' in value && Object.prototype.hasOwnProperty.call(value.M, step) ? value.M[step] : undefined;
      if (value !== undefined) values.push(value);
    }
    if (value === undefined) continue;
    let node = nested.get(head);
    if (!node) {
      node = typeof path[1] === 'number' ? { kind: 'L', children: new Map() } : { kind: 'M', children: new Map() };
      nested.set(head, node);
    }
    for (let i = 1; i < path.length; i++) {
      const step = path[i]!;
      const last = i === path.length - 1;
      const child: Node = last ? { kind: 'leaf', value } : typeof path[i + 1] === 'number' ? { kind: 'L', children: new Map() } : { kind: 'M', children: new Map() };
      if (node.kind === 'L' && typeof step === 'number') {
        const existing = node.children.get(step);
        if (existing && !last) { node = existing; continue; }
        node.children.set(step, child);
      } else if (node.kind === 'M' && typeof step === 'string') {
        const existing = node.children.get(step);
        if (existing && !last) { node = existing; continue; }
        node.children.set(step, child);
      }
      node = child;
    }
  }
  for (const [head, node] of nested) out[head] = materialize(node);
  return out;
}
