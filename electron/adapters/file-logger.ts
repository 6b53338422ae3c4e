import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

export interface FileLogger extends Logger {
  /** Changes the level from now on (the settings screen, MARKETDESK_LOG_LEVEL). */
  setLevel(level: LogLevel): void;
  readonly dir: string;
}

/**
 * JSON-lines log in `<dataDir>/logs/marketdesk.log`, rotated at `maxBytes` into marketdesk.1.log …
 * marketdesk.<keep>.log (the oldest is deleted). Every line passes through the redactor, so a key or
 * a password that reached a message by accident is still never written.
 */
export function createFileLogger(
  dataDir: string,
  redactor: Redactor,
  options: { level?: LogLevel; echo?: (line: string) => void; maxBytes?: number; keep?: number } = {},
): FileLogger {
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'marketdesk.log');
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 3);
  let min = ORDER[options.level ?? 'info'];
  let size = sizeOf(file);

  const rotate = () => {
    try {
      rmSync(join(dir, `marketdesk.${keep}.log`), { force: true });
      for (let i = keep - 1; i >= 1; i--) {
        try {
          renameSync(join(dir, `marketdesk.${i}.log`), join(dir, `marketdesk.${i + 1}.log`));
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(file, join(dir, 'marketdesk.1.log'));
    } catch {
      // Rotation is best effort: if it fails, the log keeps growing rather than losing lines.
    }
    size = sizeOf(file);
  };

  const write = (level: LogLevel, message: string, data?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const entry = {
      at: new Date().toISOString(),
      level,
      message: redactor.text(message),
      ...(data ? { data: redactor.value(data) } : {}),
    };
    const line = JSON.stringify(entry) + '\n';
    if (size > 0 && size + line.length > maxBytes) rotate();
    try {
      appendFileSync(file, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written must not break the action being logged.
    }
    options.echo?.(line.trimEnd());
  };
  return {
    dir,
    setLevel: (level) => {
      min = ORDER[level];
    },
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
