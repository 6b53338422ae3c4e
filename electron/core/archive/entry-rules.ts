import { ArchiveError } from './archive-error.js';

/** Printable form of an entry name for messages (control characters escaped, length bounded). */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = JSON.stringify(name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`));
  return escaped.length > 200 ? `${escaped.slice(0, 197)}..."` : escaped;
}

/**
 * Validates an archive entry name with the same rules for every format
 * (docs/reliability-checklist.md ARC-2) and returns its normalised path segments (empty and `.`
 * segments dropped). Throws an {@link ArchiveError} on:
 * NUL/control characters (`invalid-name`), a leading `/` (`absolute-path`), a Windows drive
 * (`C:`…) (`drive-path`), any backslash (`backslash`), any `..` segment (`path-traversal`),
 * a `:` elsewhere (`invalid-name`, Windows alternate data streams), or an empty name.
 */
export function validateEntryName(name: string): string[] {
  // Only for the messages: not built for every valid name.
  const shown = (): string => displayName(name);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new ArchiveError('invalid-name', `The archive entry ${shown()} has control characters in its name.`, {
      entry: name,
    });
  }
  if (name.startsWith('/')) {
    throw new ArchiveError('absolute-path', `The archive entry ${shown()} has an absolute path.`, { entry: name });
  }
  if (/^[a-zA-Z]:/.test(name)) {
    throw new ArchiveError('drive-path', `The archive entry ${shown()} starts with a Windows drive letter.`, {
      entry: name,
    });
  }
  if (name.includes('\\')) {
    throw new ArchiveError('backslash', `The archive entry ${shown()} contains a backslash.`, { entry: name });
  }
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new ArchiveError('path-traversal', `The archive entry ${shown()} tries to leave its folder with "..".`, {
      entry: name,
    });
  }
  if (parts.some((p) => p.includes(':'))) {
    throw new ArchiveError('invalid-name', `The archive entry ${shown()} has a ":" in its name.`, { entry: name });
  }
  if (parts.length === 0) {
    throw new ArchiveError('invalid-name', `The archive has an entry with an empty name (${shown()}).`, {
      entry: name,
    });
  }
  return parts;
}
