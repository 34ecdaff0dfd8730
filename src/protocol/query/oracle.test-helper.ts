/**
 * Test helpers (no tests of their own): drive a real SDK v3 client through a codec
 * as the gateway would, and run botocore's clients as oracles against a codec
 * served over node:http.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';
import type { Operation, ServiceModel } from '../../models/model.js';
import { ServiceError, isServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, WireRequest, WireResponse } from '../types.js';

/** What a service stand-in answers: an output, or a thrown ServiceError. */
export type Serve = (op: Operation, input: Record<string, unknown>) => Record<string, unknown>;

/** What the last exchange through the codec looked like. */
export interface Exchange {
  op?: Operation;
  input?: Record<string, unknown>;
  wire?: WireRequest;
  response?: WireResponse;
}

function decodeQuery(raw: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(raw)) (out[k] ??= []).push(v);
  return out;
}

/** Runs one request through the codec the way the gateway does; errors (also from resolveOperation) go through serializeError. */
export function exchange(codec: ProtocolCodec, model: ServiceModel, wire: WireRequest, serve: Serve, seen: Exchange = {}): WireResponse {
  seen.wire = wire;
  seen.op = undefined;
  seen.input = undefined;
  const meta = { requestId: 'c6104cbe-af31-11e0-8154-cbc7ccf896c7' };
  let op: Operation | undefined;
  try {
    op = codec.resolveOperation(wire, model);
    if (!op) throw new ServiceError('InvalidAction', 'no operation', { status: 400 });
    seen.op = op;
    const input = codec.parseRequest(wire, op, model);
    seen.input = input;
    seen.response = codec.serializeResponse(serve(op, input), op, model, meta);
  } catch (e) {
    if (!isServiceError(e)) throw e;
    seen.response = codec.serializeError(e, op, model, meta);
  }
  return seen.response;
}

/** A WireRequest from the parts of an HTTP request. */
export function wireRequest(method: string, url: string, headers: Record<string, string>, body: Buffer | string): WireRequest {
  const q = url.indexOf('?');
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return {
    method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery,
    query: decodeQuery(rawQuery),
    headers: lower,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    host: lower.host ?? 'localhost:4566',
  };
}

interface SdkRequest { method: string; path: string; query?: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown }

/** The config that makes an SDK v3 client talk to the codec in-process. */
export function sdkConfig(codec: ProtocolCodec, model: ServiceModel, serve: Serve, seen: Exchange) {
  return {
    endpoint: 'http://localhost:4566',
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: SdkRequest) => {
        const qs = new URLSearchParams();
        for (const [k, v] of Object.entries(request.query ?? {})) {
          if (v === null) qs.append(k, '');
          else for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
        }
        const raw = qs.toString();
        const body = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? Buffer.from(request.body) : '';
        const res = exchange(codec, model, wireRequest(request.method, request.path + (raw ? `?${raw}` : ''), request.headers, body), serve, seen);
        const bytes = typeof res.body === 'string' ? Buffer.from(res.body) : (res.body as Buffer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) headers[k] = String(v);
        return { response: new HttpResponse({ statusCode: res.statusCode, headers, body: Readable.from([bytes]) }) };
      },
    },
  };
}

/** Converts SDK outputs for exact comparison: Uint8Array → Buffer, and drops $metadata. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== '$metadata' && v !== undefined) out[k] = plain(v);
  return out;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Serves a codec over node:http on a free port (for out-of-process clients such as botocore). */
export async function serveCodec(codec: ProtocolCodec, model: ServiceModel, serve: Serve, log: Exchange[]): Promise<{ server: Server; endpoint: string }> {
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const seen: Exchange = {};
    const r = exchange(codec, model, wireRequest(req.method ?? 'GET', req.url ?? '/', headers, body), serve, seen);
    log.push(seen);
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(r.headers)) out[k] = typeof v === 'number' ? v : String(v);
    res.writeHead(r.statusCode, out);
    res.end(r.body as Buffer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

/** Runs a Python script with JSON on stdin; resolves with its parsed JSON stdout. */
export function runPython(python: string, script: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${python} exited ${code}: ${err}`));
      else {
        try { resolve(JSON.parse(out)); } catch { reject(new Error(`bad JSON from ${python}: ${out}\n${err}`)); }
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
