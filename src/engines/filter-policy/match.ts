/**
 * Evaluates a compiled SNS filter policy against a message's attributes or its
 * JSON body ("Amazon SNS message filtering", SNS developer guide).
 */
import type { CompiledFilterPolicy, KeyCondition, Matcher, Cidr } from './compile.js';
import { ipBytes } from './compile.js';

/** A scalar a policy compares against. */
type Leaf = string | number | boolean | null;

/** A message attribute as SNS receives it (DataType String, String.Array, Number, Binary, with custom suffixes). */
export interface FilterAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** Whether a message with these attributes passes the policy (MessageAttributes scope). */
export function matchesAttributes(policy: CompiledFilterPolicy, attributes: Readonly<Record<string, FilterAttribute>> | undefined): boolean {
  return policy.branches.some((branch) => branch.every((c) => matchesKey(c, attributeLeaves(attributes?.[c.path[0]]))));
}

/**
 * Whether a message body passes the policy (MessageBody scope). A body that is not a
 * JSON object matches nothing: body policies assume a well-formed JSON payload.
 */
export function matchesBody(policy: CompiledFilterPolicy, body: string | unknown): boolean {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return false;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  return policy.branches.some((branch) => branch.every((c) => matchesKey(c, bodyLeaves(parsed, c.path))));
}

/** The values of one key, or undefined when the key is absent. */
type Leaves = Leaf[] | undefined;

function matchesKey(condition: KeyCondition, leaves: Leaves): boolean {
  for (const m of condition.matchers) {
    if (m.kind === 'exists') {
      if (m.value === (leaves !== undefined)) return true;
    } else if (leaves) {
      for (const leaf of leaves) if (matchesLeaf(m, leaf)) return true;
    }
  }
  return false;
}

function matchesLeaf(m: Matcher, v: Leaf): boolean {
  switch (m.kind) {
    case 'string':
      return v === m.value;
    case 'number':
      return typeof v === 'number' && v === m.value;
    case 'boolean':
      return v === m.value;
    case 'null':
      return v === null;
    case 'prefix':
      return typeof v === 'string' && v.startsWith(m.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(m.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value.toLowerCase();
    case 'numeric': {
      if (typeof v !== 'number') return false;
      const r = m.range;
      if (r.lower !== undefined && (r.lowerInclusive ? v < r.lower : v <= r.lower)) return false;
      if (r.upper !== undefined && (r.upperInclusive ? v > r.upper : v >= r.upper)) return false;
      return true;
    }
    case 'cidr':
      return typeof v === 'string' && inCidr(m.cidr, v);
    case 'anything-but':
      if (typeof v === 'string') return !m.strings.has(v);
      if (typeof v === 'number') return !m.numbers.includes(v);
      return true;
    case 'anything-but-prefix':
      return typeof v !== 'string' || !v.startsWith(m.value);
    case 'anything-but-suffix':
      return typeof v !== 'string' || !v.endsWith(m.value);
    case 'anything-but-equals-ignore-case':
      return typeof v !== 'string' || !m.values.includes(v.toLowerCase());
    case 'exists':
      return false;
  }
}

function inCidr(cidr: Cidr, address: string): boolean {
  const bytes = ipBytes(address);
  if (!bytes || bytes.length !== cidr.bytes.length) return false;
  const whole = cidr.bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== cidr.bytes[i]) return false;
  const rest = cidr.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole] & mask) === (cidr.bytes[whole] & mask);
}

/**
 * An attribute's values as the policy sees them: String as a string, Number as a number,
 * String.Array as its JSON elements; Binary attributes exist but have no comparable value.
 */
function attributeLeaves(attribute: FilterAttribute | undefined): Leaves {
  if (!attribute) return undefined;
  const type = attribute.DataType;
  const value = attribute.StringValue;
  if (type.startsWith('Binary') || value === undefined) return [];
  if (type.startsWith('String.Array')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((e): e is Leaf => e === null || typeof e !== 'object');
    } catch {
      return [];
    }
  }
  if (type.startsWith('Number')) {
    const n = Number(value);
    return Number.isNaN(n) ? [] : [n];
  }
  return [value];
}

/** The scalar values at a path of nested keys; arrays along the way are flattened. */
function bodyLeaves(root: unknown, path: readonly string[]): Leaves {
  let nodes: unknown[] = [root];
  for (const key of path) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
      pushFlat(next, (node as Record<string, unknown>)[key]);
    }
    if (next.length === 0) return undefined;
    nodes = next;
  }
  const leaves = nodes.filter((n): n is Leaf => n === null || typeof n !== 'object');
  return leaves.length ? leaves : undefined;
}

function pushFlat(out: unknown[], value: unknown): void {
  if (Array.isArray(value)) for (const v of value) pushFlat(out, v);
  else out.push(value);
}
