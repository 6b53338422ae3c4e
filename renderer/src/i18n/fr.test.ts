import { en, type MessageKey, type PluralForms } from './en';
import { fr, frenchSpacing } from './fr';

const keys = (catalog: object) => Object.keys(catalog).sort();
const forms = (entry: string | PluralForms): string[] =>
  typeof entry === 'string' ? [entry] : [entry.one, entry.other];
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('the French catalogue', () => {
  it('has every English key and no other', () => {
    expect(keys(fr)).toEqual(keys(en));
  });

  it('has a plural object exactly where English has one', () => {
    const plural = (entry: unknown) => typeof entry === 'object';
    const mismatched = (Object.keys(en) as MessageKey[]).filter((key) => plural(en[key]) !== plural(fr[key]));
    expect(mismatched).toEqual([]);
  });

  it('has no empty string and no untranslated marker', () => {
    const empty = (Object.keys(fr) as MessageKey[]).filter((key) =>
      forms(fr[key]).some((text) => text.trim() === '' || /TODO|FIXME/.test(text)),
    );
    expect(empty).toEqual([]);
  });

  it('has the same {placeholders} as English, in every form', () => {
    const differing = (Object.keys(en) as MessageKey[]).flatMap((key) => {
      const expected = placeholders(forms(en[key]).join(' '));
      return forms(fr[key])
        .filter((text) => placeholders(text).join() !== expected.join())
        .map((text) => `${key}: ${text} (English has ${expected.join(', ') || 'none'})`);
    });
    expect(differing).toEqual([]);
  });

  it('has no ASCII apostrophe or plain space left where French typography wants otherwise', () => {
    const faults = (Object.keys(fr) as MessageKey[]).flatMap((key) =>
      forms(fr[key])
        .filter((text) => /[a-zé]'[a-zéèêàâîôûh]/i.test(text) || / [:;!?»]/.test(text) || /« /.test(text))
        .map((text) => `${key}: ${text}`),
    );
    expect(faults).toEqual([]);
  });

  it('is not English copied over: only words French shares with English are the same', () => {
    const same = (Object.keys(en) as MessageKey[]).filter(
      (key) => forms(en[key]).join('|') === forms(fr[key]).join('|'),
    );
    expect(same).toEqual([
      'app.name',
      'nav.catalog',
      'key.failure.cause',
      'cause.proxy',
      'catalog.title',
      'catalog.tags.option',
      'catalog.filter.premium',
      'catalog.row.version',
      'details.license',
      'details.versions',
      'details.col.version',
      'details.description',
      'markdown.imageNoAlt',
      'installed.instance.version',
      'installed.glpiState.mismatch',
      'installed.col.version',
      'installed.col.glpi',
      'installed.col.actions',
      'installed.details.actions',
      'installed.location.marketplace',
      'installed.location.plugins',
      'installed.glpiRange',
      'installed.switch.option',
      'installed.versions',
      'installed.versions.col.version',
      'installed.versions.col.action',
      'doctor.elapsed',
      'doctor.count.ok',
      'doctor.state.ok',
      'doctor.instance.option',
      'doctor.instance.optionActive',
      'network.mode.legend',
      'time.withDate',
      'manifest.format',
      'manifest.format.json',
      'manifest.format.yaml',
      'bundle.item',
      'planner.col.verdict',
    ]);
  });
});

describe('frenchSpacing', () => {
  it('puts a non-breaking space before two-part punctuation and inside guillemets', () => {
    expect(frenchSpacing('Que faire : {fix}')).toBe('Que faire\u00a0: {fix}');
    expect(frenchSpacing('Oublier ? Oui ! 40 % ; « x »')).toBe(
      'Oublier\u00a0? Oui\u00a0! 40\u00a0%\u00a0; «\u00a0x\u00a0»',
    );
  });

  it('leaves addresses and commands alone', () => {
    expect(frenchSpacing('https://services.glpi-network.com:443/')).toBe('https://services.glpi-network.com:443/');
    expect(frenchSpacing('plugin:install {key}')).toBe('plugin:install {key}');
  });
});
