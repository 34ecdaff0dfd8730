/**
 * Which service a request is for, from the cheapest reliable signal to the weakest:
 * X-Amz-Target, the SigV4 credential scope, the CBOR path, the Host, query-protocol
 * Action/Version, SQS queue-URL paths; S3 takes what is left (browser and anonymous requests).
 */
import type { Exchange } from './exchange.js';
import type { LoadedService, ServiceTable } from './services.js';

const CBOR_PATH = /^\/service\/[^/]+\/operation\/[^/]+$/;
const QUEUE_URL_PATH = /^\/\d{12}\/[^/]+\/?$/;

/** The detected service, or undefined when no AWS service matches. */
export function detectService(x: Exchange, table: ServiceTable): LoadedService | undefined {
  const target = x.header('x-amz-target');
  if (target) {
    const dot = target.lastIndexOf('.');
    const s = dot > 0 ? table.byTargetPrefix(target.slice(0, dot)) : undefined;
    if (s) return s;
  }
  const signing = x.auth?.service;
  if (signing) {
    const list = table.bySigningName(signing);
    if (list.length === 1) return list[0];
    if (list.length > 1) return list.find((s) => !s.model.metadata.targetPrefix || !target) ?? list[0];
  }
  if (x.method === 'POST' && CBOR_PATH.test(x.path) && x.header('smithy-protocol') === 'rpc-v2-cbor') {
    const op = x.path.slice(x.path.lastIndexOf('/') + 1);
    const s = table.implemented().find((i) => i.model.protocols.includes('smithy-rpc-v2-cbor') && i.model.operations.has(op));
    if (s) return s;
  }
  const byHost = fromHost(x.host, table);
  if (byHost) return byHost;
  const action = actionOf(x);
  if (action) {
    if (QUEUE_URL_PATH.test(x.path)) return table.byEndpointPrefix('sqs');
    const version = x.query.Version?.[0] ?? formParam(x.body, 'Version');
    const s = table.implemented().find((i) => i.model.operations.has(action) && (!version || i.model.metadata.apiVersion === version));
    if (s) return s;
  }
  return table.byEndpointPrefix('s3');
}

/** `sqs.us-east-1.amazonaws.com`, `sts.localhost`, `monitoring.us-west-2.localhost.localstack.cloud`. */
function fromHost(host: string, table: ServiceTable): LoadedService | undefined {
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  const first = host.slice(0, dot);
  if (first === 's3' || first.startsWith('s3-')) return undefined;
  return table.implementedByName(first);
}

function actionOf(x: Exchange): string | undefined {
  const fromQuery = x.query.Action?.[0];
  if (fromQuery) return fromQuery;
  const ct = x.header('content-type');
  if (x.method === 'POST' && x.bodyRead && ct && ct.startsWith('application/x-www-form-urlencoded')) return formParam(x.body, 'Action');
  return undefined;
}

/** One parameter of a form body, without decoding the rest. */
function formParam(body: Buffer, name: string): string | undefined {
  if (body.length === 0) return undefined;
  const text = body.toString('latin1');
  const key = `${name}=`;
  let at = text.startsWith(key) ? 0 : text.indexOf(`&${key}`);
  if (at < 0) return undefined;
  if (at > 0) at += 1;
  const end = text.indexOf('&', at);
  const raw = text.slice(at + key.length, end < 0 ? undefined : end);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
