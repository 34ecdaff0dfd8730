/**
 * The legacy conditional parameters (API reference, "Legacy conditional parameters"):
 * Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates and AttributesToGet,
 * turned into the same bound trees the expressions produce.
 */
import { ServiceError } from '../../../shared/errors.js';
import type {
  AttributeValue, ConditionNode, DocumentPath, KeyCondition, KeySchema, LegacyAttributeUpdate, LegacyCondition,
  LooseAttributeValue, UpdateActions,
} from './types.js';
import { typeOf, compareValues } from './values.js';
import { resolveLeaves, type KeyConditionLeaf } from './key-condition.js';

const INVALID = 'One or more parameter values were invalid: ';
const ALWAYS: ConditionNode = { kind: 'not', operand: { kind: 'attribute_exists', path: ['\u0000'] } };

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

/** The wire guarantees exactly one member once the model validation has run. */
function strict(v: LooseAttributeValue): AttributeValue {
  return v as AttributeValue;
}

/** Operators, their operand counts (undefined: one or more) and the types they accept. */
const OPERATORS: Record<string, { count: number | undefined; types: string[] | undefined }> = {
  EQ: { count: 1, types: undefined },
  NE: { count: 1, types: undefined },
  LE: { count: 1, types: ['S', 'N', 'B'] },
  LT: { count: 1, types: ['S', 'N', 'B'] },
  GE: { count: 1, types: ['S', 'N', 'B'] },
  GT: { count: 1, types: ['S', 'N', 'B'] },
  NOT_NULL: { count: 0, types: undefined },
  NULL: { count: 0, types: undefined },
  CONTAINS: { count: 1, types: ['S', 'N', 'B'] },
  NOT_CONTAINS: { count: 1, types: ['S', 'N', 'B'] },
  BEGINS_WITH: { count: 1, types: ['S', 'B'] },
  IN: { count: undefined, types: ['S', 'N', 'B'] },
  BETWEEN: { count: 2, types: ['S', 'N', 'B'] },
};

function checkedList(name: string, op: string, list: AttributeValue[]): AttributeValue[] {
  const spec = OPERATORS[op];
  if (!spec) throw validation(`${INVALID}Unsupported operator on ExpectedAttributeValue or ConditionalOperator: ${op}`);
  if (spec.count === undefined ? list.length === 0 : list.length !== spec.count) {
    throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  for (const v of list) {
    if (spec.types && !spec.types.includes(typeOf(v))) {
      throw validation(`${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`);
    }
  }
  if (list.length > 1 && list.some((v) => typeOf(v) !== typeOf(list[0]!))) {
    throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  if (op === 'BETWEEN' && compareValues(list[0]!, list[1]!) > 0) {
    throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
  void name;
  return list;
}

function operatorNode(name: string, op: string, list: AttributeValue[]): ConditionNode {
  const path = { kind: 'path' as const, path: [name] };
  const val = (i: number) => ({ kind: 'value' as const, value: list[i]! });
  switch (op) {
    case 'EQ': return { kind: 'compare', op: '=', left: path, right: val(0) };
    case 'NE': return { kind: 'legacy_ne', path: [name], value: list[0]! };
    case 'LE': return { kind: 'compare', op: '<=', left: path, right: val(0) };
    case 'LT': return { kind: 'compare', op: '<', left: path, right: val(0) };
    case 'GE': return { kind: 'compare', op: '>=', left: path, right: val(0) };
    case 'GT': return { kind: 'compare', op: '>', left: path, right: val(0) };
    case 'NOT_NULL': return { kind: 'attribute_exists', path: [name] };
    case 'NULL': return { kind: 'attribute_not_exists', path: [name] };
    case 'CONTAINS': return { kind: 'contains', operand: path, value: val(0) };
    case 'NOT_CONTAINS': return { kind: 'legacy_not_contains', path: [name], value: list[0]! };
    case 'BEGINS_WITH': return { kind: 'begins_with', operand: path, prefix: val(0) };
    case 'IN': return { kind: 'in', operand: path, list: list.map((_, i) => val(i)) };
    default: return { kind: 'between', operand: path, low: val(0), high: val(1) };
  }
}

function combine(nodes: ConditionNode[], conditionalOperator: string | undefined): ConditionNode {
  if (nodes.length === 0) return ALWAYS;
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  return nodes.reduce((left, right) => ({ kind, left, right }));
}

/** Legacy QueryFilter / ScanFilter + ConditionalOperator as a condition. */
export function conditionFromFilter(filter: Record<string, LegacyCondition>, conditionalOperator?: string): ConditionNode {
  const nodes: ConditionNode[] = [];
  for (const [name, c] of Object.entries(filter)) {
    const op = c.ComparisonOperator ?? 'EQ';
    const list = checkedList(name, op, (c.AttributeValueList ?? []).map(strict));
    nodes.push(operatorNode(name, op, list));
  }
  return combine(nodes, conditionalOperator);
}

/** Legacy Expected + ConditionalOperator as a condition. */
export function conditionFromExpected(expected: Record<string, LegacyCondition>, conditionalOperator?: string): ConditionNode {
  const nodes: ConditionNode[] = [];
  for (const [name, c] of Object.entries(expected)) {
    if (c.ComparisonOperator !== undefined) {
      if (c.Value !== undefined && c.AttributeValueList !== undefined) {
        throw validation(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
      }
      if (c.Exists !== undefined) {
        throw validation(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      }
      const raw = c.AttributeValueList ?? (c.Value !== undefined ? [c.Value] : []);
      const list = checkedList(name, c.ComparisonOperator, raw.map(strict));
      nodes.push(operatorNode(name, c.ComparisonOperator, list));
    } else if (c.Exists === false) {
      if (c.Value !== undefined) throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
      nodes.push({ kind: 'attribute_not_exists', path: [name] });
    } else {
      if (c.Value === undefined) throw validation(`${INVALID}Value must be provided when Exists is ${c.Exists === true ? 'true' : 'null'} for Attribute: ${name}`);
      nodes.push(operatorNode(name, 'EQ', [strict(c.Value)]));
    }
  }
  return combine(nodes, conditionalOperator);
}

const KEY_OPS: Record<string, NonNullable<KeyCondition['range']>['op']> = {
  EQ: '=', LE: '<=', LT: '<', GE: '>=', GT: '>', BEGINS_WITH: 'BEGINS_WITH', BETWEEN: 'BETWEEN',
};

/** Legacy KeyConditions as a key condition. */
export function keyConditionFromKeyConditions(keyConditions: Record<string, LegacyCondition>, schema: KeySchema): KeyCondition {
  const leaves: KeyConditionLeaf[] = [];
  for (const [name, c] of Object.entries(keyConditions)) {
    const op = c.ComparisonOperator ?? 'EQ';
    const values = checkedList(name, op, (c.AttributeValueList ?? []).map(strict));
    const keyOp = KEY_OPS[op];
    if (!keyOp) throw validation('Attempted conditional constraint is not an indexable operation');
    leaves.push({ key: name, op: keyOp, values });
  }
  if (leaves.length > (schema.rangeKey === undefined ? 1 : 2)) throw validation('Conditions can be of length 1 or 2 only');
  return resolveLeaves(leaves, schema);
}

/** Legacy AttributeUpdates as update actions (ADD appends to lists; DELETE without a value removes). */
export function updateFromAttributeUpdates(updates: Record<string, LegacyAttributeUpdate>): UpdateActions {
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [], legacy: true };
  for (const [name, u] of Object.entries(updates)) {
    const action = u.Action ?? 'PUT';
    const path: DocumentPath = [name];
    if (action === 'PUT') {
      if (u.Value === undefined) throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      actions.set.push({ path, value: { kind: 'value', value: strict(u.Value) } });
    } else if (action === 'DELETE') {
      if (u.Value === undefined) actions.remove.push(path);
      else {
        const value = strict(u.Value);
        const t = typeOf(value);
        if (t !== 'SS' && t !== 'NS' && t !== 'BS') throw validation(`${INVALID}DELETE action with value is not supported for the type ${t}`);
        actions.delete.push({ path, value });
      }
    } else {
      if (u.Value === undefined) throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      const value = strict(u.Value);
      const t = typeOf(value);
      if (t !== 'N' && t !== 'SS' && t !== 'NS' && t !== 'BS' && t !== 'L') throw validation(`${INVALID}ADD action is not supported for the type ${t}`);
      actions.add.push({ path, value });
    }
  }
  return actions;
}

/** Legacy AttributesToGet as projection paths. */
export function projectionFromAttributesToGet(attributesToGet: string[]): DocumentPath[] {
  return attributesToGet.map((name) => [name]);
}
