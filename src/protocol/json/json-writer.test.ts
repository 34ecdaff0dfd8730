/**
 * json-writer's RawJson: wire JSON text spliced verbatim into a response body, in the
 * places a structure member, a list element or a map value would be; the same text
 * as converting the parsed value would give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../models/model.js';
import { RAW_PLACEHOLDER, RawJson, toJsonWire, writeJson } from './json-writer.js';

const model = loadModel('dynamodb');
const shape = (op: string) => model.operations.get(op)!.output!;

const ITEM = '{"pk":{"S":"a\\"b\\u0000"},"bin":{"B":"AQID"},"m":{"M":{"l":{"L":[{"N":"1"},{"NULL":true}]}}}}';

test('a RawJson member, list element and map value are written verbatim', () => {
  const get = writeJson(shape('GetItem'), { Item: new RawJson(ITEM), ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } });
  assert.equal(get, `{"Item":${ITEM},"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}}`);
  const query = writeJson(shape('Query'), { Items: [new RawJson(ITEM), new RawJson('{"pk":{"S":"z"}}')], Count: 2, ScannedCount: 2, LastEvaluatedKey: { pk: { S: 'z' } } });
  assert.equal(query, `{"Items":[${ITEM},{"pk":{"S":"z"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"pk":{"S":"z"}}}`);
  const batch = writeJson(shape('BatchGetItem'), { Responses: { t: [new RawJson(ITEM)] }, UnprocessedKeys: {} });
  assert.equal(batch, `{"Responses":{"t":[${ITEM}]},"UnprocessedKeys":{}}`);
  assert.deepEqual(JSON.parse(query), { Items: [JSON.parse(ITEM), { pk: { S: 'z' } }], Count: 2, ScannedCount: 2, LastEvaluatedKey: { pk: { S: 'z' } } });
});

test('a list mixing RawJson and parsed items is written element by element', () => {
  const out = writeJson(shape('Query'), { Items: [{ pk: { S: 'y' } }, new RawJson(ITEM), { pk: { S: 'z' } }], Count: 3, ScannedCount: 3 });
  assert.equal(out, `{"Items":[{"pk":{"S":"y"}},${ITEM},{"pk":{"S":"z"}}],"Count":3,"ScannedCount":3}`);
  assert.equal(writeJson(shape('Query'), { Items: [], Count: 0, ScannedCount: 0 }), '{"Items":[],"Count":0,"ScannedCount":0}');
});

test('a response that holds the placeholder text itself is written from parsed values instead', () => {
  const out = writeJson(shape('Query'), { Items: [new RawJson(ITEM)], Count: 1, ScannedCount: 1, LastEvaluatedKey: { pk: { S: RAW_PLACEHOLDER } } });
  assert.equal(out, `{"Items":[${ITEM}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"pk":{"S":${JSON.stringify(RAW_PLACEHOLDER)}}}}`);
  // toJsonWire (error bodies) yields parsed values.
  assert.deepEqual(toJsonWire(shape('GetItem'), { Item: new RawJson(ITEM) }), { Item: JSON.parse(ITEM) });
});

test('RawJson meets JSON.stringify elsewhere as its parsed value', () => {
  assert.equal(JSON.stringify({ x: new RawJson('{"a":[1]}') }), '{"x":{"a":[1]}}');
});
