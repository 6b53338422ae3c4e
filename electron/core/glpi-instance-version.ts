/**
 * The GLPI version and release line of a root folder (docs/glpi-instance-layout.md §1.7), for
 * detectInstance (glpi-instance.ts): GLPI_VERSION read as text, the folder layout, the version/ folder.
 */
import * as nodePath from 'node:path';
import { glpiVersionPattern, normalizeGlpiVersion } from '../../shared/glpi-version';
import { versionCompare } from '../../shared/php-version';
import { listNames, type FileSystem } from './ports';
import { describeError, probe } from './glpi-instance-fs';
import type { GlpiLine, InstanceInfo } from './glpi-instance-types';
import { findStringConstant } from './php/constants';

const DEFINE_PHP = 'inc/define.php';
const CONSTANTS_PHP = 'src/autoload/constants.php';

/** Finds `GLPI_VERSION` defined with a string literal, as define(...) or const. */
export function extractGlpiVersion(src: string): { version: string } | { unresolved: string } | null {
  const found = findStringConstant(src, 'GLPI_VERSION');
  return found !== null && 'value' in found ? { version: found.value } : found;
}

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

/**
 * Reads the version file the layout has and guesses the release line from the layout; sets
 * info.version, versionSource. Returns null when the folder is not a GLPI folder.
 */
async function versionAndLayout(fs: FileSystem, info: InstanceInfo): Promise<GlpiLine | '9.x' | null> {
  const { root, problems } = info;
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
    [info.version, info.versionSource] = [r.version, r.source];
    layoutLine = '11';
    if (definePhp === 'file') problems.push(`${DEFINE_PHP} is also present: a leftover of a release older than 11?`);
  } else if (definePhp === 'file') {
    const r = await readVersion(fs, root, DEFINE_PHP, problems);
    [info.version, info.versionSource] = [r.version, r.source];
    if ((await has('src/Plugin.php')) === 'file') layoutLine = '10.0';
    else if ((await has('inc/plugin.class.php')) === 'file') layoutLine = '9.x';
  } else if (typeof constantsPhp !== 'object' && typeof definePhp !== 'object') {
    problems.push(`not a GLPI folder: neither ${DEFINE_PHP} nor ${CONSTANTS_PHP} exists`);
    return null;
  }
  return layoutLine;
}

/**
 * Step 1 of detectInstance: version, release line and the version/ cross-check, into `info`.
 * Returns false when the folder is not a GLPI folder (nothing more to learn).
 */
export async function detectVersion(fs: FileSystem, info: InstanceInfo): Promise<boolean> {
  const { problems } = info;
  const layoutLine = await versionAndLayout(fs, info);
  if (layoutLine === null) return false;
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
  info.crossCheck = await crossCheck(fs, info.root, info.version, problems);
  return true;
}
