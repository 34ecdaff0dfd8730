/**
 * Compiled readers that turn a query or ec2 parameter tree into an operation's
 * input, following botocore's serializers (the reference for what old and new
 * clients send):
 *  - query: structure members by locationName; lists `Name.member.N` (member
 *    locationName overrides `member`), flattened `Name.N` where a flattened list
 *    takes its list member's locationName as its own name; maps
 *    `Name.entry.N.key/value` (flattened `Name.N.key/value`), key and value named
 *    by their locationNames;
 *  - ec2: members by queryName, else the capitalized locationName or member name;
 *    every list is `Name.N`.
 * A plan is compiled once per shape and dialect and cached in `shape.plans`.
 */
import type { Member, Shape } from '../../models/model.js';
import { ServiceError } from '../../shared/errors.js';
import { queryTrait, type QueryCompat } from '../quirks/query-compat.js';
import { indexedChildren, type ParamNode } from './params.js';

/** The two parameter dialects: awsQuery and ec2Query. */
export type QueryDialect = 'query' | 'ec2';

type Reader = (node: ParamNode, path: string) => unknown;

interface StructPlan {
  /** Member readers by parameter name (a flattened list may be found under two names). */
  readonly byKey: Map<string, { readonly name: string; readonly read: Reader }>;
}

/** The error AWS's query services answer for a value of the wrong type (Common Errors: InvalidParameterValue, 400). */
export function invalidParameterValue(value: string, path: string, reason: string): ServiceError {
  return new ServiceError('InvalidParameterValue', `Value ${value} for parameter ${path} is invalid. Reason: ${reason}`, { status: 400 });
}

const INTEGER = /^[-+]?[0-9]+$/;
const DECIMAL = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([-+])(\d{2}):?(\d{2}))?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Parses an ISO 8601 date-time (what botocore and the SDKs send), or epoch seconds. */
export function parseQueryTimestamp(s: string): Date | undefined {
  const m = ISO_8601.exec(s);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
    if (m[9]) t -= (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
    const d = new Date(t);
    return Number.isNaN(t) || Number(m[2]) > 12 || Number(m[3]) > 31 ? undefined : d;
  }
  if (DECIMAL.test(s)) return new Date(Number(s) * 1000);
  return undefined;
}

function scalarReader(shape: Shape): Reader {
  switch (shape.type) {
    case 'boolean':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        if (v === 'true') return true;
        if (v === 'false') return false;
        const lower = v.toLowerCase();
        if (lower === 'true' || lower === 'false') return lower === 'true';
        throw invalidParameterValue(v, path, 'Must be a boolean (true or false).');
      };
    case 'integer': case 'long': case 'short': case 'byte':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        if (!INTEGER.test(v)) throw invalidParameterValue(v, path, 'Must be an integer.');
        return Number(v);
      };
    case 'float': case 'double':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        if (DECIMAL.test(v)) return Number(v);
        if (v === 'NaN') return NaN;
        if (v === 'Infinity') return Infinity;
        if (v === '-Infinity') return -Infinity;
        throw invalidParameterValue(v, path, 'Must be a number.');
      };
    case 'bigdecimal': case 'biginteger':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        if (!(shape.type === 'biginteger' ? INTEGER : DECIMAL).test(v)) throw invalidParameterValue(v, path, 'Must be a number.');
        return v;
      };
    case 'timestamp':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        const d = parseQueryTimestamp(v);
        if (!d) throw invalidParameterValue(v, path, 'Must be an ISO 8601 date-time.');
        return d;
      };
    case 'blob':
      return (node, path) => {
        const v = node.value;
        if (v === undefined) return undefined;
        if (!BASE64.test(v)) throw invalidParameterValue(v, path, 'Must be base64-encoded.');
        return Buffer.from(v, 'base64');
      };
    default:
      return (node) => node.value;
  }
}

/** Compiles readers for one dialect, with the awsQueryCompatible overlay (query only). */
export class InputCompiler {
  private readonly planKey: string;

  constructor(private readonly dialect: QueryDialect, private readonly compat: QueryCompat | undefined) {
    // The overlay is per service, and shapes belong to one service model.
    this.planKey = `${dialect}:in`;
  }

  /** The reader of an operation's input structure. */
  structReader(shape: Shape): (root: ParamNode) => Record<string, unknown> {
    const plan = this.structPlan(shape);
    return (root) => readStruct(plan, root, '');
  }

  private structPlan(shape: Shape): StructPlan {
    let plan = shape.plans.get(this.planKey) as StructPlan | undefined;
    if (plan) return plan;
    const byKey = new Map<string, { name: string; read: Reader }>();
    plan = { byKey };
    // Registered before its members compile, so recursive shapes resolve to it.
    shape.plans.set(this.planKey, plan);
    for (const member of shape.memberList) {
      const entry = { name: member.name, read: this.refReader(shape, member) };
      for (const key of this.memberKeys(shape, member)) if (!byKey.has(key)) byKey.set(key, entry);
    }
    return plan;
  }

  /** The parameter names a structure member may arrive under, botocore's first. */
  private memberKeys(parent: Shape, member: Member): string[] {
    const c = this.compat;
    if (this.dialect === 'ec2') {
      const q = queryTrait(c, parent, member, 'queryName');
      if (q) return [q];
      const name = queryTrait(c, parent, member, 'locationName') ?? member.name;
      return [name.charAt(0).toUpperCase() + name.slice(1)];
    }
    const own = queryTrait(c, parent, member, 'locationName') ?? member.name;
    const shape = member.shape;
    if (shape.type === 'list' && shape.member && queryTrait(c, parent, member, 'flattened')) {
      // botocore names a flattened list by its member's locationName; SDK v3 keeps the member's own name.
      const itemName = queryTrait(c, shape, shape.member, 'locationName');
      if (itemName && itemName !== own) return [itemName, own];
    }
    return [own];
  }

  private refReader(parent: Shape, member: Member): Reader {
    const shape = member.shape;
    switch (shape.type) {
      case 'structure': {
        // Compiled lazily: a recursive structure's plan may still be filling.
        let plan: StructPlan | undefined;
        return (node, path) => {
          if (!node.children) return undefined;
          plan ??= this.structPlan(shape);
          return readStruct(plan, node, path);
        };
      }
      case 'list':
        return this.listReader(parent, member, shape);
      case 'map':
        return this.mapReader(parent, member, shape);
      default:
        return scalarReader(shape);
    }
  }

  private listReader(parent: Shape, member: Member, shape: Shape): Reader {
    const item = shape.member!;
    let read: Reader | undefined;
    const element = (n: ParamNode, p: string): unknown => (read ??= this.refReader(shape, item))(n, p);
    const collect = (holder: ParamNode | undefined, path: string): unknown[] => {
      const out: unknown[] = [];
      if (!holder) return out;
      for (const [index, child] of indexedChildren(holder)) {
        const v = element(child, childPath(path, index));
        if (v !== undefined) out.push(v);
      }
      return out;
    };
    if (this.dialect === 'ec2' || queryTrait(this.compat, parent, member, 'flattened')) {
      return (node, path) => (node.children ? collect(node, path) : node.value !== undefined ? [] : undefined);
    }
    const itemName = queryTrait(this.compat, shape, item, 'locationName') ?? 'member';
    return (node, path) => {
      if (!node.children) return node.value !== undefined ? [] : undefined;
      const holder = node.children.get(itemName);
      // Lenient: a client that flattens a list the model does not flatten still gets its elements read.
      return holder ? collect(holder, childPath(path, itemName)) : collect(node, path);
    };
  }

  private mapReader(parent: Shape, member: Member, shape: Shape): Reader {
    const c = this.compat;
    const keyName = queryTrait(c, shape, shape.key!, 'locationName') ?? 'key';
    const valueName = queryTrait(c, shape, shape.value!, 'locationName') ?? 'value';
    const flattened = queryTrait(c, parent, member, 'flattened') === true;
    const readKey = scalarReader(shape.key!.shape);
    let readValue: Reader | undefined;
    return (node, path) => {
      if (!node.children) return node.value !== undefined ? {} : undefined;
      const holder = flattened ? node : node.children.get('entry');
      const base = flattened ? path : childPath(path, 'entry');
      const out: Record<string, unknown> = {};
      if (!holder) return out;
      for (const [index, entry] of indexedChildren(holder)) {
        const p = childPath(base, index);
        const k = entry.children?.get(keyName);
        if (!k || k.value === undefined) continue;
        const key = readKey(k, childPath(p, keyName));
        const v = entry.children!.get(valueName);
        const value = v ? (readValue ??= this.refReader(shape, shape.value!))(v, childPath(p, valueName)) : undefined;
        if (value !== undefined) setOwn(out, String(key), value);
      }
      return out;
    };
  }
}

function readStruct(plan: StructPlan, node: ParamNode, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kids = node.children;
  if (!kids) return out;
  for (const [key, child] of kids) {
    const entry = plan.byKey.get(key);
    if (!entry || Object.prototype.hasOwnProperty.call(out, entry.name)) continue;
    const v = entry.read(child, childPath(path, key));
    if (v !== undefined) out[entry.name] = v;
  }
  return out;
}

/** Sets a map entry so that a user key such as `__proto__` stays an own property. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
