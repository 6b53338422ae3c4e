/**
 * Static reader of a GLPI plugin's `setup.php` (docs/setup-php-patterns.md). PHP is NEVER executed: the
 * file is tokenised (php/lexer.ts) and a tiny evaluator (php/interpreter.ts) runs the top-level
 * statements that matter (`define`, `const`, guarded `if (!defined())` blocks, `$var = …`) and then
 * the body of `plugin_version_<key>()`, understanding only string/number/boolean literals, arrays,
 * constants, `.` concatenation and a few pure functions. Everything else becomes an "unknown" value
 * that carries the reason, which ends up in `problems` in plain words.
 */
import { versionCompare } from '../../shared/php-version';
import { PhpEvaluator } from './php/interpreter';
import { lexPhp, type PhpToken } from './php/lexer';
import type { PhpFunction } from './php/tokens';
import { get, toStr, type Arr, type Unk, type Val } from './php/values';
import { readVersionBounds } from './php/version-bounds';

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
  const src = source.replace(/^\uFEFF/, '');
  const { toks, sawPhp } = lexPhp(src);
  const r = new PhpEvaluator(src, toks, 'setup.php');
  if (!sawPhp) info.problems.push('setup.php contains no PHP code (no "<?php" opening tag)');
  r.collectFunctions();
  r.run(0, toks.length, new Map(), null);

  const fn = r.functions.get(fnName);
  if (!fn) {
    info.problems.push(`setup.php has no ${fnName}() function`);
    return info;
  }
  const ret = versionArray(r, fn, info);
  if (!ret) return info;
  readReturnedArray(r, fn, fnName, ret, info);
  const prereq = r.functions.get(`plugin_${key}_check_prerequisites`);
  if (prereq) applyPrerequisites(r, prereq, info);
  return info;
}

/** The array `plugin_version_<key>()` returns; null (with the problem noted) when it is not readable. */
function versionArray(r: PhpEvaluator, fn: PhpFunction, info: SetupPhpInfo): Arr | null {
  const ret = r.run(fn.body[0], fn.body[1], new Map(), null);
  if (!ret) {
    info.problems.push(`${fn.name}() has no return statement this reader can follow`);
    return null;
  }
  if (ret.k === 'unk') {
    info.problems.push(describe(`array returned by ${fn.name}()`, ret));
    return null;
  }
  if (ret.k !== 'arr') {
    info.problems.push(`${fn.name}() does not return an array`);
    return null;
  }
  return ret;
}

/** Name, version and declared GLPI requirements from the returned array. */
function readReturnedArray(r: PhpEvaluator, fn: PhpFunction, fnName: string, ret: Arr, info: SetupPhpInfo): void {
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
}

/** Narrows the GLPI bounds with the `version_compare` checks of `plugin_<key>_check_prerequisites()`. */
function applyPrerequisites(r: PhpEvaluator, prereq: PhpFunction, info: SetupPhpInfo): void {
  const p = readVersionBounds(r, prereq.body);
  for (const m of p.mins) if (info.glpiMin === null || versionCompare(m, info.glpiMin) > 0) info.glpiMin = m;
  for (const m of p.maxs) if (info.glpiMax === null || versionCompare(m, info.glpiMax) < 0) info.glpiMax = m;
  for (const u of p.unreadable)
    info.problems.push(`${prereq.name}() checks the GLPI version in a way this reader cannot follow: ${u}`);
}

/** Names where the `'version'` entry of the returned array comes from. */
function versionSource(r: PhpEvaluator, fn: PhpFunction, fnName: string): string {
  // Find the `'version' => …` entry in the function body; describe its expression.
  for (let j = fn.body[0]; j < fn.body[1]; j++) {
    const t = r.toks[j] as PhpToken;
    if (!(t.t === 'str' && t.v === 'version')) continue;
    let s: number;
    if (r.is(j + 1, 'op', '=>')) s = j + 2;
    else if (r.is(j + 1, 'op', ']') && r.is(j + 2, 'op', '=')) s = j + 3;
    else continue;
    let end = s;
    while (end < fn.body[1] && !/^[,\]);]$/.test(r.is(end, 'op') ? (r.toks[end] as PhpToken).v : '')) {
      if (r.is(end, 'op', '(') || r.is(end, 'op', '[')) end = r.match(end);
      else end++;
    }
    const first = r.toks[s] as PhpToken;
    if (end === s + 1 && first.t === 'id') return `constant ${first.v.replace(/^\\/, '')}`;
    if (end === s + 1 && first.t === 'str') return `literal in ${fnName}()`;
    if (end === s + 1 && first.t === 'var') return `variable $${first.v} in ${fnName}()`;
    return `expression in ${fnName}() (${r.text(s, end)})`;
  }
  return `${fnName}()`;
}
