#!/usr/bin/env node
// SQS SendMessage (and SDK send/receive/delete cycles): nimbus against fauxqs.
// `node bench/sqs.mjs`, or `--help` for options. See bench/README.md.
import { benchMain } from './lib/cli.mjs';
import { sqsWorkload } from './workloads/sqs.mjs';

await benchMain(sqsWorkload);
