import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from './group-commit.js';

/** A transaction stand-in recording what ran at which depth and when the outermost one ended. */
function recorder() {
  const log: string[] = [];
  let depth = 0;
  const transaction = <T>(fn: () => T): T => {
    log.push(depth === 0 ? 'begin' : 'savepoint');
    depth++;
    try {
      const out = fn();
      log.push(depth === 1 ? 'commit' : 'release');
      return out;
    } catch (e) {
      log.push(depth === 1 ? 'rollback' : 'rollback to savepoint');
      throw e;
    } finally {
      depth--;
    }
  };
  return { log, transaction };
}

test('writes of one event-loop turn share one transaction, each in its own savepoint, answered after the commit', async () => {
  const { log, transaction } = recorder();
  const group = new GroupCommit(transaction);
  const answered: string[] = [];
  const a = group.run(() => { log.push('a'); return 1; }).then((v) => { answered.push(`a=${v} after ${log.at(-1)}`); });
  const b = group.run(() => { log.push('b'); throw new Error('b failed'); }).catch((e: Error) => { answered.push(e.message); });
  const c = group.run(() => { log.push('c'); return 3; }).then((v) => { answered.push(`c=${v}`); });
  assert.deepEqual(log, []); // nothing runs before the turn ends
  await Promise.all([a, b, c]);
  assert.deepEqual(log, ['begin', 'savepoint', 'a', 'release', 'savepoint', 'b', 'rollback to savepoint', 'savepoint', 'c', 'release', 'commit']);
  assert.deepEqual(answered, ['a=1 after commit', 'b failed', 'c=3']);
  // A later turn is a group of its own; a write alone commits alone, without a savepoint.
  assert.equal(await group.run(() => 'next'), 'next');
  assert.deepEqual(log.slice(11), ['begin', 'commit']);
});

test('an error that ended the outer transaction fails the whole group', async () => {
  const { transaction } = recorder();
  let open = true;
  const group = new GroupCommit(transaction, () => open);
  const a = group.run(() => 1);
  const b = group.run(() => {
    open = false; // as SQLite does on SQLITE_FULL and the like
    throw new Error('database or disk is full');
  });
  const outcomes = await Promise.allSettled([a, b]);
  assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : o.value)), ['database or disk is full', 'database or disk is full']);
});

test('a failed commit rejects every write of the group', async () => {
  const group = new GroupCommit(<T>(fn: () => T): T => {
    const out = fn();
    if (typeof out !== 'number') throw new Error('disk full');
    return out;
  });
  const results = await Promise.allSettled([group.run(() => 1), group.run(() => 2)]);
  assert.deepEqual(results.map((r) => r.status === 'rejected' && (r.reason as Error).message), ['disk full', 'disk full']);
});
