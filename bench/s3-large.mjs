#!/usr/bin/env node
// One large object (default 5 GiB, S3's single-PUT limit) put and got back through nimbus,
// watching the server's RSS. `node bench/s3-large.mjs --size-mib 5120 [--mode put|upload] [--only nimbus,s3rver] [--no-save]`.
import { parseArgs } from 'node:util';
import { largeObjectMain } from './workloads/s3-large.mjs';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '5120' }, mode: { type: 'string', default: 'put' }, only: { type: 'string', default: 'nimbus' }, 'no-save': { type: 'boolean' } } });
await largeObjectMain({ sizeMiB: Math.min(5120, Math.max(1, Number(values['size-mib']) || 5120)), mode: values.mode === 'upload' ? 'upload' : 'put', only: values.only.split(','), save: !values['no-save'] });
