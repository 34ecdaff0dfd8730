/**
 * The rest-xml writer's fast paths: ISO 8601 timestamps written like Date#toISOString
 * (whatever day the cached date part belongs to), scalar types that need no escaping,
 * and lists joined into one string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../models/model.js';
import { isoTimestamp, shapeWriter } from './xml-writer.js';

test('isoTimestamp writes exactly what toISOString writes, across days, years, leap days and before 1970', () => {
  const samples = [
    0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -1, -86_400_000, -86_400_001,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 500),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(1900, 0, 1), -62_167_219_200_000,
  ];
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    samples.push(Math.floor((x / 2147483648) * 4_000_000_000_000) - 500_000_000_000);
  }
  for (const ms of samples) assert.equal(isoTimestamp(new Date(ms)), new Date(ms).toISOString(), String(ms));
  // The same day again after another day, then epoch seconds and text, as formatTimestamp takes them.
  assert.equal(isoTimestamp(new Date('2024-01-02T03:04:05.678Z')), '2024-01-02T03:04:05.678Z');
  assert.equal(isoTimestamp(1_700_000_000.5), '2023-11-14T22:13:20.500Z');
  assert.equal(isoTimestamp('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z');
  // Years outside 0000-9999 take toISOString's extended form.
  assert.equal(isoTimestamp(new Date(Date.UTC(10000, 0, 1))), '+010000-01-01T00:00:00.000Z');
  assert.equal(isoTimestamp(new Date(-62_167_219_200_001)), '-000001-12-31T23:59:59.999Z');
  assert.throws(() => isoTimestamp(new Date(NaN)), RangeError);
});

test('numbers, booleans and timestamps are written unescaped; strings where they belong are still escaped; lists of one and many', () => {
  const model = loadModel('s3');
  const write = shapeWriter(model.shapes.get('ListObjectsV2Output')!);
  const t = new Date('2024-01-02T03:04:05.678Z');
  const item = (key: string, size: unknown) => ({ Key: key, LastModified: t, ETag: '"e"', Size: size });
  assert.equal(write({ IsTruncated: false, Contents: [item('a&b', 5)], KeyCount: 1 }, 'R', ''),
    '<R><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>"e"</ETag><Size>5</Size></Contents><KeyCount>1</KeyCount></R>');
  assert.equal(write({ Contents: [item('k1', 1), null, item('k<2', '<7>')] }, 'R', ''),
    '<R><Contents><Key>k1</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>"e"</ETag><Size>1</Size></Contents>'
    + '<Contents><Key>k&lt;2</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>"e"</ETag><Size>&lt;7&gt;</Size></Contents></R>');
  assert.equal(write({ Contents: [] }, 'R', ''), '<R></R>');
});
