/**
 * The gateway as clients meet it: own routes, HTTP/1.1 features (keep-alive,
 * Expect: 100-continue, chunked bodies), cleartext HTTP/2, CORS preflight, and
 * 501 answers for services nimbus does not implement, in each protocol's form.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:http2';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { EC2Client, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { S3Client, GetBucketAclCommand } from '@aws-sdk/client-s3';
import { CloudWatchClient, ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
// STS alone: the other services answer 501 from the catalog, whatever has been built since.
before(async () => {
  cloud = await startTestNimbus({ services: ['sts'] });
});
after(() => cloud.stop());

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
// The signature of the `test` key is not verified unless IAM is enforced; its shape must still be whole.
const AMZ_DATE = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const STS_AUTH = `AWS4-HMAC-SHA256 Credential=test/${AMZ_DATE.slice(0, 8)}/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(method: string, path: string, headers: Record<string, string>, body?: string | string[], extra: { expectContinue?: boolean } = {}): Promise<Answer> {
  const url = new URL(cloud.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (extra.expectContinue) {
      req.on('continue', () => req.end(body as string));
      return;
    }
    if (Array.isArray(body)) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end(body);
  });
}

test('GET /_nimbus/health reports version, uptime and services; /_localstack/health too', async () => {
  for (const path of ['/_nimbus/health', '/_localstack/health']) {
    const r = await send('GET', path, {});
    assert.equal(r.status, 200);
    const h = JSON.parse(r.body);
    assert.equal(h.version, '0.1.0');
    assert.equal(typeof h.uptime, 'number');
    assert.equal(h.services.sts, 'running');
    assert.equal(typeof h.unimplementedCalls, 'object');
  }
});

test('query over a keep-alive connection, with Expect: 100-continue and a chunked body', async () => {
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: STS_AUTH, 'x-amz-date': AMZ_DATE };
  const plain = await send('POST', '/', { ...headers, 'content-length': String(STS_BODY.length) }, STS_BODY);
  assert.equal(plain.status, 200);
  assert.match(plain.body, /<Account>000000000000<\/Account>/);
  const cont = await send('POST', '/', { ...headers, 'content-length': String(STS_BODY.length), expect: '100-continue' }, STS_BODY, { expectContinue: true });
  assert.equal(cont.status, 200);
  assert.match(cont.body, /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);
  const chunked = await send('POST', '/', { ...headers, 'transfer-encoding': 'chunked' }, ['Action=GetCaller', 'Identity&Version=2011-06-15']);
  assert.equal(chunked.status, 200);
  assert.match(chunked.body, /<GetCallerIdentityResult>/);
  assert.match(String(chunked.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
});

test('cleartext HTTP/2 with prior knowledge on the same port', async () => {
  const session = connect(cloud.endpoint);
  try {
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-www-form-urlencoded', authorization: STS_AUTH, 'x-amz-date': AMZ_DATE });
      let status = 0;
      const chunks: Buffer[] = [];
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
      req.on('error', reject);
      req.end(STS_BODY);
    });
    assert.equal(body.status, 200);
    assert.match(body.text, /<Account>000000000000<\/Account>/);
  } finally {
    session.close();
  }
});

test('the Kinesis client (HTTP/2 by default) reaches nimbus and gets a 501 in JSON form', async () => {
  const kinesis = new KinesisClient(clientConfig(cloud.endpoint));
  try {
    await kinesis.send(new ListStreamsCommand({}));
    assert.fail('expected 501');
  } catch (e) {
    const err = e as { name: string; message: string; $metadata: { httpStatusCode: number } };
    assert.equal(err.$metadata.httpStatusCode, 501);
    assert.equal(err.name, 'NotImplemented');
    assert.equal(err.message, 'The operation ListStreams of service kinesis is not implemented by nimbus yet');
  } finally {
    kinesis.destroy();
  }
});

test('CORS preflight is answered so browser SDKs work', async () => {
  const r = await send('OPTIONS', '/', { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-amz-date,content-type' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['access-control-allow-origin'], 'http://localhost:3000');
  assert.equal(r.headers['access-control-allow-headers'], 'authorization,x-amz-date,content-type');
  assert.match(String(r.headers['access-control-allow-methods']), /POST/);
  const actual = await send('POST', '/', { origin: 'http://localhost:3000', 'content-type': 'application/x-www-form-urlencoded', authorization: STS_AUTH, 'x-amz-date': AMZ_DATE }, STS_BODY);
  assert.equal(actual.headers['access-control-allow-origin'], 'http://localhost:3000');
  assert.match(String(actual.headers['access-control-expose-headers']), /x-amzn-RequestId/);
});

async function notImplemented(p: Promise<unknown>): Promise<{ name: string; message: string; status: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata: { httpStatusCode: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  assert.fail('expected an error');
}

test('services nimbus does not implement answer 501 naming service and operation, in each protocol', async () => {
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['rest-json', () => new LambdaClient(clientConfig(cloud.endpoint)).send(new ListFunctionsCommand({})), 'The operation ListFunctions of service lambda is not implemented by nimbus yet'],
    ['ec2', () => new EC2Client(clientConfig(cloud.endpoint)).send(new DescribeVpcsCommand({})), 'The operation DescribeVpcs of service ec2 is not implemented by nimbus yet'],
    ['json (query compatible)', () => new SQSClient(clientConfig(cloud.endpoint)).send(new ListQueuesCommand({})), 'The operation ListQueues of service sqs is not implemented by nimbus yet'],
    ['rest-xml', () => new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true }).send(new GetBucketAclCommand({ Bucket: 'b' })), 'The operation GetBucketAcl of service s3 is not implemented by nimbus yet'],
    ['json (cloudwatch)', () => new CloudWatchClient(clientConfig(cloud.endpoint)).send(new ListDashboardsCommand({})), 'The operation ListDashboards of service monitoring is not implemented by nimbus yet'],
  ];
  for (const [protocol, p, message] of cases) {
    const e = await notImplemented(p());
    assert.equal(e.status, 501, protocol);
    assert.equal(e.name, 'NotImplemented', protocol);
    assert.equal(e.message, message, protocol);
  }
  const h = JSON.parse((await send('GET', '/_nimbus/health', {})).body);
  assert.equal(h.unimplementedCalls['lambda:ListFunctions'], 1);
});

test('POST /_nimbus/reset empties state', async () => {
  const r = await send('POST', '/_nimbus/reset', {});
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { reset: true });
});

test('headers beyond the limit get an AWS error body, and the server keeps serving', async () => {
  const url = new URL(cloud.endpoint);
  const { connect: tcp } = await import('node:net');
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = tcp(Number(url.port), url.hostname, () => {
      socket.write(`GET /bucket/key HTTP/1.1\r\nHost: ${url.host}\r\nx-amz-meta-big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (c) => (text += c.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /<Code>RequestHeaderSectionTooLarge<\/Code><Message>Your request header section exceeds the maximum allowed size\.<\/Message>/);
  const after = await send('GET', '/_nimbus/health', {});
  assert.equal(after.status, 200);
});
