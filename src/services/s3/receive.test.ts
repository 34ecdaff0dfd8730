/**
 * Receiving an object body: a small body kept in memory for the caller's transaction
 * (no blob written), a larger one streamed to a file blob with the bytes already read;
 * digests verified either way, and a failed or cut-off body leaves no blob behind.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { BlobStore, INLINE_SCHEMA } from '../../state/blobs.js';
import { checksumOf } from './checksums.js';
import { receiveBody } from './receive.js';

let root: string;
let db: Database.Database;
let blobs: BlobStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nimbus-receive-'));
  db = new Database(':memory:');
  for (const sql of INLINE_SCHEMA) db.exec(sql);
  blobs = new BlobStore(join(root, 'blobs'), db);
});
afterEach(() => {
  blobs.close();
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** Files and rows the store holds (tmp/ included). */
function stored(): { files: string[]; rows: number } {
  const files: string[] = [];
  for (const d of readdirSync(blobs.dir)) for (const f of readdirSync(join(blobs.dir, d))) files.push(`${d}/${f}`);
  return { files, rows: (db.prepare('SELECT count(*) AS n FROM blobs_inline').get() as { n: number }).n };
}

/** A stream that gives `chunks` on demand, then ends, or fails with `error` (or is destroyed, `error` null). */
function source(chunks: Buffer[], error?: Error | null): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i < chunks.length) this.push(chunks[i++]);
      else if (error === undefined) this.push(null);
      else if (error === null) this.destroy();
      else this.destroy(error);
    },
  });
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

test('a small body is kept in memory for the caller (no blob written), hashed with MD5 and the default checksum', async () => {
  const body = Buffer.from('hello, small world');
  const got = await receiveBody(blobs, source([body.subarray(0, 5), body.subarray(5)]), {}, 'CRC64NVME', true);
  assert.equal(got.blob, '');
  assert.ok(got.data?.equals(body));
  assert.deepEqual([got.size, got.md5.toString('hex'), got.algorithm, got.checksum], [body.length, md5(body), 'CRC64NVME', checksumOf('CRC64NVME', body)]);
  assert.deepEqual(stored(), { files: [], rows: 0 });
  // An empty body is a body too.
  const empty = await receiveBody(blobs, source([]), {}, 'CRC64NVME', true);
  assert.deepEqual([empty.blob, empty.data?.length, empty.size], ['', 0, 0]);
});

test('without keepSmall, or past the row limit, the body is a blob holding every byte in order', async () => {
  const small = await receiveBody(blobs, source([Buffer.from('row')]), { ChecksumAlgorithm: 'CRC32' });
  assert.equal(small.data, undefined);
  assert.equal(blobs.readBuffer(small.blob).toString(), 'row');
  assert.equal(small.checksum, checksumOf('CRC32', Buffer.from('row')));
  const big = Buffer.alloc(200 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
  const chunks = Array.from({ length: 50 }, (_, i) => big.subarray(i * 4096, (i + 1) * 4096));
  const got = await receiveBody(blobs, source(chunks), {}, 'CRC64NVME', true);
  assert.equal(got.data, undefined);
  assert.match(got.blob, /^[0-9a-f]{32}$/);
  assert.ok(blobs.readBuffer(got.blob).equals(big));
  assert.deepEqual([got.size, got.md5.toString('hex'), got.checksum], [big.length, md5(big), checksumOf('CRC64NVME', big)]);
});

test('a declared digest that does not match is BadDigest, and nothing is left behind', async () => {
  const body = Buffer.from('abc');
  const wrongMd5 = createHash('md5').update('abd').digest('base64');
  await assert.rejects(receiveBody(blobs, source([body]), { ContentMD5: wrongMd5 }, 'CRC64NVME', true), { code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' });
  await assert.rejects(receiveBody(blobs, source([body]), { ChecksumCRC32: checksumOf('CRC32', Buffer.from('abd')) }, 'CRC64NVME', true), { code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' });
  await assert.rejects(receiveBody(blobs, source([body]), { ChecksumCRC32: checksumOf('CRC32', Buffer.from('abd')) }), { code: 'BadDigest' });
  assert.deepEqual(stored(), { files: [], rows: 0 });
});

test('a trailer naming another algorithm than announced is the checksum verified and reported', async () => {
  const body = Buffer.from('trailing');
  const withTrailer = (value: string) => Object.assign(source([body]), { result: { trailers: { 'x-amz-checksum-sha256': value } } });
  const got = await receiveBody(blobs, withTrailer(checksumOf('SHA256', body)), {}, 'CRC64NVME', true);
  assert.deepEqual([got.algorithm, got.checksum], ['SHA256', checksumOf('SHA256', body)]);
  await assert.rejects(receiveBody(blobs, withTrailer(checksumOf('SHA256', Buffer.from('other'))), {}, 'CRC64NVME', true), { code: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.' });
});

test('a body that fails or is cut off, before or after the row limit, rejects and leaves no blob', async () => {
  const boom = new Error('connection reset');
  await assert.rejects(receiveBody(blobs, source([Buffer.from('part')], boom), {}, 'CRC64NVME', true), { message: 'connection reset' });
  await assert.rejects(receiveBody(blobs, source([Buffer.from('part')], null), {}, 'CRC64NVME', true), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  const big = Array.from({ length: 40 }, () => Buffer.alloc(4096, 1));
  await assert.rejects(receiveBody(blobs, source(big, boom), {}, 'CRC64NVME', true), { message: 'connection reset' });
  await assert.rejects(receiveBody(blobs, source(big, null), {}, 'CRC64NVME', true), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  // A stream that failed before the read began (its error event already heard by its owner).
  const failed = source([], boom).on('error', () => {});
  failed.destroy(boom);
  await assert.rejects(receiveBody(blobs, failed, {}, 'CRC64NVME', true), { message: 'connection reset' });
  assert.deepEqual(stored(), { files: [], rows: 0 });
});
