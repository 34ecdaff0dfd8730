/**
 * S3 multipart uploads through the SDK v3 and @aws-sdk/lib-storage: parts, completion
 * (md5-of-md5s ETag, part-size and order rules), abort, listings and UploadPartCopy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand,
  ListPartsCommand, ListMultipartUploadsCommand, UploadPartCopyCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'multipart-bucket';
const MiB = 1024 * 1024;
const { cloud, s3 } = s3Harness({ buckets: [B] });

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

test('lib-storage Upload of 12 MiB in 5 MiB parts: object whole, ETag md5-of-md5s-3', async () => {
  const data = Buffer.alloc(12 * MiB);
  for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
  const up = new Upload({ client: s3, params: { Bucket: B, Key: 'big/file.bin', Body: Readable.from([data]), ContentType: 'application/x-big', Metadata: { m: '1' } }, partSize: 5 * MiB, queueSize: 2 });
  const done = await up.done();
  const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)];
  const expected = `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-3"`;
  assert.equal(done.ETag, expected);
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'big/file.bin' }));
  assert.equal(head.ContentLength, data.length);
  assert.equal(head.ContentType, 'application/x-big');
  assert.deepEqual(head.Metadata, { m: '1' });
  assert.equal(head.ETag, expected);
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'big/file.bin', Range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` }));
  assert.deepEqual([...await got.Body!.transformToByteArray()], [...data.subarray(5 * MiB - 2, 5 * MiB + 2)]);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
  assert.equal(uploads.Uploads, undefined);
});

test('CompleteMultipartUpload refuses small parts, bad order, unknown parts; ListParts and ListMultipartUploads show progress; Abort', async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'manual' }));
  assert.ok(UploadId);
  const p1 = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'manual', UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'manual', UploadId, PartNumber: 2, Body: Buffer.alloc(10, 2) }));
  const parts = await s3.send(new ListPartsCommand({ Bucket: B, Key: 'manual', UploadId }));
  assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, 1024, p1.ETag], [2, 10, p2.ETag]]);
  const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
  assert.deepEqual(listed.Uploads?.map((u) => [u.Key, u.UploadId]), [['manual', UploadId]]);

  const small = await fails(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'manual', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } })));
  assert.equal(small.name, 'EntityTooSmall');
  assert.equal(small.message, 'Your proposed upload is smaller than the minimum allowed size');
  const order = await fails(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'manual', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }] } })));
  assert.equal(order.name, 'InvalidPartOrder');
  const unknown = await fails(s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'manual', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0123"' }] } })));
  assert.equal(unknown.name, 'InvalidPart');
  assert.equal(unknown.PartNumber, '1');

  // A single small part is also the last: allowed.
  const one = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'manual', UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: p2.ETag }] } }));
  assert.equal(one.ETag, `"${createHash('md5').update(md5(Buffer.alloc(10, 2))).digest('hex')}-1"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'manual' }));
  assert.deepEqual([...await got.Body!.transformToByteArray()], [...Buffer.alloc(10, 2)]);
  const gone = await fails(s3.send(new ListPartsCommand({ Bucket: B, Key: 'manual', UploadId })));
  assert.equal(gone.name, 'NoSuchUpload');
  assert.equal(gone.UploadId, UploadId);

  const second = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'aborted' }));
  await s3.send(new UploadPartCommand({ Bucket: B, Key: 'aborted', UploadId: second.UploadId, PartNumber: 1, Body: 'x' }));
  const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'aborted', UploadId: second.UploadId }));
  assert.equal(aborted.$metadata.httpStatusCode, 204);
  const again = await fails(s3.send(new UploadPartCommand({ Bucket: B, Key: 'aborted', UploadId: second.UploadId, PartNumber: 1, Body: 'x' })));
  assert.equal(again.name, 'NoSuchUpload');
  const badPart = await fails(s3.send(new UploadPartCommand({ Bucket: B, Key: 'aborted', UploadId: 'nope', PartNumber: 10001, Body: 'x' })));
  assert.equal(badPart.name, 'InvalidArgument');
});

test('UploadPartCopy copies a range of an object into a part; composite checksum of a CRC32 upload', async () => {
  const src = Buffer.alloc(6 * MiB, 9);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy-src', Body: src }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'copied', ChecksumAlgorithm: 'CRC32' }));
  const c1 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copied', UploadId, PartNumber: 1, CopySource: `${B}/copy-src`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
  const c2 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copied', UploadId, PartNumber: 2, CopySource: `${B}/copy-src`, CopySourceRange: `bytes=${5 * MiB}-${6 * MiB - 1}` }));
  assert.ok(c1.CopyPartResult?.ChecksumCRC32);
  const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'copied', UploadId, MultipartUpload: { Parts: [
    { PartNumber: 1, ETag: c1.CopyPartResult!.ETag, ChecksumCRC32: c1.CopyPartResult!.ChecksumCRC32 },
    { PartNumber: 2, ETag: c2.CopyPartResult!.ETag, ChecksumCRC32: c2.CopyPartResult!.ChecksumCRC32 },
  ] } }));
  assert.equal(out.ChecksumType, 'COMPOSITE');
  assert.match(out.ChecksumCRC32 ?? '', /^[A-Za-z0-9+/=]{8}-2$/);
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'copied' }));
  assert.equal(head.ContentLength, src.length);
  const fresh = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'copied' }));
  const bad = await fails(s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copied', UploadId: fresh.UploadId, PartNumber: 1, CopySource: `${B}/copy-src`, CopySourceRange: 'bytes=0-' })));
  assert.equal(bad.name, 'InvalidArgument');
});
