#!/usr/bin/env node
// Profiles a nimbus build under wrk: starts dist/cli/main.js with --cpu-prof, prepares
// one DynamoDB or STS workload, drives it with wrk for a few seconds, and leaves the
// .cpuprofile in the given directory. A tool for finding where the server's CPU goes
// under load (cold caches, GC), which the in-process bench cannot show.
//
//   node bench/profile-wrk.mjs ddb-get|ddb-put|ddb-update|sts|s3-get|s3-get-1mib|s3-put [--seconds 5] [--dir /tmp/prof]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from './lib/sigv4.mjs';
import { wrkScript } from './lib/load.mjs';
import { benchItem } from './workloads/dynamodb-data.mjs';
import { jsonRequest } from './workloads/dynamodb.mjs';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { seconds: { type: 'string', default: '5' }, dir: { type: 'string', default: '/tmp/prof' }, port: { type: 'string', default: '4599' } } });
const workload = positionals[0] ?? 'ddb-get';
const port = Number(values.port);
const host = `127.0.0.1:${port}`;
const cred = { accessKeyId: 'test', secretAccessKey: 'test', region: 'us-east-1' };
mkdirSync(values.dir, { recursive: true });

const ddb = (target, body) => jsonRequest({ host: '127.0.0.1', port }, target, body);
const send = async (r) => {
  const res = await fetch(`http://${host}${r.path}`, { method: r.method, headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'host' && k !== 'content-length')), body: r.body || undefined });
  return res.text();
};

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-prof-'));
const server = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${values.dir}`, 'dist/cli/main.js', 'start', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; i < 100; i++) {
  try { await fetch(`http://${host}/_nimbus/health`); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
}
let request;
const s3 = (method, path, body = '') => {
  const headers = { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  if (method === 'PUT') headers['content-length'] = String(Buffer.byteLength(body));
  return signRequest({ method, path, headers, body }, { ...cred, service: 's3' });
};
if (workload.startsWith('s3-')) {
  await send(s3('PUT', '/bench'));
  const body = workload === 's3-get-1mib' ? 'x'.repeat(1 << 20) : 'x'.repeat(1024);
  await send(s3('PUT', '/bench/obj', body));
  request = workload === 's3-put' ? s3('PUT', '/bench/obj2', body) : s3('GET', '/bench/obj');
} else if (workload === 'sts') {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  request = signRequest({ method: 'POST', path: '/', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }, body }, { ...cred, service: 'sts' });
} else {
  await send(ddb('CreateTable', { TableName: 'bench', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
  for (let sk = 0; sk < 100; sk++) await send(ddb('PutItem', { TableName: 'bench', Item: benchItem(0, sk) }));
  const key = { pk: { S: 'p0' }, sk: { N: '7' } };
  request = {
    'ddb-get': () => ddb('GetItem', { TableName: 'bench', Key: key }),
    'ddb-put': () => ddb('PutItem', { TableName: 'bench', Item: benchItem(0, 7) }),
    'ddb-update': () => ddb('UpdateItem', { TableName: 'bench', Key: key, UpdateExpression: 'SET hits = hits + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
  }[workload]();
}
const script = join(dataDir, 'wrk.lua');
writeFileSync(script, wrkScript([request]));
const out = execFileSync('wrk', ['-t2', '-c64', `-d${values.seconds}s`, '-s', script, `http://${host}`], { encoding: 'utf8' });
console.log(out.split('\n').filter((l) => /Requests\/sec|requests in|Non-2xx/.test(l)).join('\n'));
server.kill('SIGINT');
await new Promise((r) => server.once('exit', r));
console.log(`profile in ${values.dir}`);
