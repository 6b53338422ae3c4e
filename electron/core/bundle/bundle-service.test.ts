/**
 * Offline bundles end to end through the contract: made on a connected core against the stand-in
 * (real-shaped .tar.bz2 archives), inspected and imported on another core whose only "network" is a
 * sentinel that must see no connection, then damaged every way an offline copy can be.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../../e2e/standin/standin';
import { standinPerTest } from '../../cli/cli-harness.testkit';
import type {
  BundleCreateReport,
  BundleFailure,
  BundleImportResult,
  BundleInspectReport,
  BundleJson,
  BundleProgress,
} from '../../../shared/bundle';
import type { HistoryEntry } from '../../../shared/instances';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { pinsFile, type Pin } from '../install/pins';
import { treeHash, workAreaLeftovers } from '../install/testing-install.testkit';
import { fakeGlpi } from '../testing-glpi.testkit';
import type { bundleCore } from './testing-bundle.testkit';
import {
  BUNDLE_MANIFEST,
  connectedCore,
  copyBundle,
  filesUnder,
  fillingDisk,
  flipByte,
  offlineCore,
  rewriteBundle,
  sentinelPerFile,
  sha256File,
} from './testing-bundle.testkit';

const stand = standinPerTest();
const network = sentinelPerFile();

const MANIFEST = BUNDLE_MANIFEST;

/** The connected desktop: a Standard key, against the stand-in. */
const connected = () => connectedCore(stand().url);

/** The offline machine: no key, GLPI Network is the sentinel, every HTTP request counted. */
const offline = (name = 'offline') => offlineCore(network().url, name);

async function made(extra: Record<string, unknown> = {}) {
  const desk = await connected();
  const out = join(mkdtempSync(join(tmpdir(), 'md-bundle-out-')), 'glpi-plugins.mdbundle');
  const progress: BundleProgress[] = [];
  desk.c.events.on('bundles.progressed', (p) => void progress.push(p));
  const report = await desk.value<BundleCreateReport>('bundles.create', {
    manifest: MANIFEST,
    manifestName: 'plugins.json',
    glpiVersion: '10.0.18',
    out,
    ...extra,
  });
  return { desk, out, report, progress };
}

const pins = (dataDir: string): Record<string, Pin> =>
  (JSON.parse(readFileSync(pinsFile(dataDir), 'utf8')) as { pins: Record<string, Pin> }).pins;

function setupVersion(mp: string, key: string): string | null {
  const text = readFileSync(join(mp, key, 'setup.php'), 'utf8');
  return /'(\d+\.\d+\.\d+)'/.exec(text)?.[1] ?? null;
}

describe('bundles: create, inspect, import', () => {
  it('round trip: made online, verified and installed offline with no connection at all, twice', async () => {
    const { desk, out, report, progress } = await made();
    expect(report).toMatchObject({
      file: out,
      glpiVersion: '10.0.18',
      source: { kind: 'manifest', name: 'plugins.json' },
    });
    expect(report.sha256).toBe(sha256File(out));
    expect(report.entitlement?.offer).toBe('standard');
    expect(report.entries.map((e) => [e.key, e.version, e.premium, e.pin])).toEqual([
      ['fields', '1.21.23', false, 'new'],
      ['metabase', '4.10.2', true, 'new'],
    ]);
    expect(progress.some((p) => p.phase === 'download' && p.key === 'fields' && p.fraction === 1)).toBe(true);
    expect(progress.some((p) => p.phase === 'write' && p.key === 'metabase')).toBe(true);
    // An ordinary ustar file, bundle.json first; no key and nothing derived from it.
    const listed = spawnSync('tar', ['tf', out], { encoding: 'utf8' });
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual([
      'bundle.json',
      'archives/fields-1.21.23.tar.bz2',
      'archives/metabase-4.10.2.tar.gz',
    ]);
    const bytes = readFileSync(out);
    expect(bytes.includes(DEMO_KEYS.standard)).toBe(false);
    expect(bytes.includes(desk.c.keys.fingerprint() ?? 'no fingerprint')).toBe(false);
    expect(bytes.includes(desk.c.settings.uid())).toBe(false);
    const json = JSON.parse(spawnSync('tar', ['xOf', out, 'bundle.json'], { encoding: 'utf8' }).stdout) as BundleJson;
    expect(json.manifest.plugins).toEqual(
      report.entries.map((e) => ({ key: e.key, version: e.version, sha256: e.sha256 })),
    );
    expect(json.entries[1]?.catalogue.plugin.requiredOffers).toEqual(['standard', 'advanced']);
    expect(pins(desk.dataDir)['fields@1.21.23']).toMatchObject({
      sha256: report.entries[0]?.sha256,
      source: `bundle:${out}`,
    });

    const site = await offline();
    const copy = copyBundle(out);
    const inspected = await site.value<BundleInspectReport>('bundles.inspect', { file: copy, sha256: report.sha256 });
    expect(inspected).toMatchObject({ verified: true, sha256Matches: true, sha256: report.sha256 });
    expect(inspected.entries.map((e) => e.state)).toEqual(['ok', 'ok']);

    const plan = await site.value<BundleImportResult>('bundles.import', { file: copy, plan: true });
    expect(plan.items.map((i) => [i.key, i.action, i.from, i.version, i.state])).toEqual([
      ['fields', 'update', '1.21.0', '1.21.23', 'planned'],
      ['metabase', 'update', '1.0.0', '4.10.2', 'planned'],
    ]);
    expect(setupVersion(site.mp, 'fields')).toBe('1.21.0');

    const events: BundleProgress[] = [];
    site.c.events.on('bundles.progressed', (p) => void events.push(p));
    const imported = await site.value<BundleImportResult>('bundles.import', { file: copy, sha256: report.sha256 });
    expect(imported.failed).toBeNull();
    expect(imported.items.map((i) => [i.key, i.state])).toEqual([
      ['fields', 'done'],
      ['metabase', 'done'],
    ]);
    expect(setupVersion(site.mp, 'fields')).toBe('1.21.23');
    expect(existsSync(join(site.mp, 'metabase'))).toBe(true);
    expect(events.some((e) => e.phase === 'verify' && e.fraction === 1)).toBe(true);
    expect(events.some((e) => e.phase === 'install' && e.key === 'metabase' && e.step === 'swap')).toBe(true);
    const history: HistoryEntry[] = await site.c.plugins.history('offline');
    expect(history.map((h) => [h.action, h.key, h.to, h.result, h.source])).toEqual([
      ['update', 'fields', '1.21.23', 'ok', { kind: 'bundle', file: copy, sha256: report.sha256 }],
      ['update', 'metabase', '4.10.2', 'ok', { kind: 'bundle', file: copy, sha256: report.sha256 }],
    ]);
    expect(pins(site.dataDir)['metabase@4.10.2']).toMatchObject({
      sha256: report.entries[1]?.sha256,
      source: `bundle:${copy}`,
    });

    // Again: nothing to do, nothing touched.
    const before = await treeHash(site.mp);
    const again = await site.value<BundleImportResult>('bundles.import', { file: copy });
    expect(again.items.map((i) => i.state)).toEqual(['unchanged', 'unchanged']);
    expect(again.failed).toBeNull();
    expect(await treeHash(site.mp)).toBe(before);
    expect(await site.c.plugins.history('offline')).toHaveLength(2);

    // The offline side never opened a connection, not even to its (closed to it) GLPI Network.
    expect(site.http.sent).toEqual([]);
    expect(network().connections()).toBe(0);
  });
});

/** The error of a failed call: its code and BundleFailure details. */
async function refused(core: { call: ReturnType<typeof bundleCore>['call'] }, channel: string, payload: unknown) {
  const r = await core.call(channel, payload);
  if (r.ok) throw new Error(`${channel} succeeded`);
  return { ...r.error, failure: r.error.details as BundleFailure };
}

describe('a damaged bundle installs nothing', () => {
  it('refuses a tampered archive, naming the plugin and both checksums; inspect says which', async () => {
    const { out, report } = await made();
    const site = await offline();
    const before = await treeHash(site.mp);
    const copy = copyBundle(out);
    await flipByte(copy, 'archives/metabase-4.10.2.tar.gz');
    const err = await refused(site, 'bundles.import', { file: copy });
    const metabase = report.entries[1]!;
    expect(err.code).toBe('BUNDLE_FAILED');
    expect(err.failure).toMatchObject({
      code: 'tampered',
      key: 'metabase',
      version: '4.10.2',
      expected: metabase.sha256,
    });
    expect(err.failure.actual).toMatch(/^[0-9a-f]{64}$/);
    expect(err.message).toContain(metabase.sha256);
    expect(err.message).toContain(err.failure.actual);
    expect(err.message).toContain('nothing was installed');
    expect(err.fix).toContain('--sha256');
    expect(err.ref).toMatchObject({ id: 'bundle.tampered' });
    // Not even fields, whose archive was intact and comes first.
    expect(await treeHash(site.mp)).toBe(before);
    expect(await filesUnder(join(site.dataDir, 'downloads'))).toEqual([]);
    expect(await site.c.plugins.history('offline')).toEqual([]);
    const inspected = await site.value<BundleInspectReport>('bundles.inspect', { file: copy });
    expect(inspected.verified).toBe(false);
    expect(inspected.entries.map((e) => [e.key, e.state])).toEqual([
      ['fields', 'ok'],
      ['metabase', 'tampered'],
    ]);
  });

  it('refuses a bundle.json whose checksum was changed, and with --sha256 says it is not the bundle made', async () => {
    const { out, report } = await made();
    const site = await offline();
    const before = await treeHash(site.mp);
    const fields = report.entries[0]!;
    const forged = 'f'.repeat(64);
    const edited = await rewriteBundle(out, (json) => {
      json.entries[0]!.sha256 = forged;
      json.manifest.plugins[0]!.sha256 = forged;
    });
    const tampered = await refused(site, 'bundles.import', { file: edited });
    expect(tampered.failure).toMatchObject({
      code: 'tampered',
      key: 'fields',
      expected: forged,
      actual: fields.sha256,
    });
    const withSha = await refused(site, 'bundles.import', { file: edited, sha256: report.sha256 });
    expect(withSha.failure).toMatchObject({
      code: 'sha256-mismatch',
      expected: report.sha256,
      actual: sha256File(edited),
    });
    // A bundle.json edited in place (the tar header's own checksum no longer matches its member size or text).
    const inPlace = copyBundle(out);
    const bytes = readFileSync(inPlace);
    const at = bytes.indexOf('"glpiVersion": "10.0.18"');
    bytes.write('"glpiVersion": "10.0.19"', at);
    writeFileSync(inPlace, bytes);
    expect((await refused(site, 'bundles.import', { file: inPlace, sha256: report.sha256 })).failure.code).toBe(
      'sha256-mismatch',
    );
    expect(await treeHash(site.mp)).toBe(before);
  });

  it('refuses a truncated copy, a wrong --sha256, a newer format and a file that is no bundle', async () => {
    const { out, report } = await made();
    const site = await offline();
    const before = await treeHash(site.mp);
    const cut = copyBundle(out);
    truncateSync(cut, Math.floor(readFileSync(out).length / 2));
    const short = await refused(site, 'bundles.import', { file: cut });
    expect(short.failure).toMatchObject({ code: 'truncated', file: cut });
    expect(short.fix).toContain('Copy the bundle again');
    const headOnly = copyBundle(out);
    truncateSync(headOnly, 300);
    expect((await refused(site, 'bundles.inspect', { file: headOnly })).failure.code).toBe('truncated');

    const wrong = await refused(site, 'bundles.import', { file: copyBundle(out), sha256: 'ab'.repeat(32) });
    expect(wrong.failure).toMatchObject({ code: 'sha256-mismatch', expected: 'ab'.repeat(32), actual: report.sha256 });

    const newer = await rewriteBundle(out, (json) => void ((json as { format: number }).format = 2));
    const version = await refused(site, 'bundles.import', { file: newer });
    expect(version.failure).toMatchObject({ code: 'version', format: 2 });
    expect(version.fix).toContain('Update Marketdesk');

    const notBundle = join(mkdtempSync(join(tmpdir(), 'md-notbundle-')), 'plugins.json');
    writeFileSync(notBundle, MANIFEST);
    expect((await refused(site, 'bundles.import', { file: notBundle })).failure.code).toBe('corrupt');
    expect((await refused(site, 'bundles.import', { file: `${notBundle}.missing` })).failure.code).toBe('not-found');
    expect((await refused(site, 'bundles.import', { file: 'relative.mdbundle' })).code).toBe('INVALID_INPUT');
    expect(await treeHash(site.mp)).toBe(before);
    expect(site.http.sent).toEqual([]);
  });
});

describe('bundle create refuses before writing anything', () => {
  it('lists every plugin it cannot bundle (unknown, not entitled, no such version)', async () => {
    const desk = await connected();
    const out = join(mkdtempSync(join(tmpdir(), 'md-bundle-out-')), 'x.mdbundle');
    const manifest = JSON.stringify({
      format: 1,
      plugins: [
        { key: 'fields', version: '1.21.23' },
        { key: 'nosuchplugin', version: '*' },
        { key: 'whitelabel', version: '*' },
        { key: 'news', version: '^9' },
      ],
    });
    const err = await refused(desk, 'bundles.create', { manifest, glpiVersion: '10.0.18', out });
    expect(err.failure.code).toBe('unresolved');
    expect(err.failure.problems).toEqual([
      'nosuchplugin: not in the catalogue for this GLPI version',
      expect.stringMatching(/^whitelabel 3\.5\.1: not included in this key's subscription \(Needs /),
      expect.stringMatching(/^news: no catalogue version satisfies \^9/),
    ]);
    expect(err.fix).toContain('--manifest plugins.json');
    expect(existsSync(out)).toBe(false);
    expect(stand().requests.some((r) => r.path.startsWith('/downloads/'))).toBe(false);
  });

  it('writes only a .mdbundle file; says a folder that cannot be written to, and a full disk, leaving no file', async () => {
    const desk = await connected();
    const other = join(mkdtempSync(join(tmpdir(), 'md-bundle-other-')), 'notes.txt');
    writeFileSync(other, 'kept');
    const named = await refused(desk, 'bundles.create', { manifest: MANIFEST, out: other });
    expect(named).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'out' } });
    expect(readFileSync(other, 'utf8')).toBe('kept');
    const missing = join(tmpdir(), 'md-no-such-folder', 'x.mdbundle');
    const notWritable = await refused(desk, 'bundles.create', { manifest: MANIFEST, out: missing });
    expect(notWritable.failure).toMatchObject({ code: 'not-writable', file: missing });
    expect(notWritable.fix).toContain('md-no-such-folder');

    const full = await connectedCore(stand().url, { fs: fillingDisk(nodeFileSystem, /\.mdbundle\./, 100_000) });
    const dir = mkdtempSync(join(tmpdir(), 'md-bundle-full-'));
    const diskFull = await refused(full, 'bundles.create', { manifest: MANIFEST, out: join(dir, 'x.mdbundle') });
    expect(diskFull.failure).toMatchObject({ code: 'disk-full' });
    expect(diskFull.fix).toContain('Free some space');
    expect(await filesUnder(dir)).toEqual([]);
  });
});

describe('checksum pins and bundles', () => {
  it('refuses to bundle or import a republished archive until its new SHA-256 is confirmed', async () => {
    const manifest = JSON.stringify({ format: 1, plugins: [{ key: 'genericobject', version: '1.9.1' }] });
    const desk = await connected();
    const dir = mkdtempSync(join(tmpdir(), 'md-bundle-out-'));
    const first = await desk.value<BundleCreateReport>('bundles.create', {
      manifest,
      glpiVersion: '10.0.18',
      out: join(dir, 'a.mdbundle'),
    });
    const original = first.entries[0]!.sha256;
    const site = await offline();
    await site.value('bundles.import', { file: first.file });

    // The author republishes 1.9.1; the desktop no longer has the first archive.
    stand().republish('genericobject', '1.9.1');
    rmSync(join(desk.dataDir, 'downloads'), { recursive: true, force: true });
    const out = join(dir, 'b.mdbundle');
    const changed = await refused(desk, 'bundles.create', { manifest, glpiVersion: '10.0.18', out });
    expect(changed.failure).toMatchObject({
      code: 'checksum-changed',
      key: 'genericobject',
      version: '1.9.1',
      expected: original,
    });
    const republished = changed.failure.actual!;
    expect(changed.fix).toContain(`--accept-new-checksum ${republished}`);
    expect(existsSync(out)).toBe(false);
    const second = await desk.value<BundleCreateReport>('bundles.create', {
      manifest,
      glpiVersion: '10.0.18',
      out,
      acceptNewChecksum: republished,
    });
    expect(second.entries[0]).toMatchObject({ sha256: republished, pin: 'accepted' });
    expect(pins(desk.dataDir)['genericobject@1.9.1']).toMatchObject({
      sha256: republished,
      replaced: [{ sha256: original }],
    });

    // The offline machine pinned the first bytes: a second instance there refuses the new ones.
    const other = fakeGlpi();
    await site.value('instances.add', { root: other, name: 'second' });
    const before = await treeHash(join(other, 'marketplace'));
    const plan = await site.value<BundleImportResult>('bundles.import', { file: out, instance: 'second', plan: true });
    expect(plan.items[0]).toMatchObject({ action: 'error', state: 'refused' });
    expect(plan.items[0]?.message).toContain(original);
    expect(plan.items[0]?.message).toContain(republished);
    const no = await site.value<BundleImportResult>('bundles.import', { file: out, instance: 'second' });
    expect(no.failed?.fix).toContain(`marketdesk bundle import ${out} --accept-new-checksum ${republished}`);
    expect(await treeHash(join(other, 'marketplace'))).toBe(before);
    const yes = await site.value<BundleImportResult>('bundles.import', {
      file: out,
      instance: 'second',
      acceptNewChecksum: republished,
    });
    expect(yes.items[0]).toMatchObject({ state: 'done', checksumChange: { from: original, to: republished } });
    expect((await site.c.plugins.history('second')).at(-1)).toMatchObject({
      result: 'ok',
      checksumChange: { from: original, to: republished, confirmedBy: 'admin' },
      source: { kind: 'bundle', file: out },
    });
    expect(site.http.sent).toEqual([]);
  });
});

describe('cancel (bundles.cancel, the dialogs’ Cancel and the CLI’s Ctrl+C)', () => {
  /** Calls `bundles.cancel` from the first progress event that `when` accepts; what it answered. */
  function cancelWhen(core: ReturnType<typeof bundleCore>, when: (p: BundleProgress) => boolean) {
    const answers: boolean[] = [];
    let asked = false;
    const off = core.c.events.on('bundles.progressed', (p) => {
      if (asked || !when(p)) return;
      asked = true;
      // From inside the running operation, at the step `when` picks.
      void core.value<{ cancelled: boolean }>('bundles.cancel').then((r) => answers.push(r.cancelled));
    });
    return { answers, off };
  }

  it('says when nothing was running', async () => {
    const desk = await connected();
    expect(await desk.value('bundles.cancel')).toEqual({ cancelled: false });
  });

  it('stops a create while it downloads and while it writes, leaving no file; the next create works', async () => {
    for (const phase of ['download', 'write'] as const) {
      const desk = await connected();
      const dir = mkdtempSync(join(tmpdir(), 'md-bundle-out-'));
      const out = join(dir, 'x.mdbundle');
      const { answers, off } = cancelWhen(desk, (p) => p.phase === phase && p.fraction < 1);
      const err = await refused(desk, 'bundles.create', { manifest: MANIFEST, glpiVersion: '10.0.18', out });
      off();
      expect(answers, phase).toEqual([true]);
      expect(err.failure, phase).toEqual({ code: 'cancelled', file: out });
      expect(err.ref).toMatchObject({ id: 'bundle.cancelled-create' });
      expect(err.message).toContain(`no bundle was written to ${out}`);
      expect(await filesUnder(dir), phase).toEqual([]);
      // Stopped in the first archive's download: nothing of it is kept. While writing: both
      // archives, whole and verified, stay in the cache for the next try.
      const cached = await filesUnder(join(desk.dataDir, 'downloads'));
      if (phase === 'download') expect(cached).toEqual([]);
      else expect(cached.filter((f) => !f.endsWith('.json')).length, cached.join()).toBe(2);
      // Not stuck: the same create, again, makes the bundle.
      const report = await desk.value<BundleCreateReport>('bundles.create', {
        manifest: MANIFEST,
        glpiVersion: '10.0.18',
        out,
      });
      expect(report.sha256).toBe(sha256File(out));
    }
  });

  it('stops an inspect and an import while the bundle is read: nothing changed, nothing left in the cache', async () => {
    const { out } = await made();
    const site = await offline();
    const before = await treeHash(site.mp);
    for (const channel of ['bundles.inspect', 'bundles.import']) {
      const { answers, off } = cancelWhen(site, (p) => p.phase === 'verify' && p.fraction > 0 && p.fraction < 1);
      const err = await refused(site, channel, { file: out });
      off();
      expect(answers, channel).toEqual([true]);
      expect(err.failure, channel).toEqual({ code: 'cancelled', file: out });
      expect(err.message).toBe(`Cancelled while reading ${out}: nothing was changed.`);
    }
    expect(await treeHash(site.mp)).toBe(before);
    expect(await filesUnder(join(site.dataDir, 'downloads'))).toEqual([]);
    expect(await site.c.plugins.history('offline')).toEqual([]);
  });

  it('stops an import inside a plugin’s install (nothing changed) or, once it swaps, before the next one', async () => {
    const { out } = await made();

    const early = await offline('early');
    const before = await treeHash(early.mp, ['.marketdesk']);
    const early1 = cancelWhen(early, (p) => p.phase === 'install' && p.key === 'fields' && p.step === 'extract');
    const stopped = await early.value<BundleImportResult>('bundles.import', { file: out });
    expect(early1.answers).toEqual([true]);
    expect(stopped.failed).toEqual({
      key: 'fields',
      message: 'Cancelled: fields 1.21.23 and the plugins after it were not changed.',
      fix: 'Import the bundle again to make the remaining changes.',
    });
    expect(stopped.items.map((i) => [i.key, i.state])).toEqual([
      ['fields', 'not-done'],
      ['metabase', 'not-done'],
    ]);
    expect(await treeHash(early.mp, ['.marketdesk'])).toBe(before);
    expect(await workAreaLeftovers(early.mp, join(early.root, 'files', '_marketdesk'))).toEqual([]);
    // The history keeps the attempt, as for any cancelled install.
    expect((await early.c.plugins.history('early')).map((h) => [h.key, h.result, h.error?.message])).toEqual([
      ['fields', 'failed', 'The operation was cancelled; nothing was changed.'],
    ]);

    const late = await offline('late');
    const late1 = cancelWhen(late, (p) => p.phase === 'install' && p.key === 'fields' && p.step === 'swap');
    const half = await late.value<BundleImportResult>('bundles.import', { file: out });
    late1.off();
    // The import was asked to stop, though fields, in its swap, finished first.
    expect(late1.answers).toEqual([true]);
    expect(half.failed?.key).toBe('metabase');
    expect(half.items.map((i) => [i.key, i.state])).toEqual([
      ['fields', 'done'],
      ['metabase', 'not-done'],
    ]);
    expect(setupVersion(late.mp, 'fields')).toBe('1.21.23');
    expect(setupVersion(late.mp, 'metabase')).toBe('1.0.0');
    // The rest, when asked again.
    const rest = await late.value<BundleImportResult>('bundles.import', { file: out });
    expect(rest.items.map((i) => [i.key, i.state])).toEqual([
      ['fields', 'unchanged'],
      ['metabase', 'done'],
    ]);
  });
});
