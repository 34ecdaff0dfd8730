/**
 * S3 buckets through the SDK v3: creation rules (LocationConstraint, names global
 * across accounts), deletion of non-empty buckets, listing, head and location.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCommand, ListBucketsCommand, HeadBucketCommand, GetBucketLocationCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3, client } = s3Harness();
const other = client({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' } });
const west = client({ region: 'eu-west-1' });

test('CreateBucket in us-east-1, again by the owner (200, legacy), by another account (409 BucketAlreadyExists)', async () => {
  const out = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
  assert.equal(out.Location, '/alpha-bucket');
  await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
  const e = await fails(other.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' })));
  assert.equal(e.name, 'BucketAlreadyExists');
  assert.equal(e.$metadata.httpStatusCode, 409);
  assert.equal(e.message, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.');
  assert.equal(e.BucketName, 'alpha-bucket');
});

test('CreateBucket outside us-east-1 needs the matching LocationConstraint (the SDK fills it in); re-creating is BucketAlreadyOwnedByYou', async () => {
  const wrong = await fails(west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } })));
  assert.equal(wrong.name, 'IllegalLocationConstraintException');
  assert.equal(wrong.message, 'The eu-central-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
  const east = await fails(s3.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })));
  assert.equal(east.name, 'InvalidLocationConstraint');
  await west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const again = await fails(west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  assert.equal(again.name, 'BucketAlreadyOwnedByYou');
  assert.equal(again.$metadata.httpStatusCode, 409);
  assert.equal(again.message, 'Your previous request to create the named bucket succeeded and you already own it.');
  const loc = await west.send(new GetBucketLocationCommand({ Bucket: 'west-bucket' }));
  assert.equal(loc.LocationConstraint, 'eu-west-1');
  const head = await west.send(new HeadBucketCommand({ Bucket: 'west-bucket' }));
  assert.equal(head.BucketRegion, 'eu-west-1');
});

test('InvalidBucketName for names S3 refuses', async () => {
  for (const name of ['ab', 'Upper-Case', 'under_score', '192.168.1.1', 'a..b', 'xn--abc', 'bucket-', 'x'.repeat(64)]) {
    const e = await fails(s3.send(new CreateBucketCommand({ Bucket: name })));
    assert.equal(e.name, 'InvalidBucketName', name);
    assert.equal(e.message, 'The specified bucket is not valid.');
    assert.equal(e.BucketName, name);
  }
});

test('GetBucketLocation is empty in us-east-1; HeadBucket 404 for a missing bucket, 403 for another account\'s', async () => {
  const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha-bucket' }));
  assert.equal(loc.LocationConstraint, undefined);
  const missing = await fails(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-here' })));
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.equal(missing.name, 'NotFound');
  const foreign = await fails(other.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' })));
  assert.equal(foreign.$metadata.httpStatusCode, 403);
  const noLoc = await fails(s3.send(new GetBucketLocationCommand({ Bucket: 'no-such-bucket-here' })));
  assert.equal(noLoc.name, 'NoSuchBucket');
  assert.equal(noLoc.message, 'The specified bucket does not exist');
  assert.equal(noLoc.BucketName, 'no-such-bucket-here');
});

test('ListBuckets lists the caller\'s buckets only, by name, with prefix and pages', async () => {
  await other.send(new CreateBucketCommand({ Bucket: 'other-account-bucket' }));
  const mine = await s3.send(new ListBucketsCommand({}));
  assert.deepEqual(mine.Buckets?.map((b) => [b.Name, b.BucketRegion]), [['alpha-bucket', 'us-east-1'], ['west-bucket', 'eu-west-1']]);
  assert.match(mine.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  assert.ok(mine.Buckets![0]!.CreationDate instanceof Date);
  const page = await s3.send(new ListBucketsCommand({ MaxBuckets: 1 }));
  assert.deepEqual(page.Buckets?.map((b) => b.Name), ['alpha-bucket']);
  assert.ok(page.ContinuationToken);
  const next = await s3.send(new ListBucketsCommand({ MaxBuckets: 1, ContinuationToken: page.ContinuationToken }));
  assert.deepEqual(next.Buckets?.map((b) => b.Name), ['west-bucket']);
  assert.equal(next.ContinuationToken, undefined);
  const prefixed = await s3.send(new ListBucketsCommand({ Prefix: 'we' }));
  assert.deepEqual(prefixed.Buckets?.map((b) => b.Name), ['west-bucket']);
  const theirs = await other.send(new ListBucketsCommand({}));
  assert.deepEqual(theirs.Buckets?.map((b) => b.Name), ['other-account-bucket']);
});

test('DeleteBucket: BucketNotEmpty while objects remain, NoSuchBucket after', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'doomed-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'doomed-bucket', Key: 'k', Body: 'x' }));
  const e = await fails(s3.send(new DeleteBucketCommand({ Bucket: 'doomed-bucket' })));
  assert.equal(e.name, 'BucketNotEmpty');
  assert.equal(e.$metadata.httpStatusCode, 409);
  assert.equal(e.message, 'The bucket you tried to delete is not empty');
  assert.equal(e.BucketName, 'doomed-bucket');
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.send(new DeleteObjectCommand({ Bucket: 'doomed-bucket', Key: 'k' }));
  const out = await s3.send(new DeleteBucketCommand({ Bucket: 'doomed-bucket' }));
  assert.equal(out.$metadata.httpStatusCode, 204);
  const gone = await fails(s3.send(new DeleteBucketCommand({ Bucket: 'doomed-bucket' })));
  assert.equal(gone.name, 'NoSuchBucket');
});
