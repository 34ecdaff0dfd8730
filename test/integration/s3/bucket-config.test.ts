/**
 * Bucket configuration documents through the SDK v3 and the AWS CLI: policy (stored and
 * returned exactly, MalformedPolicy, NoSuchBucketPolicy), CORS (NoSuchCORSConfiguration,
 * method validation), public access block, ownership controls and default encryption,
 * with the defaults S3 gives new buckets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, PutBucketPolicyCommand, GetBucketPolicyCommand, DeleteBucketPolicyCommand,
  PutBucketCorsCommand, GetBucketCorsCommand, DeleteBucketCorsCommand, PutPublicAccessBlockCommand, GetPublicAccessBlockCommand,
  DeletePublicAccessBlockCommand, PutBucketOwnershipControlsCommand, GetBucketOwnershipControlsCommand, DeleteBucketOwnershipControlsCommand,
  PutBucketEncryptionCommand, GetBucketEncryptionCommand, DeleteBucketEncryptionCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runCli } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'config-bucket';
const { cloud, s3 } = s3Harness({ buckets: [B] });

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${B}/*"}]
}`;

test('bucket policy: stored and returned byte for byte; MalformedPolicy; NoSuchBucketPolicy after delete', async () => {
  const none = await fails(s3.send(new GetBucketPolicyCommand({ Bucket: B })));
  assert.deepEqual([none.name, none.message, none.$metadata.httpStatusCode, none.BucketName], ['NoSuchBucketPolicy', 'The bucket policy does not exist', 404, B]);
  await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: POLICY }));
  assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: B }))).Policy, POLICY);
  const bad = await fails(s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: 'not json' })));
  assert.deepEqual([bad.name, bad.message, bad.$metadata.httpStatusCode], ['MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400]);
  const noStatement = await fails(s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: '{"Version": "2012-10-17"}' })));
  assert.deepEqual([noStatement.name, noStatement.message], ['MalformedPolicy', 'Missing required field Statement']);
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: B }));
  assert.equal((await fails(s3.send(new GetBucketPolicyCommand({ Bucket: B })))).name, 'NoSuchBucketPolicy');
});

test('CORS configuration: put/get/delete, NoSuchCORSConfiguration, unsupported methods', async () => {
  const none = await fails(s3.send(new GetBucketCorsCommand({ Bucket: B })));
  assert.deepEqual([none.name, none.message, none.$metadata.httpStatusCode], ['NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404]);
  const rules = [
    { ID: 'web', AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'x-amz-version-id'], MaxAgeSeconds: 3000 },
    { AllowedOrigins: ['*'], AllowedMethods: ['GET'] },
  ];
  await s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: rules } }));
  assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket: B }))).CORSRules, rules);
  const bad = await fails(s3.send(new PutBucketCorsCommand({ Bucket: B, CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] } })));
  assert.deepEqual([bad.name, bad.message], ['InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH']);
  await s3.send(new DeleteBucketCorsCommand({ Bucket: B }));
  assert.equal((await fails(s3.send(new GetBucketCorsCommand({ Bucket: B })))).name, 'NoSuchCORSConfiguration');
});

test('public access block: all four on for a new bucket; put keeps what is given; NoSuchPublicAccessBlockConfiguration after delete', async () => {
  assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: B }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: B, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false } }));
  assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: B }))).PublicAccessBlockConfiguration,
    { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
  const e = await fails(s3.send(new GetPublicAccessBlockCommand({ Bucket: B })));
  assert.deepEqual([e.name, e.message, e.$metadata.httpStatusCode], ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404]);
});

test('ownership controls: BucketOwnerEnforced by default or as CreateBucket names it; OwnershipControlsNotFoundError after delete', async () => {
  assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }))).OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  await s3.send(new CreateBucketCommand({ Bucket: 'config-writer', ObjectOwnership: 'ObjectWriter' }));
  assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'config-writer' }))).OwnershipControls, { Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
  assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B }))).OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
  await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: B }));
  const e = await fails(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: B })));
  assert.deepEqual([e.name, e.message, e.$metadata.httpStatusCode], ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404]);
});

test('default encryption: SSE-S3 unless configured; delete returns to it', async () => {
  const sseS3 = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };
  assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket: B }))).ServerSideEncryptionConfiguration, sseS3);
  const kms = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'arn:aws:kms:us-east-1:000000000000:key/abc' }, BucketKeyEnabled: true }] };
  await s3.send(new PutBucketEncryptionCommand({ Bucket: B, ServerSideEncryptionConfiguration: kms }));
  assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket: B }))).ServerSideEncryptionConfiguration, kms);
  await s3.send(new DeleteBucketEncryptionCommand({ Bucket: B }));
  assert.deepEqual((await s3.send(new GetBucketEncryptionCommand({ Bucket: B }))).ServerSideEncryptionConfiguration, sseS3);
});

const cli = externalClients().present.find((c) => c.kind === 'cli');
test('AWS CLI: put-bucket-policy from a file:// document and get-bucket-policy', { skip: cli ? false : 'no AWS CLI' }, async () => {
  const put = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'put-bucket-policy', '--bucket', B, '--policy', POLICY]);
  assert.equal(put.status, 0, put.stderr);
  const got = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-policy', '--bucket', B]);
  assert.equal(JSON.parse(got.stdout).Policy, POLICY);
  const bad = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'put-bucket-policy', '--bucket', B, '--policy', '[1]']);
  assert.match(bad.stderr, /An error occurred \(MalformedPolicy\) when calling the PutBucketPolicy operation: Policies must be valid JSON and the first byte must be '\{'/);
});
