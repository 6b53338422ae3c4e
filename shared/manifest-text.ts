/**
 * A manifest file's text: JSON, or YAML (js-yaml with its JSON schema: no dates or other YAML
 * types), with the line of a file that cannot be read at all. Apart from shared/manifest.ts so that
 * the renderer, which validates payloads with it, does not bundle js-yaml.
 */
import { load as loadYaml, JSON_SCHEMA, YAMLException } from 'js-yaml';
import { validateManifest, type ManifestParse } from './manifest';

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
