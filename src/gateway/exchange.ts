/**
 * One request as it moves through the gateway's steps: what has been learned about
 * it so far (service, protocol, operation, principal, input) and its response.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AnyRequest, AnyResponse } from './server.js';
import { Http1Request, Http1Response } from './http1.js';
import type { Headers, ProtocolCodec, WireRequest, WireResponse } from '../protocol/types.js';
import type { Operation, ServiceModel } from '../models/model.js';
import type { Principal } from '../shared/principal.js';
import type { ParsedAuth } from '../auth/sigv4.js';
import type { ServiceError } from '../shared/errors.js';
import type { LoadedService } from './services.js';

/** The request's state between steps. */
export class Exchange implements WireRequest {
  readonly started = process.hrtime.bigint();
  readonly requestId = randomUUID();
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly headers: Headers;
  readonly host: string;
  body: Buffer = EMPTY;
  /** Whether `body` holds the whole request body. */
  bodyRead = false;
  bodyStream?: Readable;
  private parsedQuery?: Record<string, string[]>;

  /** The service, once detected: implemented (with its provider) or only known from the catalog. */
  service?: LoadedService;
  model?: ServiceModel;
  codec?: ProtocolCodec;
  operation?: Operation;
  auth?: ParsedAuth;
  principal?: Principal;
  region?: string;
  input?: Record<string, unknown>;
  response?: WireResponse;
  /** The error answered, for the log line. */
  error?: ServiceError;

  constructor(readonly req: AnyRequest, readonly res: AnyResponse) {
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.rawQuery = q < 0 ? '' : url.slice(q + 1);
    this.headers = req.headers as Headers;
    const host = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? '';
    this.host = host.toLowerCase();
  }

  /** Query parameters, decoded on first use. */
  get query(): Record<string, string[]> {
    if (!this.parsedQuery) this.parsedQuery = parseQuery(this.rawQuery);
    return this.parsedQuery;
  }

  /** The first value of a header. */
  header(name: string): string | undefined {
    const v = this.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  /** Milliseconds since the request arrived. */
  elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e6;
  }
}

const EMPTY = Buffer.alloc(0);

/** Decodes a query string leniently ('+' as space; malformed escapes kept as written). */
export function parseQuery(raw: string): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    (out[key] ??= []).push(value);
  }
  return out;
}

function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s.replace(/\+/g, ' ');
  }
}

/** Reads a whole request body, refusing more than `limit` bytes. */
export function readBody(req: AnyRequest, limit: number): Promise<Buffer> {
  if (req instanceof Http1Request) {
    const whole = req.takeWhole();
    if (whole) return whole.length > limit ? Promise.reject(new BodyTooLarge(limit)) : Promise.resolve(whole);
  }
  const stream = requestStream(req);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge(limit));
        stream.removeAllListeners('data');
        stream.resume();
        return;
      }
      chunks.push(chunk);
    });
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    stream.once('error', reject);
  });
}

/** The request body as a stream. */
export function requestStream(req: AnyRequest): Readable {
  return req instanceof Http1Request ? req.readable() : req;
}

/** Discards whatever of the request body is unread, so the connection can go on. */
export function drainRequest(req: AnyRequest): void {
  if (!req.readableEnded) req.resume();
}

/** Thrown by readBody past its limit. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Writes a WireResponse to node's response object. */
export function writeResponse(res: AnyResponse, response: WireResponse, extraHeaders?: Record<string, string>): void {
  const headers = extraHeaders ? { ...response.headers, ...extraHeaders } : response.headers;
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    if (body !== undefined && headers['content-length'] === undefined && headers['Content-Length'] === undefined) {
      (headers as Record<string, string | number>)['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    }
    (res as { writeHead(s: number, h: object): void }).writeHead(response.statusCode, headers);
    if (body === undefined) res.end();
    else res.end(body);
    return;
  }
  (res as { writeHead(s: number, h: object): void }).writeHead(response.statusCode, headers);
  if (res instanceof Http1Response) return res.stream(body);
  body.on('error', () => res.destroy());
  body.pipe(res);
}
