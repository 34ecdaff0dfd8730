/**
 * Binding: resolves #names and :values in raw trees, checks them the way DynamoDB
 * does, and produces the bound trees the evaluators run. DynamoDB reports one error
 * per expression, picking by category in a fixed order; so do we.
 */
import type { AttributeValue, ConditionNode, DocumentPath, Operand, UpdateActions, CompareOp } from './types.js';
import type { RawCondition, RawOperand, RawPathElement, ParsedUpdate } from './parser.js';
import { isReservedWord } from './reserved-words.js';
import { typeOf, compareValues, isOrderable } from './values.js';

/** Error categories, in the order DynamoDB reports them for conditions and for updates. */
type Category = 'parens' | 'unknownFunction' | 'misusedFunction' | 'reserved' | 'section' | 'attrName' | 'attrVal'
  | 'pathOverlap' | 'pathConflict' | 'operand' | 'distinct' | 'function';
const CONDITION_ORDER: Category[] = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'attrName', 'operand', 'distinct', 'function'];
const UPDATE_ORDER: Category[] = ['reserved', 'unknownFunction', 'section', 'attrName', 'attrVal', 'pathOverlap', 'pathConflict', 'operand', 'function'];
const PROJECTION_ORDER: Category[] = ['reserved', 'attrName', 'pathOverlap', 'pathConflict'];

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1,
};
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const TYPE_NAMES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
const LONG_TYPE: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', L: 'LIST', M: 'MAP', SS: 'SS', NS: 'NS', BS: 'BS',
};

/** Names and values of a request, with what the expressions used of them. */
export interface BindScope {
  names: Record<string, string> | undefined;
  values: Record<string, AttributeValue> | undefined;
  usedNames: Set<string>;
  usedValues: Set<string>;
}

/** The bound value of an operand plus its statically known type (values, size()). */
interface Typed { operand: Operand; type: string | undefined }

class Binder {
  private readonly errors = new Map<Category, string>();
  constructor(private readonly scope: BindScope) {}

  error(category: Category, message: string): void {
    if (!this.errors.has(category)) this.errors.set(category, message);
  }

  first(order: Category[]): string | undefined {
    for (const c of order) {
      const m = this.errors.get(c);
      if (m !== undefined) return m;
    }
    return undefined;
  }

  path(elements: RawPathElement[]): DocumentPath {
    const out: DocumentPath = [];
    for (const e of elements) {
      if (e.kind === 'index') out.push(e.index);
      else if (e.kind === 'name') {
        if (isReservedWord(e.name)) this.error('reserved', `Attribute name is a reserved keyword; reserved keyword: ${e.name}`);
        out.push(e.name);
      } else {
        const names = this.scope.names;
        const resolved = names && Object.prototype.hasOwnProperty.call(names, e.name) ? names[e.name] : undefined;
        if (resolved === undefined) {
          this.error('attrName', `An expression attribute name used in the document path is not defined; attribute name: ${e.name}`);
          out.push(e.name);
        } else {
          this.scope.usedNames.add(e.name);
          out.push(resolved);
        }
      }
    }
    return out;
  }

  value(ref: string, category: Category): AttributeValue {
    const values = this.scope.values;
    const v = values && Object.prototype.hasOwnProperty.call(values, ref) ? values[ref] : undefined;
    if (v === undefined) {
      this.error(category, `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
      return { NULL: true };
    }
    this.scope.usedValues.add(ref);
    return v;
  }

  // ----- conditions -----

  conditionOperand(raw: RawOperand): Typed {
    switch (raw.kind) {
      case 'path': return { operand: { kind: 'path', path: this.path(raw.elements) }, type: undefined };
      case 'value': {
        const value = this.value(raw.ref, 'attrName');
        return { operand: { kind: 'value', value }, type: typeOf(value) };
      }
      case 'call': {
        if (!(raw.name in CONDITION_FUNCTIONS)) {
          this.error('unknownFunction', `Invalid function name; function: ${raw.name}`);
        } else if (raw.name !== 'size') {
          this.error('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${raw.name}`);
        }
        const args = raw.args.map((a) => this.conditionArg(a));
        if (raw.name === 'size') {
          if (args.length !== 1) this.operandCount('size', args.length);
          const t = args[0]!.type;
          if (t === 'N' || t === 'BOOL' || t === 'NULL') {
            this.error('function', `Incorrect operand type for operator or function; operator or function: size, operand type: ${t}`);
          }
        }
        return { operand: { kind: 'size', operand: args[0]!.operand }, type: 'N' };
      }
      default:
        // Arithmetic never parses inside conditions.
        throw new TypeError(`unexpected operand ${raw.kind}`);
    }
  }

  /** A function argument: a nested function other than size() is misused. */
  conditionArg(raw: RawOperand): Typed {
    return this.conditionOperand(raw);
  }

  operandCount(name: string, n: number): void {
    this.error('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${n}`);
  }

  distinct(op: string, first: Typed, rest: Typed[]): void {
    if (first.operand.kind !== 'path') return;
    const a = first.operand.path;
    for (const r of rest) {
      if (r.operand.kind === 'path' && samePath(a, r.operand.path)) {
        this.error('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${pathText(a)}`);
        return;
      }
    }
  }

  orderable(op: string, operands: Typed[]): void {
    for (const o of operands) {
      if (o.operand.kind === 'value' && !isOrderable(o.operand.value)) {
        this.error('function', `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${LONG_TYPE[o.type!] ?? o.type}`);
        return;
      }
    }
  }

  condition(raw: RawCondition): ConditionNode {
    switch (raw.kind) {
      case 'and': case 'or': return { kind: raw.kind, left: this.condition(raw.left), right: this.condition(raw.right) };
      case 'not': return { kind: 'not', operand: this.condition(raw.operand) };
      case 'compare': {
        const left = this.conditionOperand(raw.left);
        const right = this.conditionOperand(raw.right);
        this.distinct(raw.op, left, [right]);
        if (raw.op !== '=' && raw.op !== '<>') this.orderable(raw.op, [left, right]);
        return { kind: 'compare', op: raw.op as CompareOp, left: left.operand, right: right.operand };
      }
      case 'between': {
        const operand = this.conditionOperand(raw.operand);
        const low = this.conditionOperand(raw.low);
        const high = this.conditionOperand(raw.high);
        this.distinct('BETWEEN', operand, [low, high]);
        this.orderable('BETWEEN', [operand, low, high]);
        if (low.operand.kind === 'value' && high.operand.kind === 'value' && isOrderable(low.operand.value) && isOrderable(high.operand.value)) {
          const lo = low.operand.value;
          const hi = high.operand.value;
          const bounds = `lower bound operand: AttributeValue: {${typeOf(lo)}:${scalarText(lo)}}, upper bound operand: AttributeValue: {${typeOf(hi)}:${scalarText(hi)}}`;
          if (typeOf(lo) !== typeOf(hi)) {
            this.error('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
          } else if (compareValues(lo, hi) > 0) {
            this.error('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
          }
        }
        return { kind: 'between', operand: operand.operand, low: low.operand, high: high.operand };
      }
      case 'in': {
        const operand = this.conditionOperand(raw.operand);
        const list = raw.list.map((o) => this.conditionOperand(o));
        if (list.length > 100) this.error('operand', `The IN operator is provided with too many operands; number of operands: ${list.length}`);
        this.distinct('IN', operand, list);
        return { kind: 'in', operand: operand.operand, list: list.map((t) => t.operand) };
      }
      case 'call': return this.conditionFunction(raw.name, raw.args);
    }
  }

  conditionFunction(name: string, rawArgs: RawOperand[]): ConditionNode {
    const never: ConditionNode = { kind: 'attribute_exists', path: [] };
    const expected = CONDITION_FUNCTIONS[name];
    if (expected === undefined) {
      this.error('unknownFunction', `Invalid function name; function: ${name}`);
      rawArgs.forEach((a) => this.conditionOperand(a));
      return never;
    }
    const args = rawArgs.map((a) => this.conditionOperand(a));
    if (name === 'size') {
      this.error('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return never;
    }
    if (args.length !== expected) { this.operandCount(name, args.length); return never; }
    this.distinct(name, args[0]!, args.slice(1));
    const first = args[0]!;
    switch (name) {
      case 'attribute_exists': case 'attribute_not_exists':
        if (first.operand.kind !== 'path') {
          this.error('function', `Operator or function requires a document path; operator or function: ${name}`);
          return never;
        }
        return { kind: name, path: first.operand.path };
      case 'attribute_type': {
        const t = args[1]!;
        if (t.type !== 'S') {
          this.error('function', `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${t.type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}'}`);
        } else if (t.operand.kind === 'value' && 'S' in t.operand.value && !TYPE_NAMES.has(t.operand.value.S)) {
          this.error('function', `Invalid attribute type name found; type: ${t.operand.value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
        }
        if (first.operand.kind !== 'path') {
          this.error('function', `Operator or function requires a document path; operator or function: ${name}`);
          return never;
        }
        return { kind: 'attribute_type', path: first.operand.path, type: t.operand };
      }
      case 'begins_with':
        for (const a of args) {
          if (a.type !== undefined && a.type !== 'S' && a.type !== 'B') {
            this.error('function', `Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${a.type}`);
            break;
          }
        }
        return { kind: 'begins_with', operand: first.operand, prefix: args[1]!.operand };
      default: // contains
        return { kind: 'contains', operand: first.operand, value: args[1]!.operand };
    }
  }

  // ----- updates -----

  updateOperand(raw: RawOperand): Typed {
    switch (raw.kind) {
      case 'path': return { operand: { kind: 'path', path: this.path(raw.elements) }, type: undefined };
      case 'value': {
        const value = this.value(raw.ref, 'attrVal');
        return { operand: { kind: 'value', value }, type: typeOf(value) };
      }
      case 'plus': case 'minus': {
        const left = this.updateOperand(raw.left);
        const right = this.updateOperand(raw.right);
        const sign = raw.kind === 'plus' ? '+' : '-';
        for (const o of [left, right]) {
          if (o.operand.kind === 'value' && o.type !== 'N') {
            this.error('function', `Incorrect operand type for operator or function; operator or function: ${sign}, operand type: ${o.type}`);
            break;
          }
        }
        return { operand: { kind: raw.kind, left: left.operand, right: right.operand }, type: 'N' };
      }
      case 'call': {
        const expected = UPDATE_FUNCTIONS[raw.name];
        if (expected === undefined) this.error('unknownFunction', `Invalid function name; function: ${raw.name}`);
        const args = raw.args.map((a) => this.updateOperand(a));
        const fallback: Typed = { operand: { kind: 'value', value: { NULL: true } }, type: undefined };
        if (expected === undefined) return fallback;
        if (args.length !== expected) {
          this.error('function', `Incorrect number of operands for operator or function; operator or function: ${raw.name}, number of operands: ${args.length}`);
          return fallback;
        }
        const [a, b] = args as [Typed, Typed];
        if (raw.name === 'if_not_exists') {
          if (a.operand.kind !== 'path') {
            this.error('function', 'Operator or function requires a document path; operator or function: if_not_exists');
            return fallback;
          }
          return { operand: { kind: 'if_not_exists', path: a.operand.path, operand: b.operand }, type: b.type };
        }
        for (const o of args) {
          if (o.operand.kind === 'value' && o.type !== 'L') {
            this.error('function', `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${o.type}`);
            break;
          }
        }
        return { operand: { kind: 'list_append', left: a.operand, right: b.operand }, type: 'L' };
      }
    }
  }

  update(parsed: ParsedUpdate): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    const targets: DocumentPath[] = [];
    for (const clause of parsed.clauses) {
      if (seen.has(clause.kind)) this.error('section', `The "${clause.kind}" section can only be used once in an update expression;`);
      seen.add(clause.kind);
      if (clause.kind === 'SET') {
        for (const a of clause.actions) {
          const path = this.path(a.path.elements);
          targets.push(path);
          actions.set.push({ path, value: this.updateOperand(a.value).operand });
        }
      } else if (clause.kind === 'REMOVE') {
        for (const p of clause.paths) {
          const path = this.path(p.elements);
          targets.push(path);
          actions.remove.push(path);
        }
      } else {
        for (const a of clause.actions) {
          const path = this.path(a.path.elements);
          targets.push(path);
          const value = this.value(a.ref, 'attrVal');
          const t = typeOf(value);
          const ok = clause.kind === 'ADD' ? t === 'N' || t === 'SS' || t === 'NS' || t === 'BS' : t === 'SS' || t === 'NS' || t === 'BS';
          if (!ok && this.scope.values?.[a.ref] !== undefined) {
            this.error('operand', `Incorrect operand type for operator or function; operator: ${clause.kind}, operand type: ${LONG_TYPE[t] ?? t}`);
          }
          (clause.kind === 'ADD' ? actions.add : actions.delete).push({ path, value });
        }
      }
    }
    this.overlaps(targets);
    return actions;
  }

  overlaps(paths: DocumentPath[]): void {
    for (let j = 1; j < paths.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = paths[i]!;
        const b = paths[j]!;
        const n = Math.min(a.length, b.length);
        let k = 0;
        let differs = false;
        for (; k < n; k++) {
          if (typeof a[k] !== typeof b[k]) {
            this.error('pathConflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
            differs = true;
            break;
          }
          if (a[k] !== b[k]) { differs = true; break; }
        }
        if (!differs) this.error('pathOverlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
      }
    }
  }
}

function samePath(a: DocumentPath, b: DocumentPath): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** DynamoDB's rendering of a path in messages: [a, b, [0]]. */
export function pathText(path: DocumentPath): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}

function scalarText(v: AttributeValue): string {
  if ('S' in v) return v.S;
  if ('N' in v) return v.N;
  if ('B' in v) return v.B.toString('base64');
  return '';
}

/** Binds a parsed condition; returns the node or the message of the first error. */
export function bindCondition(root: RawCondition, redundantParens: boolean, scope: BindScope): ConditionNode | string {
  const b = new Binder(scope);
  if (redundantParens) b.error('parens', 'The expression has redundant parentheses;');
  const node = b.condition(root);
  return b.first(CONDITION_ORDER) ?? node;
}

/** Binds a parsed update; returns the actions or the message of the first error. */
export function bindUpdate(parsed: ParsedUpdate, scope: BindScope): UpdateActions | string {
  const b = new Binder(scope);
  const actions = b.update(parsed);
  return b.first(UPDATE_ORDER) ?? actions;
}

/** Binds projection paths; returns them or the message of the first error. */
export function bindProjection(paths: { elements: RawPathElement[] }[], scope: BindScope): DocumentPath[] | string {
  const b = new Binder(scope);
  const out = paths.map((p) => b.path(p.elements));
  b.overlaps(out);
  return b.first(PROJECTION_ORDER) ?? out;
}
