import { planMarkdown, verdictTitle, type PlanDownload } from '../../shared/plan';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT, commandFailed } from './cli';
import { call, untilInterrupted, type Core } from './cli-core';
import { columns } from './format';

const USAGE_TEXT = 'marketdesk plan --to <GLPI version> [--instance NAME] [--json | --markdown] [--download]';

/**
 * `marketdesk plan --to 11.0.2`: what each plugin becomes with that GLPI version, and the order of
 * operations; `--download` also fetches the planned archives into the cache (exit 1 when one failed).
 */
export async function runPlan(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const to = args.values.get('--to');
  const instance = args.values.get('--instance');
  const json = args.flags.has('--json');
  const markdown = args.flags.has('--markdown');
  if (args.words.length > 1 || !to || (json && markdown)) {
    io.err(`Usage: ${USAGE_TEXT}`);
    return EXIT.other;
  }
  const req = { to, ...(instance ? { instance } : {}) };
  const off = core.events.on('plan.progressed', (p) => {
    if (!json && p.fraction === 0) io.err(`  downloading ${p.key} ${p.version}…`);
  });
  try {
    const plan = await call(core, 'plan.get', req);
    // Ctrl+C while downloading ahead: the archive being downloaded is not kept, the rest not started.
    const downloads = args.flags.has('--download')
      ? await untilInterrupted(
          () => call(core, 'plan.cancel', {}),
          () => call(core, 'plan.downloadAhead', req),
        )
      : null;
    if (json) io.out(JSON.stringify(downloads ? { ...plan, downloads } : plan));
    else if (markdown) io.out(planMarkdown(plan));
    else {
      io.out(`Upgrade plan for ${plan.instance}: GLPI ${plan.from ?? '?'} → ${plan.to}\n`);
      io.out(
        columns(
          ['PLUGIN', 'INSTALLED', 'VERDICT', 'VERSION', 'WHY'],
          plan.items.map((i) => [i.key, i.installed ?? '?', verdictTitle(i.verdict), i.version ?? '', i.reason]),
        ),
      );
      io.out('\nOrder of operations:');
      plan.steps.forEach((s, n) => {
        io.out(`  ${n + 1}. ${s.title}: ${s.detail}`);
        for (const c of s.commands) io.out(`       ${c}`);
      });
      if (downloads) io.out(`\nDownload ahead:\n${downloadTable(downloads)}`);
    }
    for (const d of downloads?.filter((x) => x.state === 'failed') ?? [])
      io.err(`${d.key} ${d.version}: ${d.message ?? ''}${d.fix ? `\nFix: ${d.fix}` : ''}`);
    return downloads?.some((d) => d.state === 'failed') ? EXIT.other : EXIT.ok;
  } catch (err) {
    return commandFailed(err, io);
  } finally {
    off();
  }
}

function downloadTable(downloads: PlanDownload[]): string {
  if (downloads.length === 0) return '  Nothing to download: no plugin needs a new version.';
  return columns(
    ['PLUGIN', 'VERSION', 'RESULT', 'DETAIL'],
    downloads.map((d) => [d.key, d.version, d.state, d.sha256 ? `sha256 ${d.sha256}` : (d.message ?? '')]),
  );
}
