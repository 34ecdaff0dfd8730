/**
 * Test support: a request handler for real AWS SDK v3 clients that hands the
 * request the SDK serialized to a codec, and answers with what the codec
 * serializes, so both directions are checked against the SDK itself.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';
import type { Operation, ServiceModel } from '../../models/model.js';
import { isServiceError, type ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, WireRequest, WireResponse } from '../types.js';

/** What the last exchange through the oracle saw. */
export interface OracleState {
  request?: WireRequest;
  op?: Operation;
  input?: Record<string, unknown>;
  parseError?: ServiceError;
  /** Builds the response for the parsed request; set by each test. */
  respond: (op: Operation | undefined, input: Record<string, unknown> | undefined) => WireResponse;
}

/** The credentials, region and endpoint every oracle client uses. */
export const CLIENT_CONFIG = {
  endpoint: 'http://localhost:4566',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};

interface SdkRequest { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown; hostname: string }

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error(`unexpected SDK body ${typeof body}`);
}

/** Turns an SDK HttpRequest into the WireRequest the gateway would hand a codec. */
export function toWireRequest(r: SdkRequest): WireRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.query ?? {})) if (v !== null) query[k] = Array.isArray(v) ? v : [v];
  return { method: r.method, path: r.path, rawQuery: '', query, headers, body: bodyBytes(r.body), host: r.hostname };
}

/** Builds an oracle: pass `handler` as the client's requestHandler, then read `state` after `send`. */
export function makeOracle(codec: ProtocolCodec, model: ServiceModel): { state: OracleState; handler: { handle: (r: SdkRequest) => Promise<{ response: HttpResponse }> } } {
  const state: OracleState = { respond: () => ({ statusCode: 200, headers: {}, body: Buffer.from('{}') }) };
  const handler = {
    handle: async (r: SdkRequest) => {
      const req = toWireRequest(r);
      state.request = req;
      state.op = codec.resolveOperation(req, model);
      state.input = undefined;
      state.parseError = undefined;
      if (state.op) {
        try {
          state.input = codec.parseRequest(req, state.op, model);
        } catch (e) {
          if (!isServiceError(e)) throw e;
          state.parseError = e;
        }
      }
      const res = state.respond(state.op, state.input);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = String(v);
      const body = res.body === undefined ? Buffer.alloc(0) : typeof res.body === 'string' ? Buffer.from(res.body) : res.body;
      return { response: new HttpResponse({ statusCode: res.statusCode, headers, body: Readable.from(Buffer.isBuffer(body) ? [body] : body) }) };
    },
  };
  return { state, handler };
}

/** Deep copy with every Uint8Array the SDK returns for a blob as a Buffer, to compare with codec values. */
export function buffersOf(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(buffersOf);
  if (v instanceof Date || typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: buffersOf(x), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Strips the SDK's `$metadata` from a command output, blobs as Buffers. */
export function withoutMetadata<T extends { $metadata?: unknown }>(out: T): unknown {
  const { $metadata: _m, ...rest } = out;
  return buffersOf(rest);
}
