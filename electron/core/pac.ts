/**
 * PAC scripts for the Node shells (browser shell, CLI); the desktop app leaves them to Chromium.
 * The script runs in a sandbox behind the PacRunner port (electron/adapters/pac-runner.ts); the
 * core only reads its answer.
 */

export type PacResult = { kind: 'direct' } | { kind: 'proxy'; proxyUrl: string };

/** "PROXY a:3128; DIRECT" → the first usable entry (SOCKS entries are skipped: not supported). */
export function parsePacAnswer(answer: string): PacResult {
  for (const entry of answer.split(';')) {
    const [kind = '', where = ''] = entry.trim().split(/\s+/);
    const upper = kind.toUpperCase();
    if (upper === 'DIRECT') return { kind: 'direct' };
    if ((upper === 'PROXY' || upper === 'HTTP') && where) return { kind: 'proxy', proxyUrl: `http://${where}` };
    if (upper === 'HTTPS' && where) return { kind: 'proxy', proxyUrl: `https://${where}` };
  }
  return { kind: 'direct' };
}
