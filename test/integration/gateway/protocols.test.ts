/**
 * Every wire protocol reaches nimbus from a real client of its own and gets the
 * 501 of an unimplemented operation in that protocol's error form: SQS as query
 * (Debian's AWS CLI v2.9 and boto3 1.26) and as JSON with x-amzn-query-error
 * (SDK v3, AWS CLI v1 on PATH), CloudWatch as rpc-v2-cbor (SDK v3), EC2's own XML
 * and S3's rest-xml (AWS CLI). CLI answers are checked in the client's words and,
 * through --debug, in the raw body the client received.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { CloudWatchClient, ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { startTestNimbus, clientConfig, externalClients, runCli, runBoto3, type ExternalClient, type RunResult } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';
import { rejects } from '../../helpers/errors.js';

let cloud: Nimbus;
before(async () => {
  // Only STS is served, so every other service stays unimplemented whatever nimbus grows to implement.
  cloud = await startTestNimbus({ services: ['sts'] });
});
after(() => cloud.stop());

const { present } = externalClients();
const pathCli = present.find((c) => c.name === 'aws (PATH)');
const debianCli = present.find((c) => c.name === 'aws v2 (Debian)');
const debianBoto3 = present.find((c) => c.name === 'boto3 (Debian python3)');

function skipUnless(client: ExternalClient | undefined, name: string): { skip: string | false } {
  return { skip: client ? false : `${name} is not installed on this machine` };
}

function notImplemented(service: string, operation: string): string {
  return `The operation ${operation} of service ${service} is not implemented by nimbus yet`;
}

/** The AWS CLI's one-line report of a service error. */
function cliError(operation: string, code: string, message: string): string {
  return `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`;
}

/** Undoes Python's bytes repr (b'...') as botocore's debug log prints response bodies. */
function pythonBytes(literal: string): string {
  assert.ok(literal.startsWith("b'") || literal.startsWith('b"'), literal);
  const inner = literal.slice(2, -1);
  return inner.replace(/\\(x[0-9a-f]{2}|n|r|t|\\|'|")/g, (_, e: string) => {
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

/** What a `--debug` run logged: the request's content type and the raw response body. */
function debugExchange(r: RunResult): { requestContentType: string | undefined; responseBody: string } {
  const lines = r.stderr.split('\n');
  const request = lines.find((l) => l.includes('Making request for OperationModel'));
  const at = lines.findIndex((l) => l.endsWith('Response body:'));
  assert.ok(at >= 0, 'no response body in the debug log');
  return {
    requestContentType: /'Content-Type': '([^']*)'/.exec(request ?? '')?.[1],
    responseBody: pythonBytes(lines[at + 1]),
  };
}

/** The last line of the CLI's stderr (the error report follows the debug log). */
function report(r: RunResult): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  return `\n${lines[lines.length - 1]}\n`;
}

test('SQS as query through Debian\'s AWS CLI v2: NotImplemented in query XML', skipUnless(debianCli, 'aws v2 (Debian)'), async () => {
  const r = await runCli(debianCli!.bin, cloud.endpoint, ['sqs', 'list-queues', '--debug']);
  assert.equal(r.status, 254, 'CLI v2 exits 254 when the service answers an error');
  assert.equal(report(r), cliError('ListQueues', 'NotImplemented', notImplemented('sqs', 'ListQueues')));
  const x = debugExchange(r);
  assert.equal(x.requestContentType, 'application/x-www-form-urlencoded; charset=utf-8');
  assert.match(x.responseBody, new RegExp(
    '^<ErrorResponse xmlns="http://queue\\.amazonaws\\.com/doc/2012-11-05/"><Error><Type>Receiver</Type><Code>NotImplemented</Code>' +
    `<Message>${notImplemented('sqs', 'ListQueues')}</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
  ));
});

test('SQS as query through Debian\'s boto3 1.26: ClientError NotImplemented, 501, Receiver', skipUnless(debianBoto3, 'boto3 (Debian python3)'), async () => {
  const r = await runBoto3(debianBoto3!.bin, cloud.endpoint, `
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1')
out = {'protocol': sqs.meta.service_model.protocol}
try:
    sqs.list_queues()
except botocore.exceptions.ClientError as e:
    out['error'] = e.response['Error']
    out['status'] = e.response['ResponseMetadata']['HTTPStatusCode']
    out['text'] = str(e)
print(json.dumps(out))
`);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    protocol: 'query',
    error: { Type: 'Receiver', Code: 'NotImplemented', Message: notImplemented('sqs', 'ListQueues') },
    status: 501,
    text: `An error occurred (NotImplemented) when calling the ListQueues operation: ${notImplemented('sqs', 'ListQueues')}`,
  });
});

/** The raw HTTP status and headers a client received. */
interface Seen { status?: number; headers?: Record<string, string> }

/** Where the recording middleware goes: innermost, so it sees the response before the deserializer. */
const RECORD = { step: 'deserialize', priority: 'low', name: 'recordResponse' } as const;

/** Notes the raw response of a middleware result and passes the result on. */
function remember<T extends { response: unknown }>(seen: Seen, result: T): T {
  const response = result.response as { statusCode?: number; headers?: Record<string, string> };
  seen.status = response.statusCode;
  seen.headers = response.headers;
  return result;
}

test('SQS as JSON through the SDK v3: NotImplemented (501) with x-amzn-query-error', async () => {
  const sqs = new SQSClient(clientConfig(cloud.endpoint));
  const seen: Seen = {};
  sqs.middlewareStack.add((next) => async (args) => remember(seen, await next(args)), RECORD);
  try {
    await rejects(sqs.send(new ListQueuesCommand({})), 'NotImplemented', notImplemented('sqs', 'ListQueues'), 501);
    assert.equal(seen.status, 501);
    assert.equal(seen.headers!['content-type'], 'application/x-amz-json-1.0');
    assert.equal(seen.headers!['x-amzn-query-error'], 'NotImplemented;Receiver');
  } finally {
    sqs.destroy();
  }
});

test('SQS as JSON through the AWS CLI v1 on PATH: the JSON error body and x-amzn-query-error', skipUnless(pathCli, 'aws (PATH)'), async () => {
  const r = await runCli(pathCli!.bin, cloud.endpoint, ['sqs', 'list-queues', '--debug']);
  assert.equal(r.status, 255, 'CLI v1 exits 255 on a service error');
  assert.equal(report(r), cliError('ListQueues', 'NotImplemented', notImplemented('sqs', 'ListQueues')));
  const x = debugExchange(r);
  assert.equal(x.requestContentType, 'application/x-amz-json-1.0');
  assert.equal(x.responseBody, JSON.stringify({ __type: 'com.amazonaws.sqs#NotImplemented', message: notImplemented('sqs', 'ListQueues') }));
  assert.match(r.stderr, /'x-amzn-query-error': 'NotImplemented;Receiver'/);
});

test('CloudWatch as rpc-v2-cbor through the SDK v3: NotImplemented (501) in CBOR', async () => {
  const cloudwatch = new CloudWatchClient({ ...clientConfig(cloud.endpoint), protocol: AwsSmithyRpcV2CborProtocol });
  const seen: Seen = {};
  cloudwatch.middlewareStack.add((next) => async (args) => remember(seen, await next(args)), RECORD);
  try {
    await rejects(cloudwatch.send(new ListDashboardsCommand({})), 'NotImplemented', notImplemented('monitoring', 'ListDashboards'), 501);
    assert.equal(seen.status, 501);
    assert.equal(seen.headers!['smithy-protocol'], 'rpc-v2-cbor');
    assert.equal(seen.headers!['content-type'], 'application/cbor');
  } finally {
    cloudwatch.destroy();
  }
});

test('EC2 DescribeInstances through the AWS CLI: NotImplemented in EC2\'s XML', skipUnless(pathCli, 'aws (PATH)'), async () => {
  const r = await runCli(pathCli!.bin, cloud.endpoint, ['ec2', 'describe-instances', '--debug']);
  assert.equal(r.status, 255);
  assert.equal(report(r), cliError('DescribeInstances', 'NotImplemented', notImplemented('ec2', 'DescribeInstances')));
  const x = debugExchange(r);
  assert.equal(x.requestContentType, 'application/x-www-form-urlencoded; charset=utf-8');
  assert.match(x.responseBody, new RegExp(
    '^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\n<Response><Errors><Error><Code>NotImplemented</Code>' +
    `<Message>${notImplemented('ec2', 'DescribeInstances')}</Message></Error></Errors><RequestID>[0-9a-f-]{36}</RequestID></Response>$`,
  ));
});

test('S3 list-buckets through the AWS CLI: NotImplemented in S3\'s XML', skipUnless(pathCli, 'aws (PATH)'), async () => {
  const r = await runCli(pathCli!.bin, cloud.endpoint, ['s3api', 'list-buckets', '--debug']);
  assert.equal(r.status, 255);
  assert.equal(report(r), cliError('ListBuckets', 'NotImplemented', notImplemented('s3', 'ListBuckets')));
  const body = debugExchange(r).responseBody;
  assert.match(body, new RegExp(
    '^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\n<Error><Code>NotImplemented</Code>' +
    `<Message>${notImplemented('s3', 'ListBuckets')}</Message><RequestId>[0-9a-f-]{36}</RequestId><HostId>[A-Za-z0-9+/=]+</HostId></Error>$`,
  ));
});

test('the health document counts each unimplemented call', async () => {
  const res = await fetch(`${cloud.endpoint}/_nimbus/health`);
  const calls = (await res.json() as { unimplementedCalls: Record<string, number> }).unimplementedCalls;
  assert.equal(calls['monitoring:ListDashboards'], 1);
  // The SDK's call, and one from each SQS-speaking external client that is installed.
  assert.equal(calls['sqs:ListQueues'], 1 + [debianCli, debianBoto3, pathCli].filter(Boolean).length);
});
