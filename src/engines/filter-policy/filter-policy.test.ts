/**
 * The filter-policy engine by table: the SNS developer guide's examples ("Amazon SNS
 * message filtering", "Filter policy examples", "Attribute string/numeric value matching",
 * "Key matching", "AND/OR logic") and the validation errors SNS answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPolicy, FilterPolicyError, type FilterPolicyScope } from './compile.js';
import { matchesAttributes, matchesBody, type FilterAttribute } from './match.js';

/** The guide's example message: attributes of an order event. */
const ATTRIBUTES: Record<string, FilterAttribute> = {
  customer_interests: { DataType: 'String.Array', StringValue: '["soccer", "rugby", "hockey"]' },
  store: { DataType: 'String', StringValue: 'example_corp' },
  event: { DataType: 'String', StringValue: 'order_placed' },
  price_usd: { DataType: 'Number', StringValue: '210.75' },
  source_ip: { DataType: 'String', StringValue: '10.0.0.255' },
  payload: { DataType: 'Binary', BinaryValue: Buffer.from('x') },
};

/** The guide's example body. */
const BODY = JSON.stringify({
  Type: 'Notification',
  delivery: { carrier: 'UPS', speed: 'express', stops: [{ city: 'Seattle' }, { city: 'Tacoma' }] },
  customer_interests: ['soccer', 'rugby', 'hockey'],
  store: 'example_corp',
  event: 'order_placed',
  price_usd: 210.75,
  paid: true,
  coupon: null,
  ip: '2001:db8::ff00:42:8329',
});

const attributeCases: [string, object, boolean][] = [
  ['the guide\'s combined policy', { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] }, true],
  ['exact string', { store: ['example_corp'] }, true],
  ['exact string is case sensitive', { store: ['Example_Corp'] }, false],
  ['one of several strings', { event: ['order_canceled', 'order_placed'] }, true],
  ['String.Array element', { customer_interests: ['rugby'] }, true],
  ['String.Array no element', { customer_interests: ['baseball'] }, false],
  ['numeric exact value', { price_usd: [210.75] }, true],
  ['numeric exact wrong value', { price_usd: [210] }, false],
  ['number attribute does not match a string', { price_usd: ['210.75'] }, false],
  ['string attribute does not match a number', { store: [5] }, false],
  ['numeric =', { price_usd: [{ numeric: ['=', 210.75] }] }, true],
  ['numeric <', { price_usd: [{ numeric: ['<', 210.75] }] }, false],
  ['numeric <=', { price_usd: [{ numeric: ['<=', 210.75] }] }, true],
  ['numeric >', { price_usd: [{ numeric: ['>', 210.75] }] }, false],
  ['numeric >=', { price_usd: [{ numeric: ['>=', 210.75] }] }, true],
  ['numeric range outside', { price_usd: [{ numeric: ['>', 0, '<=', 150] }] }, false],
  ['numeric range inside', { price_usd: [{ numeric: ['>', 100, '<', 300] }] }, true],
  ['numeric range exclusive top', { price_usd: [{ numeric: ['>=', 0, '<', 210.75] }] }, false],
  ['numeric does not apply to strings', { store: [{ numeric: ['>', 0] }] }, false],
  ['prefix', { event: [{ prefix: 'order_' }] }, true],
  ['prefix no', { event: [{ prefix: 'invoice_' }] }, false],
  ['prefix on String.Array', { customer_interests: [{ prefix: 'hock' }] }, true],
  ['suffix', { event: [{ suffix: '_placed' }] }, true],
  ['suffix no', { event: [{ suffix: '_cancelled' }] }, false],
  ['equals-ignore-case', { store: [{ 'equals-ignore-case': 'EXAMPLE_CORP' }] }, true],
  ['equals-ignore-case no', { store: [{ 'equals-ignore-case': 'other' }] }, false],
  ['anything-but value', { event: [{ 'anything-but': 'order_cancelled' }] }, true],
  ['anything-but same value', { event: [{ 'anything-but': 'order_placed' }] }, false],
  ['anything-but list', { event: [{ 'anything-but': ['order_cancelled', 'order_placed'] }] }, false],
  ['anything-but number', { price_usd: [{ 'anything-but': [100, 200] }] }, true],
  ['anything-but same number', { price_usd: [{ 'anything-but': 210.75 }] }, false],
  ['anything-but prefix', { event: [{ 'anything-but': { prefix: 'order' } }] }, false],
  ['anything-but other prefix', { event: [{ 'anything-but': { prefix: 'invoice' } }] }, true],
  ['anything-but suffix', { event: [{ 'anything-but': { suffix: 'placed' } }] }, false],
  ['anything-but absent key', { region: [{ 'anything-but': 'eu-west-1' }] }, false],
  ['anything-but on String.Array: one element differs', { customer_interests: [{ 'anything-but': 'rugby' }] }, true],
  ['exists true', { store: [{ exists: true }] }, true],
  ['exists true absent', { region: [{ exists: true }] }, false],
  ['exists false', { region: [{ exists: false }] }, true],
  ['exists false present', { store: [{ exists: false }] }, false],
  ['exists on Binary', { payload: [{ exists: true }] }, true],
  ['Binary attributes are not compared', { payload: ['x'] }, false],
  ['value or exists false', { region: ['us-east-1', { exists: false }] }, true],
  ['cidr IPv4', { source_ip: [{ cidr: '10.0.0.0/24' }] }, true],
  ['cidr IPv4 outside', { source_ip: [{ cidr: '10.0.1.0/24' }] }, false],
  ['cidr /0', { source_ip: [{ cidr: '0.0.0.0/0' }] }, true],
  ['cidr odd mask', { source_ip: [{ cidr: '10.0.0.128/25' }] }, true],
  ['cidr IPv6 on IPv4 value', { source_ip: [{ cidr: '2001:db8::/32' }] }, false],
  ['AND of keys, one fails', { store: ['example_corp'], event: ['order_cancelled'] }, false],
  ['$or first branch', { $or: [{ store: ['example_corp'] }, { event: ['x'] }] }, true],
  ['$or second branch', { $or: [{ store: ['other'] }, { event: ['order_placed'] }] }, true],
  ['$or no branch', { $or: [{ store: ['other'] }, { event: ['x'] }] }, false],
  ['$or with AND outside', { source_ip: [{ cidr: '10.0.0.0/8' }], $or: [{ store: ['other'] }, { price_usd: [{ numeric: ['>', 200] }] }] }, true],
  ['empty policy matches everything', {}, true],
];

for (const [name, policy, expected] of attributeCases) {
  test(`MessageAttributes: ${name}`, () => {
    assert.equal(matchesAttributes(compileFilterPolicy(JSON.stringify(policy)), ATTRIBUTES), expected);
  });
}

test('MessageAttributes: a message without attributes matches only exists:false', () => {
  assert.equal(matchesAttributes(compileFilterPolicy('{"store":["example_corp"]}'), undefined), false);
  assert.equal(matchesAttributes(compileFilterPolicy('{"store":[{"exists":false}]}'), undefined), true);
});

test('MessageAttributes: custom type suffixes and String.Array of numbers', () => {
  const attrs: Record<string, FilterAttribute> = {
    size: { DataType: 'Number.float', StringValue: '3.5' },
    sizes: { DataType: 'String.Array', StringValue: '[1, 2, "three", true, null]' },
  };
  assert.equal(matchesAttributes(compileFilterPolicy('{"size":[{"numeric":[">",3]}]}'), attrs), true);
  assert.equal(matchesAttributes(compileFilterPolicy('{"sizes":[{"numeric":[">=",2,"<",3]}]}'), attrs), true);
  assert.equal(matchesAttributes(compileFilterPolicy('{"sizes":[true]}'), attrs), true);
  assert.equal(matchesAttributes(compileFilterPolicy('{"sizes":[null]}'), attrs), true);
  assert.equal(matchesAttributes(compileFilterPolicy('{"sizes":["three"]}'), attrs), true);
  assert.equal(matchesAttributes(compileFilterPolicy('{"sizes":[3]}'), attrs), false);
});

const bodyCases: [string, object, boolean][] = [
  ['top-level string', { store: ['example_corp'] }, true],
  ['nested key', { delivery: { carrier: ['UPS'] } }, true],
  ['nested key no', { delivery: { carrier: ['FedEx'] } }, false],
  ['nested prefix', { delivery: { speed: [{ prefix: 'exp' }] } }, true],
  ['array of objects', { delivery: { stops: { city: ['Tacoma'] } } }, true],
  ['array of strings', { customer_interests: ['hockey'] }, true],
  ['number', { price_usd: [{ numeric: ['>', 200] }] }, true],
  ['number exact', { price_usd: [210.75] }, true],
  ['boolean', { paid: [true] }, true],
  ['boolean false no', { paid: [false] }, false],
  ['null', { coupon: [null] }, true],
  ['null key exists', { coupon: [{ exists: true }] }, true],
  ['exists false', { refund: [{ exists: false }] }, true],
  ['exists on an object is not a leaf', { delivery: [{ exists: true }] }, false],
  ['cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, true],
  ['cidr IPv6 outside', { ip: [{ cidr: '2001:db9::/32' }] }, false],
  ['$or nested', { $or: [{ delivery: { carrier: ['DHL'] } }, { delivery: { speed: ['express'] } }] }, true],
  ['$or inside a nested key', { delivery: { $or: [{ carrier: ['DHL'] }, { speed: ['standard'] }] } }, false],
  ['anything-but equals-ignore-case', { store: [{ 'anything-but': { 'equals-ignore-case': ['EXAMPLE_CORP'] } }] }, false],
  ['missing nested key', { delivery: { weight: [{ exists: false }] } }, true],
];

for (const [name, policy, expected] of bodyCases) {
  test(`MessageBody: ${name}`, () => {
    assert.equal(matchesBody(compileFilterPolicy(JSON.stringify(policy), 'MessageBody'), BODY), expected);
  });
}

test('MessageBody: a body that is not a JSON object matches nothing', () => {
  const policy = compileFilterPolicy('{"a":[{"exists":false}]}', 'MessageBody');
  assert.equal(matchesBody(policy, 'plain text'), false);
  assert.equal(matchesBody(policy, '[1,2]'), false);
  assert.equal(matchesBody(policy, '{}'), true);
});

const invalid: [string, string, string, FilterPolicyScope?][] = [
  ['not JSON', '{invalid', 'FilterPolicy: failed to parse JSON.'],
  ['six keys', JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }), 'FilterPolicy: Filter policy can not have more than 5 keys'],
  ['too many combinations', JSON.stringify({ a: range(10), b: range(10), c: range(2) }), 'FilterPolicy: Filter policy is too complex'],
  ['the guide\'s nested example is too complex past 150', JSON.stringify({ key_a: { key_b: { key_c: range(4) } }, key_d: { key_e: range(3) }, key_f: range(3) }), 'FilterPolicy: Filter policy is too complex', 'MessageBody'],
  ['scalar value', '{"a":"b"}', 'FilterPolicy: "a" must be an object or an array'],
  ['empty array', '{"a":[]}', 'FilterPolicy: Empty arrays are not allowed'],
  ['nested attributes', '{"a":{"b":["c"]}}', 'Filter policy scope MessageAttributes does not support nested filter policy'],
  ['nested value', '{"a":[["b"]]}', 'FilterPolicy: Match value must be String, number, true, false, or null'],
  ['two operators', '{"a":[{"prefix":"x","suffix":"y"}]}', 'FilterPolicy: Only one key allowed in match expression'],
  ['unknown operator', '{"a":[{"wildcard":"x*"}]}', 'FilterPolicy: Unrecognized match type wildcard'],
  ['prefix number', '{"a":[{"prefix":5}]}', 'FilterPolicy: prefix match pattern must be a string'],
  ['suffix number', '{"a":[{"suffix":5}]}', 'FilterPolicy: suffix match pattern must be a string'],
  ['equals-ignore-case number', '{"a":[{"equals-ignore-case":5}]}', 'FilterPolicy: equals-ignore-case match pattern must be a string'],
  ['exists string', '{"a":[{"exists":"true"}]}', 'FilterPolicy: exists match pattern must be either true or false.'],
  ['numeric empty', '{"a":[{"numeric":[]}]}', 'FilterPolicy: Invalid member in numeric match: ]'],
  ['numeric bad operator', '{"a":[{"numeric":["!=",5]}]}', 'FilterPolicy: Unrecognized numeric range operator: !='],
  ['numeric non-number', '{"a":[{"numeric":["=","5"]}]}', 'FilterPolicy: Value of equals must be numeric'],
  ['numeric non-number >', '{"a":[{"numeric":[">","5"]}]}', 'FilterPolicy: Value of > must be numeric'],
  ['numeric upper first', '{"a":[{"numeric":["<",5,">",1]}]}', 'FilterPolicy: Too many elements in numeric expression'],
  ['numeric bad second operator', '{"a":[{"numeric":[">",1,">",5]}]}', 'FilterPolicy: Bad numeric range operator: >'],
  ['numeric bottom above top', '{"a":[{"numeric":[">",5,"<",1]}]}', 'FilterPolicy: Bottom must be less than top'],
  ['numeric too many terms', '{"a":[{"numeric":[">",1,"<",5,"<",6]}]}', 'FilterPolicy: Too many terms in numeric range expression'],
  ['cidr without slash', '{"a":[{"cidr":"10.0.0.1"}]}', "FilterPolicy: Malformed CIDR, one '/' required"],
  ['cidr mask', '{"a":[{"cidr":"10.0.0.0/x"}]}', 'FilterPolicy: Malformed CIDR, mask bits must be an integer'],
  ['cidr address', '{"a":[{"cidr":"10.0.0/8"}]}', 'FilterPolicy: Nonstandard IP address: 10.0.0'],
  ['cidr number', '{"a":[{"cidr":10}]}', 'FilterPolicy: prefix match pattern must be a string'],
  ['anything-but exists', '{"a":[{"anything-but":{"exists":true}}]}', 'FilterPolicy: Unsupported anything-but pattern: exists'],
];

function range(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `v${i}`);
}

for (const [name, text, message, scope] of invalid) {
  test(`invalid policy: ${name}`, () => {
    assert.throws(() => compileFilterPolicy(text, scope), (e: unknown) => e instanceof FilterPolicyError && e.message === message);
  });
}

test('the guide\'s nested combination example counts 72', () => {
  // 3 x 4 x 2 x 3 = 72: four values three levels deep, three values two levels deep.
  const ok = JSON.stringify({ key_a: { key_b: { key_c: range(4) } }, key_d: { key_e: range(3) } });
  assert.doesNotThrow(() => compileFilterPolicy(ok, 'MessageBody'));
});
