/**
 * The syntax tree of DynamoDB's PartiQL subset (developer guide, "PartiQL - a
 * SQL-compatible query language for Amazon DynamoDB"): SELECT, INSERT, UPDATE, DELETE.
 * Values are already AttributeValues: literals are converted and `?` parameters bound
 * while parsing.
 */
import type { AttributeValue, DocumentPath } from '../expressions/index.js';

/** An operand of a condition or of a SET: a document path, a value, or size(path). */
export type PqOperand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: DocumentPath };

/** A WHERE condition. */
export type PqCondition =
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: PqOperand; right: PqOperand }
  | { kind: 'between'; operand: PqOperand; low: PqOperand; high: PqOperand }
  | { kind: 'in'; operand: PqOperand; list: PqOperand[] }
  | { kind: 'and' | 'or'; left: PqCondition; right: PqCondition }
  | { kind: 'not'; operand: PqCondition }
  | { kind: 'function'; name: 'begins_with' | 'contains' | 'attribute_exists' | 'attribute_not_exists' | 'attribute_type'; args: PqOperand[] }
  | { kind: 'missing'; path: DocumentPath; negated: boolean };

/** The value side of one SET assignment. */
export type PqSetValue =
  | { kind: 'operand'; operand: PqOperand }
  | { kind: 'plus' | 'minus'; left: PqOperand; right: PqOperand }
  | { kind: 'list_append'; left: PqOperand; right: PqOperand }
  | { kind: 'if_not_exists'; path: DocumentPath; operand: PqOperand }
  | { kind: 'set_add' | 'set_delete'; path: DocumentPath; value: AttributeValue };

/** RETURNING of UPDATE and DELETE, as the ReturnValues it stands for. */
export type PqReturning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

/** One parsed statement. */
export type PqStatement =
  | { kind: 'select'; table: string; index?: string; projection?: DocumentPath[]; where?: PqCondition }
  | { kind: 'insert'; table: string; item: Record<string, AttributeValue> }
  | { kind: 'update'; table: string; set: { path: DocumentPath; value: PqSetValue }[]; remove: DocumentPath[]; where?: PqCondition; returning?: PqReturning }
  | { kind: 'delete'; table: string; where?: PqCondition; returning?: PqReturning };
