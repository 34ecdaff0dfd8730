/**
 * A recursive-descent parser of DynamoDB's PartiQL statements. Literals become
 * AttributeValues and `?` placeholders take the request's Parameters in order.
 */
import type { AttributeValue, DocumentPath } from '../expressions/index.js';
import type { PqCondition, PqOperand, PqReturning, PqSetValue, PqStatement } from './ast.js';

/** A statement DynamoDB would not parse; the message follows "Statement wasn't well formed, can't be processed: ". */
export class PartiqlSyntaxError extends Error {}

/** Parameters and placeholders disagree in number. */
export class PartiqlParameterError extends Error {}

type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'end';
interface Token { kind: TokenKind; text: string; pos: number }

const PUNCT = ['<<', '>>', '<>', '!=', '<=', '>=', '=', '<', '>', ',', '.', '[', ']', '{', '}', '(', ')', ':', '*', '+', '-'];

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;
    if (c === '\'' || c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new PartiqlSyntaxError(`Unterminated ${c === '"' ? 'quoted identifier' : 'string literal'}`);
        if (text[i] === c) {
          if (text[i + 1] === c) { s += c; i += 2; continue; }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push({ kind: c === '"' ? 'quoted' : 'string', text: s, pos: start });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      while (isDigit(text[i])) i++;
      if (text[i] === '.') { i++; while (isDigit(text[i])) i++; }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        while (isDigit(text[i])) i++;
      }
      out.push({ kind: 'number', text: text.slice(start, i), pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i]!)) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '?') { out.push({ kind: 'param', text: '?', pos: i++ }); continue; }
    const p = PUNCT.find((x) => text.startsWith(x, i));
    if (!p) throw new PartiqlSyntaxError(`Unexpected character: ${c}`);
    out.push({ kind: 'punct', text: p, pos: i });
    i += p.length;
  }
  out.push({ kind: 'end', text: '', pos: text.length });
  return out;
}

const FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_exists', 'attribute_not_exists', 'attribute_type']);

class Parser {
  private i = 0;
  private nextParam = 0;
  constructor(private readonly tokens: Token[], private readonly params: AttributeValue[]) {}

  private peek(offset = 0): Token { return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!; }
  private next(): Token { const t = this.peek(); if (t.kind !== 'end') this.i++; return t; }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.i++;
    return true;
  }

  private keyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(`Expected ${word}`);
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }

  private punct(p: string): void {
    if (!this.acceptPunct(p)) this.fail(`Expected ${p}`);
  }

  private fail(message: string): never {
    const t = this.peek();
    const found = t.kind === 'end' ? 'end of statement' : `'${t.text}'`;
    throw new PartiqlSyntaxError(`${message}, found ${found} at position ${t.pos + 1}`);
  }

  statement(): PqStatement {
    let s: PqStatement;
    if (this.acceptKeyword('SELECT')) s = this.select();
    else if (this.acceptKeyword('INSERT')) s = this.insert();
    else if (this.acceptKeyword('UPDATE')) s = this.update();
    else if (this.acceptKeyword('DELETE')) s = this.delete();
    else throw new PartiqlSyntaxError('Expected data manipulation');
    if (this.peek().kind !== 'end') this.fail('Unexpected token');
    if (this.nextParam !== this.params.length) throw new PartiqlParameterError('Number of parameters in request and statement doesn\'t match.');
    return s;
  }

  private name(): string {
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'quoted') { this.i++; return t.text; }
    return this.fail('Expected an identifier');
  }

  private tableRef(): { table: string; index?: string } {
    const table = this.name();
    if (this.acceptPunct('.')) return { table, index: this.name() };
    return { table };
  }

  private path(): DocumentPath {
    const path: DocumentPath = [this.name()];
    for (;;) {
      if (this.acceptPunct('.')) { path.push(this.name()); continue; }
      if (this.acceptPunct('[')) {
        const t = this.next();
        if (t.kind === 'number' && /^\d+$/.test(t.text)) path.push(Number(t.text));
        else if (t.kind === 'string') path.push(t.text);
        else { this.i--; this.fail('Expected a list index'); }
        this.punct(']');
        continue;
      }
      return path;
    }
  }

  private select(): PqStatement {
    let projection: DocumentPath[] | undefined;
    if (!this.acceptPunct('*')) {
      projection = [this.path()];
      while (this.acceptPunct(',')) projection.push(this.path());
    }
    this.keyword('FROM');
    const ref = this.tableRef();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    return { kind: 'select', ...ref, projection, where };
  }

  private insert(): PqStatement {
    this.keyword('INTO');
    const table = this.name();
    this.keyword('VALUE');
    const v = this.value();
    if (!('M' in v)) this.fail('Expected a tuple of the item');
    return { kind: 'insert', table, item: v.M };
  }

  private update(): PqStatement {
    const table = this.name();
    const set: { path: DocumentPath; value: PqSetValue }[] = [];
    const remove: DocumentPath[] = [];
    let clauses = 0;
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const path = this.path();
          this.punct('=');
          set.push({ path, value: this.setValue() });
        } while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do remove.push(this.path()); while (this.acceptPunct(','));
      } else break;
      clauses++;
    }
    if (!clauses) this.fail('Expected SET or REMOVE');
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    return { kind: 'update', table, set, remove, where, returning: this.returning() };
  }

  private delete(): PqStatement {
    this.keyword('FROM');
    const table = this.name();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    return { kind: 'delete', table, where, returning: this.returning() };
  }

  private returning(): PqReturning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const which = this.acceptKeyword('ALL') ? 'ALL' : this.acceptKeyword('MODIFIED') ? 'UPDATED' : this.fail('Expected ALL or MODIFIED');
    const age = this.acceptKeyword('OLD') ? 'OLD' : this.acceptKeyword('NEW') ? 'NEW' : this.fail('Expected OLD or NEW');
    this.punct('*');
    return `${which}_${age}` as PqReturning;
  }

  private setValue(): PqSetValue {
    const fn = this.peek();
    if (fn.kind === 'ident' && this.peek(1).text === '(' && this.peek(1).kind === 'punct') {
      const name = fn.text.toLowerCase();
      if (name === 'list_append') {
        this.i += 2;
        const left = this.operand();
        this.punct(',');
        const right = this.operand();
        this.punct(')');
        return { kind: 'list_append', left, right };
      }
      if (name === 'if_not_exists' || name === 'set_add' || name === 'set_delete') {
        this.i += 2;
        const path = this.path();
        this.punct(',');
        const operand = this.operand();
        this.punct(')');
        if (name === 'if_not_exists') return { kind: 'if_not_exists', path, operand };
        if (operand.kind !== 'value') this.fail(`Expected a value in ${name}`);
        return { kind: name, path, value: operand.value };
      }
    }
    const left = this.operand();
    if (this.acceptPunct('+')) return { kind: 'plus', left, right: this.operand() };
    if (this.acceptPunct('-')) return { kind: 'minus', left, right: this.operand() };
    return { kind: 'operand', operand: left };
  }

  condition(): PqCondition {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): PqCondition {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): PqCondition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.predicate();
  }

  private predicate(): PqCondition {
    if (this.acceptPunct('(')) {
      const c = this.condition();
      this.punct(')');
      return c;
    }
    const t = this.peek();
    if (t.kind === 'ident' && FUNCTIONS.has(t.text.toLowerCase()) && this.peek(1).kind === 'punct' && this.peek(1).text === '(') {
      this.i += 2;
      const args = [this.operand()];
      while (this.acceptPunct(',')) args.push(this.operand());
      this.punct(')');
      return { kind: 'function', name: t.text.toLowerCase() as 'contains', args };
    }
    const left = this.operand();
    const op = this.peek();
    if (op.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.text)) {
      this.i++;
      const o = op.text === '!=' ? '<>' : op.text;
      return { kind: 'compare', op: o as '=', left, right: this.operand() };
    }
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.operand();
      this.keyword('AND');
      return { kind: 'between', operand: left, low, high: this.operand() };
    }
    if (this.acceptKeyword('IN')) {
      const close = this.acceptPunct('[') ? ']' : (this.punct('('), ')');
      const list = [this.operand()];
      while (this.acceptPunct(',')) list.push(this.operand());
      this.punct(close);
      return { kind: 'in', operand: left, list };
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      if (left.kind !== 'path') this.fail('Expected a path before IS');
      if (this.acceptKeyword('MISSING')) return { kind: 'missing', path: left.path, negated };
      if (this.acceptKeyword('NULL')) {
        const isNull: PqCondition = { kind: 'compare', op: '=', left, right: { kind: 'value', value: { NULL: true } } };
        return negated ? { kind: 'not', operand: isNull } : isNull;
      }
      this.fail('Expected MISSING or NULL');
    }
    return this.fail('Expected a comparison');
  }

  private operand(): PqOperand {
    const t = this.peek();
    if (t.kind === 'ident' && t.text.toLowerCase() === 'size' && this.peek(1).kind === 'punct' && this.peek(1).text === '(') {
      this.i += 2;
      const path = this.path();
      this.punct(')');
      return { kind: 'size', path };
    }
    if (t.kind === 'ident' && !['TRUE', 'FALSE', 'NULL'].includes(t.text.toUpperCase())) return { kind: 'path', path: this.path() };
    if (t.kind === 'quoted') return { kind: 'path', path: this.path() };
    return { kind: 'value', value: this.value() };
  }

  /** A literal or a `?` parameter. */
  value(): AttributeValue {
    const t = this.next();
    switch (t.kind) {
      case 'param': {
        const v = this.params[this.nextParam++];
        if (v === undefined) throw new PartiqlParameterError('Number of parameters in request and statement doesn\'t match.');
        return v;
      }
      case 'string': return { S: t.text };
      case 'number': return { N: t.text };
      case 'ident': {
        const w = t.text.toUpperCase();
        if (w === 'TRUE' || w === 'FALSE') return { BOOL: w === 'TRUE' };
        if (w === 'NULL') return { NULL: true };
        break;
      }
      case 'punct': {
        if (t.text === '-' && this.peek().kind === 'number') return { N: '-' + this.next().text };
        if (t.text === '[') {
          const list: AttributeValue[] = [];
          if (!this.acceptPunct(']')) {
            do list.push(this.value()); while (this.acceptPunct(','));
            this.punct(']');
          }
          return { L: list };
        }
        if (t.text === '{') {
          const map: Record<string, AttributeValue> = {};
          if (!this.acceptPunct('}')) {
            do {
              const k = this.next();
              if (k.kind !== 'string') { this.i--; this.fail('Expected a string key'); }
              this.punct(':');
              map[k.text] = this.value();
            } while (this.acceptPunct(','));
            this.punct('}');
          }
          return { M: map };
        }
        if (t.text === '<<') {
          const items: AttributeValue[] = [];
          if (!this.acceptPunct('>>')) {
            do items.push(this.value()); while (this.acceptPunct(','));
            this.punct('>>');
          }
          return setOf(items, () => this.fail('Expected set elements of one type: string, number or binary'));
        }
        break;
      }
    }
    this.i--;
    return this.fail('Expected a value');
  }
}

function setOf(items: AttributeValue[], fail: () => never): AttributeValue {
  if (items.length === 0) return fail();
  if (items.every((v) => 'S' in v)) return { SS: items.map((v) => (v as { S: string }).S) };
  if (items.every((v) => 'N' in v)) return { NS: items.map((v) => (v as { N: string }).N) };
  if (items.every((v) => 'B' in v)) return { BS: items.map((v) => (v as { B: Buffer }).B) };
  return fail();
}

/** Parses one statement, binding `params` to its `?` placeholders in order. */
export function parseStatement(text: string, params: AttributeValue[] = []): PqStatement {
  return new Parser(tokenize(text), params).statement();
}
