/**
 * Bodies (objects, code packages) by generated ids, never by a user-supplied key.
 * A small body (up to SMALL_WRITE bytes) is a row of its own table in the database
 * when the store has one: one committed INSERT (WAL) is as durable as a synced file
 * and costs no file create, fsync, rename, open or read. A larger body is a file: a
 * write goes to a temporary name, is fsynced and renamed, so a blob either exists
 * whole or not at all, and fsync and unlink run on libuv's thread pool so the event
 * loop never waits on the disk for long.
 */
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { Readable } from 'node:stream';
import { read, close, createWriteStream, mkdirSync, rmSync, renameSync, unlink, openSync, fsyncSync, fdatasync, closeSync, fstatSync, statSync, readSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pooledBuffer, releaseOf, withRelease } from '../shared/buffer-pool.js';

/** Bodies up to this size are gathered in memory and kept in the database (or written to a file with one write call). */
const SMALL_WRITE = 64 * 1024;
/** The table of small bodies, created by Storage through its migrations. */
export const INLINE_SCHEMA = ['CREATE TABLE blobs_inline (id INTEGER PRIMARY KEY, data BLOB NOT NULL)'];
/** Ids of blobs kept in the database: this character then the row id in decimal (file ids are 32 hex digits). */
const INLINE_MARK = 'i';
/**
 * Read size of a streamed blob: fs streams' 64 KiB default costs about twice the CPU per
 * byte served (a thread-pool trip, a buffer and a socket write per chunk); at most this
 * much is buffered per stream.
 */
const READ_CHUNK = 1024 * 1024;
/**
 * Blobs up to this size are best read whole (readBuffer: one pread through a kept
 * descriptor, the answer written in one go) rather than streamed: a stream's
 * thread-pool read, buffer and close cost more CPU than the bytes for a 1 MiB object.
 * Larger ones stream with flat memory.
 */
export const WHOLE_READ_LIMIT = 4 * 1024 * 1024;
/**
 * Blobs read whole (readBuffer) kept open, the most recently opened ones: a read of one
 * is then a single pread instead of open, fstat, read and close. Blobs never change once
 * written, so an open descriptor stays right until the blob is deleted.
 */
const OPEN_FILES = 64;
/**
 * Database blobs read whole (readBuffer) kept in memory, the oldest dropped first, up
 * to this many bytes in all: a read of one is then a map lookup instead of a statement
 * and a copy. Blobs never change once written, so a kept copy stays right until deleted.
 */
const KEPT_ROW_BYTES = 8 * 1024 * 1024;

/** An open blob: its descriptor and size. */
interface OpenBlob {
  fd: number;
  size: number;
  /** Reads in flight on the descriptor (readWhole): it is closed only once they end. */
  users: number;
  /** Dropped from the cache: close when the last read in flight ends. */
  dropped: boolean;
}

/** Closes a dropped descriptor once no read uses it (a closed number may be reused at once). */
function settle(blob: OpenBlob): void {
  if (!blob.dropped || blob.users > 0) return;
  try {
    closeSync(blob.fd);
  } catch {
    // Already closed: nothing left to release.
  }
}

/**
 * A file blob's bytes [start, end] as a stream of READ_CHUNK reads into pooled buffers
 * (src/shared/buffer-pool.ts): the HTTP layer gives each back once the socket has
 * taken it, so a large download reuses a few buffers instead of leaving a MiB of
 * garbage per chunk (which grew RSS by tens of MB before a collection). Other readers
 * simply let the chunks be collected. The descriptor is closed at the end or on destroy.
 */
class FileBlobStream extends Readable {
  private pos: number;
  private fd: number | undefined;

  constructor(fd: number, start: number, private readonly end: number) {
    super({ highWaterMark: READ_CHUNK });
    this.fd = fd;
    this.pos = start;
  }

  override _read(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    const want = Math.min(READ_CHUNK, this.end + 1 - this.pos);
    if (want <= 0) {
      this.push(null);
      return;
    }
    const buf = pooledBuffer(want);
    read(fd, buf, 0, want, this.pos, (err, n) => {
      if (err) return this.destroy(err);
      if (n === 0) {
        releaseOf(buf)?.();
        this.push(null);
        return;
      }
      this.pos += n;
      this.push(n === want ? buf : withRelease(buf.subarray(0, n), buf));
    });
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return cb(err);
    close(fd, () => cb(err));
  }
}

function closeAll(open: Map<string, OpenBlob>): void {
  for (const blob of open.values()) {
    blob.dropped = true;
    settle(blob);
  }
  open.clear();
}

const unclosed = new FinalizationRegistry<Map<string, OpenBlob>>(closeAll);

/** A stored blob: its id and size in bytes. */
export interface BlobInfo {
  id: string;
  size: number;
}

/** The statements over the table of small bodies. */
interface InlineStatements {
  insert: Statement<[number, Buffer]>;
  data: Statement<[number], Buffer>;
  size: Statement<[number], number>;
  delete: Statement<[number]>;
  clear: Statement<[]>;
}

/** A readable stream of bytes already in memory. */
function streamOf(data: Buffer): Readable {
  const stream = new Readable({ read() {} });
  if (data.length > 0) stream.push(data);
  stream.push(null);
  return stream;
}

/** The error a read of a missing blob throws, for the file and the database kind alike. */
function missing(id: string): Error {
  return Object.assign(new Error(`ENOENT: no such blob ${id}`), { code: 'ENOENT' });
}

/**
 * Small blobs as rows of `blobs_inline` (when a database is given, its table created
 * from INLINE_SCHEMA), the others as files by id under one directory, sharded by the
 * id's first two characters.
 */
export class BlobStore {
  /** Shard directories known to exist (at most 256). */
  private readonly shards = new Set<string>();
  /** Descriptors of blobs read whole, oldest first (at most OPEN_FILES). */
  private readonly open = new Map<string, OpenBlob>();
  private readonly inline: InlineStatements | undefined;
  private readonly db: Database.Database | undefined;
  /** Database blobs read whole, by id, oldest first (KEPT_ROW_BYTES in all at most). */
  private readonly kept = new Map<string, Buffer>();
  private keptBytes = 0;
  /**
   * The next row id of a small blob: ids only grow within a process, so an id read
   * before its blob was deleted can never name a newer blob.
   */
  private nextInline = 1;

  constructor(readonly dir: string, db?: Database.Database) {
    unclosed.register(this, this.open);
    // Partial writes of a process that died mid-upload are never part of any state.
    rmSync(join(dir, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    this.db = db;
    if (db) {
      this.inline = {
        insert: db.prepare('INSERT INTO blobs_inline (id, data) VALUES (?, ?)'),
        data: db.prepare<[number], Buffer>('SELECT data FROM blobs_inline WHERE id = ?').pluck(),
        size: db.prepare<[number], number>('SELECT length(data) FROM blobs_inline WHERE id = ?').pluck(),
        delete: db.prepare('DELETE FROM blobs_inline WHERE id = ?'),
        clear: db.prepare('DELETE FROM blobs_inline'),
      };
      this.nextInline = ((db.prepare('SELECT max(id) FROM blobs_inline').pluck().get() as number | null) ?? 0) + 1;
    }
  }

  /** The row id of a database blob's id, or -1 for a file blob's. */
  private static rowOf(id: string): number {
    if (id.charCodeAt(0) !== 105 /* INLINE_MARK */) return -1;
    const row = Number(id.slice(1));
    if (!Number.isSafeInteger(row) || row <= 0 || id !== INLINE_MARK + row) throw new Error(`invalid blob id ${id}`);
    return row;
  }

  /** Stores a small body as a database row (committed when this returns outside a transaction). */
  private writeInline(data: Buffer): BlobInfo {
    const row = this.nextInline++;
    this.inline!.insert.run(row, data);
    return { id: INLINE_MARK + row, size: data.length };
  }

  /** The bytes of a database blob; ENOENT when it does not exist. */
  private inlineData(id: string, row: number): Buffer {
    const data = this.inline ? this.inline.data.get(row) : undefined;
    if (data === undefined) throw missing(id);
    return data;
  }

  /** A fresh id: 32 hex characters. */
  newId(): string {
    return randomBytes(16).toString('hex');
  }

  private pathOf(id: string): string {
    if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.dir, id.slice(0, 2), id);
  }

  /**
   * Writes a stream (optionally through transforms, e.g. hashers) to a new blob;
   * on any failure the partial file is removed and the error rethrown. A source that
   * ends within SMALL_WRITE bytes is written from memory in one call.
   */
  async write(source: Readable | AsyncIterable<Buffer>): Promise<BlobInfo> {
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let size = 0;
    while (size <= SMALL_WRITE) {
      const next = await chunks.next();
      if (next.done) return this.writeSmall(head.length === 1 ? head[0] : Buffer.concat(head, size));
      head.push(next.value);
      size += next.value.length;
    }
    return this.writeStream(head, size, chunks);
  }

  /** The small-body path: a database row, or one open, one write, fdatasync on the thread pool, rename. */
  private async writeSmall(data: Buffer): Promise<BlobInfo> {
    if (this.inline) return this.writeInline(data);
    const id = this.newId();
    const tmp = join(this.dir, 'tmp', id);
    const fd = openSync(tmp, 'w');
    try {
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
      await new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    this.rename(tmp, id);
    return { id, size: data.length };
  }

  /** The streamed path: `head` (already read, `headSize` bytes) then the rest of `chunks`. */
  private async writeStream(head: Buffer[], headSize: number, chunks: AsyncIterator<Buffer>): Promise<BlobInfo> {
    const id = this.newId();
    const tmp = join(this.dir, 'tmp', id);
    let size = headSize;
    const out = createWriteStream(tmp, { flush: true });
    try {
      await pipeline(async function* () {
        try {
          yield* head;
          for (;;) {
            const next = await chunks.next();
            if (next.done) return;
            size += next.value.length;
            yield next.value;
          }
        } finally {
          // Stops the source (destroys a Readable) when the write failed first.
          await chunks.return?.();
        }
      }, out);
      this.rename(tmp, id);
    } catch (e) {
      out.destroy();
      // A source can fail before the file is even open; removing it then would race the open and leave it behind.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      rmSync(tmp, { force: true });
      throw e;
    }
    return { id, size };
  }

  /**
   * The largest body writeRow takes (0 without a database): a caller may hold a body
   * up to this size in memory and store it inside its own transaction.
   */
  get rowLimit(): number {
    return this.inline ? SMALL_WRITE : 0;
  }

  /**
   * Stores a small body (at most rowLimit bytes) as a database row: inside the caller's
   * transaction it is part of it, so a rollback leaves no blob behind and a commit
   * stores blob and referring rows at once.
   */
  writeRow(data: Buffer): BlobInfo {
    if (!this.inline || data.length > SMALL_WRITE) throw new Error(`a blob of ${data.length} bytes cannot be a database row`);
    return this.writeInline(data);
  }

  /** Writes bytes already in memory to a new blob. */
  writeBuffer(data: Buffer): BlobInfo {
    if (this.inline && data.length <= SMALL_WRITE) return this.writeInline(data);
    const id = this.newId();
    const tmp = join(this.dir, 'tmp', id);
    try {
      writeFileSync(tmp, data);
      this.commit(tmp, id);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    return { id, size: data.length };
  }

  private commit(tmp: string, id: string): void {
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.rename(tmp, id);
  }

  private rename(tmp: string, id: string): void {
    const final = this.pathOf(id);
    const shard = id.slice(0, 2);
    if (!this.shards.has(shard)) {
      mkdirSync(join(this.dir, shard), { recursive: true });
      this.shards.add(shard);
    }
    renameSync(tmp, final);
  }

  /** A stream of a blob's bytes, optionally a range [start, end] inclusive. */
  read(id: string, range?: { start: number; end: number }): Readable {
    const row = BlobStore.rowOf(id);
    if (row > 0) {
      // Read now, like a file's descriptor opened now: a later delete does not cut the read short.
      const data = this.inlineData(id, row);
      return streamOf(range ? data.subarray(range.start, Math.max(range.start, range.end + 1)) : data);
    }
    // Opened now, not on the next tick: a blob replaced (and unlinked) right after
    // this call is still read whole through the open descriptor.
    const fd = openSync(this.pathOf(id), 'r');
    // With its end known, the stream reads buffers of the size still wanted, not READ_CHUNK each.
    const end = range ? range.end : fstatSync(fd).size - 1;
    return new FileBlobStream(fd, range?.start ?? 0, end);
  }

  /**
   * A blob's bytes in memory (for blobs up to WHOLE_READ_LIMIT). `pooled`: a file blob
   * is read into a reusable buffer (src/shared/buffer-pool.ts) that the HTTP layer
   * gives back once written; only for a body answered as it is.
   */
  readBuffer(id: string, pooled = false): Buffer {
    const kept = this.kept.get(id);
    if (kept !== undefined) return kept;
    const row = BlobStore.rowOf(id);
    if (row > 0) {
      const data = this.inlineData(id, row);
      // Only committed rows are kept: a row read inside a transaction may yet be rolled back.
      if (!this.db!.inTransaction) this.keep(id, data);
      return data;
    }
    const blob = this.opened(id);
    const data = pooled ? pooledBuffer(blob.size) : Buffer.allocUnsafe(blob.size);
    let at = 0;
    while (at < blob.size) {
      const n = readSync(blob.fd, data, at, blob.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === blob.size ? data : data.subarray(0, at);
  }

  /**
   * A blob's bytes in memory, read into a pooled buffer (see readBuffer) off the main
   * thread for a file blob: the copy of a MiB then overlaps the event loop's work
   * (1 MiB GetObject under wrk, quick runs alternated: 1,015-1,366 ops/s against
   * 930-945 read synchronously).
   */
  async readWhole(id: string): Promise<Buffer> {
    // The descriptor is opened now (the body of an async function runs at once until its first await).
    if (BlobStore.rowOf(id) > 0 || this.kept.has(id)) return this.readBuffer(id, true);
    const blob = this.opened(id);
    const data = pooledBuffer(blob.size);
    blob.users++;
    return new Promise((resolve, reject) => {
      read(blob.fd, data, 0, blob.size, 0, (err, n) => {
        blob.users--;
        settle(blob);
        if (err) return reject(err);
        resolve(n === blob.size ? data : withRelease(data.subarray(0, n), data));
      });
    });
  }

  /** A file blob's cached descriptor, opened (and cached) when it is not yet. */
  private opened(id: string): OpenBlob {
    let blob = this.open.get(id);
    if (blob === undefined) {
      const fd = openSync(this.pathOf(id), 'r');
      try {
        blob = { fd, size: fstatSync(fd).size, users: 0, dropped: false };
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      if (this.open.size >= OPEN_FILES) this.forget(this.open.keys().next().value as string);
      this.open.set(id, blob);
    }
    return blob;
  }

  private keep(id: string, data: Buffer): void {
    if (data.length > KEPT_ROW_BYTES) return;
    while (this.keptBytes + data.length > KEPT_ROW_BYTES) {
      const oldest = this.kept.keys().next().value as string;
      this.keptBytes -= this.kept.get(oldest)!.length;
      this.kept.delete(oldest);
    }
    this.kept.set(id, data);
    this.keptBytes += data.length;
  }

  /** Closes a blob's cached descriptor, if any. */
  private forget(id: string): void {
    const blob = this.open.get(id);
    if (blob === undefined) return;
    this.open.delete(id);
    blob.dropped = true;
    settle(blob);
  }

  /** Closes the descriptors the store holds open; it stays usable (they reopen on demand). */
  close(): void {
    closeAll(this.open);
  }

  /** Size in bytes, or undefined when the blob does not exist. */
  size(id: string): number | undefined {
    const row = BlobStore.rowOf(id);
    if (row > 0) return this.inline?.size.get(row);
    try {
      return statSync(this.pathOf(id)).size;
    } catch {
      return undefined;
    }
  }

  /** Whether the blob exists. */
  has(id: string): boolean {
    const row = BlobStore.rowOf(id);
    if (row > 0) return this.inline?.size.get(row) !== undefined;
    return existsSync(this.pathOf(id));
  }

  /**
   * Removes a blob, on the thread pool: unlinking a freshly written file can take the
   * file system milliseconds. Resolves once it is gone and never rejects (a missing
   * blob is not an error; a blob that could not be removed is only unreferenced space),
   * so a caller that no longer refers to the blob need not wait.
   */
  delete(id: string): Promise<void> {
    if (this.deleteInline(id)) return Promise.resolve();
    const path = this.pathOf(id);
    this.forget(id);
    return new Promise((resolve) => unlink(path, () => resolve()));
  }

  /**
   * Removes a database blob at once and returns true; inside a transaction the removal
   * is part of it (undone if it rolls back). Returns false for a file blob, which
   * delete() removes once nothing refers to it any more.
   */
  deleteInline(id: string): boolean {
    const row = BlobStore.rowOf(id);
    if (row < 0) return false;
    const kept = this.kept.get(id);
    if (kept !== undefined) {
      this.kept.delete(id);
      this.keptBytes -= kept.length;
    }
    try {
      this.inline?.delete.run(row);
    } catch {
      // The database is closed: nothing is left to remove it from.
    }
    return true;
  }

  /** Removes every blob (reset). */
  clear(): void {
    this.inline?.clear.run();
    this.kept.clear();
    this.keptBytes = 0;
    closeAll(this.open);
    rmSync(this.dir, { recursive: true, force: true });
    this.shards.clear();
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
  }
}
