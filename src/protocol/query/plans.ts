/**
 * Per-operation plans shared by the query and ec2 codecs: the input reader, and the
 * response envelope precomputed as strings around the compiled output writer.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryCompatFor, type QueryCompat } from '../quirks/query-compat.js';
import type { WireRequest } from '../types.js';
import { InputCompiler, type QueryDialect } from './input.js';
import { OutputCompiler } from './output.js';
import { requestAction, requestParams, type ParamNode } from './params.js';

/** The compilers of one service model in one dialect. */
export interface Compilers {
  readonly compat: QueryCompat | undefined;
  readonly input: InputCompiler;
  readonly output: OutputCompiler;
}

const compilers: Record<QueryDialect, WeakMap<ServiceModel, Compilers>> = { query: new WeakMap(), ec2: new WeakMap() };

/** The (cached) compilers of a model; only the query dialect applies the awsQueryCompatible overlay. */
export function compilersFor(model: ServiceModel, dialect: QueryDialect): Compilers {
  let c = compilers[dialect].get(model);
  if (!c) {
    const compat = dialect === 'query' ? queryCompatFor(model) : undefined;
    c = { compat, input: new InputCompiler(dialect, compat), output: new OutputCompiler(dialect, compat) };
    compilers[dialect].set(model, c);
  }
  return c;
}

/** The operation an Action parameter names; AWS's common errors when it is missing or unknown. */
export function resolveAction(req: WireRequest, model: ServiceModel): Operation {
  const action = requestAction(req);
  if (!action) throw new ServiceError('MissingAction', 'The request is missing an action or a required parameter.', { status: 400 });
  const op = model.operations.get(action);
  if (!op) throw new ServiceError('InvalidAction', 'The action or operation requested is invalid. Verify that the action is typed correctly.', { status: 400 });
  return op;
}

const READ_KEY: Record<QueryDialect, string> = { query: 'query:read', ec2: 'ec2:read' };

/** Reads an operation's input from the request's parameters with a plan compiled once per operation. */
export function readInput(req: WireRequest, op: Operation, model: ServiceModel, dialect: QueryDialect): Record<string, unknown> {
  const key = READ_KEY[dialect];
  let read = op.plans.get(key) as ((root: ParamNode) => Record<string, unknown>) | undefined;
  if (!read) {
    read = op.input ? compilersFor(model, dialect).input.structReader(op.input) : () => ({});
    op.plans.set(key, read);
  }
  return read(requestParams(req));
}

/** The XML namespace of a query service's responses. */
export function queryNamespace(model: ServiceModel): string {
  return queryCompatFor(model)?.xmlNamespace ?? model.metadata.xmlNamespace ?? `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}
