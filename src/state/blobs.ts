/**
 * Large bodies (objects, code packages) as files named by generated ids, never by a
 * user-supplied key. A write goes to a temporary name, is fsynced and renamed, so a
 * blob either exists whole or not at all. The event loop never waits on the disk for
 * long: fsync and unlink run on libuv's thread pool; a small body (up to SMALL_WRITE)
 * is one synchronous write of bytes already in memory, then that one fsync.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, renameSync, unlink, openSync, fsyncSync, fdatasync, closeSync, fstatSync, statSync, readSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bodies up to this size are gathered in memory and written with one write call. */
const SMALL_WRITE = 64 * 1024;
/**
 * Read size of a streamed blob: fs streams' 64 KiB default costs about twice the CPU per
 * byte served (a thread-pool trip, a buffer and a socket write per chunk); at most this
 * much is buffered per stream.
 */
const READ_CHUNK = 1024 * 1024;
/**
 * Blobs read whole (readBuffer) kept open, the most recently opened ones: a read of one
 * is then a single pread instead of open, fstat, read and close. Blobs never change once
 * written, so an open descriptor stays right until the blob is deleted.
 */
const OPEN_FILES = 64;

/** An open blob: its descriptor and size. */
interface OpenBlob {
  fd: number;
  size: number;
}

function closeAll(open: Map<string, OpenBlob>): void {
  for (const { fd } of open.values()) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing left to release.
    }
  }
  open.clear();
}

/** Closes the descriptors of a store dropped without close(). */
const unclosed = new FinalizationRegistry<Map<string, OpenBlob>>(closeAll);

/** A stored blob: its id and size in bytes. */
export interface BlobInfo {
  id: string;
  size: number;
}

/** Files by id under one directory, sharded by the id's first two characters. */
export class BlobStore {
  /** Shard directories known to exist (at most 256). */
  private readonly shards = new Set<string>();
  /** Descriptors of blobs read whole, oldest first (at most OPEN_FILES). */
  private readonly open = new Map<string, OpenBlob>();

  constructor(readonly dir: string) {
    unclosed.register(this, this.open);
    // Partial writes of a process that died mid-upload are never part of any state.
    rmSync(join(dir, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
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

  /** The small-body path: one open, one write, fdatasync on the thread pool, rename. */
  private async writeSmall(data: Buffer): Promise<BlobInfo> {
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

  /** Writes bytes already in memory to a new blob. */
  writeBuffer(data: Buffer): BlobInfo {
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
    // Opened now, not on the next tick: a blob replaced (and unlinked) right after
    // this call is still read whole through the open descriptor.
    const fd = openSync(this.pathOf(id), 'r');
    // With its end known, the stream reads buffers of the size still wanted, not READ_CHUNK each.
    const end = range ? range.end : fstatSync(fd).size - 1;
    if (end < (range?.start ?? 0)) return createReadStream('', { fd, start: range?.start ?? 0, highWaterMark: READ_CHUNK });
    return createReadStream('', { fd, start: range?.start ?? 0, end, highWaterMark: READ_CHUNK });
  }

  /** A blob's bytes in memory (for small blobs only). */
  readBuffer(id: string): Buffer {
    let blob = this.open.get(id);
    if (blob === undefined) {
      const fd = openSync(this.pathOf(id), 'r');
      try {
        blob = { fd, size: fstatSync(fd).size };
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      if (this.open.size >= OPEN_FILES) this.forget(this.open.keys().next().value as string);
      this.open.set(id, blob);
    }
    const data = Buffer.allocUnsafe(blob.size);
    let at = 0;
    while (at < blob.size) {
      const n = readSync(blob.fd, data, at, blob.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === blob.size ? data : data.subarray(0, at);
  }

  /** Closes a blob's cached descriptor, if any. */
  private forget(id: string): void {
    const blob = this.open.get(id);
    if (blob === undefined) return;
    this.open.delete(id);
    closeSync(blob.fd);
  }

  /** Closes the descriptors the store holds open; it stays usable (they reopen on demand). */
  close(): void {
    closeAll(this.open);
  }

  /** Size in bytes, or undefined when the blob does not exist. */
  size(id: string): number | undefined {
    try {
      return statSync(this.pathOf(id)).size;
    } catch {
      return undefined;
    }
  }

  /** Whether the blob exists. */
  has(id: string): boolean {
    return existsSync(this.pathOf(id));
  }

  /**
   * Removes a blob, on the thread pool: unlinking a freshly written file can take the
   * file system milliseconds. Resolves once it is gone and never rejects (a missing
   * blob is not an error; a blob that could not be removed is only unreferenced space),
   * so a caller that no longer refers to the blob need not wait.
   */
  delete(id: string): Promise<void> {
    const path = this.pathOf(id);
    this.forget(id);
    return new Promise((resolve) => unlink(path, () => resolve()));
  }

  /** Removes every blob (reset). */
  clear(): void {
    closeAll(this.open);
    rmSync(this.dir, { recursive: true, force: true });
    this.shards.clear();
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
  }
}
