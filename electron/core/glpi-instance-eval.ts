/**
 * Evaluation of plain PHP constant definitions for glpi-instance.ts (docs/glpi-instance-layout.md):
 * define(...) and const with literal, concatenated, dirname() or array values, includes and `if`s
 * that can be decided statically. Anything that would need PHP lands in `problems`, not guessed.
 */
import * as nodePath from 'node:path';
import type { FileSystem } from './ports';
import { describeError, errorCode, probe } from './glpi-instance-fs';
import { lexPhp, type PhpToken } from './php/lexer';
import { closerOf, isOp, isWord, splitTop } from './php/tokens';

const LOCAL_DEFINE = 'config/local_define.php';
const DOWNSTREAM = 'inc/downstream.php';
const MAX_INCLUDE_DEPTH = 4;

export type Value = string | string[];
export type Defined = { known: true; value: Value; file: string } | { known: false; file: string; source: string };

interface EvalState {
  fs: FileSystem;
  root: string;
  constants: Map<string, Defined>;
  problems: string[];
  visited: Set<string>;
  display(path: string): string;
}

interface FileCtx {
  state: EvalState;
  path: string;
  src: string;
  toks: PhpToken[];
  depth: number;
}

/** 'run': the code runs; 'skip': it does not; a string: it depends on that condition's source. */
type Flow = 'run' | 'skip' | { condition: string; guardFor?: string };

function evalOperand(ctx: FileCtx, from: number, to: number): string | null {
  const toks = ctx.toks;
  const t = toks[from]!;
  if (to - from === 1) {
    if (t.t === 'str') return t.interp ? null : t.v;
    if (t.t === 'num') return /^[0-9]+$/.test(t.v) ? t.v : null;
    if (t.t !== 'id') return null;
    const name = t.v.replace(/^\\/, '');
    if (name === '__DIR__') return nodePath.dirname(ctx.path);
    if (name === '__FILE__') return ctx.path;
    if (name === 'GLPI_ROOT') return ctx.state.root;
    const c = ctx.state.constants.get(name);
    return c?.known && typeof c.value === 'string' ? c.value : null;
  }
  if (isWord(t, 'dirname') && isOp(toks[from + 1], '(') && closerOf(toks, from + 1) === to - 1) {
    const inner = evalConcat(ctx, from + 2, to - 1);
    return inner === null ? null : nodePath.dirname(inner);
  }
  if (isOp(t, '(') && closerOf(toks, from) === to - 1) return evalConcat(ctx, from + 1, to - 1);
  return null;
}

/** Operands joined by `.`; null when any part needs PHP. */
function evalConcat(ctx: FileCtx, from: number, to: number): string | null {
  if (from >= to) return null;
  let out = '';
  let depth = 0;
  let s = from;
  for (let i = from; i <= to; i++) {
    const t = ctx.toks[i];
    if (i < to && t!.t === 'op' && '([{'.includes(t!.v)) depth++;
    else if (i < to && t!.t === 'op' && ')]}'.includes(t!.v)) depth--;
    else if (i === to || (depth === 0 && isOp(t, '.'))) {
      if (s === i) return null;
      const part = evalOperand(ctx, s, i);
      if (part === null) return null;
      out += part;
      s = i + 1;
    }
  }
  return out;
}

function evalValue(ctx: FileCtx, from: number, to: number): Value | null {
  const toks = ctx.toks;
  let open = -1;
  if (isOp(toks[from], '[')) open = from;
  else if (isWord(toks[from], 'array') && isOp(toks[from + 1], '(')) open = from + 1;
  if (open >= 0) {
    if (closerOf(toks, open) !== to - 1) return null;
    const items: string[] = [];
    for (const [a, b] of splitTop(toks, open + 1, to - 1)) {
      const v = evalConcat(ctx, a, b);
      if (v === null) return null;
      items.push(v);
    }
    return items;
  }
  if (to - from === 1 && toks[from]!.t === 'id') {
    const word = toks[from]!.v.toLowerCase();
    if (word === 'true' || word === 'false' || word === 'null') return word;
  }
  return evalConcat(ctx, from, to);
}

function define(ctx: FileCtx, name: string, from: number, to: number, stmtStart: number, stmtEnd: number): void {
  const { state } = ctx;
  const file = state.display(ctx.path);
  const existing = state.constants.get(name);
  if (existing) {
    // PHP keeps the first definition (first definition wins: local_define, then downstream).
    return;
  }
  const value = evalValue(ctx, from, to);
  const source = ctx.src.slice(ctx.toks[stmtStart]!.start, ctx.toks[stmtEnd - 1]!.end);
  if (value === null) {
    state.constants.set(name, { known: false, file, source });
    state.problems.push(`${file}: ${name} is set by \`${source}\`, which cannot be evaluated without running PHP`);
  } else {
    state.constants.set(name, { known: true, value, file });
  }
}

function conditional(ctx: FileCtx, flow: Flow, what: string, stmtStart: number, stmtEnd: number): void {
  if (typeof flow === 'string') return;
  const file = ctx.state.display(ctx.path);
  const source = ctx.src.slice(ctx.toks[stmtStart]!.start, ctx.toks[stmtEnd - 1]!.end);
  ctx.state.problems.push(
    `${file}: \`${source}\` only runs when \`${flow.condition}\`, which cannot be decided without running PHP; ${what} was not evaluated`,
  );
}

/** A simple statement toks[from, to) (without its `;`). */
async function statement(ctx: FileCtx, from: number, to: number, flow: Flow): Promise<void> {
  if (flow === 'skip' || from >= to) return;
  const toks = ctx.toks;
  let i = from;
  // defined('X') or define(...)   /   !defined('X') && define(...)
  let guard: string | undefined;
  const neg = isOp(toks[i], '!') ? 1 : 0;
  if (isWord(toks[i + neg], 'defined') && isOp(toks[i + neg + 1], '(') && toks[i + neg + 2]?.t === 'str') {
    const close = closerOf(toks, i + neg + 1);
    const op = toks[close + 1];
    const ok = neg ? isOp(op, '&&') || isWord(op, 'and') : isOp(op, '||') || isWord(op, 'or');
    if (close === i + neg + 3 && ok) {
      guard = toks[i + neg + 2]!.v;
      i = close + 2;
    }
  }
  const head = toks[i];
  if (isWord(head, 'define') && isOp(toks[i + 1], '(') && closerOf(toks, i + 1) === to - 1) {
    const args = splitTop(toks, i + 2, to - 1);
    const nameTok = toks[args[0]?.[0] ?? -1];
    if (args.length >= 2 && args[0]![1] - args[0]![0] === 1 && nameTok?.t === 'str' && !nameTok.interp) {
      const name = nameTok.v;
      const guarded = guard === undefined || guard === name;
      const okFlow = flow === 'run' || (typeof flow === 'object' && flow.guardFor === name);
      if (guarded && okFlow) return define(ctx, name, args[1]![0], args[1]![1], from, to);
      if (!okFlow) return conditional(ctx, flow, name, from, to);
    }
  } else if (isWord(head, 'const') && toks[i + 1]?.t === 'id' && isOp(toks[i + 2], '=') && !guard) {
    if (flow === 'run') return define(ctx, toks[i + 1]!.v, i + 3, to, from, to);
    return conditional(ctx, flow, toks[i + 1]!.v, from, to);
  } else if (['require', 'require_once', 'include', 'include_once'].some((w) => isWord(head, w)) && !guard) {
    return include(ctx, i + 1, to, from, flow);
  }
  // Any other statement that still calls define() is not a plain constant.
  if (toks.slice(from, to).some((t) => isWord(t, 'define'))) {
    const file = ctx.state.display(ctx.path);
    const source = ctx.src.slice(toks[from]!.start, toks[to - 1]!.end);
    ctx.state.problems.push(`${file}: \`${source}\` is not a plain constant definition; it was not evaluated`);
  }
}

async function include(ctx: FileCtx, from: number, to: number, stmtStart: number, flow: Flow): Promise<void> {
  const { state } = ctx;
  const file = state.display(ctx.path);
  const source = ctx.src.slice(ctx.toks[stmtStart]!.start, ctx.toks[to - 1]!.end);
  if (flow !== 'run') return conditional(ctx, flow, 'the included file', stmtStart, to);
  const target = evalConcat(ctx, from, to);
  if (target === null || !nodePath.isAbsolute(target)) {
    state.problems.push(`${file}: \`${source}\` includes a file whose path cannot be known; it was not read`);
    return;
  }
  await evaluateFile(state, nodePath.normalize(target), ctx.depth + 1, true);
}

/** Evaluates the condition of an `if`: file_exists(<path>) is decided, !defined('X') guards X. */
async function condition(ctx: FileCtx, from: number, to: number): Promise<Flow> {
  const toks = ctx.toks;
  const source = ctx.src.slice(toks[from]!.start, toks[to - 1]!.end);
  const fn = toks[from];
  if (
    ['file_exists', 'is_file', 'is_readable'].some((w) => isWord(fn, w)) &&
    isOp(toks[from + 1], '(') &&
    closerOf(toks, from + 1) === to - 1
  ) {
    const path = evalConcat(ctx, from + 2, to - 1);
    if (path !== null && nodePath.isAbsolute(path)) {
      const p = await probe(ctx.state.fs, path);
      if (p === 'file') return 'run';
      if (p === 'missing' || p === 'dir') return 'skip';
    }
  }
  if (
    isOp(toks[from], '!') &&
    isWord(toks[from + 1], 'defined') &&
    isOp(toks[from + 2], '(') &&
    toks[from + 3]?.t === 'str' &&
    closerOf(toks, from + 2) === to - 1 &&
    to - from === 5
  ) {
    return { condition: source, guardFor: toks[from + 3]!.v };
  }
  return { condition: source };
}

function combine(outer: Flow, inner: Flow): Flow {
  if (outer === 'skip' || inner === 'skip') return 'skip';
  if (outer === 'run') return inner;
  return typeof inner === 'object' ? { condition: `${outer.condition} && ${inner.condition}` } : outer;
}

/** An if (elseif, else) chain starting at toks[i]; returns the index after it. */
async function ifChain(ctx: FileCtx, i: number, end: number, flow: Flow): Promise<number> {
  const toks = ctx.toks;
  const close = closerOf(toks, i + 1);
  if (close < 0) return end;
  const cond = await condition(ctx, i + 2, close);
  i = await branch(ctx, close + 1, end, combine(flow, cond));
  // A plain else after a decided if is decided too; anything after an undecided one is not.
  let previous: Flow = cond;
  while (isWord(toks[i], 'else') || isWord(toks[i], 'elseif')) {
    let k = i + 1;
    const chained = isWord(toks[i], 'elseif') || isWord(toks[k], 'if');
    if (chained) {
      if (isWord(toks[k], 'if')) k++;
      const c = closerOf(toks, k);
      if (c < 0) return end;
      k = c + 1;
    }
    const elseFlow: Flow =
      !chained && previous === 'run'
        ? 'skip'
        : !chained && previous === 'skip'
          ? 'run'
          : { condition: 'the else branch of an undecided condition' };
    previous = elseFlow;
    i = await branch(ctx, k, end, combine(flow, elseFlow));
  }
  return i;
}

/** The index of the `;` (or unmatched closer) that ends the statement starting at toks[i]. */
function statementEnd(toks: PhpToken[], i: number, end: number): number {
  let k = i;
  let depth = 0;
  while (k < end) {
    const u = toks[k]!;
    if (u.t === 'op' && '([{'.includes(u.v)) depth++;
    else if (u.t === 'op' && ')]}'.includes(u.v)) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && isOp(u, ';')) break;
    k++;
  }
  return k;
}

/** Walks statements from `i` until the end or a closing `}`; returns the index after the block. */
async function block(ctx: FileCtx, i: number, end: number, flow: Flow): Promise<number> {
  const toks = ctx.toks;
  while (i < end) {
    const t = toks[i]!;
    if (isOp(t, '}')) return i + 1;
    if (isOp(t, ';')) {
      i++;
    } else if (isOp(t, '{')) {
      i = await block(ctx, i + 1, end, flow);
    } else if (isWord(t, 'function') || isWord(t, 'class')) {
      // Bodies do not run when the file is included.
      let k = i;
      while (k < end && !isOp(toks[k], '{')) k++;
      const close = closerOf(toks, k);
      i = close < 0 ? end : close + 1;
    } else if ((isWord(t, 'if') || isWord(t, 'elseif')) && isOp(toks[i + 1], '(')) {
      i = await ifChain(ctx, i, end, flow);
    } else {
      const k = statementEnd(toks, i, end);
      await statement(ctx, i, k, flow);
      i = k;
      if (isOp(toks[i], ';')) i++;
      else if (isOp(toks[i], '}')) return i + 1;
    }
  }
  return end;
}

/** The body of an if/else: a `{}` block or one statement. */
async function branch(ctx: FileCtx, i: number, end: number, flow: Flow): Promise<number> {
  if (isOp(ctx.toks[i], '{')) return block(ctx, i + 1, end, flow);
  let k = i;
  while (k < end && !isOp(ctx.toks[k], ';')) k++;
  await statement(ctx, i, k, flow);
  return k + 1;
}

async function evaluateFile(state: EvalState, path: string, depth: number, mustExist: boolean): Promise<void> {
  const shown = state.display(path);
  if (depth > MAX_INCLUDE_DEPTH || state.visited.has(path)) {
    state.problems.push(`${shown}: included too deeply or twice; not read again`);
    return;
  }
  let src: string;
  try {
    src = await state.fs.readText(path);
  } catch (e) {
    if (errorCode(e) !== 'ENOENT' || mustExist) state.problems.push(`cannot read ${shown}: ${describeError(e)}`);
    return;
  }
  state.visited.add(path);
  const toks = lexPhp(src).toks;
  const ctx: FileCtx = { state, path, src, toks, depth };
  let i = 0;
  while (i < toks.length) i = await block(ctx, i, toks.length, 'run');
}

/** A path relative to the root (forward slashes) when inside it, else as is. */
function displayPath(root: string, p: string): string {
  const rel = nodePath.relative(root, p);
  return rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join('/') : p;
}

/** The constants of config/local_define.php, then inc/downstream.php; the first definition wins. */
export async function evaluateOverrides(
  fs: FileSystem,
  root: string,
  problems: string[],
): Promise<Map<string, Defined>> {
  const state: EvalState = {
    fs,
    root,
    constants: new Map(),
    problems,
    visited: new Set(),
    display: (p) => displayPath(root, p),
  };
  await evaluateFile(state, nodePath.join(root, LOCAL_DEFINE), 0, false);
  await evaluateFile(state, nodePath.join(root, DOWNSTREAM), 0, false);
  return state.constants;
}
