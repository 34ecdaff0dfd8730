/**
 * The query codec against real botocore clients over HTTP:
 *  - Debian's /usr/bin/python3 (boto3 1.26 / botocore 1.29), whose SQS and CloudWatch
 *    models are still `query`: the awsQueryCompatible overlay must make SQS and
 *    CloudWatch round-trips agree with it exactly;
 *  - pyenv's python3 (botocore 1.43) for STS, SNS and IAM.
 * Each case: botocore's request must parse into `input`, and the codec's response to
 * `output` (or `error`) must parse in botocore into `expected` (default: `output`).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { loadModel, type ServiceModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryCodec } from './index.js';
import { runPython, serveCodec, type Exchange } from './oracle.test-helper.js';
import { SQS_CASES, CLOUDWATCH_CASES } from './botocore-cases.test-helper.js';
import { STS_CASES, SNS_CASES, IAM_CASES } from './botocore-cases-modern.test-helper.js';

/** One botocore call and what each side must see. */
export interface Case {
  readonly op: string;
  readonly params: Record<string, unknown>;
  /** The input the codec must parse (default: params). */
  readonly input?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  /** What botocore must parse (default: output). */
  readonly expected?: Record<string, unknown>;
  readonly error?: ServiceError;
  readonly expectedError?: { exception: string; code: string; message: string; type: string; status: number; fields?: Record<string, unknown> };
  /** Checks on the raw request body botocore sent. */
  readonly bodyIncludes?: readonly string[];
}

const script = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'botocore-oracle.py'), 'utf8');
const DEBIAN_PYTHON = '/usr/bin/python3';

function toOracle(v: unknown): unknown {
  if (v instanceof Date) return { $ts: v.getTime() };
  if (v instanceof Uint8Array) return { $b64: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(toOracle);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toOracle(x);
    return out;
  }
  return v;
}

let servers: Server[] = [];
after(() => { for (const s of servers) s.close(); });

async function run(python: string, service: string, model: ServiceModel, cases: readonly Case[]): Promise<string> {
  const log: Exchange[] = [];
  let next = 0;
  const { server, endpoint } = await serveCodec(queryCodec, model, (op) => {
    const c = cases[next++];
    assert.equal(op.name, c.op);
    if (c.error) throw c.error;
    return c.output ?? {};
  }, log);
  servers.push(server);
  const out = await runPython(python, script, { endpoint, calls: cases.map((c) => ({ service, op: c.op, params: toOracle(c.params) })) }) as { botocore: string; results: { ok?: unknown; error?: unknown }[] };
  assert.equal(out.results.length, cases.length);
  cases.forEach((c, i) => {
    const seen = log[i];
    const label = `${service} ${c.op} #${i}`;
    assert.equal(seen.op?.name, c.op, label);
    assert.deepEqual(seen.input, c.input ?? c.params, `${label}: parsed input`);
    for (const s of c.bodyIncludes ?? []) assert.ok(String(seen.wire!.body).includes(s), `${label}: body has ${s}: ${seen.wire!.body}`);
    if (c.error) {
      const expected = { fields: {}, ...c.expectedError };
      assert.deepEqual(out.results[i].error, expected, `${label}: error`);
    } else {
      assert.deepEqual(out.results[i].ok, toOracle(c.expected ?? c.output ?? {}), `${label}: parsed output`);
    }
  });
  return out.botocore;
}

test('botocore 1.29 (Debian) SQS over query agrees with the overlay-applied current model', { skip: !existsSync(DEBIAN_PYTHON) }, async () => {
  const version = await run(DEBIAN_PYTHON, 'sqs', loadModel('sqs'), SQS_CASES);
  assert.match(version, /^1\.29\./);
});

test('botocore 1.29 (Debian) CloudWatch over query', { skip: !existsSync(DEBIAN_PYTHON) }, async () => {
  await run(DEBIAN_PYTHON, 'cloudwatch', loadModel('monitoring'), CLOUDWATCH_CASES);
});

test('botocore (pyenv python3) STS over query', async () => {
  await run('python3', 'sts', loadModel('sts'), STS_CASES);
});

test('botocore (pyenv python3) SNS over query', async () => {
  await run('python3', 'sns', loadModel('sns'), SNS_CASES);
});

test('botocore (pyenv python3) IAM over query', async () => {
  await run('python3', 'iam', loadModel('iam'), IAM_CASES);
});
