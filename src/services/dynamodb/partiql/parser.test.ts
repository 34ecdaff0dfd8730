/** The PartiQL parser and its translation into DynamoDB expressions, by table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, PartiqlSyntaxError, PartiqlParameterError } from './parser.js';
import { ExpressionWriter, conjuncts, equalityOn } from './translate.js';
import { compileExpressions, evaluateCondition } from '../expressions/index.js';

const conditions: [string, string][] = [
  ['a = 1', '#n0 = :v0'],
  ['a <> \'x\' AND b.c[2] >= ?', '#n0 <> :v0 AND #n1.#n2[2] >= :v1'],
  ['a = 1 OR b = 2 AND NOT c = 3', '#n0 = :v0 OR #n1 = :v1 AND NOT #n2 = :v2'],
  ['(a = 1 OR b = 2) AND c IS MISSING', '(#n0 = :v0 OR #n1 = :v1) AND attribute_not_exists(#n2)'],
  ['a BETWEEN 1 AND 5 AND b IN [1, 2] AND c IS NOT MISSING', '#n0 BETWEEN :v0 AND :v1 AND #n1 IN (:v2, :v3) AND attribute_exists(#n2)'],
  ['begins_with("x y", \'p\') AND size(l) > 2', 'begins_with(#n0, :v0) AND size(#n1) > :v1'],
  ['NOT (a = 1 AND b = 2)', 'NOT (#n0 = :v0 AND #n1 = :v1)'],
];

for (const [where, expected] of conditions) {
  test(`WHERE ${where}`, () => {
    const s = parseStatement(`SELECT * FROM t WHERE ${where}`, where.includes('?') ? [{ S: 'p' }] : []);
    assert.equal(s.kind, 'select');
    const w = new ExpressionWriter();
    const text = w.condition((s as unknown as { where: never }).where);
    assert.equal(text, expected);
    // The expression engine accepts every translation.
    compileExpressions({ ConditionExpression: text, ...w.members() });
  });
}

test('literals become AttributeValues', () => {
  const s = parseStatement('INSERT INTO "t" VALUE {\'a\': \'x\', \'n\': -1.5e3, \'b\': TRUE, \'z\': null, \'ss\': <<\'p\', \'q\'>>, \'ns\': <<1, 2>>, \'l\': [1, \'s\'], \'m\': {\'k\': ?}}', [{ BOOL: false }]);
  assert.deepEqual(s, {
    kind: 'insert', table: 't',
    item: {
      a: { S: 'x' }, n: { N: '-1.5e3' }, b: { BOOL: true }, z: { NULL: true }, ss: { SS: ['p', 'q'] }, ns: { NS: ['1', '2'] },
      l: { L: [{ N: '1' }, { S: 's' }] }, m: { M: { k: { BOOL: false } } },
    },
  });
});

test('UPDATE translates to an UpdateExpression', () => {
  const s = parseStatement('UPDATE t SET a = a + 1, b = list_append(b, [2]) SET c = set_add(c, <<\'x\'>>) REMOVE d, e[1] WHERE pk = \'k\' RETURNING MODIFIED NEW *');
  assert.equal(s.kind, 'update');
  if (s.kind !== 'update') return;
  assert.equal(s.returning, 'UPDATED_NEW');
  const w = new ExpressionWriter();
  assert.equal(w.update(s.set, s.remove), 'SET #n0 = #n0 + :v0, #n1 = list_append(#n1, :v1) REMOVE #n3, #n4[1] ADD #n2 :v2');
  assert.deepEqual(conjuncts(s.where).map((c) => equalityOn(c, 'pk')), [{ S: 'k' }]);
});

test('a translated condition evaluates as DynamoDB does', () => {
  const s = parseStatement('SELECT * FROM t WHERE a IS MISSING OR contains(tags, \'x\')');
  const w = new ExpressionWriter();
  const c = compileExpressions({ ConditionExpression: w.condition((s as unknown as { where: never }).where), ...w.members() }).condition!;
  assert.equal(evaluateCondition(c, { tags: { SS: ['x'] }, a: { N: '1' } }), true);
  assert.equal(evaluateCondition(c, { tags: { SS: ['y'] }, a: { N: '1' } }), false);
  assert.equal(evaluateCondition(c, {}), true);
});

test('syntax and parameter errors', () => {
  assert.throws(() => parseStatement('MERGE INTO t'), (e: Error) => e instanceof PartiqlSyntaxError && e.message === 'Expected data manipulation');
  assert.throws(() => parseStatement('SELECT * FROM t WHERE a ='), PartiqlSyntaxError);
  assert.throws(() => parseStatement('SELECT * FROM t WHERE a = \'x'), PartiqlSyntaxError);
  assert.throws(() => parseStatement('SELECT * FROM t WHERE a = ?'), PartiqlParameterError);
  assert.throws(() => parseStatement('SELECT * FROM t', [{ S: 'x' }]), PartiqlParameterError);
  assert.throws(() => parseStatement('INSERT INTO t VALUE {\'a\': <<1, \'x\'>>}'), PartiqlSyntaxError);
});
