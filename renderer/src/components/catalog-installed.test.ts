import type { PluginsView } from '../../../shared/instances';
import { makeInstalled, makeInstance } from '../test/fake-plugins';
import { installedIndex } from './catalog-installed';

function view(plugins = [makeInstalled('fields')]): PluginsView {
  return { instance: makeInstance(), plugins, catalogue: true, updates: 0 };
}

describe('installedIndex', () => {
  it('maps the loaded copies by lower-case key, skipping shadowed copies and invalid folders', () => {
    const loaded = makeInstalled('Fields', { version: '1.21.0' });
    const index = installedIndex(
      view([
        makeInstalled('fields', { location: 'plugins', version: '1.19.0', shadowedBy: 'marketplace' }),
        loaded,
        makeInstalled('fields-master', { invalidKey: true }),
      ]),
    );
    expect([...index.keys()]).toEqual(['fields']);
    expect(index.get('fields')).toBe(loaded);
  });

  it('is built once per view, and is empty without an instance', () => {
    const v = view();
    expect(installedIndex(v)).toBe(installedIndex(v));
    expect(installedIndex({ ...v })).not.toBe(installedIndex(v));
    expect(installedIndex(null).size).toBe(0);
    expect(installedIndex({ ...v, instance: null }).size).toBe(0);
  });
});
