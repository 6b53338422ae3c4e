import { defaultViewPrefs, loadViewPrefs, saveViewPrefs } from './view-prefs';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('view prefs', () => {
  it('are compact at desktop widths and comfortable on narrow windows, one pane either way', () => {
    expect(defaultViewPrefs(1280)).toEqual({ density: 'compact', twoPane: false, installedTwoPane: false });
    expect(defaultViewPrefs(1024)).toEqual({ density: 'compact', twoPane: false, installedTwoPane: false });
    expect(defaultViewPrefs(800)).toEqual({ density: 'comfortable', twoPane: false, installedTwoPane: false });
  });

  it('come back as saved', () => {
    const storage = memoryStorage();
    saveViewPrefs(storage, { density: 'comfortable', twoPane: true, installedTwoPane: false });
    expect(loadViewPrefs(storage, 1280)).toEqual({ density: 'comfortable', twoPane: true, installedTwoPane: false });
    saveViewPrefs(storage, { density: 'compact', twoPane: false, installedTwoPane: true });
    expect(loadViewPrefs(storage, 1280)).toEqual({ density: 'compact', twoPane: false, installedTwoPane: true });
  });

  it('fall back to the defaults, field by field, on anything unreadable', () => {
    expect(loadViewPrefs(memoryStorage({ 'marketdesk.view': '{not json' }), 1280)).toEqual(defaultViewPrefs(1280));
    expect(loadViewPrefs(memoryStorage({ 'marketdesk.view': '"compact"' }), 800)).toEqual(defaultViewPrefs(800));
    expect(loadViewPrefs(memoryStorage({ 'marketdesk.view': '{"density":"tiny","twoPane":true}' }), 1280)).toEqual({
      density: 'compact',
      twoPane: true,
      installedTwoPane: false,
    });
    expect(loadViewPrefs(null, 1280)).toEqual(defaultViewPrefs(1280));
  });

  it('survive a storage that refuses to write', () => {
    const refusing = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() =>
      saveViewPrefs(refusing, { density: 'compact', twoPane: false, installedTwoPane: false }),
    ).not.toThrow();
  });
});
