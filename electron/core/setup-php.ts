/**
 * Static reader of a GLPI plugin's `setup.php` (docs/setup-php-patterns.md). PHP is NEVER executed: the
 * file is tokenised (comments dropped, strings decoded) and a tiny evaluator runs the top-level
 * statements that matter (`define`, `const`, guarded `if (!defined())` blocks, `$var = …`) and then
 * the body of `plugin_version_<key>()`, understanding only string/number/boolean literals, arrays,
 * constants, `.` concatenation and a few pure functions. Everything else becomes an "unknown" value
 * that carries the reason, which ends up in `problems` in plain words.
 */
import { versionCompare } from '../../shared/php-version';

export interface SetupPhpInfo {
  key: string;
  name: string | null;
  version: string | null;
  /** Inclusive lower bound (`>=`), raw string as written. */
  glpiMin: string | null;
  /** Exclusive upper bound (`<`), raw string as written; may come from `check_prerequisites`. */
  glpiMax: string | null;
  /** Why a value is unresolved, in plain words. */
  problems: string[];
  /** Where the version comes from, e.g. `constant PLUGIN_FIELDS_VERSION`. */
  versionSource: string | null;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokType = 'str' | 'id' | 'var' | 'num' | 'op' | 'doc';
interface Tok {
  t: TokType;
  /** Decoded string value, identifier/variable name (without `$`), number text or operator. */
  v: string;
  /** Set on a double-quoted string that interpolates variables (its value is not known). */
  interp?: boolean;
  start: number;
  end: number;
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

const isIdStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdChar = (c: string): boolean => /[A-Za-z0-9_\u0080-\uffff]/.test(c);

interface Lexed {
  toks: Tok[];
  sawPhp: boolean;
}

function lex(src: string): Lexed {
  const toks: Tok[] = [];
  let i = 0;
  let sawPhp = false;
  const n = src.length;
  const openTag = (): boolean => {
    // Skip inline HTML up to the next opening tag.
    const re = /<\?(php\b|=|(?=\s))/gi;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) {
      i = n;
      return false;
    }
    sawPhp = true;
    i = m.index + m[0].length;
    return true;
  };
  if (!openTag()) return { toks, sawPhp };
  while (i < n) {
    const c = src[i] as string;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '?' && src[i + 1] === '>') {
      // `?>` acts as a `;` and leaves PHP mode.
      toks.push({ t: 'op', v: ';', start, end: i + 2 });
      i += 2;
      if (!openTag()) break;
      continue;
    }
    if (c === '#' && src[i + 1] === '[') {
      // PHP 8 attribute: skip it (naively balanced on brackets).
      let depth = 0;
      for (; i < n; i++) {
        if (src[i] === '[') depth++;
        else if (src[i] === ']' && --depth === 0) break;
      }
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      // Line comment: ends at a newline or at `?>`.
      while (i < n && src[i] !== '\n' && src[i] !== '\r' && !(src[i] === '?' && src[i + 1] === '>')) i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      while (i < n && src[i] !== "'") {
        if (src[i] === '\\' && (src[i + 1] === "'" || src[i + 1] === '\\')) {
          v += src[i + 1];
          i += 2;
        } else v += src[i++];
      }
      i++;
      toks.push({ t: 'str', v, start, end: i });
      continue;
    }
    if (c === '"' || c === '`') {
      const r = readDoubleQuoted(src, i + 1, c);
      i = r.end;
      toks.push({ t: 'str', v: r.value, interp: r.interp || c === '`', start, end: i });
      continue;
    }
    if (c === '<' && src.startsWith('<<<', i)) {
      const m = /^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n/.exec(src.slice(i, i + 200));
      if (m) {
        const label = m[2] as string;
        const re = new RegExp(`\\n[ \\t]*${label}(?![A-Za-z0-9_])`, 'g');
        re.lastIndex = i + m[0].length - 1;
        const close = re.exec(src);
        i = close ? close.index + close[0].length : n;
        toks.push({ t: 'doc', v: label, start, end: i });
        continue;
      }
    }
    if (c === '$' && isIdStart(src[i + 1] ?? '')) {
      i++;
      while (i < n && isIdChar(src[i] as string)) i++;
      toks.push({ t: 'var', v: src.slice(start + 1, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?|[0-9_]+\.)/.exec(
        src.slice(i, i + 64),
      );
      const text = m ? m[0] : c;
      i += text.length;
      toks.push({ t: 'num', v: text, start, end: i });
      continue;
    }
    if (isIdStart(c) || (c === '\\' && isIdStart(src[i + 1] ?? ''))) {
      // Names, possibly namespaced (`\define`, `Safe\define`).
      i++;
      while (i < n && (isIdChar(src[i] as string) || (src[i] === '\\' && isIdStart(src[i + 1] ?? '')))) i++;
      toks.push({ t: 'id', v: src.slice(start, i), start, end: i });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i)) ?? c;
    i += op.length;
    toks.push({ t: 'op', v: op, start, end: i });
  }
  return { toks, sawPhp };
}

function readDoubleQuoted(src: string, from: number, quote: string): { value: string; interp: boolean; end: number } {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', e: '\x1b', f: '\f', '\\': '\\', $: '$' };
  let v = '';
  let interp = false;
  let i = from;
  while (i < src.length && src[i] !== quote) {
    const c = src[i] as string;
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      if (d === quote) {
        v += d;
        i += 2;
      } else if (d in simple) {
        v += simple[d];
        i += 2;
      } else if (/[0-7]/.test(d)) {
        const m = /^[0-7]{1,3}/.exec(src.slice(i + 1)) as RegExpExecArray;
        v += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        i += 1 + m[0].length;
      } else if (d === 'x' && /[0-9a-fA-F]/.test(src[i + 2] ?? '')) {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 2)) as RegExpExecArray;
        v += String.fromCharCode(parseInt(m[0], 16));
        i += 2 + m[0].length;
      } else if (d === 'u' && src[i + 2] === '{') {
        const close = src.indexOf('}', i + 3);
        v += String.fromCodePoint(parseInt(src.slice(i + 3, close), 16) || 0xfffd);
        i = close + 1;
      } else {
        v += c;
        i++;
      }
      continue;
    }
    if (c === '$' && (isIdStart(src[i + 1] ?? '') || src[i + 1] === '{')) interp = true;
    if (c === '{' && src[i + 1] === '$') interp = true;
    v += c;
    i++;
  }
  return { value: v, interp, end: i + 1 };
}

// ---------------------------------------------------------------------------------------------
// Values

type Val =
  | { k: 'str'; v: string }
  | { k: 'num'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'arr'; e: Array<[string, Val]> }
  /** `runtime`: depends on run-time state (calls, variables, GLPI); otherwise unsupported syntax. */
  | { k: 'unk'; why: string; runtime: boolean };

type Unk = Extract<Val, { k: 'unk' }>;
const unk = (why: string, runtime = true): Unk => ({ k: 'unk', why, runtime });
const str = (v: string): Val => ({ k: 'str', v });

function toStr(v: Val): string | Unk {
  switch (v.k) {
    case 'str':
    case 'num':
      return v.v;
    case 'bool':
      return v.v ? '1' : '';
    case 'null':
      return '';
    case 'arr':
      return unk('converts an array to a string', false);
    default:
      return v;
  }
}

function truthy(v: Val): boolean | Unk {
  switch (v.k) {
    case 'str':
      return v.v !== '' && v.v !== '0';
    case 'num':
      return Number(v.v.replace(/_/g, '')) !== 0;
    case 'bool':
      return v.v;
    case 'null':
      return false;
    case 'arr':
      return v.e.length > 0;
    default:
      return v;
  }
}

function get(arr: Val | undefined, key: string): Val | undefined {
  if (arr?.k !== 'arr') return undefined;
  return arr.e.find(([k]) => k === key)?.[1];
}

function setEntry(arr: Extract<Val, { k: 'arr' }>, key: string | null, value: Val): void {
  if (key === null) {
    const ints = arr.e.map(([k]) => Number(k)).filter((k) => Number.isInteger(k) && k >= 0);
    key = String(ints.length ? Math.max(...ints) + 1 : 0);
  }
  const at = arr.e.findIndex(([k]) => k === key);
  if (at >= 0) arr.e[at] = [key, value];
  else arr.e.push([key, value]);
}

function normKey(v: Val): string | Unk {
  if (v.k === 'bool') return v.v ? '1' : '0';
  if (v.k === 'num' && /^[0-9]+$/.test(v.v)) return String(Number(v.v));
  return toStr(v);
}

/** Values PHP or GLPI provide at run time, never defined by setup.php. */
const RUNTIME_CONSTANT = /^(GLPI_|PHP_|E_|__|DIRECTORY_SEPARATOR$|PATH_SEPARATOR$|DEFAULT_|M_)/;

const isDefineName = (name: string): boolean => /^\\?(Safe\\)?define$/i.test(name);
const bare = (name: string): string => name.replace(/^\\/, '').toLowerCase();

// ---------------------------------------------------------------------------------------------
// Interpreter

class Reader {
  readonly consts = new Map<string, Val>();
  /** Descriptions of `define()` calls whose constant name is not a literal. */
  readonly dynamicDefines: string[] = [];
  readonly includes: string[] = [];
  readonly functions = new Map<string, { name: string; body: [number, number] }>();

  constructor(
    readonly src: string,
    readonly toks: Tok[],
  ) {}

  text(a: number, b: number, full = false): string {
    const first = this.toks[a];
    const last = this.toks[b - 1];
    if (!first || !last) return '';
    const t = this.src.slice(first.start, last.end).replace(/\s+/g, ' ');
    return t.length > 80 && !full ? `${t.slice(0, 77)}…` : t;
  }

  is(i: number, t: TokType, v?: string): boolean {
    const tok = this.toks[i];
    if (!tok || tok.t !== t) return false;
    if (v === undefined) return true;
    return t === 'id' ? tok.v.toLowerCase() === v : tok.v === v;
  }

  /** Index just after the bracket matching the one at `i`. */
  match(i: number): number {
    const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
    let depth = 0;
    for (let j = i; j < this.toks.length; j++) {
      const t = this.toks[j] as Tok;
      if (t.t !== 'op') continue;
      if (t.v in pairs) depth++;
      else if (t.v === ')' || t.v === ']' || t.v === '}') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return this.toks.length;
  }

  /** Splits `[a, b)` on a depth-0 operator (`,` by default). */
  split(a: number, b: number, sep = ','): Array<[number, number]> {
    const parts: Array<[number, number]> = [];
    let from = a;
    for (let j = a; j < b;) {
      const t = this.toks[j] as Tok;
      if (t.t === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) {
        j = this.match(j);
        continue;
      }
      if (t.t === 'op' && t.v === sep) {
        parts.push([from, j]);
        from = j + 1;
      }
      j++;
    }
    if (from < b) parts.push([from, b]);
    return parts;
  }

  /** Index of the first depth-0 `;` from `i` (or `b`). */
  semi(i: number, b: number): number {
    for (let j = i; j < b;) {
      const t = this.toks[j] as Tok;
      if (t.t === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) {
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

  /** Finds every `function name(...) {...}` outside classes. */
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
        const name = (this.toks[i + 1] as Tok).v;
        if (!this.functions.has(name.toLowerCase()))
          this.functions.set(name.toLowerCase(), { name, body: [j + 1, end - 1] });
        i = end - 1;
      }
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  eval(a: number, b: number, vars: Map<string, Val>): Val {
    if (a >= b) return unk('has an empty expression', false);
    const p = new ExprParser(this, a, b, vars);
    const v = p.ternary();
    if (p.pos < b) {
      if (v.k === 'unk') return v;
      return unk(`uses "${this.text(p.pos, b)}", which this reader does not evaluate`, false);
    }
    return v;
  }

  constant(name: string): Val {
    const plain = name.replace(/^\\/, '');
    const lower = plain.toLowerCase();
    if (lower === 'true') return { k: 'bool', v: true };
    if (lower === 'false') return { k: 'bool', v: false };
    if (lower === 'null') return { k: 'null' };
    const found = this.consts.get(plain);
    if (found) return found.k === 'unk' ? unk(`constant ${plain} ${found.why}`, found.runtime) : found;
    if (RUNTIME_CONSTANT.test(plain)) return unk(`uses ${plain}, which PHP or GLPI sets at run time`);
    let why = `constant ${plain} is not defined in setup.php`;
    let runtime = false;
    if (this.dynamicDefines.length) {
      why = `constant ${plain} is not defined literally in setup.php; ${this.dynamicDefines[0]}`;
      runtime = true;
    }
    if (this.includes.length) why += `; setup.php includes ${this.includes.join(', ')}, which may define it`;
    return unk(why, runtime);
  }

  call(name: string, args: Val[]): Val {
    const fn = bare(name);
    const s = args.map(toStr);
    const allStr = (n: number): string[] | Unk => {
      for (let i = 0; i < n; i++) {
        const x = s[i];
        if (x === undefined) return unk(`calls ${fn}() with too few arguments`, false);
        if (typeof x !== 'string') return x;
      }
      return s.slice(0, n) as string[];
    };
    switch (fn) {
      case 'defined': {
        const r = allStr(1);
        return Array.isArray(r) ? { k: 'bool', v: this.consts.has((r[0] as string).replace(/^\\/, '')) } : r;
      }
      case 'constant': {
        const r = allStr(1);
        return Array.isArray(r) ? this.constant(r[0] as string) : r;
      }
      case '__':
      case '__s': {
        const r = allStr(1);
        return Array.isArray(r) ? str(r[0] as string) : r;
      }
      case '_x': {
        const r = allStr(2);
        return Array.isArray(r) ? str(r[1] as string) : r;
      }
      case '_n': {
        const r = allStr(3);
        return Array.isArray(r) ? str(Number(r[2]) === 1 ? (r[0] as string) : (r[1] as string)) : r;
      }
      case 'version_compare': {
        const r = allStr(3);
        if (!Array.isArray(r)) return r;
        const c = versionCompare(r[0] as string, r[1] as string);
        const op = r[2] as string;
        const ok: Record<string, boolean> = {
          '<': c < 0,
          lt: c < 0,
          '<=': c <= 0,
          le: c <= 0,
          '>': c > 0,
          gt: c > 0,
          '>=': c >= 0,
          ge: c >= 0,
          '==': c === 0,
          '=': c === 0,
          eq: c === 0,
          '!=': c !== 0,
          '<>': c !== 0,
          ne: c !== 0,
        };
        return op in ok ? { k: 'bool', v: ok[op] as boolean } : unk(`calls version_compare() with operator ${op}`);
      }
      case 'strpos': {
        const r = allStr(2);
        if (!Array.isArray(r)) return r;
        const at = (r[0] as string).indexOf(r[1] as string);
        return at < 0 ? { k: 'bool', v: false } : { k: 'num', v: String(at) };
      }
      case 'str_contains':
      case 'str_ends_with':
      case 'str_starts_with': {
        const r = allStr(2);
        if (!Array.isArray(r)) return r;
        const [h, nd] = r as [string, string];
        const v = fn === 'str_contains' ? h.includes(nd) : fn === 'str_ends_with' ? h.endsWith(nd) : h.startsWith(nd);
        return { k: 'bool', v };
      }
      default:
        return unk(`calls ${name.replace(/^\\/, '')}()`);
    }
  }

  // ---- statements -------------------------------------------------------------------------

  /**
   * Runs the statements in `[a, b)`. `cond` is set when they run only under a condition this
   * reader cannot decide (or inside a loop). Returns the value of an unconditional `return`.
   */
  run(a: number, b: number, vars: Map<string, Val>, cond: string | null): Val | undefined {
    let i = a;
    while (i < b) {
      const t = this.toks[i] as Tok;
      const kw = t.t === 'id' ? t.v.toLowerCase() : '';
      if (t.t === 'op' && t.v === '{') {
        const end = this.match(i);
        const r = this.run(i + 1, end - 1, vars, cond);
        if (r) return r;
        i = end;
      } else if (kw === 'if') {
        const r = this.runIf(i, b, vars, cond);
        if (r.ret) return r.ret;
        i = r.end;
      } else if (kw === 'foreach' || kw === 'for' || kw === 'while') {
        const bodyStart = this.match(i + 1);
        const end = this.stmtEnd(bodyStart, b);
        this.run(bodyStart, end, vars, `inside a ${kw} loop`);
        i = end;
      } else if (kw === 'function' && this.is(i + 1, 'id')) {
        i = this.stmtEnd(i, b);
      } else if (/^(class|interface|trait|enum|abstract|final|readonly)$/.test(kw)) {
        let j = i;
        while (j < b && !this.is(j, 'op', '{')) j++;
        i = this.match(j);
      } else if (kw === 'namespace') {
        let j = i + 1;
        while (j < b && !this.is(j, 'op', ';') && !this.is(j, 'op', '{')) j++;
        i = this.is(j, 'op', '{') ? j : j + 1;
      } else if (kw === 'return') {
        const end = this.semi(i + 1, b);
        const v = this.eval(i + 1, end, vars);
        if (!cond) return v;
        i = end + 1;
      } else if (kw === 'const') {
        const end = this.semi(i + 1, b);
        for (const [pa, pb] of this.split(i + 1, end)) {
          if (this.is(pa, 'id') && this.is(pa + 1, 'op', '='))
            this.define((this.toks[pa] as Tok).v, this.eval(pa + 2, pb, vars), cond);
        }
        i = end + 1;
      } else if (/^(include|require)(_once)?$/.test(kw)) {
        const end = this.semi(i + 1, b);
        this.includes.push(this.text(i + 1, end));
        i = end + 1;
      } else {
        const end = this.stmtEnd(i, b);
        this.expressionStatement(i, this.is(end - 1, 'op', ';') ? end - 1 : end, vars, cond);
        i = end;
      }
    }
    return undefined;
  }

  runIf(i: number, b: number, vars: Map<string, Val>, cond: string | null): { end: number; ret?: Val } {
    let j = i;
    let unsure = cond;
    let done = false;
    for (;;) {
      let condVal: Val | null = null;
      let body: number;
      let condText = '';
      if (this.is(j, 'id', 'if') || this.is(j, 'id', 'elseif')) {
        const close = this.match(j + 1);
        condVal = this.eval(j + 2, close - 1, vars);
        condText = this.text(j + 2, close - 1);
        body = close;
      } else if (this.is(j, 'id', 'else') && this.is(j + 1, 'id', 'if')) {
        j++;
        continue;
      } else {
        body = j + 1; // else
      }
      if (this.is(body, 'op', ':')) return { end: b }; // alternative syntax: not supported
      const end = this.stmtEnd(body, b);
      if (!done) {
        const tv = condVal === null ? true : truthy(condVal);
        if (tv === true) {
          const r = this.run(body, end, vars, unsure);
          if (r && !unsure) return { end, ret: r };
          if (!unsure) done = true;
        } else if (tv !== false) {
          unsure = unsure ?? `when ${condText}`;
          this.run(body, end, vars, unsure);
        }
      }
      j = end;
      if (!(this.is(j, 'id', 'elseif') || this.is(j, 'id', 'else'))) return { end: j };
    }
  }

  expressionStatement(a: number, b: number, vars: Map<string, Val>, cond: string | null): void {
    // Assignments: `$v = …`, `$v['a']['b'] = …`, `$v[] = …`, `$v .= …`.
    if (this.is(a, 'var')) {
      const name = (this.toks[a] as Tok).v;
      const path: Array<string | null> = [];
      let j = a + 1;
      while (this.is(j, 'op', '[')) {
        const close = this.match(j);
        if (close - 1 === j + 1) path.push(null);
        else {
          const k = normKey(this.eval(j + 1, close - 1, vars));
          if (typeof k !== 'string') return;
          path.push(k);
        }
        j = close;
      }
      if (this.is(j, 'op', '=') || this.is(j, 'op', '.=')) {
        let v = this.eval(j + 1, b, vars);
        if (this.is(j, 'op', '.=')) {
          const old = vars.get(name) ?? str('');
          const l = toStr(path.length ? unk('appends to an array entry', false) : old);
          const r = toStr(v);
          v = typeof l !== 'string' ? l : typeof r !== 'string' ? r : str(l + r);
        }
        if (cond) {
          const shown = toStr(v);
          v = unk(`is set only ${cond}${typeof shown === 'string' ? ` (to '${shown}')` : ''}`);
        }
        this.assign(vars, name, path, v);
      }
      return;
    }
    // `define(…)`, possibly behind `defined('X') or …` / `defined('X') || …`.
    for (const [pa, pb] of this.split(a, b, '||').flatMap(([x, y]) => this.split(x, y, 'or'))) {
      if (this.is(pa, 'id') && isDefineName((this.toks[pa] as Tok).v) && this.is(pa + 1, 'op', '(')) {
        const close = this.match(pa + 1);
        if (close !== pb) continue;
        const args = this.split(pa + 2, close - 1);
        const [nameR, valR] = args;
        if (!nameR || !valR) continue;
        const nameV = toStr(this.eval(nameR[0], nameR[1], vars));
        if (typeof nameV !== 'string') {
          this.dynamicDefines.push(
            `define() is called with a computed name (${this.text(nameR[0], nameR[1])})${cond ? ` ${cond}` : ''}`,
          );
          continue;
        }
        this.define(nameV, this.eval(valR[0], valR[1], vars), cond);
      } else if (
        this.is(pa, 'id', 'defined') &&
        this.is(pa + 1, 'op', '(') &&
        this.match(pa + 1) === pb &&
        truthy(this.eval(pa, pb, vars)) === true
      ) {
        return; // `defined('X') || define('X', …)` with X already defined
      }
    }
  }

  define(name: string, v: Val, cond: string | null): void {
    const plain = name.replace(/^\\/, '');
    if (this.consts.has(plain)) return; // PHP refuses to redefine a constant
    if (cond) {
      const shown = toStr(v);
      v = unk(`is defined only ${cond}${typeof shown === 'string' ? ` (as '${shown}')` : ''}`);
    }
    this.consts.set(plain, v);
  }

  assign(vars: Map<string, Val>, name: string, path: Array<string | null>, v: Val): void {
    if (!path.length) {
      vars.set(name, v);
      return;
    }
    let root = vars.get(name);
    if (!root || root.k === 'null') {
      root = { k: 'arr', e: [] };
      vars.set(name, root);
    }
    if (root.k !== 'arr') return;
    let cur: Extract<Val, { k: 'arr' }> = root;
    for (let p = 0; p < path.length; p++) {
      const key = path[p] ?? null;
      if (p === path.length - 1) {
        setEntry(cur, key, v);
        return;
      }
      const found: Val | undefined = key === null ? undefined : get(cur, key);
      let next: Extract<Val, { k: 'arr' }>;
      if (found?.k === 'arr') next = found;
      else {
        next = { k: 'arr', e: [] };
        setEntry(cur, key, next);
      }
      cur = next;
    }
  }
}

/** Precedence-climbing parser over `[a, b)`; throws nothing, returns `unk` on what it cannot read. */
class ExprParser {
  pos: number;
  constructor(
    readonly r: Reader,
    a: number,
    readonly b: number,
    readonly vars: Map<string, Val>,
  ) {
    this.pos = a;
  }

  peek(): Tok | undefined {
    return this.pos < this.b ? this.r.toks[this.pos] : undefined;
  }

  atOp(...ops: string[]): string | null {
    const t = this.peek();
    if (!t) return null;
    if (t.t === 'op' && ops.includes(t.v)) return t.v;
    if (t.t === 'id' && ops.includes(t.v.toLowerCase())) return t.v.toLowerCase();
    return null;
  }

  ternary(): Val {
    const c = this.binary(0);
    if (!this.atOp('?')) return c;
    this.pos++;
    const yes = this.atOp(':') ? c : this.ternary();
    if (!this.atOp(':')) return unk('uses a ternary expression this reader does not follow', false);
    this.pos++;
    const no = this.ternary();
    const t = truthy(c);
    return t === true ? yes : t === false ? no : unk(`depends on ${t.why}`);
  }

  static LEVELS: string[][] = [
    ['??'],
    ['||', 'or'],
    ['&&', 'and'],
    ['==', '!=', '===', '!==', '<>', '<', '>', '<=', '>='],
    ['.', '+', '-'],
    ['*', '/', '%'],
  ];

  binary(level: number): Val {
    if (level >= ExprParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.atOp(...(ExprParser.LEVELS[level] as string[]));
      if (!op) return left;
      this.pos++;
      const right = this.binary(level + 1);
      left = this.apply(op, left, right);
    }
  }

  apply(op: string, l: Val, r: Val): Val {
    if (op === '.') {
      const ls = toStr(l);
      const rs = toStr(r);
      if (typeof ls !== 'string') return ls;
      if (typeof rs !== 'string') return rs;
      return str(ls + rs);
    }
    if (op === '??') return l.k === 'unk' ? l : l.k === 'null' ? r : l;
    if (op === '||' || op === 'or' || op === '&&' || op === 'and') {
      const lt = truthy(l);
      const or = op === '||' || op === 'or';
      if (lt === or) return { k: 'bool', v: or };
      const rt = truthy(r);
      if (lt === !or && typeof rt === 'boolean') return { k: 'bool', v: rt };
      if (rt === or) return { k: 'bool', v: or };
      return typeof lt !== 'boolean' ? lt : (rt as Unk);
    }
    if (l.k === 'unk') return l;
    if (r.k === 'unk') return r;
    if (op === '===' || op === '!==') {
      const same = l.k === r.k && (l.k === 'null' || ('v' in l && 'v' in r && String(l.v) === String(r.v)));
      return { k: 'bool', v: op === '===' ? same : !same };
    }
    if ((op === '==' || op === '!=' || op === '<>') && l.k === 'str' && r.k === 'str' && !/^[\d.eE+-]+$/.test(l.v)) {
      return { k: 'bool', v: op === '==' ? l.v === r.v : l.v !== r.v };
    }
    return unk(`uses the operator ${op}, which this reader does not evaluate`, false);
  }

  unary(): Val {
    const t = this.peek();
    if (!t) return unk('has an incomplete expression', false);
    if (t.t === 'op' && t.v === '!') {
      this.pos++;
      const v = truthy(this.unary());
      return typeof v === 'boolean' ? { k: 'bool', v: !v } : v;
    }
    if (t.t === 'op' && t.v === '@') {
      this.pos++;
      return this.unary();
    }
    if (t.t === 'op' && t.v === '(' && this.r.is(this.pos + 1, 'id') && this.r.is(this.pos + 2, 'op', ')')) {
      const cast = (this.r.toks[this.pos + 1] as Tok).v.toLowerCase();
      if (cast === 'string') {
        this.pos += 3;
        const v = toStr(this.unary());
        return typeof v === 'string' ? str(v) : v;
      }
    }
    return this.postfix(this.primary());
  }

  postfix(v: Val): Val {
    while (this.atOp('[')) {
      const close = this.r.match(this.pos);
      const k = normKey(this.r.eval(this.pos + 1, close - 1, this.vars));
      this.pos = close;
      if (typeof k !== 'string') v = k;
      else if (v.k === 'arr') v = get(v, k) ?? unk(`reads a missing array entry '${k}'`, false);
      else if (v.k !== 'unk') v = unk('indexes a value that is not an array', false);
    }
    if (this.atOp('->', '?->', '::')) {
      const at = this.pos;
      while (this.peek() && !this.atOp(',', ')', ']', ';', '.', '?', ':')) this.pos++;
      return unk(`uses ${this.r.text(at - 1, this.pos)}`);
    }
    return v;
  }

  primary(): Val {
    const t = this.peek() as Tok;
    const r = this.r;
    switch (t.t) {
      case 'str':
        this.pos++;
        return t.interp ? unk(`interpolates variables in the string "${t.v}"`) : str(t.v);
      case 'num': {
        this.pos++;
        const text = t.v.replace(/_/g, '');
        return { k: 'num', v: /^[0-9]+$/.test(text) ? text : String(Number(text)) };
      }
      case 'doc':
        this.pos++;
        return unk('uses a heredoc/nowdoc string, which this reader does not evaluate', false);
      case 'var': {
        this.pos++;
        return this.vars.get(t.v) ?? unk(`uses the variable $${t.v}`);
      }
      case 'id': {
        const lower = t.v.toLowerCase();
        if ((lower === 'array' || lower === 'list') && r.is(this.pos + 1, 'op', '(')) {
          const close = r.match(this.pos + 1);
          const v = this.array(this.pos + 2, close - 1);
          this.pos = close;
          return v;
        }
        if (r.is(this.pos + 1, 'op', '(')) {
          const close = r.match(this.pos + 1);
          const args = r.split(this.pos + 2, close - 1).map(([a, b]) => r.eval(a, b, this.vars));
          this.pos = close;
          return r.call(t.v, args);
        }
        if (r.is(this.pos + 1, 'op', '::')) {
          const at = this.pos;
          this.pos += 3;
          return unk(`uses the class constant ${r.text(at, at + 3)}`);
        }
        if (lower === 'new' || lower === 'function' || lower === 'fn' || lower === 'match') {
          this.pos = this.b;
          return unk(`uses "${lower}", which this reader does not evaluate`);
        }
        this.pos++;
        return r.constant(t.v);
      }
      case 'op':
        if (t.v === '[') {
          const close = r.match(this.pos);
          const v = this.array(this.pos + 1, close - 1);
          this.pos = close;
          return v;
        }
        if (t.v === '(') {
          const close = r.match(this.pos);
          const v = r.eval(this.pos + 1, close - 1, this.vars);
          this.pos = close;
          return v;
        }
        if (t.v === '-' || t.v === '+') {
          this.pos++;
          const v = this.unary();
          return v.k === 'num' && t.v === '-' ? { k: 'num', v: `-${v.v}` } : v;
        }
        return unk(`uses "${t.v}", which this reader does not evaluate`, false);
    }
  }

  array(a: number, b: number): Val {
    const arr: Extract<Val, { k: 'arr' }> = { k: 'arr', e: [] };
    for (const [pa, pb] of this.r.split(a, b)) {
      const kv = this.r.split(pa, pb, '=>');
      if (kv.length === 2) {
        const [[ka, kb], [va, vb]] = kv as [[number, number], [number, number]];
        const key = normKey(this.r.eval(ka, kb, this.vars));
        if (typeof key === 'string') setEntry(arr, key, this.r.eval(va, vb, this.vars));
      } else if (this.r.is(pa, 'op', '...')) {
        return unk('spreads another array into this one', false);
      } else {
        setEntry(arr, null, this.r.eval(pa, pb, this.vars));
      }
    }
    return arr;
  }
}

// ---------------------------------------------------------------------------------------------
// check_prerequisites: GLPI bounds written as `version_compare(GLPI_VERSION, 'x', op)`

interface PrereqBounds {
  mins: string[];
  maxs: string[];
  unreadable: string[];
}

const FLIP: Record<string, string> = {
  '<': '>',
  lt: 'gt',
  '<=': '>=',
  le: 'ge',
  '>': '<',
  gt: 'lt',
  '>=': '<=',
  ge: 'le',
};
const OP_CLASS: Record<string, 'lt' | 'le' | 'gt' | 'ge'> = {
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
};

function readPrerequisites(r: Reader, body: [number, number]): PrereqBounds {
  const out: PrereqBounds = { mins: [], maxs: [], unreadable: [] };
  const [a, b] = body;
  // Local variables derived from GLPI_VERSION (e.g. `$v = rtrim(GLPI_VERSION, '-dev');`).
  const glpiVars = new Set<string>();
  const mentionsGlpi = (x: number, y: number): boolean => {
    for (let j = x; j < y; j++) {
      const t = r.toks[j] as Tok;
      if ((t.t === 'id' && t.v.replace(/^\\/, '') === 'GLPI_VERSION') || (t.t === 'var' && glpiVars.has(t.v)))
        return true;
    }
    return false;
  };
  for (let j = a; j < b; j++) {
    if (r.is(j, 'var') && r.is(j + 1, 'op', '=')) {
      const end = r.semi(j + 2, b);
      if (mentionsGlpi(j + 2, end)) glpiVars.add((r.toks[j] as Tok).v);
    }
  }
  for (let j = a; j < b; j++) {
    if (!(r.is(j, 'id') && bare((r.toks[j] as Tok).v) === 'version_compare' && r.is(j + 1, 'op', '('))) continue;
    const close = r.match(j + 1);
    const args = r.split(j + 2, close - 1);
    const call = r.text(j, close);
    const [x, y, o] = args;
    if (!x || !y) continue;
    const gx = mentionsGlpi(x[0], x[1]);
    const gy = mentionsGlpi(y[0], y[1]);
    if (gx === gy) continue; // not a comparison of the GLPI version with a bound
    const opV = o ? toStr(r.eval(o[0], o[1], new Map())) : null;
    const boundV = gx ? r.eval(y[0], y[1], new Map()) : r.eval(x[0], x[1], new Map());
    const bound = toStr(boundV);
    if (typeof opV !== 'string' || typeof bound !== 'string') {
      const why = typeof bound !== 'string' ? bound.why : 'no literal operator';
      out.unreadable.push(`${call}: ${why}`);
      continue;
    }
    const cls = OP_CLASS[gx ? opV : (FLIP[opV] ?? '')];
    // Polarity: does a true result make the check fail (`if (…) { … return false; }`) or pass?
    let negated = r.is(j - 1, 'op', '!');
    let depth = 0;
    let open = -1;
    for (let k = j - 1; k >= a; k--) {
      const t = r.toks[k] as Tok;
      if (t.t !== 'op') continue;
      if (t.v === ')') depth++;
      else if (t.v === '(') {
        if (depth === 0) {
          open = k;
          break;
        }
        depth--;
      } else if (depth === 0 && (t.v === ';' || t.v === '{' || t.v === '}')) break;
    }
    let fails: boolean | null = null;
    if (open >= 0 && (r.is(open - 1, 'id', 'if') || r.is(open - 1, 'id', 'elseif'))) {
      const bodyStart = r.match(open);
      const bodyText = r.text(bodyStart, r.stmtEnd(bodyStart, b), true).toLowerCase();
      if (/return\s+false|\bdie\b|\bexit\b/.test(bodyText)) fails = true;
      else if (/return\s+true/.test(bodyText)) fails = false;
    } else {
      let k = j - 1;
      while (k >= a && !r.is(k, 'op', ';') && !r.is(k, 'op', '{') && !r.is(k, 'op', '}')) k--;
      if (r.is(k + 1, 'id', 'return')) fails = false;
      if (open >= 0 && r.is(open - 1, 'op', '!')) negated = !negated;
    }
    if (fails === null || !cls || (cls !== 'lt' && cls !== 'ge')) {
      out.unreadable.push(call);
      continue;
    }
    if (negated) fails = !fails;
    // "fails when GLPI >= X" and "passes when GLPI < X" both mean: max X (exclusive).
    if ((fails && cls === 'ge') || (!fails && cls === 'lt')) out.maxs.push(bound);
    else out.mins.push(bound);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry point

function describe(label: string, v: Unk): string {
  return v.runtime ? `the ${label} is computed at run time (${v.why})` : `the ${label} could not be read (${v.why})`;
}

export function parseSetupPhp(source: string, folderKey: string): SetupPhpInfo {
  const info: SetupPhpInfo = {
    key: folderKey,
    name: null,
    version: null,
    glpiMin: null,
    glpiMax: null,
    problems: [],
    versionSource: null,
  };
  const key = folderKey.toLowerCase();
  const fnName = `plugin_version_${key}`;
  const { toks, sawPhp } = lex(source.replace(/^\uFEFF/, ''));
  const r = new Reader(source.replace(/^\uFEFF/, ''), toks);
  if (!sawPhp) info.problems.push('setup.php contains no PHP code (no "<?php" opening tag)');
  r.collectFunctions();
  r.run(0, toks.length, new Map(), null);

  const fn = r.functions.get(fnName);
  if (!fn) {
    info.problems.push(`setup.php has no ${fnName}() function`);
    return info;
  }
  const ret = r.run(fn.body[0], fn.body[1], new Map(), null);
  if (!ret) {
    info.problems.push(`${fn.name}() has no return statement this reader can follow`);
    return info;
  }
  if (ret.k === 'unk') {
    info.problems.push(describe(`array returned by ${fn.name}()`, ret));
    return info;
  }
  if (ret.k !== 'arr') {
    info.problems.push(`${fn.name}() does not return an array`);
    return info;
  }

  const text = (label: string, v: Val | undefined): string | null => {
    if (v === undefined) return null;
    const s = toStr(v);
    if (typeof s === 'string' && v.k !== 'bool' && v.k !== 'null') return s;
    info.problems.push(typeof s === 'string' ? `the ${label} is not a string` : describe(label, s));
    return null;
  };

  info.name = text('name', get(ret, 'name'));
  const versionV = get(ret, 'version');
  if (versionV === undefined) {
    const other = ret.e.find(([k]) => k.toLowerCase() === 'version')?.[0];
    info.problems.push(
      `${fn.name}() returns no 'version' entry` +
        (other ? ` (it has '${other}'; GLPI reads array keys case-sensitively)` : ''),
    );
  } else {
    info.version = text('version', versionV);
    info.versionSource = versionSource(r, fn, fnName);
  }

  const reqs = get(ret, 'requirements');
  if (reqs !== undefined) {
    if (reqs.k === 'unk') info.problems.push(describe('GLPI requirement', reqs));
    else {
      const glpi = get(reqs, 'glpi');
      if (glpi?.k === 'unk') info.problems.push(describe('GLPI requirement', glpi));
      info.glpiMin = text('GLPI minimum version', get(glpi, 'min'));
      info.glpiMax = text('GLPI maximum version', get(glpi, 'max'));
    }
  } else {
    info.glpiMin = text('GLPI minimum version (minGlpiVersion)', get(ret, 'minGlpiVersion'));
  }

  const prereq = r.functions.get(`plugin_${key}_check_prerequisites`);
  if (prereq) {
    const p = readPrerequisites(r, prereq.body);
    for (const m of p.mins) if (info.glpiMin === null || versionCompare(m, info.glpiMin) > 0) info.glpiMin = m;
    for (const m of p.maxs) if (info.glpiMax === null || versionCompare(m, info.glpiMax) < 0) info.glpiMax = m;
    for (const u of p.unreadable)
      info.problems.push(`${prereq.name}() checks the GLPI version in a way this reader cannot follow: ${u}`);
  }
  return info;
}

/** Names where the `'version'` entry of the returned array comes from. */
function versionSource(r: Reader, fn: { name: string; body: [number, number] }, fnName: string): string {
  // Find the `'version' => …` entry in the function body; describe its expression.
  for (let j = fn.body[0]; j < fn.body[1]; j++) {
    const t = r.toks[j] as Tok;
    if (!(t.t === 'str' && t.v === 'version')) continue;
    let s: number;
    if (r.is(j + 1, 'op', '=>')) s = j + 2;
    else if (r.is(j + 1, 'op', ']') && r.is(j + 2, 'op', '=')) s = j + 3;
    else continue;
    let end = s;
    while (end < fn.body[1] && !/^[,\]);]$/.test(r.is(end, 'op') ? (r.toks[end] as Tok).v : '')) {
      if (r.is(end, 'op', '(') || r.is(end, 'op', '[')) end = r.match(end);
      else end++;
    }
    const first = r.toks[s] as Tok;
    if (end === s + 1 && first.t === 'id') return `constant ${first.v.replace(/^\\/, '')}`;
    if (end === s + 1 && first.t === 'str') return `literal in ${fnName}()`;
    if (end === s + 1 && first.t === 'var') return `variable $${first.v} in ${fnName}()`;
    return `expression in ${fnName}() (${r.text(s, end)})`;
  }
  return `${fnName}()`;
}
