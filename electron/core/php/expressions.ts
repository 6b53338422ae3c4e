/**
 * Expressions of the static PHP evaluator: a precedence-climbing parser over a token range that
 * computes the value as it parses. It understands literals, arrays, constants, variables, `.`,
 * `??`, boolean operators, comparisons, ternaries, `(string)` casts, indexing and the calls of
 * php/builtins.ts; anything else becomes an unknown value (never an exception).
 */
import type { PhpToken } from './lexer';
import type { PhpEvaluator } from './interpreter';
import { bool, get, normKey, setEntry, str, toStr, truthy, unk, type Arr, type Unk, type Val } from './values';

/** Precedence-climbing parser over `[a, b)`; throws nothing, returns `unk` on what it cannot read. */
export class ExprParser {
  pos: number;
  constructor(
    readonly r: PhpEvaluator,
    a: number,
    readonly b: number,
    readonly vars: Map<string, Val>,
  ) {
    this.pos = a;
  }

  peek(): PhpToken | undefined {
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
      if (lt === or) return bool(or);
      const rt = truthy(r);
      if (lt === !or && typeof rt === 'boolean') return bool(rt);
      if (rt === or) return bool(or);
      return typeof lt !== 'boolean' ? lt : (rt as Unk);
    }
    if (l.k === 'unk') return l;
    if (r.k === 'unk') return r;
    if (op === '===' || op === '!==') {
      const same = l.k === r.k && (l.k === 'null' || ('v' in l && 'v' in r && String(l.v) === String(r.v)));
      return bool(op === '===' ? same : !same);
    }
    if ((op === '==' || op === '!=' || op === '<>') && l.k === 'str' && r.k === 'str' && !/^[\d.eE+-]+$/.test(l.v)) {
      return bool(op === '==' ? l.v === r.v : l.v !== r.v);
    }
    return unk(`uses the operator ${op}, which this reader does not evaluate`, false);
  }

  unary(): Val {
    const t = this.peek();
    if (!t) return unk('has an incomplete expression', false);
    if (t.t === 'op' && t.v === '!') {
      this.pos++;
      const v = truthy(this.unary());
      return typeof v === 'boolean' ? bool(!v) : v;
    }
    if (t.t === 'op' && t.v === '@') {
      this.pos++;
      return this.unary();
    }
    if (t.t === 'op' && t.v === '(' && this.r.is(this.pos + 1, 'id') && this.r.is(this.pos + 2, 'op', ')')) {
      const cast = (this.r.toks[this.pos + 1] as PhpToken).v.toLowerCase();
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
    const t = this.peek() as PhpToken;
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
    const arr: Arr = { k: 'arr', e: [] };
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
