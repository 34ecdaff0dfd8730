/**
 * awsJson codec against the real SDK v3 clients: the request each client
 * serializes must parse back into the exact input, and what the codec
 * serializes must parse, through the client, into the exact output or error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { DynamoDBClient, PutItemCommand, QueryCommand, DescribeTableCommand, GetItemCommand, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { SQSClient, SendMessageCommand, ReceiveMessageCommand, GetQueueUrlCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { KinesisClient, PutRecordCommand, GetRecordsCommand } from '@aws-sdk/client-kinesis';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { jsonCodec } from './codec.js';
import { buffersOf, CLIENT_CONFIG, makeOracle, withoutMetadata } from './sdk-oracle.test-helper.js';

const meta = { requestId: 'req-1' };

function dynamo() {
  const model = loadModel('dynamodb');
  const oracle = makeOracle(jsonCodec, model);
  const client = new DynamoDBClient({ ...CLIENT_CONFIG, requestHandler: oracle.handler });
  return { model, client, state: oracle.state };
}

test('DynamoDB PutItem: nested maps, lists, sets, binary and numbers parse into the exact input', async () => {
  const { client, state, model } = dynamo();
  const input = {
    TableName: 'things',
    Item: {
      pk: { S: 'user#1' },
      n: { N: '123.4500' },
      bin: { B: Buffer.from([0, 1, 2, 250, 255]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '-2.5e10'] },
      bs: { BS: [Buffer.from('x'), Buffer.alloc(0)] },
      nul: { NULL: true },
      flag: { BOOL: false },
      nested: { M: { list: { L: [{ S: 'deep' }, { M: { b: { B: Buffer.from('hi') } } }, { L: [] }] }, empty: { M: {} } } },
      ['__proto__']: { S: 'not a prototype' },
    },
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValues: 'ALL_OLD' as const,
  };
  let body = '';
  state.respond = (op, parsed) => {
    const res = jsonCodec.serializeResponse({ Attributes: parsed!.Item }, op!, model, meta);
    body = String(res.body);
    return res;
  };
  const out = await client.send(new PutItemCommand(input));
  assert.equal(state.op?.name, 'PutItem');
  assert.deepEqual(state.input, input);
  assert.equal(Object.getPrototypeOf((state.input as { Item: object }).Item), Object.prototype);
  // The SDK itself drops a '__proto__' attribute when it parses; the wire still carries it.
  assert.match(body, /"__proto__":\{"S":"not a prototype"\}/);
  const { ['__proto__']: _p, ...rest } = input.Item;
  assert.deepEqual(withoutMetadata(out), { Attributes: { ...rest, ['__proto__']: undefined } });
  assert.equal(out.$metadata.requestId, 'req-1');
});

test('DynamoDB Query: ExpressionAttributeValues in, Items with binary and doubles out', async () => {
  const { client, state, model } = dynamo();
  const input = {
    TableName: 't', IndexName: 'gsi', KeyConditionExpression: '#k = :v AND begins_with(sk, :p)',
    ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':v': { S: 'a' }, ':p': { B: Buffer.from('pre') } },
    Limit: 25, ScanIndexForward: false, ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '5' } }, ReturnConsumedCapacity: 'TOTAL' as const,
  };
  const output = {
    Items: [{ pk: { S: 'a' }, sk: { B: Buffer.from('pre-1') } }, { pk: { S: 'a' }, sk: { BS: [Buffer.from('z')] } }],
    Count: 2, ScannedCount: 3, LastEvaluatedKey: { pk: { S: 'a' }, sk: { N: '7' } },
    ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } },
  };
  state.respond = (op) => jsonCodec.serializeResponse(output, op!, model, meta);
  const out = await client.send(new QueryCommand(input));
  assert.deepEqual(state.input, input);
  assert.deepEqual(withoutMetadata(out), output);
});

test('DynamoDB DescribeTable: timestamps and nested structures reach the SDK exactly', async () => {
  const { client, state, model } = dynamo();
  const created = new Date(1700000000123);
  const output: Omit<DescribeTableCommandOutput, '$metadata'> = {
    Table: {
      TableName: 't', TableStatus: 'ACTIVE', CreationDateTime: created, ItemCount: 0, TableSizeBytes: 0,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0, LastIncreaseDateTime: new Date(1600000000000) },
      GlobalSecondaryIndexes: [{ IndexName: 'g', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] }, IndexStatus: 'ACTIVE' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t', DeletionProtectionEnabled: false,
    },
  };
  state.respond = (op) => jsonCodec.serializeResponse(output, op!, model, meta);
  const out = await client.send(new DescribeTableCommand({ TableName: 't' }));
  assert.deepEqual(state.input, { TableName: 't' });
  assert.deepEqual(withoutMetadata(out), output);
  const res = jsonCodec.serializeResponse(output, model.operations.get('DescribeTable')!, model, meta);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.headers, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'req-1', 'Content-Length': (res.body as Buffer).length, 'x-amz-crc32': crc32(res.body as Buffer) });
  assert.match((res.body as Buffer).toString(), /"CreationDateTime":1700000000\.123,/);
});

test('DynamoDB errors: modelled error with fields, framework errors, server faults', async () => {
  const { client, state, model } = dynamo();
  const item = { pk: { S: 'a' }, b: { B: Buffer.from('old') } };
  state.respond = (op) => jsonCodec.serializeError(new ServiceError('ConditionalCheckFailedException', 'The conditional request failed', { fields: { Item: item } }), op, model, meta);
  const e1 = await client.send(new PutItemCommand({ TableName: 't', Item: { pk: { S: 'a' } } })).catch((e: unknown) => e) as Record<string, unknown>;
  assert.equal(e1.name, 'ConditionalCheckFailedException');
  assert.equal(e1.message, 'The conditional request failed');
  assert.deepEqual(buffersOf(e1.Item), item);
  assert.equal((e1.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
  assert.equal(e1.$fault, 'client');

  const res = jsonCodec.serializeError(new ServiceError('ResourceNotFoundException', 'Requested resource not found'), undefined, model, meta);
  assert.equal(res.statusCode, 400);
  assert.deepEqual(JSON.parse((res.body as Buffer).toString()), { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  assert.equal(res.headers['x-amzn-ErrorType'], 'ResourceNotFoundException');
  assert.equal(res.headers['x-amzn-query-error'], undefined);

  state.respond = (op) => jsonCodec.serializeError(new ServiceError('ValidationException', 'One or more parameter values were invalid'), op, model, meta);
  const e2 = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })).catch((e: unknown) => e) as Record<string, unknown>;
  assert.equal(e2.name, 'ValidationException');
  assert.equal(e2.message, 'One or more parameter values were invalid');
  assert.equal(JSON.parse(String((state.respond(undefined, undefined).body as Buffer))).__type, 'com.amazon.coral.validate#ValidationException');

  state.respond = (op) => jsonCodec.serializeError(new ServiceError('InternalServerError', 'Internal server error'), op, model, meta);
  const e3 = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })).catch((e: unknown) => e) as Record<string, unknown>;
  assert.equal(e3.name, 'InternalServerError');
  assert.equal((e3.$metadata as { httpStatusCode: number }).httpStatusCode, 500);
  assert.equal(e3.$fault, 'server');
});

test('SQS SendMessage with binary MessageAttributes, ReceiveMessage output', async () => {
  const model = loadModel('sqs');
  const { state, handler } = makeOracle(jsonCodec, model);
  const client = new SQSClient({ ...CLIENT_CONFIG, requestHandler: handler });
  const body = 'héllo wörld';
  const md5 = createHash('md5').update(body).digest('hex');
  const input = {
    QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: body, DelaySeconds: 2,
    MessageAttributes: {
      bin: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      str: { DataType: 'String', StringValue: 'v' },
      num: { DataType: 'Number.int', StringValue: '42' },
    },
    MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1' } },
  };
  state.respond = (op) => jsonCodec.serializeResponse({ MessageId: 'm-1', MD5OfMessageBody: md5, MD5OfMessageAttributes: '0'.repeat(32) }, op!, model, meta);
  const sent = await client.send(new SendMessageCommand(input));
  assert.equal(state.request?.headers['x-amz-target'], 'AmazonSQS.SendMessage');
  assert.deepEqual(state.input, input);
  assert.deepEqual(withoutMetadata(sent), { MessageId: 'm-1', MD5OfMessageBody: md5, MD5OfMessageAttributes: '0'.repeat(32) });

  const output = {
    Messages: [{
      MessageId: 'm-1', ReceiptHandle: 'rh', MD5OfBody: md5, Body: body,
      Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' },
      MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) }, list: { DataType: 'String', StringListValues: ['a'], BinaryListValues: [Buffer.from('b')] } },
    }],
  };
  state.respond = (op) => jsonCodec.serializeResponse(output, op!, model, meta);
  const rin = { QueueUrl: input.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All' as const] };
  const received = await client.send(new ReceiveMessageCommand(rin));
  assert.deepEqual(state.input, rin);
  assert.deepEqual(withoutMetadata(received), output);
});

test('SQS errors carry x-amzn-query-error, and the SDK reports the query code', async () => {
  const model = loadModel('sqs');
  const { state, handler } = makeOracle(jsonCodec, model);
  const client = new SQSClient({ ...CLIENT_CONFIG, requestHandler: handler });
  state.respond = (op) => jsonCodec.serializeError(new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.'), op, model, meta);
  const res = state.respond(undefined, undefined);
  assert.equal(res.statusCode, 400);
  assert.equal(res.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
  assert.deepEqual(JSON.parse(String(res.body)), { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  const e = await client.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((err: unknown) => err) as Record<string, unknown>;
  assert.equal(e.name, 'QueueDoesNotExist');
  assert.equal(e.Code, 'AWS.SimpleQueueService.NonExistentQueue');
  assert.equal(e.Type, 'Sender');
  assert.equal(e.message, 'The specified queue does not exist.');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 400);

  // A service may also throw with the query code itself; the wire is the same.
  const same = jsonCodec.serializeError(new ServiceError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.'), undefined, model, meta);
  assert.equal(String(same.body), String(res.body));
  assert.equal(same.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');

  // An unmodelled query error keeps its code in both places.
  state.respond = (op) => jsonCodec.serializeError(new ServiceError('InvalidParameterValue', 'Value abc for parameter ReceiptHandle is invalid.'), op, model, meta);
  const e2 = await client.send(new DeleteMessageCommand({ QueueUrl: 'http://localhost:4566/000000000000/q', ReceiptHandle: 'abc' })).catch((err: unknown) => err) as Record<string, unknown>;
  assert.equal(e2.name, 'InvalidParameterValue');
  assert.equal(e2.Code, 'InvalidParameterValue');
  assert.equal(e2.message, 'Value abc for parameter ReceiptHandle is invalid.');
  assert.equal(state.respond(undefined, undefined).headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
});

test('Kinesis PutRecord blob in, GetRecords timestamps and blobs out (json 1.1)', async () => {
  const model = loadModel('kinesis');
  const { state, handler } = makeOracle(jsonCodec, model);
  const client = new KinesisClient({ ...CLIENT_CONFIG, requestHandler: handler });
  const input = { StreamName: 's', Data: Buffer.from('{"event":1}\n\u0000'), PartitionKey: 'pk', ExplicitHashKey: '1' };
  state.respond = (op) => jsonCodec.serializeResponse({ ShardId: 'shardId-000000000000', SequenceNumber: '4960', EncryptionType: 'NONE' }, op!, model, meta);
  const put = await client.send(new PutRecordCommand(input));
  assert.equal(state.request?.headers['content-type'], 'application/x-amz-json-1.1');
  assert.deepEqual(state.input, input);
  assert.deepEqual(withoutMetadata(put), { ShardId: 'shardId-000000000000', SequenceNumber: '4960', EncryptionType: 'NONE' });

  const output = {
    Records: [{ SequenceNumber: '1', ApproximateArrivalTimestamp: new Date(1700000000001), Data: Buffer.from([0, 255]), PartitionKey: 'pk' }],
    NextShardIterator: 'it-2', MillisBehindLatest: 0,
  };
  state.respond = (op) => {
    const res = jsonCodec.serializeResponse(output, op!, model, meta);
    assert.equal(res.headers['Content-Type'], 'application/x-amz-json-1.1');
    return res;
  };
  const got = await client.send(new GetRecordsCommand({ ShardIterator: 'it-1', Limit: 10 }));
  assert.deepEqual(withoutMetadata(got), output);
});

test('CloudWatch over JSON: PutMetricData timestamps in, GetMetricData out, query-compatible errors', async () => {
  const model = loadModel('monitoring');
  const { state, handler } = makeOracle(jsonCodec, model);
  const client = new CloudWatchClient({ ...CLIENT_CONFIG, requestHandler: handler });
  const input = {
    Namespace: 'App', MetricData: [
      { MetricName: 'Latency', Timestamp: new Date(1700000000500), Value: 1.25, Unit: 'Milliseconds' as const, Dimensions: [{ Name: 'Api', Value: 'get' }], StorageResolution: 1 },
      { MetricName: 'Count', Values: [1, 2.5], Counts: [3, 4], StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 } },
    ],
  };
  state.respond = (op) => jsonCodec.serializeResponse({}, op!, model, meta);
  await client.send(new PutMetricDataCommand(input));
  assert.equal(state.request?.headers['x-amz-target'], 'GraniteServiceVersion20100801.PutMetricData');
  assert.deepEqual(state.input, input);

  // Over 10 KB the SDK gzips the body (the requestcompression trait).
  const large = { Namespace: 'App', MetricData: Array.from({ length: 200 }, (_, i) => ({ MetricName: `metric-${i}`, Value: i, Timestamp: new Date(1700000000000 + i), Dimensions: [{ Name: 'a', Value: 'b'.repeat(50) }] })) };
  await client.send(new PutMetricDataCommand(large));
  assert.equal(state.request?.headers['content-encoding'], 'gzip');
  assert.deepEqual(state.input, large);

  const gin = { MetricDataQueries: [{ Id: 'q1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency' }, Period: 60, Stat: 'Average' } }], StartTime: new Date(1700000000000), EndTime: new Date(1700003600000) };
  const output = {
    MetricDataResults: [{ Id: 'q1', Label: 'Latency', Timestamps: [new Date(1700000060000), new Date(1700000000000)], Values: [1.5, Number.NaN], StatusCode: 'Complete' as const }],
    Messages: [],
  };
  state.respond = (op) => jsonCodec.serializeResponse(output, op!, model, meta);
  const got = await client.send(new GetMetricDataCommand(gin));
  assert.deepEqual(state.input, gin);
  assert.deepEqual(withoutMetadata(got), output);

  state.respond = (op) => jsonCodec.serializeError(new ServiceError('ResourceNotFound', 'Dashboard d does not exist'), op, model, meta);
  assert.equal(state.respond(undefined, undefined).statusCode, 404);
  assert.equal(state.respond(undefined, undefined).headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  const e = await client.send(new GetDashboardCommand({ DashboardName: 'd' })).catch((err: unknown) => err) as Record<string, unknown>;
  assert.equal(e.Code, 'ResourceNotFound');
  assert.equal(e.message, 'Dashboard d does not exist');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 404);
});
