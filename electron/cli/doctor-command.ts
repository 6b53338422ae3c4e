import type { DoctorReport } from '../../shared/doctor';
import { AppError } from '../../shared/errors';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT } from './cli';
import { call, type Core } from './cli-core';

const LABEL = { ok: 'ok', warning: 'WARN', failed: 'FAIL', skipped: 'skip' } as const;

/** `marketdesk doctor [--json | --markdown] [--instance NAME]`: every check; non-zero when one failed. */
export async function runDoctor(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  if (args.words.length > 1) {
    io.err('Usage: marketdesk doctor [--json | --markdown] [--instance NAME]');
    return EXIT.other;
  }
  let report: DoctorReport;
  try {
    const instance = args.values.get('--instance');
    report = await call(core, 'doctor.run', instance ? { instance } : {});
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(err.message);
    return EXIT.other;
  }
  if (args.flags.has('--markdown')) {
    io.out(report.markdown);
  } else if (args.flags.has('--json')) {
    const { markdown: _markdown, ...data } = report;
    io.out(JSON.stringify(data));
  } else {
    for (const section of report.sections) {
      io.out(`\n${section.title}`);
      for (const c of section.checks) {
        io.out(`  [${LABEL[c.state]}] ${c.title}: ${c.summary}`);
        if (c.fix && (c.state === 'failed' || c.state === 'warning'))
          io.out(
            c.fix
              .split('\n')
              .map((l) => `         ${l}`)
              .join('\n'),
          );
      }
    }
    io.out(`\nOverall: ${report.state}. Save a report with: marketdesk doctor --markdown > report.md`);
  }
  return report.state === 'failed' ? EXIT.other : EXIT.ok;
}
