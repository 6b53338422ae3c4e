import { describe, expect, it } from 'vitest';
import { validateManifest } from './manifest';
import { parseManifestText } from './manifest-text';

describe('manifest format', () => {
  it('reads a JSON manifest and the same in YAML', () => {
    const json = parseManifestText(
      JSON.stringify({ format: 1, plugins: [{ key: 'fields', version: '~1.21', active: true }] }),
    );
    expect(json).toEqual({
      ok: true,
      manifest: { format: 1, plugins: [{ key: 'fields', version: '~1.21', active: true }] },
    });
    const yaml = parseManifestText(
      'format: 1\nplugins:\n  - key: fields\n    version: "~1.21"\n    active: true\n',
      true,
    );
    expect(yaml).toEqual(json);
  });

  it('says each problem with its field', () => {
    const r = validateManifest({
      format: 2,
      plugins: [
        { key: 'fields', version: '~' },
        { key: '../x', version: '1' },
        { key: 'Fields', version: '1', extra: 1 },
      ],
    });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toContain('format: format must be 1 (the only manifest format so far)');
    expect(errors.some((e) => e.startsWith('plugins[0].version: "~"'))).toBe(true);
    expect(errors.some((e) => e.startsWith('plugins[1].key: a plugin key'))).toBe(true);
    expect(errors.some((e) => e.startsWith('plugins[2]: ') && e.includes('extra'))).toBe(true);
  });

  it('says the line of a file that is not JSON, and warns about bare YAML numbers', () => {
    expect(parseManifestText('{\n  "format": 1,\n  "plugins": [,]\n}')).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^line 3, column \d+: not JSON/)],
    });
    const bare = parseManifestText('format: 1\nplugins:\n  - key: fields\n    version: 1.20\n', true);
    expect(bare.ok ? [] : bare.errors).toEqual([
      expect.stringContaining('plugins[0].version: a version or range as a string (in YAML, quote it'),
    ]);
    expect(parseManifestText('format: 1\nplugins: [\n', true)).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^line \d+, column \d+: /)],
    });
  });
});
