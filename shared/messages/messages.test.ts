import { describe, expect, it } from 'vitest';
import { failedReport } from '../doctor.testkit';
import { doctorMarkdown, localizeReport } from './doctor-text';
import { en, type MessageId } from './en';
import { fr } from './fr';
import { english, messageLanguageOf, messagesFor, ref, render } from './index';

/** Parameters that name themselves, whatever a message asks for. */
const named = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? `<${name}>` : undefined) }) as Record<
  string,
  string
>;
const markers = (text: string) => [...new Set(text.match(/<\w+>/g) ?? [])].sort();
const ids = Object.keys(en) as MessageId[];
const call = (catalog: typeof en, id: MessageId) => (catalog[id] as (p: Record<string, string>) => string)(named);

describe('the core messages catalogue', () => {
  it('has every English message in French and no other', () => {
    expect(Object.keys(fr).sort()).toEqual([...ids].sort());
  });

  it('uses in French every parameter English uses, and says something else', () => {
    const differing = ids.filter((id) => markers(call(fr, id)).join() !== markers(call(en, id)).join());
    expect(differing).toEqual([]);
    const untranslated = ids.filter((id) => call(fr, id) === call(en, id) && !id.startsWith('title.'));
    expect(untranslated).toEqual(['doctor.state.ok']);
  });

  it('interpolates parameters, with non-breaking spaces before French colons', () => {
    const message = ref('doctor.disk.ok', { free: '12 MB', path: '/var/www/glpi/marketplace' });
    expect(english(message)).toBe('12 MB free on the volume holding /var/www/glpi/marketplace.');
    expect(render(fr, message, '')).toBe('12 MB libres sur le volume contenant /var/www/glpi/marketplace.');
    expect(render(fr, ref('doctor.notChecked.network', { step: 'tcp' }), '')).toBe(
      'Non vérifié\u00a0: la connexion à GLPI Network a échoué avant (connexion TCP).',
    );
    const offers = ref('install.fix.download', { code: 'entitlement', offers: 'Premium, Elite' });
    expect(english(offers)).toContain('one of these GLPI Network offers: Premium, Elite.');
    expect(render(fr, offers, '')).toContain('l’une de ces offres GLPI Network\u00a0: Premium, Elite.');
  });

  it('falls back to the given text for an id it does not know (a newer core)', () => {
    expect(render(fr, { id: 'doctor.unknown' }, 'English text')).toBe('English text');
    expect(render(fr, undefined, 'English text')).toBe('English text');
  });

  it('picks French for any French locale name, English otherwise', () => {
    expect(messagesFor(messageLanguageOf('fr_FR.UTF-8'))).toBe(fr);
    expect(messagesFor(messageLanguageOf('fr-CA'))).toBe(fr);
    expect(messagesFor(messageLanguageOf('de_DE.UTF-8'))).toBe(en);
    expect(messagesFor(messageLanguageOf(undefined))).toBe(en);
  });
});

describe('the doctor report in a language', () => {
  const report = failedReport([
    {
      id: 'instance',
      title: 'GLPI instance',
      titleRef: ref('doctor.section.instance'),
      checks: [
        {
          id: 'instance.disk-space',
          title: 'Free disk space',
          state: 'failed',
          summary: 'English summary',
          details: { path: '/srv' },
          fix: 'English fix',
          refs: {
            title: ref('title.instance.disk-space'),
            summary: ref('doctor.disk.ok', { free: '1 MB', path: '/srv' }),
            fix: ref('doctor.disk.fix', { path: '/srv', quoted: '/srv' }),
          },
        },
        { id: 'instance.other', title: 'Kept as sent', state: 'ok', summary: 'Not in the catalogue.' },
      ],
    },
  ]);

  it('renders every reference, keeps the texts without one, and writes the Markdown again', () => {
    const french = localizeReport(report, fr);
    const [section] = french.sections;
    expect(section?.title).toBe('Instance GLPI');
    expect(section?.checks[0]).toMatchObject({
      title: 'Espace disque libre',
      summary: '1 MB libres sur le volume contenant /srv.',
    });
    expect(section?.checks[0]?.fix).toMatch(/^Libérez de la place/);
    expect(section?.checks[1]).toEqual(report.sections[0]?.checks[1]);
    expect(french.markdown).toContain('# Rapport de diagnostic Marketdesk');
    expect(french.markdown).toContain('- Bilan\u00a0: **ÉCHEC**');
    expect(french.markdown).toContain('- **ÉCHEC** Espace disque libre: 1 MB libres');
  });

  it('writes the English Markdown from the English texts as before', () => {
    expect(doctorMarkdown(report)).toBe(
      [
        '# Marketdesk doctor report',
        '',
        '- When: 2026-01-02T03:04:05.000Z',
        '- Profile: default (cli)',
        '- GLPI Network: https://services.example',
        '- Overall: **FAILED**',
        '',
        '## GLPI instance',
        '',
        '- **FAILED** Free disk space: English summary',
        '  - path: /srv',
        '  - Fix:',
        '    English fix',
        '- **OK** Kept as sent: Not in the catalogue.',
        '',
        '_The registration key and proxy credentials are left out of this report._',
        '',
      ].join('\n'),
    );
  });
});
