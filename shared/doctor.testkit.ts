import type { DoctorReport, DoctorSection } from './doctor';

/** A failed CLI report of the default profile with these sections (no Markdown yet). */
export function failedReport(sections: DoctorSection[]): DoctorReport {
  return {
    at: '2026-01-02T03:04:05.000Z',
    profile: 'default',
    shell: 'cli',
    servicesUrl: 'https://services.example',
    state: 'failed',
    sections,
    markdown: '',
  };
}
