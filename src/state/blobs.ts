/**
 * Large bodies (objects, code packages) as files named by generated ids, never by a
 * user-supplied key. A write goes to a temporary name, is fsynced and renamed, so a
 * blob either exists whole or not at all. Streamed writes fsync on libuv's thread
 * pool (the stream's `flush`), never blocking the event loop for other requests.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, renameSync, unlinkSync, openSync, fsyncSync, closeSync, statSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A stored blob: its id and size in bytes. */
export interface BlobInfo {
  id: string;
  size: number;
}

/** Files by id under one directory, sharded by the id's first two characters. */
export class BlobStore {
  constructor(readonly dir: string) {
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
   * on any failure the partial file is removed and the error rethrown.
   */
  async write(source: Readable | AsyncIterable<Buffer>): Promise<BlobInfo> {
    const id = this.newId();
    const tmp = join(this.dir, 'tmp', id);
    let size = 0;
    const out = createWriteStream(tmp, { flush: true });
    try {
      await pipeline(source, async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          yield chunk;
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
    mkdirSync(join(this.dir, id.slice(0, 2)), { recursive: true });
    renameSync(tmp, final);
  }

  /** A stream of a blob's bytes, optionally a range [start, end] inclusive. */
  read(id: string, range?: { start: number; end: number }): Readable {
    // Opened now, not on the next tick: a blob replaced (and unlinked) right after
    // this call is still read whole through the open descriptor.
    const fd = openSync(this.pathOf(id), 'r');
    return createReadStream('', range ? { fd, start: range.start, end: range.end } : { fd });
  }

  /** A blob's bytes in memory (for small blobs only). */
  readBuffer(id: string): Buffer {
    return readFileSync(this.pathOf(id));
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

  /** Removes a blob; removing a missing blob is not an error. */
  delete(id: string): void {
    try {
      unlinkSync(this.pathOf(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  /** Removes every blob (reset). */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, 'tmp'), { recursive: true });
  }
}
