import type { DoctorReport } from '../../../shared/doctor';

const STATE_LABEL = { ok: 'OK', warning: 'WARNING', failed: 'FAILED', skipped: 'SKIPPED' } as const;

/** Markdown that reads well pasted into a ticket or a chat: every check, its state, details and fix. */
export function doctorMarkdown(report: Omit<DoctorReport, 'markdown'>): string {
  const lines = [
    '# Marketdesk doctor report',
    '',
    `- When: ${report.at}`,
    `- Profile: ${report.profile} (${report.shell})`,
    `- GLPI Network: ${report.servicesUrl}`,
    `- Overall: **${STATE_LABEL[report.state]}**`,
  ];
  for (const section of report.sections) {
    lines.push('', `## ${section.title}`, '');
    for (const c of section.checks) {
      lines.push(`- **${STATE_LABEL[c.state]}** ${c.title}: ${oneLine(c.summary)}`);
      for (const [k, v] of Object.entries(c.details ?? {})) if (v) lines.push(`  - ${k}: ${oneLine(v)}`);
      if (c.fix) {
        lines.push('  - Fix:');
        lines.push(...c.fix.split('\n').map((l) => `    ${l}`));
      }
    }
  }
  lines.push('', '_The registration key and proxy credentials are left out of this report._', '');
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
