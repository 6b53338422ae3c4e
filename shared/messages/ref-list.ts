/**
 * A list of references carried as one parameter (a doctor check listing every problem it found, each
 * in its own words): JSON text, which each catalogue renders entry by entry in its language.
 */
import type { MessageRef } from './ref';

export function encodeRefs(refs: readonly MessageRef[]): string {
  return JSON.stringify(refs.map((r) => (r.params ? { id: r.id, params: r.params } : { id: r.id })));
}

/** The references of `text`, or null when it is not such a list (then the text is shown as it is). */
export function decodeRefs(text: string): MessageRef[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const refs = value.filter(
    (v): v is MessageRef =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as MessageRef).id === 'string' &&
      isParams((v as MessageRef).params),
  );
  return refs.length === value.length ? refs : null;
}

function isParams(params: unknown): boolean {
  return (
    params === undefined ||
    (typeof params === 'object' &&
      params !== null &&
      Object.values(params as Record<string, unknown>).every((v) => typeof v === 'string'))
  );
}

/** Each reference of the list rendered by `one`, joined with `separator`; the text itself when it is no list. */
export function renderRefs(text: string, separator: string, one: (ref: MessageRef) => string): string {
  const refs = decodeRefs(text);
  return refs ? refs.map(one).join(separator) : text;
}
