/**
 * ACLs through the SDK v3, boto3 and the AWS CLI: Get/PutBucketAcl and Get/PutObjectAcl with
 * canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents; x-amz-acl on
 * CreateBucket, PutObject, CopyObject and CreateMultipartUpload; the Owner as ListBuckets
 * shows it; and BucketOwnerEnforced, which refuses every ACL but the owner's full control.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutObjectCommand, CopyObjectCommand, ListBucketsCommand, GetBucketAclCommand, PutBucketAclCommand,
  GetObjectAclCommand, PutObjectAclCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, type Grant,
} from '@aws-sdk/client-s3';
import { externalClients, runBoto3, runCli } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const { cloud, s3 } = s3Harness({
  setup: async () => {
    await s3.send(new CreateBucketCommand({ Bucket: ENFORCED }));
    await s3.send(new CreateBucketCommand({ Bucket: WRITER, ObjectOwnership: 'ObjectWriter' }));
    owner = (await s3.send(new ListBucketsCommand({}))).Owner!.ID!;
  },
});
let owner: string;
const ENFORCED = 'acl-enforced';
const WRITER = 'acl-writer';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const OTHER = 'a'.repeat(64);

const ownerFull = (): Grant => ({ Grantee: { ID: owner, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' });
const group = (uri: string, p: Grant['Permission']): Grant => ({ Grantee: { Type: 'Group', URI: uri }, Permission: p });

test('defaults: the owner (canonical id as ListBuckets shows it) with FULL_CONTROL', async () => {
  assert.match(owner, /^[0-9a-f]{64}$/);
  const acl = await s3.send(new GetBucketAclCommand({ Bucket: ENFORCED }));
  assert.deepEqual([acl.Owner, acl.Grants], [{ ID: owner }, [ownerFull()]]);
  await s3.send(new PutObjectCommand({ Bucket: ENFORCED, Key: 'k', Body: 'x' }));
  const obj = await s3.send(new GetObjectAclCommand({ Bucket: ENFORCED, Key: 'k' }));
  assert.deepEqual([obj.Owner, obj.Grants], [{ ID: owner }, [ownerFull()]]);
  const missing = await fails(s3.send(new GetObjectAclCommand({ Bucket: ENFORCED, Key: 'nope' })));
  assert.deepEqual([missing.name, missing.$metadata.httpStatusCode], ['NoSuchKey', 404]);
});

test('BucketOwnerEnforced: only the owner\'s full control is accepted', async () => {
  const bucket = await fails(s3.send(new PutBucketAclCommand({ Bucket: ENFORCED, ACL: 'public-read' })));
  assert.deepEqual([bucket.name, bucket.message, bucket.$metadata.httpStatusCode], ['AccessControlListNotSupported', 'The bucket does not allow ACLs', 400]);
  await s3.send(new PutBucketAclCommand({ Bucket: ENFORCED, ACL: 'private' }));
  const put = await fails(s3.send(new PutObjectCommand({ Bucket: ENFORCED, Key: 'public', Body: 'x', ACL: 'public-read' })));
  assert.deepEqual([put.name, put.message], ['AccessControlListNotSupported', 'The bucket does not allow ACLs']);
  await s3.send(new PutObjectCommand({ Bucket: ENFORCED, Key: 'owned', Body: 'x', ACL: 'bucket-owner-full-control' }));
  const objectAcl = await fails(s3.send(new PutObjectAclCommand({ Bucket: ENFORCED, Key: 'owned', GrantRead: `uri="${ALL_USERS}"` })));
  assert.equal(objectAcl.name, 'AccessControlListNotSupported');
  const create = await fails(s3.send(new CreateBucketCommand({ Bucket: 'acl-public-create', ACL: 'public-read' })));
  assert.deepEqual([create.name, create.message, create.$metadata.httpStatusCode], ['InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting', 400]);
});

test('canned ACLs on CreateBucket, PutObject, CopyObject, CreateMultipartUpload', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'acl-created-public', ObjectOwnership: 'BucketOwnerPreferred', ACL: 'public-read-write' }));
  assert.deepEqual((await s3.send(new GetBucketAclCommand({ Bucket: 'acl-created-public' }))).Grants, [ownerFull(), group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')]);
  await s3.send(new PutObjectCommand({ Bucket: WRITER, Key: 'p', Body: 'x', ACL: 'authenticated-read' }));
  assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: WRITER, Key: 'p' }))).Grants, [ownerFull(), group(AUTHENTICATED, 'READ')]);
  await s3.send(new CopyObjectCommand({ Bucket: WRITER, Key: 'copy', CopySource: `${WRITER}/p`, ACL: 'public-read' }));
  assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: WRITER, Key: 'copy' }))).Grants, [ownerFull(), group(ALL_USERS, 'READ')]);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: WRITER, Key: 'mpu', ACL: 'public-read' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: WRITER, Key: 'mpu', UploadId, PartNumber: 1, Body: 'only part' }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: WRITER, Key: 'mpu', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: WRITER, Key: 'mpu' }))).Grants, [ownerFull(), group(ALL_USERS, 'READ')]);
  // A new write of the key starts from the default again.
  await s3.send(new PutObjectCommand({ Bucket: WRITER, Key: 'p', Body: 'y' }));
  assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: WRITER, Key: 'p' }))).Grants, [ownerFull()]);
});

test('grant headers and AccessControlPolicy documents, stored as given', async () => {
  await s3.send(new PutObjectCommand({ Bucket: WRITER, Key: 'g', Body: 'x' }));
  await s3.send(new PutObjectAclCommand({ Bucket: WRITER, Key: 'g', GrantRead: `uri="${ALL_USERS}", id="${OTHER}"`, GrantFullControl: `id="${owner}"` }));
  assert.deepEqual((await s3.send(new GetObjectAclCommand({ Bucket: WRITER, Key: 'g' }))).Grants, [
    group(ALL_USERS, 'READ'), { Grantee: { ID: OTHER, Type: 'CanonicalUser' }, Permission: 'READ' }, ownerFull(),
  ]);
  const policy = { Owner: { ID: owner }, Grants: [ownerFull(), { Grantee: { ID: OTHER, Type: 'CanonicalUser' as const }, Permission: 'WRITE_ACP' as const }, group(AUTHENTICATED, 'READ_ACP')] };
  await s3.send(new PutBucketAclCommand({ Bucket: WRITER, AccessControlPolicy: policy }));
  const got = await s3.send(new GetBucketAclCommand({ Bucket: WRITER }));
  assert.deepEqual([got.Owner, got.Grants], [policy.Owner, policy.Grants]);
});

test('ACL errors in S3\'s words', async () => {
  const both = await fails(s3.send(new PutObjectAclCommand({ Bucket: WRITER, Key: 'g', ACL: 'private', GrantRead: `id="${OTHER}"` })));
  assert.deepEqual([both.name, both.message], ['InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed']);
  const id = await fails(s3.send(new PutObjectAclCommand({ Bucket: WRITER, Key: 'g', GrantRead: 'id="nobody"' })));
  assert.deepEqual([id.name, id.message, id.ArgumentName, id.ArgumentValue], ['InvalidArgument', 'Invalid id', 'CanonicalUser/ID', 'nobody']);
  const uri = await fails(s3.send(new PutBucketAclCommand({ Bucket: WRITER, GrantWrite: 'uri="http://acs.amazonaws.com/groups/global/Everyone"' })));
  assert.deepEqual([uri.name, uri.message], ['InvalidArgument', 'Invalid group uri']);
  const email = await fails(s3.send(new PutBucketAclCommand({ Bucket: WRITER, GrantRead: 'emailAddress="someone@example.com"' })));
  assert.deepEqual([email.name, email.message], ['UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.']);
  const notOwner = await fails(s3.send(new PutBucketAclCommand({ Bucket: WRITER, AccessControlPolicy: { Owner: { ID: OTHER }, Grants: [ownerFull()] } })));
  assert.deepEqual([notOwner.name, notOwner.$metadata.httpStatusCode], ['AccessDenied', 403]);
  const none = await fails(s3.send(new PutBucketAclCommand({ Bucket: WRITER })));
  assert.deepEqual([none.name, none.message, none.MissingHeaderName], ['MissingSecurityHeader', 'Your request was missing a required header', 'x-amz-acl']);
  const bucket = await fails(s3.send(new GetBucketAclCommand({ Bucket: 'no-such-acl-bucket' })));
  assert.equal(bucket.name, 'NoSuchBucket');
});

const clients = externalClients().present;
for (const client of clients.filter((c) => c.kind === 'boto3')) {
  test(`${client.name}: put_object_acl and get_bucket_acl`, async () => {
    const r = await runBoto3(client.bin, cloud.endpoint, `
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.put_object(Bucket=${JSON.stringify(WRITER)}, Key='boto', Body=b'x')
s3.put_object_acl(Bucket=${JSON.stringify(WRITER)}, Key='boto', ACL='public-read')
o = s3.get_object_acl(Bucket=${JSON.stringify(WRITER)}, Key='boto')
b = s3.get_bucket_acl(Bucket=${JSON.stringify(ENFORCED)})
try:
    s3.put_bucket_acl(Bucket=${JSON.stringify(ENFORCED)}, ACL='public-read')
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps([o['Owner'], o['Grants'], b['Grants'], err]))
`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ ID: owner }, [ownerFull(), group(ALL_USERS, 'READ')], [ownerFull()], ['AccessControlListNotSupported', 'The bucket does not allow ACLs']]);
  });
}

const cli = clients.find((c) => c.kind === 'cli');
test('AWS CLI: put-bucket-acl --grant-read and get-bucket-acl', { skip: cli ? false : 'no AWS CLI' }, async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'acl-cli', ObjectOwnership: 'ObjectWriter' }));
  const put = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'put-bucket-acl', '--bucket', 'acl-cli', '--grant-read', `uri=${ALL_USERS}`, '--grant-full-control', `id=${owner}`]);
  assert.equal(put.status, 0, put.stderr);
  const got = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-acl', '--bucket', 'acl-cli']);
  assert.equal(got.status, 0, got.stderr);
  assert.deepEqual(JSON.parse(got.stdout), { Owner: { ID: owner }, Grants: [group(ALL_USERS, 'READ'), ownerFull()] });
});
