/**
 * SNS subscription filter policies: parsing, validation with SNS's messages, and
 * compilation into branches of matchers that match.ts evaluates without walking the
 * JSON again. Limits from "Amazon SNS message filtering constraints" (SNS developer guide).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Where a policy looks: the message attributes or the (JSON) message body. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** An invalid policy; `message` follows `Invalid parameter: ` (the caller adds its prefix). */
export class FilterPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPolicyError';
  }
}

/** A numeric range: lower and upper bounds with inclusivity (absent bound = unbounded). */
export interface NumericRange {
  lower?: number;
  lowerInclusive: boolean;
  upper?: number;
  upperInclusive: boolean;
}

/** One compiled match rule of a key's array. */
export type Matcher =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'numeric'; range: NumericRange }
  | { kind: 'exists'; value: boolean }
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'anything-but'; strings: ReadonlySet<string>; numbers: readonly number[] }
  | { kind: 'anything-but-prefix'; value: string }
  | { kind: 'anything-but-suffix'; value: string }
  | { kind: 'anything-but-equals-ignore-case'; values: readonly string[] };

/** A parsed CIDR block: address bytes and prefix length. */
export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** One key (a path of nested keys for the body scope) and its alternatives. */
export interface KeyCondition {
  path: readonly string[];
  matchers: readonly Matcher[];
}

/** A compiled policy: it matches when every condition of at least one branch matches. */
export interface CompiledFilterPolicy {
  scope: FilterPolicyScope;
  branches: readonly (readonly KeyCondition[])[];
}

/** At most five keys (for nested policies, parent keys) per policy. */
const MAX_KEYS = 5;
/** At most 150 combinations of values. */
const MAX_COMBINATIONS = 150;

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

/** Parses and validates a policy's JSON text; throws FilterPolicyError with SNS's wording. */
export function compileFilterPolicy(text: string, scope: FilterPolicyScope = 'MessageAttributes'): CompiledFilterPolicy {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new FilterPolicyError('FilterPolicy: failed to parse JSON.');
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new FilterPolicyError('FilterPolicy: Filter policy must be a JSON object');
  }
  const branches = expand(policy as Record<string, unknown>, [], 1, scope);
  let combinations = 0;
  for (const branch of branches) {
    const parents = new Set(branch.conditions.map((c) => c.path[0]));
    if (parents.size > MAX_KEYS) throw new FilterPolicyError('FilterPolicy: Filter policy can not have more than 5 keys');
    combinations += branch.combinations;
  }
  if (combinations > MAX_COMBINATIONS) throw new FilterPolicyError('FilterPolicy: Filter policy is too complex');
  return { scope, branches: branches.map((b) => b.conditions) };
}

interface Branch {
  conditions: KeyCondition[];
  combinations: number;
}

/**
 * Expands an object of the policy into branches ($or multiplies them). Combinations follow
 * the guide's rule: the product over arrays of (values x nesting level of the key).
 */
function expand(node: Record<string, unknown>, path: string[], depth: number, scope: FilterPolicyScope): Branch[] {
  let branches: Branch[] = [{ conditions: [], combinations: 1 }];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) {
        throw new FilterPolicyError('FilterPolicy: Or keyword must be followed by a list of at least two objects');
      }
      const alternatives = value.flatMap((v) => expand(v as Record<string, unknown>, path, depth, scope));
      branches = branches.flatMap((b) => alternatives.map((a) => ({ conditions: [...b.conditions, ...a.conditions], combinations: b.combinations * a.combinations })));
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) throw new FilterPolicyError('FilterPolicy: Empty arrays are not allowed');
      const condition: KeyCondition = { path: [...path, key], matchers: value.map(compileRule) };
      branches = branches.map((b) => ({ conditions: [...b.conditions, condition], combinations: b.combinations * value.length * depth }));
    } else if (value !== null && typeof value === 'object') {
      if (scope === 'MessageAttributes') throw new FilterPolicyError('Filter policy scope MessageAttributes does not support nested filter policy');
      const nested = expand(value as Record<string, unknown>, [...path, key], depth + 1, scope);
      branches = branches.flatMap((b) => nested.map((n) => ({ conditions: [...b.conditions, ...n.conditions], combinations: b.combinations * n.combinations })));
    } else {
      throw new FilterPolicyError(`FilterPolicy: "${key}" must be an object or an array`);
    }
  }
  return branches;
}

function compileRule(rule: unknown): Matcher {
  if (rule === null) return { kind: 'null' };
  if (typeof rule === 'string') return { kind: 'string', value: rule };
  if (typeof rule === 'number') return { kind: 'number', value: rule };
  if (typeof rule === 'boolean') return { kind: 'boolean', value: rule };
  if (Array.isArray(rule)) throw new FilterPolicyError('FilterPolicy: Match value must be String, number, true, false, or null');
  const entries = Object.entries(rule as Record<string, unknown>);
  if (entries.length !== 1) throw new FilterPolicyError('FilterPolicy: Only one key allowed in match expression');
  const [operator, value] = entries[0];
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof value !== 'string') throw new FilterPolicyError(`FilterPolicy: ${operator} match pattern must be a string`);
      return { kind: operator, value };
    case 'exists':
      if (typeof value !== 'boolean') throw new FilterPolicyError('FilterPolicy: exists match pattern must be either true or false.');
      return { kind: 'exists', value };
    case 'numeric':
      return { kind: 'numeric', range: compileNumeric(value) };
    case 'cidr':
      return { kind: 'cidr', cidr: compileCidr(value) };
    case 'anything-but':
      return compileAnythingBut(value);
    default:
      throw new FilterPolicyError(`FilterPolicy: Unrecognized match type ${operator}`);
  }
}

function compileAnythingBut(value: unknown): Matcher {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length !== 1) throw new FilterPolicyError('FilterPolicy: Only one key allowed in match expression');
    const [operator, inner] = entries[0];
    if (operator === 'prefix' || operator === 'suffix') {
      if (typeof inner !== 'string') throw new FilterPolicyError(`FilterPolicy: ${operator} match pattern must be a string`);
      return { kind: operator === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: inner };
    }
    if (operator === 'equals-ignore-case') {
      const values = Array.isArray(inner) ? inner : [inner];
      if (values.length === 0 || values.some((v) => typeof v !== 'string')) throw new FilterPolicyError('FilterPolicy: equals-ignore-case match pattern must be a string');
      return { kind: 'anything-but-equals-ignore-case', values: values.map((v) => (v as string).toLowerCase()) };
    }
    throw new FilterPolicyError(`FilterPolicy: Unsupported anything-but pattern: ${operator}`);
  }
  const values = Array.isArray(value) ? value : [value];
  const strings = new Set<string>();
  const numbers: number[] = [];
  for (const v of values) {
    if (typeof v === 'string') strings.add(v);
    else if (typeof v === 'number') numbers.push(v);
    else throw new FilterPolicyError('FilterPolicy: Inside anything but list, start|null|boolean is not supported.');
  }
  return { kind: 'anything-but', strings, numbers };
}

/** `["=", 5]`, `[">", 0]`, `[">=", 0, "<", 10]`: one comparison or a lower then an upper bound. */
function compileNumeric(value: unknown): NumericRange {
  if (!Array.isArray(value) || value.length === 0) throw new FilterPolicyError('FilterPolicy: Invalid member in numeric match: ]');
  const [op, operand, op2, operand2, ...rest] = value as unknown[];
  if (typeof op !== 'string') throw new FilterPolicyError(`FilterPolicy: Invalid member in numeric match: ${String(op)}`);
  if (!NUMERIC_OPERATORS.has(op)) throw new FilterPolicyError(`FilterPolicy: Unrecognized numeric range operator: ${op}`);
  if (typeof operand !== 'number') throw new FilterPolicyError(`FilterPolicy: Value of ${op === '=' ? 'equals' : op} must be numeric`);
  const range: NumericRange = { lowerInclusive: false, upperInclusive: false };
  if (op === '=') {
    if (value.length > 2) throw new FilterPolicyError('FilterPolicy: Too many elements in numeric expression');
    return { lower: operand, lowerInclusive: true, upper: operand, upperInclusive: true };
  }
  if (op === '<' || op === '<=') {
    if (value.length > 2) throw new FilterPolicyError('FilterPolicy: Too many elements in numeric expression');
    return { ...range, upper: operand, upperInclusive: op === '<=' };
  }
  range.lower = operand;
  range.lowerInclusive = op === '>=';
  if (value.length === 2) return range;
  if (typeof op2 !== 'string') throw new FilterPolicyError(`FilterPolicy: Bad value in numeric range: ${String(op2)}`);
  if (op2 !== '<' && op2 !== '<=') throw new FilterPolicyError(`FilterPolicy: Bad numeric range operator: ${op2}`);
  if (typeof operand2 !== 'number') throw new FilterPolicyError(`FilterPolicy: Value of ${op2} must be numeric`);
  if (operand2 <= operand) throw new FilterPolicyError('FilterPolicy: Bottom must be less than top');
  if (rest.length > 0) throw new FilterPolicyError('FilterPolicy: Too many terms in numeric range expression');
  range.upper = operand2;
  range.upperInclusive = op2 === '<=';
  return range;
}

function compileCidr(value: unknown): Cidr {
  // A non-string cidr answers with the prefix wording (observed from SNS).
  if (typeof value !== 'string') throw new FilterPolicyError('FilterPolicy: prefix match pattern must be a string');
  const parts = value.split('/');
  if (parts.length !== 2) throw new FilterPolicyError("FilterPolicy: Malformed CIDR, one '/' required");
  const [address, mask] = parts;
  if (!/^\d+$/.test(mask)) throw new FilterPolicyError('FilterPolicy: Malformed CIDR, mask bits must be an integer');
  const bytes = ipBytes(address);
  const bits = Number(mask);
  if (!bytes || bits > bytes.length * 8) throw new FilterPolicyError(`FilterPolicy: Nonstandard IP address: ${address}`);
  return { bytes, bits };
}

/** The bytes of an IPv4 (4) or IPv6 (16) address, or undefined. */
export function ipBytes(address: string): Uint8Array | undefined {
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  if (!isIPv6(address)) return undefined;
  let text = address;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
    const v4 = text.slice(lastColon + 1).split('.').map(Number);
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = text.slice(0, lastColon + 1) + '0';
  }
  const [head, rest] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const a = parse(head);
  const b = parse(rest);
  if (tail.length) (rest === undefined ? a : b).pop();
  const groups = rest === undefined ? [...a, ...tail] : [...a, ...new Array(8 - a.length - b.length - tail.length).fill(0), ...b, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 255;
  });
  return out;
}
