import { useId, useState, type ChangeEvent } from 'react';
import { t } from '../i18n/t';
import { ErrorNotice } from './error-notice';

/** The largest manifest file read (the core takes at most 1 MB of text). */
const MAX_FILE_BYTES = 1_000_000;

/** Reads a chosen file's text (jsdom's File has no `text()`). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsText(file);
  });
}

/**
 * A file field that reads a manifest in the page (the Manifest and Export dialogs): a file larger
 * than a manifest can be, or one that cannot be read, is said under it; the text goes to `onRead`
 * with the file's name (which tells JSON from YAML).
 */
export function ManifestFileInput({
  label,
  disabled,
  onRead,
  className,
  testId,
}: {
  label: string;
  disabled: boolean;
  onRead: (text: string, name: string) => Promise<void>;
  className: string;
  testId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const fileId = useId();

  async function read(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    if (file.size > MAX_FILE_BYTES) {
      setError(t('manifest.file.tooBig', { file: file.name }));
      return;
    }
    let text: string;
    try {
      text = await readText(file);
    } catch (err) {
      setError(t('manifest.file.failed', { file: file.name, message: (err as Error).message }));
      return;
    }
    await onRead(text, file.name);
  }

  return (
    <>
      <div className={className}>
        <label htmlFor={fileId} className="field-label">
          {label}
        </label>
        <input
          id={fileId}
          type="file"
          accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml"
          disabled={disabled}
          onChange={(e) => void read(e)}
          data-testid={testId}
        />
      </div>
      {error && <ErrorNotice lead={error} />}
    </>
  );
}
