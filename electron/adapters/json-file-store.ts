import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KeyValueStore } from '../core/ports';

/**
 * The browser shell's and the CLI's settings store: the same file and format as electron-store
 * (`<dataDir>/config.json`, one JSON object, dot-separated key paths), so every shell reads the
 * profiles the others wrote. Writes are atomic (temp file + rename). A file that is not valid JSON
 * is kept aside as `config.json.corrupt-<time>` rather than overwritten, so nothing is lost.
 */
export class JsonFileStore implements KeyValueStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'config.json');
  }

  get<T>(key: string): T | undefined {
    let node: unknown = this.read();
    for (const part of key.split('.')) {
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node as T | undefined;
  }

  set(key: string, value: unknown): void {
    const data = this.read();
    const parts = key.split('.');
    const last = parts.pop() ?? key;
    let node = data;
    for (const part of parts) {
      const next = node[part];
      const child: Record<string, unknown> = next && typeof next === 'object' ? (next as Record<string, unknown>) : {};
      node[part] = child;
      node = child;
    }
    if (value === undefined) delete node[last];
    else node[last] = JSON.parse(JSON.stringify(value)) as unknown;
    this.write(data);
  }

  delete(key: string): void {
    this.set(key, undefined);
  }

  private read(): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    try {
      const data = JSON.parse(text) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
    } catch {
      // fall through
    }
    renameSync(this.file, `${this.file}.corrupt-${Date.now()}`);
    return {};
  }

  private write(data: Record<string, unknown>): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, undefined, '\t'), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
