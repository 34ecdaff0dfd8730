/**
 * The error answer when no service or codec is known yet (own routes, undetectable
 * requests): the JSON form most clients can read.
 */
import type { ServiceError } from '../shared/errors.js';
import type { ResponseMeta, WireResponse } from '../protocol/types.js';

/** A JSON error response with x-amzn-RequestId and x-amzn-ErrorType. */
export function fallbackError(error: ServiceError, meta: ResponseMeta): WireResponse {
  return {
    statusCode: error.status ?? 400,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': meta.requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message, ...error.fields }),
  };
}
