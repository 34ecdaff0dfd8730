import type { Hash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** `size` bytes as a stream, 1 MiB at a time (each chunk different), each chunk fed to `md5` as it goes out. */
export function generatedBody(size: number, md5: Hash): Readable;
