/**
 * The ec2Query codec: query parameters with EC2's naming (`Filter.1.Value.1`, no
 * `.member`), responses rooted at `<OpResponse>` with `<requestId>` first and no
 * result wrapper, lists as `<item>`, errors as `<Response><Errors>`.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import type { ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from '../types.js';
import { compilersFor, readInput, resolveAction } from '../query/plans.js';
import type { StructWriter } from '../query/output.js';
import { XML_DECLARATION, escapeXml, escapeXmlAttribute } from '../xml/writer.js';

interface ResponsePlan {
  /** `<?xml …?><XResponse xmlns="…"><requestId>` */
  readonly head: string;
  /** `</requestId>` */
  readonly middle: string;
  readonly write: StructWriter | undefined;
  readonly tail: string;
}

/** EC2's response namespace: `http://ec2.amazonaws.com/doc/<apiVersion>/`, with the slash the model's value lacks. */
function ec2Namespace(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace ?? `http://ec2.amazonaws.com/doc/${model.metadata.apiVersion}`;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

function responsePlan(op: Operation, model: ServiceModel): ResponsePlan {
  let plan = op.plans.get('ec2:response') as ResponsePlan | undefined;
  if (plan) return plan;
  const root = `${op.name}Response`;
  const write = op.output ? compilersFor(model, 'ec2').output.structWriter(op.output) : undefined;
  plan = {
    head: `${XML_DECLARATION}\n<${root} xmlns="${escapeXmlAttribute(ec2Namespace(model))}"><requestId>`,
    middle: '</requestId>',
    write,
    // Operations without output answer <return>true</return>, as EC2 does (DeleteVpc, ...).
    tail: (op.output ? '' : '<return>true</return>') + `</${root}>`,
  };
  op.plans.set('ec2:response', plan);
  return plan;
}

function xmlResponse(status: number, body: string, requestId: string, extra?: Record<string, string>): WireResponse {
  const bytes = Buffer.from(body, 'utf8');
  return {
    statusCode: status,
    headers: { ...extra, 'content-type': 'text/xml;charset=UTF-8', 'content-length': bytes.length, 'x-amzn-requestid': requestId },
    body: bytes,
  };
}

/** Serializes an EC2 error: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function serializeEc2Error(error: ServiceError, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const status = error.status ?? model.errorsByCode.get(error.code)?.error?.httpStatusCode ?? 400;
  const body = `${XML_DECLARATION}\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors>`
    + `<RequestID>${escapeXml(meta.requestId)}</RequestID></Response>`;
  return xmlResponse(status, body, meta.requestId, error.headers);
}

/** The ec2Query codec. resolveOperation throws MissingAction, InvalidAction or MalformedQueryString as AWS answers them. */
export const ec2Codec: ProtocolCodec = {
  name: 'ec2',

  resolveOperation(req: WireRequest, model: ServiceModel): Operation {
    return resolveAction(req, model);
  },

  parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown> {
    return readInput(req, op, model, 'ec2');
  },

  serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse {
    const plan = responsePlan(op, model);
    const body = plan.head + escapeXml(meta.requestId) + plan.middle + (plan.write ? plan.write(output) : '') + plan.tail;
    return xmlResponse(200, body, meta.requestId);
  },

  serializeError(error: ServiceError, _op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
    return serializeEc2Error(error, model, meta);
  },
};
