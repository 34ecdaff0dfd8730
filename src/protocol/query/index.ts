/**
 * The awsQuery codec (STS, SNS, IAM, CloudFormation; SQS and CloudWatch for older
 * clients): form-encoded or query-string parameters in, XML out.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import { queryCompatFor, queryErrorWire, queueUrlFromPath } from '../quirks/query-compat.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { escapeXml, escapeXmlAttribute } from '../xml/writer.js';
import { compilersFor, queryNamespace, readInput, resolveAction } from './plans.js';
import type { StructWriter } from './output.js';

interface ResponsePlan {
  /** `<XResponse xmlns="..."><XResult>` */
  readonly head: string;
  readonly write: StructWriter | undefined;
  /** `</XResult><ResponseMetadata><RequestId>` */
  readonly middle: string;
  /** `</RequestId></ResponseMetadata></XResponse>` */
  readonly tail: string;
}

const ERROR_SKIP = new Set(['message', 'Message', 'Code', 'Type']);

function responsePlan(op: Operation, model: ServiceModel): ResponsePlan {
  let plan = op.plans.get('query:response') as ResponsePlan | undefined;
  if (plan) return plan;
  const compat = queryCompatFor(model);
  // awsQueryCompatible operations newer than the query model still follow the `<Op>Result` convention.
  const wrapper = op.resultWrapper ?? compat?.resultWrapper(op) ?? (op.output && model.metadata.awsQueryCompatible ? `${op.name}Result` : undefined);
  const root = `${op.name}Response`;
  const write = op.output ? compilersFor(model, 'query').output.structWriter(op.output) : undefined;
  const open = `<${root} xmlns="${escapeXmlAttribute(queryNamespace(model))}">`;
  const hasResult = wrapper !== undefined && op.output !== undefined;
  plan = {
    head: open + (hasResult ? `<${wrapper}>` : ''),
    write,
    middle: (hasResult ? `</${wrapper}>` : '') + '<ResponseMetadata><RequestId>',
    tail: `</RequestId></ResponseMetadata></${root}>`,
  };
  op.plans.set('query:response', plan);
  return plan;
}

function xmlResponse(status: number, body: string, requestId: string, extra?: Record<string, string>): WireResponse {
  const bytes = Buffer.from(body, 'utf8');
  return {
    statusCode: status,
    headers: { ...extra, 'content-type': 'text/xml', 'content-length': bytes.length, 'x-amzn-requestid': requestId },
    body: bytes,
  };
}

/** Serializes a query error: `<ErrorResponse><Error><Type/><Code/><Message/>…</Error><RequestId/></ErrorResponse>`. */
export function serializeQueryError(error: ServiceError, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const wire = queryErrorWire(model, error.code);
  const status = error.status ?? wire.status ?? 400;
  const sender = error.status === undefined ? (wire.senderFault ?? status < 500) : error.senderFault;
  let fields = '';
  if (wire.shape && error.fields && Object.keys(error.fields).length) {
    let write = wire.shape.plans.get('query:error') as StructWriter | undefined;
    if (!write) {
      write = compilersFor(model, 'query').output.structWriterExcept(wire.shape, ERROR_SKIP);
      wire.shape.plans.set('query:error', write);
    }
    fields = write(error.fields);
  }
  const body = `<ErrorResponse xmlns="${escapeXmlAttribute(queryNamespace(model))}"><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type>`
    + `<Code>${escapeXml(wire.code)}</Code><Message>${escapeXml(error.message)}</Message>${fields}</Error>`
    + `<RequestId>${escapeXml(meta.requestId)}</RequestId></ErrorResponse>`;
  return xmlResponse(status, body, meta.requestId, error.headers);
}

/** The awsQuery codec. resolveOperation throws MissingAction, InvalidAction or MalformedQueryString as AWS answers them. */
export const queryCodec: ProtocolCodec = {
  name: 'query',

  resolveOperation(req: WireRequest, model: ServiceModel): Operation {
    return resolveAction(req, model);
  },

  parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
    const input = readInput(req, op, model, 'query');
    if (req.path.length > 1) queueUrlFromPath(model, op, req, input);
    return input;
  },

  serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse {
    const plan = responsePlan(op, model);
    const body = plan.head + (plan.write ? plan.write(output) : '') + plan.middle + escapeXml(meta.requestId) + plan.tail;
    return xmlResponse(200, body, meta.requestId);
  },

  serializeError(error: ServiceError, _op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
    return serializeQueryError(error, model, meta);
  },
};
