#!/usr/bin/env node
// SNS Publish (and SDK publishes fanned out to one SQS subscriber): nimbus against fauxqs.
// `node bench/sns.mjs`, or `--help` for options. See bench/README.md.
// `node bench/sns.mjs fanout [--envelope]`: Publish to three SQS subscriptions (workloads/sns-fanout.mjs).
import { benchMain } from './lib/cli.mjs';
import { snsWorkload } from './workloads/sns.mjs';
import { snsFanoutWorkload } from './workloads/sns-fanout.mjs';

const argv = process.argv.slice(2);
if (argv[0] === 'fanout') {
  const envelope = argv.includes('--envelope');
  await benchMain(snsFanoutWorkload({ raw: !envelope }), argv.slice(1).filter((a) => a !== '--envelope'));
} else {
  await benchMain(snsWorkload);
}
