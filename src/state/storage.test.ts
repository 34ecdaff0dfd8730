/**
 * The storage layer: namespace migrations (once, in order, atomically), reset
 * (rows gone, schema kept, hooks run), persistence across close/reopen, and
 * refusal of a data directory written by a newer nimbus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Storage, FORMAT_VERSION, type Migration } from './storage.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nimbus-storage-'));
}

function version(storage: Storage, namespace: string): number | undefined {
  const row = storage.db.prepare('SELECT version FROM nimbus_schema WHERE namespace = ?').get(namespace) as { version: number } | undefined;
  return row?.version;
}

function tableNames(storage: Storage): string[] {
  const rows = storage.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name);
}

test('migrations run in order, each once; later ones run when added', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    const ran: string[] = [];
    const steps: Migration[] = [
      'CREATE TABLE things (id TEXT PRIMARY KEY)',
      (db) => {
        ran.push('second');
        db.prepare("INSERT INTO things (id) VALUES ('seeded')").run();
      },
      (db) => {
        ran.push('third');
        db.exec('ALTER TABLE things ADD COLUMN size INTEGER');
      },
    ];
    storage.migrate('things', steps);
    assert.deepEqual(ran, ['second', 'third']);
    assert.equal(version(storage, 'things'), 3);

    storage.migrate('things', steps);
    assert.deepEqual(ran, ['second', 'third'], 'nothing runs twice');
    assert.deepEqual(storage.db.prepare('SELECT id, size FROM things').all(), [{ id: 'seeded', size: null }]);

    storage.migrate('things', [...steps, (db) => {
      ran.push('fourth');
      db.prepare("UPDATE things SET size = 7").run();
    }]);
    assert.deepEqual(ran, ['second', 'third', 'fourth']);
    assert.equal(version(storage, 'things'), 4);
    assert.deepEqual(storage.db.prepare('SELECT id, size FROM things').all(), [{ id: 'seeded', size: 7 }]);
  } finally {
    storage.close();
  }
});

test('namespaces keep their own versions', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    storage.migrate('a', ['CREATE TABLE a1 (x)', 'CREATE TABLE a2 (x)']);
    storage.migrate('b', ['CREATE TABLE b1 (x)']);
    assert.equal(version(storage, 'a'), 2);
    assert.equal(version(storage, 'b'), 1);
  } finally {
    storage.close();
  }
});

test('a failing migration rolls back whole and leaves the previous version', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    storage.migrate('ns', ['CREATE TABLE kept (id INTEGER)']);
    // The first statement of the failing step succeeds; the transaction must undo it too.
    assert.throws(
      () => storage.migrate('ns', ['CREATE TABLE kept (id INTEGER)', 'CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1)']),
      /no such table: no_such_table/,
    );
    assert.equal(version(storage, 'ns'), 1);
    assert.deepEqual(tableNames(storage), ['blobs_inline', 'kept', 'nimbus_schema']);

    assert.throws(() => storage.migrate('ns', ['CREATE TABLE kept (id INTEGER)', () => {
      throw new Error('data migration failed');
    }]), /^Error: data migration failed$/);
    assert.equal(version(storage, 'ns'), 1);

    // Once fixed, the step runs.
    storage.migrate('ns', ['CREATE TABLE kept (id INTEGER)', 'CREATE TABLE half (id INTEGER)']);
    assert.equal(version(storage, 'ns'), 2);
    assert.deepEqual(tableNames(storage), ['blobs_inline', 'half', 'kept', 'nimbus_schema']);
  } finally {
    storage.close();
  }
});

test('a namespace recorded at a newer version than the code knows is refused', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    storage.migrate('ns', ['CREATE TABLE t1 (x)', 'CREATE TABLE t2 (x)']);
    assert.throws(() => storage.migrate('ns', ['CREATE TABLE t1 (x)']), {
      message: 'schema of ns is at version 2, newer than this nimbus knows (1)',
    });
  } finally {
    storage.close();
  }
});

test('reset empties every table (foreign keys included), keeps the schema, clears blobs and runs hooks', () => {
  const storage = new Storage({ ephemeral: true });
  try {
    storage.migrate('family', [
      'CREATE TABLE parent (id INTEGER PRIMARY KEY)',
      'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))',
    ]);
    storage.db.exec('INSERT INTO parent (id) VALUES (1), (2); INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 2)');
    const blob = storage.blobs.writeBuffer(Buffer.from('bytes'));
    let hooks = 0;
    storage.onReset(() => hooks++);

    storage.reset();

    assert.deepEqual(storage.db.prepare('SELECT count(*) AS n FROM parent').get(), { n: 0 });
    assert.deepEqual(storage.db.prepare('SELECT count(*) AS n FROM child').get(), { n: 0 });
    assert.deepEqual(tableNames(storage), ['blobs_inline', 'child', 'nimbus_schema', 'parent']);
    assert.equal(version(storage, 'family'), 2, 'migration records survive a reset');
    assert.equal(storage.blobs.has(blob.id), false);
    assert.equal(hooks, 1);
    // Foreign keys are enforced again afterwards.
    assert.equal(storage.db.pragma('foreign_keys', { simple: true }), 1);
    assert.throws(() => storage.db.exec('INSERT INTO child (id, parent_id) VALUES (12, 99)'), /FOREIGN KEY constraint failed/);
    // The tables are usable as before.
    storage.db.exec('INSERT INTO parent (id) VALUES (3)');
    assert.deepEqual(storage.db.prepare('SELECT id FROM parent').all(), [{ id: 3 }]);
  } finally {
    storage.close();
  }
});

test('data and blobs survive close and reopen of a data directory', () => {
  const dir = tempDir();
  try {
    let storage = new Storage({ dataDir: dir });
    assert.equal(storage.ephemeral, false);
    assert.equal(storage.dataDir, dir);
    assert.equal(storage.db.pragma('journal_mode', { simple: true }), 'wal');
    storage.migrate('notes', ['CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)']);
    storage.db.prepare('INSERT INTO notes (text) VALUES (?)').run('remember me');
    const blob = storage.blobs.writeBuffer(Buffer.from('persisted'));
    storage.close();
    assert.ok(existsSync(join(dir, 'nimbus.db')));

    let ran = 0;
    storage = new Storage({ dataDir: dir });
    try {
      storage.migrate('notes', [() => ran++]);
      assert.equal(ran, 0, 'a migration recorded before the restart does not run again');
      assert.deepEqual(storage.db.prepare('SELECT id, text FROM notes').all(), [{ id: 1, text: 'remember me' }]);
      assert.equal(storage.blobs.readBuffer(blob.id).toString(), 'persisted');
      assert.equal(storage.db.pragma('user_version', { simple: true }), FORMAT_VERSION);
    } finally {
      storage.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory of a newer format is refused and its format version left as it was', () => {
  const dir = tempDir();
  try {
    const db = new Database(join(dir, 'nimbus.db'));
    db.pragma(`user_version = ${FORMAT_VERSION + 1}`);
    db.close();
    assert.throws(() => new Storage({ dataDir: dir }), {
      message: `data directory format ${FORMAT_VERSION + 1} is newer than this nimbus (${FORMAT_VERSION}); upgrade nimbus or use another --data-dir`,
    });
    const again = new Database(join(dir, 'nimbus.db'));
    assert.equal(again.pragma('user_version', { simple: true }), FORMAT_VERSION + 1);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ephemeral instance keeps nothing on disk after close', () => {
  const storage = new Storage({ ephemeral: true });
  const blobDir = storage.blobs.dir;
  storage.blobs.writeBuffer(Buffer.from('temporary'));
  assert.equal(storage.dataDir, undefined);
  assert.ok(existsSync(blobDir));
  storage.close();
  assert.equal(existsSync(blobDir), false);
  assert.equal(existsSync(join(blobDir, '..')), false);
  // Closing twice is harmless (stop() may race a failed start).
  storage.close();
});

test('a fresh data directory is created with its blob store', () => {
  const parent = tempDir();
  const dir = join(parent, 'nested', 'data');
  try {
    const storage = new Storage({ dataDir: dir });
    storage.close();
    assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'nimbus.db']);
    assert.deepEqual(readdirSync(join(dir, 'blobs')), ['tmp']);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('a data directory open in one nimbus is refused to a second at once, and free again after close', () => {
  const dir = tempDir();
  try {
    const first = new Storage({ dataDir: dir });
    first.migrate('t', ['CREATE TABLE t (v TEXT)']);
    first.db.prepare('INSERT INTO t VALUES (?)').run('kept');
    assert.throws(() => new Storage({ dataDir: dir }), {
      message: `data directory ${dir} is in use by another nimbus process; stop it or use another --data-dir`,
    });
    first.close();
    const second = new Storage({ dataDir: dir });
    try {
      assert.deepEqual(second.db.prepare('SELECT v FROM t').all(), [{ v: 'kept' }]);
    } finally {
      second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writes leave the WAL to grow; a pause in activity checkpoints it into the database file', async () => {
  const dir = tempDir();
  try {
    const storage = new Storage({ dataDir: dir });
    try {
      storage.migrate('w', ['CREATE TABLE w (k INTEGER PRIMARY KEY, v TEXT)']);
      const put = storage.db.prepare('INSERT OR REPLACE INTO w VALUES (?, ?)');
      // Well past SQLite's default of 1,000 pages, far below the 64 MB set.
      for (let i = 0; i < 3000; i++) {
        storage.noteActivity();
        put.run(i, 'x'.repeat(2000));
      }
      const [before] = storage.db.pragma('wal_checkpoint(NOOP)') as Array<{ log: number; checkpointed: number }>;
      assert.ok(before!.log > 1000, `the WAL holds ${before!.log} frames`);
      assert.equal(before!.checkpointed < before!.log, true, 'not all copied yet');
      // No activity for a few idle periods: the timer copies the WAL into the database.
      await new Promise((r) => setTimeout(r, 800));
      const [after] = storage.db.pragma('wal_checkpoint(NOOP)') as Array<{ log: number; checkpointed: number }>;
      assert.equal(after!.checkpointed, after!.log);
    } finally {
      storage.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
