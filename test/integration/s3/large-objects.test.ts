/**
 * A large object through the SDK v3 and back, streamed both ways: the body is generated
 * on the fly (never held whole by the test) and sent as one PutObject (aws-chunked with
 * the SDK's trailing checksum), then read back with GetObject as a stream. S3's ETag of
 * a single-part upload is the hex MD5 of its bytes (API reference, Common Response
 * Headers: ETag); the bytes read back must hash the same. The in-process server shares
 * this process, so its memory shows in process.memoryUsage(): the growth over the
 * transfer must stay far below the object's size (a bound, not a timing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { s3Harness } from '../../helpers/harness.js';
import { generatedBody } from '../../../bench/lib/generated-body.mjs';

const MiB = 1024 * 1024;
/** The object's size: large enough that holding it anywhere whole would show. */
const SIZE = 512 * MiB;
/** Allowed RSS growth while it goes through: generous (GC timing, allocator), still a fraction of SIZE. */
const RSS_BOUND = 200 * MiB;

const B = 'large-objects';
const { cloud, s3 } = s3Harness({ buckets: [B] });

/** The peak RSS seen by sampling every 20 ms until stopped. */
function rssPeak(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

test(`a ${SIZE / MiB} MiB object streams in and out whole: ETag is its MD5, the bytes read back match, memory stays bounded`, async (t) => {
  // Paths warmed with a small object first, so lazy loading is not counted as growth.
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'warm', Body: Buffer.alloc(1024, 1) }));
  await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'warm' }))).Body!.transformToByteArray();
  global.gc?.();
  const before = process.memoryUsage.rss();
  const peak = rssPeak();

  const sent = createHash('md5');
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'big', Body: generatedBody(SIZE, sent), ContentLength: SIZE }));
  const md5 = sent.digest('hex');
  assert.equal(put.ETag, `"${md5}"`);

  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'big' }));
  assert.equal(head.ContentLength, SIZE);
  assert.equal(head.ETag, `"${md5}"`);

  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big' }));
  assert.equal(got.ContentLength, SIZE);
  assert.equal(got.ETag, `"${md5}"`);
  const received = createHash('md5');
  let bytes = 0;
  await pipeline(
    got.Body as Readable,
    new Writable({
      highWaterMark: MiB,
      write(chunk: Buffer, _encoding, done) {
        received.update(chunk);
        bytes += chunk.length;
        done();
      },
    }),
  );
  const growth = peak.stop() - before;
  t.diagnostic(`RSS growth ${(growth / MiB).toFixed(1)} MiB for ${SIZE / MiB} MiB up and down`);
  assert.equal(bytes, SIZE);
  assert.equal(received.digest('hex'), md5);
  assert.ok(growth < RSS_BOUND, `RSS grew by ${(growth / MiB).toFixed(1)} MiB while ${SIZE / MiB} MiB went through (bound ${RSS_BOUND / MiB} MiB)`);

  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'big' }));
});
