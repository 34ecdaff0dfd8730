/**
 * S3 through the AWS CLIs and boto3 of both generations on this machine: `aws s3 cp`
 * of a file over 8 MB (multipart), `aws s3 ls`, `aws s3api head-object`, and boto3's
 * upload_file / download_file with a low multipart threshold.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { startTestNimbus, installedClients, runCli, runBoto3 } from '../../helpers/nimbus.js';
import type { Nimbus } from '../../../src/nimbus.js';

let cloud: Nimbus;
let dir: string;
let file: string;
const SIZE = 9 * 1024 * 1024 + 123;
before(async () => {
  cloud = await startTestNimbus();
  dir = mkdtempSync(join(tmpdir(), 'nimbus-s3-cli-'));
  file = join(dir, 'upload.bin');
  const data = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 512) data[i] = (i / 512) % 256;
  writeFileSync(file, data);
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  return cloud.stop();
});

const present = installedClients();

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

present.forEach((client, i) => {
  const bucket = `clients-${i}-bucket`;
  if (client.kind === 'cli') {
    test(`${client.name}: mb, s3 cp (multipart) both ways, s3 ls, head-object, NoSuchKey`, async () => {
      const mb = await runCli(client.bin, cloud.endpoint, ['s3', 'mb', `s3://${bucket}`]);
      assert.equal(mb.status, 0, mb.stderr);
      const up = await runCli(client.bin, cloud.endpoint, ['s3', 'cp', file, `s3://${bucket}/dir/upload.bin`]);
      assert.equal(up.status, 0, up.stderr);
      const ls = await runCli(client.bin, cloud.endpoint, ['s3', 'ls', `s3://${bucket}/dir/`]);
      assert.equal(ls.status, 0, ls.stderr);
      assert.match(ls.stdout, new RegExp(`\\s${SIZE} upload\\.bin\\n`));
      const root = await runCli(client.bin, cloud.endpoint, ['s3', 'ls', `s3://${bucket}`]);
      assert.match(root.stdout, /PRE dir\//);
      const head = await runCli(client.bin, cloud.endpoint, ['s3api', 'head-object', '--bucket', bucket, '--key', 'dir/upload.bin']);
      assert.equal(head.status, 0, head.stderr);
      const h = JSON.parse(head.stdout);
      assert.equal(h.ContentLength, SIZE);
      assert.match(h.ETag, /^"[0-9a-f]{32}-2"$/);
      const back = join(dir, `back-${i}.bin`);
      const down = await runCli(client.bin, cloud.endpoint, ['s3', 'cp', `s3://${bucket}/dir/upload.bin`, back]);
      assert.equal(down.status, 0, down.stderr);
      assert.equal(sha(back), sha(file));
      const missingKey = await runCli(client.bin, cloud.endpoint, ['s3api', 'get-object', '--bucket', bucket, '--key', 'nope', join(dir, 'nope')]);
      assert.notEqual(missingKey.status, 0);
      assert.match(missingKey.stderr, /An error occurred \(NoSuchKey\) when calling the GetObject operation: The specified key does not exist\./);
      const rm = await runCli(client.bin, cloud.endpoint, ['s3', 'rb', `s3://${bucket}`, '--force']);
      assert.equal(rm.status, 0, rm.stderr);
    });
  } else {
    test(`${client.name}: upload_file / download_file with multipart, list, errors`, async () => {
      const back = join(dir, `boto-back-${i}.bin`);
      const r = await runBoto3(client.bin, cloud.endpoint, `
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.create_bucket(Bucket=${JSON.stringify(bucket)})
cfg = TransferConfig(multipart_threshold=5*1024*1024, multipart_chunksize=5*1024*1024)
s3.upload_file(${JSON.stringify(file)}, ${JSON.stringify(bucket)}, 'k/upload.bin', Config=cfg)
s3.download_file(${JSON.stringify(bucket)}, 'k/upload.bin', ${JSON.stringify(back)}, Config=cfg)
s3.put_object(Bucket=${JSON.stringify(bucket)}, Key='k/small.txt', Body=b'hi', Metadata={'a': 'b'})
out = {'head': s3.head_object(Bucket=${JSON.stringify(bucket)}, Key='k/upload.bin')['ETag']}
out['list'] = [(o['Key'], o['Size']) for o in s3.list_objects_v2(Bucket=${JSON.stringify(bucket)}, Prefix='k/')['Contents']]
out['meta'] = s3.get_object(Bucket=${JSON.stringify(bucket)}, Key='k/small.txt')['Metadata']
out['v1'] = [c['Prefix'] for c in s3.list_objects(Bucket=${JSON.stringify(bucket)}, Delimiter='/')['CommonPrefixes']]
try:
    s3.get_object(Bucket=${JSON.stringify(bucket)}, Key='missing')
except botocore.exceptions.ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['Error'].get('Key')]
try:
    s3.delete_bucket(Bucket=${JSON.stringify(bucket)})
except botocore.exceptions.ClientError as e:
    out['notEmpty'] = e.response['Error']['Code']
print(json.dumps(out))
`);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.match(out.head, /^"[0-9a-f]{32}-2"$/);
      assert.deepEqual(out.list, [['k/small.txt', 2], ['k/upload.bin', SIZE]]);
      assert.deepEqual(out.meta, { a: 'b' });
      assert.deepEqual(out.v1, ['k/']);
      assert.deepEqual(out.error, ['NoSuchKey', 'The specified key does not exist.', 'missing']);
      assert.equal(out.notEmpty, 'BucketNotEmpty');
      assert.equal(sha(back), sha(file));
    });
  }
});
