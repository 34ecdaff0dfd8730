/**
 * REST-XML error bodies: S3's bare `<Error>` and the `<ErrorResponse>` form of
 * the other REST-XML services (Route 53, CloudFront, S3 Control).
 */
import type { Operation, ServiceModel, Shape } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';
import type { ResponseMeta, WireResponse } from '../types.js';
import { compileToText } from '../rest/values.js';
import { requestIdHeaders, restQuirks, s3HostId } from '../quirks/rest-services.js';
import { escapeText, memberWriter, elementName, XML_DECLARATION } from './xml-writer.js';
import { serviceNamespaceAttr } from './documents.js';

// Written by the codec itself, so fields of these names are not repeated.
const RESERVED = new Set(['Code', 'Message', 'message', 'RequestId', 'HostId', 'Type']);

/** The HTTP status of an error: its own, else the model's for its code, else 400. */
export function errorStatus(error: ServiceError, model: ServiceModel): number {
  return error.status ?? model.errorsByCode.get(error.code)?.error?.httpStatusCode ?? 400;
}

/** Writes the error's extra fields as elements (modelled members by their shape) and header-bound members as headers. */
function writeFields(error: ServiceError, shape: Shape | undefined, headers: Record<string, string | number | readonly string[]>): string {
  let out = '';
  for (const [k, v] of Object.entries(error.fields)) {
    if (v === undefined || v === null || RESERVED.has(k)) continue;
    const m = shape?.members[k];
    if (m?.location === 'header') {
      headers[m.locationName ?? k] = compileToText(m, 'rfc822')(v);
    } else if (m && !m.location) {
      out += memberWriter(m)(v, elementName(m), '');
    } else if (!m) {
      const text = v instanceof Date ? v.toISOString() : String(v);
      out += `<${k}>${escapeText(text)}</${k}>`;
    }
  }
  return out;
}

/** Serializes a ServiceError in the REST-XML form of the model's service; HEAD responses carry no body. */
export function serializeXmlError(error: ServiceError, op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse {
  const quirks = restQuirks(model);
  const headers: Record<string, string | number | readonly string[]> = requestIdHeaders(quirks, meta.requestId, meta.hostId);
  if (error.headers) Object.assign(headers, error.headers);
  const statusCode = errorStatus(error, model);
  const shape = model.errorsByCode.get(error.code);
  const fields = writeFields(error, shape, headers);
  // HEAD answers and 304 Not Modified (S3's conditional GET) carry no body.
  if (op?.http.method === 'HEAD' || statusCode === 304) return { statusCode, headers };
  headers['Content-Type'] = 'application/xml';
  const code = `<Code>${escapeText(error.code)}</Code><Message>${escapeText(error.message)}</Message>`;
  let body: string;
  if (quirks.xmlErrorStyle === 's3') {
    const hostId = `<HostId>${escapeText(meta.hostId ?? s3HostId(meta.requestId))}</HostId>`;
    body = `${XML_DECLARATION}<Error>${code}${fields}<RequestId>${escapeText(meta.requestId)}</RequestId>${hostId}</Error>`;
  } else {
    // Route 53 and CloudFront put their namespace on the error root too.
    const type = error.senderFault ? 'Sender' : 'Receiver';
    body = `${XML_DECLARATION}<ErrorResponse${serviceNamespaceAttr(model)}><Error><Type>${type}</Type>${code}${fields}</Error><RequestId>${escapeText(meta.requestId)}</RequestId></ErrorResponse>`;
  }
  return { statusCode, headers, body };
}
