/** Table-driven tests of the expression engine: messages are DynamoDB's (API reference and real error bodies). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileExpressions, evaluateCondition, applyUpdate, project, compareValues, itemSize, canonicalNumber,
  conditionFromExpected, conditionFromFilter, keyConditionFromKeyConditions, updateFromAttributeUpdates, projectionFromAttributesToGet,
  type AttributeValue, type Item, type ExpressionInput,
} from './index.js';

const N = (n: string): AttributeValue => ({ N: n });
const S = (s: string): AttributeValue => ({ S: s });

function message(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  return '<no error>';
}

const V = { ':v': S('x') };
const errorCases: [ExpressionInput, string][] = [
  [{ UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;'],
  [{ KeyConditionExpression: '', ExpressionAttributeValues: V }, 'Invalid KeyConditionExpression: The expression can not be empty;'],
  [{ FilterExpression: ' ' }, 'Invalid FilterExpression: The expression can not be empty;'],
  [{ ProjectionExpression: '' }, 'Invalid ProjectionExpression: The expression can not be empty;'],
  [{ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
  [{ UpdateExpression: 'INVALID SYNTAX HERE', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
  [{ UpdateExpression: 'ADD hits : incr' }, 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'],
  [{ UpdateExpression: 'SET' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"'],
  [{ UpdateExpression: 'SET a = :v +', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"'],
  [{ ProjectionExpression: 'a b' }, 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"'],
  [{ ProjectionExpression: 'a,' }, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
  [{ ConditionExpression: 'a = = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'],
  [{ ConditionExpression: '_hidden = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "_", near: "_hidden"'],
  [{ ConditionExpression: 'a = :v AND', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
  [{ ConditionExpression: 'a[x] = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "x", near: "[x]"'],
  [{ UpdateExpression: 'SET status = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status'],
  [{ ConditionExpression: 'attribute_exists(Data)' }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Data'],
  [{ ProjectionExpression: 'a, name' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name'],
  [{ UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: V, ExpressionAttributeNames: { '#unused': 'x' } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}'],
  [{ UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': S('v'), ':unused': S('e') } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}'],
  [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': S('v'), ':x': S('e'), ':y': S('e') } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}'],
  [{ UpdateExpression: 'SET attr1 = :v' }, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
  [{ UpdateExpression: 'SET #a = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a'],
  [{ FilterExpression: '#missing = :fv', ExpressionAttributeValues: { ':fv': S('x') } }, 'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing'],
  [{ ConditionExpression: 'a = :absent', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :absent'],
  [{ ExpressionAttributeValues: V }, 'ExpressionAttributeValues can only be specified when using expressions'],
  [{ ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions'],
  [{ ProjectionExpression: 'a', ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty'],
  [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
  [{ ProjectionExpression: 'a', ExpressionAttributeNames: { a: 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
  [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: { a: S('b') } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "a"'],
  [{ UpdateExpression: 'SET a = :v, a.b = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
  [{ UpdateExpression: 'SET f = :v REMOVE f', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [f], path two: [f]'],
  [{ UpdateExpression: 'SET a[0] = :v, a.b = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]'],
  [{ ProjectionExpression: 'a.b, a' }, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]'],
  [{ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
  [{ UpdateExpression: 'REMOVE a REMOVE b' }, 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;'],
  [{ UpdateExpression: 'ADD a :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
  [{ UpdateExpression: 'DELETE a :v', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
  [{ UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { L: [] } } }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST'],
  [{ UpdateExpression: 'SET a = :v + :w', ExpressionAttributeValues: { ':v': S('x'), ':w': N('1') } }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
  [{ UpdateExpression: 'SET a = b - :v', ExpressionAttributeValues: { ':v': { BOOL: true } } }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: BOOL'],
  [{ UpdateExpression: 'SET a = list_append(a, :v)', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
  [{ UpdateExpression: 'SET a = if_not_exists(:v, a)', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
  [{ UpdateExpression: 'SET a = if_not_exists(a)' }, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1'],
  [{ UpdateExpression: 'SET a = size(b)' }, 'Invalid UpdateExpression: Invalid function name; function: size'],
  [{ UpdateExpression: 'SET a = foo(b)' }, 'Invalid UpdateExpression: Invalid function name; function: foo'],
  [{ ConditionExpression: 'starts_with(a, :v)', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Invalid function name; function: starts_with'],
  [{ ConditionExpression: 'ATTRIBUTE_EXISTS(a)' }, 'Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS'],
  [{ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': S('STRING') } }, 'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
  [{ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': N('1') } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
  [{ ConditionExpression: 'a BETWEEN :hi AND :lo', ExpressionAttributeValues: { ':hi': N('5'), ':lo': N('1') } }, 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'],
  [{ ConditionExpression: 'a BETWEEN :b AND :a', ExpressionAttributeValues: { ':a': S('a'), ':b': N('1') } }, 'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}'],
  [{ ConditionExpression: 'a < :l', ExpressionAttributeValues: { ':l': { L: [N('1')] } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: LIST'],
  [{ ConditionExpression: 'begins_with(a, :v) = :t', ExpressionAttributeValues: { ':v': S('x'), ':t': { BOOL: true } } }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with'],
  [{ ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
  [{ ConditionExpression: 'begins_with(a, :v)', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
  [{ ConditionExpression: 'size(:v) > a', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N'],
  [{ ConditionExpression: 'attribute_exists(a, b)' }, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
  [{ ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
  [{ ConditionExpression: 'a = a' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
  [{ ConditionExpression: 'contains(a.b, a.b)' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a, b]'],
  [{ ConditionExpression: '((a = :v))', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
  [{ ConditionExpression: '((a)) = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
  [{ ConditionExpression: `a IN (${Array.from({ length: 101 }, () => ':v').join(', ')})`, ExpressionAttributeValues: V }, 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101'],
];

for (const [input, expected] of errorCases) {
  test(`error: ${JSON.stringify(input).slice(0, 110)}`, () => {
    assert.equal(message(() => compileExpressions(input, { hashKey: 'pk', rangeKey: 'sk' })), expected);
  });
}

const schema = { hashKey: 'pk', rangeKey: 'sk' };
const KV = { ':a': N('1'), ':b': N('2') };
const keyErrors: [string, Record<string, AttributeValue> | undefined, string][] = [
  ['sk = :a', KV, 'Query condition missed key schema element: pk'],
  ['attr1 = :a', KV, 'Query condition missed key schema element: pk'],
  ['pk = :a AND attr1 = :b', KV, 'Query key condition not supported'],
  ['pk > :a', KV, 'Query key condition not supported'],
  ['pk = :a OR sk = :b', KV, 'Invalid operator used in KeyConditionExpression: OR'],
  ['NOT pk = :a', KV, 'Invalid operator used in KeyConditionExpression: NOT'],
  ['pk <> :a', KV, 'Invalid operator used in KeyConditionExpression: <>'],
  ['pk IN (:a, :b)', KV, 'Invalid operator used in KeyConditionExpression: IN'],
  ['attribute_exists(pk)', undefined, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
  ['contains(a.d, b)', undefined, 'Invalid operator used in KeyConditionExpression: contains'],
  ['pk = :a AND sk > :a AND sk < :b', KV, 'KeyConditionExpressions must only contain one condition per key'],
  ['a.d > :a', { ':a': N('1') }, 'KeyConditionExpressions cannot have conditions on nested attributes'],
  ['b[0] > :a', { ':a': N('1') }, 'KeyConditionExpressions cannot have conditions on nested attributes'],
  ['b > a.b', undefined, 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
  ['begins_with(a, b)', undefined, 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
  ['a > size(b.d)', undefined, 'KeyConditionExpressions cannot contain nested operations'],
  [':a > :b AND pk = :a', KV, 'Invalid condition in KeyConditionExpression: No key attribute specified'],
  ['begins_with(:a, b) AND a > :b', { ':a': S('1'), ':b': S('1') }, 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand'],
  ['sk between :b and :a AND pk = :a', { ':a': S('a'), ':b': S('b') }, 'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}'],
];
for (const [expr, values, expected] of keyErrors) {
  test(`key condition error: ${expr}`, () => {
    assert.equal(message(() => compileExpressions({ KeyConditionExpression: expr, ExpressionAttributeValues: values }, schema)), expected);
  });
}

const keyOk: [string, unknown][] = [
  ['pk = :a', { hashKey: 'pk', hashValue: N('1') }],
  ['pk = :a AND sk = :b', { hashKey: 'pk', hashValue: N('1'), range: { key: 'sk', op: '=', values: [N('2')] } }],
  [':b > sk AND pk = :a', { hashKey: 'pk', hashValue: N('1'), range: { key: 'sk', op: '<', values: [N('2')] } }],
  ['(pk = :a) AND (sk <= :b)', { hashKey: 'pk', hashValue: N('1'), range: { key: 'sk', op: '<=', values: [N('2')] } }],
  ['pk = :a and sk between :a and :b', { hashKey: 'pk', hashValue: N('1'), range: { key: 'sk', op: 'BETWEEN', values: [N('1'), N('2')] } }],
  ['pk = :a AND begins_with(sk, :s)', { hashKey: 'pk', hashValue: N('1'), range: { key: 'sk', op: 'BEGINS_WITH', values: [S('x')] } }],
];
for (const [expr, expected] of keyOk) {
  test(`key condition: ${expr}`, () => {
    const values: Record<string, AttributeValue> = { ':a': N('1') };
    if (expr.includes(':b')) values[':b'] = N('2');
    if (expr.includes(':s')) values[':s'] = S('x');
    assert.deepEqual(compileExpressions({ KeyConditionExpression: expr, ExpressionAttributeValues: values }, schema).keyCondition, expected);
  });
}

const ITEM: Item = {
  pk: S('p'), n: N('10'), s: S('banana'), b: { B: Buffer.from([1, 2, 3]) }, flag: { BOOL: true }, nothing: { NULL: true },
  tags: { SS: ['red', 'green'] }, nums: { NS: ['1', '5'] }, letters: { L: [S('a'), S('b'), N('3')] },
  info: { M: { nested: { M: { deep: S('x') } }, arr: { L: [{ M: { v: N('1') } }, { M: { v: N('2') } }] } } },
  'dotted.name': S('yes'), unicode: S('\u{1F600}'),
};
const VALUES: Record<string, AttributeValue> = {
  ':nine': N('9'), ':ten': N('10.0'), ':hundred': N('1E2'), ':apple': S('apple'), ':banana': S('banana'), ':bmp': S('\uFFFD'),
  ':one': N('1'), ':two': N('2'), ':three': N('3'), ':six': N('6'), ':x': S('x'), ':ban': S('ban'), ':nan': S('nan'), ':red': S('red'),
  ':blue': S('blue'), ':five': N('5'), ':t': { BOOL: true }, ':ss': S('SS'), ':null': S('NULL'), ':s': S('S'), ':b12': { B: Buffer.from([1, 2]) },
  ':a': S('a'), ':yes': S('yes'), ':n': S('N'),
};
const evalCases: [string, boolean, Record<string, string>?][] = [
  ['n > :nine', true], ['n < :hundred', true], ['n = :ten', true], ['n >= :ten AND n <= :ten', true], ['n <> :ten', false],
  ['s > :apple', true], ['s < :apple', false], ['unicode > :bmp', true], ['s = :banana', true],
  ['absent <> :one', true], ['absent < :one', false], ['absent = :one', false], ['s > :one', false], ['s <> :one', true],
  ['n BETWEEN :nine AND :ten', true], ['n BETWEEN :one AND :nine', false], ['s IN (:apple, :banana)', true], ['s IN (:apple)', false],
  ['n = :ten OR n = :ten AND n = :nine', true], ['(n = :ten OR n = :ten) AND n = :nine', false], ['NOT n = :nine AND n = :ten', true],
  ['not (n = :ten)', false], ['attribute_exists(n) AND attribute_not_exists(absent)', true], ['attribute_exists(nothing)', true],
  ['attribute_type(tags, :ss) AND attribute_type(nothing, :null)', true], ['attribute_type(n, :s)', false], ['attribute_type(n, :n)', true],
  ['begins_with(s, :ban)', true], ['begins_with(s, :nan)', false], ['begins_with(b, :b12)', true], ['begins_with(n, :x)', false],
  ['contains(s, :nan)', true], ['contains(tags, :red)', true], ['contains(tags, :blue)', false], ['contains(nums, :five)', true],
  ['contains(letters, :three)', true], ['contains(letters, :x)', false], ['contains(absent, :x)', false],
  ['size(s) = :six', true], ['size(tags) = :two AND size(letters) = :three AND size(info) = :two', true], ['size(b) = :three', true],
  ['size(n) = :one', false], ['size(absent) <> :one', true],
  ['info.nested.deep = :x', true], ['info.arr[1].v = :two', true], ['letters[0] = :a', true], ['attribute_not_exists(letters[9])', true],
  ['info.nested.nope.deep = :x', false], ['letters.x = :a', false], ['#d = :yes', true, { '#d': 'dotted.name' }], ['flag = :t', true],
  ['n between :nine and :ten Or s in (:a)', true], ['(n) = :ten', true], ['size(letters[1]) = :one', true],
];
for (const [expr, expected, names] of evalCases) {
  test(`evaluate: ${expr}`, () => {
    const used: Record<string, AttributeValue> = {};
    for (const k of expr.match(/:[A-Za-z0-9_]+/g) ?? []) used[k] = VALUES[k]!;
    const c = compileExpressions({ ConditionExpression: expr, ExpressionAttributeValues: Object.keys(used).length ? used : undefined, ExpressionAttributeNames: names });
    assert.equal(evaluateCondition(c.condition!, ITEM), expected);
  });
}

test('evaluate: absent item is an empty item', () => {
  const c = compileExpressions({ ConditionExpression: 'attribute_not_exists(pk)' });
  assert.equal(evaluateCondition(c.condition!, undefined), true);
});

const BASE: Item = {
  pk: S('p'), tally: N('1'), label: S('x'), letters: { L: [N('1'), N('2'), N('3')] }, info: { M: { a: N('1') } }, tags: { SS: ['a', 'b'] },
  nums: { NS: ['1', '2'] },
};
const updateCases: [string, Record<string, AttributeValue> | undefined, Item | string][] = [
  ['SET tally = tally + :one', { ':one': N('1') }, { ...BASE, tally: N('2') }],
  ['SET tally = tally - :half', { ':half': N('0.5') }, { ...BASE, tally: N('0.5') }],
  ['SET tally = :a + :b', { ':a': N('0.1'), ':b': N('0.2') }, { ...BASE, tally: N('0.3') }],
  ['SET c = if_not_exists(c, :zero) + :one', { ':zero': N('0'), ':one': N('1') }, { ...BASE, c: N('1') }],
  ['SET label = if_not_exists(label, :y)', { ':y': S('y') }, BASE],
  ['SET letters = list_append(letters, :l)', { ':l': { L: [N('4')] } }, { ...BASE, letters: { L: [N('1'), N('2'), N('3'), N('4')] } }],
  ['SET letters = list_append(:l, letters)', { ':l': { L: [N('0')] } }, { ...BASE, letters: { L: [N('0'), N('1'), N('2'), N('3')] } }],
  ['SET letters[1] = :x', { ':x': S('x') }, { ...BASE, letters: { L: [N('1'), S('x'), N('3')] } }],
  ['SET letters[10] = :x', { ':x': S('x') }, { ...BASE, letters: { L: [N('1'), N('2'), N('3'), S('x')] } }],
  ['SET info.b = :x', { ':x': S('x') }, { ...BASE, info: { M: { a: N('1'), b: S('x') } } }],
  ['SET a = label, label = :y', { ':y': S('y') }, { ...BASE, a: S('x'), label: S('y') }],
  ['REMOVE letters[0], letters[2]', undefined, { ...BASE, letters: { L: [N('2')] } }],
  ['REMOVE info.a, label, absent', undefined, { pk: S('p'), tally: N('1'), letters: BASE.letters!, info: { M: {} }, tags: BASE.tags!, nums: BASE.nums! }],
  ['ADD tally :five', { ':five': N('5') }, { ...BASE, tally: N('6') }],
  ['ADD fresh :five', { ':five': N('5') }, { ...BASE, fresh: N('5') }],
  ['ADD tags :t', { ':t': { SS: ['b', 'c'] } }, { ...BASE, tags: { SS: ['a', 'b', 'c'] } }],
  ['ADD nums :t', { ':t': { NS: ['2.0', '3'] } }, { ...BASE, nums: { NS: ['1', '2', '3'] } }],
  ['DELETE tags :t', { ':t': { SS: ['a'] } }, { ...BASE, tags: { SS: ['b'] } }],
  ['DELETE tags :t', { ':t': { SS: ['a', 'b'] } }, (() => { const { tags: _t, ...rest } = BASE; void _t; return rest; })()],
  ['DELETE absent :t', { ':t': { SS: ['a'] } }, BASE],
  ['SET gone2 = gone', undefined, 'The provided expression refers to an attribute that does not exist in the item'],
  ['SET label = label + :one', { ':one': N('1') }, 'An operand in the update expression has an incorrect data type'],
  ['SET label = list_append(label, :l)', { ':l': { L: [] } }, 'An operand in the update expression has an incorrect data type'],
  ['ADD label :one', { ':one': N('1') }, 'An operand in the update expression has an incorrect data type'],
  ['ADD tags :t', { ':t': { NS: ['1'] } }, 'An operand in the update expression has an incorrect data type'],
  ['DELETE tags :t', { ':t': { NS: ['1'] } }, 'An operand in the update expression has an incorrect data type'],
  ['SET nope.b = :x', { ':x': S('x') }, 'The document path provided in the update expression is invalid for update'],
  ['SET label.b = :x', { ':x': S('x') }, 'The document path provided in the update expression is invalid for update'],
  ['SET info[0] = :x', { ':x': S('x') }, 'The document path provided in the update expression is invalid for update'],
  ['SET tally = :a + :b', { ':a': N('9.9e125'), ':b': N('9.9e125') }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
];
for (const [expr, values, expected] of updateCases) {
  test(`update: ${expr}`, () => {
    const c = compileExpressions({ UpdateExpression: expr, ExpressionAttributeValues: values });
    if (typeof expected === 'string') assert.equal(message(() => applyUpdate(c.update!, BASE)), expected);
    else assert.deepEqual(applyUpdate(c.update!, BASE), expected);
  });
}

test('update never modifies its input', () => {
  const before = JSON.stringify(BASE);
  const c = compileExpressions({ UpdateExpression: 'SET info.z = :x, letters[0] = :x REMOVE letters[1] ADD tags :t', ExpressionAttributeValues: { ':x': S('x'), ':t': { SS: ['q'] } } });
  applyUpdate(c.update!, BASE);
  assert.equal(JSON.stringify(BASE), before);
});

test('projection keeps nested structure and closes up list elements', () => {
  const item: Item = { a: { M: { b: N('1'), c: N('2') } }, letters: { L: [S('x'), S('y'), S('z')] }, alt: S('o') };
  const c = compileExpressions({ ProjectionExpression: 'a.c, letters[2], letters[0], #o, nope, a.zz', ExpressionAttributeNames: { '#o': 'alt' } });
  assert.deepEqual(project(item, c.projection!), { alt: S('o'), a: { M: { c: N('2') } }, letters: { L: [S('x'), S('z')] } });
});

const numberCases: [string, string][] = [
  ['00042', '42'], ['-0', '0'], ['1.5E2', '150'], ['1.0', '1'], ['3.1400', '3.14'], ['1E-2', '0.01'], ['-1.05e1', '-10.5'],
  ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
  ['123456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number'],
  ['1E+126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
  ['1E-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
  ['abc', 'The parameter cannot be converted to a numeric value: abc'], ['.', 'The parameter cannot be converted to a numeric value: .'],
];
for (const [input, expected] of numberCases) {
  test(`number: ${input}`, () => {
    let got: string;
    try { got = canonicalNumber(input); } catch (e) { got = (e as Error).message; }
    assert.equal(got, expected);
  });
}

test('compareValues orders numbers numerically, strings by UTF-8 bytes, binary bytewise', () => {
  assert.equal(compareValues(N('10'), N('9')), 1);
  assert.equal(compareValues(N('-1e2'), N('-99')), -1);
  assert.equal(compareValues(N('1.0'), N('1')), 0);
  assert.equal(compareValues(S('\u{1F600}'), S('\uFFFD')), 1);
  assert.equal(compareValues(S('a'), S('ab')), -1);
  assert.equal(compareValues({ B: Buffer.from([2]) }, { B: Buffer.from([1, 9]) }), 1);
});

test('itemSize follows DynamoDB sizing rules', () => {
  assert.equal(itemSize({ a: S('abc') }), 4);
  assert.equal(itemSize({ n: N('123') }), 1 + 1 + 2);
  assert.equal(itemSize({ n: N('-1.5') }), 1 + 1 + 1 + 1 + 1);
  assert.equal(itemSize({ f: { BOOL: true }, z: { NULL: true } }), 4);
  assert.equal(itemSize({ l: { L: [S('aa'), S('b')] } }), 1 + 3 + 3 + 2);
  assert.equal(itemSize({ m: { M: { k: S('v') } } }), 1 + 3 + 1 + 1 + 1);
});

test('legacy Expected and filters', () => {
  const c = conditionFromExpected({ a: { Value: S('x') }, b: { Exists: false } });
  assert.equal(evaluateCondition(c, { a: S('x') }), true);
  assert.equal(evaluateCondition(c, { a: S('x'), b: S('y') }), false);
  const or = conditionFromExpected({ a: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] }, n: { ComparisonOperator: 'GT', AttributeValueList: [N('5')] } }, 'OR');
  assert.equal(evaluateCondition(or, { n: N('6') }), true);
  const f = conditionFromFilter({ a: { ComparisonOperator: 'NE', AttributeValueList: [S('x')] }, t: { ComparisonOperator: 'NOT_NULL' } });
  assert.equal(evaluateCondition(f, { t: N('1') }), true);
  assert.equal(message(() => conditionFromFilter({ a: { ComparisonOperator: 'GT', AttributeValueList: [{ BOOL: true }] } })), 'One or more parameter values were invalid: ComparisonOperator GT is not valid for BOOL AttributeValue type');
  assert.equal(message(() => conditionFromFilter({ a: { ComparisonOperator: 'EQ', AttributeValueList: [] } })), 'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator');
  assert.equal(message(() => conditionFromFilter({ a: { ComparisonOperator: 'IN', AttributeValueList: [S('b'), N('1')] } })), 'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type');
  assert.equal(message(() => conditionFromFilter({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('b'), S('a')] } })), 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
});

test('legacy KeyConditions, AttributeUpdates and AttributesToGet', () => {
  assert.deepEqual(keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('x')] } }, schema),
    { hashKey: 'pk', hashValue: S('a'), range: { key: 'sk', op: 'BEGINS_WITH', values: [S('x')] } });
  assert.equal(message(() => keyConditionFromKeyConditions({ sk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, schema)), 'Query condition missed key schema element: pk');
  assert.equal(message(() => keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'NE', AttributeValueList: [S('a')] } }, schema)), 'Attempted conditional constraint is not an indexable operation');
  const u = updateFromAttributeUpdates({ a: { Action: 'PUT', Value: S('x') }, l: { Action: 'ADD', Value: { L: [N('2')] } }, n: { Action: 'ADD', Value: N('1') }, gone: { Action: 'DELETE' } });
  assert.deepEqual(applyUpdate(u, { l: { L: [N('1')] }, gone: S('g') }), { a: S('x'), l: { L: [N('1'), N('2')] }, n: N('1') });
  assert.deepEqual(projectionFromAttributesToGet(['a', 'b.c']), [['a'], ['b.c']]);
});

test('compiled expressions are cached by text and still bind fresh values', () => {
  const a = compileExpressions({ ConditionExpression: 'x = :v', ExpressionAttributeValues: { ':v': N('1') } });
  const b = compileExpressions({ ConditionExpression: 'x = :v', ExpressionAttributeValues: { ':v': N('2') } });
  assert.equal(evaluateCondition(a.condition!, { x: N('1') }), true);
  assert.equal(evaluateCondition(b.condition!, { x: N('1') }), false);
});

test('arithmetic: counters add as integers, anything else exactly as decimals', () => {
  const add = (a: string, b: string, op = '+') => (applyUpdate(compileExpressions({
    UpdateExpression: `SET x = x ${op} :b`, ExpressionAttributeValues: { ':b': N(b) },
  }).update!, { x: N(a) }).x as { N: string }).N;
  assert.equal(add('41', '1'), '42');
  assert.equal(add('999999999999999', '1'), '1000000000000000');
  assert.equal(add('-5', '-5', '-'), '0');
  assert.equal(add('5', '7', '-'), '-2');
  assert.equal(add('9999999999999999', '1'), '10000000000000000');
  assert.equal(add('12345678901234567890', '1'), '12345678901234567891');
  assert.equal(add('0.5', '1'), '1.5');
  assert.equal(add('1.25', '0.75'), '2');
  assert.equal(add('99999999999999999999999999999999999999', '0', '-'), '99999999999999999999999999999999999999');
  assert.equal(add('99999999999999999999999999999999999999', '1'), '100000000000000000000000000000000000000');
  assert.equal(message(() => add('99999999999999999999999999999999999999', '0.1')), 'Attempting to store more than 38 significant digits in a Number');
  const added = applyUpdate(compileExpressions({ UpdateExpression: 'ADD x :b, y :b', ExpressionAttributeValues: { ':b': N('10') } }).update!, { x: N('-3') });
  assert.deepEqual(added, { x: N('7'), y: N('10') });
});
