/**
 * The one PHP lexer of the app: turns a PHP file into tokens without ever running it. Comments and
 * PHP 8 attributes are dropped, inline HTML is skipped, string literals are decoded, `?>` counts as
 * a `;`. Used by the setup.php reader and by the GLPI define.php/local_define.php reader.
 */

export type PhpTokenType = 'str' | 'id' | 'var' | 'num' | 'op' | 'doc';

export interface PhpToken {
  t: PhpTokenType;
  /**
   * 'str': the decoded value; 'id': the name as written (maybe namespaced, `\define`);
   * 'var': the name without `$`; 'num': the number text; 'op': the operator; 'doc': the heredoc label.
   */
  v: string;
  /** Set on a double-quoted or backtick string that interpolates variables (its value is not known). */
  interp?: boolean;
  /** Offsets of the token in the source, `end` exclusive. */
  start: number;
  end: number;
}

export interface Lexed {
  toks: PhpToken[];
  /** Whether the source has a PHP opening tag at all. */
  sawPhp: boolean;
}

const OPS = [
  '<<=',
  '>>=',
  '**=',
  '...',
  '<=>',
  '===',
  '!==',
  '??=',
  '?->',
  '=>',
  '->',
  '::',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '.=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '++',
  '--',
  '<<',
  '>>',
  '**',
];

export const isIdStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdChar = (c: string): boolean => /[A-Za-z0-9_\u0080-\uffff]/.test(c);

/** A scanner over one source: `i` is the position, `toks` what was read so far. */
interface Scan {
  src: string;
  i: number;
  toks: PhpToken[];
  sawPhp: boolean;
  /** Label of the heredoc/nowdoc just skipped. */
  docLabel?: string;
}

/** Skips inline HTML up to the next opening tag; false at the end of the source. */
function openTag(s: Scan): boolean {
  const re = /<\?(php\b|=|(?=\s))/gi;
  re.lastIndex = s.i;
  const m = re.exec(s.src);
  if (!m) {
    s.i = s.src.length;
    return false;
  }
  s.sawPhp = true;
  s.i = m.index + m[0].length;
  return true;
}

export function lexPhp(src: string): Lexed {
  const s: Scan = { src, i: 0, toks: [], sawPhp: false };
  if (!openTag(s)) return { toks: s.toks, sawPhp: s.sawPhp };
  while (s.i < src.length) {
    const c = src[s.i] as string;
    if (/\s/.test(c)) s.i++;
    else if (c === '?' && src[s.i + 1] === '>') {
      // `?>` acts as a `;` and leaves PHP mode.
      s.toks.push({ t: 'op', v: ';', start: s.i, end: s.i + 2 });
      s.i += 2;
      if (!openTag(s)) break;
    } else if (!skipComment(s)) readToken(s, c);
  }
  return { toks: s.toks, sawPhp: s.sawPhp };
}

/** Skips a comment or an attribute at `s.i`; false when there is none. */
function skipComment(s: Scan): boolean {
  const { src } = s;
  const c = src[s.i];
  const n = src.length;
  if (c === '#' && src[s.i + 1] === '[') {
    // PHP 8 attribute: skip it (naively balanced on brackets).
    let depth = 0;
    for (; s.i < n; s.i++) {
      if (src[s.i] === '[') depth++;
      else if (src[s.i] === ']' && --depth === 0) break;
    }
    s.i++;
    return true;
  }
  if (c === '#' || (c === '/' && src[s.i + 1] === '/')) {
    // Line comment: ends at a newline or at `?>`.
    while (s.i < n && src[s.i] !== '\n' && src[s.i] !== '\r' && !(src[s.i] === '?' && src[s.i + 1] === '>')) s.i++;
    return true;
  }
  if (c === '/' && src[s.i + 1] === '*') {
    const close = src.indexOf('*/', s.i + 2);
    s.i = close < 0 ? n : close + 2;
    return true;
  }
  return false;
}

function readToken(s: Scan, c: string): void {
  const { src } = s;
  const start = s.i;
  const push = (t: PhpTokenType, v: string, interp?: boolean): void => {
    s.toks.push(interp === undefined ? { t, v, start, end: s.i } : { t, v, interp, start, end: s.i });
  };
  if (c === "'") push('str', readSingleQuoted(s));
  else if (c === '"' || c === '`') {
    const r = readDoubleQuoted(src, s.i + 1, c);
    s.i = r.end;
    push('str', r.value, r.interp || c === '`');
  } else if (c === '<' && src.startsWith('<<<', s.i) && skipHeredoc(s)) push('doc', s.docLabel as string);
  else if (c === '$' && isIdStart(src[s.i + 1] ?? '')) {
    s.i++;
    while (s.i < src.length && isIdChar(src[s.i] as string)) s.i++;
    push('var', src.slice(start + 1, s.i));
  } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[s.i + 1] ?? ''))) {
    const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?|[0-9_]+\.)/.exec(
      src.slice(s.i, s.i + 64),
    );
    s.i += m ? m[0].length : 1;
    push('num', src.slice(start, s.i));
  } else if (isIdStart(c) || (c === '\\' && isIdStart(src[s.i + 1] ?? ''))) {
    // Names, possibly namespaced (`\define`, `Safe\define`).
    s.i++;
    while (s.i < src.length && (isIdChar(src[s.i] as string) || (src[s.i] === '\\' && isIdStart(src[s.i + 1] ?? ''))))
      s.i++;
    push('id', src.slice(start, s.i));
  } else {
    const op = OPS.find((o) => src.startsWith(o, s.i)) ?? c;
    s.i += op.length;
    push('op', op);
  }
}

function readSingleQuoted(s: Scan): string {
  const { src } = s;
  let v = '';
  s.i++;
  while (s.i < src.length && src[s.i] !== "'") {
    if (src[s.i] === '\\' && (src[s.i + 1] === "'" || src[s.i + 1] === '\\')) {
      v += src[s.i + 1];
      s.i += 2;
    } else v += src[s.i++];
  }
  s.i++;
  return v;
}

/** Skips a heredoc/nowdoc at `s.i` and keeps its label in `s.docLabel`; false when `<<<` starts none. */
function skipHeredoc(s: Scan): boolean {
  const m = /^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n/.exec(s.src.slice(s.i, s.i + 200));
  if (!m) return false;
  const label = m[2] as string;
  const re = new RegExp(`\\n[ \\t]*${label}(?![A-Za-z0-9_])`, 'g');
  re.lastIndex = s.i + m[0].length - 1;
  const close = re.exec(s.src);
  s.i = close ? close.index + close[0].length : s.src.length;
  s.docLabel = label;
  return true;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  v: '\v',
  e: '\x1b',
  f: '\f',
  '\\': '\\',
  $: '$',
};

/** Decodes one escape sequence at `i` (a backslash); returns the text and the length consumed. */
function readEscape(src: string, i: number, quote: string): [string, number] {
  const d = src[i + 1] ?? '';
  if (d === quote) return [d, 2];
  if (d in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[d] as string, 2];
  if (/[0-7]/.test(d)) {
    const m = /^[0-7]{1,3}/.exec(src.slice(i + 1)) as RegExpExecArray;
    return [String.fromCharCode(parseInt(m[0], 8) & 0xff), 1 + m[0].length];
  }
  if (d === 'x' && /[0-9a-fA-F]/.test(src[i + 2] ?? '')) {
    const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 2)) as RegExpExecArray;
    return [String.fromCharCode(parseInt(m[0], 16)), 2 + m[0].length];
  }
  const close = d === 'u' && src[i + 2] === '{' ? src.indexOf('}', i + 3) : -1;
  if (close >= 0) {
    return [String.fromCodePoint(parseInt(src.slice(i + 3, close), 16) || 0xfffd), close + 1 - i];
  }
  return ['\\', 1];
}

function readDoubleQuoted(src: string, from: number, quote: string): { value: string; interp: boolean; end: number } {
  let v = '';
  let interp = false;
  let i = from;
  while (i < src.length && src[i] !== quote) {
    const c = src[i] as string;
    if (c === '\\') {
      const [text, len] = readEscape(src, i, quote);
      v += text;
      i += len;
      continue;
    }
    if (c === '$' && (isIdStart(src[i + 1] ?? '') || src[i + 1] === '{')) interp = true;
    if (c === '{' && src[i + 1] === '$') interp = true;
    v += c;
    i++;
  }
  return { value: v, interp, end: i + 1 };
}
