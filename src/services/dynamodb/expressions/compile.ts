/**
 * compileExpressions: parses (through a bounded cache keyed by the text), binds and
 * validates all the expressions of one request, then reports unused names and values.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { CompiledExpressions, ExpressionInput, KeySchema, ConditionNode } from './types.js';
import { parseCondition, parseUpdate, parseProjection, type ParsedCondition, type ParsedUpdate } from './parser.js';
import { ExpressionSyntaxError } from './lexer.js';
import { bindCondition, bindUpdate, bindProjection, type BindScope } from './bind.js';
import { keyConditionFromNode } from './key-condition.js';

type Parsed = ParsedCondition | ParsedUpdate | ReturnType<typeof parseProjection>;
const CACHE_LIMIT = 2000;
/**
 * Per kind of expression: text -> parse result or the syntax error message. Evicted in
 * insertion order; a hit is not moved (a Map delete and set per request cost more than
 * an occasional re-parse of an evicted expression).
 */
const caches: Record<'C' | 'U' | 'P', Map<string, Parsed | string>> = { C: new Map(), U: new Map(), P: new Map() };

function cached<T extends Parsed>(kind: 'C' | 'U' | 'P', text: string, parse: (t: string) => T): T | string {
  const cache = caches[kind];
  const hit = cache.get(text);
  if (hit !== undefined) return hit as T | string;
  let result: T | string;
  try {
    result = parse(text);
  } catch (e) {
    if (!(e instanceof ExpressionSyntaxError)) throw e;
    result = e.message;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(text, result);
  return result;
}

/** Empties the parse caches (tests). */
export function clearExpressionCache(): void {
  for (const cache of Object.values(caches)) cache.clear();
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function invalid(label: string, message: string): ServiceError {
  return validation(`Invalid ${label}: ${message}`);
}

function isEmpty(text: string): boolean {
  return text.trim().length === 0;
}

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

function condition(label: string, text: string, scope: BindScope): ConditionNode {
  if (isEmpty(text)) throw invalid(label, 'The expression can not be empty;');
  const parsed = cached('C', text, parseCondition);
  if (typeof parsed === 'string') throw invalid(label, parsed);
  const node = bindCondition(parsed.root, parsed.redundantParens, scope);
  if (typeof node === 'string') throw invalid(label, node);
  return node;
}

/** Parses, binds and validates every expression of one request; throws ServiceError('ValidationException', ...) as DynamoDB does. */
export function compileExpressions(input: ExpressionInput, schema?: KeySchema): CompiledExpressions {
  const names = input.ExpressionAttributeNames;
  const values = input.ExpressionAttributeValues;
  const anyExpression = input.ConditionExpression !== undefined || input.FilterExpression !== undefined
    || input.KeyConditionExpression !== undefined || input.ProjectionExpression !== undefined || input.UpdateExpression !== undefined;
  if (names !== undefined) {
    if (!anyExpression) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    const keys = Object.keys(names);
    if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
    for (const k of keys) if (!NAME_KEY.test(k)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
  }
  if (values !== undefined) {
    if (!anyExpression) throw validation('ExpressionAttributeValues can only be specified when using expressions');
    const keys = Object.keys(values);
    if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
    for (const k of keys) if (!VALUE_KEY.test(k)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
  }

  const scope: BindScope = { names, values, usedNames: new Set(), usedValues: new Set() };
  const out: CompiledExpressions = {};

  if (input.UpdateExpression !== undefined) {
    const text = input.UpdateExpression;
    if (isEmpty(text)) throw invalid('UpdateExpression', 'The expression can not be empty;');
    const parsed = cached('U', text, parseUpdate);
    if (typeof parsed === 'string') throw invalid('UpdateExpression', parsed);
    const actions = bindUpdate(parsed, scope);
    if (typeof actions === 'string') throw invalid('UpdateExpression', actions);
    out.update = actions;
  }
  if (input.ConditionExpression !== undefined) out.condition = condition('ConditionExpression', input.ConditionExpression, scope);
  if (input.KeyConditionExpression !== undefined) {
    const node = condition('KeyConditionExpression', input.KeyConditionExpression, scope);
    if (!schema) throw new TypeError('compileExpressions: a KeyConditionExpression needs the key schema');
    out.keyCondition = keyConditionFromNode(node, schema);
  }
  if (input.FilterExpression !== undefined) out.filter = condition('FilterExpression', input.FilterExpression, scope);
  if (input.ProjectionExpression !== undefined) {
    const text = input.ProjectionExpression;
    if (isEmpty(text)) throw invalid('ProjectionExpression', 'The expression can not be empty;');
    const parsed = cached('P', text, parseProjection);
    if (typeof parsed === 'string') throw invalid('ProjectionExpression', parsed);
    const paths = bindProjection(parsed, scope);
    if (typeof paths === 'string') throw invalid('ProjectionExpression', paths);
    out.projection = paths;
  }

  if (names !== undefined) {
    const unused = Object.keys(names).filter((k) => !scope.usedNames.has(k));
    if (unused.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused.join(', ')}}`);
  }
  if (values !== undefined) {
    const unused = Object.keys(values).filter((k) => !scope.usedValues.has(k));
    if (unused.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(', ')}}`);
  }
  return out;
}
