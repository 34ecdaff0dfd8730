/**
 * S3 versioning through the SDK v3: version ids on writes and reads, null versions,
 * delete markers (404 with x-amz-delete-marker, 405 on the marker's version),
 * ListObjectVersions paging and rollups, DeleteObjects by version, suspension.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, DeleteObjectsCommand,
  CopyObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutBucketVersioningCommand, GetBucketVersioningCommand,
  DeleteBucketCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runCli } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3 } = s3Harness();

async function versionedBucket(name: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
}

const text = async (b: string, k: string, v?: string) => (await s3.send(new GetObjectCommand({ Bucket: b, Key: k, VersionId: v }))).Body!.transformToString();

test('GetBucketVersioning is empty until configured, then Enabled / Suspended', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'ver-config' }));
  const none = await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }));
  assert.equal(none.Status, undefined);
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'ver-config', VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }))).Status, 'Enabled');
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'ver-config', VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-config' }))).Status, 'Suspended');
  const e = await fails(s3.send(new GetBucketVersioningCommand({ Bucket: 'ver-missing' })));
  assert.equal(e.name, 'NoSuchBucket');
});

test('each put makes a version; reads by version id; an unversioned bucket reports none', async () => {
  const B = 'ver-puts';
  await s3.send(new CreateBucketCommand({ Bucket: B }));
  const plain = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'before' }));
  assert.equal(plain.VersionId, undefined);
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'k' }))).VersionId, undefined);
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
  const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'one' }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'two' }));
  assert.match(v1.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.notEqual(v1.VersionId, v2.VersionId);
  assert.equal(await text(B, 'k'), 'two');
  assert.equal(await text(B, 'k', v1.VersionId), 'one');
  assert.equal(await text(B, 'k', 'null'), 'before');
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'k' }));
  assert.equal(got.VersionId, v2.VersionId);
  const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'k', VersionId: 'null' }));
  assert.equal(head.VersionId, 'null');
  assert.equal(head.ContentLength, 6);
  const missing = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'k', VersionId: 'A'.repeat(32) })));
  assert.equal(missing.name, 'NoSuchVersion');
  assert.equal(missing.message, 'The specified version does not exist.');
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.equal(missing.Key, 'k');
  assert.equal(missing.VersionId, 'A'.repeat(32));
  const bad = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'k', VersionId: 'not-a-version' })));
  assert.equal(bad.name, 'InvalidArgument');
  assert.equal(bad.message, 'Invalid version id specified');
  assert.equal(bad.ArgumentName, 'versionId');
});

test('delete markers: GET answers 404 NoSuchKey with x-amz-delete-marker, the marker version 405', async () => {
  const B = 'ver-markers';
  await versionedBucket(B);
  const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'gone.txt', Body: 'data' }));
  const del = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone.txt' }));
  assert.equal(del.DeleteMarker, true);
  assert.match(del.VersionId!, /^[A-Za-z0-9._]{32}$/);
  const e = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'gone.txt' })));
  assert.equal(e.name, 'NoSuchKey');
  assert.equal(e.$metadata.httpStatusCode, 404);
  assert.equal(e.$response?.headers['x-amz-delete-marker'], 'true');
  assert.equal(e.$response?.headers['x-amz-version-id'], del.VersionId);
  const onMarker = await fails(s3.send(new GetObjectCommand({ Bucket: B, Key: 'gone.txt', VersionId: del.VersionId })));
  assert.equal(onMarker.name, 'MethodNotAllowed');
  assert.equal(onMarker.message, 'The specified method is not allowed against this resource.');
  assert.equal(onMarker.$metadata.httpStatusCode, 405);
  assert.equal(onMarker.Method, 'GET');
  assert.equal(onMarker.ResourceType, 'DeleteMarker');
  assert.equal(onMarker.$response?.headers['x-amz-delete-marker'], 'true');
  const headMarker = await fails(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'gone.txt' })));
  assert.equal(headMarker.$metadata.httpStatusCode, 404);
  assert.equal(headMarker.$response?.headers['x-amz-delete-marker'], 'true');
  // The key is hidden from listings but the old version is still readable.
  assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: B }))).KeyCount, 0);
  assert.equal(await text(B, 'gone.txt', v1.VersionId), 'data');
  // Deleting the marker's version brings the object back.
  const undo = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone.txt', VersionId: del.VersionId }));
  assert.equal(undo.DeleteMarker, true);
  assert.equal(undo.VersionId, del.VersionId);
  assert.equal(await text(B, 'gone.txt'), 'data');
  // A version that does not exist: 204 with the id echoed (as S3 does).
  const nothing = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone.txt', VersionId: 'B'.repeat(32) }));
  assert.equal(nothing.VersionId, 'B'.repeat(32));
  assert.equal(nothing.DeleteMarker, undefined);
  // A bucket with versions is not empty.
  const notEmpty = await fails(s3.send(new DeleteBucketCommand({ Bucket: B })));
  assert.equal(notEmpty.name, 'BucketNotEmpty');
});

test('ListObjectVersions: versions newest first, delete markers, IsLatest, paging by key and version markers', async () => {
  const B = 'ver-list';
  await versionedBucket(B);
  const a1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'a', Body: '1' }));
  const a2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'a', Body: '22' }));
  const a3 = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'a' }));
  const b1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'b', Body: '333' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/x', Body: 'x' }));
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/y', Body: 'y' }));
  const all = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  assert.deepEqual(all.Versions!.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size]), [
    ['a', a2.VersionId, false, 2], ['a', a1.VersionId, false, 1], ['b', b1.VersionId, true, 3],
    ['dir/x', all.Versions![3]!.VersionId, true, 1], ['dir/y', all.Versions![4]!.VersionId, true, 1],
  ]);
  assert.deepEqual(all.DeleteMarkers!.map((d) => [d.Key, d.VersionId, d.IsLatest]), [['a', a3.VersionId, true]]);
  assert.equal(all.IsTruncated, false);
  assert.equal(all.Versions![0]!.ETag, `"${createHash('md5').update('22').digest('hex')}"`);
  assert.ok(all.Versions![0]!.Owner?.ID);
  // Paging two at a time walks the same sequence.
  const seen: string[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (let i = 0; i < 10; i++) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: B, MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    const items = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].sort((x, y) => (x.Key! < y.Key! ? -1 : x.Key! > y.Key! ? 1 : 0));
    for (const v of items) seen.push(`${v.Key}@${v.VersionId}`);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  assert.equal(seen.length, 6);
  assert.deepEqual(new Set(seen).size, 6);
  assert.deepEqual(seen.slice(0, 3).sort(), [`a@${a1.VersionId}`, `a@${a2.VersionId}`, `a@${a3.VersionId}`].sort());
  // Prefix and delimiter.
  const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Delimiter: '/' }));
  assert.deepEqual(rolled.CommonPrefixes, [{ Prefix: 'dir/' }]);
  assert.deepEqual(rolled.Versions!.map((v) => v.Key), ['a', 'a', 'b']);
  const dir = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'dir/', MaxKeys: 1 }));
  assert.deepEqual(dir.Versions!.map((v) => v.Key), ['dir/x']);
  assert.equal(dir.IsTruncated, true);
  assert.equal(dir.NextKeyMarker, 'dir/x');
  // KeyMarker alone skips every version of that key.
  const afterA = await s3.send(new ListObjectVersionsCommand({ Bucket: B, KeyMarker: 'a' }));
  assert.deepEqual(afterA.Versions!.map((v) => v.Key), ['b', 'dir/x', 'dir/y']);
  assert.equal(afterA.DeleteMarkers, undefined);
  const noKey = await fails(s3.send(new ListObjectVersionsCommand({ Bucket: B, VersionIdMarker: a1.VersionId })));
  assert.equal(noKey.name, 'InvalidArgument');
  assert.equal(noKey.message, 'A version-id marker cannot be specified without a key marker.');
});

test('suspended versioning writes the null version, replacing the previous null version only', async () => {
  const B = 'ver-suspended';
  await versionedBucket(B);
  const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'v1' }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Suspended' } }));
  const n1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'n1' }));
  assert.equal(n1.VersionId, 'null');
  const n2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'n2' }));
  assert.equal(n2.VersionId, 'null');
  const list = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  assert.deepEqual(list.Versions!.map((v) => [v.VersionId, v.IsLatest]), [['null', true], [v1.VersionId, false]]);
  const del = await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
  assert.deepEqual([del.DeleteMarker, del.VersionId], [true, 'null']);
  const after = await s3.send(new ListObjectVersionsCommand({ Bucket: B }));
  assert.deepEqual(after.Versions!.map((v) => v.VersionId), [v1.VersionId]);
  assert.deepEqual(after.DeleteMarkers!.map((v) => [v.VersionId, v.IsLatest]), [['null', true]]);
});

test('DeleteObjects with version ids; CopyObject from a version reports CopySourceVersionId', async () => {
  const B = 'ver-batch';
  await versionedBucket(B);
  const v1 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'first' }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'second' }));
  const copy = await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy', CopySource: `${B}/k?versionId=${v1.VersionId}` }));
  assert.equal(copy.CopySourceVersionId, v1.VersionId);
  assert.match(copy.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.equal(await text(B, 'copy'), 'first');
  const out = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'k', VersionId: v1.VersionId }, { Key: 'copy' }, { Key: 'k', VersionId: 'bogus' }] } }));
  assert.deepEqual(out.Deleted!.map((d) => [d.Key, d.VersionId, d.DeleteMarker]), [['k', v1.VersionId, undefined], ['copy', undefined, true]]);
  assert.match(out.Deleted![1]!.DeleteMarkerVersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.deepEqual(out.Errors, [{ Key: 'k', VersionId: 'bogus', Code: 'NoSuchVersion', Message: 'The specified version does not exist.' }]);
  const left = await s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'k' }));
  assert.deepEqual(left.Versions!.map((v) => v.VersionId), [v2.VersionId]);
  const fromMarker = await fails(s3.send(new CopyObjectCommand({ Bucket: B, Key: 'c2', CopySource: `${B}/copy?versionId=${out.Deleted![1]!.DeleteMarkerVersionId}` })));
  assert.equal(fromMarker.name, 'InvalidRequest');
  assert.equal(fromMarker.message, 'The source of a copy request may not specifically refer to a delete marker by version id.');
});

const { present } = externalClients();
const cli = present.find((c) => c.kind === 'cli');
test('AWS CLI: put-bucket-versioning and list-object-versions', { skip: cli ? false : 'no AWS CLI' }, async () => {
  const B = 'ver-cli';
  await versionedBucket(B);
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }));
  await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }));
  const r = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'list-object-versions', '--bucket', B]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.Versions.length, 1);
  assert.equal(out.DeleteMarkers.length, 1);
  assert.equal(out.DeleteMarkers[0].IsLatest, true);
  const g = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-versioning', '--bucket', B]);
  assert.deepEqual(JSON.parse(g.stdout), { Status: 'Enabled' });
});
