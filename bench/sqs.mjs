#!/usr/bin/env node
// SQS SendMessage (and SDK send/receive/delete cycles): nimbus against fauxqs.
// `node bench/sqs.mjs`, or `--help` for options. See bench/README.md.
// `node bench/sqs.mjs pipeline`: batch send/receive/delete throughput and long-poll wake-up (workloads/sqs-pipeline.mjs).
import { benchMain } from './lib/cli.mjs';
import { sqsWorkload } from './workloads/sqs.mjs';
import { sqsPipelineMain } from './workloads/sqs-pipeline.mjs';

if (process.argv[2] === 'pipeline') await sqsPipelineMain();
else await benchMain(sqsWorkload);
