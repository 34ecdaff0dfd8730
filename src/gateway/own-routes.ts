/**
 * Nimbus's own endpoints (/_nimbus/*, and /_localstack/health for tooling written
 * for LocalStack) and CORS preflight answers, so browser SDKs work.
 */
import type { Exchange } from './exchange.js';
import { drainRequest, writeResponse } from './exchange.js';
import type { ServiceTable } from './services.js';
import type { Storage } from '../state/storage.js';
import { VERSION } from '../version.js';

/** What own routes need from the gateway. */
export interface OwnRouteHost {
  readonly services: ServiceTable;
  readonly storage: Storage;
  readonly startedAt: number;
  readonly unimplementedCalls: ReadonlyMap<string, number>;
}

const EXPOSE = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,x-amz-request-id,x-amz-id-2,ETag,x-amz-version-id,x-amz-delete-marker,x-amz-server-side-encryption,Date,Content-Length,Content-Range';

/** CORS headers for a response to a request with an Origin. */
export function corsHeaders(x: Exchange): Record<string, string> {
  return {
    'access-control-allow-origin': x.header('origin') ?? '*',
    'access-control-expose-headers': EXPOSE,
    'access-control-allow-credentials': 'true',
  };
}

function json(x: Exchange, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  x.response = { statusCode: status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': x.requestId }, body: text };
  writeResponse(x.res, x.response);
  return true;
}

/** Answers the request if it is one of nimbus's own; returns whether it did. */
export async function ownRoute(x: Exchange, host: OwnRouteHost): Promise<boolean> {
  const path = x.path;
  if (!path.startsWith('/_nimbus/') && !path.startsWith('/_localstack/')) return false;
  if ((path === '/_nimbus/health' || path === '/_localstack/health') && (x.method === 'GET' || x.method === 'HEAD')) {
    return json(x, 200, health(host));
  }
  if (x.method === 'GET' || x.method === 'HEAD') {
    for (const s of host.services.implemented()) {
      const route = s.definition?.routes?.find((r) => r.path === path);
      if (route && s.provider) {
        const a = route.answer(s.provider, x.query);
        x.response = { statusCode: a.status, headers: { 'content-type': a.contentType, 'x-amzn-requestid': x.requestId }, body: a.body };
        writeResponse(x.res, x.response);
        return true;
      }
    }
  }
  if (path === '/_nimbus/reset' && x.method === 'POST') {
    drainRequest(x.req);
    host.storage.reset();
    return json(x, 200, { reset: true });
  }
  return json(x, 404, { __type: 'NotFound', message: `no nimbus route ${x.method} ${path}` });
}

/** Whether the request is a browser CORS preflight. */
export function isPreflight(x: Exchange): boolean {
  return x.method === 'OPTIONS' && x.header('origin') !== undefined && x.header('access-control-request-method') !== undefined;
}

/** The permissive preflight answer for services without CORS rules of their own (browser SDKs). */
export function permissivePreflight(x: Exchange): Record<string, string> {
  return {
    'access-control-allow-origin': x.header('origin')!,
    'access-control-allow-methods': 'HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH',
    'access-control-allow-headers': x.header('access-control-request-headers') ?? '*',
    'access-control-expose-headers': EXPOSE,
    'access-control-allow-credentials': 'true',
    'access-control-max-age': '86400',
  };
}

/** The health document: version, uptime, services and their state, unimplemented operations called. */
export function health(host: OwnRouteHost): Record<string, unknown> {
  const services: Record<string, string> = {};
  for (const s of host.services.implemented()) services[s.name] = s.provider ? 'running' : 'available';
  const unimplemented: Record<string, number> = {};
  for (const [k, v] of host.unimplementedCalls) unimplemented[k] = v;
  return {
    version: VERSION,
    edition: 'nimbus',
    uptime: Math.round((Date.now() - host.startedAt) / 1000),
    services,
    unimplementedCalls: unimplemented,
    persistence: host.storage.ephemeral ? 'ephemeral' : host.storage.dataDir,
  };
}
