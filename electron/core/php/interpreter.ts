/**
 * The static PHP evaluator: PHP is NEVER executed. It runs the statements that matter to a reader of
 * constants and returned arrays (`define`, `const`, guarded `if (!defined())` blocks, `$var = …`,
 * `return`), understanding only what php/expressions.ts evaluates. Statements under a condition it
 * cannot decide (or inside loops) make what they set unknown, with the condition as the reason.
 */
import { callBuiltin } from './builtins';
import { ExprParser } from './expressions';
import type { PhpToken } from './lexer';
import { PhpTokens } from './tokens';
import { get, normKey, setEntry, str, toStr, truthy, unk, type Arr, type Val } from './values';

/** Values PHP or GLPI provide at run time, never defined by a plugin file. */
const RUNTIME_CONSTANT = /^(GLPI_|PHP_|E_|__|DIRECTORY_SEPARATOR$|PATH_SEPARATOR$|DEFAULT_|M_)/;

const isDefineName = (name: string): boolean => /^\\?(Safe\\)?define$/i.test(name);

export class PhpEvaluator extends PhpTokens {
  readonly consts = new Map<string, Val>();
  /** Descriptions of `define()` calls whose constant name is not a literal. */
  readonly dynamicDefines: string[] = [];
  readonly includes: string[] = [];

  /** `fileName` names the file in messages, e.g. `setup.php`. */
  constructor(
    src: string,
    toks: PhpToken[],
    readonly fileName: string,
  ) {
    super(src, toks);
  }

  /** The value of the expression `[a, b)`. */
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
    let why = `constant ${plain} is not defined in ${this.fileName}`;
    let runtime = false;
    if (this.dynamicDefines.length) {
      why = `constant ${plain} is not defined literally in ${this.fileName}; ${this.dynamicDefines[0]}`;
      runtime = true;
    }
    if (this.includes.length) why += `; ${this.fileName} includes ${this.includes.join(', ')}, which may define it`;
    return unk(why, runtime);
  }

  call(name: string, args: Val[]): Val {
    return callBuiltin(name, args, { isDefined: (n) => this.consts.has(n), constant: (n) => this.constant(n) });
  }

  /**
   * Runs the statements in `[a, b)`. `cond` is set when they run only under a condition this
   * reader cannot decide (or inside a loop). Returns the value of an unconditional `return`.
   */
  run(a: number, b: number, vars: Map<string, Val>, cond: string | null): Val | undefined {
    let i = a;
    while (i < b) {
      const t = this.toks[i] as PhpToken;
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
            this.define((this.toks[pa] as PhpToken).v, this.eval(pa + 2, pb, vars), cond);
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
      const name = (this.toks[a] as PhpToken).v;
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
      if (this.is(pa, 'id') && isDefineName((this.toks[pa] as PhpToken).v) && this.is(pa + 1, 'op', '(')) {
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
    let cur: Arr = root;
    for (let p = 0; p < path.length; p++) {
      const key = path[p] ?? null;
      if (p === path.length - 1) {
        setEntry(cur, key, v);
        return;
      }
      const found: Val | undefined = key === null ? undefined : get(cur, key);
      let next: Arr;
      if (found?.k === 'arr') next = found;
      else {
        next = { k: 'arr', e: [] };
        setEntry(cur, key, next);
      }
      cur = next;
    }
  }
}
