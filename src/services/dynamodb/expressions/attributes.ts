/** The attributes a bound condition reads: the first element of every document path in it. */
import type { ConditionNode, Operand } from './types.js';

function operandNames(o: Operand, out: Set<string>): void {
  switch (o.kind) {
    case 'path': out.add(String(o.path[0])); return;
    case 'value': return;
    case 'size': operandNames(o.operand, out); return;
    case 'if_not_exists': out.add(String(o.path[0])); operandNames(o.operand, out); return;
    default: operandNames(o.left, out); operandNames(o.right, out);
  }
}

/** Top-level attribute names a condition references (QueryFilter / FilterExpression key checks). */
export function conditionAttributeNames(node: ConditionNode, out: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'and': case 'or': conditionAttributeNames(node.left, out); conditionAttributeNames(node.right, out); break;
    case 'not': conditionAttributeNames(node.operand, out); break;
    case 'compare': operandNames(node.left, out); operandNames(node.right, out); break;
    case 'between': operandNames(node.operand, out); operandNames(node.low, out); operandNames(node.high, out); break;
    case 'in': operandNames(node.operand, out); for (const o of node.list) operandNames(o, out); break;
    case 'attribute_exists': case 'attribute_not_exists': case 'legacy_ne': case 'legacy_not_contains':
      if (node.path.length) out.add(String(node.path[0]));
      break;
    case 'attribute_type': out.add(String(node.path[0])); operandNames(node.type, out); break;
    case 'begins_with': operandNames(node.operand, out); operandNames(node.prefix, out); break;
    case 'contains': operandNames(node.operand, out); operandNames(node.value, out); break;
  }
  return out;
}
