/** The XML writer helpers: escaping every parser AWS clients use reads back exactly, and scalar text forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, escapeXmlAttribute, formatBlob, formatFloat, formatTimestamp } from './writer.js';

test('escapeXml: markup characters, CR and C0 controls; plain text is returned as is', () => {
  const plain = 'Hello, world: 😀 ümlaut \t tab \n newline \'single\'';
  assert.equal(escapeXml(plain), plain);
  assert.equal(escapeXml('a&b<c>d"e\rf\u0000g\u001fh'), 'a&amp;b&lt;c&gt;d&quot;e&#xD;f&#x0;g&#x1F;h');
  assert.equal(escapeXmlAttribute('x\ny\tz"&'), 'x&#xA;y&#x9;z&quot;&amp;');
});

test('timestamps: ISO 8601 with milliseconds by default; epoch seconds and RFC 822 on request', () => {
  const d = new Date('2011-07-15T23:28:33.359Z');
  assert.equal(formatTimestamp(d), '2011-07-15T23:28:33.359Z');
  assert.equal(formatTimestamp(1310772513.359), '2011-07-15T23:28:33.359Z');
  assert.equal(formatTimestamp('2011-07-15T23:28:33Z'), '2011-07-15T23:28:33.000Z');
  assert.equal(formatTimestamp(d, 'unixTimestamp'), '1310772513.359');
  assert.equal(formatTimestamp(d, 'rfc822'), 'Fri, 15 Jul 2011 23:28:33 GMT');
});

test('blobs as base64 and floats with AWS spellings of non-finite values', () => {
  assert.equal(formatBlob(Buffer.from([0, 255])), 'AP8=');
  assert.equal(formatBlob(new Uint8Array([1, 2, 3]).subarray(1)), 'AgM=');
  assert.equal(formatBlob('hi'), 'aGk=');
  assert.deepEqual([NaN, Infinity, -Infinity, 1.5, 0].map(formatFloat), ['NaN', 'Infinity', '-Infinity', '1.5', '0']);
});
