import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledBuffer, releaseOf } from './buffer-pool.js';

test('a released buffer is handed out again for the same size class; plain buffers have no release', () => {
  const a = pooledBuffer(1_000_000);
  assert.equal(a.length, 1_000_000);
  a[0] = 42;
  const release = releaseOf(a)!;
  assert.equal(typeof release, 'function');
  release();
  release(); // a second release does not put it in twice
  const b = pooledBuffer(900_000); // same class (1 MiB)
  assert.equal(b.length, 900_000);
  assert.equal(b.buffer, a.buffer);
  const c = pooledBuffer(900_000);
  assert.notEqual(c.buffer, a.buffer, 'the pool held it once');
  assert.equal(releaseOf(Buffer.alloc(10)), undefined);
  assert.equal(releaseOf('text'), undefined);
});
