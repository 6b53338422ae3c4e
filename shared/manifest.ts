/**
 * A plugins manifest: which plugins an instance should have, at which versions (exact or a range,
 * shared/version-range.ts). JSON, published as a JSON Schema in docs/manifest.schema.json; YAML is
 * read too (shared/manifest-text.ts). Validated with zod, each problem said with its place
 * (`plugins[2].version`).
 */
import { z } from 'zod';
import { parseRange } from './version-range';

/** The `$id` of docs/manifest.schema.json (no public URL yet: replace it when the schema is hosted). */
export const MANIFEST_SCHEMA_ID = 'urn:marketdesk:manifest:1';

const versionText = z
  .string({ error: 'a version or range as a string (in YAML, quote it: "1.20", a bare 1.20 is the number 1.2)' })
  .min(1)
  .max(200)
  .refine((v) => parseRange(v).ok, { error: (iss) => parseRangeError(String(iss.input)) });

function parseRangeError(text: string): string {
  const r = parseRange(text);
  return r.ok ? 'a valid range' : r.error;
}

export const manifestPluginSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9]{1,100}$/, 'a plugin key (letters and digits, as GLPI names its folder)'),
    version: versionText,
    from: z.enum(['marketplace', 'plugins']).optional(),
    active: z.boolean().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hexadecimal (64 characters)')
      .optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    format: z.literal(1, { error: 'format must be 1 (the only manifest format so far)' }),
    glpiVersion: z.string().min(1).max(64).optional(),
    plugins: z.array(manifestPluginSchema).max(1000),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.plugins.forEach((p, i) => {
      const k = p.key.toLowerCase();
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: ['plugins', i, 'key'], message: `${p.key} is listed twice` });
      seen.add(k);
    });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestPlugin = z.infer<typeof manifestPluginSchema>;

export type ManifestParse = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

/** How a manifest is written: JSON (the published schema's) or YAML. */
export type ManifestFormat = 'json' | 'yaml';

/** The format a file's name says (`.json`, `.yaml`, `.yml`), or null. */
export function manifestFormatOfName(fileName: string): ManifestFormat | null {
  if (/\.json$/i.test(fileName)) return 'json';
  return /\.ya?ml$/i.test(fileName) ? 'yaml' : null;
}

/** Checks a value already parsed (a request payload, a stored manifest). */
export function validateManifest(value: unknown): ManifestParse {
  const r = manifestSchema.safeParse(value);
  if (r.success) return { ok: true, manifest: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${fieldPath(i.path) || 'the manifest'}: ${i.message}`),
  };
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)),
    '',
  );
}
