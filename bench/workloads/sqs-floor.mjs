#!/usr/bin/env node
// The node:http floor of the SQS and SNS workloads: bench/floor.mjs's server (read the
// request body, answer one canned AWS response) with the answers of SendMessage (JSON
// 1.0) and Publish (query/XML), kept beside the workloads that use them.
//
//   node bench/workloads/sqs-floor.mjs --port 4567 [--host 127.0.0.1] --canned sqs-send|sns-publish
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = fileURLToPath(import.meta.url);

/** Canned answers: status, headers and body as SQS and SNS send them. */
const CANNED = {
  'sqs-send': {
    status: 200,
    headers: { 'x-amzn-RequestId': '4b0f7b4e-3c3a-5a44-9d39-5f2b0c1c9a11', 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({
      MD5OfMessageAttributes: '3ab4a4e4ea8d9d2e2bc0ee0c3fd2f5a1',
      MD5OfMessageBody: '8d6c1fd5b3b5c2a54b8e8f0e4e2c1e7a',
      MessageId: '0e9a4b8c-5a7d-4f0b-9b8e-2a1c3d4e5f60',
    }),
  },
  'sns-publish': {
    status: 200,
    headers: { 'x-amzn-RequestId': 'f187a3c1-376f-11df-8963-01868b7c937a', 'Content-Type': 'text/xml' },
    body:
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n' +
      '  <PublishResult>\n' +
      '    <MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId>\n' +
      '  </PublishResult>\n' +
      '  <ResponseMetadata>\n' +
      '    <RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId>\n' +
      '  </ResponseMetadata>\n' +
      '</PublishResponse>\n',
  },
};

/** The floor as a bench target answering `canned` to every request (its readiness request and setup included). */
export function sqsFloorTarget(canned) {
  return {
    name: 'floor',
    available: () => true,
    command: (port) => ({ cmd: process.execPath, args: [HERE, '--port', String(port), '--host', '127.0.0.1', '--canned', canned] }),
    ready: { method: 'GET', path: '/', headers: {} },
  };
}

function serve() {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4567' }, host: { type: 'string', default: '127.0.0.1' }, canned: { type: 'string', default: 'sqs-send' } },
  });
  const canned = CANNED[values.canned];
  if (!canned) {
    console.error(`sqs-floor: unknown --canned ${values.canned} (known: ${Object.keys(CANNED).join(', ')})`);
    process.exit(2);
  }
  const body = Buffer.from(canned.body);
  const headers = { ...canned.headers, 'Content-Length': String(body.length) };
  const server = http.createServer((req, res) => {
    // Consume the body like a real server must before it can answer.
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(canned.status, headers);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(values.port), values.host, () => console.log(`sqs-floor (${values.canned}) listening on http://${values.host}:${values.port}`));
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}

if (process.argv[1] === HERE) serve();
