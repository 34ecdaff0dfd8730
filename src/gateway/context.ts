/**
 * What a provider's handler receives besides its input, and what a service is
 * created with. Services import these types only.
 */
import type { Principal } from '../shared/principal.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Storage } from '../state/storage.js';
import type { CredentialStore } from '../state/credentials.js';
import type { NimbusConfig } from '../config.js';
import type { WireRequest, WireResponse } from '../protocol/types.js';
import type { Readable } from 'node:stream';

/** Calls another service in-process through the same dispatch as an external request. */
export interface InternalClient {
  /**
   * Invokes `operation` of the service with endpoint prefix `service`, as `principal`
   * (default: the account's root), in `region` (default: the caller's or the configured one).
   * Validation and authorization apply; a failure throws the ServiceError the service threw.
   */
  call(service: string, operation: string, input: Record<string, unknown>, options?: { principal?: Principal; region?: string; account?: string }): Promise<Record<string, unknown>>;
}

/** The context of one operation call. */
export interface RequestContext {
  readonly requestId: string;
  /** The account whose resources the call acts on: the principal's account. */
  readonly account: string;
  readonly region: string;
  readonly principal: Principal;
  /** The service's endpoint prefix (sts, s3, sqs, ...). */
  readonly service: string;
  readonly operation: string;
  readonly clock: Clock;
  readonly internal: InternalClient;
  readonly logger: Logger;
  /** scheme://host[:port] as the client addressed nimbus, for URLs in responses (queue URLs, ...). */
  readonly endpoint: string;
  /** Whether the call came from another service through the internal client. */
  readonly internalCall: boolean;
}

/** What a service is created with. */
export interface ServiceEnv {
  readonly storage: Storage;
  readonly credentials: CredentialStore;
  readonly config: NimbusConfig;
  readonly clock: Clock;
  readonly internal: InternalClient;
  readonly logger: Logger;
}

/** One operation handler. */
export type OperationHandler = (ctx: RequestContext, input: never) => Promise<object>;

/** A provider: operation handlers by camelCase operation name; missing operations answer 501. */
export type Provider = object;

/** How a service plugs into nimbus. */
export interface ServiceDefinition {
  /** The model's endpoint prefix; also the folder name under src/services. */
  readonly name: string;
  /** Creates the provider (and its stores) for one nimbus instance. */
  create(env: ServiceEnv): Provider | Promise<Provider>;
  /** Stops background work (sweepers, pollers) when nimbus stops. */
  stop?(): void | Promise<void>;
  /** Plain HTTP endpoints the service serves under /_nimbus/ (e.g. SNS's signing certificate). */
  readonly routes?: readonly OwnRoute[];
  /** Browser CORS answered from the service's own configuration (S3 bucket CORS rules). */
  readonly cors?: ServiceCors;
  /**
   * Requests the service answers outside its API model (S3 website endpoints, browser POST
   * uploads): a cheap synchronous test of the request, returning the handler that answers it,
   * or undefined to route it as an operation. Called once per request after service detection.
   */
  readonly intercept?: (provider: Provider, req: WireRequest) => InterceptHandler | undefined;
}

/** Answers an intercepted request; a thrown ServiceError is serialized in the service's protocol. */
export type InterceptHandler = (io: InterceptIO) => Promise<WireResponse>;

/** What the gateway lends an intercepted request's handler. */
export interface InterceptIO {
  readonly requestId: string;
  /** The request body, unread. */
  readonly body: Readable;
  /**
   * The principal and secret of an access key as the gateway authenticates signed requests
   * (issued keys, the local `test` key, 12-digit account keys); the secret is undefined when
   * nimbus does not check that key's signatures, the whole answer when the key is refused.
   */
  credential(accessKeyId: string): { principal: Principal; secret?: string; sessionToken?: string } | undefined;
  /** The context of an operation call made on behalf of this request. */
  context(operation: string, principal: Principal, region: string): RequestContext;
}

/** How a service answers browser CORS itself; undefined answers leave it to the gateway's permissive default. */
export interface ServiceCors {
  /** The headers of a 200 answer to a preflight; throws the service's error for a refused one. */
  preflight(provider: Provider, req: WireRequest): Record<string, string> | undefined;
  /** The CORS headers of an actual response ({} for none). */
  actual(provider: Provider, req: WireRequest): Record<string, string> | undefined;
}

/** A GET endpoint of a service outside its AWS API, answered from its provider. */
export interface OwnRoute {
  readonly path: string;
  /** `query`: the request's query parameters, each name with its values in order. */
  answer(provider: Provider, query: Readonly<Record<string, readonly string[]>>): { status: number; contentType: string; body: string | Buffer };
}
