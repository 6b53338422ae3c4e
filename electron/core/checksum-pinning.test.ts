/**
 * Checksum pinning end to end through the contract: the stand-in republishes a version in place
 * (same version, other bytes) and the install stops until the admin confirms the new SHA-256.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/errors';
import type {
  ActionReport,
  ChecksumChangedDetails,
  FleetUpdateResult,
  HistoryEntry,
  InstanceSummary,
} from '../../shared/instances';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';
import { UndiciHttpClient } from '../adapters/undici-http-client';
import { createAppCore } from './create-app-core';
import { dispatch } from './dispatch';
import { pinsFile, type Pin } from './install/pins';
import { treeHash } from './install/testing-install.testkit';
import { systemClock } from './ports';
import { fakeGlpi } from './testing-glpi.testkit';
import { MemoryStore, memoryLogger } from './testing.testkit';

let standin: Standin;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await standin.close();
});

function core(dataDir: string) {
  const c = createAppCore(
    {
      secrets: new MemorySecretStore('keychain'),
      store: new MemoryStore(),
      http: new UndiciHttpClient(),
      clock: systemClock,
      logger: memoryLogger(),
      dataDir,
      fs: nodeFileSystem,
      host: { ...nodeHostInfo(), pathEnv: mkdtempSync(join(tmpdir(), 'md-nophp-')) },
      appVersion: '0.1.0',
      shell: 'browser',
      profile: 'default',
      servicesUrlFromEnv: standin.url,
      systemLanguage: 'en_US',
      redact: () => undefined,
    },
    { sessionSecrets: new MemorySecretStore(), keychainFix: 'fix' },
  );
  const call = async <T>(channel: string, payload: unknown = {}) =>
    (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
  return { c, call };
}

const pins = (dataDir: string): Record<string, Pin> =>
  (JSON.parse(readFileSync(pinsFile(dataDir), 'utf8')) as { pins: Record<string, Pin> }).pins;

describe('checksum pinning', () => {
  it('pins the first archive, refuses a republished one (marketplace/ untouched), and takes it only once confirmed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-pins-'));
    const { c, call } = core(dataDir);
    await c.keys.set(DEMO_KEYS.standard);
    const root = fakeGlpi();
    const mp = join(root, 'marketplace');
    expect(await call<InstanceSummary>('instances.add', { root, name: 'prod' })).toMatchObject({ ok: true });

    const first = await call<ActionReport>('plugins.install', { key: 'genericobject' });
    if (!first.ok) throw new Error(first.error.message);
    const version = first.value.to!;
    const original = first.value.sha256!;
    expect(pins(dataDir)[`genericobject@${version}`]).toMatchObject({ sha256: original });
    expect(pins(dataDir)[`genericobject@${version}`]?.source).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/downloads\//);

    // The author republishes the same version; this computer no longer has the first archive.
    expect(await call('plugins.remove', { key: 'genericobject' })).toMatchObject({ ok: true });
    standin.republish('genericobject', version);
    rmSync(join(dataDir, 'downloads'), { recursive: true, force: true });
    const before = await treeHash(mp);

    const refused = await call<ActionReport>('plugins.install', { key: 'genericobject', version });
    if (refused.ok) throw new Error('installed a republished archive without confirmation');
    const details = refused.error.details as ChecksumChangedDetails;
    expect(details).toMatchObject({ step: 'download', code: 'checksum-changed', key: 'genericobject', version });
    expect(details.pinned).toBe(original);
    const republished = details.received;
    expect(republished).toMatch(/^[0-9a-f]{64}$/);
    expect(republished).not.toBe(original);
    expect(refused.error.message).toContain(original);
    expect(refused.error.message).toContain(republished);
    expect(refused.error.message).toMatch(/republished the archive in place/);
    expect(refused.error.fix).toContain(`--accept-new-checksum ${republished}`);
    expect(refused.error.ref).toMatchObject({ id: 'install.checksum-changed' });
    expect(await treeHash(mp)).toBe(before);
    const refusal = (await c.plugins.history('prod')).at(-1);
    expect(refusal).toMatchObject({ action: 'install', key: 'genericobject', result: 'failed' });
    expect(refusal?.error?.message).toContain(republished);

    // A confirmation of another checksum (a third archive, or a typo) is refused too.
    const wrong = await call('plugins.install', { key: 'genericobject', version, acceptNewChecksum: 'ab'.repeat(32) });
    expect(wrong).toMatchObject({ ok: false, error: { details: { code: 'checksum-changed' } } });
    expect(await treeHash(mp)).toBe(before);
    expect(pins(dataDir)[`genericobject@${version}`]?.sha256).toBe(original);
    expect(await call('plugins.install', { key: 'genericobject', acceptNewChecksum: 'not a sha' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });

    // The exact new checksum (as the admin may paste it, in capitals): installed, pin replaced, history says so.
    const accepted = await call<ActionReport>('plugins.install', {
      key: 'genericobject',
      version,
      acceptNewChecksum: republished.toUpperCase(),
    });
    if (!accepted.ok) throw new Error(accepted.error.message);
    expect(accepted.value).toMatchObject({ sha256: republished, checksumChange: { from: original, to: republished } });
    const pin = pins(dataDir)[`genericobject@${version}`];
    expect(pin).toMatchObject({ sha256: republished, replaced: [{ sha256: original }] });
    const entry: HistoryEntry | undefined = (await c.plugins.history('prod')).at(-1);
    expect(entry).toMatchObject({
      result: 'ok',
      sha256: republished,
      checksumChange: { from: original, to: republished, confirmedBy: 'admin' },
    });
    expect(entry?.note).toBe(`Checksum changed from ${original} to ${republished}, confirmed by the admin.`);
  });

  it('update: refuses the republished archive of the newer version, then takes it with acceptNewChecksum', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-pins-'));
    const { c, call } = core(dataDir);
    await c.keys.set(DEMO_KEYS.standard);
    await call('instances.add', { root: fakeGlpi(), name: 'prod' });
    const updated = await call<ActionReport>('plugins.update', { key: 'fields' });
    if (!updated.ok) throw new Error(updated.error.message);
    const version = updated.value.to!;
    expect(await call('plugins.restore', { key: 'fields' })).toMatchObject({ ok: true });
    standin.republish('fields', version);
    rmSync(join(dataDir, 'downloads'), { recursive: true, force: true });

    const refused = await call('plugins.update', { key: 'fields' });
    if (refused.ok) throw new Error('updated to a republished archive without confirmation');
    const { received, pinned } = refused.error.details as ChecksumChangedDetails;
    expect(pinned).toBe(updated.value.sha256);
    const accepted = await call<ActionReport>('plugins.update', { key: 'fields', acceptNewChecksum: received });
    expect(accepted).toMatchObject({
      ok: true,
      value: { to: version, checksumChange: { from: pinned, to: received } },
    });
  });

  it('fleet.update: a republished archive fails with both checksums, and is taken for that instance and plugin once confirmed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-pins-'));
    const { c, call } = core(dataDir);
    await c.keys.set(DEMO_KEYS.standard);
    await call('instances.add', { root: fakeGlpi(), name: 'prod' });
    const updated = await call<FleetUpdateResult[]>('fleet.update', { names: ['prod'], key: 'fields' });
    if (!updated.ok) throw new Error(updated.error.message);
    const version = updated.value[0]!.to!;
    expect(await call('plugins.restore', { key: 'fields' })).toMatchObject({ ok: true });
    standin.republish('fields', version);
    rmSync(join(dataDir, 'downloads'), { recursive: true, force: true });

    const refused = await call<FleetUpdateResult[]>('fleet.update', { names: ['prod'] });
    if (!refused.ok) throw new Error(refused.error.message);
    const failed = refused.value.find((r) => r.key === 'fields');
    expect(failed).toMatchObject({ instance: 'prod', ok: false, checksumChanged: { key: 'fields', version } });
    const { pinned, received } = failed!.checksumChanged!;
    expect(pinned).toBe(pins(dataDir)[`fields@${version}`]?.sha256);
    expect(received).not.toBe(pinned);
    // Other failures carry no checksums.
    expect(refused.value.filter((r) => r.key !== 'fields' && r.checksumChanged)).toEqual([]);

    // A confirmation is for one plugin in one instance.
    for (const req of [
      { names: ['prod'], acceptNewChecksum: received },
      { names: ['prod', 'prod'], key: 'fields', acceptNewChecksum: received },
    ])
      expect(await call('fleet.update', req)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const accepted = await call<FleetUpdateResult[]>('fleet.update', {
      names: ['prod'],
      key: 'fields',
      acceptNewChecksum: received,
    });
    expect(accepted).toMatchObject({ ok: true, value: [{ instance: 'prod', key: 'fields', ok: true, to: version }] });
    expect(pins(dataDir)[`fields@${version}`]?.sha256).toBe(received);
    expect((await c.plugins.history('prod')).at(-1)).toMatchObject({
      action: 'update',
      key: 'fields',
      result: 'ok',
      checksumChange: { from: pinned, to: received, confirmedBy: 'admin' },
    });
  });
});
