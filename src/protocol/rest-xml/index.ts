/**
 * The rest-xml codec (S3, Route 53, CloudFront): operations routed by method and
 * URI template, members bound to labels, query, headers and an XML body.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { bindingPlan, hasStreamingInput, payloadBody, readBindings, requestStream, unwrapAwsChunked, writeBindings } from '../rest/bindings.js';
import { pathLabelsFor, resolveRestOperation } from '../rest/router.js';
import { requestIdHeaders, restQuirks } from '../quirks/rest-services.js';
import { readXmlBody, writeXmlOutput, writeXmlPayload } from './documents.js';
import { serializeXmlError } from './errors.js';

// S3 answers a query or header value it cannot read with InvalidArgument.
const BAD_BINDING_CODE = 'InvalidArgument';

function parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const input = op.input;
  if (!input) return out;
  const plan = bindingPlan(input);
  readBindings(plan, op, req, pathLabelsFor(req, op, model), out, BAD_BINDING_CODE);
  if (restQuirks(model).awsChunkedUploads) unwrapAwsChunked(plan, req, out);
  const payload = plan.payload;
  if (payload && payload.kind !== 'document') {
    if (payload.kind === 'stream' || payload.kind === 'eventstream') out[payload.name] = requestStream(req);
    else if (req.body.length > 0) out[payload.name] = payload.kind === 'string' ? req.body.toString('utf8') : req.body;
    return out;
  }
  readXmlBody(plan, input, req.body, out);
  return out;
}

function serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const quirks = restQuirks(model);
  const headers: WireResponse['headers'] = requestIdHeaders(quirks, meta.requestId, meta.hostId);
  let statusCode = op.http.responseCode ?? 200;
  const shape = op.output;
  if (!shape) return { statusCode, headers };
  const plan = bindingPlan(shape);
  statusCode = writeBindings(plan, output, headers) ?? statusCode;
  const rangeMember = quirks.partialContent.get(op.name);
  if (rangeMember !== undefined && output[rangeMember] !== undefined) statusCode = 206;
  let body: WireResponse['body'];
  const payload = plan.payload;
  if (payload) {
    const value = output[payload.name];
    if (payload.kind === 'document') body = writeXmlPayload(payload.member, value, model);
    else body = payloadBody(value);
    if (payload.kind === 'document' && body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/xml';
  } else if (plan.bodyMembers.length > 0 && op.http.method !== 'HEAD') {
    body = writeXmlOutput(op, output, model, quirks);
    if (headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/xml';
  }
  return body === undefined ? { statusCode, headers } : { statusCode, headers, body };
}

function serializeError(error: ServiceError, op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
  return serializeXmlError(error, op, model, meta);
}

/** The rest-xml protocol codec. */
export const restXmlCodec: ProtocolCodec = {
  name: 'rest-xml',
  resolveOperation: resolveRestOperation,
  hasStreamingInput,
  parseRequest,
  serializeResponse,
  serializeError,
};

/** Whether an operation's input is a streaming payload (the gateway then does not buffer the body). */
export { hasStreamingInput };
