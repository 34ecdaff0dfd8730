/**
 * The parameters of a query or ec2 request (the form body of a POST, and the query
 * string of any method) as a tree split on '.': `Attribute.1.Name=x` becomes
 * root → Attribute → 1 → Name = x. Plans read shapes from this tree.
 */
import { ServiceError } from '../../shared/errors.js';
import type { WireRequest } from '../types.js';

/** One name in the parameter tree: its value when given, its children when deeper names exist. */
export interface ParamNode {
  value?: string;
  children?: Map<string, ParamNode>;
}

/** The AWS common error for a request whose percent-encoding does not decode (Common Errors: 404). */
export function malformedQueryString(): ServiceError {
  return new ServiceError('MalformedQueryString', 'The query string contains a syntax error.', { status: 404 });
}

const PLUS_G = /\+/g;

function decode(s: string): string {
  if (s.indexOf('%') < 0) return s.indexOf('+') < 0 ? s : s.replace(PLUS_G, ' ');
  try {
    return decodeURIComponent(s.indexOf('+') < 0 ? s : s.replace(PLUS_G, ' '));
  } catch {
    // Bad escapes (%zz, a lone %) and escapes that are not UTF-8.
    throw malformedQueryString();
  }
}

/** Adds the pairs of an `a=b&c=d` string to the tree; the first value given for a name wins. */
export function addFormPairs(root: ParamNode, text: string): void {
  let start = 0;
  const end = text.length;
  while (start <= end) {
    let amp = text.indexOf('&', start);
    if (amp < 0) amp = end;
    if (amp > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq >= 0 && eq < amp;
      const name = decode(text.slice(start, hasValue ? eq : amp));
      const value = hasValue ? decode(text.slice(eq + 1, amp)) : '';
      if (name) setParam(root, name, value);
    }
    start = amp + 1;
  }
}

function setParam(root: ParamNode, name: string, value: string): void {
  let node = root;
  let from = 0;
  for (;;) {
    const dot = name.indexOf('.', from);
    const part = dot < 0 ? name.slice(from) : name.slice(from, dot);
    const children = node.children ??= new Map();
    let child = children.get(part);
    if (!child) {
      child = {};
      children.set(part, child);
    }
    node = child;
    if (dot < 0) break;
    from = dot + 1;
  }
  if (node.value === undefined) node.value = value;
}

function isForm(req: WireRequest): boolean {
  const type = req.headers['content-type'];
  const t = Array.isArray(type) ? type[0] : type;
  // Old clients and curl may omit the type; anything else declared is not a form.
  return t === undefined || t === '' || t.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function formBody(req: WireRequest): Buffer | undefined {
  const body: Buffer | undefined = req.body;
  return body && body.length > 0 && req.method !== 'GET' && isForm(req) ? body : undefined;
}

/** The parameter tree of a request: the form body's pairs first, then the query string's. */
export function requestParams(req: WireRequest): ParamNode {
  const root: ParamNode = {};
  const body = formBody(req);
  if (body) addFormPairs(root, body.toString('utf8'));
  if (req.rawQuery) addFormPairs(root, req.rawQuery);
  return root;
}

const AMP = 0x26;

/** The value of the first `name=` pair in a form, found without decoding the rest (an SQS body may be 256 KiB). */
function firstPair(form: Buffer | string, name: string): string | undefined {
  const len = form.length;
  let i = form.indexOf(name);
  while (i >= 0) {
    if (i === 0 || (typeof form === 'string' ? form.charCodeAt(i - 1) : form[i - 1]) === AMP) {
      const from = i + name.length;
      let end = typeof form === 'string' ? form.indexOf('&', from) : form.indexOf(AMP, from);
      if (end < 0) end = len;
      return decode(typeof form === 'string' ? form.slice(from, end) : form.toString('utf8', from, end));
    }
    i = form.indexOf(name, i + 1);
  }
  return undefined;
}

/**
 * The Action parameter, looked up without building the parameter tree (the gateway
 * resolves the operation before it parses the input). A client that percent-encodes
 * the name itself is served by the full parse.
 */
export function requestAction(req: WireRequest): string | undefined {
  const body = formBody(req);
  const found = (body && firstPair(body, 'Action=')) ?? (req.rawQuery ? firstPair(req.rawQuery, 'Action=') : undefined);
  return found ?? topParam(requestParams(req), 'Action');
}

/** A top-level parameter's value (Action, Version). */
export function topParam(root: ParamNode, name: string): string | undefined {
  return root.children?.get(name)?.value;
}

const INDEX = /^[1-9][0-9]{0,8}$/;

/** The children of a node named by positive list indices, in index order, with their names (for error paths). */
export function indexedChildren(node: ParamNode): [string, ParamNode][] {
  const kids = node.children;
  if (!kids) return [];
  const found: [string, ParamNode][] = [];
  for (const entry of kids) if (INDEX.test(entry[0])) found.push(entry);
  if (found.length > 1) found.sort((a, b) => Number(a[0]) - Number(b[0]));
  return found;
}
