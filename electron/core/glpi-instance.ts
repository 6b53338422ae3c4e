/**
 * Static inspection of a GLPI root folder (docs/glpi-instance-layout.md): version, release line,
 * install mode, config and plugin folders, without ever running PHP. PHP files are read as text
 * and only plain constant definitions are evaluated; anything that would need PHP (getenv, ternaries,
 * function calls, interpolation, conditions we cannot decide) is reported in `problems`, not guessed.
 */
import * as nodePath from 'node:path';
import { glpiVersionPattern, normalizeGlpiVersion } from '../../shared/glpi-version';
import { versionCompare } from '../../shared/php-version';
import { listNames, type FileSystem } from './ports';
import { findStringConstant } from './php/constants';
import { lexPhp, type PhpToken } from './php/lexer';
import { closerOf, isOp, isWord, splitTop } from './php/tokens';

export type GlpiLine = '9.5' | '10.0' | '11' | 'unknown';

export interface InstanceOverride {
  name: string;
  /** Strings as is; arrays as JSON; numbers and booleans as their PHP literal. */
  value: string;
  /** Relative to the root when inside it (forward slashes), else absolute. */
  file: string;
}

export interface InstanceInfo {
  root: string;
  version: string | null;
  /** Which file the version came from, e.g. "inc/define.php (GLPI_VERSION)". */
  versionSource: string;
  /** The version/ (or older .version/) folder, when present. */
  crossCheck: { file: string; version: string | null; agrees: boolean } | null;
  line: GlpiLine;
  installMode: string;
  marketplaceDir: string;
  /** Priority order: the first folder holding a plugin key wins. */
  pluginsDirs: string[];
  marketplaceWritable: boolean;
  configDir: string | null;
  overrides: InstanceOverride[];
  problems: string[];
}

const DEFINE_PHP = 'inc/define.php';
const CONSTANTS_PHP = 'src/autoload/constants.php';
const LOCAL_DEFINE = 'config/local_define.php';
const DOWNSTREAM = 'inc/downstream.php';
const MAX_INCLUDE_DEPTH = 4;

// ---------------------------------------------------------------------------------------------
// File-system helpers

type Probe = 'file' | 'dir' | 'missing' | { error: string };

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOENT') return 'it does not exist (ENOENT)';
  return code;
}

async function probe(fs: FileSystem, path: string): Promise<Probe> {
  try {
    const s = await fs.stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : { error: 'not a regular file or folder' };
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return { error: describeError(e) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reading constants from PHP files (php/lexer.ts tokens)

/** Finds `GLPI_VERSION` defined with a string literal, as define(...) or const. */
export function extractGlpiVersion(src: string): { version: string } | { unresolved: string } | null {
  const found = findStringConstant(src, 'GLPI_VERSION');
  return found !== null && 'value' in found ? { version: found.value } : found;
}

// ---------------------------------------------------------------------------------------------
// Evaluating plain constant definitions

type Value = string | string[];
type Defined = { known: true; value: Value; file: string } | { known: false; file: string; source: string };

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
    } else {
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

// ---------------------------------------------------------------------------------------------
// Detection

function lineOf(version: string): GlpiLine {
  const [major, minor] = normalizeGlpiVersion(version).split('.');
  if (major === '9' && minor === '5') return '9.5';
  if (major === '10' && minor === '0') return '10.0';
  if (major === '11') return '11';
  return 'unknown';
}

async function readVersion(
  fs: FileSystem,
  root: string,
  rel: string,
  problems: string[],
): Promise<{ version: string | null; source: string }> {
  let src: string;
  try {
    src = await fs.readText(nodePath.join(root, rel));
  } catch (e) {
    problems.push(`cannot read ${rel}, so the GLPI version is unknown: ${describeError(e)}`);
    return { version: null, source: `${rel} (unreadable)` };
  }
  const found = extractGlpiVersion(src);
  if (found === null) {
    problems.push(`${rel} does not define GLPI_VERSION, so the GLPI version is unknown`);
    return { version: null, source: `${rel} (no GLPI_VERSION)` };
  }
  if ('unresolved' in found) {
    problems.push(`${rel} sets GLPI_VERSION with \`${found.unresolved}\`, which is not a plain string`);
    return { version: null, source: `${rel} (GLPI_VERSION not a plain string)` };
  }
  if (!glpiVersionPattern.test(found.version)) {
    problems.push(`${rel} sets GLPI_VERSION to '${found.version}', which does not look like a GLPI version`);
    return { version: null, source: `${rel} (GLPI_VERSION)` };
  }
  return { version: found.version, source: `${rel} (GLPI_VERSION)` };
}

async function crossCheck(
  fs: FileSystem,
  root: string,
  version: string | null,
  problems: string[],
): Promise<InstanceInfo['crossCheck']> {
  for (const folder of ['version', '.version']) {
    const p = await probe(fs, nodePath.join(root, folder));
    if (p === 'missing' || p === 'file') continue;
    if (typeof p === 'object') {
      problems.push(`cannot inspect ${folder}/: ${p.error}`);
      return null;
    }
    let names: string[];
    try {
      names = (await listNames(fs, nodePath.join(root, folder))).filter((n) => !n.startsWith('.'));
    } catch (e) {
      problems.push(`cannot list ${folder}/: ${describeError(e)}`);
      return null;
    }
    const expected = version === null ? null : normalizeGlpiVersion(version);
    if (names.length === 0) {
      problems.push(`${folder}/ is empty; it should hold one file named after the GLPI version`);
      return { file: `${folder}/`, version: null, agrees: false };
    }
    const sorted = [...names].sort(versionCompare);
    const pick = names.find((n) => n === expected) ?? sorted[sorted.length - 1]!;
    if (names.length > 1) {
      problems.push(
        `${folder}/ holds ${names.length} files (${sorted.join(', ')}): files of an older release were left behind`,
      );
    }
    const agrees = names.length === 1 && pick === expected;
    if (expected !== null && pick !== expected) {
      problems.push(
        `the GLPI_VERSION constant says ${version} but ${folder}/ says ${pick}: the files may come from two different releases (incomplete upgrade?)`,
      );
    }
    return { file: `${folder}/${pick}`, version: pick, agrees };
  }
  return null;
}

function valueText(v: Value): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Inspects a GLPI root folder. Never throws for a file-system problem: it lands in `problems`. */
export async function detectInstance(root: string, fs: FileSystem): Promise<InstanceInfo> {
  root = nodePath.resolve(root);
  const problems: string[] = [];
  const defaultMarket = nodePath.join(root, 'marketplace');
  const info: InstanceInfo = {
    root,
    version: null,
    versionSource: 'none',
    crossCheck: null,
    line: 'unknown',
    installMode: 'TARBALL',
    marketplaceDir: defaultMarket,
    pluginsDirs: [defaultMarket, nodePath.join(root, 'plugins')],
    marketplaceWritable: false,
    configDir: null,
    overrides: [],
    problems,
  };

  const rootProbe = await probe(fs, root);
  if (rootProbe !== 'dir') {
    problems.push(
      rootProbe === 'missing'
        ? `the folder ${root} does not exist`
        : typeof rootProbe === 'object'
          ? `cannot open ${root}: ${rootProbe.error}`
          : `${root} is a file, not a folder`,
    );
    return info;
  }

  // 1. Version and release line (docs/glpi-instance-layout.md §1.7).
  const has = async (rel: string) => probe(fs, nodePath.join(root, rel));
  const constantsPhp = await has(CONSTANTS_PHP);
  const definePhp = await has(DEFINE_PHP);
  for (const [rel, p] of [
    [CONSTANTS_PHP, constantsPhp],
    [DEFINE_PHP, definePhp],
  ] as const) {
    if (typeof p === 'object') problems.push(`cannot inspect ${rel}: ${p.error}`);
  }
  let layoutLine: GlpiLine | '9.x' = 'unknown';
  if (constantsPhp === 'file') {
    const r = await readVersion(fs, root, CONSTANTS_PHP, problems);
    info.version = r.version;
    info.versionSource = r.source;
    layoutLine = '11';
    if (definePhp === 'file') problems.push(`${DEFINE_PHP} is also present: a leftover of a release older than 11?`);
  } else if (definePhp === 'file') {
    const r = await readVersion(fs, root, DEFINE_PHP, problems);
    info.version = r.version;
    info.versionSource = r.source;
    if ((await has('src/Plugin.php')) === 'file') layoutLine = '10.0';
    else if ((await has('inc/plugin.class.php')) === 'file') layoutLine = '9.x';
  } else if (typeof constantsPhp !== 'object' && typeof definePhp !== 'object') {
    problems.push(`not a GLPI folder: neither ${DEFINE_PHP} nor ${CONSTANTS_PHP} exists`);
    return info;
  }

  if (info.version !== null) {
    info.line = lineOf(info.version);
    if (info.line === 'unknown') {
      problems.push(`GLPI ${info.version} is not one of the supported release lines (9.5, 10.0, 11)`);
    } else if (layoutLine !== 'unknown' && layoutLine !== info.line && !(layoutLine === '9.x' && info.line === '9.5')) {
      problems.push(
        `the files look like a GLPI ${layoutLine} tree but GLPI_VERSION says ${info.version}; trusting GLPI_VERSION`,
      );
    }
  } else if (layoutLine === '11' || layoutLine === '10.0') {
    info.line = layoutLine;
  }
  info.crossCheck = await crossCheck(fs, root, info.version, problems);

  // 2. Overrides: config/local_define.php, then inc/downstream.php; first definition wins.
  const state: EvalState = {
    fs,
    root,
    constants: new Map(),
    problems,
    visited: new Set(),
    display: (p) => {
      const rel = nodePath.relative(root, p);
      return rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join('/') : p;
    },
  };
  await evaluateFile(state, nodePath.join(root, LOCAL_DEFINE), 0, false);
  await evaluateFile(state, nodePath.join(root, DOWNSTREAM), 0, false);
  for (const [name, d] of state.constants) {
    if (d.known) info.overrides.push({ name, value: valueText(d.value), file: d.file });
  }

  const asDir = (name: string, fallback: string | null): string | null => {
    const d = state.constants.get(name);
    if (!d) return fallback;
    if (!d.known || typeof d.value !== 'string') {
      if (d.known) problems.push(`${name} in ${d.file} is not a string`);
      return null;
    }
    if (!nodePath.isAbsolute(d.value)) {
      problems.push(
        `${name} in ${d.file} is a relative path ('${d.value}'); PHP resolves it against its working directory, so the folder is uncertain (shown relative to the GLPI root)`,
      );
    }
    return nodePath.resolve(root, d.value);
  };

  // 3. Install mode (docs/glpi-instance-layout.md §3).
  const mode = state.constants.get('GLPI_INSTALL_MODE');
  const gitMode = (await has('.git')) === 'dir' ? 'GIT' : 'TARBALL';
  info.installMode = mode?.known && typeof mode.value === 'string' ? mode.value : gitMode;

  // 4. Config folder.
  info.configDir = asDir('GLPI_CONFIG_DIR', nodePath.join(root, 'config'));
  if (info.configDir !== null) {
    const p = await probe(fs, info.configDir);
    if (p === 'missing') problems.push(`the config folder ${info.configDir} does not exist`);
    else if (typeof p === 'object') problems.push(`cannot inspect the config folder ${info.configDir}: ${p.error}`);
  } else {
    problems.push('the config folder (GLPI_CONFIG_DIR) cannot be known without running PHP');
  }

  // 5. Marketplace and plugin folders (docs/glpi-instance-layout.md §4.1).
  const market = asDir('GLPI_MARKETPLACE_DIR', defaultMarket);
  if (market === null) {
    problems.push(`GLPI_MARKETPLACE_DIR cannot be known without running PHP; showing the default ${defaultMarket}`);
  }
  info.marketplaceDir = market ?? defaultMarket;
  const newName = state.constants.get('GLPI_PLUGINS_DIRECTORIES');
  const oldName = state.constants.get('PLUGINS_DIRECTORIES');
  let dirsDef: Defined | undefined;
  let dirsName = '';
  if (info.line === '11' || info.line === 'unknown') {
    if (newName) [dirsDef, dirsName] = [newName, 'GLPI_PLUGINS_DIRECTORIES'];
    else if (oldName) {
      [dirsDef, dirsName] = [oldName, 'PLUGINS_DIRECTORIES'];
      if (info.line === '11')
        problems.push(`PLUGINS_DIRECTORIES is deprecated in GLPI 11 (use GLPI_PLUGINS_DIRECTORIES)`);
    }
  } else {
    if (oldName) [dirsDef, dirsName] = [oldName, 'PLUGINS_DIRECTORIES'];
    if (newName) problems.push(`GLPI_PLUGINS_DIRECTORIES has no effect before GLPI 11 (${newName.file})`);
  }
  info.pluginsDirs = [info.marketplaceDir, nodePath.join(root, 'plugins')];
  if (dirsDef) {
    if (dirsDef.known && Array.isArray(dirsDef.value)) {
      info.pluginsDirs = dirsDef.value.map((d) => nodePath.resolve(root, d));
    } else {
      problems.push(
        `${dirsName} cannot be known without running PHP (or is not an array); showing the default plugin folders`,
      );
    }
  }

  // 6. Can we write into the marketplace folder?
  const mp = await probe(fs, info.marketplaceDir);
  if (mp === 'dir') {
    if (await fs.access(info.marketplaceDir, 'write')) info.marketplaceWritable = true;
    else problems.push(`the marketplace folder ${info.marketplaceDir} is not writable: permission denied (EACCES)`);
  } else {
    problems.push(
      mp === 'missing'
        ? `the marketplace folder ${info.marketplaceDir} does not exist`
        : typeof mp === 'object'
          ? `cannot inspect the marketplace folder ${info.marketplaceDir}: ${mp.error}`
          : `the marketplace path ${info.marketplaceDir} is a file, not a folder`,
    );
  }
  return info;
}
