/**
 * Types of the DynamoDB expression engine: wire attribute values, items, and the
 * bound syntax trees that compileExpressions produces and the evaluators consume.
 */

/** A DynamoDB AttributeValue as the wire carries it: exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Buffer }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Buffer[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/** An item: attribute name to value. */
export type Item = Record<string, AttributeValue>;

/** Names and values an expression may reference (ExpressionAttributeNames / ExpressionAttributeValues). */
export interface ExpressionContext {
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}

/** A document path: attribute names (strings) and list indexes (numbers), names already substituted. */
export type DocumentPath = (string | number)[];

/** An operand of a condition or of a SET action, with names and values already substituted. */
export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand }
  | { kind: 'if_not_exists'; path: DocumentPath; operand: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'plus'; left: Operand; right: Operand }
  | { kind: 'minus'; left: Operand; right: Operand };

/** Comparison operators of condition expressions. */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** The attribute type names attribute_type accepts. */
export type AttributeTypeName = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

/** A bound condition (ConditionExpression, FilterExpression, or a legacy Expected/QueryFilter/ScanFilter). */
export type ConditionNode =
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and'; left: ConditionNode; right: ConditionNode }
  | { kind: 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'attribute_exists'; path: DocumentPath }
  | { kind: 'attribute_not_exists'; path: DocumentPath }
  | { kind: 'attribute_type'; path: DocumentPath; type: Operand }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; value: Operand }
  /** Legacy NE / NOT_CONTAINS semantics: true when the attribute is absent. */
  | { kind: 'legacy_not_contains'; path: DocumentPath; value: AttributeValue }
  | { kind: 'legacy_ne'; path: DocumentPath; value: AttributeValue };

/** One SET action: path = operand. */
export interface SetAction { path: DocumentPath; value: Operand }
/** One ADD or DELETE action: path and the (resolved) value. */
export interface ValueAction { path: DocumentPath; value: AttributeValue }

/** The actions of an update, in clause order. `legacy` marks AttributeUpdates semantics (ADD may append to lists, DELETE without a value removes). */
export interface UpdateActions {
  set: SetAction[];
  remove: DocumentPath[];
  add: ValueAction[];
  delete: ValueAction[];
  /** AttributeUpdates DELETE without a Value: removes the attribute (handled through `remove`); ADD of a list appends. */
  legacy?: boolean;
}

/** Key conditions resolved for the storage layer: the hash key value and an optional range condition. */
export interface KeyCondition {
  hashKey: string;
  hashValue: AttributeValue;
  range?: { key: string; op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH'; values: AttributeValue[] };
}

/** A parsed, validated expression set of one request. */
export interface CompiledExpressions {
  condition?: ConditionNode;
  filter?: ConditionNode;
  keyCondition?: KeyCondition;
  projection?: DocumentPath[];
  update?: UpdateActions;
}

/** The expression members of a request. */
export interface ExpressionInput {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/** The key schema a KeyConditionExpression is checked against. */
export interface KeySchema { hashKey: string; rangeKey?: string }

/** An attribute value as the generated model types it (every member optional); legacy inputs accept it as is. */
export interface LooseAttributeValue {
  S?: string; N?: string; B?: Buffer; SS?: string[]; NS?: string[]; BS?: Buffer[];
  M?: Record<string, LooseAttributeValue>; L?: LooseAttributeValue[]; NULL?: boolean; BOOL?: boolean;
}

/** A legacy Expected / QueryFilter / ScanFilter / KeyConditions entry. */
export interface LegacyCondition {
  Value?: LooseAttributeValue;
  Exists?: boolean;
  ComparisonOperator?: string;
  AttributeValueList?: LooseAttributeValue[];
}

/** A legacy AttributeUpdates entry. */
export interface LegacyAttributeUpdate {
  Value?: LooseAttributeValue;
  Action?: string;
}
