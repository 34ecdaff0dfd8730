/**
 * The blob store: whole writes from streams and buffers, reads (whole and by
 * range), size and existence, delete and clear; a failing source leaves no file
 * behind, and ids are checked so no path outside the store can be named. With a
 * database, small bodies are rows: the same API, no files, deletes that join the
 * caller's transaction, and writes that survive kill -9.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { BlobStore, INLINE_SCHEMA } from './blobs.js';
import { Storage } from './storage.js';
import { releaseOf } from '../shared/buffer-pool.js';

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

test('readWhole: reads in flight survive descriptor-cache eviction, delete and clear; pooled buffers carry their release', async () => {
  const bodies = Array.from({ length: 70 }, (_, i) => Buffer.alloc(100_000 + i, i));
  const blobs = await Promise.all(bodies.map((b) => store.write(Readable.from([b]))));
  // 70 reads at once through a 64-descriptor cache: the first ones are evicted while in flight.
  const reads = blobs.map((b) => store.readWhole(b.id));
  await store.delete(blobs[69].id);
  const got = await Promise.all(reads);
  got.forEach((g, i) => assert.ok(g.equals(bodies[i]), `blob ${i}`));
  assert.equal(typeof releaseOf(got[0]), 'function');
  await assert.rejects(store.readWhole(blobs[69].id), { code: 'ENOENT' });
  const pending = store.readWhole(blobs[3].id);
  store.clear();
  assert.ok((await pending).equals(bodies[3]));
  await assert.rejects(store.readWhole(blobs[3].id), { code: 'ENOENT' });
  store.close();
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

/** A store over an in-memory database, as Storage sets it up. */
function withDatabase(): { db: Database.Database; blobs: BlobStore } {
  const db = new Database(':memory:');
  for (const sql of INLINE_SCHEMA) db.exec(sql);
  return { db, blobs: new BlobStore(join(root, 'with-db'), db) };
}

test('with a database, small bodies are rows, not files: read whole, by range, streamed; size, has, delete', async () => {
  const { db, blobs } = withDatabase();
  const streamed = await blobs.write(Readable.from([Buffer.from('hello, '), Buffer.from('row')]));
  const buffered = blobs.writeBuffer(Buffer.from('0123456789'));
  const empty = await blobs.write(Readable.from([]));
  assert.match(streamed.id, /^i[1-9][0-9]*$/);
  assert.deepEqual([streamed.size, buffered.size, empty.size], [10, 10, 0]);
  assert.deepEqual(files(blobs.dir), []);
  assert.equal(blobs.readBuffer(streamed.id).toString(), 'hello, row');
  assert.equal(await text(blobs.read(streamed.id)), 'hello, row');
  assert.equal(await text(blobs.read(buffered.id, { start: 2, end: 5 })), '2345');
  assert.equal(await text(blobs.read(buffered.id, { start: 8, end: 100 })), '89');
  assert.equal(await text(blobs.read(empty.id)), '');
  assert.equal(blobs.readBuffer(empty.id).length, 0);
  assert.equal(blobs.size(buffered.id), 10);
  assert.equal(blobs.has(buffered.id), true);

  // A stream opened before the delete still reads the bytes whole.
  const early = blobs.read(buffered.id);
  await blobs.delete(buffered.id);
  assert.equal(await text(early), '0123456789');
  assert.equal(blobs.has(buffered.id), false);
  assert.equal(blobs.size(buffered.id), undefined);
  assert.throws(() => blobs.readBuffer(buffered.id), { code: 'ENOENT' });
  assert.throws(() => blobs.read(buffered.id), { code: 'ENOENT' });
  await blobs.delete(buffered.id);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM blobs_inline').get(), { n: 2 });
  db.close();
});

test('with a database, bodies past the small-write size are still files; clear removes both kinds', async () => {
  const { db, blobs } = withDatabase();
  const big = Buffer.alloc(64 * 1024 + 1, 7);
  const file = await blobs.write(Readable.from([big]));
  const edge = blobs.writeBuffer(big.subarray(1));
  const large = blobs.writeBuffer(big);
  assert.match(file.id, /^[0-9a-f]{32}$/);
  assert.match(large.id, /^[0-9a-f]{32}$/);
  assert.match(edge.id, /^i/);
  assert.ok(blobs.readBuffer(file.id).equals(big));
  assert.ok(blobs.readBuffer(edge.id).equals(big.subarray(1)));
  blobs.clear();
  for (const id of [file.id, edge.id, large.id]) assert.equal(blobs.has(id), false);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM blobs_inline').get(), { n: 0 });
  // Ids only grow: one handed out before the clear never names a newer blob.
  const after = blobs.writeBuffer(Buffer.from('after'));
  assert.notEqual(after.id, edge.id);
  assert.equal(blobs.readBuffer(after.id).toString(), 'after');
  blobs.close();
  db.close();
});

test('deleteInline joins the caller\'s transaction (undone by its rollback) and leaves file blobs to delete()', async () => {
  const { db, blobs } = withDatabase();
  const row = blobs.writeBuffer(Buffer.from('row'));
  const file = blobs.writeBuffer(Buffer.alloc(70 * 1024, 1));
  assert.throws(() => db.transaction(() => {
    assert.equal(blobs.deleteInline(row.id), true);
    assert.equal(blobs.has(row.id), false);
    throw new Error('rolled back');
  })(), { message: 'rolled back' });
  assert.equal(blobs.readBuffer(row.id).toString(), 'row');
  db.transaction(() => assert.equal(blobs.deleteInline(row.id), true))();
  assert.equal(blobs.has(row.id), false);
  assert.equal(blobs.deleteInline(file.id), false);
  assert.equal(blobs.has(file.id), true);
  db.close();
});

test('writeRow stores a small body in the caller\'s transaction: a rollback leaves no row, a commit keeps it', () => {
  const { db, blobs } = withDatabase();
  assert.equal(blobs.rowLimit, 64 * 1024);
  let lost = '';
  assert.throws(() => db.transaction(() => {
    lost = blobs.writeRow(Buffer.from('lost')).id;
    assert.equal(blobs.readBuffer(lost).toString(), 'lost');
    throw new Error('rolled back');
  })(), { message: 'rolled back' });
  assert.equal(blobs.has(lost), false);
  assert.throws(() => blobs.readBuffer(lost), { code: 'ENOENT' });
  const kept = db.transaction(() => blobs.writeRow(Buffer.from('kept')))();
  assert.notEqual(kept.id, lost);
  assert.deepEqual([kept.size, blobs.readBuffer(kept.id).toString()], [4, 'kept']);
  assert.throws(() => blobs.writeRow(Buffer.alloc(64 * 1024 + 1)), { message: 'a blob of 65537 bytes cannot be a database row' });
  assert.equal(blobs.writeRow(Buffer.alloc(64 * 1024)).size, 64 * 1024);
  assert.deepEqual(files(blobs.dir), []);
  db.close();
  const plain = new BlobStore(join(root, 'plain'));
  assert.equal(plain.rowLimit, 0);
  assert.throws(() => plain.writeRow(Buffer.from('x')), { message: 'a blob of 1 bytes cannot be a database row' });
});

test('whole reads of database blobs are kept in memory until the blob is deleted or cleared; reads inside a transaction are not', async () => {
  const { db, blobs } = withDatabase();
  const a = blobs.writeBuffer(Buffer.from('aaa'));
  const b = blobs.writeBuffer(Buffer.from('bbb'));
  const c = blobs.writeBuffer(Buffer.from('ccc'));
  const drop = db.prepare('DELETE FROM blobs_inline WHERE id = ?');
  // Read outside a transaction: kept (the row gone behind the store's back still reads).
  assert.equal(blobs.readBuffer(a.id).toString(), 'aaa');
  drop.run(Number(a.id.slice(1)));
  assert.equal(blobs.readBuffer(a.id).toString(), 'aaa');
  // Read inside one: not kept.
  db.transaction(() => assert.equal(blobs.readBuffer(b.id).toString(), 'bbb'))();
  drop.run(Number(b.id.slice(1)));
  assert.throws(() => blobs.readBuffer(b.id), { code: 'ENOENT' });
  // A delete drops the kept copy, even one later rolled back (the row then reads again).
  assert.equal(blobs.readBuffer(c.id).toString(), 'ccc');
  assert.throws(() => db.transaction(() => {
    blobs.deleteInline(c.id);
    throw new Error('rolled back');
  })(), { message: 'rolled back' });
  assert.equal(blobs.readBuffer(c.id).toString(), 'ccc');
  await blobs.delete(c.id);
  assert.throws(() => blobs.readBuffer(c.id), { code: 'ENOENT' });
  blobs.clear();
  assert.throws(() => blobs.readBuffer(a.id), { code: 'ENOENT' });
  db.close();
});

test('database blob ids are validated like file ids', () => {
  const { db, blobs } = withDatabase();
  for (const id of ['i0', 'i01', 'i-1', 'i1x', 'i', 'i1.5', 'i99999999999999999999']) {
    assert.throws(() => blobs.readBuffer(id), { message: `invalid blob id ${id}` });
    assert.throws(() => blobs.read(id), { message: `invalid blob id ${id}` });
    assert.throws(() => blobs.has(id), { message: `invalid blob id ${id}` });
  }
  db.close();
});

test('an acknowledged small write survives kill -9: a process writes through Storage, is killed, and the data directory reads back', async () => {
  const dir = join(root, 'data');
  const storageModule = fileURLToPath(new URL('./storage.ts', import.meta.url));
  const script = `
    const { Storage } = await import(${JSON.stringify(storageModule)});
    const { Readable } = await import('node:stream');
    const storage = new Storage({ dataDir: ${JSON.stringify(dir)} });
    const a = storage.blobs.writeBuffer(Buffer.from('written whole'));
    const b = await storage.blobs.write(Readable.from([Buffer.from('streamed '), Buffer.from('in two')]));
    const gone = storage.blobs.writeBuffer(Buffer.from('deleted'));
    await storage.blobs.delete(gone.id);
    process.stdout.write(JSON.stringify([a.id, b.id, gone.id]), () => process.kill(process.pid, 'SIGKILL'));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
  assert.equal(signal, 'SIGKILL');
  const [a, b, gone] = JSON.parse(out) as string[];
  const storage = new Storage({ dataDir: dir });
  try {
    assert.match(a, /^i/);
    assert.equal(storage.blobs.readBuffer(a).toString(), 'written whole');
    assert.equal(await text(storage.blobs.read(b)), 'streamed in two');
    assert.equal(storage.blobs.has(gone), false);
    // New ids continue past the ones stored.
    const next = storage.blobs.writeBuffer(Buffer.from('next'));
    assert.ok(![a, b].includes(next.id));
    assert.equal(storage.blobs.readBuffer(a).toString(), 'written whole');
  } finally {
    storage.close();
  }
});
