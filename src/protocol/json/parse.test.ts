/**
 * awsJson request parsing of input no SDK would send: malformed JSON, values of
 * the wrong type, nulls, unknown members and targets. Messages are the ones
 * DynamoDB answers with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../models/model.js';
import { isServiceError } from '../../shared/errors.js';
import type { WireRequest } from '../types.js';
import { jsonCodec } from './codec.js';

const dynamodb = loadModel('dynamodb');
const cloudwatch = loadModel('monitoring');

function request(target: string | undefined, body: string): WireRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['x-amz-target'] = target;
  return { method: 'POST', path: '/', rawQuery: '', query: {}, headers, body: Buffer.from(body), host: 'localhost' };
}

function parse(target: string, body: string, model = dynamodb): Record<string, unknown> {
  const req = request(target, body);
  const op = jsonCodec.resolveOperation(req, model);
  assert.ok(op, `operation for ${target}`);
  return jsonCodec.parseRequest(req, op, model);
}

function parseError(target: string, body: string, model = dynamodb): { code: string; message: string; status: number | undefined } {
  try {
    parse(target, body, model);
  } catch (e) {
    assert.ok(isServiceError(e), `not a ServiceError: ${String(e)}`);
    return { code: e.code, message: e.message, status: e.status };
  }
  assert.fail('expected a SerializationException');
}

const serialization = (message: string) => ({ code: 'SerializationException', message, status: 400 });

test('resolveOperation: X-Amz-Target must name the model\'s target prefix and an operation', () => {
  assert.equal(jsonCodec.resolveOperation(request('DynamoDB_20120810.PutItem', '{}'), dynamodb)?.name, 'PutItem');
  assert.equal(jsonCodec.resolveOperation(request('DynamoDB_20120810.Nope', '{}'), dynamodb), undefined);
  assert.equal(jsonCodec.resolveOperation(request('DynamoDB_20111205.PutItem', '{}'), dynamodb), undefined);
  assert.equal(jsonCodec.resolveOperation(request('PutItem', '{}'), dynamodb), undefined);
  assert.equal(jsonCodec.resolveOperation(request(undefined, '{}'), dynamodb), undefined);
});

test('empty body is {}, null members are absent, unknown members are ignored', () => {
  assert.deepEqual(parse('DynamoDB_20120810.ListTables', ''), {});
  assert.deepEqual(parse('DynamoDB_20120810.ListTables', '{"Limit":null,"Bogus":1,"ExclusiveStartTableName":"a"}'), { ExclusiveStartTableName: 'a' });
  assert.deepEqual(parse('DynamoDB_20120810.GetItem', '{"TableName":"t","Key":{"a":{"S":"x","N":null}},"AttributesToGet":["a",null]}'),
    { TableName: 't', Key: { a: { S: 'x' } }, AttributesToGet: ['a'] });
  // A decimal given for an integer is truncated, as AWS does.
  assert.deepEqual(parse('DynamoDB_20120810.ListTables', '{"Limit":3.9}'), { Limit: 3 });
});

test('malformed JSON is a SerializationException without a message', () => {
  assert.deepEqual(parseError('DynamoDB_20120810.ListTables', '{"Limit":'), serialization(''));
  assert.deepEqual(parseError('DynamoDB_20120810.ListTables', 'not json'), serialization(''));
  const res = jsonCodec.serializeError((() => { try { parse('DynamoDB_20120810.ListTables', '{'); } catch (e) { if (isServiceError(e)) return e; } throw new Error('no error'); })(), undefined, dynamodb, { requestId: 'r' });
  assert.equal(res.statusCode, 400);
  assert.equal(String(res.body), '{"__type":"com.amazon.coral.service#SerializationException"}');
});

test('a value of the wrong JSON type is a SerializationException with Coral\'s message', () => {
  const cases: [string, string, string][] = [
    ['DynamoDB_20120810.DescribeTable', '{"TableName":5}', 'NUMBER_VALUE cannot be converted to String'],
    ['DynamoDB_20120810.DescribeTable', '{"TableName":1.5}', 'DECIMAL_VALUE cannot be converted to String'],
    ['DynamoDB_20120810.DescribeTable', '{"TableName":true}', 'TRUE_VALUE cannot be converted to String'],
    ['DynamoDB_20120810.DescribeTable', '{"TableName":[]}', 'Unrecognized collection type class java.lang.String'],
    ['DynamoDB_20120810.DescribeTable', '{"TableName":{}}', 'Start of structure or map found where not expected'],
    ['DynamoDB_20120810.ListTables', '{"Limit":"5"}', 'STRING_VALUE cannot be converted to Integer'],
    ['DynamoDB_20120810.ListTables', '{"Limit":false}', 'FALSE_VALUE cannot be converted to Integer'],
    ['DynamoDB_20120810.GetItem', '{"ConsistentRead":"true"}', 'Unexpected token received from parser'],
    ['DynamoDB_20120810.GetItem', '{"ConsistentRead":1}', 'NUMBER_VALUE cannot be converted to Boolean'],
    ['DynamoDB_20120810.GetItem', '{"AttributesToGet":"a"}', 'Unexpected field type'],
    ['DynamoDB_20120810.GetItem', '{"AttributesToGet":{}}', 'Start of structure or map found where not expected'],
    ['DynamoDB_20120810.GetItem', '{"Key":[]}', 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>'],
    ['DynamoDB_20120810.GetItem', '{"Key":"k"}', 'Unexpected field type'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":"k"}}', 'Unexpected value type in payload'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":[]}}', 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":{"B":5}}}', 'only base-64-encoded strings are convertible to bytes'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":{"B":"23456"}}}', 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":{"B":"+/+="}}}', 'Invalid last non-pad Base64 character dectected'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":{"B":"=+/="}}}', 'Invalid last non-pad Base64 character dectected'],
    ['DynamoDB_20120810.GetItem', '{"Key":{"a":{"L":[{"S":1}]}}}', 'NUMBER_VALUE cannot be converted to String'],
    ['DynamoDB_20120810.ListTables', '[]', 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ListTablesInput'],
    ['DynamoDB_20120810.ListTables', '"x"', 'Unexpected field type'],
  ];
  for (const [target, body, message] of cases) assert.deepEqual(parseError(target, body), serialization(message), body);
});

test('timestamps: epoch seconds (fractional) and date strings; blobs: base64', () => {
  const input = parse('GraniteServiceVersion20100801.GetMetricStatistics',
    '{"Namespace":"n","MetricName":"m","StartTime":1700000000.5,"EndTime":"2023-11-14T23:13:20Z","Period":60}', cloudwatch);
  assert.deepEqual(input, { Namespace: 'n', MetricName: 'm', StartTime: new Date(1700000000500), EndTime: new Date('2023-11-14T23:13:20Z'), Period: 60 });
  assert.deepEqual(parseError('GraniteServiceVersion20100801.GetMetricStatistics', '{"StartTime":"yesterday"}', cloudwatch), serialization('STRING_VALUE cannot be converted to Date'));
  assert.deepEqual(parseError('GraniteServiceVersion20100801.GetMetricStatistics', '{"StartTime":true}', cloudwatch), serialization('TRUE_VALUE cannot be converted to Date'));
  assert.deepEqual(parse('DynamoDB_20120810.GetItem', '{"Key":{"a":{"B":"AAEC/w=="}}}'), { Key: { a: { B: Buffer.from([0, 1, 2, 255]) } } });
});

test('floats accept the awsJson spellings of NaN and Infinity', () => {
  const input = parse('GraniteServiceVersion20100801.PutMetricData', '{"Namespace":"n","MetricData":[{"MetricName":"m","Value":"NaN","Values":["Infinity","-Infinity",1]}]}', cloudwatch);
  assert.deepEqual(input, { Namespace: 'n', MetricData: [{ MetricName: 'm', Value: Number.NaN, Values: [Infinity, -Infinity, 1] }] });
});
