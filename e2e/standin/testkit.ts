/**
 * Helpers for tests that talk to the stand-in's marketplace: GLPI's paging loop (docs/glpi-network-api.md §2.8) and
 * archive extraction with the system tools (tar, unzip). No test framework imports, so the e2e
 * specs and the core's integration tests can use them too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveFormat } from './catalog-types';

export interface GlpiLoopResult {
  items: unknown[];
  requests: number;
  /** False when a page failed 3 times in a row (GLPI: "list may be truncated"). */
  complete: boolean;
  statuses: number[];
}

/**
 * GLPI's `Plugins::getPaginatedCollection`: pages of 200 from 0, each retried up to 3 times on a
 * 4xx/5xx or a body that is not an array; an empty page ends the list.
 */
export async function glpiPagingLoop(url: string, headers: Record<string, string>): Promise<GlpiLoopResult> {
  const items: unknown[] = [];
  const statuses: number[] = [];
  let requests = 0;
  for (let start = 0; ; start += 200) {
    let page: unknown[] | null = null;
    for (let attempt = 0; attempt < 3 && page === null; attempt++) {
      requests++;
      const res = await fetch(url, { headers: { ...headers, 'X-Range': `${start}-${start + 199}` } });
      statuses.push(res.status);
      const text = await res.text();
      if (res.status >= 400) continue;
      try {
        const body = JSON.parse(text) as unknown;
        if (Array.isArray(body)) page = body;
      } catch {
        // not JSON: retried like GLPI
      }
    }
    if (page === null) return { items, requests, complete: false, statuses };
    if (page.length === 0) return { items, requests, complete: true, statuses };
    items.push(...page);
  }
}

export function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export interface Extracted {
  dir: string;
  /** Top-level names in the extraction directory. */
  top: string[];
  ok: boolean;
  stderr: string;
  cleanup(): void;
}

/** Extracts with `tar -xjf` / `tar -xzf` / `unzip` into a fresh temporary directory. */
export function extractWithSystemTools(
  bytes: Buffer,
  format: ArchiveFormat,
  fileName = `archive.${format}`,
): Extracted {
  const work = mkdtempSync(join(tmpdir(), 'standin-archive-'));
  const file = join(work, fileName);
  const dir = join(work, 'out');
  writeFileSync(file, bytes);
  spawnSync('mkdir', ['-p', dir]);
  const run =
    format === 'zip'
      ? spawnSync('unzip', ['-q', file, '-d', dir], { encoding: 'utf8' })
      : spawnSync('tar', [format === 'tar.bz2' ? '-xjf' : '-xzf', file, '-C', dir], { encoding: 'utf8' });
  return {
    dir,
    top: readdirSync(dir),
    ok: run.status === 0,
    stderr: `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`,
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** `tar -tv` listing lines (GNU tar), for modes and dates. */
export function tarListing(bytes: Buffer, format: 'tar.bz2' | 'tar.gz'): string[] {
  const run = spawnSync('tar', [format === 'tar.bz2' ? '-tvjf' : '-tvzf', '-'], { input: bytes, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tar -tv failed: ${run.stderr}`);
  return run.stdout.split('\n').filter(Boolean);
}
