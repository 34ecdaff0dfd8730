/** The key encoding sorts as DynamoDB does: numbers numerically (negatives, fractions, exponents), strings by UTF-8 bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeNumber, encodeKeyValue, prefixEnd, successor, partitionHash } from './key-codec.js';
import { canonicalNumber } from './numbers.js';
import { isServiceError } from '../../shared/errors.js';

test('numbers encode in numeric order', () => {
  const sorted = [
    '-9.9999999999999999999999999999999999999E+125', '-1e10', '-100', '-12.5', '-12', '-1.05', '-1', '-0.5', '-0.05', '-1E-130',
    '0', '1E-130', '0.001', '0.0011', '0.5', '1', '1.000000000000000000000000000000000001', '2', '9', '10', '10.5', '99', '100', '1e10',
    '12345678901234567890123456789012345678', '9.9999999999999999999999999999999999999E+125',
  ];
  const shuffled = [...sorted].reverse();
  shuffled.sort((a, b) => Buffer.compare(encodeNumber(a), encodeNumber(b)));
  assert.deepEqual(shuffled, [...sorted]);
  assert.equal(Buffer.compare(encodeNumber('1.50'), encodeNumber('1.5')), 0);
  assert.equal(Buffer.compare(encodeNumber('-0'), encodeNumber('0.000')), 0);
});

test('strings sort by UTF-8 bytes, not UTF-16 code units', () => {
  const values = ['a', 'ab', 'b', '\uffff', '\u{1f600}', 'Z', ''];
  const byBytes = [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const encoded = [...values].sort((a, b) => Buffer.compare(encodeKeyValue({ S: a }, 'S'), encodeKeyValue({ S: b }, 'S')));
  assert.deepEqual(encoded, byBytes);
  assert.deepEqual(encoded, ['', 'Z', 'a', 'ab', 'b', '\uffff', '\u{1f600}']);
});

test('canonical numbers and DynamoDB limits', () => {
  assert.equal(canonicalNumber('1.50'), '1.5');
  assert.equal(canonicalNumber('1E2'), '100');
  assert.equal(canonicalNumber('-0.0'), '0');
  assert.equal(canonicalNumber('+007.250'), '7.25');
  assert.equal(canonicalNumber('.5'), '0.5');
  assert.equal(canonicalNumber('-1.5e-3'), '-0.0015');
  const message = (t: string) => { try { canonicalNumber(t); return 'ok'; } catch (e) { assert.ok(isServiceError(e)); return e.message; } };
  assert.equal(message('abc'), 'The parameter cannot be converted to a numeric value: abc');
  assert.equal(message(''), 'The parameter cannot be converted to a numeric value');
  assert.equal(message('1'.repeat(39)), 'Attempting to store more than 38 significant digits in a Number');
  assert.equal(message('1e126'), 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  assert.equal(message('1e-131'), 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  assert.equal(message('9.9999999999999999999999999999999999999E+125'), 'ok');
  assert.equal(message('1E-130'), 'ok');
});

test('prefix bounds and successors', () => {
  assert.deepEqual(prefixEnd(Buffer.from('ab')), Buffer.from('ac'));
  assert.deepEqual(prefixEnd(Buffer.from([0x61, 0xff])), Buffer.from([0x62]));
  assert.equal(prefixEnd(Buffer.from([0xff])), undefined);
  assert.ok(Buffer.compare(successor(Buffer.from('a')), Buffer.from('a')) > 0);
  assert.ok(Buffer.compare(successor(Buffer.from('a')), Buffer.from('a\u0001')) < 0);
  assert.equal(partitionHash(Buffer.from('x')), partitionHash(Buffer.from('x')));
});

test('a number in canonical form encodes as the same number in any other spelling', () => {
  const pairs: [string, string][] = [
    ['100', '1E2'], ['-100', '-1.00e2'], ['0.05', '5e-2'], ['-0.005', '-.005'], ['10.25', '1025E-2'], ['0', '-0.0'],
    ['123456789012345678901234567890', '1.23456789012345678901234567890E29'], ['7', '007'], ['1000000', '1e6'],
  ];
  for (const [plain, other] of pairs) assert.ok(encodeNumber(plain).equals(encodeNumber(other)), `${plain} = ${other}`);
});
