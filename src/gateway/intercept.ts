/**
 * Requests a service answers outside its API model (ServiceDefinition.intercept): the
 * gateway asks the service once per request, after detection, and lends the handler the
 * unread body, credential resolution as `authenticate` does it, and operation contexts.
 */
import type { Exchange } from './exchange.js';
import type { LoadedService } from './services.js';
import type { InterceptHandler, InterceptIO, InternalClient, RequestContext } from './context.js';
import type { CredentialStore } from '../state/credentials.js';
import type { NimbusConfig } from '../config.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Principal } from '../shared/principal.js';
import { LOCAL_SECRET, resolveKey } from './authenticate.js';
import { requestStream } from './exchange.js';

/** What intercepted handlers need from the gateway. */
export interface InterceptHost {
  readonly credentials: CredentialStore;
  readonly config: NimbusConfig;
  readonly clock: Clock;
  readonly internal: InternalClient;
  readonly logger: Logger;
  readonly endpoint: string;
}


/** The service's handler for this request, when the service intercepts it. */
export function interceptOf(x: Exchange, service: LoadedService): InterceptHandler | undefined {
  const intercept = service.definition?.intercept;
  return intercept && service.provider ? intercept(service.provider, x) : undefined;
}

/** The gateway's loan to an intercepted handler. */
export function interceptIO(x: Exchange, host: InterceptHost): InterceptIO {
  return {
    requestId: x.requestId,
    body: requestStream(x.req),
    credential: (key) => keyCredential(key, host, host.clock.now()),
    context: (operation, principal, region): RequestContext => ({
      requestId: x.requestId, account: principal.account, region, principal, service: x.service!.name, operation,
      clock: host.clock, internal: host.internal, logger: host.logger,
      endpoint: x.host ? `http://${x.host}` : host.endpoint, internalCall: false,
    }),
  };
}

/** An access key's principal and (when its signatures count) secret, as `authenticate` resolves signed requests. */
function keyCredential(key: string, host: InterceptHost, now: number): { principal: Principal; secret?: string; sessionToken?: string } | undefined {
  const known = resolveKey(key, host.credentials, host.config, now);
  if (known.kind === 'issued') {
    if (!known.active || known.expired) return undefined;
    const { principal, secret, sessionToken } = known;
    return sessionToken !== undefined ? { principal, secret, sessionToken } : { principal, secret };
  }
  if (host.config.enforceIam && known.kind === 'unknown') return undefined;
  // Without enforced IAM, signatures of keys nimbus did not issue are not checked (as in authenticate).
  return host.config.enforceIam ? { principal: known.principal, secret: LOCAL_SECRET } : { principal: known.principal };
}
