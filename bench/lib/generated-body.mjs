// A large body made on the fly, 1 MiB at a time (each chunk different), never held
// whole: for the 2-5 GiB upload bench and the large-object test.
import { Readable } from 'node:stream';

const MiB = 1024 * 1024;

/** `size` bytes as a stream, each chunk fed to `md5` (a node Hash) as it goes out. */
export function generatedBody(size, md5) {
  const base = Buffer.alloc(MiB);
  for (let i = 0; i < MiB; i += 4) base.writeUInt32LE((i * 2654435761) >>> 0, i);
  let sent = 0;
  let n = 0;
  return new Readable({
    highWaterMark: MiB,
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const len = Math.min(MiB, size - sent);
      const chunk = Buffer.from(base.subarray(0, len));
      chunk.writeUInt32LE(n++, 0);
      md5.update(chunk);
      sent += len;
      this.push(chunk);
    },
  });
}
