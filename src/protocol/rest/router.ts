/**
 * REST operation routing: every operation's method + request URI template
 * (`/{Bucket}/{Key+}?uploads`) compiled once per model into an ordered route
 * list, matched against the request's path, query and headers.
 */
import type { Operation, ServiceModel } from '../../models/model.js';
import type { WireRequest } from '../types.js';

const enum SegKind { Literal, Label, Greedy }

interface Segment { readonly kind: SegKind; readonly text: string }

/** One compiled operation route. */
interface Route {
  readonly op: Operation;
  readonly method: string;
  readonly segments: readonly Segment[];
  /** Index of the greedy label, or -1. */
  readonly greedyAt: number;
  /** Literal query requirements of the template: key, and the value when the template gives one. */
  readonly query: readonly (readonly [string, string | undefined])[];
  /** Required query members and headers, used only to tell apart operations that share method, path and literal query. */
  readonly requiredQuery: readonly string[];
  readonly requiredHeaders: readonly string[];
  /** Other routes equally specific with the same template (ListBuckets / ListDirectoryBuckets): SDK v3's `x-id` picks among them. */
  tied: Route[];
  readonly literalSegments: number;
  readonly order: number;
  /** Position in the method's specificity order: lower wins. */
  rank: number;
}

/** The labels of a match, percent-decoded, by label name. */
export type PathLabels = Record<string, string>;

/** A route match: the operation and its decoded path labels. */
export interface RouteMatch {
  readonly op: Operation;
  readonly labels: PathLabels;
}

/** The routes of one method: those without literal query requirements, and the others indexed by their first literal key. */
interface MethodRoutes {
  readonly all: readonly Route[];
  readonly plain: readonly Route[];
  readonly byQueryKey: ReadonlyMap<string, readonly Route[]>;
}

interface Router {
  readonly byMethod: ReadonlyMap<string, MethodRoutes>;
  readonly byOperation: ReadonlyMap<Operation, Route>;
}

const routers = new WeakMap<ServiceModel, Router>();
/**
 * resolveRestOperation keeps the match on the request, so that parseRequest does not match
 * the path again (a property of the request object: a WeakMap entry per request cost more
 * than the match itself, mostly in garbage collection).
 */
const MATCH = Symbol('restMatch');
type Matched = WireRequest & { [MATCH]?: RouteMatch };

function compileTemplate(op: Operation, order: number): Route {
  const uri = op.http.requestUri;
  const q = uri.indexOf('?');
  const pathPart = q === -1 ? uri : uri.slice(0, q);
  const queryPart = q === -1 ? '' : uri.slice(q + 1);
  const rawSegs = pathPart.split('/').slice(1);
  // A template's trailing slash is not significant (`/2015-03-31/functions/`), nor is the request's.
  if (rawSegs.length > 0 && rawSegs[rawSegs.length - 1] === '') rawSegs.pop();
  let greedyAt = -1;
  const segments = rawSegs.map((s, i): Segment => {
    if (s.startsWith('{') && s.endsWith('}')) {
      const name = s.slice(1, -1);
      if (name.endsWith('+')) {
        greedyAt = i;
        return { kind: SegKind.Greedy, text: name.slice(0, -1) };
      }
      return { kind: SegKind.Label, text: name };
    }
    return { kind: SegKind.Literal, text: s };
  });
  const query = queryPart === '' ? [] : queryPart.split('&').map((kv): readonly [string, string | undefined] => {
    const eq = kv.indexOf('=');
    return eq === -1 ? [decodeURIComponent(kv), undefined] : [decodeURIComponent(kv.slice(0, eq)), decodeURIComponent(kv.slice(eq + 1))];
  });
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  const input = op.input;
  if (input) {
    for (const name of input.required) {
      const m = input.members[name];
      if (m?.location === 'querystring' && m.shape.type !== 'map') requiredQuery.push(m.locationName ?? name);
      else if (m?.location === 'header') requiredHeaders.push((m.locationName ?? name).toLowerCase());
    }
  }
  return {
    op, method: op.http.method.toUpperCase(), segments, greedyAt, query, requiredQuery, requiredHeaders, tied: [],
    literalSegments: segments.filter((s) => s.kind === SegKind.Literal).length, order, rank: 0,
  };
}

/** The key of routes that only required members can tell apart. */
function templateKey(r: Route): string {
  const path = r.segments.map((s) => (s.kind === SegKind.Literal ? s.text : s.kind === SegKind.Label ? '{}' : '{+}')).join('/');
  const query = r.query.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).sort().join('&');
  return `${r.method} /${path}?${query}`;
}

/** Most specific first: literal segments, literal query, required query, required headers, non-greedy, non-deprecated, model order. */
function compareRoutes(a: Route, b: Route): number {
  return (b.literalSegments - a.literalSegments)
    || (b.query.length - a.query.length)
    || (b.requiredQuery.length - a.requiredQuery.length)
    || (b.requiredHeaders.length - a.requiredHeaders.length)
    || ((a.greedyAt === -1 ? 0 : 1) - (b.greedyAt === -1 ? 0 : 1))
    || ((a.op.deprecated ? 1 : 0) - (b.op.deprecated ? 1 : 0))
    || (a.order - b.order);
}

function buildRouter(model: ServiceModel): Router {
  const all: Route[] = [];
  let order = 0;
  for (const op of model.operations.values()) all.push(compileTemplate(op, order++));
  // Required members only discriminate within a group sharing method, path and literal query
  // (PutObject / CopyObject / UploadPart / UploadPartCopy); alone, an operation must still route
  // when a required member is missing, so that validation can name it.
  const groups = new Map<string, Route[]>();
  for (const r of all) {
    const key = templateKey(r);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const routes: Route[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      routes.push({ ...g[0]!, requiredQuery: [], requiredHeaders: [] });
      continue;
    }
    for (const r of g) {
      routes.push(r);
      r.tied = g.filter((o) => o !== r && o.requiredQuery.length === r.requiredQuery.length && o.requiredHeaders.length === r.requiredHeaders.length);
    }
  }
  routes.sort(compareRoutes);
  const byMethod = new Map<string, { all: Route[]; plain: Route[]; byQueryKey: Map<string, Route[]> }>();
  const byOperation = new Map<Operation, Route>();
  for (const r of routes) {
    let mr = byMethod.get(r.method);
    if (!mr) byMethod.set(r.method, (mr = { all: [], plain: [], byQueryKey: new Map() }));
    r.rank = mr.all.length;
    mr.all.push(r);
    if (r.query.length === 0) mr.plain.push(r);
    else {
      const key = r.query[0]![0];
      const list = mr.byQueryKey.get(key);
      if (list) list.push(r);
      else mr.byQueryKey.set(key, [r]);
    }
    byOperation.set(r.op, r);
  }
  return { byMethod, byOperation };
}

function routerOf(model: ServiceModel): Router {
  let router = routers.get(model);
  if (!router) routers.set(model, (router = buildRouter(model)));
  return router;
}

function decode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Splits a request path into raw segments; a trailing empty segment is kept only for greedy labels to use. */
function splitPath(path: string): string[] {
  return path.length <= 1 ? [] : path.slice(1).split('/');
}

function matchPath(route: Route, segs: readonly string[]): PathLabels | undefined {
  const tpl = route.segments;
  let n = segs.length;
  if (route.greedyAt === -1) {
    if (n > 0 && segs[n - 1] === '') n--;
    if (n !== tpl.length) return undefined;
    let labels: PathLabels | undefined;
    for (let i = 0; i < n; i++) {
      const t = tpl[i]!;
      const s = segs[i]!;
      if (t.kind === SegKind.Literal) {
        if (s !== t.text) return undefined;
      } else {
        if (s === '') return undefined;
        (labels ??= {})[t.text] = decode(s);
      }
    }
    return labels ?? {};
  }
  const g = route.greedyAt;
  const after = tpl.length - g - 1;
  // A trailing slash belongs to a greedy label that ends the template (S3 key `dir/`), else it is not significant.
  if (after > 0 && n > 0 && segs[n - 1] === '') n--;
  if (n < tpl.length) return undefined;
  const labels: PathLabels = {};
  for (let i = 0; i < tpl.length; i++) {
    if (i === g) continue;
    const t = tpl[i]!;
    const s = i < g ? segs[i]! : segs[n - (tpl.length - i)]!;
    if (t.kind === SegKind.Literal) {
      if (s !== t.text) return undefined;
    } else {
      if (s === '') return undefined;
      labels[t.text] = decode(s);
    }
  }
  // The greedy label takes every segment between, slashes kept; S3's `/{Bucket}/{Key+}` needs a non-empty key.
  const middle = segs.slice(g, n - after);
  const value = middle.length === 1 ? decode(middle[0]!) : middle.map(decode).join('/');
  if (value === '') return undefined;
  labels[tpl[g]!.text] = value;
  return labels;
}

function matchRest(route: Route, req: WireRequest): boolean {
  const query = req.query;
  for (const [key, value] of route.query) {
    const got = query[key];
    if (got === undefined) return false;
    if (value !== undefined && !got.includes(value)) return false;
  }
  for (const key of route.requiredQuery) if (query[key] === undefined) return false;
  for (const name of route.requiredHeaders) if (req.headers[name] === undefined) return false;
  return true;
}

/** Matches a request to an operation of the model (method, path labels, literal query, discriminating required members). */
/** The first route of a rank-ordered list that matches and ranks before `best`, or `best`. */
function firstMatch(routes: readonly Route[], req: WireRequest, segs: readonly string[], best: { route: Route; labels: PathLabels } | undefined) {
  for (const route of routes) {
    if (best && route.rank >= best.route.rank) return best;
    if (!matchRest(route, req)) continue;
    const labels = matchPath(route, segs);
    if (labels) return { route, labels };
  }
  return best;
}

/** Matches a request to an operation of the model (method, path labels, literal query, discriminating required members). */
export function matchOperation(req: WireRequest, model: ServiceModel): RouteMatch | undefined {
  const mr = routerOf(model).byMethod.get(req.method.toUpperCase());
  if (!mr) return undefined;
  const segs = splitPath(req.path);
  // Only the routes whose first literal query key the request carries can match, besides those without one.
  let best: { route: Route; labels: PathLabels } | undefined;
  for (const key in req.query) {
    const list = mr.byQueryKey.get(key);
    if (list) best = firstMatch(list, req, segs, best);
  }
  best = firstMatch(mr.plain, req, segs, best);
  if (!best) return undefined;
  const { route, labels } = best;
  const xId = route.tied.length > 0 ? req.query['x-id']?.[0] : undefined;
  if (xId !== undefined && xId !== route.op.name) {
    const other = route.tied.find((r) => r.op.name === xId);
    if (other) return { op: other.op, labels };
  }
  return { op: route.op, labels };
}

/** Resolves the operation of a REST request, remembering its decoded labels for parseRequest. */
export function resolveRestOperation(req: WireRequest, model: ServiceModel): Operation | undefined {
  const match = matchOperation(req, model);
  if (!match) return undefined;
  (req as Matched)[MATCH] = match;
  return match.op;
}

/** The decoded path labels of a request for an operation (remembered from routing, else matched now). */
export function pathLabelsFor(req: WireRequest, op: Operation, model: ServiceModel): PathLabels {
  const hit = (req as Matched)[MATCH];
  if (hit && hit.op === op) return hit.labels;
  const route = routerOf(model).byOperation.get(op);
  return (route && matchPath(route, splitPath(req.path))) ?? {};
}

/**
 * The methods under which the request's path and query would route, when its own
 * method does not: the gateway answers 405 (S3: MethodNotAllowed) when this is non-empty.
 */
export function allowedMethods(req: WireRequest, model: ServiceModel): string[] {
  const out: string[] = [];
  const segs = splitPath(req.path);
  const method = req.method.toUpperCase();
  for (const [m, routes] of routerOf(model).byMethod) {
    if (m === method) continue;
    if (routes.all.some((r) => matchRest(r, req) && matchPath(r, segs) !== undefined)) out.push(m);
  }
  return out;
}
