import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type {
  BundleCreateReport,
  BundleEntitlement,
  BundleImportItem,
  BundleImportResult,
  BundleInspectReport,
  BundleProgress,
  BundleSource,
} from '../../shared/bundle';
import { AppError } from '../../shared/errors';
import { stepText, type ManifestStep } from '../../shared/manifest-plan';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT, commandFailed } from './cli';
import { call, untilInterrupted, type Core } from './cli-core';

export const BUNDLE_USAGE = `Usage:
  marketdesk bundle create (--instance NAME | --manifest plugins.json) [--glpi-version X] -o FILE
        [--accept-new-checksum SHA256] [--json]
  marketdesk bundle inspect FILE [--sha256 SHA256] [--json]
  marketdesk bundle import FILE [--instance NAME] [--plan] [--sha256 SHA256] [--accept-new-checksum SHA256] [--json]`;

/**
 * `bundle create|inspect|import`: offline bundles (docs/development.md "Decisions about offline
 * bundles"). Paths are resolved here, on the computer the core runs on.
 */
export async function runBundle(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [, command, ...rest] = args.words;
  const json = args.flags.has('--json');
  const off = core.events.on('bundles.progressed', progressLines(io, json));
  // Ctrl+C stops the bundle at its next chunk, or an import before its next plugin.
  const stoppable = (run: () => Promise<number>) => untilInterrupted(() => call(core, 'bundles.cancel', {}), run);
  try {
    if (command === 'create' && rest.length === 0) return await stoppable(() => create(args, core, io, json));
    if (command === 'inspect' && rest.length === 1)
      return await stoppable(() => inspect(args, rest[0]!, core, io, json));
    if (command === 'import' && rest.length === 1)
      return await stoppable(() => importBundle(args, rest[0]!, core, io, json));
    io.err(BUNDLE_USAGE);
    return EXIT.other;
  } catch (err) {
    return commandFailed(err, io);
  } finally {
    off();
  }
}

async function create(args: ParsedArgs, core: Core, io: CliIo, json: boolean): Promise<number> {
  const out = args.values.get('-o') ?? args.values.get('--output');
  const instance = args.values.get('--instance');
  const manifestFile = args.values.get('--manifest');
  if (!out || (instance === undefined) === (manifestFile === undefined)) {
    io.err(BUNDLE_USAGE);
    return EXIT.other;
  }
  const version = args.values.get('--glpi-version');
  const accept = args.values.get('--accept-new-checksum');
  const report = await call(core, 'bundles.create', {
    out: resolve(out),
    ...(instance !== undefined ? { instance } : {}),
    ...(manifestFile !== undefined
      ? { manifest: await readText(manifestFile), manifestName: basename(manifestFile) }
      : {}),
    ...(version !== undefined ? { glpiVersion: version } : {}),
    ...(accept !== undefined ? { acceptNewChecksum: accept } : {}),
  });
  io.out(json ? JSON.stringify(report) : createdText(report, out));
  return EXIT.ok;
}

async function inspect(args: ParsedArgs, file: string, core: Core, io: CliIo, json: boolean): Promise<number> {
  const sha256 = args.values.get('--sha256');
  const report = await call(core, 'bundles.inspect', { file: resolve(file), ...(sha256 ? { sha256 } : {}) });
  io.out(json ? JSON.stringify(report) : inspectText(report));
  return report.verified ? EXIT.ok : EXIT.other;
}

async function importBundle(args: ParsedArgs, file: string, core: Core, io: CliIo, json: boolean): Promise<number> {
  const instance = args.values.get('--instance');
  const sha256 = args.values.get('--sha256');
  const accept = args.values.get('--accept-new-checksum');
  const result = await call(core, 'bundles.import', {
    file: resolve(file),
    ...(instance !== undefined ? { instance } : {}),
    ...(args.flags.has('--plan') ? { plan: true } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
    ...(accept !== undefined ? { acceptNewChecksum: accept } : {}),
  });
  io.out(json ? JSON.stringify(result) : importText(result));
  return result.failed ? EXIT.other : EXIT.ok;
}

/** One stderr line when a plugin starts a phase (the bundle's own reading once). */
function progressLines(io: CliIo, json: boolean): (p: BundleProgress) => void {
  let last = '';
  const verbs = { download: 'downloading', write: 'writing', verify: 'verifying', install: 'installing' };
  return (p) => {
    const what = p.phase === 'verify' ? 'the bundle' : (p.key ?? '');
    const line = `  ${verbs[p.phase]} ${what}…`;
    if (json || line === last) return;
    last = line;
    io.err(line);
  };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

function sourceText(source: BundleSource): string {
  return source.kind === 'instance' ? `the instance "${source.instance}"` : (source.name ?? 'a manifest');
}

function entitlementText(e: BundleEntitlement | null): string {
  return e ? `${e.title} (${e.offer})` : 'no subscription';
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function createdText(r: BundleCreateReport, asGiven: string): string {
  const lines = [
    `Wrote ${r.file} (${size(r.bytes)}): ${r.entries.length} plugin(s) for GLPI ${r.glpiVersion}, from ${sourceText(r.source)}.`,
  ];
  for (const e of r.entries)
    lines.push(
      `  ${e.key} ${e.version}  sha256 ${e.sha256}${e.cached ? '  (from the download cache)' : ''}${e.premium ? `  premium: ${entitlementText(r.entitlement)}` : ''}`,
    );
  for (const s of r.skipped) lines.push(`  left out: ${s.key} ${s.version ?? '?'}: ${s.reason}`);
  lines.push(
    `SHA-256 of the bundle: ${r.sha256}`,
    'Send this checksum over a channel you trust; on the offline machine, check and import with:',
    `  marketdesk bundle import ${basename(asGiven)} --sha256 ${r.sha256}`,
  );
  return lines.join('\n');
}

function inspectText(r: BundleInspectReport): string {
  const lines = [
    `${r.file}: Marketdesk bundle (format ${r.format}, ${size(r.bytes)}), made ${r.createdAt} by Marketdesk ${r.marketdesk} for GLPI ${r.glpiVersion}, from ${sourceText(r.source)}.`,
  ];
  if (r.entries.some((e) => e.premium))
    lines.push(`Premium plugins entitled when it was made by: ${entitlementText(r.entitlement)}`);
  for (const e of r.entries)
    lines.push(
      e.state === 'ok'
        ? `  ok        ${e.key} ${e.version}  sha256 ${e.sha256}${e.premium ? '  premium' : ''}`
        : `  TAMPERED  ${e.key} ${e.version}: bundle.json says ${e.sha256}, the archive hashes to ${e.actualSha256}`,
    );
  lines.push(
    `SHA-256 of the file: ${r.sha256}${r.sha256Matches === null ? ' (compare it with the one bundle create printed, or pass --sha256)' : r.sha256Matches ? ' (the one given)' : ' — NOT the one given'}`,
    r.verified
      ? 'Verified: every archive matches bundle.json.'
      : 'NOT verified: do not import this bundle; make it again on the connected computer.',
  );
  return lines.join('\n');
}

/** An import item as a line of `apply --plan`. */
function itemStep(i: BundleImportItem): ManifestStep | null {
  switch (i.action) {
    case 'install':
      return { action: 'install', key: i.key, to: i.version };
    case 'update':
    case 'downgrade':
      return { action: i.action, key: i.key, from: i.from, to: i.version };
    case 'error':
      return { action: 'error', key: i.key, message: i.message ?? '' };
    case 'none':
      return null;
  }
}

function importText(r: BundleImportResult): string {
  const changes = r.items.filter((i) => i.action !== 'none' && i.action !== 'error');
  const premium = changes.some((i) => i.premium)
    ? [
        `Premium plugins: entitled when the bundle was made by ${entitlementText(r.entitlement)}; not checked here (no network).`,
      ]
    : [];
  if (changes.length === 0 && !r.failed)
    return `${r.instance}: nothing to do, it has every plugin of the bundle at its version.`;
  if (r.plan) {
    const lines = [`${r.instance}: ${changes.length} change(s) from ${r.file} (SHA-256 ${r.sha256})`];
    for (const i of r.items) {
      const step = itemStep(i);
      if (step) lines.push(stepText(step));
    }
    return [...lines, ...premium].join('\n');
  }
  const label: Record<BundleImportItem['state'], string> = {
    done: 'done      ',
    failed: 'FAILED    ',
    'not-done': 'not done  ',
    refused: 'refused   ',
    planned: '',
    unchanged: '',
  };
  const lines = [`${r.instance}:`];
  for (const i of r.items) {
    const step = itemStep(i);
    if (!step || !label[i.state]) continue;
    lines.push(`${label[i.state]}${stepText(step)}${i.state === 'failed' ? `: ${i.message ?? ''}` : ''}`);
  }
  if (r.failed?.fix) lines.push(`Fix: ${r.failed.fix}`);
  return [...lines, ...premium].join('\n');
}
