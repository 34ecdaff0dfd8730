/**
 * KeyConditionExpression rules (API reference, Query): only key attributes, the
 * partition key by equality, at most one sort key condition (=, <, <=, >, >=,
 * BETWEEN, begins_with), conditions joined by AND.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { AttributeValue, ConditionNode, KeyCondition, KeySchema, Operand } from './types.js';

type RangeOp = NonNullable<KeyCondition['range']>['op'];
const FLIP: Record<string, RangeOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

interface Leaf { key: string; op: RangeOp; values: AttributeValue[] }

function keyedOperands(operands: Operand[], label: string): { key: string; values: AttributeValue[] } {
  let key: string | undefined;
  const values: AttributeValue[] = [];
  for (const o of operands) {
    if (o.kind === 'value') values.push(o.value);
    else if (o.kind === 'path') {
      if (key !== undefined) throw validation('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
      if (o.path.length > 1) throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
      key = o.path[0] as string;
    } else throw validation('KeyConditionExpressions cannot contain nested operations');
  }
  if (key === undefined) throw validation(`Invalid condition in KeyConditionExpression: ${label}`);
  return { key, values };
}

function leaves(node: ConditionNode, out: Leaf[]): void {
  switch (node.kind) {
    case 'and': leaves(node.left, out); leaves(node.right, out); return;
    case 'compare': {
      if (node.op === '<>') throw validation('Invalid operator used in KeyConditionExpression: <>');
      const { key, values } = keyedOperands([node.left, node.right], 'No key attribute specified');
      // ":v < sk" reads as "sk > :v".
      const op = node.left.kind === 'path' ? node.op as RangeOp : FLIP[node.op]!;
      out.push({ key, op, values });
      return;
    }
    case 'between': case 'begins_with': {
      const name = node.kind === 'between' ? 'BETWEEN' : 'begins_with';
      const first = node.kind === 'between' ? node.operand : node.operand;
      if (first.kind !== 'path') throw validation(`Invalid condition in KeyConditionExpression: ${name} operator must have the key attribute as its first operand`);
      const rest = node.kind === 'between' ? [node.low, node.high] : [node.prefix];
      const { key, values } = keyedOperands([first, ...rest], 'No key attribute specified');
      out.push({ key, op: node.kind === 'between' ? 'BETWEEN' : 'BEGINS_WITH', values });
      return;
    }
    case 'or': throw validation('Invalid operator used in KeyConditionExpression: OR');
    case 'not': throw validation('Invalid operator used in KeyConditionExpression: NOT');
    case 'in': throw validation('Invalid operator used in KeyConditionExpression: IN');
    default: throw validation(`Invalid operator used in KeyConditionExpression: ${node.kind.startsWith('legacy') ? 'NE' : node.kind}`);
  }
}

/** Resolves a bound KeyConditionExpression against the key schema. */
export function keyConditionFromNode(node: ConditionNode, schema: KeySchema): KeyCondition {
  const list: Leaf[] = [];
  leaves(node, list);
  return resolveLeaves(list, schema);
}

/** Checks per-key conditions against the schema (shared with legacy KeyConditions). */
export function resolveLeaves(list: Leaf[], schema: KeySchema): KeyCondition {
  const byKey = new Map<string, Leaf>();
  for (const leaf of list) {
    if (byKey.has(leaf.key)) throw validation('KeyConditionExpressions must only contain one condition per key');
    byKey.set(leaf.key, leaf);
  }
  const hash = byKey.get(schema.hashKey);
  if (!hash) throw validation(`Query condition missed key schema element: ${schema.hashKey}`);
  for (const key of byKey.keys()) {
    if (key !== schema.hashKey && key !== schema.rangeKey) throw validation('Query key condition not supported');
  }
  if (hash.op !== '=') throw validation('Query key condition not supported');
  const out: KeyCondition = { hashKey: schema.hashKey, hashValue: hash.values[0]! };
  const range = schema.rangeKey === undefined ? undefined : byKey.get(schema.rangeKey);
  if (range) out.range = { key: range.key, op: range.op, values: range.values };
  return out;
}

export type { Leaf as KeyConditionLeaf };
