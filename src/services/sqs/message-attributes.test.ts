import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAttributes, selectAttributes, attributeFilter, forbiddenCharacter, characterName, md5OfBody } from './message-attributes.js';

test('MD5 of message attributes matches AWS for a Number attribute (SQS Developer Guide algorithm)', () => {
  assert.equal(encodeAttributes({ timestamp: { DataType: 'Number', StringValue: '1493147359900' } })?.md5, '235c5c510d26fb653d073faed50ae77c');
});

test('attributes are digested in name order whatever the order given', () => {
  const a = encodeAttributes({ b: { DataType: 'String', StringValue: '2' }, a: { DataType: 'Binary', BinaryValue: Buffer.from([9]) } });
  const b = encodeAttributes({ a: { DataType: 'Binary', BinaryValue: Buffer.from([9]) }, b: { DataType: 'String', StringValue: '2' } });
  assert.equal(a?.md5, b?.md5);
  assert.equal(a?.size, 'a'.length + 'Binary'.length + 1 + 'b'.length + 'String'.length + 1);
});

test('the stored form decodes to the attributes; a subset is digested as if sent alone', () => {
  const all = encodeAttributes({ 'x.1': { DataType: 'String', StringValue: 'one' }, 'x.2': { DataType: 'Binary', BinaryValue: Buffer.from([0, 255]) }, y: { DataType: 'Number.int', StringValue: '7' } })!;
  const sel = selectAttributes(all.bytes, attributeFilter(['x.*'])!)!;
  assert.deepEqual(sel.attributes, { 'x.1': { DataType: 'String', StringValue: 'one' }, 'x.2': { DataType: 'Binary', BinaryValue: Buffer.from([0, 255]) } });
  assert.equal(sel.md5, encodeAttributes({ 'x.1': { DataType: 'String', StringValue: 'one' }, 'x.2': { DataType: 'Binary', BinaryValue: Buffer.from([0, 255]) } })!.md5);
  assert.equal(selectAttributes(all.bytes, attributeFilter(['All'])!)!.md5, all.md5);
  assert.equal(selectAttributes(all.bytes, attributeFilter(['z'])!), undefined);
  assert.equal(attributeFilter([]), undefined);
});

test('the digest computed at send time is reused when a receive keeps every attribute, never for a subset', () => {
  const all = encodeAttributes({ 'x.1': { DataType: 'String', StringValue: 'one' }, y: { DataType: 'Number', StringValue: '7' } })!;
  assert.equal(selectAttributes(all.bytes, attributeFilter(['All'])!, all.md5)!.md5, all.md5);
  assert.equal(selectAttributes(all.bytes, attributeFilter(['x.1', 'y'])!, 'stored digest')!.md5, 'stored digest');
  assert.equal(selectAttributes(all.bytes, attributeFilter(['y'])!, 'stored digest')!.md5, encodeAttributes({ y: { DataType: 'Number', StringValue: '7' } })!.md5);
});

test('forbidden characters: controls, lone surrogates and U+FFFE/U+FFFF; astral characters are allowed', () => {
  assert.equal(forbiddenCharacter('ok\t\n\r text é 😀'), -1);
  assert.equal(forbiddenCharacter('a\u0000'), 1);
  assert.equal(forbiddenCharacter('\uFFFF'), 0);
  assert.equal(forbiddenCharacter('x\uD800y'), 1);
  assert.equal(characterName('\u0007', 0), '#x7');
  assert.equal(characterName('\uFFFE', 0), '#xFFFE');
});

test('attribute checks: names, types, empty and non-numeric values, count', () => {
  assert.throws(() => encodeAttributes({ 'AWS.x': { DataType: 'String', StringValue: 'v' } }), /attribute name 'AWS.x' is invalid/);
  assert.throws(() => encodeAttributes({ 'a..b': { DataType: 'String', StringValue: 'v' } }), /attribute name 'a..b' is invalid/);
  assert.throws(() => encodeAttributes({ n: { DataType: 'Number', StringValue: '1e' } }), /Can't cast the value of message \(user\) attribute 'n' to a number\./);
  assert.equal(encodeAttributes({ n: { DataType: 'Number', StringValue: '-1.5E+10' } })?.md5.length, 32);
  assert.equal(encodeAttributes({}), undefined);
  assert.equal(md5OfBody('hello'), '5d41402abc4b2a76b9719d911017c592');
});
