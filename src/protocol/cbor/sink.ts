/**
 * A growable CBOR output buffer with the encodings rpcv2Cbor needs: definite
 * lengths, integers in their shortest head (up to 64 bits, never as floats),
 * doubles, tag 1 timestamps and bignums. One scratch buffer is reused across
 * responses (encoding is synchronous); `take()` copies the result out.
 */

const MAX_U32 = 0x1_0000_0000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The CBOR writer. */
export class CborSink {
  private buf: Buffer = Buffer.allocUnsafe(16 * 1024);
  private pos = 0;

  /** Starts a new item, reusing the scratch buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** A copy of what was written since reset(). */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    // Do not keep a scratch buffer grown by one huge response around forever.
    if (this.buf.length > 1024 * 1024) this.buf = Buffer.allocUnsafe(16 * 1024);
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A head: major type and argument (count, length, value or tag). */
  head(major: number, n: number): void {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) { this.buf[this.pos++] = m | 24; this.buf[this.pos++] = n; }
    else if (n < 0x10000) { this.buf[this.pos++] = m | 25; this.buf.writeUInt16BE(n, this.pos); this.pos += 2; }
    else if (n < MAX_U32) { this.buf[this.pos++] = m | 26; this.buf.writeUInt32BE(n, this.pos); this.pos += 4; }
    else { this.buf[this.pos++] = m | 27; this.buf.writeBigUInt64BE(BigInt(n), this.pos); this.pos += 8; }
  }

  /** An integer: major 0 or 1 for safe integers and 64-bit bigints, a bignum tag beyond. */
  integer(n: number | bigint): void {
    if (typeof n === 'number') {
      if (n >= 0) this.head(0, n);
      else this.head(1, -1 - n);
      return;
    }
    if (n >= MIN_SAFE && n <= MAX_SAFE) {
      this.integer(Number(n));
      return;
    }
    const neg = n < 0n;
    const mag = neg ? -1n - n : n;
    if (mag < 0x1_0000_0000_0000_0000n) {
      this.ensure(9);
      this.buf[this.pos++] = ((neg ? 1 : 0) << 5) | 27;
      this.buf.writeBigUInt64BE(mag, this.pos);
      this.pos += 8;
      return;
    }
    let hex = mag.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    this.head(6, neg ? 3 : 2);
    this.bytes(Buffer.from(hex, 'hex'));
  }

  /** A 64-bit float (NaN and the infinities included). */
  double(x: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xfb;
    this.buf.writeDoubleBE(x, this.pos);
    this.pos += 8;
  }

  /** A number of unknown kind: integers as integers, the rest as doubles. */
  number(x: number): void {
    if (Number.isSafeInteger(x)) this.integer(x);
    else this.double(x);
  }

  bool(b: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = b ? 0xf5 : 0xf4;
  }

  null(): void {
    this.ensure(1);
    this.buf[this.pos++] = 0xf6;
  }

  /** A text string. */
  text(s: string): void {
    // Write the UTF-8 after the longest head it could need, then move it back if the head is shorter.
    const max = s.length * 3;
    const reserve = max < 24 ? 1 : max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
    // Room for the head written afterwards too, so that head() never grows (and drops) the buffer.
    this.ensure(reserve + max + 9);
    const start = this.pos;
    const n = this.buf.write(s, start + reserve, 'utf8');
    const need = n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    if (need !== reserve) this.buf.copyWithin(start + need, start + reserve, start + reserve + n);
    this.head(3, n);
    this.pos = start + need + n;
  }

  /** A byte string. */
  bytes(b: Uint8Array): void {
    this.head(2, b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A timestamp: tag 1 with epoch seconds, an integer when whole. */
  timestamp(seconds: number): void {
    this.head(6, 1);
    this.number(seconds);
  }
}
