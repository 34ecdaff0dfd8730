/**
 * GetObjectAttributes through the SDK v3 and boto3: the attributes x-amz-object-attributes
 * asks for (ETag without quotes, Checksum, ObjectParts with MaxParts / PartNumberMarker
 * paging, StorageClass, ObjectSize), Last-Modified and the version id, and S3's errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutObjectCommand, GetObjectAttributesCommand, PutBucketVersioningCommand, DeleteObjectCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runBoto3 } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'attributes-bucket';
const { cloud, s3 } = s3Harness({ buckets: [B] });

const ALL = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;

test('a single-part object: ETag unquoted, its checksum, size, storage class; no ObjectParts', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'one', Body: 'hello', ChecksumAlgorithm: 'SHA256', StorageClass: 'STANDARD_IA' }));
  const a = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'one', ObjectAttributes: [...ALL] }));
  assert.equal(a.ETag, put.ETag!.replace(/"/g, ''));
  assert.deepEqual(a.Checksum, { ChecksumSHA256: put.ChecksumSHA256, ChecksumType: 'FULL_OBJECT' });
  assert.equal(a.ObjectSize, 5);
  assert.equal(a.StorageClass, 'STANDARD_IA');
  assert.equal(a.ObjectParts, undefined);
  assert.ok(a.LastModified instanceof Date);
  assert.equal(a.VersionId, undefined);
  const some = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'one', ObjectAttributes: ['ObjectSize'] }));
  assert.deepEqual([some.ObjectSize, some.ETag, some.Checksum, some.StorageClass], [5, undefined, undefined, undefined]);
});

test('a multipart object with checksums: ObjectParts paged by MaxParts and PartNumberMarker', async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'multi', ChecksumAlgorithm: 'CRC32' }));
  const part = Buffer.alloc(5 * 1024 * 1024, 'a');
  const parts = [];
  for (let n = 1; n <= 3; n++) {
    const body = n === 3 ? Buffer.from('tail') : part;
    const r = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'multi', UploadId, PartNumber: n, Body: body, ChecksumAlgorithm: 'CRC32' }));
    parts.push({ PartNumber: n, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
  }
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: 'multi', UploadId, MultipartUpload: { Parts: parts } }));
  const first = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'multi', ObjectAttributes: ['ObjectParts', 'ETag', 'ObjectSize'], MaxParts: 2 }));
  assert.equal(first.ETag, done.ETag!.replace(/"/g, ''));
  assert.equal(first.ObjectSize, 2 * part.length + 4);
  // The SDK's model types the markers as strings.
  assert.deepEqual(first.ObjectParts, {
    TotalPartsCount: 3, PartNumberMarker: '0', NextPartNumberMarker: '2', MaxParts: 2, IsTruncated: true,
    Parts: [{ PartNumber: 1, Size: part.length, ChecksumCRC32: parts[0]!.ChecksumCRC32 }, { PartNumber: 2, Size: part.length, ChecksumCRC32: parts[1]!.ChecksumCRC32 }],
  });
  const rest = await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'multi', ObjectAttributes: ['ObjectParts'], PartNumberMarker: '2' }));
  assert.deepEqual(rest.ObjectParts, {
    TotalPartsCount: 3, PartNumberMarker: '2', NextPartNumberMarker: '3', MaxParts: 1000, IsTruncated: false,
    Parts: [{ PartNumber: 3, Size: 4, ChecksumCRC32: parts[2]!.ChecksumCRC32 }],
  });
});

test('versions: VersionId reported, a named version read, a delete marker is NoSuchKey', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'attributes-versioned' }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: 'attributes-versioned', VersioningConfiguration: { Status: 'Enabled' } }));
  const v1 = await s3.send(new PutObjectCommand({ Bucket: 'attributes-versioned', Key: 'k', Body: 'one' }));
  await s3.send(new PutObjectCommand({ Bucket: 'attributes-versioned', Key: 'k', Body: 'three' }));
  const old = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attributes-versioned', Key: 'k', VersionId: v1.VersionId, ObjectAttributes: ['ObjectSize'] }));
  assert.deepEqual([old.VersionId, old.ObjectSize], [v1.VersionId, 3]);
  await s3.send(new DeleteObjectCommand({ Bucket: 'attributes-versioned', Key: 'k' }));
  const gone = await fails(s3.send(new GetObjectAttributesCommand({ Bucket: 'attributes-versioned', Key: 'k', ObjectAttributes: ['ObjectSize'] })));
  assert.deepEqual([gone.name, gone.$metadata.httpStatusCode], ['NoSuchKey', 404]);
});

test('errors: NoSuchKey, NoSuchBucket, an invalid attribute name, an invalid version id', async () => {
  const key = await fails(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'nope', ObjectAttributes: ['ETag'] })));
  assert.deepEqual([key.name, key.message, key.$metadata.httpStatusCode], ['NoSuchKey', 'The specified key does not exist.', 404]);
  const bucket = await fails(s3.send(new GetObjectAttributesCommand({ Bucket: 'no-such-attr-bucket', Key: 'k', ObjectAttributes: ['ETag'] })));
  assert.deepEqual([bucket.name, bucket.$metadata.httpStatusCode], ['NoSuchBucket', 404]);
  const attr = await fails(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'one', ObjectAttributes: ['Size' as 'ETag'] })));
  assert.deepEqual([attr.name, attr.message, attr.ArgumentName, attr.ArgumentValue], ['InvalidArgument', 'Invalid attribute name specified.', 'x-amz-object-attributes', 'Size']);
  const version = await fails(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'one', VersionId: 'bad', ObjectAttributes: ['ETag'] })));
  assert.deepEqual([version.name, version.message], ['InvalidArgument', 'Invalid version id specified']);
});

for (const client of externalClients().present.filter((c) => c.kind === 'boto3')) {
  test(`${client.name}: get_object_attributes`, async () => {
    const r = await runBoto3(client.bin, cloud.endpoint, `
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
a = s3.get_object_attributes(Bucket=${JSON.stringify(B)}, Key='one', ObjectAttributes=['ETag', 'ObjectSize', 'StorageClass'])
print(json.dumps([a['ETag'], a['ObjectSize'], a['StorageClass'], a['ResponseMetadata']['HTTPHeaders']['last-modified'] != '']))
`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['5d41402abc4b2a76b9719d911017c592', 5, 'STANDARD_IA', true]);
  });
}
