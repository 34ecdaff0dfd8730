/**
 * Presigned URLs as applications make them: @aws-sdk/s3-request-presigner (GET with
 * response overrides, PUT), `aws s3 presign` of both CLIs, boto3 generate_presigned_url,
 * then fetched with a plain HTTP client; an expired URL answers AccessDenied "Request has expired".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { externalClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import { s3Harness } from '../../helpers/harness.js';

const B = 'presigned-bucket';
const { cloud, s3, client } = s3Harness({
  buckets: [B],
  setup: async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/hello world.txt', Body: 'presigned hello', ContentType: 'text/plain' }));
  },
});

test('SDK presigner: GET with a response-content-disposition override, PUT of a new object', async () => {
  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: B, Key: 'dir/hello world.txt', ResponseContentDisposition: 'attachment; filename="x.txt"' }), { expiresIn: 300 });
  const got = await fetch(getUrl);
  assert.equal(got.status, 200);
  assert.equal(await got.text(), 'presigned hello');
  assert.equal(got.headers.get('content-disposition'), 'attachment; filename="x.txt"');
  assert.equal(got.headers.get('content-type'), 'text/plain');
  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: B, Key: 'uploaded.bin', ContentType: 'application/octet-stream' }), { expiresIn: 300 });
  const put = await fetch(putUrl, { method: 'PUT', body: 'from a browser', headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(put.status, 200);
  assert.equal(put.headers.get('etag'), '"' + (await import('node:crypto')).createHash('md5').update('from a browser').digest('hex') + '"');
  const back = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'uploaded.bin' }));
  assert.equal(await back.Body!.transformToString(), 'from a browser');
  assert.equal(back.ContentType, 'application/octet-stream');
});

test('virtual-hosted presigned GET (<bucket>.localhost)', async () => {
  const vhost = client({ endpoint: cloud.endpoint.replace('127.0.0.1', 'localhost'), forcePathStyle: false });
  const url = new URL(await getSignedUrl(vhost, new GetObjectCommand({ Bucket: B, Key: 'dir/hello world.txt' }), { expiresIn: 60 }));
  assert.equal(url.hostname, 'presigned-bucket.localhost');
  // Sent to the loopback address with the signed Host, as a resolver mapping *.localhost would.
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: url.pathname + url.search, headers: { host: url.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
  assert.equal(status, 200, body);
  assert.equal(body, 'presigned hello');
});

test('an expired presigned URL answers 403 AccessDenied "Request has expired"', async () => {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: B, Key: 'dir/hello world.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
  const res = await fetch(url);
  assert.equal(res.status, 403);
  const xml = await res.text();
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  assert.match(xml, /<X-Amz-Expires>60<\/X-Amz-Expires>/);
  assert.match(xml, /<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires><ServerTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/ServerTime>/);
});

const { present } = externalClients();
present.forEach((client, i) => {
  if (client.kind === 'cli') {
    test(`${client.name}: aws s3 presign, then GET`, async () => {
      const r = await runCli(client.bin, cloud.endpoint, ['s3', 'presign', `s3://${B}/dir/hello world.txt`, '--expires-in', '120']);
      assert.equal(r.status, 0, r.stderr);
      const res = await fetch(r.stdout.trim());
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(await res.text(), 'presigned hello');
    });
  } else {
    test(`${client.name}: generate_presigned_url for GET and PUT`, async () => {
      const r = await runBoto3(client.bin, cloud.endpoint, `
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1', config=Config(signature_version='s3v4'))
print(json.dumps({
  'get': s3.generate_presigned_url('get_object', Params={'Bucket': ${JSON.stringify(B)}, 'Key': 'dir/hello world.txt'}, ExpiresIn=120),
  'put': s3.generate_presigned_url('put_object', Params={'Bucket': ${JSON.stringify(B)}, 'Key': 'boto-${i}.txt'}, ExpiresIn=120),
}))
`);
      assert.equal(r.status, 0, r.stderr);
      const urls = JSON.parse(r.stdout) as { get: string; put: string };
      const got = await fetch(urls.get);
      assert.equal(got.status, 200);
      assert.equal(await got.text(), 'presigned hello');
      const put = await fetch(urls.put, { method: 'PUT', body: `boto ${i}` });
      assert.equal(put.status, 200, await put.clone().text());
      const back = await s3.send(new GetObjectCommand({ Bucket: B, Key: `boto-${i}.txt` }));
      assert.equal(await back.Body!.transformToString(), `boto ${i}`);
    });
  }
});
