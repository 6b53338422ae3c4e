/**
 * A manifest file's text: JSON, or YAML (js-yaml with its JSON schema: no dates or other YAML
 * types), with the line of a file that cannot be read at all. Apart from shared/manifest.ts so that
 * the renderer, which validates payloads with it, does not bundle js-yaml.
 */
import { dump as dumpYaml, load as loadYaml, JSON_SCHEMA, YAMLException } from 'js-yaml';
import { validateManifest, type Manifest, type ManifestFormat, type ManifestParse } from './manifest';

/** A manifest as a file's text: indented JSON, or YAML (a version such as "1.20" stays quoted). */
export function manifestText(manifest: Manifest, format: ManifestFormat): string {
  if (format === 'json') return `${JSON.stringify(manifest, null, 2)}\n`;
  return dumpYaml(manifest, { schema: JSON_SCHEMA, lineWidth: -1, noRefs: true });
}

/** The format of a text nobody named: JSON when it opens as a JSON object or array, else YAML. */
export function guessManifestFormat(text: string): ManifestFormat {
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Reads a manifest's text (JSON, or YAML when `yaml`), with every problem said with its place. */
export function parseManifestText(text: string, yaml = false): ManifestParse {
  let value: unknown;
  try {
    value = yaml ? loadYaml(text, { schema: JSON_SCHEMA }) : JSON.parse(text);
  } catch (err) {
    if (err instanceof YAMLException)
      return { ok: false, errors: [`line ${err.mark.line + 1}, column ${err.mark.column + 1}: ${err.reason}`] };
    return { ok: false, errors: [jsonErrorText(text, err)] };
  }
  return validateManifest(value);
}

/**
 * "line L, column C: not JSON (...)". V8 does not always give a position: JSON is YAML, so js-yaml
 * is asked where the text breaks.
 */
function jsonErrorText(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  try {
    loadYaml(text, { schema: JSON_SCHEMA });
  } catch (yamlErr) {
    if (yamlErr instanceof YAMLException)
      return `line ${yamlErr.mark.line + 1}, column ${yamlErr.mark.column + 1}: not JSON (${message})`;
  }
  return `not JSON: ${message}`;
}
