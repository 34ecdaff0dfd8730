/**
 * PartiQL trees as DynamoDB expressions: conditions, update actions and projections
 * written with #name and :value placeholders only, so that the expression engine
 * compiles and evaluates them (one evaluator for both languages), and the key
 * equalities a statement's WHERE pins.
 */
import type { AttributeValue, DocumentPath } from '../expressions/index.js';
import type { PqCondition, PqOperand, PqSetValue } from './ast.js';

/** Expression text with its ExpressionAttributeNames and ExpressionAttributeValues. */
export class ExpressionWriter {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly byName = new Map<string, string>();
  private valueCount = 0;

  name(n: string): string {
    let k = this.byName.get(n);
    if (!k) {
      k = `#n${this.byName.size}`;
      this.byName.set(n, k);
      this.names[k] = n;
    }
    return k;
  }

  value(v: AttributeValue): string {
    const k = `:v${this.valueCount++}`;
    this.values[k] = v;
    return k;
  }

  path(p: DocumentPath): string {
    let s = this.name(p[0] as string);
    for (let i = 1; i < p.length; i++) {
      const step = p[i]!;
      s += typeof step === 'number' ? `[${step}]` : `.${this.name(step)}`;
    }
    return s;
  }

  operand(o: PqOperand): string {
    if (o.kind === 'path') return this.path(o.path);
    if (o.kind === 'size') return `size(${this.path(o.path)})`;
    return this.value(o.value);
  }

  /** A condition; parentheses only where precedence needs them (DynamoDB rejects redundant ones). */
  condition(c: PqCondition, parent = 0): string {
    switch (c.kind) {
      case 'or': case 'and': {
        const prec = c.kind === 'or' ? 1 : 2;
        const s = `${this.condition(c.left, prec)} ${c.kind.toUpperCase()} ${this.condition(c.right, prec)}`;
        return prec < parent ? `(${s})` : s;
      }
      case 'not': {
        const s = `NOT ${this.condition(c.operand, 3)}`;
        return 3 < parent ? `(${s})` : s;
      }
      case 'compare': return `${this.operand(c.left)} ${c.op} ${this.operand(c.right)}`;
      case 'between': return `${this.operand(c.operand)} BETWEEN ${this.operand(c.low)} AND ${this.operand(c.high)}`;
      case 'in': return `${this.operand(c.operand)} IN (${c.list.map((o) => this.operand(o)).join(', ')})`;
      case 'function': return `${c.name}(${c.args.map((o) => this.operand(o)).join(', ')})`;
      case 'missing': return `${c.negated ? 'attribute_exists' : 'attribute_not_exists'}(${this.path(c.path)})`;
    }
  }

  /** An UpdateExpression from SET assignments and REMOVE paths. */
  update(set: { path: DocumentPath; value: PqSetValue }[], remove: DocumentPath[]): string | undefined {
    const sets: string[] = [];
    const adds: string[] = [];
    const deletes: string[] = [];
    for (const { path, value: v } of set) {
      const target = this.path(path);
      switch (v.kind) {
        case 'operand': sets.push(`${target} = ${this.operand(v.operand)}`); break;
        case 'plus': sets.push(`${target} = ${this.operand(v.left)} + ${this.operand(v.right)}`); break;
        case 'minus': sets.push(`${target} = ${this.operand(v.left)} - ${this.operand(v.right)}`); break;
        case 'list_append': sets.push(`${target} = list_append(${this.operand(v.left)}, ${this.operand(v.right)})`); break;
        case 'if_not_exists': sets.push(`${target} = if_not_exists(${this.path(v.path)}, ${this.operand(v.operand)})`); break;
        case 'set_add': adds.push(`${this.path(v.path)} ${this.value(v.value)}`); break;
        case 'set_delete': deletes.push(`${this.path(v.path)} ${this.value(v.value)}`); break;
      }
    }
    const clauses: string[] = [];
    if (sets.length) clauses.push(`SET ${sets.join(', ')}`);
    if (remove.length) clauses.push(`REMOVE ${remove.map((p) => this.path(p)).join(', ')}`);
    if (adds.length) clauses.push(`ADD ${adds.join(', ')}`);
    if (deletes.length) clauses.push(`DELETE ${deletes.join(', ')}`);
    return clauses.length ? clauses.join(' ') : undefined;
  }

  /** The names and values members of a request (absent when empty). */
  members(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    const out: { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } = {};
    if (this.byName.size) out.ExpressionAttributeNames = this.names;
    if (this.valueCount) out.ExpressionAttributeValues = this.values;
    return out;
  }
}

/** The conditions joined by the top-level ANDs of a WHERE. */
export function conjuncts(c: PqCondition | undefined): PqCondition[] {
  if (!c) return [];
  if (c.kind === 'and') return [...conjuncts(c.left), ...conjuncts(c.right)];
  return [c];
}

/** The conditions joined again by AND; undefined for none. */
export function joinAnd(cs: PqCondition[]): PqCondition | undefined {
  let out: PqCondition | undefined;
  for (const c of cs) out = out ? { kind: 'and', left: out, right: c } : c;
  return out;
}

/** The value of `attr = value` (either way round) in a conjunct, or undefined. */
export function equalityOn(c: PqCondition, attr: string): AttributeValue | undefined {
  if (c.kind !== 'compare' || c.op !== '=') return undefined;
  const { left, right } = c;
  if (left.kind === 'path' && left.path.length === 1 && left.path[0] === attr && right.kind === 'value') return right.value;
  if (right.kind === 'path' && right.path.length === 1 && right.path[0] === attr && left.kind === 'value') return left.value;
  return undefined;
}

/** A key condition on a range key that Query can run: the conjunct reads only the key and values. */
export function rangeKeyCondition(c: PqCondition, attr: string): boolean {
  const onKey = (o: PqOperand) => o.kind === 'path' && o.path.length === 1 && o.path[0] === attr;
  if (c.kind === 'compare' && c.op !== '<>') return onKey(c.left) && c.right.kind === 'value';
  if (c.kind === 'between') return onKey(c.operand) && c.low.kind === 'value' && c.high.kind === 'value';
  if (c.kind === 'function' && c.name === 'begins_with') return onKey(c.args[0]!) && c.args[1]?.kind === 'value';
  return false;
}
