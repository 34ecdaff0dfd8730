/**
 * S3 objects through the SDK v3 (path style and virtual-hosted): put/get/head with
 * metadata, ranges, conditional reads and writes, checksums, copy, delete and listings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, DeleteObjectsCommand,
  CopyObjectCommand, ListObjectsCommand, ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'objects-bucket';
const { cloud, s3, client } = s3Harness({ buckets: [B] });
const vhost = client({ forcePathStyle: false });

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

test('PutObject then GetObject and HeadObject: ETag is the MD5, headers and user metadata kept', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/hello.txt', Body: 'Hello world', ContentType: 'text/plain', CacheControl: 'max-age=60', Metadata: { Owner: 'Ana', 'x-thing': 'v' } }));
  assert.equal(put.ETag, `"${md5('Hello world')}"`);
  assert.equal(put.ChecksumCRC32, 'i9aeUg==');
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'dir/hello.txt' }));
  assert.equal(await got.Body!.transformToString(), 'Hello world');
  assert.equal(got.ContentType, 'text/plain');
  assert.equal(got.CacheControl, 'max-age=60');
  assert.equal(got.ContentLength, 11);
  assert.equal(got.ETag, `"${md5('Hello world')}"`);
  assert.deepEqual(got.Metadata, { owner: 'Ana', 'x-thing': 'v' });
  assert.equal(got.AcceptRanges, 'bytes');
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'dir/hello.txt', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ContentLength, 11);
  assert.equal(head.ChecksumCRC32, 'i9aeUg==');
  assert.equal(head.ChecksumType, 'FULL_OBJECT');
  assert.ok(head.LastModified instanceof Date);
});

test('virtual-hosted addressing (<bucket>.localhost) reaches the same objects', async () => {
  await vhost.send(new PutObjectCommand({ Bucket: B, Key: 'vhost/a b+c.txt', Body: 'virtual' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'vhost/a b+c.txt' }));
  assert.equal(await got.Body!.transformToString(), 'virtual');
  const listed = await vhost.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'vhost/' }));
  assert.deepEqual(listed.Contents?.map((o) => o.Key), ['vhost/a b+c.txt']);
});

test('NoSuchKey and NoSuchBucket carry Key and BucketName; HEAD answers a bare 404', async () => {
  const e = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'missing' })));
  assert.equal(e.name, 'NoSuchKey');
  assert.equal(e.message, 'The specified key does not exist.');
  assert.equal(e.Key, 'missing');
  const nb = await fails(s3.send(new GetObjectCommand({ Bucket: 'no-bucket-x', Key: 'k' })));
  assert.equal(nb.name, 'NoSuchBucket');
  assert.equal(nb.BucketName, 'no-bucket-x');
  const head = await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'missing' })));
  assert.equal(head.$metadata.httpStatusCode, 404);
  assert.equal(head.name, 'NotFound');
});

test('Range: 206 with Content-Range, suffix and open ranges; InvalidRange 416 past the end', async () => {
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'digits', Body: '0123456789' }));
  const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'bytes=2-5' }));
  assert.equal(r.$metadata.httpStatusCode, 206);
  assert.equal(r.ContentRange, 'bytes 2-5/10');
  assert.equal(r.ContentLength, 4);
  assert.equal(await r.Body!.transformToString(), '2345');
  const suffix = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'bytes=-3' }));
  assert.equal(await suffix.Body!.transformToString(), '789');
  const open = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'bytes=8-' }));
  assert.equal(await open.Body!.transformToString(), '89');
  const e = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', Range: 'bytes=10-20' })));
  assert.equal(e.name, 'InvalidRange');
  assert.equal(e.$metadata.httpStatusCode, 416);
  assert.equal(e.message, 'The requested range is not satisfiable');
  assert.equal(e.RangeRequested, 'bytes=10-20');
  assert.equal(e.ActualObjectSize, '10');
});

test('conditional GET: If-Match 412 PreconditionFailed, If-None-Match 304, dates', async () => {
  const etag = `"${md5('0123456789')}"`;
  const ok = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', IfMatch: etag }));
  assert.equal(ok.$metadata.httpStatusCode, 200);
  await ok.Body!.transformToString();
  const pf = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', IfMatch: '"nope"' })));
  assert.equal(pf.name, 'PreconditionFailed');
  assert.equal(pf.$metadata.httpStatusCode, 412);
  assert.equal(pf.message, 'At least one of the pre-conditions you specified did not hold');
  assert.equal(pf.Condition, 'If-Match');
  const nm = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', IfNoneMatch: etag })));
  assert.equal(nm.$metadata.httpStatusCode, 304);
  const later = new Date(Date.now() + 3_600_000);
  const earlier = new Date(Date.now() - 3_600_000);
  const ims = await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'digits', IfModifiedSince: new Date(Date.now() + 1000 * 0) })));
  assert.equal(ims.$metadata.httpStatusCode, 304);
  const ius = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', IfUnmodifiedSince: earlier })));
  assert.equal(ius.Condition, 'If-Unmodified-Since');
  const fine = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', IfUnmodifiedSince: later, IfModifiedSince: earlier }));
  assert.equal(await fine.Body!.transformToString(), '0123456789');
});

test('response-* overrides change only the answer', async () => {
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'digits', ResponseContentType: 'application/x-test', ResponseContentDisposition: 'attachment; filename="d.txt"', ResponseCacheControl: 'no-cache' }));
  assert.equal(got.ContentType, 'application/x-test');
  assert.equal(got.ContentDisposition, 'attachment; filename="d.txt"');
  assert.equal(got.CacheControl, 'no-cache');
  await got.Body!.transformToString();
  const again = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'digits' }));
  assert.equal(again.ContentType, 'application/octet-stream');
});

test('conditional writes: If-None-Match * refuses an existing key, If-Match a different ETag', async () => {
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
  const e = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'second', IfNoneMatch: '*' })));
  assert.equal(e.name, 'PreconditionFailed');
  assert.equal(e.Condition, 'If-None-Match');
  const m = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'third', IfMatch: '"abc"' })));
  assert.equal(m.Condition, 'If-Match');
  const missing = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'never', Body: 'x', IfMatch: '"abc"' })));
  assert.equal(missing.name, 'NoSuchKey');
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'once', Body: 'fourth', IfMatch: `"${md5('first')}"` }));
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'once' }));
  assert.equal(await got.Body!.transformToString(), 'fourth');
});

test('checksums: each algorithm stored and returned with ChecksumMode; a wrong one is BadDigest; Content-MD5 verified', async () => {
  const body = 'Hello world';
  const cases = [['CRC32', 'ChecksumCRC32', 'i9aeUg=='], ['CRC32C', 'ChecksumCRC32C', 'crUfeA=='], ['CRC64NVME', 'ChecksumCRC64NVME', 'OOJZ0D8xKts='], ['SHA1', 'ChecksumSHA1', 'e1AsOh9IyGCa4hLN+2Od7jlnP14='], ['SHA256', 'ChecksumSHA256', 'ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=']] as const;
  for (const [algorithm, member, value] of cases) {
    const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: `sum/${algorithm}`, Body: body, ChecksumAlgorithm: algorithm }));
    assert.equal(put[member], value, algorithm);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: `sum/${algorithm}`, ChecksumMode: 'ENABLED' }));
    assert.equal(got[member], value, algorithm);
    await got.Body!.transformToString();
  }
  const bad = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'sum/bad', Body: body, ChecksumSHA256: Buffer.alloc(32).toString('base64') })));
  assert.equal(bad.name, 'BadDigest');
  assert.equal(bad.message, 'The SHA256 you specified did not match the calculated checksum.');
  const badMd5 = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'sum/md5', Body: body, ContentMD5: createHash('md5').update('other').digest('base64') })));
  assert.equal(badMd5.name, 'BadDigest');
  assert.equal(badMd5.message, 'The Content-MD5 you specified did not match what we received.');
  const goodMd5 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'sum/md5', Body: body, ContentMD5: createHash('md5').update(body).digest('base64') }));
  assert.equal(goodMd5.ETag, `"${md5(body)}"`);
  const nothing = await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'sum/bad' })));
  assert.equal(nothing.$metadata.httpStatusCode, 404);
});

test('streamed bodies with trailing checksums (aws-chunked) are decoded and verified', async () => {
  const { Readable } = await import('node:stream');
  const data = Buffer.alloc(200_000, 7);
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'streamed', Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length, ChecksumAlgorithm: 'CRC32C' }));
  assert.equal(put.ETag, `"${md5(data)}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'streamed', ChecksumMode: 'ENABLED' }));
  assert.equal(got.ChecksumCRC32C, put.ChecksumCRC32C);
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
});

test('CopyObject: metadata copied by default, replaced with REPLACE, across buckets; copying onto itself unchanged is refused', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'copy-target' }));
  const copied = await s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'c1', CopySource: `${B}/dir/hello.txt` }));
  assert.equal(copied.CopyObjectResult?.ETag, `"${md5('Hello world')}"`);
  const h1 = await s3.send(new HeadObjectCommand({ Bucket: 'copy-target', Key: 'c1' }));
  assert.equal(h1.ContentType, 'text/plain');
  assert.deepEqual(h1.Metadata, { owner: 'Ana', 'x-thing': 'v' });
  await s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'c2', CopySource: `/${B}/dir/hello.txt`, MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { fresh: '1' } }));
  const h2 = await s3.send(new HeadObjectCommand({ Bucket: 'copy-target', Key: 'c2' }));
  assert.equal(h2.ContentType, 'text/x-new');
  assert.deepEqual(h2.Metadata, { fresh: '1' });
  await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'vhost/copy', CopySource: encodeURIComponent(`${B}/vhost/a b+c.txt`) }));
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'vhost/copy' }));
  assert.equal(await got.Body!.transformToString(), 'virtual');
  const self = await fails(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'digits', CopySource: `${B}/digits` })));
  assert.equal(self.name, 'InvalidRequest');
  const missing = await fails(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: `${B}/missing-source` })));
  assert.equal(missing.name, 'NoSuchKey');
  const cond = await fails(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'x', CopySource: `${B}/digits`, CopySourceIfMatch: '"nope"' })));
  assert.equal(cond.name, 'PreconditionFailed');
});

test('DeleteObject is idempotent; DeleteObjects reports each key, nothing when Quiet', async () => {
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'del/1', Body: '1' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'del/2', Body: '2' }));
  const d = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'del/1' }));
  assert.equal(d.$metadata.httpStatusCode, 204);
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'del/1' }));
  const many = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/none' }] } }));
  assert.deepEqual(many.Deleted?.map((x) => x.Key), ['del/2', 'del/none']);
  assert.equal(many.Errors, undefined);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'del/3', Body: '3' }));
  const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'del/3' }], Quiet: true } }));
  assert.equal(quiet.Deleted, undefined);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'del/' }));
  assert.equal(listed.KeyCount, 0);
  assert.equal(listed.Contents, undefined);
});

test('ListObjectsV2: prefix, delimiter, CommonPrefixes, max-keys pages, start-after, url encoding', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'list-bucket' }));
  const keys = ['a/1', 'a/2', 'b/1', 'c', 'd e', 'd/x/y', 'e'];
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: 'list-bucket', Key: k, Body: k }));
  const all = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket' }));
  assert.deepEqual(all.Contents?.map((o) => o.Key), keys);
  assert.equal(all.KeyCount, 7);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Contents![0]!.Size, 3);
  assert.equal(all.Contents![0]!.StorageClass, 'STANDARD');
  assert.equal(all.Contents![0]!.Owner, undefined);
  const rolled = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Delimiter: '/' }));
  assert.deepEqual(rolled.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/', 'd/']);
  assert.deepEqual(rolled.Contents?.map((o) => o.Key), ['c', 'd e', 'e']);
  assert.equal(rolled.KeyCount, 6);
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const p = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
    pages.push([...(p.CommonPrefixes ?? []).map((c) => c.Prefix!), ...(p.Contents ?? []).map((o) => o.Key!)].sort());
    token = p.NextContinuationToken;
    assert.equal(p.IsTruncated, token !== undefined);
  } while (token);
  assert.deepEqual(pages, [['a/', 'b/'], ['c', 'd e'], ['d/', 'e']]);
  const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', StartAfter: 'c', FetchOwner: true }));
  assert.deepEqual(after.Contents?.map((o) => o.Key), ['d e', 'd/x/y', 'e']);
  assert.match(after.Contents![0]!.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  const sub = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'd/', Delimiter: '/' }));
  assert.deepEqual(sub.CommonPrefixes?.map((p) => p.Prefix), ['d/x/']);
  const enc = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'd', EncodingType: 'url' }));
  assert.deepEqual(enc.Contents?.map((o) => o.Key), ['d+e', 'd/x/y']);
  const bad = await fails(s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', ContinuationToken: 'garbage' })));
  assert.equal(bad.name, 'InvalidArgument');
  assert.equal(bad.ArgumentName, 'continuation-token');
});

test('ListObjects (v1): Marker and NextMarker with a delimiter, Owner on entries', async () => {
  const first = await s3.send(new ListObjectsCommand({ Bucket: 'list-bucket', Delimiter: '/', MaxKeys: 3 }));
  assert.deepEqual(first.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/']);
  assert.deepEqual(first.Contents?.map((o) => o.Key), ['c']);
  assert.equal(first.IsTruncated, true);
  assert.equal(first.NextMarker, 'c');
  assert.match(first.Contents![0]!.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  const second = await s3.send(new ListObjectsCommand({ Bucket: 'list-bucket', Delimiter: '/', Marker: first.NextMarker }));
  assert.deepEqual(second.CommonPrefixes?.map((p) => p.Prefix), ['d/']);
  assert.deepEqual(second.Contents?.map((o) => o.Key), ['d e', 'e']);
  assert.equal(second.IsTruncated, false);
  assert.equal(second.NextMarker, undefined);
});

test('a PutObject cut off mid-body (small or past the in-memory size) stores nothing; the key takes a whole upload afterwards', async () => {
  for (const [key, length] of [['cut-small', 2048], ['cut-large', 300 * 1024]] as const) {
    const url = new URL(await getSignedUrl(s3, new PutObjectCommand({ Bucket: B, Key: key }), { expiresIn: 300 }));
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'PUT', headers: { 'content-length': String(length) } });
      req.on('error', () => resolve());
      req.on('response', (res) => { res.resume(); resolve(); });
      req.write(Buffer.alloc(Math.min(length - 1, 128 * 1024), 1), () => setTimeout(() => req.destroy(), 50));
    });
    const missing = await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: key })));
    assert.equal(missing.$metadata.httpStatusCode, 404);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: 'whole' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
    assert.equal(await got.Body!.transformToString(), 'whole');
  }
});

test('concurrent PutObjects (committed together) each store their own body and ETag; a failing one fails alone, a lost create race with 412', async () => {
  const bodies = Array.from({ length: 40 }, (_, i) => `body ${i} `.repeat(i + 1));
  const wrong = createHash('md5').update('something else').digest('base64');
  const results = await Promise.allSettled(bodies.map((Body, i) => s3.send(new PutObjectCommand({ Bucket: B, Key: `together/${i}`, Body, ...(i === 7 ? { ContentMD5: wrong } : {}) }))));
  results.forEach((r, i) => {
    if (i === 7) assert.equal(r.status === 'rejected' && (r.reason as Error).name, 'BadDigest');
    else assert.equal(r.status === 'fulfilled' && r.value.ETag, `"${md5(bodies[i]!)}"`);
  });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'together/' }));
  assert.equal(listed.KeyCount, 39);
  assert.equal(listed.Contents!.some((o) => o.Key === 'together/7'), false);
  for (const i of [0, 13, 39]) {
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: `together/${i}` }));
    assert.equal(await got.Body!.transformToString(), bodies[i]);
  }
  // Two creates of one new key with If-None-Match: * race to the commit: one stores, the other is refused.
  const race = await Promise.allSettled(['first', 'second'].map((Body) => s3.send(new PutObjectCommand({ Bucket: B, Key: 'together/race', Body, IfNoneMatch: '*' }))));
  const won = race.findIndex((r) => r.status === 'fulfilled');
  const lost = race[1 - won]!;
  assert.equal(lost.status === 'rejected' && (lost.reason as { name: string; $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 412);
  const stored = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'together/race' }));
  assert.equal(await stored.Body!.transformToString(), ['first', 'second'][won]);
});
