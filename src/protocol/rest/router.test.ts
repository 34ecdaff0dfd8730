/**
 * REST routing against the whole S3 and Lambda models: every request as SDK v3
 * builds it must resolve to the operation that built it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as s3 from '@aws-sdk/client-s3';
import * as lambda from '@aws-sdk/client-lambda';
import { loadModel } from '../../models/model.js';
import type { WireRequest } from '../types.js';
import { allowedMethods, matchOperation, resolveRestOperation } from './router.js';
import { SdkOracle } from './sdk-oracle.test-helper.js';

const s3Model = loadModel('s3');
const lambdaModel = loadModel('lambda');

const B = { Bucket: 'my-bucket' };
const K = { Bucket: 'my-bucket', Key: 'dir/sub dir/ü+%.txt' };
const U = { ...K, UploadId: 'up-1' };
const tagging = { TagSet: [{ Key: 'k', Value: 'v' }] };
const acp = { Owner: { ID: 'o' }, Grants: [{ Grantee: { Type: 'CanonicalUser' as const, ID: 'o' }, Permission: 'READ' as const }] };

// [operation, command]: the operation each command must route to.
const S3_CASES: [string, object][] = [
  ['ListBuckets', new s3.ListBucketsCommand({})],
  ['CreateBucket', new s3.CreateBucketCommand({ ...B, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })],
  ['DeleteBucket', new s3.DeleteBucketCommand(B)],
  ['HeadBucket', new s3.HeadBucketCommand(B)],
  ['GetBucketLocation', new s3.GetBucketLocationCommand(B)],
  ['ListObjects', new s3.ListObjectsCommand({ ...B, Prefix: 'a/' })],
  ['ListObjectsV2', new s3.ListObjectsV2Command({ ...B, Prefix: 'a/', Delimiter: '/' })],
  ['ListObjectVersions', new s3.ListObjectVersionsCommand(B)],
  ['ListMultipartUploads', new s3.ListMultipartUploadsCommand(B)],
  ['PutObject', new s3.PutObjectCommand({ ...K, Body: 'hello' })],
  ['GetObject', new s3.GetObjectCommand(K)],
  ['HeadObject', new s3.HeadObjectCommand(K)],
  ['DeleteObject', new s3.DeleteObjectCommand(K)],
  ['DeleteObjects', new s3.DeleteObjectsCommand({ ...B, Delete: { Objects: [{ Key: 'a' }] } })],
  ['CopyObject', new s3.CopyObjectCommand({ ...K, CopySource: 'src-bucket/src-key' })],
  ['GetObjectAcl', new s3.GetObjectAclCommand(K)],
  ['PutObjectAcl', new s3.PutObjectAclCommand({ ...K, ACL: 'private' })],
  ['GetObjectTagging', new s3.GetObjectTaggingCommand(K)],
  ['PutObjectTagging', new s3.PutObjectTaggingCommand({ ...K, Tagging: tagging })],
  ['DeleteObjectTagging', new s3.DeleteObjectTaggingCommand(K)],
  ['GetObjectAttributes', new s3.GetObjectAttributesCommand({ ...K, ObjectAttributes: ['ETag'] })],
  ['GetObjectRetention', new s3.GetObjectRetentionCommand(K)],
  ['GetObjectLegalHold', new s3.GetObjectLegalHoldCommand(K)],
  ['PutObjectLegalHold', new s3.PutObjectLegalHoldCommand({ ...K, LegalHold: { Status: 'ON' } })],
  ['RestoreObject', new s3.RestoreObjectCommand({ ...K, RestoreRequest: { Days: 1 } })],
  ['CreateMultipartUpload', new s3.CreateMultipartUploadCommand(K)],
  ['UploadPart', new s3.UploadPartCommand({ ...U, PartNumber: 1, Body: 'part' })],
  ['UploadPartCopy', new s3.UploadPartCopyCommand({ ...U, PartNumber: 2, CopySource: 'src-bucket/src-key' })],
  ['CompleteMultipartUpload', new s3.CompleteMultipartUploadCommand({ ...U, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e"' }] } })],
  ['AbortMultipartUpload', new s3.AbortMultipartUploadCommand(U)],
  ['ListParts', new s3.ListPartsCommand(U)],
  ['GetBucketVersioning', new s3.GetBucketVersioningCommand(B)],
  ['PutBucketVersioning', new s3.PutBucketVersioningCommand({ ...B, VersioningConfiguration: { Status: 'Enabled' } })],
  ['GetBucketTagging', new s3.GetBucketTaggingCommand(B)],
  ['PutBucketTagging', new s3.PutBucketTaggingCommand({ ...B, Tagging: tagging })],
  ['DeleteBucketTagging', new s3.DeleteBucketTaggingCommand(B)],
  ['GetBucketAcl', new s3.GetBucketAclCommand(B)],
  ['PutBucketAcl', new s3.PutBucketAclCommand({ ...B, AccessControlPolicy: acp })],
  ['GetBucketPolicy', new s3.GetBucketPolicyCommand(B)],
  ['PutBucketPolicy', new s3.PutBucketPolicyCommand({ ...B, Policy: '{"Version":"2012-10-17","Statement":[]}' })],
  ['DeleteBucketPolicy', new s3.DeleteBucketPolicyCommand(B)],
  ['GetBucketPolicyStatus', new s3.GetBucketPolicyStatusCommand(B)],
  ['GetBucketCors', new s3.GetBucketCorsCommand(B)],
  ['PutBucketCors', new s3.PutBucketCorsCommand({ ...B, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })],
  ['DeleteBucketCors', new s3.DeleteBucketCorsCommand(B)],
  ['GetBucketLifecycleConfiguration', new s3.GetBucketLifecycleConfigurationCommand(B)],
  ['PutBucketLifecycleConfiguration', new s3.PutBucketLifecycleConfigurationCommand({ ...B, LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] } })],
  ['DeleteBucketLifecycle', new s3.DeleteBucketLifecycleCommand(B)],
  ['GetBucketNotificationConfiguration', new s3.GetBucketNotificationConfigurationCommand(B)],
  ['PutBucketNotificationConfiguration', new s3.PutBucketNotificationConfigurationCommand({ ...B, NotificationConfiguration: {} })],
  ['GetBucketEncryption', new s3.GetBucketEncryptionCommand(B)],
  ['PutBucketEncryption', new s3.PutBucketEncryptionCommand({ ...B, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } })],
  ['GetBucketWebsite', new s3.GetBucketWebsiteCommand(B)],
  ['GetBucketLogging', new s3.GetBucketLoggingCommand(B)],
  ['GetBucketRequestPayment', new s3.GetBucketRequestPaymentCommand(B)],
  ['GetBucketOwnershipControls', new s3.GetBucketOwnershipControlsCommand(B)],
  ['GetPublicAccessBlock', new s3.GetPublicAccessBlockCommand(B)],
  ['PutBucketAccelerateConfiguration', new s3.PutBucketAccelerateConfigurationCommand({ ...B, AccelerateConfiguration: { Status: 'Enabled' } })],
  ['GetBucketAnalyticsConfiguration', new s3.GetBucketAnalyticsConfigurationCommand({ ...B, Id: 'a1' })],
  ['ListBucketAnalyticsConfigurations', new s3.ListBucketAnalyticsConfigurationsCommand(B)],
  ['DeleteBucketMetricsConfiguration', new s3.DeleteBucketMetricsConfigurationCommand({ ...B, Id: 'm1' })],
  ['ListBucketMetricsConfigurations', new s3.ListBucketMetricsConfigurationsCommand(B)],
  ['GetObjectLockConfiguration', new s3.GetObjectLockConfigurationCommand(B)],
];

test('every S3 request built by SDK v3 (path style) routes to its operation', async () => {
  const oracle = new SdkOracle();
  const client = new s3.S3Client({ ...oracle.config(), forcePathStyle: true });
  for (const [name, command] of S3_CASES) {
    oracle.last = undefined;
    await client.send(command as Parameters<typeof client.send>[0]).catch(() => undefined);
    const req = oracle.request;
    assert.equal(resolveRestOperation(req, s3Model)?.name, name, `${req.method} ${req.path}?${req.rawQuery}`);
  }
});

function wire(method: string, pathAndQuery: string, headers: Record<string, string> = {}): WireRequest {
  const [path, rawQuery = ''] = pathAndQuery.split('?') as [string, string?];
  const query: Record<string, string[]> = {};
  for (const kv of rawQuery.split('&').filter(Boolean)) {
    const [k, v = ''] = kv.split('=') as [string, string?];
    (query[decodeURIComponent(k)] ??= []).push(decodeURIComponent(v));
  }
  return { method, path, rawQuery, query, headers, body: Buffer.alloc(0), host: 'localhost' };
}

test('S3: paths and queries from clients other than SDK v3 (no x-id), labels decoded', () => {
  const cases: [string, string, Record<string, string>, string | undefined, Record<string, string>?][] = [
    ['GET', '/b', {}, 'ListObjects', { Bucket: 'b' }],
    ['GET', '/b/', {}, 'ListObjects', { Bucket: 'b' }],
    ['PUT', '/b/', {}, 'CreateBucket', { Bucket: 'b' }],
    ['GET', '/', {}, 'ListBuckets', {}],
    ['GET', '/b?list-type=2&prefix=x', {}, 'ListObjectsV2', { Bucket: 'b' }],
    ['GET', '/b?list-type=1', {}, 'ListObjects', { Bucket: 'b' }],
    ['GET', '/b/dir/', {}, 'GetObject', { Bucket: 'b', Key: 'dir/' }],
    ['GET', '/b/a%2Fb%20c/d%3Fe', {}, 'GetObject', { Bucket: 'b', Key: 'a/b c/d?e' }],
    ['GET', '/b//lead', {}, 'GetObject', { Bucket: 'b', Key: '/lead' }],
    ['GET', '/b/k?acl', {}, 'GetObjectAcl', { Bucket: 'b', Key: 'k' }],
    ['GET', '/b/k?tagging', {}, 'GetObjectTagging', { Bucket: 'b', Key: 'k' }],
    ['GET', '/b/k?uploadId=u', {}, 'ListParts', { Bucket: 'b', Key: 'k' }],
    ['PUT', '/b/k', {}, 'PutObject', { Bucket: 'b', Key: 'k' }],
    ['PUT', '/b/k', { 'x-amz-copy-source': '/s/k' }, 'CopyObject', { Bucket: 'b', Key: 'k' }],
    ['PUT', '/b/k?partNumber=1&uploadId=u', {}, 'UploadPart', { Bucket: 'b', Key: 'k' }],
    ['PUT', '/b/k?partNumber=1&uploadId=u', { 'x-amz-copy-source': '/s/k' }, 'UploadPartCopy', { Bucket: 'b', Key: 'k' }],
    ['POST', '/b/k?uploads', {}, 'CreateMultipartUpload', { Bucket: 'b', Key: 'k' }],
    ['POST', '/b/k?uploadId=u', {}, 'CompleteMultipartUpload', { Bucket: 'b', Key: 'k' }],
    ['DELETE', '/b/k?uploadId=u', {}, 'AbortMultipartUpload', { Bucket: 'b', Key: 'k' }],
    ['DELETE', '/b/k', {}, 'DeleteObject', { Bucket: 'b', Key: 'k' }],
    ['POST', '/b?delete', {}, 'DeleteObjects', { Bucket: 'b' }],
    ['GET', '/b?lifecycle', {}, 'GetBucketLifecycleConfiguration', { Bucket: 'b' }],
    ['GET', '/b?notification', {}, 'GetBucketNotificationConfiguration', { Bucket: 'b' }],
    ['GET', '/b?analytics', {}, 'ListBucketAnalyticsConfigurations', { Bucket: 'b' }],
    ['GET', '/b?analytics&id=x', {}, 'GetBucketAnalyticsConfiguration', { Bucket: 'b' }],
    ['GET', '/?x-id=ListDirectoryBuckets', {}, 'ListDirectoryBuckets', {}],
    ['PATCH', '/b/k', {}, undefined],
    ['POST', '/b', {}, undefined],
  ];
  for (const [method, url, headers, expected, labels] of cases) {
    const m = matchOperation(wire(method, url, headers), s3Model);
    assert.equal(m?.op.name, expected, `${method} ${url}`);
    if (labels) assert.deepEqual(m?.labels, labels, `${method} ${url}`);
  }
});

test('S3: a path that routes only under other methods lists them (the gateway answers 405 MethodNotAllowed)', () => {
  assert.deepEqual(allowedMethods(wire('PATCH', '/b/k'), s3Model).sort(), ['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);
  assert.deepEqual(allowedMethods(wire('POST', '/b'), s3Model).sort(), ['DELETE', 'GET', 'HEAD', 'PUT']);
  assert.deepEqual(allowedMethods(wire('GET', '/WriteGetObjectResponse/x/y'), lambdaModel), []);
});

const F = { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:my-fn' };
const LAMBDA_CASES: [string, object][] = [
  ['ListFunctions', new lambda.ListFunctionsCommand({ MaxItems: 5, Marker: 'm' })],
  ['CreateFunction', new lambda.CreateFunctionCommand({ FunctionName: 'f', Role: 'r', Code: { ZipFile: new Uint8Array([1]) } })],
  ['GetFunction', new lambda.GetFunctionCommand(F)],
  ['GetFunctionConfiguration', new lambda.GetFunctionConfigurationCommand(F)],
  ['UpdateFunctionCode', new lambda.UpdateFunctionCodeCommand({ ...F, ZipFile: new Uint8Array([1]) })],
  ['UpdateFunctionConfiguration', new lambda.UpdateFunctionConfigurationCommand({ ...F, Timeout: 3 })],
  ['DeleteFunction', new lambda.DeleteFunctionCommand(F)],
  ['Invoke', new lambda.InvokeCommand({ ...F, Payload: new TextEncoder().encode('{}') })],
  ['InvokeAsync', new lambda.InvokeAsyncCommand({ ...F, InvokeArgs: new TextEncoder().encode('{}') })],
  ['AddPermission', new lambda.AddPermissionCommand({ ...F, StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' })],
  ['RemovePermission', new lambda.RemovePermissionCommand({ ...F, StatementId: 's' })],
  ['GetPolicy', new lambda.GetPolicyCommand(F)],
  ['ListVersionsByFunction', new lambda.ListVersionsByFunctionCommand(F)],
  ['PublishVersion', new lambda.PublishVersionCommand(F)],
  ['CreateAlias', new lambda.CreateAliasCommand({ ...F, Name: 'live', FunctionVersion: '1' })],
  ['GetAlias', new lambda.GetAliasCommand({ ...F, Name: 'live' })],
  ['ListAliases', new lambda.ListAliasesCommand(F)],
  ['CreateEventSourceMapping', new lambda.CreateEventSourceMappingCommand({ FunctionName: 'f', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' })],
  ['GetEventSourceMapping', new lambda.GetEventSourceMappingCommand({ UUID: 'u-1' })],
  ['ListEventSourceMappings', new lambda.ListEventSourceMappingsCommand({})],
  ['TagResource', new lambda.TagResourceCommand({ Resource: F.FunctionName, Tags: { a: 'b' } })],
  ['UntagResource', new lambda.UntagResourceCommand({ Resource: F.FunctionName, TagKeys: ['a', 'b'] })],
  ['ListTags', new lambda.ListTagsCommand({ Resource: F.FunctionName })],
  ['PutFunctionConcurrency', new lambda.PutFunctionConcurrencyCommand({ ...F, ReservedConcurrentExecutions: 1 })],
  ['GetLayerVersionByArn', new lambda.GetLayerVersionByArnCommand({ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:1' })],
  ['ListLayers', new lambda.ListLayersCommand({})],
  ['ListProvisionedConcurrencyConfigs', new lambda.ListProvisionedConcurrencyConfigsCommand(F)],
  ['GetProvisionedConcurrencyConfig', new lambda.GetProvisionedConcurrencyConfigCommand({ ...F, Qualifier: '1' })],
  ['GetAccountSettings', new lambda.GetAccountSettingsCommand({})],
];

test('every Lambda request built by SDK v3 routes to its operation, with the ARN label decoded', async () => {
  const oracle = new SdkOracle();
  const client = new lambda.LambdaClient(oracle.config());
  for (const [name, command] of LAMBDA_CASES) {
    oracle.last = undefined;
    await client.send(command as Parameters<typeof client.send>[0]).catch(() => undefined);
    const req = oracle.request;
    const m = matchOperation(req, lambdaModel);
    assert.equal(m?.op.name, name, `${req.method} ${req.path}?${req.rawQuery}`);
    if ('FunctionName' in m!.labels) assert.match(m!.labels['FunctionName']!, /^(f|arn:aws:lambda:us-east-1:000000000000:function:my-fn)$/);
  }
});
