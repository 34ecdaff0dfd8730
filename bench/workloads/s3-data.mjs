// The S3 bench's data, shared by the workloads and the floor's canned answers.
import { createHash } from 'node:crypto';

export const BUCKET = 'bench';
export const OBJECT_KEYS = ['obj-0', 'obj-1', 'obj-2', 'obj-3'];
/** 1 KiB of printable bytes. */
export const OBJECT_BODY = Buffer.from(Array.from({ length: 1024 }, (_, i) => 33 + (i % 90)));
export const OBJECT_ETAG = `"${createHash('md5').update(OBJECT_BODY).digest('hex')}"`;
