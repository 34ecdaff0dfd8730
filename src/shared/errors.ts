/**
 * The one error type services throw. Codecs turn it into the wire form of the
 * request's protocol; anything else thrown becomes a logged 500 InternalFailure.
 */

/** Options for a ServiceError beyond its code and message. */
export interface ServiceErrorOptions {
  /** HTTP status; when absent, the model's error shape decides (httpStatusCode), else 400. */
  status?: number;
  /** True when the caller is at fault (query protocols write Type Sender, else Receiver). */
  senderFault?: boolean;
  /** Modelled extra members of the error shape (S3's BucketName, DynamoDB's Item, ...). */
  fields?: Record<string, unknown>;
  /** Extra response headers (e.g. S3's x-amz-delete-marker on a 404). */
  headers?: Record<string, string>;
}

/** An AWS error: code, message, status and the modelled extra fields. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly senderFault: boolean;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = options.status;
    this.senderFault = options.senderFault ?? (options.status === undefined || options.status < 500);
    this.fields = options.fields ?? {};
    this.headers = options.headers;
  }
}

/** True for a ServiceError (also across module instances). */
export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'ServiceError');
}

/** The error every service answers for an operation the model has and nimbus does not implement yet. */
export function notImplemented(service: string, operation: string): ServiceError {
  return new ServiceError('NotImplemented', `The operation ${operation} of service ${service} is not implemented by nimbus yet`, { status: 501, senderFault: false });
}

/** A 500 for an unexpected failure inside nimbus. */
export function internalFailure(): ServiceError {
  return new ServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { status: 500, senderFault: false });
}
