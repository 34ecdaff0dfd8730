/**
 * The contract between the gateway and the wire codecs: a buffered request in,
 * a typed input out; a typed output or a ServiceError in, a response out.
 */
import type { Readable } from 'node:stream';
import type { Operation, ServiceModel } from '../models/model.js';
import type { ServiceError } from '../shared/errors.js';

/** The wire protocols the AWS models use. */
export type ProtocolName = 'json' | 'query' | 'ec2' | 'rest-json' | 'rest-xml' | 'smithy-rpc-v2-cbor';

/** Header values as node delivers them: lower-cased names. */
export type Headers = Record<string, string | string[] | undefined>;

/** An HTTP request as codecs see it. */
export interface WireRequest {
  readonly method: string;
  /** The path exactly as sent, without the query string, still percent-encoded. */
  readonly path: string;
  /** The raw query string without the leading '?', possibly empty. */
  readonly rawQuery: string;
  /** Decoded query parameters; a parameter given without '=' has the value ''. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Headers;
  /** The whole body, when the operation's input is not a streaming payload. */
  readonly body: Buffer;
  /** The body as a stream, when the operation's input has a streaming payload member. */
  readonly bodyStream?: Readable;
  /** The Host header (or HTTP/2 :authority), lower-cased. */
  readonly host: string;
}

/** An HTTP response as codecs produce it. */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | number | readonly string[]>;
  /** The body: bytes, text, or a stream for streaming payloads. */
  body?: Buffer | string | Readable;
}

/** What a codec needs to know about the exchange besides the model. */
export interface ResponseMeta {
  readonly requestId: string;
  /** S3's x-amz-id-2 host id. */
  readonly hostId?: string;
}

/** One codec per wire protocol. Codecs never import a service. */
export interface ProtocolCodec {
  readonly name: ProtocolName;
  /** The operation the request names (X-Amz-Target, Action, URI template, CBOR path), or undefined. */
  resolveOperation(req: WireRequest, model: ServiceModel): Operation | undefined;
  /** Whether this operation's input body is a streaming payload (rest protocols); the gateway then does not buffer. */
  hasStreamingInput?(op: Operation): boolean;
  /** Parses the request into the operation's input; throws a ServiceError (SerializationException and the like) for malformed input. */
  parseRequest(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown>;
  /** Serializes an operation's output. */
  serializeResponse(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse;
  /** Serializes an error in the form this protocol's clients parse. */
  serializeError(error: ServiceError, op: Operation | undefined, model: ServiceModel, meta: ResponseMeta): WireResponse;
}
