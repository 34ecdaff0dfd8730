/**
 * Browser POST uploads end to end: forms signed by boto3's generate_presigned_post (both
 * generations) and the SDK v3's createPresignedPost, sent as multipart/form-data by fetch's
 * FormData (a browser's encoder) to path-style and virtual-hosted bucket URLs. S3's answers:
 * 204 / 200 / 201 with PostResponse / 303 to success_action_redirect, policy failures (403),
 * signature checks for keys nimbus issued, and the object stored as PutObject would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { S3Client, GetObjectCommand, HeadObjectCommand, GetObjectAclCommand, PutBucketOwnershipControlsCommand, DeletePublicAccessBlockCommand, PutBucketAclCommand } from '@aws-sdk/client-s3';
import { STSClient, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { clientConfig, externalClients, runBoto3 } from '../../helpers/nimbus.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'post-uploads';
const { cloud, s3 } = s3Harness({ buckets: [B] });

const boto3s = externalClients().present.filter((c) => c.kind === 'boto3');
const md5 = (s: string) => `"${createHash('md5').update(s).digest('hex')}"`;

/** generate_presigned_post's url and fields. */
async function botoPost(python: string, key: string, fields: Record<string, string>, conditions: unknown[], expiresIn = 600, env?: NodeJS.ProcessEnv): Promise<{ url: string; fields: Record<string, string> }> {
  const r = await runBoto3(python, cloud.endpoint, `
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', config=Config(s3={'addressing_style': 'path'}))
p = s3.generate_presigned_post(${JSON.stringify(B)}, ${JSON.stringify(key)}, Fields=json.loads(${JSON.stringify(JSON.stringify(fields))}), Conditions=json.loads(${JSON.stringify(JSON.stringify(conditions))}), ExpiresIn=${expiresIn})
print(json.dumps(p))
`, env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { url: string; fields: Record<string, string> };
}

/** Sends a form as a browser does: fields in order, the file last. */
async function send(url: string, fields: Record<string, string>, file: string, headers: Record<string, string> = {}): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([file], { type: 'text/plain' }), 'notes.txt');
  return fetch(url, { method: 'POST', body: fd, headers, redirect: 'manual' });
}

/** Sends a form to nimbus with another Host header (virtual-hosted names need no DNS this way). */
async function sendAs(host: string, fields: Record<string, string>, file: string): Promise<{ status: number; body: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([file], { type: 'text/plain' }), 'notes.txt');
  const encoded = new Request('http://x/', { method: 'POST', body: fd });
  const body = Buffer.from(await encoded.arrayBuffer());
  const { port } = new URL(cloud.endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host, 'content-type': encoded.headers.get('content-type')!, 'content-length': body.length } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** S3's XML error as [status, Code, Message]. */
async function xmlError(r: Response): Promise<[number, string, string]> {
  const text = await r.text();
  return [r.status, /<Code>(.*?)<\/Code>/.exec(text)?.[1] ?? '', /<Message>(.*?)<\/Message>/.exec(text)?.[1] ?? ''];
}

for (const client of boto3s) {
  test(`${client.name}: generate_presigned_post, 204 by default, the object stored with the form's headers`, async () => {
    const key = `boto/${client.bin.replace(/\W/g, '')}/\${filename}`;
    const p = await botoPost(client.bin, key, { 'Content-Type': 'text/plain', 'x-amz-meta-origin': 'form' }, [['content-length-range', 1, 100], { 'Content-Type': 'text/plain' }, { 'x-amz-meta-origin': 'form' }]);
    const r = await send(p.url, p.fields, 'hello form');
    assert.equal(r.status, 204);
    const stored = key.replace('${filename}', 'notes.txt');
    assert.equal(r.headers.get('etag'), md5('hello form'));
    assert.equal(r.headers.get('location'), `${cloud.endpoint}/${B}/${stored}`);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: stored }));
    assert.equal(await got.Body!.transformToString(), 'hello form');
    assert.equal(got.ContentType, 'text/plain');
    assert.deepEqual(got.Metadata, { origin: 'form' });
  });

  test(`${client.name}: policy failures — condition, extra field, size, expiry`, async () => {
    const p = await botoPost(client.bin, 'fixed.txt', {}, [['content-length-range', 1, 5]]);
    assert.deepEqual(await xmlError(await send(p.url, { ...p.fields, key: 'other.txt' }, 'x')), [403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "fixed.txt"]']);
    assert.deepEqual(await xmlError(await send(p.url, { ...p.fields, 'x-amz-meta-extra': '1' }, 'x')), [403, 'AccessDenied', 'Invalid according to Policy: Extra input fields: x-amz-meta-extra']);
    assert.deepEqual(await xmlError(await send(p.url, p.fields, 'too long')), [400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size']);
    const expired = await botoPost(client.bin, 'late.txt', {}, [], -10);
    assert.deepEqual(await xmlError(await send(expired.url, expired.fields, 'x')), [403, 'AccessDenied', 'Invalid according to Policy: Policy expired.']);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'fixed.txt' })), { name: 'NotFound' });
  });
}

test('success_action_status 200 and 201, success_action_redirect 303', async () => {
  const post = await createPresignedPost(s3, { Bucket: B, Key: 'status.txt', Fields: { success_action_status: '201' }, Conditions: [{ success_action_status: '201' }] });
  const created = await send(post.url, post.fields, 'abc');
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('content-type'), 'application/xml');
  assert.equal(await created.text(), '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<PostResponse><Location>${cloud.endpoint}/${B}/status.txt</Location><Bucket>${B}</Bucket><Key>status.txt</Key><ETag>${md5('abc').replace(/"/g, '&quot;')}</ETag></PostResponse>`);
  const ok = await createPresignedPost(s3, { Bucket: B, Key: 'ok.txt', Fields: { success_action_status: '200' }, Conditions: [{ success_action_status: '200' }] });
  const r200 = await send(ok.url, ok.fields, 'abc');
  assert.equal(r200.status, 200);
  assert.equal(await r200.text(), '');
  const redirect = await createPresignedPost(s3, { Bucket: B, Key: 'redirected.txt', Fields: { success_action_redirect: 'http://app.example/done?x=1' }, Conditions: [{ success_action_redirect: 'http://app.example/done?x=1' }] });
  const r303 = await send(redirect.url, redirect.fields, 'abc');
  assert.equal(r303.status, 303);
  assert.equal(r303.headers.get('location'), `http://app.example/done?x=1&bucket=${B}&key=redirected.txt&etag=%22${md5('abc').slice(1, -1)}%22`);
});

test('SDK v3 createPresignedPost to the virtual-hosted URL; the acl field sets the object ACL', async () => {
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: B, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  const vhost = new S3Client({ ...clientConfig(cloud.endpoint.replace('127.0.0.1', 'localhost')) });
  const post = await createPresignedPost(vhost, { Bucket: B, Key: 'vhost.txt', Fields: { acl: 'public-read' }, Conditions: [{ acl: 'public-read' }] });
  assert.equal(post.url, `${cloud.endpoint.replace('127.0.0.1', `${B}.localhost`)}/`);
  const r = await sendAs(new URL(post.url).host, post.fields, 'virtual');
  assert.equal(r.status, 204, r.body);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'vhost.txt' }))).Body!.transformToString(), 'virtual');
  const acl = await s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'vhost.txt' }));
  assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? 'owner', g.Permission]), [['CanonicalUser', 'owner', 'FULL_CONTROL'], ['Group', 'http://acs.amazonaws.com/groups/global/AllUsers', 'READ']]);
});

test('signatures of issued keys are checked: a tampered signature or policy is refused', async () => {
  const sts = new STSClient(clientConfig(cloud.endpoint));
  const c = (await sts.send(new GetSessionTokenCommand({}))).Credentials!;
  const session = new S3Client({ ...clientConfig(cloud.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }), forcePathStyle: true });
  const post = await createPresignedPost(session, { Bucket: B, Key: 'signed.txt' });
  const good = await send(post.url, post.fields, 'signed');
  assert.equal(good.status, 204, await good.clone().text());
  const badSignature = { ...post.fields, 'X-Amz-Signature': '0'.repeat(64) };
  assert.deepEqual(await xmlError(await send(post.url, badSignature, 'x')), [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.']);
  const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString()) as { conditions: unknown[] };
  policy.conditions.push(['content-length-range', 0, 1 << 30]);
  const badPolicy = { ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') };
  assert.deepEqual((await xmlError(await send(post.url, badPolicy, 'x'))).slice(0, 2), [403, 'SignatureDoesNotMatch']);
  const { 'X-Amz-Security-Token': _token, ...noToken } = post.fields;
  assert.deepEqual(await xmlError(await send(post.url, noToken, 'x')), [403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.']);
  assert.deepEqual(await xmlError(await send(post.url, { ...post.fields, 'X-Amz-Security-Token': 'forged' }, 'x')), [400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.']);
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'signed.txt' })).then(() => s3.send(new HeadObjectCommand({ Bucket: B, Key: 'never.txt' }))), { name: 'NotFound' });
});

test('unsigned forms: refused unless the bucket grants public writes; unknown buckets; missing fields', async () => {
  const url = `${cloud.endpoint}/${B}`;
  assert.deepEqual(await xmlError(await send(url, { key: 'anon.txt' }, 'x')), [403, 'AccessDenied', 'Access Denied']);
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
  await s3.send(new PutBucketAclCommand({ Bucket: B, ACL: 'public-read-write' }));
  assert.equal((await send(url, { key: 'anon.txt' }, 'anonymous')).status, 204);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'anon.txt' }))).Body!.transformToString(), 'anonymous');
  assert.deepEqual(await xmlError(await send(`${cloud.endpoint}/no-such-post-bucket`, { key: 'k' }, 'x')), [404, 'NoSuchBucket', 'The specified bucket does not exist']);
  assert.deepEqual(await xmlError(await send(url, { 'x-amz-algorithm': 'AWS4-HMAC-SHA256', key: 'k' }, 'x')), [400, 'InvalidArgument', "Bucket POST must contain a field named 'x-amz-credential'.  If it is specified, please check the order of the fields."]);
  assert.deepEqual(await xmlError(await send(url, {}, 'x')), [400, 'InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields."]);
});
