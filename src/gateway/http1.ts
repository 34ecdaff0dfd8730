/**
 * nimbus's own HTTP/1.1 server connection. node:http costs about 40 µs of CPU per
 * request under load on these machines (its parser objects, IncomingMessage and
 * ServerResponse streams, header bookkeeping), more than nimbus's whole work for a
 * GetItem; a plain socket reading requests and writing prepared answers costs about 15.
 *
 * What it does, as node's server does it for the clients AWS SDKs and CLIs are:
 * keep-alive (HTTP/1.1 default, HTTP/1.0 on request), pipelined requests answered in
 * order, Content-Length and chunked request bodies, `Expect: 100-continue` answered at
 * once, request bodies handed over whole when they arrived with the head (the common
 * case) or as a Readable with backpressure, unread bodies drained after the answer,
 * answers with Content-Length or chunked, HEAD answers without a body, a Date header.
 * Malformed requests get a 400 and the connection is closed.
 */
import { Readable } from 'node:stream';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { releaseOf } from '../shared/buffer-pool.js';

/** Request heads past this are refused (node's maxHeaderSize as nimbus set it). */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Body bytes held for a consumer that has not started reading; past this the socket pauses. */
const MAX_UNREAD_BODY = 1024 * 1024;
/** Bytes of pipelined requests held while an answer is pending; past this the socket pauses. */
const MAX_PIPELINED = 1024 * 1024;

/** Headers node keeps only the first of when repeated (IncomingMessage's rules). */
const SINGLE = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer',
  'retry-after', 'server', 'user-agent',
]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** Lower-cased header names by their spelling on the wire (clients use few spellings). */
const lowerNames = new Map<string, string>();
function lowerName(raw: string): string {
  let n = lowerNames.get(raw);
  if (n === undefined) {
    n = raw.toLowerCase();
    if (lowerNames.size < 2048) lowerNames.set(raw, n);
  }
  return n;
}

let dateSecond = 0;
let dateText = '';
/** The Date header's value, formatted once a second. */
function httpDate(): string {
  const now = Date.now();
  const s = (now / 1000) | 0;
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/** A malformed request; answered with 400 (or the named code) and a closed connection. */
export class HttpParseError extends Error {
  constructor(readonly code: 'HPE_HEADER_OVERFLOW' | 'HPE_INVALID', message: string) {
    super(message);
  }
}

/** The answer to a request node's server would refuse before any handler ran. */
export type ClientErrorAnswer = (err: HttpParseError, socket: Socket) => void;

/** The request as the gateway reads it: node's IncomingMessage subset, with its body whole when it came with the head. */
export class Http1Request {
  readonly httpVersion: string;
  /** Whether all of the body has been received. */
  complete = false;
  private parts: Buffer[] = [];
  private held = 0;
  private stream?: Readable;
  private dumped = false;

  constructor(
    private readonly conn: Http1Connection,
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    readonly minor: number,
  ) {
    this.httpVersion = minor === 1 ? '1.1' : '1.0';
  }

  get socket(): Socket {
    return this.conn.socket;
  }

  /** Whether the body has been read to its end (or there was none). */
  get readableEnded(): boolean {
    return this.complete && (this.stream ? this.stream.readableEnded : this.parts.length === 0);
  }

  /** The whole body, when it has all arrived and no stream took it; consumes it. */
  takeWhole(): Buffer | undefined {
    if (!this.complete || this.stream) return undefined;
    const parts = this.parts;
    this.parts = [];
    this.held = 0;
    return parts.length === 1 ? parts[0] : parts.length === 0 ? EMPTY : Buffer.concat(parts);
  }

  /** The body as a stream (created once; backpressure pauses the socket). */
  readable(): Readable {
    if (this.stream) return this.stream;
    const conn = this.conn;
    const stream = new Readable({ read: () => conn.resumeBody() });
    this.stream = stream;
    for (const p of this.parts) stream.push(p);
    this.parts = [];
    this.held = 0;
    if (this.complete) stream.push(null);
    return stream;
  }

  /** Discards the rest of the body (nobody will read it). */
  dump(): void {
    if (this.stream) {
      if (!this.stream.readableEnded) this.stream.resume();
      return;
    }
    this.dumped = true;
    this.parts = [];
    this.held = 0;
    this.conn.resumeBody();
  }

  /** Node's resume(): drains an unread body. */
  resume(): this {
    this.dump();
    return this;
  }

  /** @internal body bytes from the connection; false asks it to pause. */
  deliver(chunk: Buffer): boolean {
    if (this.dumped) return true;
    if (this.stream) return this.stream.push(chunk);
    this.parts.push(chunk);
    this.held += chunk.length;
    return this.held < MAX_UNREAD_BODY;
  }

  /** @internal the body's end. */
  finish(): void {
    this.complete = true;
    if (this.stream) this.stream.push(null);
  }

  /** @internal the connection closed before the body ended. */
  abort(): void {
    if (this.complete) return;
    const err = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    if (this.stream && !this.stream.destroyed) this.stream.destroy(err);
  }
}

type HeaderValue = string | number | readonly string[] | undefined;

/** The answer to one request: node's ServerResponse subset the gateway uses. */
export class Http1Response {
  statusCode = 200;
  headersSent = false;
  finished = false;
  private head = '';
  private bodyless: boolean;
  private declaredLength = false;
  private source?: Readable;

  constructor(private readonly conn: Http1Connection, private readonly req: Http1Request, private readonly keepAlive: boolean) {
    this.bodyless = req.method === 'HEAD';
  }

  get socket(): Socket {
    return this.conn.socket;
  }

  /** Prepares the status line and headers; they are written with the body. */
  writeHead(status: number, headers?: Record<string, HeaderValue>): this {
    if (this.headersSent) throw new Error('headers already sent');
    this.statusCode = status;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    let date = false;
    if (headers) {
      for (const name in headers) {
        const v = headers[name];
        if (v === undefined) continue;
        if (typeof v === 'string') {
          if (BAD_VALUE.test(v)) throw invalidChar(name);
          head += `${name}: ${v}\r\n`;
        } else if (typeof v === 'number') head += `${name}: ${v}\r\n`;
        else {
          for (const one of v) {
            if (BAD_VALUE.test(one)) throw invalidChar(name);
            head += `${name}: ${one}\r\n`;
          }
        }
        const c = name.charCodeAt(0) | 0x20;
        if (c === 0x63 /* c */ && name.length === 14 && name.toLowerCase() === 'content-length') this.declaredLength = true;
        else if (c === 0x64 /* d */ && name.length === 4 && name.toLowerCase() === 'date') date = true;
      }
    }
    if (!date) head += `Date: ${httpDate()}\r\n`;
    if (!this.keepAlive) head += 'Connection: close\r\n';
    else if (this.req.minor === 0) head += 'Connection: keep-alive\r\n';
    if (status === 204 || status === 304 || status < 200) this.bodyless = true;
    this.head = head;
    this.headersSent = true;
    return this;
  }

  /** Writes the answer with an optional whole body. */
  end(body?: string | Buffer): void {
    if (this.finished) return;
    if (!this.headersSent) this.writeHead(this.statusCode);
    const socket = this.conn.socket;
    let head = this.head;
    // Small answers wait for the end of the turn to leave with the others; a large body
    // goes at once (held back, a turn's worth of them filled the socket buffers at once).
    const now = body !== undefined && body.length > DEFER_LIMIT;
    if (now) socket.cork(); // head and body in one write all the same
    else deferWrite(socket);
    // A pooled body goes back to its pool once the socket has taken it (or at once when not sent).
    const release = releaseOf(body);
    if (this.bodyless || body === undefined || body.length === 0) {
      if (!this.declaredLength && !this.bodyless) head += 'Content-Length: 0\r\n';
      socket.write(`${head}\r\n`, 'latin1');
      release?.();
    } else {
      if (!this.declaredLength) head += `Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.length}\r\n`;
      socket.write(`${head}\r\n`, 'latin1');
      if (release) socket.write(body, release);
      else socket.write(body);
    }
    if (now) socket.uncork();
    this.done();
  }

  /** Streams a body: as it is when a Content-Length was declared, chunked otherwise. */
  stream(body: Readable): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    const socket = this.conn.socket;
    if (this.bodyless) {
      body.destroy();
      socket.write(`${this.head}\r\n`, 'latin1');
      this.done();
      return;
    }
    const chunked = !this.declaredLength;
    // The head waits (corked) for the first chunk, so both leave in one write.
    let corked = true;
    socket.cork();
    socket.write(`${this.head}${chunked ? 'Transfer-Encoding: chunked\r\n' : ''}\r\n`, 'latin1');
    this.source = body;
    const resume = (): void => {
      body.resume();
    };
    body.on('data', (chunk: Buffer) => {
      let ok: boolean;
      if (chunked) {
        if (chunk.length === 0) return;
        if (!corked) socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk, releaseOf(chunk));
        ok = socket.write('\r\n', 'latin1');
      } else {
        ok = socket.write(chunk, releaseOf(chunk));
        if (!corked) return void (ok || pause());
      }
      corked = false;
      socket.uncork();
      if (!ok) pause();
    });
    const pause = (): void => {
      body.pause();
      socket.once('drain', resume);
    };
    body.once('end', () => {
      socket.off('drain', resume);
      this.source = undefined;
      if (chunked) socket.write('0\r\n\r\n', 'latin1');
      if (corked) socket.uncork();
      corked = false;
      this.done();
    });
    body.once('error', () => {
      this.source = undefined;
      if (corked) socket.uncork();
      this.conn.destroy();
    });
  }

  /** Abandons the answer and the connection. */
  destroy(): void {
    this.conn.destroy();
  }

  /** @internal the connection closed while this answer was streaming. */
  abandon(): void {
    this.source?.destroy();
    this.source = undefined;
  }

  private done(): void {
    this.finished = true;
    this.conn.answered(this.keepAlive);
  }
}

/** Answers up to this size are held to the end of the event-loop turn (deferWrite). */
const DEFER_LIMIT = 64 * 1024;
/** Sockets corked until the end of this event-loop turn. */
let corked: Socket[] = [];
const uncorkAll = (): void => {
  const list = corked;
  corked = [];
  for (const s of list) s.uncork();
};
/**
 * Holds a socket's writes until the end of this turn of the event loop, so the answers
 * of all the requests read in one turn leave together: writing each at once woke the
 * load generator once per answer, and under load that cost more than the answers.
 */
function deferWrite(socket: Socket): void {
  if (socket.writableCorked) return;
  socket.cork();
  if (corked.push(socket) === 1) setImmediate(uncorkAll);
}

function invalidChar(name: string): Error {
  return Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' });
}

const EMPTY = Buffer.alloc(0);

/** The gateway's listener, as node's servers call it. */
export type Http1Listener = (req: Http1Request, res: Http1Response) => void;

/** Body framing of the request being received. */
const enum Body {
  None,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
}

/** One client connection: parses requests, hands them to the listener one at a time, writes their answers in order. */
export class Http1Connection {
  private buf?: Buffer;
  /** The request whose body is still arriving. */
  private receiving?: Http1Request;
  private body = Body.None;
  private remaining = 0;
  /** A request has been handed over and not answered yet. */
  private busy = false;
  private response?: Http1Response;
  private inPump = false;
  private paused = false;
  private closed = false;
  /** The client half-closed its side. */
  private ending = false;
  /** This side is closing (an answer said Connection: close, or the client ended). */
  private finishing = false;

  constructor(
    readonly socket: Socket,
    private readonly listener: Http1Listener,
    private readonly onClientError: ClientErrorAnswer,
  ) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onClose());
  }

  onData(d: Buffer): void {
    if (this.closed || this.finishing) return;
    this.buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    this.pump();
  }

  /** The body reader wants more. */
  resumeBody(): void {
    if (this.paused && !this.closed) {
      this.paused = false;
      this.socket.resume();
      this.pump();
    }
  }

  /** @internal the current answer has been written. */
  answered(keepAlive: boolean): void {
    this.busy = false;
    this.response = undefined;
    const req = this.receiving;
    // Whatever of the body nobody read is drained, so the next request parses (node does the same).
    if (req && !req.complete) req.dump();
    if (!keepAlive) {
      this.finishing = true;
      this.buf = undefined;
      this.socket.end();
      return;
    }
    if (this.paused && !(req && !req.complete)) {
      this.paused = false;
      this.socket.resume();
    }
    this.pump();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private pause(): void {
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private onEnd(): void {
    // The client sent all it will: answer the requests it sent, then close.
    this.ending = true;
    this.pump();
  }

  private onClose(): void {
    this.closed = true;
    this.receiving?.abort();
    this.response?.abandon();
  }

  private pump(): void {
    if (this.inPump || this.finishing) return;
    this.inPump = true;
    try {
      while (this.buf && !this.closed && !this.finishing) {
        if (this.receiving) {
          if (!this.readBody()) break;
          continue;
        }
        if (this.busy) {
          if (this.buf.length > MAX_PIPELINED) this.pause();
          break;
        }
        if (!this.readHead()) break;
      }
    } catch (e) {
      if (e instanceof HttpParseError) this.refuse(e);
      else throw e;
    } finally {
      this.inPump = false;
    }
    if (this.ending && !this.busy && !this.finishing && !this.closed) {
      this.finishing = true;
      this.socket.end();
    }
  }

  private refuse(e: HttpParseError): void {
    this.finishing = true;
    this.buf = undefined;
    this.onClientError(e, this.socket);
  }

  /** Parses one request head from the buffer and hands the request over; false when more bytes are needed. */
  private readHead(): boolean {
    const buf = this.buf!;
    // Stray CRLFs between requests are allowed (RFC 9112 §2.2).
    let start = 0;
    while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
    const end = buf.indexOf(CRLFCRLF, start);
    if (end < 0) {
      if (buf.length - start > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'Header overflow');
      if (start > 0) this.buf = buf.length > start ? buf.subarray(start) : undefined;
      return false;
    }
    if (end - start > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'Header overflow');
    const text = buf.toString('latin1', start, end);
    const rest = end + 4 < buf.length ? buf.subarray(end + 4) : undefined;
    this.buf = rest;

    const lineEnd = text.indexOf('\r\n');
    const line = lineEnd < 0 ? text : text.slice(0, lineEnd);
    const sp1 = line.indexOf(' ');
    const sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 === sp1) throw new HttpParseError('HPE_INVALID', 'Invalid request line');
    const method = line.slice(0, sp1);
    const url = line.slice(sp1 + 1, sp2);
    const version = line.slice(sp2 + 1);
    if (!TOKEN.test(method) || url.length === 0 || url.indexOf(' ') >= 0) throw new HttpParseError('HPE_INVALID', 'Invalid request line');
    let minor: number;
    if (version === 'HTTP/1.1') minor = 1;
    else if (version === 'HTTP/1.0') minor = 0;
    else throw new HttpParseError('HPE_INVALID', 'Invalid HTTP version');

    const headers: IncomingHttpHeaders = {};
    let pos = lineEnd < 0 ? text.length : lineEnd + 2;
    while (pos < text.length) {
      let next = text.indexOf('\r\n', pos);
      if (next < 0) next = text.length;
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon >= next) throw new HttpParseError('HPE_INVALID', 'Invalid header line');
      const rawName = text.slice(pos, colon);
      if (!TOKEN.test(rawName)) throw new HttpParseError('HPE_INVALID', 'Invalid header name');
      let vs = colon + 1;
      let ve = next;
      while (vs < ve && (text.charCodeAt(vs) === 32 || text.charCodeAt(vs) === 9)) vs++;
      while (ve > vs && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
      const value = text.slice(vs, ve);
      if (BAD_VALUE.test(value)) throw new HttpParseError('HPE_INVALID', 'Invalid header value');
      addHeader(headers, lowerName(rawName), value);
      pos = next + 2;
    }

    const req = new Http1Request(this, method, url, headers, minor);
    const connection = headers.connection;
    const conn = typeof connection === 'string' ? connection.toLowerCase() : '';
    const keepAlive = minor === 1 ? !/(?:^|,)\s*close\s*(?:,|$)/.test(conn) : /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(conn);
    const res = new Http1Response(this, req, keepAlive);

    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    if (te !== undefined) {
      if (cl !== undefined) throw new HttpParseError('HPE_INVALID', 'Content-Length with Transfer-Encoding');
      const codings = String(te).toLowerCase().split(',').map((s) => s.trim());
      if (codings[codings.length - 1] !== 'chunked') throw new HttpParseError('HPE_INVALID', 'Unsupported Transfer-Encoding');
      this.body = Body.ChunkSize;
    } else if (cl !== undefined) {
      if (typeof cl !== 'string' || !/^\d{1,15}$/.test(cl)) throw new HttpParseError('HPE_INVALID', 'Invalid Content-Length');
      this.remaining = Number(cl);
      this.body = this.remaining > 0 ? Body.Length : Body.None;
    } else this.body = Body.None;

    this.busy = true;
    this.response = res;
    if (this.body === Body.None) req.complete = true;
    else {
      this.receiving = req;
      // Take the body now when it is all here, so the listener sees it whole.
      if (this.buf) this.readBody();
      const expect = headers.expect;
      if (!req.complete && typeof expect === 'string' && expect.toLowerCase() === '100-continue') this.socket.write(CONTINUE, 'latin1');
    }
    this.listener(req, res);
    return true;
  }

  /** Moves body bytes from the buffer to the request; false when more bytes are needed. */
  private readBody(): boolean {
    const req = this.receiving!;
    while (this.buf) {
      const buf = this.buf;
      switch (this.body) {
        case Body.Length: {
          if (buf.length <= this.remaining) {
            this.buf = undefined;
            this.remaining -= buf.length;
            if (!req.deliver(buf)) this.pause();
          } else {
            this.buf = buf.subarray(this.remaining);
            const part = buf.subarray(0, this.remaining);
            this.remaining = 0;
            if (!req.deliver(part)) this.pause();
          }
          if (this.remaining === 0) return this.bodyDone(req);
          break;
        }
        case Body.ChunkSize: {
          const eol = buf.indexOf('\r\n');
          if (eol < 0) {
            if (buf.length > 1024) throw new HttpParseError('HPE_INVALID', 'Invalid chunk size');
            return false;
          }
          const line = buf.toString('latin1', 0, eol);
          const semi = line.indexOf(';');
          const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpParseError('HPE_INVALID', 'Invalid chunk size');
          this.remaining = parseInt(hex, 16);
          this.buf = eol + 2 < buf.length ? buf.subarray(eol + 2) : undefined;
          this.body = this.remaining === 0 ? Body.Trailers : Body.ChunkData;
          break;
        }
        case Body.ChunkData: {
          const take = Math.min(this.remaining, buf.length);
          const part = take === buf.length ? buf : buf.subarray(0, take);
          this.buf = take < buf.length ? buf.subarray(take) : undefined;
          this.remaining -= take;
          if (this.remaining === 0) this.body = Body.ChunkDataEnd;
          if (!req.deliver(part)) this.pause();
          break;
        }
        case Body.ChunkDataEnd: {
          if (buf.length < 2) return false;
          if (buf[0] !== 13 || buf[1] !== 10) throw new HttpParseError('HPE_INVALID', 'Invalid chunk end');
          this.buf = buf.length > 2 ? buf.subarray(2) : undefined;
          this.body = Body.ChunkSize;
          break;
        }
        case Body.Trailers: {
          // Trailer fields end with an empty line; nimbus ignores them (aws-chunked trailers live in the body).
          const eol = buf.indexOf('\r\n');
          if (eol < 0) {
            if (buf.length > MAX_HEAD_BYTES) throw new HttpParseError('HPE_HEADER_OVERFLOW', 'Trailer overflow');
            return false;
          }
          this.buf = eol + 2 < buf.length ? buf.subarray(eol + 2) : undefined;
          if (eol === 0) return this.bodyDone(req);
          break;
        }
        default:
          return this.bodyDone(req);
      }
      if (this.paused) return false;
    }
    return false;
  }

  private bodyDone(req: Http1Request): boolean {
    this.receiving = undefined;
    this.body = Body.None;
    req.finish();
    if (this.paused && !this.busy) {
      this.paused = false;
      this.socket.resume();
    }
    return true;
  }
}

function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const prev = headers[name];
  if (prev === undefined) {
    headers[name] = name === 'set-cookie' ? [value] : value;
    return;
  }
  if (SINGLE.has(name)) {
    if (name === 'content-length' && prev !== value) throw new HttpParseError('HPE_INVALID', 'Duplicate Content-Length');
    return;
  }
  if (Array.isArray(prev)) prev.push(value);
  else headers[name] = `${prev}${name === 'cookie' ? '; ' : ', '}${value}`;
}
