#!/usr/bin/env node
// SNS Publish (and SDK publishes fanned out to SQS): nimbus against fauxqs.
// `node bench/sns.mjs`, or `--help` for options. See bench/README.md.
import { benchMain } from './lib/cli.mjs';
import { snsWorkload } from './workloads/sns.mjs';

await benchMain(snsWorkload);
