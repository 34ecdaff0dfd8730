/**
 * Query wire names of awsQueryCompatible services (SQS, CloudWatch). Their current
 * models are JSON-derived and have lost what older clients (AWS CLI 2.9, boto3 1.26)
 * still send and expect over the query protocol: locationNames such as SQS's
 * `Attribute`/`Name`/`Value` map entries and `Message` list members, result
 * wrappers, the XML namespace, and query error codes such as
 * `AWS.SimpleQueueService.NonExistentQueue`. codegen/query-names.ts extracts them
 * from Debian's botocore 1.29 into query-compat.json; the query codec overlays them
 * on the model when it compiles its plans (the shared model is never mutated,
 * because the JSON codec must not see query names).
 */
import { readFileSync } from 'node:fs';
import { resourcePath } from '../../shared/resources.js';
import type { Member, Operation, ServiceModel, Shape } from '../../models/model.js';

/** The wire traits of a reference the query protocols read; null means the query model lacks a trait the current model has. */
export interface QueryRefTraits {
  readonly locationName?: string | null;
  readonly flattened?: boolean | null;
  readonly queryName?: string | null;
  readonly xmlNamespace?: { prefix?: string; uri: string } | null;
  readonly xmlAttribute?: boolean | null;
  readonly timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp' | null;
}

/** The query error facts of an error shape. */
export interface QueryErrorFacts {
  readonly code: string;
  readonly httpStatusCode?: number;
  readonly senderFault?: boolean;
}

interface ServiceEntry {
  readonly botocoreName: string;
  readonly apiVersion: string;
  readonly xmlNamespace?: string;
  readonly resultWrappers: Readonly<Record<string, string>>;
  readonly refs: Readonly<Record<string, Readonly<Record<string, QueryRefTraits>>>>;
  readonly errors: Readonly<Record<string, QueryErrorFacts>>;
}

/** The overlay for one service, with lookups by shape and by error code. */
export interface QueryCompat {
  readonly xmlNamespace?: string;
  /** The traits the query model gives a reference (structure member, or a list's `member`, a map's `key`/`value`). */
  ref(parent: Shape, refName: string): QueryRefTraits | undefined;
  resultWrapper(op: Operation): string | undefined;
  /** Query error facts by the error shape's name. */
  errorByShape(shapeName: string): QueryErrorFacts | undefined;
  /** The error shape name for a query error code. */
  shapeByCode(code: string): string | undefined;
}

let table: Readonly<Record<string, ServiceEntry>> | undefined;
const built = new Map<string, QueryCompat | null>();

function loadTable(): Readonly<Record<string, ServiceEntry>> {
  if (!table) {
    const file = resourcePath('protocol', 'quirks', 'query-compat.json');
    table = (JSON.parse(readFileSync(file, 'utf8')) as { services: Record<string, ServiceEntry> }).services;
  }
  return table;
}

function build(entry: ServiceEntry): QueryCompat {
  const byCode = new Map<string, string>();
  for (const [shape, facts] of Object.entries(entry.errors)) byCode.set(facts.code, shape);
  return {
    xmlNamespace: entry.xmlNamespace,
    ref: (parent, refName) => entry.refs[parent.name]?.[refName],
    resultWrapper: (op) => entry.resultWrappers[op.name],
    errorByShape: (name) => entry.errors[name],
    shapeByCode: (code) => byCode.get(code),
  };
}

/** The query overlay of a service, or undefined when its model already describes the query protocol fully. */
export function queryCompatFor(model: ServiceModel): QueryCompat | undefined {
  const prefix = model.metadata.endpointPrefix;
  let compat = built.get(prefix);
  if (compat === undefined) {
    const entry = model.metadata.awsQueryCompatible ? loadTable()[prefix] : undefined;
    compat = entry ? build(entry) : null;
    built.set(prefix, compat);
  }
  return compat ?? undefined;
}

type TraitName = keyof QueryRefTraits;

/**
 * A reference's wire trait as botocore resolves it for the query protocol: the
 * overlay's, else the reference's own, else its target shape's.
 */
export function queryTrait<T extends TraitName>(compat: QueryCompat | undefined, parent: Shape, ref: Member, trait: T): NonNullable<QueryRefTraits[T]> | undefined {
  const over = compat?.ref(parent, ref.name);
  if (over && over[trait] !== undefined) return (over[trait] ?? undefined) as NonNullable<QueryRefTraits[T]> | undefined;
  const own = (ref as QueryRefTraits)[trait];
  if (own !== undefined && own !== null) return own as NonNullable<QueryRefTraits[T]>;
  const fromShape = (ref.shape as QueryRefTraits)[trait];
  return (fromShape ?? undefined) as NonNullable<QueryRefTraits[T]> | undefined;
}

/** What a query client must see for an error code a service threw: the wire code, the model's status and fault. */
export interface QueryErrorWire {
  readonly code: string;
  readonly status?: number;
  readonly senderFault?: boolean;
  readonly shape?: Shape;
}

/**
 * Maps a thrown code (an error shape's name such as `QueueDoesNotExist`, or already
 * a query code such as `AWS.SimpleQueueService.NonExistentQueue`) to the code
 * query clients match on (the shape's `error.code`), with its modelled status.
 * The JSON codec can use this for awsQueryCompatible's `x-amzn-query-error` header.
 */
export function queryErrorWire(model: ServiceModel, code: string): QueryErrorWire {
  const compat = queryCompatFor(model);
  let shape = model.errorsByCode.get(code);
  if (!shape && compat) {
    const name = compat.shapeByCode(code);
    if (name) shape = model.shapes.get(name);
  }
  if (!shape) return { code };
  const facts = compat?.errorByShape(shape.name) ?? (shape.error?.code ? shape.error as QueryErrorFacts : undefined);
  return {
    code: facts?.code ?? shape.name,
    status: facts?.httpStatusCode ?? shape.error?.httpStatusCode,
    senderFault: facts?.senderFault ?? shape.error?.senderFault,
    shape,
  };
}

// `/<12-digit account>/<queue name>` with an optional trailing slash.
const QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

/**
 * SQS's query API also takes the queue as the request path (the Java SDK v1 and
 * boto 2 post `Action=SendMessage` to the queue URL itself, without a QueueUrl
 * parameter); the queue URL is then the URL the request was sent to.
 */
export function queueUrlFromPath(model: ServiceModel, op: Operation, req: { readonly path: string; readonly host: string }, input: Record<string, unknown>): void {
  if (model.metadata.endpointPrefix !== 'sqs' || input.QueueUrl !== undefined || !op.input?.members.QueueUrl) return;
  if (!QUEUE_PATH.test(req.path)) return;
  const path = req.path.endsWith('/') ? req.path.slice(0, -1) : req.path;
  input.QueueUrl = `http://${req.host}${path}`;
}
