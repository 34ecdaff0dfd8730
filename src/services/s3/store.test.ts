/**
 * S3Store's cached bucket and current-version rows agree with the table through every write, rollback and
 * reset; object rows read as arrays come back whole; a small body's blob (a database
 * row) is released inside the transaction that stops referring to it.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Storage } from '../../state/storage.js';
import { NULL_VERSION, S3Store, type ObjectRow } from './store.js';

let storage: Storage;
let store: S3Store;
beforeEach(() => {
  storage = new Storage({ ephemeral: true });
  store = new S3Store(storage);
});
afterEach(() => storage.close());

const A = '000000000000';

function objectRow(key: string, blob: string, extra: Partial<ObjectRow> = {}): ObjectRow {
  return {
    bucket: 'b', key, blob, size: 3, etag: 'e', modified: 1700000000123,
    content_type: 'text/plain', cache_control: 'no-cache', content_disposition: 'inline', content_encoding: 'gzip', content_language: 'en',
    expires: 'Thu, 01 Dec 2030 16:00:00 GMT', website_redirect: '/x', storage_class: 'STANDARD_IA', metadata: '{"a":"1"}',
    checksum_algorithm: 'CRC32', checksum_value: 'AAAAAA==', checksum_type: 'FULL_OBJECT', parts_count: 2,
    version_id: NULL_VERSION, delete_marker: 0, seq: store.newSeq(), tags: '[["k","v"]]', ...extra,
  };
}

test('bucket rows: the cache follows inserts, versioning changes, deletes and reset', () => {
  assert.equal(store.bucket('b'), undefined);
  store.insertBucket({ name: 'b', account: A, region: 'eu-west-1', created: 5 });
  assert.deepEqual(store.bucket('b'), { name: 'b', account: A, region: 'eu-west-1', created: 5, versioning: null });
  store.setVersioning('b', 'Enabled');
  assert.equal(store.bucket('b')?.versioning, 'Enabled');
  store.setVersioning('b', 'Suspended');
  assert.equal(store.bucket('b')?.versioning, 'Suspended');
  store.deleteBucket('b');
  assert.equal(store.bucket('b'), undefined);
  store.insertBucket({ name: 'b', account: '111111111111', region: 'us-east-1', created: 6 });
  assert.equal(store.bucket('b')?.account, '111111111111');
  storage.reset();
  assert.equal(store.bucket('b'), undefined);
});

test('bucket rows: a change rolled back leaves the cache as the table is, whether it was read inside the transaction or not', () => {
  store.insertBucket({ name: 'b', account: A, region: 'us-east-1', created: 1 });
  assert.equal(store.bucket('b')?.versioning, null);
  assert.throws(() => store.transaction(() => {
    store.setVersioning('b', 'Enabled');
    assert.equal(store.bucket('b')?.versioning, 'Enabled');
    throw new Error('undo');
  }), { message: 'undo' });
  assert.equal(store.bucket('b')?.versioning, null);
  assert.throws(() => store.transaction(() => {
    store.insertBucket({ name: 'c', account: A, region: 'us-east-1', created: 2 });
    assert.equal(store.bucket('c')?.name, 'c');
    throw new Error('undo');
  }), { message: 'undo' });
  assert.equal(store.bucket('c'), undefined);
  assert.throws(() => store.transaction(() => {
    store.deleteBucket('b');
    assert.equal(store.bucket('b'), undefined);
    throw new Error('undo');
  }), { message: 'undo' });
  assert.equal(store.bucket('b')?.name, 'b');
});

test('object rows come back whole, current and noncurrent', () => {
  store.insertBucket({ name: 'b', account: A, region: 'us-east-1', created: 1 });
  const first = objectRow('k', storage.blobs.writeBuffer(Buffer.from('one')).id, { version_id: 'v1' });
  store.putObject(first);
  assert.deepEqual(store.object('b', 'k'), first);
  const second = objectRow('k', storage.blobs.writeBuffer(Buffer.from('two')).id, { version_id: 'v2', content_type: null, metadata: null, parts_count: null, tags: null });
  store.putObject(second);
  assert.deepEqual(store.object('b', 'k'), second);
  assert.deepEqual(store.version('b', 'k', 'v1'), first);
  assert.deepEqual(store.deleteVersion('b', 'k', 'v2'), second);
  assert.deepEqual(store.object('b', 'k'), first);
  assert.deepEqual(store.listObjects('b', '', true, 10), [
    { key: 'k', size: 3, etag: 'e', modified: 1700000000123, storage_class: 'STANDARD_IA', checksum_algorithm: 'CRC32', checksum_type: 'FULL_OBJECT' },
  ]);
});

test('replacing a null version releases its database blob in the same transaction; a rollback keeps it', () => {
  store.insertBucket({ name: 'b', account: A, region: 'us-east-1', created: 1 });
  const old = storage.blobs.writeBuffer(Buffer.from('old'));
  store.putObject(objectRow('k', old.id));
  const next = storage.blobs.writeBuffer(Buffer.from('new'));
  assert.throws(() => store.transaction(() => {
    assert.deepEqual(store.putObject(objectRow('k', next.id)), []);
    assert.equal(storage.blobs.has(old.id), false);
    throw new Error('undo');
  }), { message: 'undo' });
  assert.equal(storage.blobs.readBuffer(old.id).toString(), 'old');
  assert.equal(store.object('b', 'k')?.blob, old.id);
  // Committed: the old row is gone with the transaction; nothing is left for dropBlobs.
  assert.deepEqual(store.putObject(objectRow('k', next.id)), []);
  assert.equal(storage.blobs.has(old.id), false);
  assert.equal(storage.blobs.readBuffer(next.id).toString(), 'new');
  // A file blob (past the small size) is handed back, to be removed after the commit.
  const big = storage.blobs.writeBuffer(Buffer.alloc(65 * 1024, 1));
  store.putObject(objectRow('k', big.id));
  assert.deepEqual(store.putObject(objectRow('k', storage.blobs.writeBuffer(Buffer.from('x')).id)), [big.id]);
});

test('current-version rows: the cache follows puts, deletes, tag changes, version deletes, rollbacks and reset', () => {
  store.insertBucket({ name: 'b', account: A, region: 'us-east-1', created: 1 });
  const blob = () => storage.blobs.writeBuffer(Buffer.from('x')).id;
  assert.equal(store.object('b', 'k'), undefined);
  const one = objectRow('k', blob());
  store.putObject(one);
  assert.deepEqual(store.object('b', 'k'), one);
  // The same row object answers again (read once), until a write of the key.
  assert.equal(store.object('b', 'k'), store.object('b', 'k'));
  const two = objectRow('k', blob(), { etag: 'two' });
  store.putObject(two, false);
  assert.equal(store.object('b', 'k')?.etag, 'two');
  assert.equal(store.setTags('b', 'k', NULL_VERSION, '[["a","b"]]'), true);
  assert.equal(store.object('b', 'k')?.tags, '[["a","b"]]');
  // A write rolled back: the row read inside the transaction is not kept, the committed one reads again.
  assert.throws(() => store.transaction(() => {
    store.putObject(objectRow('k', blob(), { etag: 'undone' }));
    assert.equal(store.object('b', 'k')?.etag, 'undone');
    throw new Error('undo');
  }), { message: 'undo' });
  assert.equal(store.object('b', 'k')?.etag, 'two');
  assert.equal(store.deleteObject('b', 'k'), two.blob);
  assert.equal(store.object('b', 'k'), undefined);
  // Versions: deleting the current one brings the newest noncurrent back.
  store.putObject(objectRow('v', blob(), { version_id: 'v1', etag: 'v1' }));
  store.putObject(objectRow('v', blob(), { version_id: 'v2', etag: 'v2' }));
  assert.equal(store.object('b', 'v')?.etag, 'v2');
  store.deleteVersion('b', 'v', 'v2');
  assert.equal(store.object('b', 'v')?.etag, 'v1');
  storage.reset();
  assert.equal(store.object('b', 'v'), undefined);
});

test('group commit: writes ready together share a transaction, one that throws is undone and rejected alone; a lone write commits alone', async () => {
  store.insertBucket({ name: 'b', account: A, region: 'us-east-1', created: 1 });
  const put = (key: string, fail = false) => store.commitSoon(() => {
    store.putObject(objectRow(key, storage.blobs.writeRow(Buffer.from(key)).id), false);
    if (fail) throw new Error(`refused ${key}`);
    return key;
  });
  let inOne = 0;
  const results = await Promise.allSettled([put('a'), put('b', true), put('c'), store.commitSoon(() => { inOne = storage.db.inTransaction ? 1 : 0; return 'in'; })]);
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), ['a', 'refused b', 'c', 'in']);
  assert.equal(inOne, 1);
  assert.equal(store.object('b', 'a')?.key, 'a');
  assert.equal(store.object('b', 'b'), undefined);
  assert.equal(store.object('b', 'c')?.key, 'c');
  assert.equal(storage.blobs.readBuffer(store.object('b', 'c')!.blob).toString(), 'c');
  // The refused write's blob row went with its savepoint: rows are a's and c's only.
  assert.deepEqual(storage.db.prepare('SELECT count(*) AS n FROM blobs_inline').get(), { n: 2 });
  await assert.rejects(put('d', true), { message: 'refused d' });
  assert.equal(store.object('b', 'd'), undefined);
  assert.deepEqual(storage.db.prepare('SELECT count(*) AS n FROM blobs_inline').get(), { n: 2 });
  assert.equal(await put('e'), 'e');
  assert.equal(storage.db.inTransaction, false);
  // A commit that fails (here a deferred constraint, checked at COMMIT) fails every write of its batch, none stored.
  storage.db.exec('CREATE TABLE t_parent (id INTEGER PRIMARY KEY); CREATE TABLE t_child (p INTEGER REFERENCES t_parent (id) DEFERRABLE INITIALLY DEFERRED)');
  const failed = await Promise.allSettled([put('x'), store.commitSoon(() => storage.db.prepare('INSERT INTO t_child VALUES (42)').run()), put('y')]);
  assert.deepEqual(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message), Array(3).fill('FOREIGN KEY constraint failed'));
  assert.equal(store.object('b', 'x'), undefined);
  assert.equal(store.object('b', 'y'), undefined);
  assert.deepEqual(storage.db.prepare('SELECT count(*) AS n FROM blobs_inline').get(), { n: 3 });
});
