/**
 * Static website hosting: Put/Get/DeleteBucketWebsite through the SDK v3 and the AWS CLI,
 * S3's validation of the configuration, and the website endpoint
 * (`<bucket>.s3-website-<region>.localhost`, `<bucket>.s3-website.<region>.localhost`,
 * `<bucket>.s3-website.localhost`) answering anonymous GET/HEAD: index documents, the
 * folder redirect, error documents, HTML error pages, RedirectAllRequestsTo, routing rules
 * and x-amz-website-redirect-location (Amazon S3 user guide, "Hosting a static website").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  CreateBucketCommand, PutObjectCommand, PutBucketWebsiteCommand, GetBucketWebsiteCommand, DeleteBucketWebsiteCommand, type WebsiteConfiguration,
  DeletePublicAccessBlockCommand, PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { externalClients, runCli } from '../../helpers/nimbus.js';
import { fails } from '../../helpers/errors.js';
import { s3Harness } from '../../helpers/harness.js';

const SITE = 'my-site';
const { cloud, s3 } = s3Harness({
  setup: async () => {
    await s3.send(new CreateBucketCommand({ Bucket: SITE }));
    // The website serves only publicly readable objects: the usual public-read bucket policy
    // (user guide, "Setting permissions for website access"), the public access block lifted first.
    await makePublic(SITE);
    const put = (Key: string, Body: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) => s3.send(new PutObjectCommand({ Bucket: SITE, Key, Body, ContentType: 'text/html', ...extra }));
    await put('index.html', '<h1>home</h1>');
    await put('docs/index.html', '<h1>docs</h1>');
    await put('error.html', '<h1>oops</h1>');
    await put('page.html', 'page', { CacheControl: 'max-age=60', Metadata: { team: 'web' } });
    await put('moved.html', '', { WebsiteRedirectLocation: '/page.html' });
  },
});

/** Lifts a bucket's public access block and grants everyone s3:GetObject on its objects. */
async function makePublic(Bucket: string): Promise<void> {
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicReadGetObject', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }],
  }) }));
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A plain HTTP request to nimbus with a website Host header, as a browser would send it. */
function get(host: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  const port = new URL(cloud.endpoint).port;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `${host}:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const host = (bucket = SITE) => `${bucket}.s3-website-us-east-1.localhost`;
const CONFIG: WebsiteConfiguration = {
  IndexDocument: { Suffix: 'index.html' },
  ErrorDocument: { Key: 'error.html' },
  RoutingRules: [
    { Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/', HttpRedirectCode: '302' } },
    { Condition: { HttpErrorCodeReturnedEquals: '404', KeyPrefixEquals: 'gone/' }, Redirect: { HostName: 'archive.example.com', Protocol: 'https', ReplaceKeyWith: 'missing.html' } },
  ],
};

test('Put/Get/DeleteBucketWebsite; NoSuchWebsiteConfiguration', async () => {
  await s3.send(new PutBucketWebsiteCommand({ Bucket: SITE, WebsiteConfiguration: CONFIG }));
  const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: SITE }));
  assert.deepEqual({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }, CONFIG);
  await s3.send(new DeleteBucketWebsiteCommand({ Bucket: SITE }));
  const e = await fails(s3.send(new GetBucketWebsiteCommand({ Bucket: SITE })));
  assert.deepEqual([e.name, e.message, e.$metadata.httpStatusCode, e.BucketName], ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, SITE]);
  const page = await get(host(), '/');
  assert.equal(page.status, 404);
  assert.match(page.body, /<li>Code: NoSuchWebsiteConfiguration<\/li>\n<li>Message: The specified bucket does not have a website configuration<\/li>\n<li>BucketName: my-site<\/li>/);
  await s3.send(new PutBucketWebsiteCommand({ Bucket: SITE, WebsiteConfiguration: CONFIG }));
});

test('PutBucketWebsite validation, in S3\'s words', async () => {
  const put = (c: WebsiteConfiguration) => fails(s3.send(new PutBucketWebsiteCommand({ Bucket: SITE, WebsiteConfiguration: c })));
  const none = await put({ ErrorDocument: { Key: 'e.html' } });
  assert.deepEqual([none.name, none.message, none.ArgumentName], ['InvalidArgument', 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument']);
  const slash = await put({ IndexDocument: { Suffix: 'a/index.html' } });
  assert.deepEqual([slash.name, slash.message, slash.ArgumentValue], ['InvalidArgument', 'The IndexDocument Suffix is not well formed', 'a/index.html']);
  const both = await put({ RedirectAllRequestsTo: { HostName: 'x.example' }, IndexDocument: { Suffix: 'index.html' } });
  assert.deepEqual([both.name, both.message], ['InvalidArgument', 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.']);
  const replace = await put({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { ReplaceKeyWith: 'a', ReplaceKeyPrefixWith: 'b' } }] });
  assert.deepEqual([replace.name, replace.message], ['InvalidRequest', 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.']);
  const code = await put({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { HttpRedirectCode: '200' } }] });
  assert.deepEqual([code.name, code.message], ['InvalidRequest', 'The provided HTTP redirect code (200) is not valid. Valid codes are 3XX except 300.']);
  const missing = await fails(s3.send(new GetBucketWebsiteCommand({ Bucket: 'no-such-site' })));
  assert.equal(missing.name, 'NoSuchBucket');
});

test('index documents at / and dir/, the folder redirect, objects with their headers, HEAD, 304', async () => {
  for (const h of [host(), `${SITE}.s3-website.us-east-1.localhost`, `${SITE}.s3-website.localhost`]) {
    const home = await get(h, '/');
    assert.deepEqual([home.status, home.body, home.headers['content-type']], [200, '<h1>home</h1>', 'text/html']);
  }
  assert.equal((await get(host(), '/docs/')).body, '<h1>docs</h1>');
  const folder = await get(host(), '/docs');
  assert.deepEqual([folder.status, folder.headers.location], [302, '/docs/']);
  const page = await get(host(), '/page.html');
  assert.deepEqual([page.status, page.body, page.headers['cache-control'], page.headers['x-amz-meta-team']], [200, 'page', 'max-age=60', 'web']);
  const head = await get(host(), '/page.html', 'HEAD');
  assert.deepEqual([head.status, head.body, head.headers['content-length']], [200, '', '4']);
  const cached = await get(host(), '/page.html', 'GET', { 'if-none-match': page.headers.etag as string });
  assert.equal(cached.status, 304);
});

test('missing keys: the error document with 404; the HTML page when it is missing too', async () => {
  const missing = await get(host(), '/nothing.html');
  assert.deepEqual([missing.status, missing.body], [404, '<h1>oops</h1>']);
  const head = await get(host(), '/nothing.html', 'HEAD');
  assert.deepEqual([head.status, head.body], [404, '']);
  await s3.send(new PutBucketWebsiteCommand({ Bucket: SITE, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'absent.html' } } }));
  const page = await get(host(), '/nothing/');
  assert.equal(page.status, 404);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  const requestId = page.headers['x-amz-request-id'] as string;
  assert.equal(page.body, '<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>404 Not Found</h1>\n<ul>\n'
    + '<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: nothing/index.html</li>\n'
    + `<li>RequestId: ${requestId}</li>\n<li>HostId: ${page.headers['x-amz-id-2'] as string}</li>\n</ul>\n`
    + '<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n'
    + '<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: absent.html</li>\n</ul>\n<hr/>\n</body>\n</html>\n');
  const noBucket = await get(host('no-such-site'), '/');
  assert.equal(noBucket.status, 404);
  assert.match(noBucket.body, /<li>Code: NoSuchBucket<\/li>\n<li>Message: The specified bucket does not exist<\/li>\n<li>BucketName: no-such-site<\/li>/);
  const post = await get(host(), '/index.html', 'PUT');
  assert.equal(post.status, 405);
  assert.match(post.body, /<li>Code: MethodNotAllowed<\/li>/);
  await s3.send(new PutBucketWebsiteCommand({ Bucket: SITE, WebsiteConfiguration: CONFIG }));
});

test('redirects: routing rules by key prefix and by error code, x-amz-website-redirect-location', async () => {
  const prefix = await get(host(), '/old/guide.html');
  assert.deepEqual([prefix.status, prefix.headers.location], [302, `http://${host()}:${new URL(cloud.endpoint).port}/docs/guide.html`]);
  const onError = await get(host(), '/gone/thing.html');
  assert.deepEqual([onError.status, onError.headers.location], [301, 'https://archive.example.com/missing.html']);
  const moved = await get(host(), '/moved.html');
  assert.deepEqual([moved.status, moved.headers.location], [301, '/page.html']);
});

test('RedirectAllRequestsTo', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'old-site' }));
  await s3.send(new PutBucketWebsiteCommand({ Bucket: 'old-site', WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'new.example.com', Protocol: 'https' } } }));
  const r = await get(host('old-site'), '/a/b.html');
  assert.deepEqual([r.status, r.headers.location], [301, 'https://new.example.com/a/b.html']);
});

const cli = externalClients().present.find((c) => c.kind === 'cli');
test('AWS CLI: s3 website and s3api get-bucket-website', { skip: cli ? false : 'no AWS CLI' }, async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'cli-site' }));
  const set = await runCli(cli!.bin, cloud.endpoint, ['s3', 'website', 's3://cli-site', '--index-document', 'home.html', '--error-document', 'err.html']);
  assert.equal(set.status, 0, set.stderr);
  const got = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-website', '--bucket', 'cli-site']);
  assert.equal(got.status, 0, got.stderr);
  assert.deepEqual(JSON.parse(got.stdout), { IndexDocument: { Suffix: 'home.html' }, ErrorDocument: { Key: 'err.html' } });
  const none = await runCli(cli!.bin, cloud.endpoint, ['s3api', 'get-bucket-website', '--bucket', SITE.replace('my', 'no')]);
  assert.match(none.stderr, /NoSuchBucket/);
});
