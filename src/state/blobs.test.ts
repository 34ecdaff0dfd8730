/**
 * The blob store: whole writes from streams and buffers, reads (whole and by
 * range), size and existence, delete and clear; a failing source leaves no file
 * behind, and ids are checked so no path outside the store can be named.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore } from './blobs.js';

let root: string;
let store: BlobStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nimbus-blobs-'));
  store = new BlobStore(join(root, 'blobs'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Every file under the store, as paths relative to it. */
function files(dir = store.dir, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...files(join(dir, entry.name), `${prefix}${entry.name}/`));
    else out.push(prefix + entry.name);
  }
  return out.sort();
}

test('a stream is written whole, sharded by the first two characters of its id, and read back', async () => {
  const info = await store.write(Readable.from([Buffer.from('hello, '), Buffer.from('blob '), Buffer.from('world')]));
  assert.match(info.id, /^[0-9a-f]{32}$/);
  assert.equal(info.size, 17);
  assert.deepEqual(files(), [`${info.id.slice(0, 2)}/${info.id}`]);
  assert.equal(await text(store.read(info.id)), 'hello, blob world');
  assert.equal(store.readBuffer(info.id).toString(), 'hello, blob world');
  assert.equal(store.size(info.id), 17);
  assert.equal(store.has(info.id), true);
});

test('an async iterable of buffers is a source too; an empty source makes an empty blob', async () => {
  async function* parts() {
    yield Buffer.from('a');
    yield Buffer.from('bc');
  }
  const info = await store.write(parts());
  assert.equal(info.size, 3);
  assert.equal(store.readBuffer(info.id).toString(), 'abc');
  const empty = await store.write(Readable.from([]));
  assert.equal(empty.size, 0);
  assert.equal(store.size(empty.id), 0);
  assert.equal(await text(store.read(empty.id)), '');
});

test('a body past the small-write size streams to the blob whole, in order; one at exactly that size is written whole too', async () => {
  const big = Buffer.alloc(200 * 1024 + 7);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  const parts = Array.from({ length: Math.ceil(big.length / 3000) }, (_, i) => big.subarray(i * 3000, (i + 1) * 3000));
  const info = await store.write(Readable.from(parts));
  assert.equal(info.size, big.length);
  assert.ok(store.readBuffer(info.id).equals(big));
  const edge = await store.write(Readable.from([big.subarray(0, 64 * 1024 - 1), big.subarray(64 * 1024 - 1, 64 * 1024)]));
  assert.equal(edge.size, 64 * 1024);
  assert.ok(store.readBuffer(edge.id).equals(big.subarray(0, 64 * 1024)));
  assert.deepEqual(readdirSync(join(store.dir, 'tmp')), []);
});

test('a source that fails after the small-write size leaves no file', async () => {
  async function* failing(): AsyncGenerator<Buffer> {
    for (let i = 0; i < 40; i++) yield Buffer.alloc(4096, i);
    throw new Error('connection reset');
  }
  await assert.rejects(store.write(failing()), { message: 'connection reset' });
  assert.deepEqual(files(), []);
  assert.deepEqual(readdirSync(join(store.dir, 'tmp')), []);
});

test('whole reads stay right past the open-descriptor cache, after close(), and after a delete (ENOENT)', async () => {
  const blobs = await Promise.all(Array.from({ length: 70 }, (_, i) => store.write(Readable.from([Buffer.from(`blob ${i}`)]))));
  for (let round = 0; round < 2; round++) {
    blobs.forEach((b, i) => assert.equal(store.readBuffer(b.id).toString(), `blob ${i}`));
  }
  store.close();
  assert.equal(store.readBuffer(blobs[69].id).toString(), 'blob 69');
  await store.delete(blobs[69].id);
  assert.throws(() => store.readBuffer(blobs[69].id), { code: 'ENOENT' });
  assert.equal(store.readBuffer(blobs[0].id).toString(), 'blob 0');
  store.clear();
  assert.throws(() => store.readBuffer(blobs[0].id), { code: 'ENOENT' });
  store.close();
});

test('ranges are inclusive at both ends', async () => {
  const info = store.writeBuffer(Buffer.from('0123456789'));
  assert.equal(info.size, 10);
  assert.equal(await text(store.read(info.id, { start: 0, end: 0 })), '0');
  assert.equal(await text(store.read(info.id, { start: 2, end: 5 })), '2345');
  assert.equal(await text(store.read(info.id, { start: 7, end: 9 })), '789');
  // Past the end reads what there is, as fs streams do.
  assert.equal(await text(store.read(info.id, { start: 8, end: 100 })), '89');
});

test('each write gets its own id', async () => {
  const a = store.writeBuffer(Buffer.from('same'));
  const b = await store.write(Readable.from([Buffer.from('same')]));
  assert.notEqual(a.id, b.id);
  assert.equal(files().length, 2);
});

test('delete removes one blob; deleting a missing blob is not an error', async () => {
  const keep = store.writeBuffer(Buffer.from('keep'));
  const drop = store.writeBuffer(Buffer.from('drop'));
  await store.delete(drop.id);
  assert.equal(store.has(drop.id), false);
  assert.equal(store.size(drop.id), undefined);
  assert.equal(store.has(keep.id), true);
  await store.delete(drop.id);
  await store.delete(store.newId());
  // Whether read() throws at once or its stream errors, the caller sees ENOENT.
  await assert.rejects(async () => text(store.read(drop.id)), { code: 'ENOENT' });
});

test('a read begun before a delete still reads the blob whole', async () => {
  const info = store.writeBuffer(Buffer.from('still here'));
  const stream = store.read(info.id);
  await store.delete(info.id);
  assert.equal(store.has(info.id), false);
  assert.equal(await text(stream), 'still here');
});

test('clear removes every blob and leaves an empty store ready for writes', async () => {
  const a = store.writeBuffer(Buffer.from('a'));
  const b = await store.write(Readable.from([Buffer.from('b')]));
  store.clear();
  assert.equal(store.has(a.id), false);
  assert.equal(store.has(b.id), false);
  assert.deepEqual(readdirSync(store.dir), ['tmp']);
  const c = await store.write(Readable.from([Buffer.from('after')]));
  assert.equal(store.readBuffer(c.id).toString(), 'after');
});

test('a source that fails midway rejects with its error and leaves no file, in tmp/ or final', async () => {
  const failing = new Readable({
    read() {
      this.push(Buffer.from('partial data'));
      this.destroy(new Error('client went away'));
    },
  });
  await assert.rejects(store.write(failing), { message: 'client went away' });
  assert.deepEqual(files(), []);
  assert.deepEqual(readdirSync(join(store.dir, 'tmp')), []);
});

test('a source that fails before its first byte leaves no file either, even while the file is still opening', async () => {
  async function* broken(): AsyncGenerator<Buffer> {
    throw new Error('no bytes at all');
  }
  // The failure can arrive before the temporary file's open completes; repeated, a late open would leave files behind.
  for (let i = 0; i < 20; i++) await assert.rejects(store.write(broken()), { message: 'no bytes at all' });
  // A whole write after them takes several trips through the file system, after any open still in flight.
  const ok = await store.write(Readable.from([Buffer.from('fine')]));
  assert.deepEqual(files(), [`${ok.id.slice(0, 2)}/${ok.id}`]);
});

test('partial writes of a previous process are removed when the store opens', () => {
  writeFileSync(join(store.dir, 'tmp', 'abandoned'), 'half an upload');
  const kept = store.writeBuffer(Buffer.from('whole'));
  const reopened = new BlobStore(store.dir);
  assert.deepEqual(readdirSync(join(store.dir, 'tmp')), []);
  assert.equal(reopened.readBuffer(kept.id).toString(), 'whole');
});

test('ids are validated: nothing outside the store can be named', async () => {
  const outside = join(root, 'secret');
  writeFileSync(outside, 'do not touch');
  const bad = ['../secret', '../../etc/passwd', 'ABCDEF0123456789ABCDEF0123456789', '0123', '', `${'a'.repeat(32)}/x`, `${'a'.repeat(31)}g`];
  for (const id of bad) {
    assert.throws(() => store.readBuffer(id), { message: `invalid blob id ${id}` });
    assert.throws(() => store.read(id), { message: `invalid blob id ${id}` });
    assert.throws(() => store.has(id), { message: `invalid blob id ${id}` });
    assert.throws(() => store.delete(id), { message: `invalid blob id ${id}` });
    // size() answers "no such blob" rather than throwing.
    assert.equal(store.size(id), undefined);
  }
  assert.ok(existsSync(outside));
});
