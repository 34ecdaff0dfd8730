/**
 * nimbus's own per-request CPU cost, without sockets: the gateway's listener is fed
 * prepared requests (node Readable bodies, a minimal response object) one after
 * another, and the mean time per request is printed. It isolates the JavaScript
 * cost of the request path from the kernel and the HTTP parser, so a change to the
 * gateway or a provider can be compared in seconds, on a quiet or a busy machine
 * (A/B runs back to back).
 *
 *   node --import tsx bench/inproc/pipeline.ts [sts|ddb-get|ddb-put|ddb-query|sqs-send|s3-get|s3-put] [count]
 */
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '../lib/sigv4.mjs';
import { Gateway } from '../../src/gateway/gateway.js';
import { Storage } from '../../src/state/storage.js';
import { CredentialStore } from '../../src/state/credentials.js';
import { DEFAULT_CONFIG, checkConfig } from '../../src/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { systemClock } from '../../src/shared/clock.js';
import { SERVICE_DEFINITIONS } from '../../src/services/index.js';

interface Prepared { method: string; path: string; headers: Record<string, string>; body: string }
interface Answer { status: number; body: string }

const HOST = '127.0.0.1:4566';
const CRED = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' };

function ddb(target: string, body: object): Prepared {
  const b = JSON.stringify(body);
  return signRequest({ method: 'POST', path: '/', headers: { host: HOST, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${target}`, 'content-length': String(Buffer.byteLength(b)) }, body: b }, { ...CRED, service: 'dynamodb' });
}
function sqs(target: string, body: object): Prepared {
  const b = JSON.stringify(body);
  return signRequest({ method: 'POST', path: '/', headers: { host: HOST, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${target}`, 'content-length': String(Buffer.byteLength(b)) }, body: b }, { ...CRED, service: 'sqs' });
}
function s3(method: string, path: string, body = ''): Prepared {
  const headers: Record<string, string> = { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  if (method === 'PUT') headers['content-length'] = String(Buffer.byteLength(body));
  return signRequest({ method, path, headers, body }, { ...CRED, service: 's3' });
}

/** Sends one prepared request through the listener; resolves with the answer. */
function send(gateway: Gateway, r: Prepared): Promise<Answer> {
  return new Promise((resolve) => {
    const req = new Readable({ read() {} }) as Readable & { method: string; url: string; headers: Record<string, string> };
    req.method = r.method;
    req.url = r.path;
    req.headers = r.headers;
    if (r.body) req.push(Buffer.from(r.body));
    req.push(null);
    let status = 0;
    const chunks: Buffer[] = [];
    const res = {
      headersSent: false,
      statusCode: 200,
      writeHead(s: number) { status = s; this.statusCode = s; this.headersSent = true; },
      write(c: Buffer | string) { chunks.push(Buffer.from(c)); return true; },
      end(c?: Buffer | string) { if (c) chunks.push(Buffer.from(c)); resolve({ status, body: Buffer.concat(chunks).toString() }); },
      on() { return this; }, once() { return this; }, emit() { return true; }, removeListener() { return this; },
      destroy() { resolve({ status: -1, body: '' }); },
    };
    gateway.listener(req as never, res as never);
  });
}

const workload = process.argv[2] ?? 'ddb-get';
const count = Number(process.argv[3] ?? 20000);
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-inproc-'));
const config = checkConfig({ ...DEFAULT_CONFIG, dataDir, logLevel: 'warn' });
const storage = new Storage({ dataDir, ephemeral: false });
const gateway = new Gateway(config, storage, new CredentialStore(storage), createLogger({ level: 'warn', json: false }), systemClock, SERVICE_DEFINITIONS);
await gateway.start();
gateway.endpoint = `http://${HOST}`;

async function must(r: Prepared): Promise<void> {
  const a = await send(gateway, r);
  if (a.status >= 300) throw new Error(`setup failed ${a.status}: ${a.body.slice(0, 300)}`);
}

let request: Prepared;
switch (workload) {
  case 'sts': {
    const b = 'Action=GetCallerIdentity&Version=2011-06-15';
    request = signRequest({ method: 'POST', path: '/', headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(b.length) }, body: b }, { ...CRED, service: 'sts' });
    break;
  }
  case 'ddb-get': case 'ddb-put': case 'ddb-query': case 'ddb-update': {
    await must(ddb('CreateTable', { TableName: 'bench', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
    for (let i = 0; i < 100; i++) await must(ddb('PutItem', { TableName: 'bench', Item: { pk: { S: 'p' }, sk: { N: String(i) }, name: { S: `item ${i}` }, hits: { N: '0' }, tags: { SS: ['a', 'b'] } } }));
    request = workload === 'ddb-get' ? ddb('GetItem', { TableName: 'bench', Key: { pk: { S: 'p' }, sk: { N: '7' } } })
      : workload === 'ddb-put' ? ddb('PutItem', { TableName: 'bench', Item: { pk: { S: 'q' }, sk: { N: '1' }, name: { S: 'x'.repeat(100) }, hits: { N: '0' } } })
      : workload === 'ddb-query' ? ddb('Query', { TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 25 })
      : ddb('UpdateItem', { TableName: 'bench', Key: { pk: { S: 'p' }, sk: { N: '7' } }, UpdateExpression: 'SET hits = hits + :one', ExpressionAttributeValues: { ':one': { N: '1' } } });
    break;
  }
  case 'sqs-send': {
    await must(sqs('CreateQueue', { QueueName: 'bench' }));
    request = sqs('SendMessage', { QueueUrl: `http://${HOST}/000000000000/bench`, MessageBody: 'hello world' });
    break;
  }
  case 's3-get': case 's3-put': {
    await must(s3('PUT', '/bench'));
    await must(s3('PUT', '/bench/key', 'x'.repeat(1024)));
    request = workload === 's3-get' ? s3('GET', '/bench/key') : s3('PUT', '/bench/key2', 'y'.repeat(1024));
    break;
  }
  default: throw new Error(`unknown workload ${workload}`);
}

const first = await send(gateway, request);
if (first.status >= 300) throw new Error(`${workload}: ${first.status} ${first.body.slice(0, 300)}`);
for (let i = 0; i < Math.min(5000, count); i++) await send(gateway, request); // warm-up: let the JIT settle
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let last: Answer = first;
for (let i = 0; i < count; i++) last = await send(gateway, request);
const wall = Number(process.hrtime.bigint() - t0) / 1000 / count;
const cpu = process.cpuUsage(cpu0);
if (last.status !== first.status) throw new Error(`${workload}: the last answer differs from the first: ${last.status} ${last.body.slice(0, 300)}`);
console.log(`${workload}: ${wall.toFixed(1)} µs/request wall, ${((cpu.user + cpu.system) / count).toFixed(1)} µs cpu (${count} requests, in-process, no sockets)`);
if (workload === 'ddb-update') {
  // Every UpdateItem counted: the item's counter is the number of requests sent.
  const a = await send(gateway, ddb('GetItem', { TableName: 'bench', Key: { pk: { S: 'p' }, sk: { N: '7' } }, ConsistentRead: true }));
  const hits = (JSON.parse(a.body) as { Item: { hits: { N: string } } }).Item.hits.N;
  const sent = 1 + Math.min(5000, count) + count;
  if (Number(hits) !== sent) throw new Error(`ddb-update: hits ${hits} after ${sent} updates`);
}
await gateway.services.stop();
storage.close();
rmSync(dataDir, { recursive: true, force: true });
