/**
 * The rest-json codec (Lambda, API Gateway, most newer services): operations
 * routed by method and URI template, members bound to labels, query, headers
 * and a JSON body.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { bindingPlan, hasStreamingInput, payloadBody, readBindings, requestStream, writeBindings } from '../rest/bindings.js';
import { pathLabelsFor, resolveRestOperation } from '../rest/router.js';
import { compileToText } from '../rest/values.js';
import { requestIdHeaders, restQuirks } from '../quirks/rest-services.js';
import { memberJsonReader, memberJsonWriter, parseJson, shapeJsonReader, shapeJsonWriter } from './json-body.js';

const BAD_BINDING_CODE = 'SerializationException';
const JSON_TYPE = 'application/json';

function parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const input = op.input;
  if (!input) return out;
  const plan = bindingPlan(input);
  readBindings(plan, op, req, pathLabelsFor(req, op, model), out, BAD_BINDING_CODE);
  const payload = plan.payload;
  if (payload) {
    if (payload.kind === 'stream' || payload.kind === 'eventstream') out[payload.name] = requestStream(req);
    else if (req.body.length === 0) return out;
    else if (payload.kind === 'blob') out[payload.name] = req.body;
    else if (payload.kind === 'string') out[payload.name] = req.body.toString('utf8');
    else out[payload.name] = memberJsonReader(payload.member)(parseJson(req.body));
    return out;
  }
  if (plan.bodyMembers.length === 0 || req.body.length === 0) return out;
  Object.assign(out, shapeJsonReader(input)(parseJson(req.body)));
  return out;
}

function serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const headers: WireResponse['headers'] = requestIdHeaders(restQuirks(model), meta.requestId, meta.hostId);
  let statusCode = op.http.responseCode ?? 200;
  const shape = op.output;
  if (!shape) return { statusCode, headers };
  const plan = bindingPlan(shape);
  statusCode = writeBindings(plan, output, headers) ?? statusCode;
  let body: WireResponse['body'];
  const payload = plan.payload;
  if (payload) {
    const value = output[payload.name];
    if (payload.kind === 'document') {
      if (value !== undefined && value !== null) body = memberJsonWriter(payload.member)(value);
    } else {
      body = payloadBody(value);
    }
    if (payload.kind === 'document' && body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = JSON_TYPE;
  } else if (plan.bodyMembers.length > 0) {
    body = shapeJsonWriter(shape)(output);
    if (headers['Content-Type'] === undefined) headers['Content-Type'] = JSON_TYPE;
  }
  return body === undefined ? { statusCode, headers } : { statusCode, headers, body };
}

/**
 * Error body: the message under the error shape's own message member (`Message` for Lambda,
 * `message` otherwise: the SDKs read either), the modelled fields, and the code in
 * `x-amzn-ErrorType`, where SDK v3 and botocore look first.
 */
function serializeError(error: ServiceError, op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const quirks = restQuirks(model);
  const shape = model.errorsByCode.get(error.code);
  const statusCode = error.status ?? shape?.error?.httpStatusCode ?? 400;
  const headers: WireResponse['headers'] = requestIdHeaders(quirks, meta.requestId, meta.hostId);
  headers['x-amzn-ErrorType'] = error.code;
  if (error.headers) Object.assign(headers, error.headers);
  const messageKey = shape?.members['Message'] && !shape.members['message'] ? 'Message' : 'message';
  let body = `{${JSON.stringify(messageKey)}:${JSON.stringify(error.message)}`;
  for (const [k, v] of Object.entries(error.fields)) {
    if (v === undefined || v === null || k === 'message' || k === 'Message') continue;
    const m = shape?.members[k];
    if (m?.location === 'header') headers[m.locationName ?? k] = compileToText(m, 'rfc822')(v);
    else if (m && !m.location) body += `,${JSON.stringify(m.locationName ?? k)}:${memberJsonWriter(m)(v)}`;
    else if (!m) body += `,${JSON.stringify(k)}:${JSON.stringify(v instanceof Date ? v.getTime() / 1000 : v) ?? 'null'}`;
  }
  // Lambda says whose fault it was in `Type` (User or Service) beside the message.
  if (quirks.errorTypeField && shape?.members['Type'] && error.fields['Type'] === undefined) {
    body += `,"Type":${error.senderFault ? '"User"' : '"Service"'}`;
  }
  body += '}';
  if (op?.http.method === 'HEAD' || statusCode === 304) return { statusCode, headers };
  headers['Content-Type'] = JSON_TYPE;
  return { statusCode, headers, body };
}

/** The rest-json protocol codec. */
export const restJsonCodec: ProtocolCodec = {
  name: 'rest-json',
  resolveOperation: resolveRestOperation,
  hasStreamingInput,
  parseRequest,
  serializeResponse,
  serializeError,
};

/** Whether an operation's input is a streaming payload (the gateway then does not buffer the body). */
export { hasStreamingInput };
