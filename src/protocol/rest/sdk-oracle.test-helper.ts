/**
 * Test support (no tests of its own): drives a real AWS SDK v3 client with a
 * request handler that captures the request it builds, as a WireRequest, and
 * answers with a WireResponse that a codec produced.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/transport';
import type { WireRequest, WireResponse } from '../types.js';

interface SdkRequest {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === 'object' && Symbol.asyncIterator in body)) {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`unexpected SDK body ${typeof body}`);
}

function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Turns the SDK's request into what the gateway hands a codec (node lower-cases header names). */
export async function toWire(request: SdkRequest): Promise<WireRequest> {
  const query: Record<string, string[]> = {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(request.query ?? {})) {
    if (v === undefined) continue;
    const values = v === null ? [''] : Array.isArray(v) ? v : [v];
    query[k] = values;
    for (const x of values) parts.push(v === null ? encode(k) : `${encode(k)}=${encode(x)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const body = await bodyBytes(request.body);
  return {
    method: request.method, path: request.path, rawQuery: parts.join('&'), query, headers, body,
    bodyStream: Readable.from(body.length > 0 ? [body] : []), host: request.hostname,
  };
}

/** Turns a codec's response into the SDK's HttpResponse, as node's client would deliver it. */
export function toSdkResponse(res: WireResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  let body: Readable;
  if (res.body instanceof Readable) body = res.body;
  else body = Readable.from(res.body === undefined ? [] : [Buffer.from(res.body)]);
  return new HttpResponse({ statusCode: res.statusCode, headers, body });
}

/** A capturing oracle: hand `config()` to an SDK client; each call records `last` and answers `respond()`. */
export class SdkOracle {
  last: WireRequest | undefined;
  respond: (req: WireRequest) => WireResponse = () => ({ statusCode: 200, headers: {} });

  /** Client configuration pointing the SDK at this oracle. */
  config(): Record<string, unknown> {
    return {
      endpoint: 'http://localhost:4566',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: SdkRequest) => {
          const wire = await toWire(request);
          this.last = wire;
          return { response: toSdkResponse(this.respond(wire)) };
        },
      },
    };
  }

  /** The last request the client sent. */
  get request(): WireRequest {
    if (!this.last) throw new Error('no request captured');
    return this.last;
  }
}

/** Reads a stream or buffer to a Buffer. */
export async function readAll(body: unknown): Promise<Buffer> {
  return bodyBytes(body);
}
