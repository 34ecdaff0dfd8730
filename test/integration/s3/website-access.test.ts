/**
 * Who the website endpoint serves (user guide, "Setting permissions for website access"):
 * only publicly readable objects. An object that exists but is not everyone's to read
 * answers 403 AccessDenied (an HTML page, or the custom error document with 403); a
 * missing one still 404. Public means a bucket policy allowing s3:GetObject to Principal
 * "*" on the object's ARN without a Deny to everyone, or the object's ACL granting
 * AllUsers READ; RestrictPublicBuckets and IgnorePublicAcls take those away, while
 * BlockPublicPolicy only refuses new public policies.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, PutBucketWebsiteCommand, PutBucketPolicyCommand, DeletePublicAccessBlockCommand,
  PutPublicAccessBlockCommand, PutBucketOwnershipControlsCommand, type PublicAccessBlockConfiguration, type WebsiteConfiguration,
} from '@aws-sdk/client-s3';
import { startTestNimbus, clientConfig } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
let s3: S3Client;
before(async () => {
  cloud = await startTestNimbus();
  s3 = new S3Client({ ...clientConfig(cloud.endpoint), forcePathStyle: true });
});
after(async () => {
  s3.destroy();
  await cloud.stop();
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** An anonymous GET to a bucket's website endpoint, as a browser sends it. */
function get(bucket: string, path: string): Promise<Answer> {
  const port = new URL(cloud.endpoint).port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path, headers: { host: `${bucket}.s3-website-us-east-1.localhost:${port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const DENIED_ITEMS = '<li>Code: AccessDenied</li>\n<li>Message: Access Denied</li>\n';

/** A 403 AccessDenied HTML page. */
function assertDenied(a: Answer): void {
  assert.equal(a.status, 403);
  assert.equal(a.headers['x-amz-error-code'], 'AccessDenied');
  assert.equal(a.headers['x-amz-error-message'], 'Access Denied');
  assert.equal(a.headers['content-type'], 'text/html; charset=utf-8');
  assert.ok(a.body.startsWith('<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<h1>403 Forbidden</h1>\n<ul>\n' + DENIED_ITEMS), a.body);
}

type Statement = Record<string, unknown>;
const publicRead = (bucket: string, resource = `arn:aws:s3:::${bucket}/*`): Statement =>
  ({ Sid: 'PublicReadGetObject', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource });

/** A website bucket with index.html and the given objects, its public access block lifted unless `block` says otherwise. */
async function site(bucket: string, options: { statements?: Statement[]; block?: PublicAccessBlockConfiguration; ownership?: 'BucketOwnerPreferred'; config?: WebsiteConfiguration; objects?: Record<string, Record<string, unknown>> } = {}): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: options.ownership }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: options.config ?? { IndexDocument: { Suffix: 'index.html' } } }));
  if (options.statements) await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: options.statements }) }));
  for (const [Key, extra] of Object.entries({ 'index.html': {}, ...options.objects })) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `<p>${Key}</p>`, ContentType: 'text/html', ...extra }));
  }
  if (options.block) await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: options.block }));
}

test('a private bucket: 403 AccessDenied for existing objects (the index too), 404 for missing ones', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'ws-private' }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: 'ws-private', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
  await s3.send(new PutObjectCommand({ Bucket: 'ws-private', Key: 'index.html', Body: '<p>home</p>' }));
  await s3.send(new PutObjectCommand({ Bucket: 'ws-private', Key: 'page.html', Body: '<p>page</p>' }));
  assertDenied(await get('ws-private', '/'));
  assertDenied(await get('ws-private', '/page.html'));
  const missing = await get('ws-private', '/nope.html');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['x-amz-error-code'], 'NoSuchKey');
});

test('a public-read bucket policy serves the objects its Resource covers', async () => {
  await site('ws-policy', { statements: [publicRead('ws-policy', 'arn:aws:s3:::ws-policy/public/*')], objects: { 'public/a.html': {}, 'private/b.html': {} } });
  const served = await get('ws-policy', '/public/a.html');
  assert.deepEqual([served.status, served.body], [200, '<p>public/a.html</p>']);
  assertDenied(await get('ws-policy', '/private/b.html'));
  assertDenied(await get('ws-policy', '/'));
});

test('Principal {"AWS": "*"} with s3:* or s3:Get* is public; a named principal is not', async () => {
  await site('ws-aws-star', { statements: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:Get*'], Resource: ['arn:aws:s3:::ws-aws-star/index.html'] }] });
  assert.equal((await get('ws-aws-star', '/')).status, 200);
  await site('ws-s3-star', { statements: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: 'arn:aws:s3:::ws-s3-star/*' }] });
  assert.equal((await get('ws-s3-star', '/')).status, 200);
  await site('ws-account', { statements: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::ws-account/*' }] });
  assertDenied(await get('ws-account', '/'));
  await site('ws-put-only', { statements: [{ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::ws-put-only/*' }] });
  assertDenied(await get('ws-put-only', '/'));
});

test('an explicit Deny to everyone wins over the Allow; so does one on plain HTTP (aws:SecureTransport false)', async () => {
  await site('ws-deny', {
    statements: [publicRead('ws-deny'), { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::ws-deny/secret/*' }],
    objects: { 'secret/s.html': {}, 'open.html': {} },
  });
  assert.equal((await get('ws-deny', '/open.html')).status, 200);
  assertDenied(await get('ws-deny', '/secret/s.html'));
  // The website endpoint speaks HTTP only: a policy denying insecure transport closes it.
  await site('ws-tls-only', {
    statements: [publicRead('ws-tls-only'), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::ws-tls-only', 'arn:aws:s3:::ws-tls-only/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  });
  assertDenied(await get('ws-tls-only', '/'));
});

test('RestrictPublicBuckets takes the public policy away; BlockPublicPolicy leaves an existing one in force', async () => {
  await site('ws-restrict', { statements: [publicRead('ws-restrict')], block: { RestrictPublicBuckets: true } });
  assertDenied(await get('ws-restrict', '/'));
  await site('ws-block-new', { statements: [publicRead('ws-block-new')], block: { BlockPublicPolicy: true } });
  assert.equal((await get('ws-block-new', '/')).status, 200);
});

test('an object ACL granting AllUsers READ makes the object public, unless IgnorePublicAcls or ACLs are disabled', async () => {
  await site('ws-acl', { ownership: 'BucketOwnerPreferred', objects: { 'open.html': { ACL: 'public-read' }, 'closed.html': { ACL: 'private' } } });
  const open = await get('ws-acl', '/open.html');
  assert.deepEqual([open.status, open.body], [200, '<p>open.html</p>']);
  assertDenied(await get('ws-acl', '/closed.html'));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'ws-acl', PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
  assertDenied(await get('ws-acl', '/open.html'));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'ws-acl' }));
  assert.equal((await get('ws-acl', '/open.html')).status, 200);
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'ws-acl', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  assertDenied(await get('ws-acl', '/open.html'));
});

test('a 403 serves the custom error document with 403 when it is public, a nested error when it is not; routing rules on 403', async () => {
  const config: WebsiteConfiguration = {
    IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'public/error.html' },
    RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: '403', KeyPrefixEquals: 'members/' }, Redirect: { HostName: 'login.example.com', ReplaceKeyWith: 'signin' } }],
  };
  await site('ws-error-doc', { statements: [publicRead('ws-error-doc', 'arn:aws:s3:::ws-error-doc/public/*')], config, objects: { 'public/error.html': {}, 'members/area.html': {} } });
  const doc = await get('ws-error-doc', '/');
  assert.deepEqual([doc.status, doc.body], [403, '<p>public/error.html</p>']);
  const redirected = await get('ws-error-doc', '/members/area.html');
  assert.deepEqual([redirected.status, redirected.headers.location], [301, 'http://login.example.com/signin']);
  // A missing key is still a 404 (with the same error document).
  assert.deepEqual(await get('ws-error-doc', '/nope.html').then((a) => [a.status, a.body]), [404, '<p>public/error.html</p>']);

  await site('ws-private-error-doc', { statements: [publicRead('ws-private-error-doc', 'arn:aws:s3:::ws-private-error-doc/public/*')], config: { ...config, ErrorDocument: { Key: 'error.html' }, RoutingRules: undefined }, objects: { 'error.html': {} } });
  const nested = await get('ws-private-error-doc', '/');
  assertDenied(nested);
  assert.match(nested.body, /<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document<\/h3>\n<ul>\n<li>Code: AccessDenied<\/li>\n<li>Message: Access Denied<\/li>\n<\/ul>/);
});
