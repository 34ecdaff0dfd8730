// What the SQS and SNS workloads share: credentials, signed JSON 1.0 / query requests
// on a fixed Host, nimbus persisting to a temporary data directory, and a small
// keep-alive client for setup and driver loops.
import http from 'node:http';
import { signRequest } from '../lib/sigv4.mjs';
import { persistentNimbus as persistentTarget } from '../lib/targets.mjs';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
// A fixed Host, signed into the requests. fauxqs keys queues by their full URL, built
// from the Host header; nimbus reads only the path.
export const HOST = 'localhost';

/** The URL of queue `name` as both servers accept it. */
export function queueUrl(name) {
  return `http://sqs.${REGION}.${HOST}/${ACCOUNT}/${name}`;
}

/** A signed SQS JSON 1.0 request. */
export function sqsRequest(operation, payload) {
  const body = JSON.stringify(payload);
  const request = {
    method: 'POST',
    path: '/',
    headers: {
      host: HOST,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${operation}`,
      'x-amzn-query-mode': 'true',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'nimbus-bench',
    },
    body,
  };
  return signRequest(request, { ...CREDENTIALS, region: REGION, service: 'sqs' });
}

/** A signed SNS query request. */
export function snsRequest(params) {
  const body = new URLSearchParams({ ...params, Version: '2010-03-31' }).toString();
  const request = {
    method: 'POST',
    path: '/',
    headers: {
      host: HOST,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'nimbus-bench',
    },
    body,
  };
  return signRequest(request, { ...CREDENTIALS, region: REGION, service: 'sns' });
}

/** Nimbus persisting to a temporary data dir, logging warnings only, as fauxqs runs (`logger: false`). */
export function persistentNimbus() {
  return persistentTarget({ logLevel: 'warn' });
}

/**
 * The nimbus targets of the SQS/SNS workloads: nimbus, and with NIMBUS_BENCH_BEFORE=<entry>
 * (another build, e.g. of the commit before a change) also `nimbus-before` running that
 * entry, so that a change is measured against its predecessor in one run, ratios and all.
 */
export function nimbusTargets() {
  const targets = [persistentNimbus()];
  const before = process.env.NIMBUS_BENCH_BEFORE;
  if (before) {
    const saved = process.env.NIMBUS_BENCH_ENTRY;
    process.env.NIMBUS_BENCH_ENTRY = before;
    try {
      targets.push({ ...persistentNimbus(), name: 'nimbus-before', checkGoals: false });
    } finally {
      if (saved === undefined) delete process.env.NIMBUS_BENCH_ENTRY;
      else process.env.NIMBUS_BENCH_ENTRY = saved;
    }
  }
  return targets;
}

/** A keep-alive client of one server: `send(request)` resolves {status, body, at} (at: performance.now() of the last byte). */
export function client(port, maxSockets = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const send = (r) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() }));
      });
      req.on('error', reject);
      req.end(r.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Sends and parses a JSON answer; throws on a non-200. */
export async function call(c, request) {
  const res = await c.send(request);
  if (res.status !== 200) throw new Error(`${request.headers['x-amz-target'] ?? 'request'}: ${res.status} ${res.body.slice(0, 300)}`);
  return res.body.startsWith('{') ? JSON.parse(res.body) : res.body;
}

/** Four signed Publish requests to `topicArn`: 256 B bodies and one String attribute each. */
export function publishRequests(topicArn) {
  return [0, 1, 2, 3].map((i) => snsRequest({
    Action: 'Publish',
    TopicArn: topicArn,
    Message: `${i}`.padEnd(256, 'x'),
    'MessageAttributes.entry.1.Name': 'kind',
    'MessageAttributes.entry.1.Value.DataType': 'String',
    'MessageAttributes.entry.1.Value.StringValue': `bench-${i}`,
  }));
}

/** Why a response is not a successful Publish, or undefined when it is. */
export function checkPublish(response) {
  const body = response.body.toString('utf8');
  if (response.status !== 200) return `status ${response.status}: ${body.slice(0, 300)}`;
  if (!/<MessageId>[^<]+<\/MessageId>/.test(body)) return `unexpected body: ${body.slice(0, 300)}`;
  return undefined;
}
