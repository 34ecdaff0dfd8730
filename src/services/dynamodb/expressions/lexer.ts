/**
 * Tokenizer shared by the expression grammars, and DynamoDB's syntax error form:
 * `Syntax error; token: "<tok>", near: "<from the token before to the token after>"`.
 */

/** Token kinds. */
export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'punct' | 'bad' | 'eof';

/** One token with its place in the text. */
export interface Token { kind: TokenKind; text: string; start: number; end: number }

/** Thrown by the parsers; compile turns it into the ValidationException of the expression. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string) { super(message); this.name = 'ExpressionSyntaxError'; }
}

function isLetter(c: number): boolean { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isWordPart(c: number): boolean { return isLetter(c) || isDigit(c) || c === 95; }
function isSpace(c: number): boolean { return c === 32 || c === 9 || c === 10 || c === 13; }

/** Splits an expression into tokens; an unknown character becomes a one-character 'bad' token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) { i++; continue; }
    const start = i;
    let kind: TokenKind;
    if (isLetter(c)) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      kind = 'name';
    } else if (isDigit(c)) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      kind = 'number';
    } else if ((c === 35 || c === 58) && i + 1 < n && isWordPart(text.charCodeAt(i + 1))) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      kind = c === 35 ? 'attrName' : 'attrValue';
    } else if (c === 60) { // <
      i++;
      if (i < n && (text[i] === '=' || text[i] === '>')) i++;
      kind = 'punct';
    } else if (c === 62) { // >
      i++;
      if (i < n && text[i] === '=') i++;
      kind = 'punct';
    } else if ('()[],.=+-'.includes(text[i]!)) {
      i++;
      kind = 'punct';
    } else {
      // One code point: a surrogate pair stays whole.
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      kind = 'bad';
    }
    out.push({ kind, text: text.slice(start, i), start, end: i });
  }
  out.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return out;
}

/** The syntax error at token index `at`: near spans from the token before it to the token after it. */
export function syntaxError(text: string, tokens: Token[], at: number): ExpressionSyntaxError {
  const tok = tokens[at]!;
  const from = at > 0 ? tokens[at - 1]!.start : tok.start;
  const to = at + 1 < tokens.length ? tokens[at + 1]!.end : text.length;
  return new ExpressionSyntaxError(`Syntax error; token: "${tok.text}", near: "${text.slice(from, Math.max(to, tok.end))}"`);
}
