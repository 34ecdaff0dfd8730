/**
 * What an error looks like on the awsJson and rpcv2Cbor wires: the `__type`
 * shape id, the HTTP status, the message key, and for awsQueryCompatible
 * services (SQS, CloudWatch) the `x-amzn-query-error` header that carries the
 * old query error code. Both codecs build their error bodies from these facts.
 */
import { queryCompatFor } from '../quirks/query-compat.js';
import type { ServiceModel, Shape } from '../../models/model.js';
import type { ServiceError } from '../../shared/errors.js';

/** The errors AWS's JSON front end (Coral) raises itself, with the namespace it puts in `__type`. */
const FRAMEWORK_ERRORS: Readonly<Record<string, string>> = {
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
  AccessDeniedException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  ExpiredTokenException: 'com.amazon.coral.service',
  RequestExpired: 'com.amazon.coral.service',
  ThrottlingException: 'com.amazon.coral.availability',
  ValidationException: 'com.amazon.coral.validate',
};

/** Coral errors whose body spells the key `Message` (DynamoDB: SerializationException, AccessDeniedException). */
const CAPITAL_MESSAGE = new Set(['SerializationException', 'AccessDeniedException']);

/** Smithy namespaces that differ from `com.amazonaws.<service id>`. */
const NAMESPACES: Readonly<Record<string, string>> = {
  dynamodb: 'com.amazonaws.dynamodb.v20120810',
  'streams.dynamodb': 'com.amazonaws.dynamodb.v20120810',
};

/** The Smithy namespace of a service's own shapes, as AWS writes it before '#' in `__type`. */
export function errorNamespace(model: ServiceModel): string {
  const md = model.metadata;
  return NAMESPACES[md.endpointPrefix] ?? `com.amazonaws.${md.serviceId.toLowerCase().replace(/ /g, '')}`;
}

/** Everything a codec needs to write one error. */
export interface ErrorFacts {
  /** The modelled error shape, when the code names one. */
  readonly shape: Shape | undefined;
  /** The shape id for `__type`, e.g. `com.amazonaws.sqs#QueueDoesNotExist`. */
  readonly type: string;
  /** The short code, e.g. `QueueDoesNotExist`. */
  readonly code: string;
  readonly status: number;
  /** The body key of the message (`message` or `Message`), or undefined to send none. */
  readonly messageKey: string | undefined;
  /** `x-amzn-query-error` for awsQueryCompatible services: `<query code>;Sender|Receiver`. */
  readonly queryError: string | undefined;
}

/** The error shape a code names: the shape name, the model's error code, or the query-compatible code. */
export function errorShape(code: string, model: ServiceModel): Shape | undefined {
  const shape = model.errorsByCode.get(code);
  if (shape || !model.metadata.awsQueryCompatible) return shape;
  const name = queryCompatFor(model)?.shapeByCode(code);
  return name === undefined ? undefined : model.shapes.get(name);
}

/** Works out the wire facts of `error` for `model`. */
export function errorFacts(error: ServiceError, model: ServiceModel): ErrorFacts {
  const shape = errorShape(error.code, model);
  const code = shape?.name ?? error.code;
  const compat = shape && model.metadata.awsQueryCompatible ? queryCompatFor(model)?.errorByShape(shape.name) : undefined;
  const status = error.status ?? shape?.error?.httpStatusCode ?? compat?.httpStatusCode ?? (shape?.fault ? 500 : 400);
  const senderFault = error.status !== undefined ? error.senderFault : status < 500;
  const ns = shape ? errorNamespace(model) : FRAMEWORK_ERRORS[code] ?? errorNamespace(model);
  let messageKey: string | undefined;
  const modelled = shape?.memberList.find((m) => m.name.toLowerCase() === 'message');
  if (modelled) messageKey = modelled.locationName ?? modelled.name;
  else if (error.message !== '') messageKey = CAPITAL_MESSAGE.has(code) ? 'Message' : 'message';
  let queryError: string | undefined;
  if (model.metadata.awsQueryCompatible) {
    const queryCode = shape?.error?.code ?? compat?.code ?? code;
    queryError = `${queryCode};${senderFault ? 'Sender' : 'Receiver'}`;
  }
  return { shape, type: `${ns}#${code}`, code, status, messageKey, queryError };
}
