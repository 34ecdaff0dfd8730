/**
 * The request path, top to bottom: own routes, service detection, protocol, body,
 * operation, authentication, input parsing and validation, authorization, the
 * provider's handler, serialization, the log line. Each step is a small function;
 * the order is declared once, in `handle`.
 */
import type { AnyRequest, AnyResponse } from './server.js';
import { Exchange, readBody, writeResponse, BodyTooLarge, requestStream, drainRequest } from './exchange.js';
import { detectService } from './detect.js';
import { chooseCodec } from './protocols.js';
import { authenticate } from './authenticate.js';
import { ownRoute, corsHeaders, isPreflight, permissivePreflight, type OwnRouteHost } from './own-routes.js';
import { methodName, ServiceTable, type LoadedService } from './services.js';
import { InternalClientImpl } from './internal-client.js';
import { fallbackError } from './fallback-error.js';
import { interceptIO, interceptOf } from './intercept.js';
import { parseAuthorization } from '../auth/sigv4.js';
import { isAwsChunked } from '../auth/streaming.js';
import { decodedBodyStream, decodeChunkedBuffer } from './body.js';
import { allowedMethods } from '../protocol/rest/router.js';
import { validateInput } from '../protocol/validate.js';
import { s3PathStyle } from '../protocol/quirks/s3-addressing.js';
import { ServiceError, isServiceError, notImplemented, internalFailure } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { NimbusConfig } from '../config.js';
import type { Storage } from '../state/storage.js';
import type { CredentialStore } from '../state/credentials.js';
import type { InterceptHandler, RequestContext, ServiceDefinition, ServiceEnv } from './context.js';
import type { Operation } from '../models/model.js';

/** Bodies of non-streaming operations are read whole; past this they are refused. */
const MAX_BUFFERED_BODY = 128 * 1024 * 1024;

type Handler = (ctx: RequestContext, input: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;

/** One nimbus instance's request handling. */
export class Gateway implements OwnRouteHost {
  readonly services: ServiceTable;
  readonly internal: InternalClientImpl;
  readonly startedAt = Date.now();
  readonly unimplementedCalls = new Map<string, number>();
  endpoint = '';

  constructor(
    readonly config: NimbusConfig,
    readonly storage: Storage,
    readonly credentials: CredentialStore,
    readonly logger: Logger,
    readonly clock: Clock,
    definitions: readonly ServiceDefinition[],
  ) {
    this.services = new ServiceTable(definitions);
    this.internal = new InternalClientImpl(this);
  }

  /** Creates the providers. */
  async start(): Promise<void> {
    const env: ServiceEnv = { storage: this.storage, credentials: this.credentials, config: this.config, clock: this.clock, internal: this.internal, logger: this.logger };
    await this.services.start(env);
  }

  /** The node request listener. */
  readonly listener = (req: AnyRequest, res: AnyResponse): void => {
    const x = new Exchange(req, res);
    this.storage.noteActivity();
    this.handle(x).catch((e) => this.fail(x, e));
  };

  private async handle(x: Exchange): Promise<void> {
    if (await ownRoute(x, this)) return this.log(x, 'nimbus', x.path);
    x.auth = parseAuthorization(x.headers, x.query);
    if (!x.auth && x.method === 'POST' && x.header('content-type')?.startsWith('application/x-www-form-urlencoded')) await this.readWholeBody(x);
    const service = detectService(x, this.services);
    if (!service) throw new ServiceError('UnknownService', 'No AWS service matches this request', { status: 400 });
    x.service = service;
    x.model = service.model;
    // S3 virtual-hosted requests route as path-style; the signature covers the path as sent.
    const signedPath = service.name === 's3' ? x.path : undefined;
    const routed = signedPath !== undefined ? s3PathStyle(x.host, signedPath) : undefined;
    if (routed !== undefined) (x as { path: string }).path = routed;
    x.region = x.auth?.region || this.config.defaultRegion;
    x.codec = chooseCodec(x, service.model);
    if (isPreflight(x)) return this.preflight(x, service);
    const intercepted = interceptOf(x, service);
    if (intercepted) return this.intercepted(x, intercepted);
    if (!x.bodyRead) {
      // rest protocols route on method and path alone, so a streaming upload is known before its body.
      const early = x.codec.hasStreamingInput ? x.codec.resolveOperation(x, x.model) : undefined;
      if (early && x.codec.hasStreamingInput!(early)) {
        x.operation = early;
        x.bodyStream = requestStream(x.req);
      } else {
        await this.readWholeBody(x);
      }
    }
    x.operation ??= x.codec.resolveOperation(x, x.model);
    if (!x.operation) throw this.unknownOperation(x);
    const who = authenticate(routed !== undefined ? withPath(x, signedPath!) : x, this.credentials, this.config, this.clock.now());
    x.principal = who.principal;
    if (x.bodyStream) x.bodyStream = decodedBodyStream(x, who.secret, this.config.enforceIam);
    else if (isAwsChunked(x.header('x-amz-content-sha256'))) x.body = await decodeChunkedBuffer(x, who.secret, this.config.enforceIam);
    const handler = this.handlerOf(service, x.operation);
    if (!handler) {
      this.countUnimplemented(service.name, x.operation.name);
      throw notImplemented(service.name, x.operation.name);
    }
    x.input = x.codec.parseRequest(x, x.operation, x.model);
    if (x.operation.input) {
      const invalid = validateInput(x.input, x.operation.input, service.name);
      if (invalid) throw invalid;
    }
    const ctx = this.contextFor(x);
    const output = (await handler(ctx, x.input)) ?? {};
    x.response = x.codec.serializeResponse(output, x.operation, x.model, { requestId: x.requestId });
    this.respond(x);
  }

  /** Answers a browser preflight: by the service's own CORS rules where it has them, else permissively. */
  private preflight(x: Exchange, service: LoadedService): void {
    drainRequest(x.req);
    const own = service.definition?.cors && service.provider ? service.definition.cors.preflight(service.provider, x) : undefined;
    x.response = { statusCode: 200, headers: { ...(own ?? permissivePreflight(x)), 'content-length': '0' } };
    writeResponse(x.res, x.response);
    this.log(x, service.name, 'OPTIONS');
  }

  /** Answers a request the service takes outside its API model (ServiceDefinition.intercept). */
  private async intercepted(x: Exchange, handler: InterceptHandler): Promise<void> {
    x.response = await handler(interceptIO(x, this));
    this.respond(x);
  }

  private async readWholeBody(x: Exchange): Promise<void> {
    try {
      x.body = await readBody(x.req, MAX_BUFFERED_BODY);
      x.bodyRead = true;
    } catch (e) {
      if (e instanceof BodyTooLarge) throw new ServiceError('RequestEntityTooLarge', `Request body must be at most ${e.limit} bytes`, { status: 413 });
      throw e;
    }
  }

  private unknownOperation(x: Exchange): ServiceError {
    const proto = x.codec!.name;
    if (proto === 'json' || proto === 'smithy-rpc-v2-cbor') return new ServiceError('UnknownOperationException', '', { status: 400 });
    if (proto === 'query' || proto === 'ec2') return new ServiceError('InvalidAction', 'The action or operation requested is invalid. Verify that the action is typed correctly.', { status: 400 });
    const allowed = allowedMethods(x, x.model!);
    if (allowed.length > 0) return new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405, fields: { Method: x.method, ResourceType: x.model!.metadata.endpointPrefix === 's3' ? 'OBJECT' : 'RESOURCE' } });
    return new ServiceError('UnknownOperationException', `No operation of ${x.model!.metadata.serviceId} matches ${x.method} ${x.path}`, { status: 404 });
  }

  /** The provider method for an operation, or undefined when nimbus does not implement it. */
  handlerOf(service: LoadedService, op: Operation): Handler | undefined {
    const provider = service.provider as Record<string, unknown> | undefined;
    if (!provider) return undefined;
    let byOp = this.handlers.get(provider);
    if (!byOp) this.handlers.set(provider, (byOp = new Map()));
    let handler = byOp.get(op);
    if (handler === undefined) {
      const fn = provider[methodName(op)];
      handler = typeof fn === 'function' ? (fn.bind(provider) as Handler) : null;
      byOp.set(op, handler);
    }
    return handler ?? undefined;
  }

  /** Bound handlers by provider and operation (binding per request showed in profiles). */
  private readonly handlers = new WeakMap<object, Map<Operation, Handler | null>>();

  countUnimplemented(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.unimplementedCalls.set(key, (this.unimplementedCalls.get(key) ?? 0) + 1);
  }

  private contextFor(x: Exchange): RequestContext {
    const principal = x.principal!;
    return {
      requestId: x.requestId,
      account: principal.account,
      region: x.region!,
      principal,
      service: x.service!.name,
      operation: x.operation!.name,
      clock: this.clock,
      internal: this.internal,
      logger: this.logger,
      endpoint: x.host ? `http://${x.host}` : this.endpoint,
      internalCall: false,
    };
  }

  private respond(x: Exchange): void {
    const response = x.response!;
    writeResponse(x.res, response, x.header('origin') ? this.corsFor(x) : undefined);
    this.log(x, x.service?.name ?? '-', x.operation?.name ?? '-');
  }

  /** CORS headers of an actual response: the service's own rules where it has them, else the permissive ones. */
  private corsFor(x: Exchange): Record<string, string> {
    const s = x.service;
    const own = s?.definition?.cors && s.provider ? s.definition.cors.actual(s.provider, x) : undefined;
    return own ?? corsHeaders(x);
  }

  private fail(x: Exchange, e: unknown): void {
    let error: ServiceError;
    if (isServiceError(e)) error = e;
    else {
      this.logger.error('unhandled error', { requestId: x.requestId, error: e instanceof Error ? e.stack ?? e.message : String(e) });
      error = internalFailure();
    }
    x.error = error;
    if (x.res.headersSent) {
      x.res.destroy();
      return;
    }
    try {
      const meta = { requestId: x.requestId };
      x.response = x.codec && x.model ? x.codec.serializeError(error, x.operation, x.model, meta) : fallbackError(error, meta);
      if (error.headers) Object.assign(x.response.headers, error.headers);
    } catch (inner) {
      this.logger.error('error serializing an error', { requestId: x.requestId, error: String(inner) });
      x.response = fallbackError(internalFailure(), { requestId: x.requestId });
    }
    // A request body nobody read must be drained, or the connection stalls.
    if (!x.bodyRead) drainRequest(x.req);
    this.respond(x);
  }

  private log(x: Exchange, service: string, operation: string): void {
    if (!this.logger.enabled('info')) return;
    const status = x.response?.statusCode ?? x.res.statusCode;
    this.logger.request(service, operation, status, x.elapsedMs(), x.error ? { error: x.error.code, requestId: x.requestId } : undefined);
  }
}

/** A view of the exchange with another path (the path as signed, for a rewritten virtual-hosted S3 request). */
function withPath(x: Exchange, path: string): Exchange {
  return Object.create(x, { path: { value: path } }) as Exchange;
}
