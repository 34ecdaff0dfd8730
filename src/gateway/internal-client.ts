/**
 * Service-to-service calls in-process: the same provider lookup, validation and
 * (later) authorization as an external request, without the wire.
 */
import { randomUUID } from 'node:crypto';
import { rootPrincipal, type Principal } from '../shared/principal.js';
import { ServiceError, notImplemented } from '../shared/errors.js';
import { validateInput } from '../protocol/validate.js';
import type { InternalClient, RequestContext } from './context.js';
import type { Gateway } from './gateway.js';

/** The gateway's internal client. */
export class InternalClientImpl implements InternalClient {
  constructor(private readonly gateway: Gateway) {}

  async call(service: string, operation: string, input: Record<string, unknown>, options: { principal?: Principal; region?: string; account?: string } = {}): Promise<Record<string, unknown>> {
    const g = this.gateway;
    const s = g.services.byEndpointPrefix(service);
    if (!s) throw new ServiceError('UnknownService', `No service ${service}`, { status: 400 });
    const op = s.model.operations.get(operation);
    if (!op) throw new ServiceError('InvalidAction', `No operation ${operation} in ${service}`, { status: 400 });
    const handler = g.handlerOf(s, op);
    if (!handler) {
      g.countUnimplemented(s.name, op.name);
      throw notImplemented(s.name, op.name);
    }
    if (op.input) {
      const invalid = validateInput(input, op.input, s.name);
      if (invalid) throw invalid;
    }
    const principal = options.principal ?? rootPrincipal(options.account ?? g.config.defaultAccount);
    const ctx: RequestContext = {
      requestId: randomUUID(),
      account: options.account ?? principal.account,
      region: options.region ?? g.config.defaultRegion,
      principal,
      service: s.name,
      operation: op.name,
      clock: g.clock,
      internal: this,
      logger: g.logger,
      endpoint: g.endpoint,
      internalCall: true,
    };
    return (await handler(ctx, input)) ?? {};
  }
}
