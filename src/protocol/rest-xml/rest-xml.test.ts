/**
 * rest-xml codec against the real S3 client (SDK v3): requests the SDK builds
 * parse back into exactly the input given, responses the codec writes parse
 * through the SDK into exactly the output given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as s3 from '@aws-sdk/client-s3';
import { loadModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import type { WireResponse } from '../types.js';
import { SdkOracle, readAll } from '../rest/sdk-oracle.test-helper.js';
import { restXmlCodec } from './index.js';

const model = loadModel('s3');
const meta = { requestId: 'REQ123', hostId: 'HOST456' };
const oracle = new SdkOracle();
const client = new s3.S3Client({ ...oracle.config(), forcePathStyle: true });
type Command = Parameters<typeof client.send>[0];

/** Sends a command and parses the request it built with the codec. */
async function parsed(command: object): Promise<{ op: string; input: Record<string, unknown> }> {
  oracle.last = undefined;
  oracle.respond = () => ({ statusCode: 200, headers: {} });
  await client.send(command as Command).catch(() => undefined);
  const req = oracle.request;
  const op = restXmlCodec.resolveOperation(req, model)!;
  return { op: op.name, input: restXmlCodec.parseRequest(req, op, model) };
}

/** Sends a command answered by the codec's serialization of `output` (or of an error). */
async function answered(command: object, reply: Record<string, unknown> | ServiceError): Promise<{ out: unknown; wire: WireResponse }> {
  let wire: WireResponse | undefined;
  oracle.respond = (req) => {
    const op = restXmlCodec.resolveOperation(req, model)!;
    wire = reply instanceof ServiceError ? restXmlCodec.serializeError(reply, op, model, meta) : restXmlCodec.serializeResponse(reply, op, model, meta);
    return wire;
  };
  const out = await client.send(command as Command).catch((e: unknown) => e);
  return { out, wire: wire! };
}

const s3Meta = (status: number) => ({ httpStatusCode: status, requestId: 'REQ123', extendedRequestId: 'HOST456', cfId: undefined, attempts: 1, totalRetryDelay: 0 });

test('PutObject: labels, headers, metadata and the body stream', async () => {
  const { op, input } = await parsed(new s3.PutObjectCommand({
    Bucket: 'b', Key: 'dir/ü +%.txt', Body: 'hello', ContentType: 'text/plain', CacheControl: 'no-cache',
    Metadata: { Color: 'Blue', 'x-two': 'a, b' }, StorageClass: 'STANDARD_IA', Tagging: 'a=b&c=d',
    ObjectLockRetainUntilDate: new Date('2030-01-02T03:04:05Z'), BucketKeyEnabled: true,
  }));
  assert.equal(op, 'PutObject');
  const { Body, ...rest } = input;
  assert.ok(Body instanceof Readable);
  assert.equal((await readAll(Body)).toString(), 'hello');
  assert.deepEqual(rest, {
    Bucket: 'b', Key: 'dir/ü +%.txt', ContentType: 'text/plain', CacheControl: 'no-cache', ContentLength: 5,
    Metadata: { color: 'Blue', 'x-two': 'a, b' }, StorageClass: 'STANDARD_IA', Tagging: 'a=b&c=d',
    ObjectLockRetainUntilDate: new Date('2030-01-02T03:04:05Z'), BucketKeyEnabled: true,
    ChecksumAlgorithm: 'CRC32', ChecksumCRC32: 'NhCmhg==',
  });
  assert.equal(restXmlCodec.hasStreamingInput!(model.operations.get('PutObject')!), true);
  assert.equal(restXmlCodec.hasStreamingInput!(model.operations.get('PutBucketTagging')!), false);
});

test('GetObject: headers, metadata, timestamps and a streamed body reach the SDK', async () => {
  const lastModified = new Date('2024-05-06T07:08:09Z');
  const { out, wire } = await answered(new s3.GetObjectCommand({ Bucket: 'b', Key: 'k' }), {
    Body: Readable.from([Buffer.from('hel'), Buffer.from('lo')]), ContentType: 'text/plain', ContentLength: 5,
    ETag: '"5d41402abc4b2a76b9719d911017c592"', LastModified: lastModified, Metadata: { color: 'Blue' },
    TagCount: 2, VersionId: 'v1', AcceptRanges: 'bytes', DeleteMarker: false, ServerSideEncryption: 'AES256',
  });
  assert.equal(wire.statusCode, 200);
  assert.deepEqual(wire.headers, {
    'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST456', 'x-amz-delete-marker': 'false', 'accept-ranges': 'bytes',
    'Last-Modified': 'Mon, 06 May 2024 07:08:09 GMT', 'Content-Length': '5', ETag: '"5d41402abc4b2a76b9719d911017c592"',
    'x-amz-version-id': 'v1', 'Content-Type': 'text/plain', 'x-amz-server-side-encryption': 'AES256',
    'x-amz-meta-color': 'Blue', 'x-amz-tagging-count': '2',
  });
  const { Body, ...rest } = out as s3.GetObjectCommandOutput;
  assert.equal(await Body!.transformToString(), 'hello');
  assert.deepEqual(rest, {
    $metadata: s3Meta(200), AcceptRanges: 'bytes', ContentLength: 5, ContentType: 'text/plain', DeleteMarker: false,
    ETag: '"5d41402abc4b2a76b9719d911017c592"', LastModified: lastModified, Metadata: { color: 'Blue' },
    ServerSideEncryption: 'AES256', TagCount: 2, VersionId: 'v1',
  });
});

test('ListObjectsV2: ListBucketResult with flattened Contents and CommonPrefixes', async () => {
  const t = new Date('2024-01-02T03:04:05.678Z');
  const { out, wire } = await answered(new s3.ListObjectsV2Command({ Bucket: 'b', Prefix: 'p/', Delimiter: '/' }), {
    IsTruncated: true, Name: 'b', Prefix: 'p/', Delimiter: '/', MaxKeys: 1000, KeyCount: 3, NextContinuationToken: 'tok',
    Contents: [
      { Key: 'p/a<&>.txt', LastModified: t, ETag: '"e1"', Size: 10, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] },
      { Key: 'p/ b ', LastModified: t, ETag: '"e2"', Size: 0, StorageClass: 'STANDARD', Owner: { ID: 'o', DisplayName: 'me' } },
    ],
    CommonPrefixes: [{ Prefix: 'p/x/' }],
  });
  assert.equal(wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + '<IsTruncated>true</IsTruncated>'
    + '<Contents><Key>p/a&lt;&amp;&gt;.txt</Key><LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>"e1"</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>'
    + '<Contents><Key>p/ b </Key><LastModified>2024-01-02T03:04:05.678Z</LastModified><ETag>"e2"</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass><Owner><DisplayName>me</DisplayName><ID>o</ID></Owner></Contents>'
    + '<Name>b</Name><Prefix>p/</Prefix><Delimiter>/</Delimiter><MaxKeys>1000</MaxKeys><CommonPrefixes><Prefix>p/x/</Prefix></CommonPrefixes>'
    + '<KeyCount>3</KeyCount><NextContinuationToken>tok</NextContinuationToken></ListBucketResult>');
  assert.equal(wire.headers['Content-Type'], 'application/xml');
  assert.deepEqual(out, {
    $metadata: s3Meta(200), IsTruncated: true, Name: 'b', Prefix: 'p/', Delimiter: '/', MaxKeys: 1000, KeyCount: 3, NextContinuationToken: 'tok',
    Contents: [
      { Key: 'p/a<&>.txt', LastModified: t, ETag: '"e1"', Size: 10, StorageClass: 'STANDARD', ChecksumAlgorithm: ['CRC32'] },
      { Key: 'p/ b ', LastModified: t, ETag: '"e2"', Size: 0, StorageClass: 'STANDARD', Owner: { ID: 'o', DisplayName: 'me' } },
    ],
    CommonPrefixes: [{ Prefix: 'p/x/' }],
  });
});

test('ListObjectsV2: query parameters parse with their types', async () => {
  const { op, input } = await parsed(new s3.ListObjectsV2Command({ Bucket: 'b', Prefix: 'a b/', MaxKeys: 7, FetchOwner: true, ContinuationToken: 't+/=', StartAfter: 'x' }));
  assert.equal(op, 'ListObjectsV2');
  assert.deepEqual(input, { Bucket: 'b', Prefix: 'a b/', MaxKeys: 7, FetchOwner: true, ContinuationToken: 't+/=', StartAfter: 'x' });
});

test('PutBucketTagging and GetBucketAcl: wrapped lists and the xsi:type attribute', async () => {
  const tagging = { TagSet: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: '' }] };
  assert.deepEqual(await parsed(new s3.PutBucketTaggingCommand({ Bucket: 'b', Tagging: tagging })), {
    op: 'PutBucketTagging', input: { Bucket: 'b', Tagging: tagging, ChecksumAlgorithm: 'CRC32' },
  });
  const acl = {
    Owner: { ID: 'owner-id', DisplayName: 'me' },
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: 'owner-id', DisplayName: 'me' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
    ],
  };
  const { out, wire } = await answered(new s3.GetBucketAclCommand({ Bucket: 'b' }), acl);
  assert.equal(wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + '<Owner><DisplayName>me</DisplayName><ID>owner-id</ID></Owner><AccessControlList>'
    + '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><DisplayName>me</DisplayName><ID>owner-id</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>'
    + '<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>'
    + '</AccessControlList></AccessControlPolicy>');
  assert.deepEqual(out, { $metadata: s3Meta(200), ...acl });
  assert.deepEqual(await parsed(new s3.PutBucketAclCommand({ Bucket: 'b', AccessControlPolicy: acl as s3.AccessControlPolicy })), {
    op: 'PutBucketAcl', input: { Bucket: 'b', AccessControlPolicy: acl, ChecksumAlgorithm: 'CRC32' },
  });
});

test('PutBucketLifecycleConfiguration: nested flattened lists, timestamps and numbers', async () => {
  const config = {
    Rules: [
      {
        ID: 'r1', Status: 'Enabled',
        Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }], ObjectSizeGreaterThan: 1024 } },
        Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Date: new Date('2030-01-01T00:00:00Z'), StorageClass: 'GLACIER' }],
        Expiration: { Days: 365 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
      { ID: 'r2', Status: 'Disabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 3 } },
    ],
  };
  const { op, input } = await parsed(new s3.PutBucketLifecycleConfigurationCommand({ Bucket: 'b', LifecycleConfiguration: config as s3.BucketLifecycleConfiguration }));
  assert.equal(op, 'PutBucketLifecycleConfiguration');
  assert.deepEqual(input, { Bucket: 'b', LifecycleConfiguration: config, ChecksumAlgorithm: 'CRC32' });
  const { out } = await answered(new s3.GetBucketLifecycleConfigurationCommand({ Bucket: 'b' }), config);
  assert.deepEqual(out, { $metadata: s3Meta(200), ...config });
});

test('DeleteObjects: flattened Object list, Quiet, keys with XML specials and CR/LF; Deleted/Error in the result', async () => {
  const keys = [{ Key: ' lead & <trail> ' }, { Key: 'a\r\nb', VersionId: 'v1' }, { Key: 'ü/%2F' }];
  assert.deepEqual(await parsed(new s3.DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: keys, Quiet: true } })), {
    op: 'DeleteObjects', input: { Bucket: 'b', Delete: { Objects: keys, Quiet: true }, ChecksumAlgorithm: 'CRC32' },
  });
  const result = { Deleted: [{ Key: ' lead & <trail> ' }, { Key: 'a\r\nb', VersionId: 'v1', DeleteMarker: true, DeleteMarkerVersionId: 'dm' }], Errors: [{ Key: 'ü/%2F', Code: 'AccessDenied', Message: 'Access Denied' }] };
  const { out, wire } = await answered(new s3.DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: keys } }), result);
  assert.match(String(wire.body), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DeleteResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Deleted><Key> lead &amp; &lt;trail&gt; <\/Key><\/Deleted><Deleted><Key>a&#xD;\nb<\/Key>/);
  assert.deepEqual(out, { $metadata: s3Meta(200), ...result });
});

test('CompleteMultipartUpload: Part list in, CompleteMultipartUploadResult out', async () => {
  const parts = [{ PartNumber: 1, ETag: '"e1"' }, { PartNumber: 2, ETag: '"e2"', ChecksumCRC32: 'AAAAAA==' }];
  assert.deepEqual(await parsed(new s3.CompleteMultipartUploadCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', MultipartUpload: { Parts: parts } })), {
    op: 'CompleteMultipartUpload', input: { Bucket: 'b', Key: 'k', UploadId: 'u', MultipartUpload: { Parts: parts } },
  });
  const result = { Location: 'http://localhost:4566/b/k', Bucket: 'b', Key: 'k', ETag: '"abc-2"', VersionId: 'v9' };
  const { out, wire } = await answered(new s3.CompleteMultipartUploadCommand({ Bucket: 'b', Key: 'k', UploadId: 'u' }), result);
  assert.equal(wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + '<Location>http://localhost:4566/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>"abc-2"</ETag></CompleteMultipartUploadResult>');
  assert.deepEqual(out, { $metadata: s3Meta(200), ...result });
});

test('CreateMultipartUpload, CopyObject (payload member), GetBucketLocation (text root), GetBucketPolicy (string payload)', async () => {
  const cmu = await answered(new s3.CreateMultipartUploadCommand({ Bucket: 'b', Key: 'k' }), { Bucket: 'b', Key: 'k', UploadId: 'u1' });
  assert.match(String(cmu.wire.body), /\n<InitiateMultipartUploadResult xmlns=/);
  assert.deepEqual(cmu.out, { $metadata: s3Meta(200), Bucket: 'b', Key: 'k', UploadId: 'u1' });
  const t = new Date('2024-01-01T00:00:00.000Z');
  const copy = await answered(new s3.CopyObjectCommand({ Bucket: 'b', Key: 'k', CopySource: 's/k' }), { CopyObjectResult: { ETag: '"e"', LastModified: t }, VersionId: 'v2' });
  assert.equal(copy.wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ETag>"e"</ETag><LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyObjectResult>');
  assert.deepEqual(copy.out, { $metadata: s3Meta(200), CopyObjectResult: { ETag: '"e"', LastModified: t }, VersionId: 'v2' });
  const loc = await answered(new s3.GetBucketLocationCommand({ Bucket: 'b' }), { LocationConstraint: 'eu-west-1' });
  assert.equal(loc.wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
  assert.deepEqual(loc.out, { $metadata: s3Meta(200), LocationConstraint: 'eu-west-1' });
  const usEast = await answered(new s3.GetBucketLocationCommand({ Bucket: 'b' }), {});
  assert.equal(usEast.wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></LocationConstraint>');
  const policy = '{"Version":"2012-10-17","Statement":[]}';
  const pol = await answered(new s3.GetBucketPolicyCommand({ Bucket: 'b' }), { Policy: policy });
  assert.equal(pol.wire.body, policy);
  assert.deepEqual(pol.out, { $metadata: s3Meta(200), Policy: policy });
  assert.deepEqual((await parsed(new s3.PutBucketPolicyCommand({ Bucket: 'b', Policy: policy }))).input, { Bucket: 'b', Policy: policy, ChecksumAlgorithm: 'CRC32' });
});

test('CreateBucket: configuration payload, or nothing when the body is empty; empty outputs have no body', async () => {
  assert.deepEqual(await parsed(new s3.CreateBucketCommand({ Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), {
    op: 'CreateBucket', input: { Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } },
  });
  assert.deepEqual(await parsed(new s3.CreateBucketCommand({ Bucket: 'b', ACL: 'private' })), { op: 'CreateBucket', input: { Bucket: 'b', ACL: 'private' } });
  const del = await answered(new s3.DeleteObjectCommand({ Bucket: 'b', Key: 'k' }), { DeleteMarker: true, VersionId: 'v' });
  assert.deepEqual(del.wire, { statusCode: 204, headers: { 'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST456', 'x-amz-delete-marker': 'true', 'x-amz-version-id': 'v' } });
  assert.deepEqual(del.out, { $metadata: s3Meta(204), DeleteMarker: true, VersionId: 'v' });
  const ver = await answered(new s3.GetBucketVersioningCommand({ Bucket: 'b' }), {});
  assert.equal(ver.wire.body, '<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>');
});

test('errors: S3 <Error> body with fields, RequestId and HostId; the SDK names them and fills $metadata', async () => {
  const err = new ServiceError('NoSuchKey', 'The specified key does not exist.', { fields: { Key: 'k&1' } });
  const { out, wire } = await answered(new s3.GetObjectCommand({ Bucket: 'b', Key: 'k&1' }), err);
  assert.deepEqual(wire, {
    statusCode: 404,
    headers: { 'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST456', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k&amp;1</Key><RequestId>REQ123</RequestId><HostId>HOST456</HostId></Error>',
  });
  assert.ok(out instanceof s3.NoSuchKey);
  assert.equal(out.name, 'NoSuchKey');
  assert.equal(out.message, 'The specified key does not exist.');
  assert.deepEqual(out.$metadata, s3Meta(404));
  assert.equal((out as unknown as { Key: string }).Key, 'k&1');

  const state = new ServiceError('InvalidObjectState', 'The operation is not valid for the object\'s storage class', { fields: { StorageClass: 'GLACIER' } });
  const r2 = await answered(new s3.GetObjectCommand({ Bucket: 'b', Key: 'k' }), state);
  assert.ok(r2.out instanceof s3.InvalidObjectState);
  assert.equal(r2.out.StorageClass, 'GLACIER');
  assert.equal(r2.out.$metadata.httpStatusCode, 403);

  const head = await answered(new s3.HeadObjectCommand({ Bucket: 'b', Key: 'k' }), new ServiceError('NoSuchKey', 'The specified key does not exist.', { headers: { 'x-amz-delete-marker': 'true' } }));
  assert.deepEqual(head.wire, { statusCode: 404, headers: { 'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST456', 'x-amz-delete-marker': 'true' } });
  assert.equal((head.out as Error).name, 'NotFound');
  assert.equal((head.out as s3.S3ServiceException).$metadata.httpStatusCode, 404);
});

test('malformed input: MalformedXML for an unreadable body, InvalidArgument for a bad query value', () => {
  const op = model.operations.get('PutBucketTagging')!;
  const base = { method: 'PUT', path: '/b', rawQuery: 'tagging', query: { tagging: [''] }, headers: {}, host: 'localhost' };
  for (const body of ['<Tagging><TagSet></Tagging>', 'not xml', '<!DOCTYPE x [<!ENTITY e "e">]><Tagging/>', '<a/><b/>', '<Tagging><TagSet><Tag><__proto__>1</__proto__></Tag></TagSet></Tagging>']) {
    assert.throws(() => restXmlCodec.parseRequest({ ...base, body: Buffer.from(body) }, op, model), {
      code: 'MalformedXML', status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema',
    }, body);
  }
  const lc = model.operations.get('PutBucketLifecycleConfiguration')!;
  const badDays = '<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>ten</Days></Expiration></Rule></LifecycleConfiguration>';
  assert.throws(() => restXmlCodec.parseRequest({ ...base, rawQuery: 'lifecycle', query: { lifecycle: [''] }, body: Buffer.from(badDays) }, lc, model), { code: 'MalformedXML' });
  const list = model.operations.get('ListObjectsV2')!;
  assert.throws(() => restXmlCodec.parseRequest({ ...base, method: 'GET', rawQuery: 'list-type=2&max-keys=x', query: { 'list-type': ['2'], 'max-keys': ['x'] }, body: Buffer.alloc(0) }, list, model), {
    code: 'InvalidArgument', status: 400,
  });
});

test('hand-written XML: whitespace between elements, a namespace, single items, CDATA and entities', () => {
  const op = model.operations.get('DeleteObjects')!;
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Quiet>false</Quiet>
  <Object>
    <Key><![CDATA[a<b]]></Key>
  </Object>
</Delete>`;
  const input = restXmlCodec.parseRequest({ method: 'POST', path: '/b', rawQuery: 'delete', query: { delete: [''] }, headers: {}, body: Buffer.from(body), host: 'localhost' }, op, model);
  assert.deepEqual(input, { Bucket: 'b', Delete: { Quiet: false, Objects: [{ Key: 'a<b' }] } });
});

test('PutObject with a stream body (aws-chunked): Content-Encoding token and framed length removed', async () => {
  for (const [extra, expected] of [[{}, {}], [{ ContentEncoding: 'gzip' }, { ContentEncoding: 'gzip' }]] as const) {
    const { op, input } = await parsed(new s3.PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Readable.from([Buffer.from('hello')]), ContentLength: 5, ...extra }));
    assert.equal(op, 'PutObject');
    const { Body, ...rest } = input;
    assert.ok(Body instanceof Readable);
    assert.deepEqual(rest, { Bucket: 'b', Key: 'k', ContentLength: 5, ContentType: 'application/octet-stream', ChecksumAlgorithm: 'CRC32', ...expected });
  }
});

test('header lists in, iso8601 and rfc822 header timestamps out', async () => {
  assert.deepEqual(await parsed(new s3.GetObjectAttributesCommand({ Bucket: 'b', Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'], MaxParts: 3 })), {
    op: 'GetObjectAttributes', input: { Bucket: 'b', Key: 'k', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'], MaxParts: 3 },
  });
  const until = new Date('2031-02-03T04:05:06Z');
  const { out, wire } = await answered(new s3.HeadObjectCommand({ Bucket: 'b', Key: 'k' }), {
    ObjectLockRetainUntilDate: until, ObjectLockMode: 'GOVERNANCE', ContentLength: 0, LastModified: until, Metadata: {},
  });
  assert.equal(wire.body, undefined);
  assert.equal(wire.headers['x-amz-object-lock-retain-until-date'], '2031-02-03T04:05:06.000Z');
  assert.equal(wire.headers['Last-Modified'], 'Mon, 03 Feb 2031 04:05:06 GMT');
  assert.deepEqual(out, { $metadata: s3Meta(200), ObjectLockRetainUntilDate: until, ObjectLockMode: 'GOVERNANCE', ContentLength: 0, LastModified: until, Metadata: {} });
});

test('GetObject with a range answers 206; a 304 NotModified has no body', async () => {
  const { out, wire } = await answered(new s3.GetObjectCommand({ Bucket: 'b', Key: 'k', Range: 'bytes=1-2' }), { Body: Buffer.from('el'), ContentRange: 'bytes 1-2/5', ContentLength: 2 });
  assert.equal(wire.statusCode, 206);
  assert.equal((out as s3.GetObjectCommandOutput).ContentRange, 'bytes 1-2/5');
  assert.equal((out as s3.GetObjectCommandOutput).$metadata.httpStatusCode, 206);
  const nm = await answered(new s3.GetObjectCommand({ Bucket: 'b', Key: 'k', IfNoneMatch: '"e"' }), new ServiceError('NotModified', 'Not Modified', { status: 304 }));
  assert.deepEqual(nm.wire, { statusCode: 304, headers: { 'x-amz-request-id': 'REQ123', 'x-amz-id-2': 'HOST456' } });
  assert.equal((nm.out as s3.S3ServiceException).$metadata.httpStatusCode, 304);
  // HTTP forbids a body on 304, so SDK v3 can only name it Unknown, as it does against S3.
  assert.equal((nm.out as Error).name, 'Unknown');
});

test('a missing required document is MalformedXML; without a gateway host id one is derived from the request id', () => {
  const op = model.operations.get('DeleteObjects')!;
  assert.throws(() => restXmlCodec.parseRequest({ method: 'POST', path: '/b', rawQuery: 'delete', query: { delete: [''] }, headers: {}, body: Buffer.alloc(0), host: 'localhost' }, op, model), { code: 'MalformedXML' });
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<Delete><Object><Key>k</Key></Object></Delete>')]);
  assert.deepEqual(restXmlCodec.parseRequest({ method: 'POST', path: '/b', rawQuery: 'delete', query: { delete: [''] }, headers: {}, body: bom, host: 'localhost' }, op, model), { Bucket: 'b', Delete: { Objects: [{ Key: 'k' }] } });
  const res = restXmlCodec.serializeError(new ServiceError('NoSuchBucket', 'The specified bucket does not exist', { fields: { BucketName: 'b' } }), op, model, { requestId: 'R1' });
  assert.deepEqual(res, {
    statusCode: 404, headers: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'UjE=', 'Content-Type': 'application/xml' },
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>b</BucketName><RequestId>R1</RequestId><HostId>UjE=</HostId></Error>',
  });
});
