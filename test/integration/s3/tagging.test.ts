/**
 * S3 object and bucket tagging through the SDK v3 and boto3: tag sets per version, the
 * x-amz-tagging header on PutObject / CreateMultipartUpload / CopyObject, x-amz-tagging-count,
 * and S3's validation (counts, lengths, duplicates, aws: prefix, NoSuchTagSet).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CopyObjectCommand,
  PutObjectTaggingCommand, GetObjectTaggingCommand, DeleteObjectTaggingCommand, PutBucketTaggingCommand, GetBucketTaggingCommand,
  DeleteBucketTaggingCommand, PutBucketVersioningCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runBoto3 } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'tagging-bucket';
const { cloud, s3 } = s3Harness({ buckets: [B] });

const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));

test('x-amz-tagging on PutObject, x-amz-tagging-count on GET and HEAD, Get/Put/DeleteObjectTagging', async () => {
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'obj', Body: 'x', Tagging: 'team=data&stage=dev%20one' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'obj' }));
  assert.equal(got.TagCount, 2);
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'obj' }))).TagSet, [{ Key: 'team', Value: 'data' }, { Key: 'stage', Value: 'dev one' }]);
  await s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'obj', Tagging: { TagSet: [{ Key: 'only', Value: '' }] } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'obj' }))).TagCount, 1);
  await s3.send(new DeleteObjectTaggingCommand({ Bucket: B, Key: 'obj' }));
  const empty = await s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'obj' }));
  assert.deepEqual(empty.TagSet, []);
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: B, Key: 'obj' }))).TagCount, undefined);
  const missing = await fails(s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'nope' })));
  assert.equal(missing.name, 'NoSuchKey');
});

test('object tag validation: count, lengths, duplicate keys, aws: prefix', async () => {
  await s3.send(new PutObjectCommand({ Bucket: B, Key: 'v', Body: 'x' }));
  const many = await fails(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', Tagging: { TagSet: tags(11) } })));
  assert.equal(many.name, 'BadRequest');
  assert.equal(many.message, 'Object tags cannot be greater than 10');
  const longKey = await fails(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: 'v' }] } })));
  assert.equal(longKey.name, 'InvalidTag');
  assert.equal(longKey.message, 'The TagKey you have provided is too long, max 128');
  const longValue = await fails(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', Tagging: { TagSet: [{ Key: 'k', Value: 'v'.repeat(257) }] } })));
  assert.equal(longValue.message, 'The TagValue you have provided is too long, max 256');
  const dup = await fails(s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
  assert.equal(dup.name, 'InvalidTag');
  assert.equal(dup.message, 'Cannot provide multiple Tags with the same key');
  const reserved = await fails(s3.send(new PutObjectCommand({ Bucket: B, Key: 'w', Body: 'x', Tagging: 'aws:thing=1' })));
  assert.equal(reserved.name, 'InvalidTag');
  assert.equal(reserved.message, 'Your TagKey cannot be prefixed with aws:');
  const ten = await s3.send(new PutObjectTaggingCommand({ Bucket: B, Key: 'v', Tagging: { TagSet: tags(10) } }));
  assert.equal(ten.VersionId, undefined);
});

test('tags per version; CopyObject copies tags or replaces them (TaggingDirective); multipart uploads carry x-amz-tagging', async () => {
  const V = 'tagging-versions';
  await s3.send(new CreateBucketCommand({ Bucket: V }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: V, VersioningConfiguration: { Status: 'Enabled' } }));
  const v1 = await s3.send(new PutObjectCommand({ Bucket: V, Key: 'k', Body: '1', Tagging: 'gen=1' }));
  const v2 = await s3.send(new PutObjectCommand({ Bucket: V, Key: 'k', Body: '2' }));
  const put = await s3.send(new PutObjectTaggingCommand({ Bucket: V, Key: 'k', VersionId: v1.VersionId, Tagging: { TagSet: [{ Key: 'gen', Value: 'one' }] } }));
  assert.equal(put.VersionId, v1.VersionId);
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'k', VersionId: v1.VersionId }))).TagSet, [{ Key: 'gen', Value: 'one' }]);
  const current = await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'k' }));
  assert.deepEqual([current.VersionId, current.TagSet], [v2.VersionId, []]);
  await s3.send(new CopyObjectCommand({ Bucket: V, Key: 'copied', CopySource: `${V}/k?versionId=${v1.VersionId}` }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'copied' }))).TagSet, [{ Key: 'gen', Value: 'one' }]);
  await s3.send(new CopyObjectCommand({ Bucket: V, Key: 'replaced', CopySource: `${V}/k?versionId=${v1.VersionId}`, TaggingDirective: 'REPLACE', Tagging: 'new=tag' }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: V, Key: 'replaced' }))).TagSet, [{ Key: 'new', Value: 'tag' }]);
  const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: V, Key: 'mp', Tagging: 'from=upload' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: V, Key: 'mp', UploadId: up.UploadId, PartNumber: 1, Body: 'part' }));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: V, Key: 'mp', UploadId: up.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.match(done.VersionId!, /^[A-Za-z0-9._]{32}$/);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: V, Key: 'mp' }))).TagCount, 1);
});

test('bucket tagging: NoSuchTagSet, put/get/delete, 50-tag limit', async () => {
  const none = await fails(s3.send(new GetBucketTaggingCommand({ Bucket: B })));
  assert.equal(none.name, 'NoSuchTagSet');
  assert.equal(none.message, 'The TagSet does not exist');
  assert.equal(none.$metadata.httpStatusCode, 404);
  await s3.send(new PutBucketTaggingCommand({ Bucket: B, Tagging: { TagSet: tags(50) } }));
  assert.equal((await s3.send(new GetBucketTaggingCommand({ Bucket: B }))).TagSet!.length, 50);
  const many = await fails(s3.send(new PutBucketTaggingCommand({ Bucket: B, Tagging: { TagSet: tags(51) } })));
  assert.equal(many.$metadata.httpStatusCode, 400);
  assert.equal(many.message, 'Bucket tag count cannot be greater than 50');
  await s3.send(new DeleteBucketTaggingCommand({ Bucket: B }));
  assert.equal((await fails(s3.send(new GetBucketTaggingCommand({ Bucket: B })))).name, 'NoSuchTagSet');
});

const boto = externalClients().present.filter((c) => c.kind === 'boto3');
boto.forEach((client, i) => {
  test(`${client.name}: put_object Tagging, get_object_tagging, put_bucket_tagging`, async () => {
    const bucket = `tagging-boto-${i}`;
    const r = await runBoto3(client.bin, cloud.endpoint, `
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.create_bucket(Bucket=${JSON.stringify(bucket)})
s3.put_object(Bucket=${JSON.stringify(bucket)}, Key='k', Body=b'x', Tagging='a=1&b=2')
out = {'tags': s3.get_object_tagging(Bucket=${JSON.stringify(bucket)}, Key='k')['TagSet']}
out['count'] = s3.get_object(Bucket=${JSON.stringify(bucket)}, Key='k')['TagCount']
s3.put_bucket_tagging(Bucket=${JSON.stringify(bucket)}, Tagging={'TagSet': [{'Key': 'env', 'Value': 'test'}]})
out['bucket'] = s3.get_bucket_tagging(Bucket=${JSON.stringify(bucket)})['TagSet']
s3.delete_bucket_tagging(Bucket=${JSON.stringify(bucket)})
try:
    s3.get_bucket_tagging(Bucket=${JSON.stringify(bucket)})
except botocore.exceptions.ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps(out))
`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], count: 2,
      bucket: [{ Key: 'env', Value: 'test' }], error: ['NoSuchTagSet', 'The TagSet does not exist'],
    });
  });
});
