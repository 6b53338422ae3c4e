/** The Manifest dialog's channels through dispatch: a manifest's text both ways, and the attached one. */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/errors';
import type { Manifest } from '../../../shared/manifest';
import { dispatch } from '../dispatch';
import { fakeGlpi } from '../testing-glpi.testkit';
import { nodeTestCore } from '../testing-core.testkit';
import { memoryLogger } from '../testing.testkit';

const MANIFEST: Manifest = {
  format: 1,
  glpiVersion: '10.0.18',
  plugins: [
    { key: 'fields', version: '1.20', from: 'marketplace', active: true },
    { key: 'formcreator', version: '>=2.13 <3' },
  ],
};

function core() {
  const c = nodeTestCore();
  const call = async <T>(channel: string, payload: unknown) =>
    (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
  return { c, call };
}

function ok<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

describe('manifest.parse and manifest.format', () => {
  it('writes a manifest as JSON or YAML, and reads each back to the same manifest', async () => {
    const { call } = core();
    for (const format of ['json', 'yaml'] as const) {
      const { text } = ok(await call<{ text: string }>('manifest.format', { manifest: MANIFEST, format }));
      expect(ok(await call('manifest.parse', { text, format })), format).toEqual({ ok: true, manifest: MANIFEST });
      // Unnamed, the format is told by the text itself.
      expect(ok(await call('manifest.parse', { text })), format).toEqual({ ok: true, manifest: MANIFEST });
    }
    const { text: yaml } = ok(await call<{ text: string }>('manifest.format', { manifest: MANIFEST, format: 'yaml' }));
    // "1.20" must stay a string in YAML: bare, it would read back as the number 1.2.
    expect(yaml).toContain(`version: '1.20'`);
    expect(yaml.startsWith('format: 1\n')).toBe(true);
  });

  it('says where a text breaks, and which field is wrong, as the CLI does', async () => {
    const { call } = core();
    expect(ok(await call('manifest.parse', { text: '{\n  "format": 1,\n  "plugins": [,]\n}' }))).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^line 3, column \d+: not JSON/)],
    });
    expect(
      ok(await call('manifest.parse', { text: 'format: 1\nplugins:\n  - key: fields\n    version: "~"\n' })),
    ).toEqual({ ok: false, errors: [expect.stringMatching(/^plugins\[0\]\.version: /)] });
    // A YAML text named JSON is read as JSON.
    expect(ok(await call('manifest.parse', { text: 'format: 1\nplugins: []\n', format: 'json' }))).toMatchObject({
      ok: false,
    });
  });

  it('refuses a format it does not know and a manifest that does not validate', async () => {
    const { call } = core();
    expect(await call('manifest.parse', { text: '{}', format: 'toml' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call('manifest.format', { manifest: { format: 2, plugins: [] }, format: 'json' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});

describe('manifest.attached', () => {
  it('gives the manifest attached to the active instance or a named one, and null once detached', async () => {
    const { call } = core();
    ok(await call('instances.add', { root: fakeGlpi(), name: 'prod' }));
    ok(await call('instances.add', { root: fakeGlpi(), name: 'test' }));
    expect(ok(await call('manifest.attached', {}))).toEqual({ instance: 'prod', manifest: null });

    ok(await call('manifest.attach', { instance: 'test', manifest: MANIFEST }));
    expect(ok(await call('manifest.attached', { instance: 'test' }))).toEqual({ instance: 'test', manifest: MANIFEST });
    expect(ok(await call('manifest.attached', {}))).toEqual({ instance: 'prod', manifest: null });

    ok(await call('manifest.attach', { instance: 'test', manifest: null }));
    expect(ok(await call('manifest.attached', { instance: 'test' }))).toEqual({ instance: 'test', manifest: null });
  });

  it('names the instance it does not know, and the fix', async () => {
    const { call } = core();
    ok(await call('instances.add', { root: fakeGlpi(), name: 'prod' }));
    expect(await call('manifest.attached', { instance: 'nope' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'No instance named "nope".',
        fix: 'See them with: marketdesk instance list',
      },
    });
  });
});
