#!/usr/bin/env node
// STS GetCallerIdentity: nimbus against the node:http floor. `npm run bench:sts`,
// or `node bench/sts.mjs --help` for options. See bench/README.md.
import { benchMain } from './lib/cli.mjs';
import { stsWorkload } from './workloads/sts.mjs';

await benchMain(stsWorkload);
