/**
 * rest-json codec against the real Lambda client (SDK v3): requests the SDK
 * builds parse back into exactly the input given, responses and errors the
 * codec writes parse through the SDK into exactly the output given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as lambda from '@aws-sdk/client-lambda';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import type { WireResponse } from '../types.js';
import { SdkOracle } from '../rest/sdk-oracle.test-helper.js';
import { restJsonCodec } from './index.js';

const model = loadModel('lambda');
const meta = { requestId: 'req-1' };
const oracle = new SdkOracle();
const client = new lambda.LambdaClient(oracle.config());
type Command = Parameters<typeof client.send>[0];
const lambdaMeta = (status: number) => ({ httpStatusCode: status, requestId: 'req-1', extendedRequestId: undefined, cfId: undefined, attempts: 1, totalRetryDelay: 0 });

async function parsed(command: object): Promise<{ op: string; input: Record<string, unknown> }> {
  oracle.last = undefined;
  oracle.respond = () => ({ statusCode: 200, headers: {} });
  await client.send(command as Command).catch(() => undefined);
  const req = oracle.request;
  const op = restJsonCodec.resolveOperation(req, model)!;
  return { op: op.name, input: restJsonCodec.parseRequest(req, op, model) };
}

async function answered(command: object, reply: Record<string, unknown> | ServiceError): Promise<{ out: unknown; wire: WireResponse }> {
  let wire: WireResponse | undefined;
  oracle.respond = (req) => {
    const op = restJsonCodec.resolveOperation(req, model)!;
    wire = reply instanceof ServiceError ? restJsonCodec.serializeError(reply, op, model, meta) : restJsonCodec.serializeResponse(reply, op, model, meta);
    return wire;
  };
  const out = await client.send(command as Command).catch((e: unknown) => e);
  return { out, wire: wire! };
}

test('CreateFunction: a JSON body with a base64 Blob, maps, lists and numbers', async () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
  const input = {
    FunctionName: 'fn', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler',
    Code: { ZipFile: zip }, Timeout: 30, MemorySize: 256, Publish: true, Environment: { Variables: { A: '1', __proto__x: 'y' } },
    Tags: { team: 'core' }, Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:l:1'], Architectures: ['arm64'],
  };
  const got = await parsed(new lambda.CreateFunctionCommand({ ...input, Code: { ZipFile: new Uint8Array(zip) } } as lambda.CreateFunctionCommandInput));
  assert.deepEqual(got, { op: 'CreateFunction', input });
  assert.ok(Buffer.isBuffer((got.input['Code'] as { ZipFile: unknown }).ZipFile));
});

test('CreateFunction output: 201 with a JSON body the SDK reads back exactly', async () => {
  const config = {
    FunctionName: 'fn', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn', Runtime: 'nodejs20.x', CodeSize: 6,
    Timeout: 30, MemorySize: 256, LastModified: '2024-01-01T00:00:00.000+0000', Version: '$LATEST', State: 'Pending',
    Environment: { Variables: { A: '1' } }, Architectures: ['x86_64'], Layers: [],
  };
  const { out, wire } = await answered(new lambda.CreateFunctionCommand({ FunctionName: 'fn', Role: 'r', Code: {} }), config);
  assert.equal(wire.statusCode, 201);
  assert.deepEqual(wire.headers, { 'x-amzn-RequestId': 'req-1', 'Content-Type': 'application/json' });
  assert.equal(wire.body, '{"FunctionName":"fn","FunctionArn":"arn:aws:lambda:us-east-1:000000000000:function:fn","Runtime":"nodejs20.x","CodeSize":6,"Timeout":30,"MemorySize":256,"LastModified":"2024-01-01T00:00:00.000+0000","Version":"$LATEST","Environment":{"Variables":{"A":"1"}},"Layers":[],"State":"Pending","Architectures":["x86_64"]}');
  assert.deepEqual(out, { $metadata: lambdaMeta(201), ...config });
});

test('Invoke: payload blob, headers and qualifier in; status code, function error, log result and payload out', async () => {
  const payload = Buffer.from('{"hello":"world"}');
  const got = await parsed(new lambda.InvokeCommand({
    FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn', Qualifier: 'live', LogType: 'Tail',
    InvocationType: 'RequestResponse', ClientContext: Buffer.from('{"custom":{}}').toString('base64'), Payload: new Uint8Array(payload),
  }));
  assert.deepEqual(got, {
    op: 'Invoke',
    input: {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn', Qualifier: 'live', LogType: 'Tail',
      InvocationType: 'RequestResponse', ClientContext: Buffer.from('{"custom":{}}').toString('base64'), Payload: payload,
    },
  });
  const result = Buffer.from('{"errorMessage":"boom"}');
  const { out, wire } = await answered(new lambda.InvokeCommand({ FunctionName: 'fn' }), {
    StatusCode: 200, FunctionError: 'Unhandled', LogResult: Buffer.from('START ...').toString('base64'), ExecutedVersion: '$LATEST', Payload: result,
  });
  assert.deepEqual(wire, {
    statusCode: 200,
    headers: { 'x-amzn-RequestId': 'req-1', 'X-Amz-Function-Error': 'Unhandled', 'X-Amz-Log-Result': Buffer.from('START ...').toString('base64'), 'X-Amz-Executed-Version': '$LATEST' },
    body: result,
  });
  const { Payload, ...rest } = out as lambda.InvokeCommandOutput;
  assert.equal(Buffer.from(Payload!).toString(), '{"errorMessage":"boom"}');
  assert.deepEqual(rest, { $metadata: lambdaMeta(200), StatusCode: 200, FunctionError: 'Unhandled', LogResult: Buffer.from('START ...').toString('base64'), ExecutedVersion: '$LATEST' });
  const asyncInvoke = await answered(new lambda.InvokeCommand({ FunctionName: 'fn', InvocationType: 'Event' }), { StatusCode: 202 });
  assert.deepEqual(asyncInvoke.wire, { statusCode: 202, headers: { 'x-amzn-RequestId': 'req-1' } });
  assert.equal((asyncInvoke.out as lambda.InvokeCommandOutput).StatusCode, 202);
});

test('ListFunctions: typed query parameters in, a list of configurations out', async () => {
  assert.deepEqual(await parsed(new lambda.ListFunctionsCommand({ MaxItems: 50, Marker: 'a+b/c=', FunctionVersion: 'ALL', MasterRegion: 'ALL' })), {
    op: 'ListFunctions', input: { MaxItems: 50, Marker: 'a+b/c=', FunctionVersion: 'ALL', MasterRegion: 'ALL' },
  });
  assert.deepEqual(await parsed(new lambda.UntagResourceCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn', TagKeys: ['a', 'b,c'] })), {
    op: 'UntagResource', input: { Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn', TagKeys: ['a', 'b,c'] },
  });
  const list = { Functions: [{ FunctionName: 'a', Timeout: 3 }, { FunctionName: 'b', MemorySize: 128 }], NextMarker: 'n' };
  const { out } = await answered(new lambda.ListFunctionsCommand({}), list);
  assert.deepEqual(out, { $metadata: lambdaMeta(200), ...list });
});

test('timestamps in JSON bodies travel as epoch seconds', async () => {
  const t = new Date('2024-02-03T04:05:06.789Z');
  const { out, wire } = await answered(new lambda.GetEventSourceMappingCommand({ UUID: 'u' }), { UUID: 'u', LastModified: t, BatchSize: 10, StartingPositionTimestamp: t });
  assert.equal(wire.body, '{"UUID":"u","StartingPositionTimestamp":1706933106.789,"BatchSize":10,"LastModified":1706933106.789}');
  assert.deepEqual(out, { $metadata: lambdaMeta(200), UUID: 'u', LastModified: t, BatchSize: 10, StartingPositionTimestamp: t });
  const got = await parsed(new lambda.CreateEventSourceMappingCommand({ FunctionName: 'f', StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: t }));
  assert.deepEqual(got.input, { FunctionName: 'f', StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: t });
});

test('errors: x-amzn-ErrorType, the model\'s message member, Type, header fields; the SDK names them', async () => {
  const notFound = new ServiceError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
  const { out, wire } = await answered(new lambda.GetFunctionCommand({ FunctionName: 'nope' }), notFound);
  assert.deepEqual(wire, {
    statusCode: 404,
    headers: { 'x-amzn-RequestId': 'req-1', 'x-amzn-ErrorType': 'ResourceNotFoundException', 'Content-Type': 'application/json' },
    body: '{"Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope","Type":"User"}',
  });
  assert.ok(out instanceof lambda.ResourceNotFoundException);
  assert.equal(out.name, 'ResourceNotFoundException');
  assert.equal(out.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
  assert.equal(out.Type, 'User');
  assert.deepEqual(out.$metadata, lambdaMeta(404));

  const throttled = new ServiceError('TooManyRequestsException', 'Rate exceeded', { fields: { retryAfterSeconds: '2', Reason: 'CallerRateLimitExceeded', Type: 'User' } });
  const r2 = await answered(new lambda.InvokeCommand({ FunctionName: 'fn' }), throttled);
  assert.deepEqual(r2.wire, {
    statusCode: 429,
    headers: { 'x-amzn-RequestId': 'req-1', 'x-amzn-ErrorType': 'TooManyRequestsException', 'Retry-After': '2', 'Content-Type': 'application/json' },
    body: '{"message":"Rate exceeded","Reason":"CallerRateLimitExceeded","Type":"User"}',
  });
  assert.ok(r2.out instanceof lambda.TooManyRequestsException);
  assert.equal(r2.out.message, 'Rate exceeded');
  assert.equal(r2.out.retryAfterSeconds, '2');
  assert.equal(r2.out.Reason, 'CallerRateLimitExceeded');

  const service = new ServiceError('ServiceException', 'internal', { status: 500, senderFault: false });
  const r3 = await answered(new lambda.GetFunctionCommand({ FunctionName: 'fn' }), service);
  assert.equal(r3.wire.body, '{"Message":"internal","Type":"Service"}');
  assert.ok(r3.out instanceof lambda.ServiceException);
  assert.equal(r3.out.$metadata.httpStatusCode, 500);
});

test('malformed input: SerializationException for bad JSON, wrong member types and bad query values', () => {
  const create = model.operations.get('CreateFunction')!;
  const base = { method: 'POST', path: '/2015-03-31/functions', rawQuery: '', query: {}, headers: {}, host: 'localhost' };
  for (const body of ['{"FunctionName":', '[]', '{"Timeout":"3"}', '{"Code":{"ZipFile":5}}', '{"Tags":[]}']) {
    assert.throws(() => restJsonCodec.parseRequest({ ...base, body: Buffer.from(body) }, create, model), { code: 'SerializationException', status: 400 }, body);
  }
  const list = model.operations.get('ListFunctions')!;
  assert.throws(() => restJsonCodec.parseRequest({ ...base, method: 'GET', rawQuery: 'MaxItems=ten', query: { MaxItems: ['ten'] }, body: Buffer.alloc(0) }, list, model), {
    code: 'SerializationException', status: 400,
  });
  // A user key named __proto__ stays data and does not reach the prototype.
  const input = restJsonCodec.parseRequest({ ...base, body: Buffer.from('{"FunctionName":"f","Tags":{"__proto__":"x"}}') }, create, model);
  const tags = input['Tags'] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  assert.deepEqual(Object.keys(tags), ['__proto__']);
});
