// The S3 bench's data, shared by the workloads and the floor's canned answers.
import { createHash } from 'node:crypto';

export const BUCKET = 'bench';
export const OBJECT_KEYS = ['obj-0', 'obj-1', 'obj-2', 'obj-3'];
/** 1 KiB of printable bytes. */
export const OBJECT_BODY = Buffer.from(Array.from({ length: 1024 }, (_, i) => 33 + (i % 90)));
export const OBJECT_ETAG = `"${createHash('md5').update(OBJECT_BODY).digest('hex')}"`;

/** 1 MiB of bytes that do not repeat within the object (a counter pattern, cheap to build). */
export const LARGE_BODY = (() => {
  const b = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE((i * 2654435761) >>> 0, i);
  return b;
})();
export const LARGE_KEY = 'large-1mib';
export const LARGE_ETAG = `"${createHash('md5').update(LARGE_BODY).digest('hex')}"`;

/** The listing bucket and its keys: `key-000000` .. in order, all listed pages are full. */
export const LIST_BUCKET = 'bench-list';
export const LIST_PAGE = 1000;
export const listKey = (i) => `key-${String(i).padStart(6, '0')}`;
/** Where the listed pages start (StartAfter), spread over the key space of an `n`-key bucket, each page full. */
export const listStarts = (n) => [0.1, 0.37, 0.64, 0.91].map((f) => listKey(Math.floor(f * (n - LIST_PAGE - 1))));

/** A ListObjectsV2 answer of LIST_PAGE empty objects after `startAfter` as S3 writes it (for the floor). */
export function listAnswer(startAfter = listStarts(100_000)[0]) {
  const first = Number(startAfter.slice(4)) + 1;
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'];
  parts.push(`<Name>${LIST_BUCKET}</Name><Prefix></Prefix><StartAfter>${startAfter}</StartAfter><KeyCount>${LIST_PAGE}</KeyCount><MaxKeys>${LIST_PAGE}</MaxKeys><IsTruncated>true</IsTruncated>`);
  for (let i = first; i < first + LIST_PAGE; i++) {
    parts.push(`<Contents><Key>${listKey(i)}</Key><LastModified>2026-11-27T00:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>`);
  }
  parts.push('</ListBucketResult>');
  return parts.join('');
}
