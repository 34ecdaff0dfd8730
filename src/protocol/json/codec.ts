/**
 * The awsJson 1.0 / 1.1 codec (DynamoDB, SQS, Kinesis, CloudWatch over JSON):
 * `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import { crc32 } from 'node:zlib';
import { ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { errorFacts } from './error-facts.js';
import { sendsResponseCrc32 } from '../quirks/response-crc32.js';
import { toJsonWire, writeJson } from './json-writer.js';
import { readInput } from './shape-reader.js';
import { requestBody, serializationError, setKey } from './wire-values.js';

const EMPTY_OBJECT = Buffer.from('{}');
const EMPTY_OBJECT_CRC = crc32(EMPTY_OBJECT);


function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

/** The error AWS's JSON services answer an X-Amz-Target they do not know with (DynamoDB sends no message). */
export function unknownOperationError(): ServiceError {
  return new ServiceError('UnknownOperationException', '', { status: 400, senderFault: true });
}

/** Parses a JSON request body; an empty body is `{}`. Malformed JSON is a SerializationException without a message, as DynamoDB answers it. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('');
  }
}

/** Serializes the body of an error: `__type`, the message and the error shape's modelled members. */
function errorBody(error: ServiceError, model: ServiceModel): { body: Buffer; status: number; code: string; queryError?: string } {
  const facts = errorFacts(error, model);
  const body: Record<string, unknown> = { __type: facts.type };
  const withMessage = facts.messageKey !== undefined && error.message !== '';
  if (facts.shape) {
    const values: Record<string, unknown> = { ...error.fields };
    const messageMember = facts.shape.memberList.find((m) => m.name.toLowerCase() === 'message');
    if (messageMember && withMessage) values[messageMember.name] = error.message;
    else if (withMessage) body[facts.messageKey!] = error.message;
    Object.assign(body, toJsonWire(facts.shape, values));
  } else {
    if (withMessage) body[facts.messageKey!] = error.message;
    for (const [k, v] of Object.entries(error.fields)) if (k !== '__type') setKey(body, k, v);
  }
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch {
    // Fields JSON cannot hold (a bigint, a cycle) must not turn an error answer into a crash.
    text = JSON.stringify(withMessage ? { __type: facts.type, [facts.messageKey!]: error.message } : { __type: facts.type });
  }
  return { body: Buffer.from(text, 'utf8'), status: facts.status, code: facts.code, queryError: facts.queryError };
}

/** The awsJson codec. */
export const jsonCodec: ProtocolCodec = {
  name: 'json',

  resolveOperation(req: WireRequest, model: ServiceModel): Operation | undefined {
    const target = header(req, 'x-amz-target');
    if (!target) return undefined;
    const dot = target.lastIndexOf('.');
    if (dot <= 0 || target.slice(0, dot) !== model.metadata.targetPrefix) return undefined;
    return model.operations.get(target.slice(dot + 1));
  },

  parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
    return readInput(op.input, parseJsonBody(requestBody(req)), 'json', model);
  },

  serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse {
    const text = op.output ? writeJson(op.output, output) : '{}';
    const body = text === '{}' ? EMPTY_OBJECT : Buffer.from(text, 'utf8');
    const headers: Record<string, string | number> = { 'Content-Type': contentType(model), 'x-amzn-RequestId': meta.requestId, 'Content-Length': body.length };
    if (sendsResponseCrc32(model)) headers['x-amz-crc32'] = body === EMPTY_OBJECT ? EMPTY_OBJECT_CRC : crc32(body);
    return { statusCode: 200, headers, body };
  },

  serializeError(error: ServiceError, _op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
    const { body, status, code, queryError } = errorBody(error, model);
    const headers: Record<string, string | number> = {
      ...error.headers,
      'Content-Type': contentType(model),
      'x-amzn-RequestId': meta.requestId,
      'x-amzn-ErrorType': code,
      'Content-Length': body.length,
    };
    if (queryError) headers['x-amzn-query-error'] = queryError;
    if (sendsResponseCrc32(model)) headers['x-amz-crc32'] = crc32(body);
    return { statusCode: status, headers, body };
  },
};
