/**
 * Checks a pasted registration key before anything is sent. GLPI treats the key as opaque (a
 * base64 blob in practice), so we only refuse what cannot be a key: inner whitespace, control
 * characters, wrapping quotes from a copy-paste, and absurd lengths.
 */
export const KEY_MIN_LENGTH = 8;
export const KEY_MAX_LENGTH = 4096;

export type KeyCheck = { ok: true; key: string } | { ok: false; problem: KeyProblem; message: string; fix: string };

export type KeyProblem = 'empty' | 'too-short' | 'too-long' | 'whitespace' | 'control' | 'quotes' | 'non-ascii';

export function normalizeKey(raw: string): KeyCheck {
  const key = raw.trim();
  const paste = 'Copy the key again from your GLPI Network account page and paste it alone.';
  if (key.length === 0)
    return fail('empty', 'The registration key is empty.', 'Paste the key from your GLPI Network account.');
  if (key.length > KEY_MAX_LENGTH)
    return fail(
      'too-long',
      `The key is ${key.length} characters long; a registration key is at most ${KEY_MAX_LENGTH}.`,
      paste,
    );
  if (/^(["'`]).*\1$/s.test(key))
    return fail('quotes', 'The key is wrapped in quotes.', 'Remove the quotes around the key and paste it again.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(key))
    return fail('control', 'The key contains control characters.', paste);
  if (/\s/.test(key)) return fail('whitespace', 'The key contains spaces or line breaks in the middle.', paste);
  if (/[^\u0021-\u007e]/.test(key))
    return fail('non-ascii', 'The key contains characters that never appear in a registration key.', paste);
  if (key.length < KEY_MIN_LENGTH)
    return fail('too-short', `The key is only ${key.length} characters long; it looks cut off.`, paste);
  return { ok: true, key };
}

function fail(problem: KeyProblem, message: string, fix: string): KeyCheck {
  return { ok: false, problem, message, fix };
}

/** The only form of the key that ever leaves the main process: first 4 and last 4 characters. */
export function maskKey(key: string): string {
  if (key.length <= 12) return '••••';
  return `${key.slice(0, 4)}…${key.slice(-4)}`;
}
