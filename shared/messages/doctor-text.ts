import type { Check, DoctorReport, DoctorSection } from '../doctor';
import { en, type Messages } from './en';
import { render } from './ref';

/** A check's texts in a language: each reference rendered, the core's English where there is none. */
export function localizeCheck(check: Check, catalog: Messages): Check {
  const { refs } = check;
  if (!refs) return check;
  const fix = render(catalog, refs.fix, check.fix);
  return {
    ...check,
    title: render(catalog, refs.title, check.title),
    summary: render(catalog, refs.summary, check.summary),
    ...(fix === undefined ? {} : { fix }),
  };
}

function localizeSection(section: DoctorSection, catalog: Messages): DoctorSection {
  return {
    ...section,
    title: render(catalog, section.titleRef, section.title),
    checks: section.checks.map((c) => localizeCheck(c, catalog)),
  };
}

/** The whole report in a language, its Markdown written again in it. */
export function localizeReport(report: DoctorReport, catalog: Messages): DoctorReport {
  const sections = report.sections.map((s) => localizeSection(s, catalog));
  const localized = { ...report, sections };
  return { ...localized, markdown: doctorMarkdown(localized, catalog) };
}

/** Markdown that reads well pasted into a ticket or a chat: every check, its state, details and fix. */
export function doctorMarkdown(report: Omit<DoctorReport, 'markdown'>, catalog: Messages = en): string {
  const state = (s: Check['state']) => catalog[`doctor.state.${s}`]();
  const lines = [
    `# ${catalog['doctor.report.heading']()}`,
    '',
    `- ${catalog['doctor.report.when']({ at: report.at })}`,
    `- ${catalog['doctor.report.profile']({ profile: report.profile, shell: report.shell })}`,
    `- ${catalog['doctor.report.servicesUrl']({ url: report.servicesUrl })}`,
    `- ${catalog['doctor.report.overall']({ state: state(report.state) })}`,
  ];
  for (const section of report.sections) {
    lines.push('', `## ${section.title}`, '');
    for (const c of section.checks) {
      lines.push(`- **${state(c.state)}** ${c.title}: ${oneLine(c.summary)}`);
      for (const [k, v] of Object.entries(c.details ?? {})) if (v) lines.push(`  - ${k}: ${oneLine(v)}`);
      if (c.fix) {
        lines.push(`  - ${catalog['doctor.report.fix']()}`);
        lines.push(...c.fix.split('\n').map((l) => `    ${l}`));
      }
    }
  }
  lines.push('', catalog['doctor.report.redacted'](), '');
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
