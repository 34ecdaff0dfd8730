/**
 * Decoding of `aws-chunked` request bodies (S3 PutObject/UploadPart with
 * x-amz-content-sha256 STREAMING-*): `hex-size[;chunk-signature=sig]\r\n data \r\n`
 * chunks, a zero-size last chunk, then optional trailer headers and an empty line
 * (docs: "Signature Calculations for the Authorization Header: Transferring Payload
 * in Multiple Chunks" and "...Including Trailing Headers"). Works on Buffers as they
 * arrive, emits slices of them (no copies), and never holds more than one header line.
 */
import { createHash, createHmac, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ServiceError } from '../shared/errors.js';
import { EMPTY_SHA256, sha256Hex } from './canonical.js';
import { chunkSignatureMismatchError, contentSha256MismatchError } from './errors.js';
import type { SigningContext } from './types.js';

/** The x-amz-content-sha256 values whose body is aws-chunked. */
export const CHUNKED_PAYLOADS: ReadonlySet<string> = new Set([
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

/** True when a request with this x-amz-content-sha256 sends an aws-chunked body. */
export function isAwsChunked(contentSha256: string | undefined): boolean {
  return contentSha256 !== undefined && CHUNKED_PAYLOADS.has(contentSha256);
}

/** S3 refuses non-final chunks smaller than this. */
export const MIN_CHUNK_SIZE = 8192;

/** How to decode one body. */
export interface AwsChunkedOptions {
  /** The request's x-amz-content-sha256 (one of CHUNKED_PAYLOADS). */
  readonly contentSha256: string;
  /** From `signingContext(auth, secret)`: chunk and trailer signatures are verified when given. */
  readonly signing?: SigningContext;
  /** x-amz-decoded-content-length: the decoded size must equal it. */
  readonly decodedContentLength?: number;
  /** Lower-cased names from x-amz-trailer that must arrive as trailers. */
  readonly expectedTrailers?: readonly string[];
  /** Smallest non-final chunk allowed (S3: 8192; 0 turns the check off). */
  readonly minChunkSize?: number;
}

/** What the body said besides its data. */
export interface AwsChunkedResult {
  /** Trailer headers by lower-cased name (x-amz-checksum-crc32 and the like), without the trailer signature. */
  readonly trailers: Readonly<Record<string, string>>;
  readonly decodedLength: number;
  /** Number of data chunks (the zero-size last one not counted). */
  readonly chunks: number;
}

const MAX_LINE = 4096;
const HEX_SIZE = /^[0-9a-fA-F]{1,16}$/;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const CR = 0x0d;
const LF = 0x0a;

const TRAILING_CR = /\r$/;

// Parser states: a chunk header line, chunk data, the CRLF after the data, trailer lines, finished.
const State = { Header: 0, Data: 1, DataEnd: 2, Trailer: 3, Done: 4 } as const;
type State = (typeof State)[keyof typeof State];

function incompleteBody(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body terminated unexpectedly', { status: 400 });
}

function lengthMismatch(): ServiceError {
  return new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', { status: 400 });
}

function malformedTrailer(): ServiceError {
  return new ServiceError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', { status: 400 });
}

/** A chunk's signature: HMAC of AWS4-HMAC-SHA256-PAYLOAD, date, scope, the previous signature, hash(''), hash(chunk data). */
export function chunkSignature(signing: SigningContext, previousSignature: string, dataSha256: string): string {
  const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.credentialScope}\n${previousSignature}\n${EMPTY_SHA256}\n${dataSha256}`;
  return createHmac('sha256', signing.signingKey).update(toSign).digest('hex');
}

/**
 * The trailer signature, chained from the last (zero-size) chunk's: HMAC of
 * AWS4-HMAC-SHA256-TRAILER, date, scope, previous signature, hash of the trailers
 * written `name:value\n` each (LF, not the CRLF they travel with).
 */
export function trailerSignature(signing: SigningContext, previousSignature: string, canonicalTrailers: string): string {
  const toSign = `AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.credentialScope}\n${previousSignature}\n${sha256Hex(canonicalTrailers)}`;
  return createHmac('sha256', signing.signingKey).update(toSign).digest('hex');
}

/** The aws-chunked state machine, free of streams: feed it Buffers, collect the data it hands back. */
export class AwsChunkedParser {
  private state: State = State.Header;
  private readonly signed: boolean;
  private readonly hasTrailer: boolean;
  private readonly verify?: SigningContext;
  private readonly minChunk: number;
  private lineParts: Buffer[] = [];
  private lineLength = 0;
  private line: string | undefined;
  private remaining = 0;
  private crlf = 0;
  private chunkSize = 0;
  private chunkSignature = '';
  private previousSignature: string;
  private previousChunkSize = -1;
  private hash: Hash | undefined;
  private chunkCount = 0;
  private decoded = 0;
  // A plain object: '__proto__' is refused as a trailer name below, so no key can reach the prototype.
  private readonly trailers: Record<string, string> = {};
  private trailerCanonical = '';
  private trailerSignature: string | undefined;

  constructor(private readonly options: AwsChunkedOptions) {
    const mode = options.contentSha256;
    this.signed = mode.startsWith('STREAMING-AWS4-');
    this.hasTrailer = mode.endsWith('-TRAILER');
    // Only HMAC chains can be checked; SigV4a (ECDSA) chunk signatures are read but not verified.
    if (this.signed && mode.startsWith('STREAMING-AWS4-HMAC-') && options.signing) this.verify = options.signing;
    this.previousSignature = options.signing?.seedSignature ?? '';
    this.minChunk = options.minChunkSize ?? MIN_CHUNK_SIZE;
  }

  /** Consumes one piece of the body, passing decoded data (slices of `buf`) to `emit`; throws the S3 error on bad framing. */
  write(buf: Buffer, emit: (data: Buffer) => void): void {
    let pos = 0;
    while (pos < buf.length) {
      switch (this.state) {
        case State.Header:
          pos = this.scanLine(buf, pos);
          if (this.line !== undefined) this.onHeader(this.takeLine());
          break;
        case State.Data: {
          const n = Math.min(this.remaining, buf.length - pos);
          const slice = buf.subarray(pos, pos + n);
          this.hash?.update(slice);
          this.remaining -= n;
          pos += n;
          emit(slice);
          if (this.remaining === 0) this.state = State.DataEnd;
          break;
        }
        case State.DataEnd:
          if (buf[pos] !== (this.crlf === 0 ? CR : LF)) throw incompleteBody();
          pos++;
          if (++this.crlf === 2) this.endChunk();
          break;
        case State.Trailer:
          pos = this.scanLine(buf, pos);
          if (this.line !== undefined) this.onTrailerLine(this.takeLine());
          break;
        case State.Done:
          // Bytes after the closing empty line carry nothing S3 reads.
          return;
      }
    }
  }

  /** Called at the end of the body: checks it was complete and returns the trailers. */
  end(): AwsChunkedResult {
    if (this.state === State.Trailer) {
      // The SDKs end a body without trailers right after `0\r\n`, without the closing empty line.
      if (this.lineLength > 0) this.onTrailerLine(Buffer.concat(this.lineParts).toString('latin1').replace(TRAILING_CR, ''));
      this.finishTrailers();
    }
    if (this.state !== State.Done) throw incompleteBody();
    if (this.options.decodedContentLength !== undefined && this.decoded !== this.options.decodedContentLength) throw lengthMismatch();
    for (const name of this.options.expectedTrailers ?? []) {
      if (this.trailers[name] === undefined) throw malformedTrailer();
    }
    return { trailers: this.trailers, decodedLength: this.decoded, chunks: this.chunkCount };
  }

  // Collects bytes up to LF; sets `line` once one is complete.
  private scanLine(buf: Buffer, pos: number): number {
    const lf = buf.indexOf(LF, pos);
    const end = lf < 0 ? buf.length : lf;
    this.lineLength += end - pos;
    if (this.lineLength > MAX_LINE) throw this.state === State.Trailer ? malformedTrailer() : incompleteBody();
    if (lf < 0) {
      this.lineParts.push(buf.subarray(pos, end));
      return buf.length;
    }
    let text: string;
    if (this.lineParts.length === 0) text = buf.toString('latin1', pos, lf);
    else {
      this.lineParts.push(buf.subarray(pos, lf));
      text = Buffer.concat(this.lineParts).toString('latin1');
      this.lineParts = [];
    }
    this.lineLength = 0;
    this.line = text.endsWith('\r') ? text.slice(0, -1) : text;
    return lf + 1;
  }

  private takeLine(): string {
    const line = this.line ?? '';
    this.line = undefined;
    return line;
  }

  private onHeader(line: string): void {
    const semi = line.indexOf(';');
    const sizeText = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (!HEX_SIZE.test(sizeText)) throw incompleteBody();
    const size = parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size)) throw incompleteBody();
    let signature = '';
    if (semi >= 0) {
      for (const ext of line.slice(semi + 1).split(';')) {
        const eq = ext.indexOf('=');
        if (eq >= 0 && ext.slice(0, eq).trim() === 'chunk-signature') signature = ext.slice(eq + 1).trim();
      }
    }
    if (this.signed && signature === '') throw incompleteBody();
    if (size > 0) {
      this.chunkCount++;
      // S3 reports the chunk after the short one, counting from 1.
      if (this.previousChunkSize >= 0 && this.previousChunkSize < this.minChunk) {
        throw new ServiceError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', {
          status: 400,
          fields: { Chunk: this.chunkCount, BadChunkSize: this.previousChunkSize },
        });
      }
      const limit = this.options.decodedContentLength;
      if (limit !== undefined && this.decoded + size > limit) throw lengthMismatch();
    }
    this.chunkSize = size;
    this.chunkSignature = signature;
    this.hash = this.verify ? createHash('sha256') : undefined;
    if (size === 0) {
      this.checkChunkSignature(EMPTY_SHA256);
      this.state = State.Trailer;
      return;
    }
    this.remaining = size;
    this.crlf = 0;
    this.state = State.Data;
  }

  private endChunk(): void {
    if (this.hash) this.checkChunkSignature(this.hash.digest('hex'));
    this.decoded += this.chunkSize;
    this.previousChunkSize = this.chunkSize;
    this.state = State.Header;
  }

  private checkChunkSignature(dataHash: string): void {
    const v = this.verify;
    if (!v) return;
    const expected = chunkSignature(v, this.previousSignature, dataHash);
    if (expected !== this.chunkSignature) throw chunkSignatureMismatchError();
    this.previousSignature = expected;
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.finishTrailers();
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) {
      this.trailerSignature = value;
      return;
    }
    if (name === '__proto__') throw malformedTrailer();
    this.trailers[name] = value;
    this.trailerCanonical += `${name}:${value}\n`;
  }

  private finishTrailers(): void {
    this.state = State.Done;
    const v = this.verify;
    if (!v || !this.hasTrailer) return;
    if (this.trailerSignature === undefined) throw chunkSignatureMismatchError();
    if (trailerSignature(v, this.previousSignature, this.trailerCanonical) !== this.trailerSignature) throw chunkSignatureMismatchError();
  }
}

/** A Transform from an aws-chunked body to its data; `result` (trailers, length) is set before 'end'. */
export class AwsChunkedDecoder extends Transform {
  private readonly parser: AwsChunkedParser;
  /** Set once the body has been fully and validly decoded. */
  result: AwsChunkedResult | undefined;

  constructor(options: AwsChunkedOptions) {
    super();
    this.parser = new AwsChunkedParser(options);
  }

  /** The trailers, once the body has ended. */
  get trailers(): Readonly<Record<string, string>> | undefined {
    return this.result?.trailers;
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, (data) => this.push(data));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.result = this.parser.end();
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }
}

/** A decoder to pipe an aws-chunked request body through. */
export function createAwsChunkedDecoder(options: AwsChunkedOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(options);
}

/** Decodes an aws-chunked body as an async generator: yields data, returns trailers and length. */
export async function* decodeAwsChunked(source: AsyncIterable<Uint8Array | string>, options: AwsChunkedOptions): AsyncGenerator<Buffer, AwsChunkedResult, undefined> {
  const parser = new AwsChunkedParser(options);
  const out: Buffer[] = [];
  const emit = (data: Buffer): void => { out.push(data); };
  for await (const piece of source) {
    const buf = typeof piece === 'string' ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    parser.write(buf, emit);
    for (const data of out) yield data;
    out.length = 0;
  }
  return parser.end();
}

/** A pass-through that fails with XAmzContentSHA256Mismatch at the end when the body's sha256 differs from `declared`. */
export function createSha256Verifier(declared: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest('hex');
      callback(actual === declared.toLowerCase() ? null : contentSha256MismatchError(declared, actual));
    },
  });
}
