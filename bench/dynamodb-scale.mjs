#!/usr/bin/env node
// DynamoDB Query on a 1,000,000-item table against the same Query on a 1,000-item table
// (issue 4: p50 within 1.5x), nimbus persisting; about 2-3 minutes, the load dominates.
// `node bench/dynamodb-scale.mjs [--quick] [--no-save] [--connections N] [--count N] [--rounds N]`.
import { parseArgs } from 'node:util';
import { SCALE_DEFAULTS, formatScale, runScale, saveResult } from './workloads/dynamodb-scale.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' }, 'no-save': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    connections: { type: 'string' }, count: { type: 'string' }, rounds: { type: 'string' },
  },
});
if (values.help) {
  console.log(`usage: node bench/dynamodb-scale.mjs [options]
  --quick          100,000 items instead of 1,000,000, 1,000 Queries a round (implies --no-save)
  --connections N  BatchWriteItem connections while loading (default ${SCALE_DEFAULTS.loadConnections})
  --count N        measured Queries per table and round (default ${SCALE_DEFAULTS.count})
  --rounds N       alternating rounds, best p50 kept (default ${SCALE_DEFAULTS.rounds})
  --no-save        print only; do not write bench/results/`);
  process.exit(0);
}
const num = (v, min, max) => (v === undefined ? undefined : Math.min(max, Math.max(min, Math.round(Number(v)) || min)));
const options = {
  ...(values.quick ? { largePartitions: 1000, count: 1000, warmup: 200, rounds: 2 } : {}),
  ...(values.connections ? { loadConnections: num(values.connections, 1, 256) } : {}),
  ...(values.count ? { count: num(values.count, 10, 100_000) } : {}),
  ...(values.rounds ? { rounds: num(values.rounds, 1, 10) } : {}),
};
const result = await runScale(options, (line) => console.error(`[bench] ${line}`));
console.log(`\n${formatScale(result)}\n`);
if (!values.quick && !values['no-save']) console.log(`saved ${saveResult(result)}`);
if (result.problems.length > 0) process.exitCode = 1;
