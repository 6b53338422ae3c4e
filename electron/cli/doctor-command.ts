import type { DoctorReport } from '../../shared/doctor';
import { AppError } from '../../shared/errors';
import { en } from '../../shared/messages/en';
import { localizeReport } from '../../shared/messages/doctor-text';
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
  if (args.flags.has('--json')) {
    // The core's data as it is: English texts, with their catalogue references beside them.
    const { markdown: _markdown, ...data } = report;
    io.out(JSON.stringify(data));
    return report.state === 'failed' ? EXIT.other : EXIT.ok;
  }
  if (io.messages && io.messages !== en) report = localizeReport(report, io.messages);
  if (args.flags.has('--markdown')) {
    io.out(report.markdown);
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
    io.out(`\n${(io.messages ?? en)['cli.doctor.overall']({ state: report.state })}`);
  }
  return report.state === 'failed' ? EXIT.other : EXIT.ok;
}
