/**
 * Browser POST uploads through the engine: policies and fields made by boto3's
 * generate_presigned_post, the form encoded by undici's FormData (a browser's encoder),
 * then parsed, checked and stored. The policy signature is checked by the caller's `authorize`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { Storage } from '../../state/storage.js';
import { S3Store } from './store.js';
import { postObject } from './post-object.js';
import { isServiceError } from '../../shared/errors.js';
import { externalClients, runBoto3 } from '../../../test/helpers/nimbus.js';
import type { RequestContext } from '../../gateway/context.js';
import { rootPrincipal } from '../../shared/principal.js';

const B = 'post-bucket';
let storage: Storage;
let store: S3Store;
before(() => {
  storage = new Storage({ ephemeral: true });
  store = new S3Store(storage);
  store.insertBucket({ name: B, account: '000000000000', region: 'us-east-1', created: Date.now() });
});
after(() => storage.close());

const ctx = (offsetMs = 0) => ({ account: '000000000000', region: 'us-east-1', principal: rootPrincipal('000000000000'), requestId: 'req', clock: { now: () => Date.now() + offsetMs } }) as unknown as RequestContext;

const boto = externalClients().present.find((c) => c.kind === 'boto3');

/** generate_presigned_post's url and fields for a key, with extra fields and conditions. */
async function presignedPost(key: string, fields: Record<string, string>, conditions: unknown[]): Promise<Record<string, string>> {
  const r = await runBoto3(boto!.bin, 'http://127.0.0.1:1', `
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
p = s3.generate_presigned_post(${JSON.stringify(B)}, ${JSON.stringify(key)}, Fields=json.loads(${JSON.stringify(JSON.stringify(fields))}), Conditions=json.loads(${JSON.stringify(JSON.stringify(conditions))}), ExpiresIn=600)
print(json.dumps(p['fields']))
`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, string>;
}

/** A multipart/form-data body as a browser's FormData encodes it, file last. */
async function form(fields: Record<string, string>, file: string, filename = 'photo.png'): Promise<{ contentType: string; body: Readable }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([file], { type: 'image/png' }), filename);
  const req = new Request('http://x/', { method: 'POST', body: fd });
  return { contentType: req.headers.get('content-type')!, body: Readable.fromWeb(req.body! as import('node:stream/web').ReadableStream) };
}

async function rejected(p: Promise<unknown>): Promise<{ code: string; message: string; status: number | undefined; fields: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    assert.ok(isServiceError(e), String(e));
    return e;
  }
  throw new Error('expected an error');
}

const skip = boto ? false : 'boto3 missing';
const RANGE = [['content-length-range', 1, 64], ['starts-with', '$Content-Type', 'image/']];

test('a form within its policy stores the object; success_action_status 201; ${filename} in the key', { skip }, async () => {
  const fields = await presignedPost('uploads/${filename}', { 'Content-Type': 'image/png', success_action_status: '201' }, [...RANGE, { success_action_status: '201' }]);
  const f = await form(fields, 'png bytes');
  const out = await postObject(store, B, f.contentType, f.body, () => ctx());
  assert.deepEqual(out, { status: 201, bucket: B, key: 'uploads/photo.png', etag: `"${createHash('md5').update('png bytes').digest('hex')}"` });
  const row = store.object(B, 'uploads/photo.png')!;
  assert.equal(row.size, 9);
  assert.equal(row.content_type, 'image/png');
  assert.equal(out.etag, `"${row.etag}"`);
});

test('content-length-range: EntityTooLarge, and nothing stored', { skip }, async () => {
  const fields = await presignedPost('big.png', { 'Content-Type': 'image/png' }, RANGE);
  const f = await form(fields, 'x'.repeat(65));
  const e = await rejected(postObject(store, B, f.contentType, f.body, () => ctx()));
  assert.deepEqual([e.code, e.message, e.fields], ['EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: 65, MaxSizeAllowed: 64 }]);
  assert.equal(store.object(B, 'big.png'), undefined);
});

test('policy failures: a condition not met, an uncovered field, an expired policy', { skip }, async () => {
  const fields = await presignedPost('fixed.png', { 'Content-Type': 'image/png' }, RANGE);
  const wrongKey = await form({ ...fields, key: 'other.png' }, 'x');
  const e1 = await rejected(postObject(store, B, wrongKey.contentType, wrongKey.body, () => ctx()));
  assert.deepEqual([e1.code, e1.status, e1.message], ['AccessDenied', 403, 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "fixed.png"]']);
  const wrongType = await form({ ...fields, 'Content-Type': 'text/html' }, 'x');
  const e2 = await rejected(postObject(store, B, wrongType.contentType, wrongType.body, () => ctx()));
  assert.equal(e2.message, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]');
  const extra = await form({ ...fields, 'x-amz-meta-note': 'hi' }, 'x');
  const e3 = await rejected(postObject(store, B, extra.contentType, extra.body, () => ctx()));
  assert.equal(e3.message, 'Invalid according to Policy: Extra input fields: x-amz-meta-note');
  const late = await form(fields, 'x');
  const e4 = await rejected(postObject(store, B, late.contentType, late.body, () => ctx(3600_000)));
  assert.deepEqual([e4.code, e4.message], ['AccessDenied', 'Invalid according to Policy: Policy expired.']);
  const ok = await form(fields, 'x');
  assert.equal((await postObject(store, B, ok.contentType, ok.body, () => ctx())).status, 204);
});

test('a form without a key field is refused', async () => {
  const f = await form({ policy: 'e30=' }, 'x');
  const e = await rejected(postObject(store, B, f.contentType, f.body, () => ctx()));
  assert.equal(e.code, 'InvalidArgument');
  assert.equal(e.fields.ArgumentName, 'key');
});
