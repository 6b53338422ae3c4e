/**
 * Navigation over the tokens of one PHP file (php/lexer.ts): token tests, bracket matching,
 * splitting on top-level separators, statement ends and top-level function bodies. Ranges are
 * token indexes `[a, b)`.
 */
import type { PhpToken, PhpTokenType } from './lexer';

/** `\define` → `define`, lower-cased: how PHP compares function names and keywords. */
export const bareName = (name: string): string => name.replace(/^\\/, '').toLowerCase();

export interface PhpFunction {
  /** As written in the source. */
  name: string;
  /** The token range inside its braces. */
  body: [number, number];
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const isOpener = (t: PhpToken): boolean => t.t === 'op' && Object.hasOwn(OPENERS, t.v);
const isCloser = (t: PhpToken): boolean => t.t === 'op' && (t.v === ')' || t.v === ']' || t.v === '}');

/** The token is the name or keyword `word` (lower-case), with or without a leading `\`. */
export function isWord(t: PhpToken | undefined, word: string): boolean {
  return t?.t === 'id' && bareName(t.v) === word;
}

/** The token is the operator (or punctuation) `op`. */
export function isOp(t: PhpToken | undefined, op: string): boolean {
  return t?.t === 'op' && t.v === op;
}

/** Index of the bracket closing the one at `open`, or -1 when it is not closed. */
export function closerOf(toks: PhpToken[], open: number): number {
  let depth = 0;
  for (let j = open; j < toks.length; j++) {
    const t = toks[j] as PhpToken;
    if (isOpener(t)) depth++;
    else if (isCloser(t)) {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

/** Splits `toks[a, b)` on a depth-0 operator (`,` by default). */
export function splitTop(toks: PhpToken[], a: number, b: number, sep = ','): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let from = a;
  let depth = 0;
  for (let j = a; j < b; j++) {
    const t = toks[j] as PhpToken;
    if (isOpener(t)) depth++;
    else if (isCloser(t)) depth--;
    else if (depth === 0 && isOp(t, sep)) {
      parts.push([from, j]);
      from = j + 1;
    }
  }
  if (from < b) parts.push([from, b]);
  return parts;
}

export class PhpTokens {
  /** Top-level functions (outside classes), by lower-cased name; filled by `collectFunctions`. */
  readonly functions = new Map<string, PhpFunction>();

  constructor(
    readonly src: string,
    readonly toks: PhpToken[],
  ) {}

  /** The source of `[a, b)`, whitespace collapsed, cut at 80 characters unless `full`. */
  text(a: number, b: number, full = false): string {
    const t = this.source(a, b).replace(/\s+/g, ' ');
    return t.length > 80 && !full ? `${t.slice(0, 77)}…` : t;
  }

  /** The source of `[a, b)` exactly as written. */
  source(a: number, b: number): string {
    const first = this.toks[a];
    const last = this.toks[b - 1];
    if (!first || !last) return '';
    return this.src.slice(first.start, last.end);
  }

  /** Token `i` has type `t` (and value `v`; identifiers compare case-insensitively with `v` lower-case). */
  is(i: number, t: PhpTokenType, v?: string): boolean {
    const tok = this.toks[i];
    if (!tok || tok.t !== t) return false;
    if (v === undefined) return true;
    return t === 'id' ? tok.v.toLowerCase() === v : tok.v === v;
  }

  /** Token `i` is the name or keyword `word` (lower-case), with or without a leading `\`. */
  isWord(i: number, word: string): boolean {
    return isWord(this.toks[i], word);
  }

  /** Index of the bracket closing the one at `open`, or -1 when it is not closed. */
  closer(open: number): number {
    return closerOf(this.toks, open);
  }

  /** Index just after the bracket matching the one at `i` (the end of the tokens when unclosed). */
  match(i: number): number {
    const close = this.closer(i);
    return close < 0 ? this.toks.length : close + 1;
  }

  /** Splits `[a, b)` on a depth-0 operator (`,` by default). */
  split(a: number, b: number, sep = ','): Array<[number, number]> {
    return splitTop(this.toks, a, b, sep);
  }

  /** Index of the first depth-0 `;` from `i` (or `b`). */
  semi(i: number, b: number): number {
    for (let j = i; j < b;) {
      const t = this.toks[j] as PhpToken;
      if (isOpener(t)) {
        j = this.match(j);
        continue;
      }
      if (t.t === 'op' && t.v === ';') return j;
      j++;
    }
    return b;
  }

  /** End (exclusive) of the statement starting at `i`. */
  stmtEnd(i: number, b: number): number {
    if (this.is(i, 'op', '{')) return this.match(i);
    if (this.is(i, 'id', 'if') || this.is(i, 'id', 'elseif')) {
      let j = this.stmtEnd(this.match(i + 1), b);
      while (this.is(j, 'id', 'elseif') || this.is(j, 'id', 'else')) {
        j = this.is(j, 'id', 'elseif') ? this.stmtEnd(this.match(j + 1), b) : this.stmtEnd(j + 1, b);
      }
      return j;
    }
    if (this.is(i, 'id', 'foreach') || this.is(i, 'id', 'for') || this.is(i, 'id', 'while'))
      return this.stmtEnd(this.match(i + 1), b);
    if (this.is(i, 'id', 'function') && this.is(i + 1, 'id')) {
      let j = i + 2;
      while (j < b && !this.is(j, 'op', '{')) j++;
      return this.match(j);
    }
    return Math.min(this.semi(i, b) + 1, b);
  }

  /** Finds every `function name(...) {...}` outside classes; the first of a name wins. */
  collectFunctions(): void {
    for (let i = 0; i < this.toks.length; i++) {
      if (/^(class|interface|trait|enum)$/i.test(this.toks[i]?.v ?? '') && this.toks[i]?.t === 'id') {
        let j = i;
        while (j < this.toks.length && !this.is(j, 'op', '{')) j++;
        i = this.match(j) - 1;
        continue;
      }
      if (this.is(i, 'id', 'function') && this.is(i + 1, 'id') && this.is(i + 2, 'op', '(')) {
        let j = this.match(i + 2);
        while (j < this.toks.length && !this.is(j, 'op', '{') && !this.is(j, 'op', ';')) j++;
        if (!this.is(j, 'op', '{')) continue;
        const end = this.match(j);
        const name = (this.toks[i + 1] as PhpToken).v;
        if (!this.functions.has(name.toLowerCase()))
          this.functions.set(name.toLowerCase(), { name, body: [j + 1, end - 1] });
        i = end - 1;
      }
    }
  }
}
