/**
 * rpcv2Cbor codec against the real SDK v3 CloudWatch client configured with
 * the SDK's own AwsSmithyRpcV2CborProtocol: requests parse into the exact
 * input, responses and errors parse into the exact output and error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand, DescribeAlarmsCommand, GetDashboardCommand, GetMetricWidgetImageCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { cbor } from '@smithy/core/cbor';
import { loadModel } from '../../models/model.js';
import { isServiceError, ServiceError } from '../../shared/errors.js';
import type { WireRequest } from '../types.js';
import { cborCodec } from './codec.js';
import { CLIENT_CONFIG, makeOracle, withoutMetadata } from '../json/sdk-oracle.test-helper.js';

const model = loadModel('monitoring');
const meta = { requestId: 'req-c' };

function cloudwatch() {
  const { state, handler } = makeOracle(cborCodec, model);
  const client = new CloudWatchClient({ ...CLIENT_CONFIG, protocol: AwsSmithyRpcV2CborProtocol, requestHandler: handler });
  return { state, client };
}

test('PutMetricData: path, headers and timestamps in; no output, no body', async () => {
  const { state, client } = cloudwatch();
  const input = {
    Namespace: 'App', MetricData: [
      { MetricName: 'Latency', Timestamp: new Date(1700000000123), Value: 1.25, Unit: 'Milliseconds' as const, Dimensions: [{ Name: 'Api', Value: 'get' }], StorageResolution: 1 },
      { MetricName: 'Count', Timestamp: new Date(1700000000000), Values: [1, 2.5, -3.5], Counts: [3, 4, 5], StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 } },
    ],
    StrictEntityValidation: true,
  };
  state.respond = (op) => {
    const res = cborCodec.serializeResponse({}, op!, model, meta);
    assert.deepEqual(res.headers, { 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-RequestId': 'req-c', 'Content-Length': 0 });
    return res;
  };
  await client.send(new PutMetricDataCommand(input));
  assert.equal(state.request?.path, '/service/GraniteServiceVersion20100801/operation/PutMetricData');
  assert.equal(state.request?.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.equal(state.op?.name, 'PutMetricData');
  assert.deepEqual(state.input, input);

  // Over 10 KB the SDK gzips the body (the requestcompression trait).
  const large = { Namespace: 'App', MetricData: Array.from({ length: 300 }, (_, i) => ({ MetricName: `metric-${i}`, Value: i, Timestamp: new Date(1700000000000 + i), Dimensions: [{ Name: 'a', Value: 'b'.repeat(50) }] })) };
  await client.send(new PutMetricDataCommand(large));
  assert.equal(state.request?.headers['content-encoding'], 'gzip');
  assert.deepEqual(state.input, large);
});

test('GetMetricData: timestamps, doubles (NaN included) and lists out', async () => {
  const { state, client } = cloudwatch();
  const input = {
    MetricDataQueries: [
      { Id: 'q1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'get' }] }, Period: 60, Stat: 'p99', Unit: 'Milliseconds' as const }, ReturnData: true },
      { Id: 'e1', Expression: 'q1 * 2', Label: 'double' },
    ],
    StartTime: new Date(1700000000000), EndTime: new Date(1700003600500), ScanBy: 'TimestampDescending' as const, MaxDatapoints: 100,
  };
  const output = {
    MetricDataResults: [
      { Id: 'q1', Label: 'Latency', Timestamps: [new Date(1700000060000), new Date(1700000000250)], Values: [1.5, Number.NaN], StatusCode: 'Complete' as const, Messages: [{ Code: 'c', Value: 'v' }] },
      { Id: 'e1', Label: 'double', Timestamps: [], Values: [], StatusCode: 'PartialData' as const },
    ],
    NextToken: 'next', Messages: [],
  };
  state.respond = (op) => cborCodec.serializeResponse(output, op!, model, meta);
  const out = await client.send(new GetMetricDataCommand(input));
  assert.deepEqual(state.input, input);
  assert.deepEqual(withoutMetadata(out), output);
});

test('DescribeAlarms: nested structures, a union, integers and booleans out', async () => {
  const { state, client } = cloudwatch();
  const output = {
    MetricAlarms: [{
      AlarmName: 'high', AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high', ActionsEnabled: true,
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:t'], StateValue: 'ALARM' as const, StateReason: 'Threshold Crossed',
      StateUpdatedTimestamp: new Date(1700000000999), AlarmConfigurationUpdatedTimestamp: new Date(0),
      MetricName: 'Latency', Namespace: 'App', Statistic: 'Average' as const, Dimensions: [{ Name: 'Api', Value: 'get' }],
      Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 100.5, ComparisonOperator: 'GreaterThanThreshold' as const,
      TreatMissingData: 'missing', EvaluationCriteria: { PromQLCriteria: { Query: 'up == 0', PendingPeriod: 60 } },
    }],
    CompositeAlarms: [],
  };
  state.respond = (op) => cborCodec.serializeResponse(output, op!, model, meta);
  const out = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['high'], MaxRecords: 10, StateValue: 'ALARM' }));
  assert.deepEqual(state.input, { AlarmNames: ['high'], MaxRecords: 10, StateValue: 'ALARM' });
  assert.deepEqual(withoutMetadata(out), output);
});

test('GetMetricWidgetImage: a blob out as a byte string', async () => {
  const { state, client } = cloudwatch();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  state.respond = (op) => cborCodec.serializeResponse({ MetricWidgetImage: png }, op!, model, meta);
  const out = await client.send(new GetMetricWidgetImageCommand({ MetricWidget: '{}', OutputFormat: 'png' }));
  assert.deepEqual(withoutMetadata(out), { MetricWidgetImage: png });
});

test('errors: __type, message, status from the model, x-amzn-query-error', async () => {
  const { state, client } = cloudwatch();
  state.respond = (op) => cborCodec.serializeError(new ServiceError('ResourceNotFound', 'Dashboard d does not exist'), op, model, meta);
  const res = state.respond(undefined, undefined);
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  assert.equal(res.headers['smithy-protocol'], 'rpc-v2-cbor');
  assert.deepEqual(cbor.deserialize(res.body as Buffer), { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'Dashboard d does not exist' });
  const e = await client.send(new GetDashboardCommand({ DashboardName: 'd' })).catch((err: unknown) => err) as Record<string, unknown>;
  assert.equal(e.Code, 'ResourceNotFound');
  assert.equal(e.message, 'Dashboard d does not exist');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 404);
  assert.equal(e.$fault, 'client');

  // A modelled error whose message member is `Message`, answered as a server fault.
  state.respond = (op) => cborCodec.serializeError(new ServiceError('InternalServiceError', 'Request processing has failed due to some unknown error, exception, or failure.'), op, model, meta);
  assert.deepEqual(cbor.deserialize(state.respond(undefined, undefined).body as Buffer), { __type: 'com.amazonaws.cloudwatch#InternalServiceFault', Message: 'Request processing has failed due to some unknown error, exception, or failure.' });
  const e2 = await client.send(new ListMetricsCommand({})).catch((err: unknown) => err) as Record<string, unknown>;
  assert.equal(e2.name, 'InternalServiceFault');
  assert.equal(e2.message, 'Request processing has failed due to some unknown error, exception, or failure.');
  assert.equal((e2.$metadata as { httpStatusCode: number }).httpStatusCode, 500);
  assert.equal(e2.$fault, 'server');
});

function request(path: string, body: Buffer): WireRequest {
  return { method: 'POST', path, rawQuery: '', query: {}, headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body, host: 'localhost' };
}

function parseError(body: Buffer): { code: string; message: string; status: number | undefined } {
  const req = request('/service/GraniteServiceVersion20100801/operation/ListMetrics', body);
  try {
    cborCodec.parseRequest(req, cborCodec.resolveOperation(req, model)!, model);
  } catch (e) {
    assert.ok(isServiceError(e));
    return { code: e.code, message: e.message, status: e.status };
  }
  assert.fail('expected a SerializationException');
}

test('resolveOperation reads the operation from the path; any service name is accepted', () => {
  assert.equal(cborCodec.resolveOperation(request('/service/GraniteServiceVersion20100801/operation/ListMetrics', Buffer.alloc(0)), model)?.name, 'ListMetrics');
  assert.equal(cborCodec.resolveOperation(request('/prefix/service/CloudWatch/operation/PutMetricData', Buffer.alloc(0)), model)?.name, 'PutMetricData');
  assert.equal(cborCodec.resolveOperation(request('/service/X/operation/Nope', Buffer.alloc(0)), model), undefined);
  assert.equal(cborCodec.resolveOperation(request('/operation/ListMetrics', Buffer.alloc(0)), model), undefined);
  assert.equal(cborCodec.resolveOperation(request('/service/X/operation/ListMetrics/extra', Buffer.alloc(0)), model), undefined);
});

test('malformed CBOR and values of the wrong type are SerializationExceptions', () => {
  assert.deepEqual(parseError(Buffer.from('bf61', 'hex')), { code: 'SerializationException', message: 'Malformed CBOR body: Unexpected end of CBOR data', status: 400 });
  assert.deepEqual(parseError(Buffer.from('a0ff', 'hex')), { code: 'SerializationException', message: 'Malformed CBOR body: Unexpected data after the CBOR item at byte 1', status: 400 });
  assert.deepEqual(parseError(Buffer.from('8101', 'hex')), { code: 'SerializationException', message: 'The CBOR body must be a map', status: 400 });
  assert.deepEqual(parseError(Buffer.from(cbor.serialize({ Namespace: 5 }))), { code: 'SerializationException', message: 'NUMBER_VALUE cannot be converted to String', status: 400 });
  assert.deepEqual(parseError(Buffer.from(cbor.serialize({ Dimensions: 'x' }))), { code: 'SerializationException', message: 'Unexpected field type', status: 400 });
  const req = request('/service/GraniteServiceVersion20100801/operation/ListMetrics', Buffer.from(cbor.serialize({ Namespace: 'n', MetricName: null, Bogus: [1], RecentlyActive: 'PT3H' })));
  assert.deepEqual(cborCodec.parseRequest(req, cborCodec.resolveOperation(req, model)!, model), { Namespace: 'n', RecentlyActive: 'PT3H' });
  const empty = request('/service/GraniteServiceVersion20100801/operation/ListMetrics', Buffer.alloc(0));
  assert.deepEqual(cborCodec.parseRequest(empty, cborCodec.resolveOperation(empty, model)!, model), {});
  const res = cborCodec.serializeError(new ServiceError('SerializationException', 'Malformed CBOR body: x', { status: 400 }), undefined, model, meta);
  assert.deepEqual(cbor.deserialize(res.body as Buffer), { __type: 'com.amazon.coral.service#SerializationException', Message: 'Malformed CBOR body: x' });
  assert.equal(res.headers['x-amzn-query-error'], 'SerializationException;Sender');
});
