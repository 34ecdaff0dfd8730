/**
 * Model-driven input validation: required members, lengths, ranges, patterns and
 * enums, reported in the sentence AWS's Coral validator writes, e.g.
 *   1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null
 * Each input shape compiles once into a plan (shape.plans 'validate'); shapes that
 * reach no constraint compile to nothing, so e.g. DynamoDB's Item map is never walked.
 */
import type { Shape } from '../models/model.js';
import { loadModel } from '../models/model.js';
import { ServiceError } from '../shared/errors.js';

/** How a service reports constraint violations in its input. */
export interface ValidationStyle {
  /** The service's endpoint prefix. */
  readonly service: string;
  /**
   * 'constraints': Coral's "N validation errors detected: ..." sentence;
   * 'missing-parameter': only a missing required top-level member, as "The request must contain the parameter X.";
   * 'none': the service words its own input errors, nothing is checked here.
   */
  readonly format: 'constraints' | 'missing-parameter' | 'none';
  /** The error code answered. */
  readonly code: string;
  /** Whether enum values are checked (many services accept unknown enum values). */
  readonly enums: boolean;
  /** Whether patterns are checked. */
  readonly patterns: boolean;
  /** Whether messages quote the offending value; newer Smithy-validated services write "Value at 'x'". */
  readonly echoValues: boolean;
  /** Whether "Member must not be null" ends the constraint list of list/map elements (Lambda does). */
  readonly elementNotNull: boolean;
  /** AWS stops after this many violations ("10 validation errors detected"). */
  readonly maxErrors: number;
  /** Enum value sets as the service prints them, by shape name, where that differs from the model's order. */
  readonly enumOrder: Readonly<Record<string, readonly string[]>>;
}

const DEFAULT_STYLE: Omit<ValidationStyle, 'service'> = {
  format: 'constraints', code: 'ValidationException', enums: true, patterns: true, echoValues: true,
  elementNotNull: false, maxErrors: 10, enumOrder: {},
};

/**
 * Per-service facts, by endpoint prefix. Sources: DynamoDB and Kinesis messages as recorded by
 * dynalite/kinesalite tests and by users; STS/IAM/SNS answer the same sentences under the code
 * ValidationError (SNS's InvalidParameter is for its own semantic checks, e.g. "Invalid parameter: Empty message");
 * SQS answers MissingParameter "The request must contain the parameter QueueUrl."; S3, EC2 and
 * CloudWatch word their own errors (InvalidBucketName, InvalidParameterValue "The collection
 * MetricData must not have a size greater than 20.") and their services check input themselves.
 */
const STYLES: Readonly<Record<string, Partial<Omit<ValidationStyle, 'service'>>>> = {
  dynamodb: {
    // Value sets as real DynamoDB prints them (its order is not the model's).
    enumOrder: {
      ComparisonOperator: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
      Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
      StreamViewType: ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'],
      ScalarAttributeType: ['B', 'N', 'S'],
      ContributorInsightsMode: ['THROTTLED_KEYS', 'ACCESSED_AND_THROTTLED_KEYS'],
    },
  },
  'streams.dynamodb': {},
  kinesis: {},
  // Lambda: "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]".
  lambda: { elementNotNull: true },
  sts: { code: 'ValidationError' },
  iam: { code: 'ValidationError' },
  sns: { code: 'ValidationError', enums: false, patterns: false },
  sqs: { format: 'missing-parameter', code: 'MissingParameter' },
  s3: { format: 'none' },
  ec2: { format: 'none' },
  monitoring: { format: 'none' },
};

const styles = new Map<string, ValidationStyle>();

/** The validation style of a service (by endpoint prefix); unknown services get Coral's defaults. */
export function validationStyle(service: string): ValidationStyle {
  let style = styles.get(service);
  if (!style) {
    style = { ...DEFAULT_STYLE, ...STYLES[service], service };
    styles.set(service, style);
  }
  return style;
}

/**
 * Validates a parsed input against its shape; returns the ServiceError to answer, or undefined.
 * `style` is the service's endpoint prefix or a style from validationStyle().
 */
export function validateInput(input: unknown, shape: Shape | undefined, style: string | ValidationStyle): ServiceError | undefined {
  if (!shape) return undefined;
  const s = typeof style === 'string' ? validationStyle(style) : style;
  if (s.format === 'none') return undefined;
  const plan = planOf(shape);
  if (!plan || plan.kind !== 'struct') return undefined;
  if (s.format === 'missing-parameter') return missingParameter(plan, input, s);
  // Valid input (the norm) takes a quick pass without paths; only invalid input is walked again to word the errors.
  if (innerValid(plan, input ?? {}, s)) return undefined;
  const ctx: Walk = { style: s, path: [], errors: undefined };
  checkInner(plan, input ?? {}, ctx);
  const errors = ctx.errors;
  if (!errors) return undefined;
  const n = errors.length;
  return new ServiceError(s.code, `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`, { status: 400 });
}

function missingParameter(plan: Node, input: unknown, style: ValidationStyle): ServiceError | undefined {
  const obj = (input ?? {}) as Record<string, unknown>;
  for (const m of plan.members) {
    if (m.required && obj[m.name] == null) {
      return new ServiceError(style.code, `The request must contain the parameter ${m.name}.`, { status: 400 });
    }
  }
  return undefined;
}

// ---- plans ----

type Kind = 'struct' | 'list' | 'map' | 'string' | 'number' | 'blob' | 'other';

interface MemberPlan {
  readonly name: string;
  /** The name as AWS paths print it: first letter lower-cased (SSESpecification -> sSESpecification). */
  readonly path: string;
  readonly required: boolean;
  readonly shape: Shape;
  readonly node: Node | null;
}

interface Node {
  readonly shape: Shape;
  readonly kind: Kind;
  /** Whether the shape itself carries a constraint (length, range, pattern, enum). */
  readonly own: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp | null;
  readonly enumSet?: ReadonlySet<string>;
  /** A string shape with only length constraints: lets valid values skip the code-point count. */
  readonly lengthOnly: boolean;
  readonly minLen: number;
  readonly maxLen: number;
  members: MemberPlan[];
  /** The members by name, in a prototype-less dictionary. */
  readonly byName: Record<string, MemberPlan | undefined>;
  requiredCount: number;
  element: Node | null;
  key: Node | null;
  value: Node | null;
}

const PLAN = 'validate';
const NONE = Symbol('no constraints');

function hasOwn(s: Shape): boolean {
  return s.min !== undefined || s.max !== undefined || s.pattern !== undefined || s.enum !== undefined;
}

function children(s: Shape): Shape[] {
  const out = s.memberList.map((m) => m.shape);
  if (s.member) out.push(s.member.shape);
  if (s.key) out.push(s.key.shape);
  if (s.value) out.push(s.value.shape);
  return out;
}

/** Whether any shape reachable from `root` (itself included) has a constraint or a required member. */
function reachesConstraint(root: Shape): boolean {
  const seen = new Set<Shape>([root]);
  const todo = [root];
  while (todo.length) {
    const s = todo.pop()!;
    if (hasOwn(s) || (s.type === 'structure' && s.required.length > 0)) return true;
    for (const c of children(s)) if (!seen.has(c)) { seen.add(c); todo.push(c); }
  }
  return false;
}

function kindOf(s: Shape): Kind {
  switch (s.type) {
    case 'structure': return s.document ? 'other' : 'struct';
    case 'list': return 'list';
    case 'map': return 'map';
    case 'string': return 'string';
    case 'blob': return s.streaming ? 'other' : 'blob';
    case 'integer': case 'long': case 'short': case 'byte': case 'float': case 'double': return 'number';
    default: return 'other';
  }
}

/** The compiled plan of a shape, or null when nothing under it can fail. Cached in shape.plans. */
function planOf(shape: Shape): Node | null {
  const cached = shape.plans.get(PLAN);
  if (cached !== undefined) return cached === NONE ? null : (cached as Node);
  if (!reachesConstraint(shape)) {
    shape.plans.set(PLAN, NONE);
    return null;
  }
  const kind = kindOf(shape);
  const node: Node = {
    shape, kind, own: hasOwn(shape) && kind !== 'other', min: shape.min, max: shape.max,
    pattern: shape.pattern !== undefined ? compilePattern(shape.pattern) : undefined,
    enumSet: shape.enum ? new Set(shape.enum) : undefined,
    lengthOnly: kind === 'string' && shape.pattern === undefined && shape.enum === undefined,
    minLen: shape.min ?? 0, maxLen: shape.max ?? Infinity,
    members: [], byName: Object.create(null) as Record<string, MemberPlan | undefined>, requiredCount: 0, element: null, key: null, value: null,
  };
  // Cache before recursing, so that recursive shapes (DynamoDB's AttributeValue) resolve.
  shape.plans.set(PLAN, node);
  if (kind === 'struct') {
    const required = new Set(shape.required);
    for (const m of shape.memberList) {
      const child = planOf(m.shape);
      if (!child && !required.has(m.name)) continue;
      const plan: MemberPlan = { name: m.name, path: lowerFirst(m.name), required: required.has(m.name), shape: m.shape, node: child };
      node.members.push(plan);
      node.byName[m.name] = plan;
      if (plan.required) node.requiredCount++;
    }
  } else if (kind === 'list' && shape.member) {
    node.element = planOf(shape.member.shape);
  } else if (kind === 'map') {
    node.key = shape.key ? planOf(shape.key.shape) : null;
    node.value = shape.value ? planOf(shape.value.shape) : null;
  }
  return node;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const patterns = new Map<string, RegExp | null>();

/**
 * Compiles a model pattern (Java regex syntax, matched against the whole value) once.
 * Java's POSIX classes and its escapes of plain punctuation are rewritten for JS's
 * 'u' mode; anything else JS cannot compile is skipped (null), never a crash.
 */
export function compilePattern(src: string): RegExp | null {
  let re = patterns.get(src);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${javaToJs(src)})$`, 'u');
    } catch {
      re = null;
    }
    patterns.set(src, re);
  }
  return re;
}

const POSIX: Readonly<Record<string, string>> = {
  Print: '\\x20-\\x7E', Graph: '\\x21-\\x7E', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9', Upper: 'A-Z',
  Lower: 'a-z', Punct: '!-\\/:-@\\[-`{-~', Space: ' \\t\\n\\x0B\\f\\r', Blank: ' \\t', XDigit: '0-9a-fA-F',
  Cntrl: '\\x00-\\x1F\\x7F', ASCII: '\\x00-\\x7F',
};
const SYNTAX = new Set('^$\\.*+?()[]{}|/');

function javaToJs(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1];
      const posix = /^p\{(\w+)\}/.exec(src.slice(i + 1));
      if (posix && POSIX[posix[1]] !== undefined) {
        out += inClass ? POSIX[posix[1]] : `[${POSIX[posix[1]]}]`;
        i += posix[0].length;
      } else if (/[A-Za-z0-9]/.test(n) || SYNTAX.has(n) || (n === '-' && inClass)) {
        out += c + n;
        i++;
      } else {
        // Java lets any punctuation be escaped (\_ \: \-); JS's 'u' mode does not.
        out += n;
        i++;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

// ---- the walk ----

interface Walk {
  readonly style: ValidationStyle;
  /** Path segments from the input down to the current value. */
  readonly path: (string | number)[];
  errors: string[] | undefined;
}

function full(ctx: Walk): boolean {
  return ctx.errors !== undefined && ctx.errors.length >= ctx.style.maxErrors;
}

function record(ctx: Walk, subject: string, constraint: string): void {
  if (full(ctx)) return;
  (ctx.errors ??= []).push(`${subject} at '${ctx.path.join('.')}' failed to satisfy constraint: ${constraint}`);
}

/** Checks a value at a member position: its own constraints, one error each, then what is inside. */
function check(node: Node, v: unknown, ctx: Walk): void {
  if (node.own) {
    const failures = ownFailures(node, v, ctx.style);
    if (failures) for (const f of failures) record(ctx, subject(v, node.shape, ctx.style), f);
  }
  checkInner(node, v, ctx);
}

/** Checks what is inside a structure, list or map (not the container's own constraints). */
function checkInner(node: Node, v: unknown, ctx: Walk): void {
  if (full(ctx) || typeof v !== 'object' || v === null) return;
  const { path } = ctx;
  if (node.kind === 'struct') {
    const obj = v as Record<string, unknown>;
    for (const m of node.members) {
      const mv = obj[m.name];
      if (mv === undefined || mv === null) {
        if (!m.required) continue;
        path.push(m.path);
        record(ctx, subject(null, m.shape, ctx.style), 'Member must not be null');
        path.pop();
      } else if (m.node) {
        path.push(m.path);
        check(m.node, mv, ctx);
        path.pop();
      }
    }
  } else if (node.kind === 'list') {
    const el = node.element;
    if (!el || !Array.isArray(v)) return;
    // A scalar element's constraints are reported once, at the list, as one composite constraint.
    if (el.own || ctx.style.elementNotNull) {
      for (const item of v) {
        if (!elementFails(el, item, ctx.style)) continue;
        record(ctx, subject(v, node.shape, ctx.style), `Member must satisfy constraint: [${constraintTexts(el, ctx.style).join(', ')}]`);
        break;
      }
    }
    if (el.kind === 'struct' || el.kind === 'list' || el.kind === 'map') {
      for (let i = 0; i < v.length && !full(ctx); i++) {
        path.push(i + 1, 'member');
        checkInner(el, v[i], ctx);
        path.pop();
        path.pop();
      }
    }
  } else if (node.kind === 'map') {
    const obj = v as Record<string, unknown>;
    const { key, value } = node;
    const style = ctx.style;
    const checkKeys = key !== null && (key.own || style.elementNotNull);
    const checkValues = value !== null && (value.own || style.elementNotNull);
    const inner = value !== null && (value.kind === 'struct' || value.kind === 'list' || value.kind === 'map');
    let keyFailed = false;
    let valueFailed = false;
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = obj[k];
      if (checkKeys && !keyFailed && elementFails(key, k, style)) {
        keyFailed = true;
        record(ctx, subject(v, node.shape, style), `Map key must satisfy constraint: [${constraintTexts(key, style).join(', ')}]`);
      }
      if (checkValues && !valueFailed && elementFails(value, x, style)) {
        valueFailed = true;
        record(ctx, subject(v, node.shape, style), `Map value must satisfy constraint: [${constraintTexts(value, style).join(', ')}]`);
      }
      if (inner && typeof x === 'object' && x !== null && !full(ctx)) {
        path.push(k, 'member');
        checkInner(value, x, ctx);
        path.pop();
        path.pop();
      }
    }
  }
}

/** The quick pass: whether everything inside a structure, list or map satisfies its constraints. */
function innerValid(node: Node, v: unknown, style: ValidationStyle): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (node.kind === 'struct') {
    const obj = v as Record<string, unknown>;
    // Walk the members present (usually few), looking each up in the plan; then count the required ones seen.
    let required = 0;
    for (const k in obj) {
      const m = node.byName[k];
      if (m === undefined) continue;
      const mv = obj[k];
      if (mv === undefined || mv === null) continue;
      if (m.required) required++;
      if (m.node && !((!m.node.own || ownFailures(m.node, mv, style) === undefined) && innerValid(m.node, mv, style))) return false;
    }
    if (required < node.requiredCount) return false;
  } else if (node.kind === 'list') {
    const el = node.element;
    if (!el || !Array.isArray(v)) return true;
    const own = el.own || style.elementNotNull;
    const inner = el.kind === 'struct' || el.kind === 'list' || el.kind === 'map';
    for (let i = 0; i < v.length; i++) {
      if ((own && elementFails(el, v[i], style)) || (inner && !innerValid(el, v[i], style))) return false;
    }
  } else if (node.kind === 'map') {
    const { key, value } = node;
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    const checkKeys = key !== null && (key.own || style.elementNotNull);
    const checkValues = value !== null && (value.own || style.elementNotNull);
    const inner = value !== null && (value.kind === 'struct' || value.kind === 'list' || value.kind === 'map');
    for (let i = 0; i < keys.length; i++) {
      const x = obj[keys[i]];
      if ((checkKeys && elementFails(key, keys[i], style)) || (checkValues && elementFails(value, x, style)) || (inner && !innerValid(value, x, style))) return false;
    }
  }
  return true;
}

function elementFails(node: Node, v: unknown, style: ValidationStyle): boolean {
  if (v === undefined || v === null) return style.elementNotNull;
  if (!node.own) return false;
  // Inline fast path for map keys such as DynamoDB's AttributeName (max 65535).
  if (node.lengthOnly && typeof v === 'string' && v.length <= node.maxLen && v.length >= node.minLen * 2) return false;
  return ownFailures(node, v, style) !== undefined;
}

/** The constraints of the shape itself that `v` violates, in the order AWS lists them; undefined when none. */
function ownFailures(node: Node, v: unknown, style: ValidationStyle): string[] | undefined {
  let out: string[] | undefined;
  const { min, max } = node;
  switch (node.kind) {
    case 'string': {
      if (typeof v !== 'string') return undefined;
      // Fast path: a length-only constraint that the UTF-16 length already satisfies.
      if (node.lengthOnly && v.length <= node.maxLen && v.length >= node.minLen * 2) return undefined;
      if (min !== undefined || max !== undefined) {
        const n = codePointLength(v, min ?? 0, max ?? Infinity);
        if (min !== undefined && n < min) (out ??= []).push(`Member must have length greater than or equal to ${min}`);
        if (max !== undefined && n > max) (out ??= []).push(`Member must have length less than or equal to ${max}`);
      }
      if (style.patterns && node.pattern && !node.pattern.test(v)) (out ??= []).push(patternText(node.shape));
      if (style.enums && node.enumSet && !node.enumSet.has(v)) (out ??= []).push(enumText(node.shape, style));
      return out;
    }
    case 'number': {
      if (typeof v !== 'number' || Number.isNaN(v)) return undefined;
      if (min !== undefined && v < min) (out ??= []).push(`Member must have value greater than or equal to ${numberText(min, node.shape)}`);
      if (max !== undefined && v > max) (out ??= []).push(`Member must have value less than or equal to ${numberText(max, node.shape)}`);
      return out;
    }
    case 'blob':
    case 'list':
    case 'map': {
      const n = sizeOf(node.kind, v);
      if (n === undefined) return undefined;
      if (min !== undefined && n < min) (out ??= []).push(`Member must have length greater than or equal to ${min}`);
      if (max !== undefined && n > max) (out ??= []).push(`Member must have length less than or equal to ${max}`);
      return out;
    }
    default:
      return undefined;
  }
}

function sizeOf(kind: Kind, v: unknown): number | undefined {
  if (kind === 'list') return Array.isArray(v) ? v.length : undefined;
  if (kind === 'map') return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v).length : undefined;
  if (v instanceof Uint8Array) return v.byteLength;
  if (typeof v === 'string') return Buffer.byteLength(v);
  return undefined;
}

/**
 * The length AWS measures: code points (a surrogate pair is one character). Counted
 * only when the UTF-16 length alone cannot decide against [min, max].
 */
function codePointLength(s: string, min: number, max: number): number {
  const len = s.length;
  if (len <= max && Math.ceil(len / 2) >= min) return len;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Every constraint of an element shape, as the composite "[...]" lists them: max, min, pattern, enum, not null. */
function constraintTexts(node: Node, style: ValidationStyle): string[] {
  const out: string[] = [];
  const s = node.shape;
  const word = node.kind === 'number' ? 'value' : 'length';
  const fmt = (n: number) => (node.kind === 'number' ? numberText(n, s) : String(n));
  if (s.max !== undefined) out.push(`Member must have ${word} less than or equal to ${fmt(s.max)}`);
  if (s.min !== undefined) out.push(`Member must have ${word} greater than or equal to ${fmt(s.min)}`);
  if (style.patterns && s.pattern !== undefined) out.push(patternText(s));
  if (style.enums && s.enum) out.push(enumText(s, style));
  if (style.elementNotNull) out.push('Member must not be null');
  return out;
}

function patternText(s: Shape): string {
  return `Member must satisfy regular expression pattern: ${s.pattern}`;
}

function enumText(s: Shape, style: ValidationStyle): string {
  return `Member must satisfy enum value set: [${(style.enumOrder[s.name] ?? s.enum ?? []).join(', ')}]`;
}

function numberText(n: number, s: Shape): string {
  return s.type === 'float' || s.type === 'double' ? javaDouble(n) : String(n);
}

// ---- values as AWS's Java validator prints them ----

/** "Value 'x'", "Value null", or "Value" alone for sensitive shapes and services that do not echo values. */
function subject(v: unknown, shape: Shape | undefined, style: ValidationStyle): string {
  if (!style.echoValues || shape?.sensitive) return 'Value';
  if (v === undefined || v === null) return 'Value null';
  return `Value '${javaText(v, shape, style)}'`;
}

/** Java's toString of the value: lists [a, b], maps {k=v}, structures pkg.Shape@hash, blobs as a ByteBuffer. */
function javaText(v: unknown, shape: Shape | undefined, style: ValidationStyle): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return shape && (shape.type === 'float' || shape.type === 'double') ? javaDouble(v) : String(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return javaDate(v);
  if (v instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${v.byteLength} cap=${v.byteLength}]`;
  if (Array.isArray(v)) return `[${v.map((x) => javaText(x, shape?.member?.shape, style)).join(', ')}]`;
  if (typeof v !== 'object') return String(v);
  if (shape?.type === 'map') {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${k}=${javaText(x, shape.value?.shape, style)}`).join(', ')}}`;
  }
  if (shape?.type === 'structure' && !shape.document) return `${javaPackage(style.service)}.${shape.name}@${contentHash(v)}`;
  return safeJson(v);
}

const packages = new Map<string, string>();

/** Coral's Java package for a service's types: com.amazonaws.dynamodb.v20120810. */
function javaPackage(service: string): string {
  let pkg = packages.get(service);
  if (pkg === undefined) {
    try {
      pkg = `com.amazonaws.${service}.v${loadModel(service).metadata.apiVersion.replace(/-/g, '')}`;
    } catch {
      pkg = `com.amazonaws.${service}`;
    }
    packages.set(service, pkg);
  }
  return pkg;
}

/** A stable 32-bit content hash in Java's unpadded hex (AWS prints the object's hashCode). */
function contentHash(v: object): string {
  const text = safeJson(v);
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Java's Double.toString: 1.0, 0.5, 1.0E-5, 1.0E21. */
export function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const a = Math.abs(n);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.replace('+', '')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's Date.toString in UTC: Thu Jan 01 00:00:00 UTC 1970. */
function javaDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
