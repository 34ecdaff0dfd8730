/**
 * Recursive-descent parsers for condition (and key condition), update and projection
 * expressions. They produce raw trees that still hold #name and :value references;
 * bind.ts resolves and validates them. Raw trees depend only on the text, so they are cached.
 */
import { tokenize, syntaxError, ExpressionSyntaxError, type Token } from './lexer.js';

/** A path element: a bare name, a #placeholder, or a list index. */
export type RawPathElement = { kind: 'name'; name: string } | { kind: 'ref'; name: string } | { kind: 'index'; index: number };
/** A raw operand. */
export type RawOperand =
  | { kind: 'path'; elements: RawPathElement[] }
  | { kind: 'value'; ref: string }
  | { kind: 'call'; name: string; args: RawOperand[] }
  | { kind: 'plus' | 'minus'; left: RawOperand; right: RawOperand };
/** A raw condition. */
export type RawCondition =
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: RawOperand; right: RawOperand }
  | { kind: 'between'; operand: RawOperand; low: RawOperand; high: RawOperand }
  | { kind: 'in'; operand: RawOperand; list: RawOperand[] }
  | { kind: 'and' | 'or'; left: RawCondition; right: RawCondition }
  | { kind: 'not'; operand: RawCondition }
  | { kind: 'call'; name: string; args: RawOperand[] };
/** A parsed condition with the structural flags found while parsing. */
export interface ParsedCondition { root: RawCondition; redundantParens: boolean }
/** One raw update clause. */
export type RawClause =
  | { kind: 'SET'; actions: { path: RawOperand & { kind: 'path' }; value: RawOperand }[] }
  | { kind: 'REMOVE'; paths: (RawOperand & { kind: 'path' })[] }
  | { kind: 'ADD' | 'DELETE'; actions: { path: RawOperand & { kind: 'path' }; ref: string }[] };
/** A parsed update expression. */
export interface ParsedUpdate { clauses: RawClause[] }

type RawPath = RawOperand & { kind: 'path' };
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

class Parser {
  readonly tokens: Token[];
  pos = 0;
  /** Furthest failure seen while backtracking (the error DynamoDB would name). */
  furthest = -1;
  redundantParens = false;
  /** The last node produced by a parenthesized group, with the indexes of its parentheses. */
  lastGroup: { node: unknown; open: number; close: number } | undefined;

  constructor(readonly text: string, readonly keywords: Set<string>) {
    this.tokens = tokenize(text);
  }

  peek(k = 0): Token { return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!; }
  isPunct(p: string, k = 0): boolean { const t = this.peek(k); return t.kind === 'punct' && t.text === p; }
  isKeyword(word: string, k = 0): boolean { const t = this.peek(k); return t.kind === 'name' && t.text.toUpperCase() === word; }
  fail(at = this.pos): never {
    throw syntaxError(this.text, this.tokens, Math.max(at, this.furthest));
  }
  expectPunct(p: string): void {
    if (!this.isPunct(p)) this.fail();
    this.pos++;
  }
  expectEof(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  /** Records a parenthesized group; a group whose only content is another group is redundant. */
  markGroup(node: unknown, open: number): void {
    const close = this.pos - 1;
    const last = this.lastGroup;
    if (last && last.node === node && last.open === open + 1 && last.close === close - 1) this.redundantParens = true;
    this.lastGroup = { node, open, close };
  }

  /** name or #ref, then .name / [n] steps. */
  path(): RawPath {
    const elements: RawPathElement[] = [this.pathIdentifier()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        elements.push(this.pathIdentifier());
      } else if (this.isPunct('[')) {
        this.pos++;
        const t = this.peek();
        if (t.kind !== 'number') this.fail();
        this.pos++;
        this.expectPunct(']');
        elements.push({ kind: 'index', index: Number(t.text) });
      } else return { kind: 'path', elements };
    }
  }

  pathIdentifier(): RawPathElement {
    const t = this.peek();
    if (t.kind === 'attrName') { this.pos++; return { kind: 'ref', name: t.text }; }
    if (t.kind === 'name' && !this.keywords.has(t.text.toUpperCase())) { this.pos++; return { kind: 'name', name: t.text }; }
    return this.fail();
  }

  /** An operand: (operand), function call, :value or path. */
  operand(allowArithmetic: boolean): RawOperand {
    if (this.isPunct('(')) {
      const open = this.pos;
      this.pos++;
      const inner = allowArithmetic ? this.setValue() : this.operand(false);
      this.expectPunct(')');
      this.markGroup(inner, open);
      return inner;
    }
    const t = this.peek();
    if (t.kind === 'attrValue') { this.pos++; return { kind: 'value', ref: t.text }; }
    if (t.kind === 'name' && this.isPunct('(', 1) && !this.keywords.has(t.text.toUpperCase())) {
      this.pos += 2;
      const args: RawOperand[] = [this.operand(false)];
      while (this.isPunct(',')) { this.pos++; args.push(this.operand(false)); }
      this.expectPunct(')');
      return { kind: 'call', name: t.text, args };
    }
    return this.path();
  }

  // ----- conditions -----

  condition(): RawCondition {
    let left = this.andCondition();
    while (this.isKeyword('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.andCondition() };
    }
    return left;
  }

  andCondition(): RawCondition {
    let left = this.notCondition();
    while (this.isKeyword('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.notCondition() };
    }
    return left;
  }

  notCondition(): RawCondition {
    if (this.isKeyword('NOT')) {
      this.pos++;
      return { kind: 'not', operand: this.notCondition() };
    }
    return this.primaryCondition();
  }

  primaryCondition(): RawCondition {
    if (this.isPunct('(')) {
      // Either a parenthesized condition or a parenthesized operand of a comparison: try the first.
      const start = this.pos;
      try {
        this.pos++;
        const inner = this.condition();
        this.expectPunct(')');
        const next = this.peek();
        const continuesAsOperand = (next.kind === 'punct' && COMPARATORS.has(next.text)) || this.isKeyword('BETWEEN') || this.isKeyword('IN');
        if (!continuesAsOperand) {
          this.markGroup(inner, start);
          return inner;
        }
      } catch (e) {
        if (!(e instanceof ExpressionSyntaxError)) throw e;
        this.furthest = Math.max(this.furthest, this.pos);
      }
      this.pos = start;
    }
    return this.comparison();
  }

  comparison(): RawCondition {
    const left = this.operand(false);
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.pos++;
      return { kind: 'compare', op: t.text as '=', left, right: this.operand(false) };
    }
    if (this.isKeyword('BETWEEN')) {
      this.pos++;
      const low = this.operand(false);
      if (!this.isKeyword('AND')) this.fail();
      this.pos++;
      return { kind: 'between', operand: left, low, high: this.operand(false) };
    }
    if (this.isKeyword('IN')) {
      this.pos++;
      this.expectPunct('(');
      const list: RawOperand[] = [this.operand(false)];
      while (this.isPunct(',')) { this.pos++; list.push(this.operand(false)); }
      this.expectPunct(')');
      return { kind: 'in', operand: left, list };
    }
    if (left.kind === 'call') return { kind: 'call', name: left.name, args: left.args };
    return this.fail();
  }

  // ----- updates -----

  setValue(): RawOperand {
    const left = this.operand(true);
    if (this.isPunct('+') || this.isPunct('-')) {
      const kind = this.peek().text === '+' ? 'plus' : 'minus';
      this.pos++;
      return { kind, left, right: this.operand(true) };
    }
    return left;
  }

  update(): ParsedUpdate {
    const clauses: RawClause[] = [];
    do {
      const t = this.peek();
      const word = t.kind === 'name' ? t.text.toUpperCase() : '';
      if (!UPDATE_KEYWORDS.has(word)) this.fail();
      this.pos++;
      if (word === 'SET') {
        const actions: { path: RawPath; value: RawOperand }[] = [];
        do {
          if (actions.length) this.pos++;
          const path = this.path();
          this.expectPunct('=');
          actions.push({ path, value: this.setValue() });
        } while (this.isPunct(','));
        clauses.push({ kind: 'SET', actions });
      } else if (word === 'REMOVE') {
        const paths: RawPath[] = [];
        do {
          if (paths.length) this.pos++;
          paths.push(this.path());
        } while (this.isPunct(','));
        clauses.push({ kind: 'REMOVE', paths });
      } else {
        const actions: { path: RawPath; ref: string }[] = [];
        do {
          if (actions.length) this.pos++;
          const path = this.path();
          const v = this.peek();
          if (v.kind !== 'attrValue') this.fail();
          this.pos++;
          actions.push({ path, ref: v.text });
        } while (this.isPunct(','));
        clauses.push({ kind: word as 'ADD', actions });
      }
    } while (this.peek().kind !== 'eof');
    return { clauses };
  }
}

/** Parses a condition, filter or key condition expression. */
export function parseCondition(text: string): ParsedCondition {
  const p = new Parser(text, CONDITION_KEYWORDS);
  const root = p.condition();
  p.expectEof();
  return { root, redundantParens: p.redundantParens };
}

/** Parses an update expression. */
export function parseUpdate(text: string): ParsedUpdate {
  const p = new Parser(text, UPDATE_KEYWORDS);
  const parsed = p.update();
  p.expectEof();
  return parsed;
}

/** Parses a projection expression: paths separated by commas. */
export function parseProjection(text: string): RawPath[] {
  const p = new Parser(text, new Set());
  const paths: RawPath[] = [p.path()];
  while (p.isPunct(',')) { p.pos++; paths.push(p.path()); }
  p.expectEof();
  return paths;
}
