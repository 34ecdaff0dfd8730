/**
 * The Smithy RPC v2 CBOR codec (CloudWatch lists it first):
 * `POST /service/<ServiceName>/operation/<OperationName>` with
 * `smithy-protocol: rpc-v2-cbor` and a CBOR map body; responses and errors are
 * CBOR maps too, errors naming their shape id in `__type`.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { errorFacts } from '../json/error-facts.js';
import { readInput } from '../json/shape-reader.js';
import { isPlainObject, requestBody, serializationError } from '../json/wire-values.js';
import { cborMembersWriter, cborWriter, writeUntyped } from './cbor-writer.js';
import { CborError, decodeCbor } from './decode.js';
import { CborSink } from './sink.js';

const OPERATION_SEGMENT = '/operation/';
const sink = new CborSink();

/** Decodes a request body into a map; an empty body is an empty input. */
export function parseCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = decodeCbor(body);
  } catch (e) {
    if (e instanceof CborError || e instanceof RangeError) throw serializationError(`Malformed CBOR body: ${e.message}`);
    throw e;
  }
  if (!isPlainObject(value)) throw serializationError('The CBOR body must be a map');
  return value;
}

function errorBody(error: ServiceError, model: ServiceModel): { body: Buffer; status: number; queryError?: string } {
  const facts = errorFacts(error, model);
  const withMessage = facts.messageKey !== undefined && error.message !== '';
  sink.reset();
  if (facts.shape) {
    const values: Record<string, unknown> = { ...error.fields };
    const messageMember = facts.shape.memberList.find((m) => m.name.toLowerCase() === 'message');
    if (messageMember && withMessage) values[messageMember.name] = error.message;
    const members = cborMembersWriter(facts.shape);
    const extra = withMessage && !messageMember ? 1 : 0;
    sink.head(5, 1 + extra + members.count(values));
    sink.text('__type');
    sink.text(facts.type);
    if (extra) { sink.text(facts.messageKey!); sink.text(error.message); }
    members.write(sink, values);
  } else {
    const fields = Object.entries(error.fields).filter(([k, v]) => v !== undefined && k !== '__type');
    sink.head(5, 1 + (withMessage ? 1 : 0) + fields.length);
    sink.text('__type');
    sink.text(facts.type);
    if (withMessage) { sink.text(facts.messageKey!); sink.text(error.message); }
    for (const [k, v] of fields) { sink.text(k); writeUntyped(sink, v); }
  }
  return { body: sink.take(), status: facts.status, queryError: facts.queryError };
}

/** The rpcv2Cbor codec. */
export const cborCodec: ProtocolCodec = {
  name: 'smithy-rpc-v2-cbor',

  resolveOperation(req: WireRequest, model: ServiceModel): Operation | undefined {
    if (req.method !== 'POST') return undefined;
    // The service name is the Smithy service shape's (e.g. GraniteServiceVersion20100801); any is accepted.
    const at = req.path.lastIndexOf(OPERATION_SEGMENT);
    if (at < 0 || req.path.lastIndexOf('/service/', at) < 0) return undefined;
    const name = req.path.slice(at + OPERATION_SEGMENT.length);
    return name.includes('/') ? undefined : model.operations.get(name);
  },

  parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
    return readInput(op.input, parseCborBody(requestBody(req)), 'cbor', model);
  },

  serializeResponse(output: Record<string, unknown>, op: Operation, _model: ServiceModel, meta: ResponseMeta): WireResponse {
    // An operation without output answers with no body and no Content-Type (Smithy RPC v2 spec).
    if (!op.output) {
      return { statusCode: 200, headers: { 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-RequestId': meta.requestId, 'Content-Length': 0 }, body: Buffer.alloc(0) };
    }
    sink.reset();
    cborWriter(op.output)(sink, output);
    const body = sink.take();
    return {
      statusCode: 200,
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor', 'x-amzn-RequestId': meta.requestId, 'Content-Length': body.length },
      body,
    };
  },

  serializeError(error: ServiceError, _op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
    const { body, status, queryError } = errorBody(error, model);
    const headers: Record<string, string | number> = {
      ...error.headers,
      'smithy-protocol': 'rpc-v2-cbor',
      'Content-Type': 'application/cbor',
      'x-amzn-RequestId': meta.requestId,
      'Content-Length': body.length,
    };
    if (queryError) headers['x-amzn-query-error'] = queryError;
    return { statusCode: status, headers, body };
  },
};
