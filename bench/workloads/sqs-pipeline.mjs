// Two SQS figures the wrk harness cannot replay (each request depends on the answer
// before it), nimbus (persisting to a temporary data directory) against fauxqs:
//
// - pipeline: SendMessageBatch(10) -> ReceiveMessage(10) -> DeleteMessageBatch of the
//   received handles, in loops spread over several client processes (`workers` x
//   `loops` each), on one queue: messages deleted per second end to end, and server
//   CPU per message.
// - long-poll wake-up: a receiver parked in ReceiveMessage(WaitTimeSeconds 20); 20 ms
//   later a SendMessage on another connection; the time from writing the send to the
//   receiver's answer arriving, sequentially, p50 and p99.
//
// `node bench/sqs.mjs pipeline [--duration S] [--workers N] [--loops N] [--only a,b]`.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../lib/http.mjs';
import { sampleProcess, startServer, stopServer } from '../lib/proc.mjs';
import { fauxqsTarget } from '../lib/targets.mjs';
import { call, client, nimbusTargets, queueUrl, sqsRequest } from './sqs-common.mjs';

const HERE = fileURLToPath(import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const PIPE_QUEUE = 'pipeline';
const POLL_QUEUE = 'longpoll';
const BODY = 'x'.repeat(256);

// ---- worker process: loops of batch send -> receive -> batch delete ----

async function workerMain(port, loops, durationMs) {
  const c = client(port, loops * 2);
  const url = queueUrl(PIPE_QUEUE);
  let deleted = 0;
  let requests = 0;
  let stop = false;
  let counting = false;
  process.on('message', (m) => {
    if (m === 'count') { counting = true; deleted = 0; requests = 0; }
    if (m === 'stop') stop = true;
  });
  let n = 0;
  const loop = async () => {
    while (!stop) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: BODY, MessageAttributes: { seq: { DataType: 'Number', StringValue: String(n++) } } }));
      const sent = await call(c, sqsRequest('SendMessageBatch', { QueueUrl: url, Entries: entries }));
      if ((sent.Successful ?? []).length !== 10) throw new Error(`SendMessageBatch: ${JSON.stringify(sent).slice(0, 300)}`);
      const got = await call(c, sqsRequest('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
      requests += 2;
      const messages = got.Messages ?? [];
      if (messages.length) {
        const del = await call(c, sqsRequest('DeleteMessageBatch', { QueueUrl: url, Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
        requests++;
        if ((del.Successful ?? []).length !== messages.length) throw new Error(`DeleteMessageBatch: ${JSON.stringify(del).slice(0, 300)}`);
        if (counting) deleted += messages.length;
      }
    }
  };
  setTimeout(() => { stop = true; }, durationMs + 10_000).unref();
  await Promise.all(Array.from({ length: loops }, loop));
  c.close();
  // Disconnecting closes the IPC channel, which otherwise keeps this process (and the driver waiting on it) alive.
  process.send({ deleted, requests }, () => process.disconnect());
}

// ---- driver ----

async function runPipeline(server, { workers, loops, durationS, warmupS }) {
  const c = client(server.port);
  await call(c, sqsRequest('CreateQueue', { QueueName: PIPE_QUEUE }));
  c.close();
  const children = Array.from({ length: workers }, () => fork(HERE, ['--worker', String(server.port), String(loops), String((durationS + warmupS) * 1000)], { stdio: 'inherit' }));
  const results = children.map((child) => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => (code ? reject(new Error(`worker exited ${code}`)) : undefined));
  }));
  await sleep(warmupS * 1000);
  for (const child of children) child.send('count');
  const a = sampleProcess(server.pid);
  await sleep(durationS * 1000);
  const b = sampleProcess(server.pid);
  for (const child of children) child.send('stop');
  const totals = await Promise.all(results);
  const deleted = totals.reduce((s, t) => s + t.deleted, 0);
  const requests = totals.reduce((s, t) => s + t.requests, 0);
  const wallS = (b.at - a.at) / 1000;
  return {
    messagesPerSec: Math.round(deleted / wallS),
    requestsPerSec: Math.round(requests / wallS),
    cpuMicrosPerMessage: Math.round((b.cpuMicros - a.cpuMicros) / Math.max(1, deleted)),
    cpuCores: Number(((b.cpuMicros - a.cpuMicros) / 1e6 / wallS).toFixed(2)),
  };
}

async function runLongPoll(server, { samples }) {
  const receiver = client(server.port, 1);
  const sender = client(server.port, 1);
  const { QueueUrl } = await call(sender, sqsRequest('CreateQueue', { QueueName: POLL_QUEUE }));
  const url = queueUrl(POLL_QUEUE);
  const times = [];
  for (let i = 0; i < samples + 20; i++) {
    const parked = receiver.send(sqsRequest('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 1 }));
    await sleep(20);
    const request = sqsRequest('SendMessage', { QueueUrl: url, MessageBody: `wake ${i}` });
    const t0 = performance.now();
    await sender.send(request);
    const res = await parked;
    const got = JSON.parse(res.body).Messages ?? [];
    if (got.length !== 1) throw new Error(`long poll answered ${res.status} ${res.body.slice(0, 200)}`);
    if (i >= 20) times.push(res.at - t0);
    await call(sender, sqsRequest('DeleteMessage', { QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle }));
  }
  receiver.close();
  sender.close();
  void QueueUrl;
  times.sort((x, y) => x - y);
  return { samples, p50Ms: Number(percentile(times, 50).toFixed(2)), p99Ms: Number(percentile(times, 99).toFixed(2)) };
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== 'pipeline'),
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
      loops: { type: 'string', default: '8' },
      samples: { type: 'string', default: '200' },
      only: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const options = {
    durationS: Number(values.duration), warmupS: Number(values.warmup),
    workers: Number(values.workers), loops: Number(values.loops), samples: Number(values.samples),
  };
  const ready = sqsRequest('CreateQueue', { QueueName: 'ready' });
  const targets = [{ ...fauxqsTarget(), ready }, ...nimbusTargets().map((t) => ({ ...t, ready }))]
    .filter((t) => !values.only || values.only.split(',').includes(t.name));
  const rows = [];
  if (values.port) {
    // An already running server (for profiling): its pid is not ours to sample, CPU figures are 0.
    const server = { name: 'external', port: Number(values.port), pid: process.pid };
    const pipeline = await runPipeline(server, options);
    const longPoll = await runLongPoll(server, options);
    console.table([{ target: 'external', ...pipeline, longPollP50Ms: longPoll.p50Ms, longPollP99Ms: longPoll.p99Ms }]);
    return;
  }
  for (const target of targets) {
    const server = await startServer(target);
    try {
      const pipeline = await runPipeline(server, options);
      const longPoll = await runLongPoll(server, options);
      rows.push({ target: target.name, ...pipeline, longPollP50Ms: longPoll.p50Ms, longPollP99Ms: longPoll.p99Ms });
    } finally {
      await stopServer(server);
    }
  }
  console.log(`\nSQS pipeline: SendMessageBatch(10) -> ReceiveMessage(10) -> DeleteMessageBatch, ${options.workers} processes x ${options.loops} loops, ${options.durationS} s; long-poll wake-up x${options.samples}`);
  console.table(rows);
  const nimbus = rows.find((r) => r.target === 'nimbus');
  if (nimbus) {
    console.log(`goal: >= 5,000 messages/s end to end: ${nimbus.messagesPerSec >= 5000 ? 'PASS' : 'FAIL'} (${nimbus.messagesPerSec})`);
    console.log(`goal: long-poll wake-up p50 < 5 ms: ${nimbus.longPollP50Ms < 5 ? 'PASS' : 'FAIL'} (${nimbus.longPollP50Ms} ms)`);
  }
}

if (process.argv[2] === '--worker') {
  await workerMain(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
} else if (process.argv[1] === HERE) {
  await main();
}

export { main as sqsPipelineMain };
