#!/usr/bin/env node
// DynamoDB PutItem, GetItem, Query and UpdateItem: nimbus (persisting) against dynalite
// and the floor, one run per operation. `node bench/dynamodb.mjs [--ops put,get]
// [harness options]`. The Query on a 1,000,000-item table against a 1,000-item one is
// bench/dynamodb-scale.mjs. See bench/README.md.
import { benchMain } from './lib/cli.mjs';
import { DYNAMODB_OPERATIONS, dynamodbWorkload } from './workloads/dynamodb.mjs';

const argv = process.argv.slice(2);
/** Removes `--name value` (or `--name=value`, or the flag alone when `flag`) from argv; returns the value. */
function take(name, flag = false) {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  if (flag) return argv.splice(i, 1) && true;
  const [arg] = argv.splice(i, 1);
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv.splice(i, 1)[0];
}
const ops = (take('ops') ?? DYNAMODB_OPERATIONS.join(',')).split(',').map((s) => s.trim());
if (argv.includes('--help') || argv.includes('-h')) {
  console.log('bench/dynamodb.mjs own options:\n  --ops put,get,query,update   operations to run (default all)\n');
}

for (const op of ops) await benchMain(dynamodbWorkload(op), argv);
