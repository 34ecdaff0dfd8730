#!/usr/bin/env node
// S3 GetObject then PutObject of 1 KiB: nimbus, s3rver and the node:http floor.
// `node bench/s3.mjs --help` for options. See bench/README.md.
import { benchMain } from './lib/cli.mjs';
import { s3GetWorkload, s3PutWorkload } from './workloads/s3.mjs';

await benchMain(s3GetWorkload);
await benchMain(s3PutWorkload);
