// DynamoDB at scale (issue 4): "Query p50 on a 1,000,000-item table within 1.5x of the
// same Query on a 1,000-item table". One nimbus, persisting to a temporary data
// directory, holds two tables of the same item shape (bench/workloads/dynamodb-data.mjs,
// partitions of 100 items): 1,000 items and 1,000,000 items. Both are loaded with
// BatchWriteItem (25 items a request) over several keep-alive connections; the load
// rate is reported. Then the same Query (one partition, Limit 25, as the `query`
// workload) runs at concurrency 1 on each table, every request on a random partition of
// the whole table so that the B-tree is walked from the root each time, not served from
// a few hot pages. Rounds alternate between the tables and the best p50 of each is kept
// (as the harness does), so slow drifts in machine load hit both.
//
// This is not the harness's runComparison: there is one server and one figure that
// matters (the ratio), and a million-item setup cannot be repeated per target or spawn.
// Dynalite is not measured: loading a million items into it would take far too long.
import http from 'node:http';
import { percentile, sendOnce } from '../lib/http.mjs';
import { machineBusy, sampleProcess, startServer, stopServer } from '../lib/proc.mjs';
import { saveResult } from '../lib/report.mjs';
import { persistentNimbus } from '../lib/targets.mjs';
import { PARTITION_SIZE, benchItem } from './dynamodb-data.mjs';
import { jsonRequest } from './dynamodb.mjs';
import { environment } from '../lib/runner.mjs';

const QUERY_LIMIT = 25;
const BATCH = 25;
/** The goal of issue 4: p50 on the large table at most this multiple of the small table's. */
const GOAL_RATIO = 1.5;

/** The two tables: same shape and partition size, only the item count differs. */
export const SCALE_TABLES = [
  { name: 'scale1k', partitions: 10 },
  { name: 'scale1m', partitions: 10_000 },
];

/** Default knobs; bench/dynamodb-scale.mjs overrides them from its command line. */
export const SCALE_DEFAULTS = {
  loadConnections: 8, // parallel BatchWriteItem connections
  count: 5000, // measured Queries per round and table
  warmup: 500, // unmeasured Queries per round and table, before the measured ones
  rounds: 3, // alternating rounds; the best p50 per table is kept
  largePartitions: 10_000, // 1,000,000 items
  settleMs: 2000, // pause after loading, so the WAL is checkpointed as users' idle servers are
};

const signed = jsonRequest;

/** One signed request answered 200 (parsed JSON), or an error naming the operation. */
async function call(server, operation, payload, agent = false) {
  const res = await sendOnce(server.port, signed(server, operation, payload), { agent, timeoutMs: 60_000 });
  const text = res.body.toString('utf8');
  if (res.status !== 200) throw new Error(`${operation}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function createTable(server, name) {
  await call(server, 'CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/**
 * Loads `partitions` x 100 items into `table` with BatchWriteItem over `connections`
 * keep-alive connections. Batches are built and signed as they are sent (a million
 * prepared items would not fit the bench's memory comfortably). Returns {items, ms}.
 */
async function loadTable(server, table, partitions, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const perPartition = PARTITION_SIZE / BATCH;
  const total = partitions * perPartition;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const at = next++;
      const p = Math.floor(at / perPartition);
      const first = (at % perPartition) * BATCH;
      const puts = [];
      for (let sk = first; sk < first + BATCH; sk++) puts.push({ PutRequest: { Item: benchItem(p, sk) } });
      let out = await call(server, 'BatchWriteItem', { RequestItems: { [table]: puts } }, agent);
      for (let tries = 0; out.UnprocessedItems && Object.keys(out.UnprocessedItems).length > 0; tries++) {
        if (tries > 20) throw new Error('BatchWriteItem kept returning UnprocessedItems');
        out = await call(server, 'BatchWriteItem', { RequestItems: out.UnprocessedItems }, agent);
      }
    }
  };
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
  return { items: partitions * PARTITION_SIZE, ms: performance.now() - t0 };
}

/** `n` signed Queries (one partition, Limit 25) on random partitions of a table of `partitions` partitions. */
function queries(server, table, partitions, n) {
  return Array.from({ length: n }, () => signed(server, 'Query', {
    TableName: table,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': { S: `p${Math.floor(Math.random() * partitions)}` } },
    Limit: QUERY_LIMIT,
  }));
}

/** Why a Query answer is wrong, or undefined. */
function checkQuery(res) {
  const body = res.body.toString('utf8');
  if (res.status !== 200) return `status ${res.status}: ${body.slice(0, 300)}`;
  return body.includes(`"Count":${QUERY_LIMIT}`) && body.includes('"LastEvaluatedKey"') ? undefined : `unexpected body: ${body.slice(0, 300)}`;
}

/** Concurrency 1 on one keep-alive connection: warm-up, then the measured Queries (each a fresh random partition). */
async function measureQueries(server, table, partitions, { count, warmup }) {
  const warm = queries(server, table, partitions, warmup);
  const measured = queries(server, table, partitions, count);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  let firstError;
  try {
    for (const r of warm) await sendOnce(server.port, r, { agent });
    const before = sampleProcess(server.pid);
    const started = performance.now();
    for (const r of measured) {
      const t0 = performance.now();
      const res = await sendOnce(server.port, r, { agent });
      latencies.push(performance.now() - t0);
      const why = checkQuery(res);
      if (why) {
        errors++;
        firstError ??= why;
      }
    }
    const elapsedMs = performance.now() - started;
    const after = sampleProcess(server.pid);
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      errors,
      firstError,
      opsPerSec: (latencies.length * 1000) / elapsedMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      serverCpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / latencies.length,
    };
  } finally {
    agent.destroy();
  }
}


/**
 * Runs the scale bench: start nimbus, create and load both tables, measure Query on
 * each in alternating rounds. `log` gets progress lines. Returns the result object
 * (saved as bench/results/dynamodb-scale-<date>.json by the entry script).
 */
export async function runScale(options = {}, log = () => {}) {
  const o = { ...SCALE_DEFAULTS, ...options };
  const tables = [SCALE_TABLES[0], { ...SCALE_TABLES[1], partitions: o.largePartitions }];
  const result = {
    workload: 'dynamodb-scale',
    title: `DynamoDB Query (one 100-item partition, Limit 25, random partitions) on ${tables.map((t) => (t.partitions * PARTITION_SIZE).toLocaleString('en')).join(' vs ')} items, concurrency 1`,
    date: new Date().toISOString(),
    environment: environment(),
    options: o,
    notes: [
      'dynalite not measured: loading 1,000,000 items into it would take far too long',
    ],
    problems: [],
    load: {},
    query: {},
  };
  result.environment.busyBeforeStart = await machineBusy(1000);
  if (result.environment.busyBeforeStart.busy > 0.15) {
    result.notes.push(`the machine was ${(result.environment.busyBeforeStart.busy * 100).toFixed(0)}% busy before the run began: absolute figures are noisy, the ratio less so`);
  }
  const target = persistentNimbus();
  result.notes.push(...(target.notes?.() ?? []).map((note) => `nimbus: ${note}`));
  const started = performance.now();
  const server = await startServer(target);
  try {
    for (const t of tables) {
      await createTable(server, t.name);
      log(`load ${t.name}: ${(t.partitions * PARTITION_SIZE).toLocaleString('en')} items over ${o.loadConnections} connections`);
      const { items, ms } = await loadTable(server, t.name, t.partitions, o.loadConnections);
      result.load[t.name] = { items, seconds: ms / 1000, itemsPerSec: (items * 1000) / ms };
      log(`  ${(ms / 1000).toFixed(1)} s, ${Math.round((items * 1000) / ms).toLocaleString('en')} items/s`);
    }
    result.rssAfterLoadKb = sampleProcess(server.pid).rssKb;
    await new Promise((resolve) => setTimeout(resolve, o.settleMs));
    for (let round = 1; round <= o.rounds; round++) {
      for (const t of tables) {
        log(`round ${round}/${o.rounds}: Query ${t.name} c1 x${o.count}`);
        const m = await measureQueries(server, t.name, t.partitions, o);
        if (m.errors > 0) result.problems.push(`${t.name} round ${round}: ${m.errors} wrong answers (${m.firstError})`);
        const prev = result.query[t.name];
        const rounds = [...(prev?.roundsP50Ms ?? []), m.p50Ms];
        result.query[t.name] = { ...(!prev || m.p50Ms < prev.p50Ms ? m : prev), items: t.partitions * PARTITION_SIZE, roundsP50Ms: rounds };
      }
    }
    result.loadedRssKb = sampleProcess(server.pid).rssKb;
  } catch (err) {
    result.problems.push(err.message);
  } finally {
    await stopServer(server);
  }
  const [small, large] = tables.map((t) => result.query[t.name]);
  if (small && large) {
    result.ratio = { p50: large.p50Ms / small.p50Ms, p99: large.p99Ms / small.p99Ms };
    result.goal = { goal: `p50 on ${(large.items).toLocaleString('en')} items <= ${GOAL_RATIO}x p50 on ${small.items.toLocaleString('en')}`, pass: result.ratio.p50 <= GOAL_RATIO };
  }
  result.elapsedS = (performance.now() - started) / 1000;
  return result;
}

/** The result as a printed table. */
export function formatScale(result) {
  const f = (n, d = 3) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
  const lines = [result.title, ''];
  for (const [name, l] of Object.entries(result.load)) {
    lines.push(`load ${name}: ${l.items.toLocaleString('en')} items in ${f(l.seconds, 1)} s = ${Math.round(l.itemsPerSec).toLocaleString('en')} items/s (BatchWriteItem x25, ${result.options.loadConnections} connections)`);
  }
  lines.push('', 'table      items       p50 ms   p99 ms   ops/s   cpu µs/req   p50 per round');
  for (const [name, q] of Object.entries(result.query)) {
    lines.push(`${name.padEnd(10)} ${q.items.toLocaleString('en').padStart(9)}   ${f(q.p50Ms).padStart(6)}   ${f(q.p99Ms).padStart(6)}   ${f(q.opsPerSec, 0).padStart(5)}   ${f(q.serverCpuMicrosPerRequest, 0).padStart(10)}   ${q.roundsP50Ms.map((v) => f(v)).join(' ')}`);
  }
  if (result.ratio) {
    lines.push('', `ratio large/small: p50 ${f(result.ratio.p50, 2)}x, p99 ${f(result.ratio.p99, 2)}x`);
    lines.push(`  ${result.goal.pass ? 'PASS' : 'FAIL'}  ${result.goal.goal}`);
  }
  lines.push(`RSS after load ${Math.round((result.rssAfterLoadKb ?? 0) / 1024)} MB; whole run ${f(result.elapsedS, 0)} s`);
  if (result.notes.length) lines.push('', 'notes:', ...result.notes.map((n) => `  - ${n}`));
  if (result.problems.length) lines.push('', 'problems:', ...result.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

export { saveResult };
