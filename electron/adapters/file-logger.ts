import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/redact';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * JSON-lines log in `<dataDir>/logs/marketdesk.log`. Every line passes through the redactor, so a
 * key that reached a message by accident is still never written.
 */
export function createFileLogger(
  dataDir: string,
  redactor: Redactor,
  options: { level?: Level; echo?: (line: string) => void } = {},
): Logger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'marketdesk.log');
  const min = ORDER[options.level ?? 'info'];
  const write = (level: Level, message: string, data?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const entry = {
      at: new Date().toISOString(),
      level,
      message: redactor.text(message),
      ...(data ? { data: redactor.value(data) } : {}),
    };
    const line = JSON.stringify(entry);
    try {
      appendFileSync(file, line + '\n', { mode: 0o600 });
    } catch {
      // A log that cannot be written must not break the action being logged.
    }
    options.echo?.(line);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
