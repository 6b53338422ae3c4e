/** How long a saved file's object URL lives: long enough for the browser to start the download. */
export const REVOKE_DELAY_MS = 30_000;

/** An instance name as part of a file name: only safe characters, never a leading dot. */
export function fileNamePart(instance: string): string {
  return instance.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'instance';
}

/** Excel reads a CSV as UTF-8 only with a byte-order mark. */
const BOM = '\uFEFF';

/** Saves `text` through the browser's download (a Blob behind an `<a download>`); CSV gets a BOM. */
export function saveFile(
  fileName: string,
  text: string,
  type: 'text/csv' | 'application/json' | 'application/yaml' | 'text/markdown',
): void {
  const body = type === 'text/csv' ? BOM + text : text;
  const url = URL.createObjectURL(new Blob([body], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}
