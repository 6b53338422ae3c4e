import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { manifestFormatOfName, type Manifest } from '../../shared/manifest';
import {
  APPLY_AGAIN,
  isChange,
  stepText,
  type ManifestApplyResult,
  type ManifestPlan,
} from '../../shared/manifest-plan';
import { parseManifestText } from '../../shared/manifest-text';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT } from './cli';
import { call, untilInterrupted, type Core } from './cli-core';
import { errorText } from './format';

export const MANIFEST_USAGE = `Usage:
  marketdesk manifest export [--instance NAME] [--yaml] > plugins.json
  marketdesk manifest attach plugins.json --instance NAME | manifest detach --instance NAME
  marketdesk apply plugins.json [--instance NAME] [--plan] [--prune] [--accept-new-checksum SHA256] [--json]`;

/**
 * `manifest export|attach|detach` and `apply FILE [--plan] [--prune]`: what an instance has, as a
 * manifest; the changes that make it match one (one line each), and making them in order.
 */
export async function runManifest(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const [group, command, ...rest] = args.words;
  const instance = args.values.get('--instance');
  const inst = instance ? { instance } : {};
  try {
    if (group === 'apply' && command && rest.length === 0) return await apply(args, command, inst, core, io);
    if (group === 'manifest' && command === 'export' && rest.length === 0) {
      const manifest = await call(core, 'manifest.export', inst);
      const format = args.flags.has('--yaml') ? 'yaml' : 'json';
      io.out((await call(core, 'manifest.format', { manifest, format })).text.trimEnd());
      return EXIT.ok;
    }
    if (group === 'manifest' && command === 'attach' && rest.length === 1 && instance) {
      const manifest = await readManifest(rest[0]!);
      await call(core, 'manifest.attach', { instance, manifest });
      io.out(`Attached ${rest[0]} to "${instance}": the fleet view now shows how it drifts from it.`);
      return EXIT.ok;
    }
    if (group === 'manifest' && command === 'detach' && rest.length === 0 && instance) {
      await call(core, 'manifest.attach', { instance, manifest: null });
      io.out(`No manifest attached to "${instance}" any more.`);
      return EXIT.ok;
    }
    io.err(MANIFEST_USAGE);
    return EXIT.other;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(errorText(err, io.messages));
    return EXIT.other;
  }
}

async function apply(
  args: ParsedArgs,
  file: string,
  inst: { instance?: string },
  core: Core,
  io: CliIo,
): Promise<number> {
  const accept = args.values.get('--accept-new-checksum');
  const req = { manifest: await readManifest(file), ...inst, ...(args.flags.has('--prune') ? { prune: true } : {}) };
  const json = args.flags.has('--json');
  if (args.flags.has('--plan')) {
    const plan = await call(core, 'manifest.plan', req);
    if (json) io.out(JSON.stringify(plan));
    else io.out(planText(plan));
    return plan.steps.some((s) => s.action === 'error') ? EXIT.other : EXIT.ok;
  }
  let current = '';
  const off = core.events.on('manifest.progressed', (p) => {
    if (json || p.key === current) return;
    current = p.key;
    io.err(`  ${p.action} ${p.key}…`);
  });
  try {
    // Ctrl+C: the step being made stops as its own Cancel would, the ones after it are not made.
    const result = await untilInterrupted(
      () => call(core, 'manifest.cancel', {}),
      () => call(core, 'manifest.apply', { ...req, ...(accept ? { acceptNewChecksum: accept } : {}) }),
    );
    const named = naming(result, file);
    io.out(json ? JSON.stringify(named) : resultText(named));
    return result.failed ? EXIT.other : EXIT.ok;
  } finally {
    off();
  }
}

function planText(plan: ManifestPlan): string {
  const lines = plan.steps.map(stepText);
  if (!plan.steps.some(isChange) && !plan.steps.some((s) => s.action === 'error'))
    lines.unshift(`${plan.instance}: nothing to do, it matches the manifest.`);
  else lines.unshift(`${plan.instance}: ${plan.steps.filter(isChange).length} change(s)`);
  if (plan.extra.length > 0) lines.push(`Not in the manifest, kept (--prune removes them): ${plan.extra.join(', ')}`);
  return lines.join('\n');
}

/** The result with its fix naming `file`, the manifest given, where the core writes `<manifest>`. */
function naming(r: ManifestApplyResult, file: string): ManifestApplyResult {
  const fix = r.failed?.fix;
  if (!r.failed || !fix) return r;
  return { ...r, failed: { ...r.failed, fix: fix.replace(APPLY_AGAIN, `marketdesk apply ${file}`) } };
}

/** The result, line by line. */
function resultText(r: ManifestApplyResult): string {
  if (!r.failed && r.done.length === 0) return `${r.instance}: nothing to do, it matches the manifest.`;
  const lines = [`${r.instance}:`];
  for (const s of r.done) lines.push(`done      ${stepText(s)}`);
  if (r.failed) {
    lines.push(`FAILED    ${stepText(r.failed.step)}: ${r.failed.message}`);
    if (r.failed.fix) lines.push(`Fix: ${r.failed.fix}`);
  }
  for (const s of r.notDone) lines.push(`not done  ${stepText(s)}`);
  return lines.join('\n');
}

/** A manifest file (JSON, or YAML by its .yaml/.yml name), or INVALID_INPUT with every problem and its place. */
async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const parsed = parseManifestText(text, manifestFormatOfName(file) === 'yaml');
  if (!parsed.ok)
    throw new AppError('INVALID_INPUT', `${file} is not a valid manifest:\n  ${parsed.errors.join('\n  ')}`, {
      fix: 'Correct those fields (the format is docs/manifest.schema.json), or write one with: marketdesk manifest export',
    });
  return parsed.manifest;
}
