#!/usr/bin/env node
// S3 against s3rver and the node:http floor: GetObject and PutObject of 1 KiB, GetObject
// of 1 MiB (GB/s), a 1,000-key ListObjectsV2 page of a 100,000-key bucket, then a 2 GiB
// object put and got back while the server's RSS is watched.
// `node bench/s3.mjs [--s3 get,put,get-1mib,list,large] [bench options]`; `--help` for the rest.
import { readFileSync, writeFileSync } from 'node:fs';
import { benchMain } from './lib/cli.mjs';
import { s3GetWorkload, s3PutWorkload, s3Get1MiBWorkload, s3ListWorkload } from './workloads/s3.mjs';
import { largeObjectMain } from './workloads/s3-large.mjs';

const argv = process.argv.slice(2);
const at = argv.indexOf('--s3');
const chosen = at >= 0 ? argv.splice(at, 2)[1].split(',') : ['get', 'put', 'get-1mib', 'list', 'large'];
const saves = !argv.includes('--quick') && !argv.includes('--no-save') && !argv.includes('--help') && !argv.includes('-h');

/** Adds GB/s (ops/s x bytes per answer) to the saved result of a workload and prints it. */
function addBytesPerSecond(workload) {
  const file = new URL(`./results/${workload.name}-${new Date().toISOString().slice(0, 10)}.json`, import.meta.url);
  if (!saves) return;
  const result = JSON.parse(readFileSync(file, 'utf8'));
  result.gigabytesPerSecond = {};
  for (const [name, target] of Object.entries(result.targets)) {
    result.gigabytesPerSecond[name] = Object.fromEntries(Object.entries(target.phases).map(([phase, m]) => [phase, Number(((m.opsPerSec * workload.bytesPerRequest) / 1e9).toFixed(3))]));
    console.log(`${workload.name} ${name}: ${Object.entries(result.gigabytesPerSecond[name]).map(([p, g]) => `${p} ${g} GB/s`).join(', ')}`);
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

for (const [name, workload] of [['get', s3GetWorkload], ['put', s3PutWorkload], ['get-1mib', s3Get1MiBWorkload], ['list', s3ListWorkload]]) {
  if (!chosen.includes(name)) continue;
  await benchMain(workload, argv);
  if (workload.bytesPerRequest) addBytesPerSecond(workload);
}
if (chosen.includes('large') && !argv.includes('--help') && !argv.includes('-h')) await largeObjectMain({ sizeMiB: 2048, save: saves });
