import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/errors';
import type {
  AppInfo,
  CaFileInfo,
  CaFilesChange,
  NetworkRoute,
  ProfileSettings,
  ServicesUrlChange,
} from '../../shared/model';
import { writeRootCaFiles } from '../adapters/doctor/test-certs';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import type { ConfirmRequest, CorePorts, PickFileRequest } from './app-core';
import { createAppCore } from './create-app-core';
import { dispatch } from './dispatch';
import { DEFAULT_SERVICES_URL } from './glpi-network-client';
import { FakeClock, FakeHttp, MemoryStore, memoryLogger } from './testing.testkit';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';

let dir: string;
let pem: string;
let der: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-settings-'));
  ({ pem, der } = writeRootCaFiles(dir, '/O=Corp/CN=Corp Root CA'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Options {
  confirm?: (request: ConfirmRequest) => Promise<boolean>;
  pickFile?: (request: PickFileRequest) => Promise<string | null>;
  servicesUrlFromEnv?: string;
}

function core(options: Options = {}) {
  const store = new MemoryStore();
  const http = new FakeHttp(() => ({ status: 503 }));
  const ports: CorePorts = {
    secrets: new MemorySecretStore('keychain'),
    store,
    http,
    clock: new FakeClock(),
    logger: memoryLogger(),
    dataDir: mkdtempSync(join(dir, 'data-')),
    fs: nodeFileSystem,
    host: nodeHostInfo(),
    appVersion: '0.1.0',
    shell: options.confirm ? 'electron' : 'browser',
    profile: 'default',
    systemLanguage: 'de_DE',
    redact: () => undefined,
    ...(options.servicesUrlFromEnv ? { servicesUrlFromEnv: options.servicesUrlFromEnv } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
    ...(options.pickFile ? { pickFile: options.pickFile } : {}),
  };
  const c = createAppCore(ports, { sessionSecrets: new MemorySecretStore(), keychainFix: 'fix' });
  const call = async <T>(channel: string, payload: unknown = {}) =>
    (await dispatch(c.handlers, channel, payload, memoryLogger())) as Envelope<T>;
  const stored = () => store.get<Record<string, unknown>>('profiles.default') ?? {};
  return { c, call, store, stored, http };
}

function value<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

describe('settings.update: every value is checked, and a refused one changes nothing', () => {
  it.each([
    [{ checkIntervalHours: 0 }, 'checkIntervalHours', 'Check for updates every 1 to 168 hours'],
    [{ checkIntervalHours: 169 }, 'checkIntervalHours', 'Check for updates every 1 to 168 hours'],
    [{ checkIntervalHours: 2.5 }, 'checkIntervalHours', 'whole hours'],
    [{ keepBackups: 0 }, 'keepBackups', 'Keep between 1 and 20 backups per plugin'],
    [{ keepBackups: 21 }, 'keepBackups', 'Keep between 1 and 20 backups per plugin'],
    [{ glpiVersion: 'ten' }, 'glpiVersion', '"ten" is not a GLPI version'],
  ])('%j is refused with a message naming the field', async (patch, field, message) => {
    const { call, stored } = core();
    const res = await call('settings.update', { ...patch, theme: 'dark' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field } } });
    if (!res.ok) expect(res.error.message).toContain(message);
    expect(stored()).toEqual({});
  });

  it.each([
    [{ php: 'php' }, 'php', '"php" is not an absolute path to a php binary'],
    [{ php: '/usr/bin/python3' }, 'php', 'not an absolute path to a php binary'],
    [{ user: '  ' }, 'user', 'Give the name of an existing GLPI user'],
    [{ user: '-n' }, 'user', 'Give the name of an existing GLPI user'],
  ])('GLPI console %j is refused with a message naming the field', async (glpiConsole, field, message) => {
    const { call, c } = core();
    const res = await call('settings.update', { glpiConsole });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field } } });
    if (!res.ok) expect(res.error.message).toContain(message);
    expect(c.settings.get().glpiConsole).toEqual({ offer: false, php: '', user: 'glpi' });
  });

  it('refuses values of the wrong type or out of the lists (before any handler)', async () => {
    const { call, stored } = core();
    for (const patch of [
      { theme: 'blue' },
      { logLevel: 'trace' },
      { language: 'english' },
      { notifications: 'yes' },
      { checkIntervalHours: '6' },
    ]) {
      const res = await call('settings.update', patch);
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!res.ok) expect(res.error.message).toContain(`Invalid request for settings.update: ${Object.keys(patch)[0]}`);
    }
    expect(stored()).toEqual({});
  });

  it('keeps valid values in the store (electron-store format) and announces them', async () => {
    const { c, call, stored } = core();
    const seen: ProfileSettings[] = [];
    c.events.on('settings.changed', (s) => seen.push(s));
    const asked = {
      theme: 'dark',
      logLevel: 'debug',
      notifications: false,
      checkIntervalHours: 12,
      keepBackups: 5,
      includePrereleases: true,
      glpiVersion: ' 11.0.1 ',
    } as const;
    const s = value(await call<ProfileSettings>('settings.update', asked));
    // Kept as asked, but the GLPI version trimmed.
    expect(s).toMatchObject({ ...asked, glpiVersion: '11.0.1' });
    expect(stored()).toMatchObject({ theme: 'dark', checkIntervalHours: 12, keepBackups: 5, glpiVersion: '11.0.1' });
    expect(seen.at(-1)).toEqual(s);

    const console = value(
      await call<ProfileSettings>('settings.update', {
        glpiConsole: { offer: true, php: ' /usr/bin/php8.2 ', user: 'admin' },
      }),
    );
    expect(console.glpiConsole).toEqual({ offer: true, php: '/usr/bin/php8.2', user: 'admin' });
  });

  it('language: a chosen one is kept; null follows the system language again', async () => {
    const { call, stored } = core();
    expect(value(await call<ProfileSettings>('settings.get'))).toMatchObject({
      language: 'de_DE',
      languageSource: 'system',
    });
    expect(value(await call<ProfileSettings>('settings.update', { language: 'fr' }))).toMatchObject({
      language: 'fr',
      languageSource: 'setting',
    });
    expect(stored()).toMatchObject({ language: 'fr' });
    expect(value(await call<ProfileSettings>('settings.update', { language: null }))).toMatchObject({
      language: 'de_DE',
      languageSource: 'system',
    });
    expect(stored()).not.toHaveProperty('language');
  });
});

describe('settings.networkRoute', () => {
  it('says how GLPI Network is reached and why, never with the proxy password', async () => {
    const { call } = core();
    expect(value(await call<NetworkRoute>('settings.networkRoute'))).toMatchObject({ kind: 'direct', proxy: null });
    value(
      await call('settings.update', {
        network: { proxyMode: 'manual', proxyUrl: 'http://proxy.corp:3128', proxyUser: 'bob' },
      }),
    );
    value(await call('settings.proxyPassword', { password: 'pr0xy-s3cret' }));
    const route = value(await call<NetworkRoute>('settings.networkRoute'));
    expect(route).toMatchObject({ kind: 'proxy', proxy: expect.stringContaining('proxy.corp:3128') as string });
    expect(route.why).toBeTruthy();
    expect(JSON.stringify(route)).not.toContain('pr0xy-s3cret');
    value(await call('settings.update', { network: { bypass: ['services.glpi-network.com'] } }));
    expect(value(await call<NetworkRoute>('settings.networkRoute'))).toMatchObject({ kind: 'direct', proxy: null });
  });
});

describe('settings.caFiles', () => {
  it('lists each extra CA file with its subjects or its problem', async () => {
    const { c, call } = core();
    expect(value(await call<CaFileInfo[]>('settings.caFiles'))).toEqual([]);
    const missing = join(dir, 'missing.pem');
    c.settings.updateNetwork({ extraCaFiles: [pem, der, missing] });
    const files = value(await call<CaFileInfo[]>('settings.caFiles'));
    expect(files).toEqual([
      { file: pem, subjects: ['O=Corp, CN=Corp Root CA'], problem: null },
      { file: der, subjects: [], problem: expect.stringMatching(/holds no PEM certificate.*not DER/) as string },
      { file: missing, subjects: [], problem: `${missing} cannot be read (ENOENT).` },
    ]);
    // Never the certificates themselves.
    expect(JSON.stringify(files)).not.toContain('pems');
    expect(JSON.stringify(files)).not.toContain('END CERTIFICATE');
  });
});

describe('CA files and the services URL without the shell dialogs (browser shell)', () => {
  it('says so in app.info', async () => {
    const { call } = core();
    expect(value(await call<AppInfo>('app.info')).adminDialogs).toBe(false);
  });

  it('refuses every change, naming the command that makes it, and changes nothing', async () => {
    const { c, call, stored } = core();
    c.settings.updateNetwork({ extraCaFiles: [pem] });
    const before = structuredClone(stored());

    const add = await call('settings.addCaFile');
    expect(add).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!add.ok) expect(add.error.message).toContain('marketdesk config ca --add FILE');
    const remove = await call('settings.removeCaFile', { file: pem });
    expect(remove).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!remove.ok) expect(remove.error.message).toContain('marketdesk config ca --remove FILE');
    const url = await call('settings.servicesUrl', { url: 'https://evil.example.com' });
    expect(url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!url.ok) expect(url.error.message).toContain('marketdesk config services-url URL');
    const reset = await call('settings.servicesUrl', { url: null });
    expect(reset).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    expect(stored()).toEqual(before);
  });

  it('never takes a path for a new CA file from the page', async () => {
    const { call } = core({ pickFile: () => Promise.resolve(null), confirm: () => Promise.resolve(true) });
    const res = await call('settings.addCaFile', { file: pem });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('CA files with the shell dialogs (desktop app)', () => {
  it('says so in app.info', async () => {
    const { call } = core({ pickFile: () => Promise.resolve(null), confirm: () => Promise.resolve(false) });
    expect(value(await call<AppInfo>('app.info')).adminDialogs).toBe(true);
  });

  it('adds the file the admin picks in the shell dialog', async () => {
    const pickFile = vi.fn((_request: PickFileRequest) => Promise.resolve<string | null>(pem));
    const { c, call } = core({ pickFile, confirm: () => Promise.resolve(false) });
    const res = value(await call<CaFilesChange>('settings.addCaFile'));
    expect(res).toEqual({
      changed: true,
      files: [{ file: pem, subjects: ['O=Corp, CN=Corp Root CA'], problem: null }],
    });
    expect(pickFile).toHaveBeenCalledTimes(1);
    expect(pickFile.mock.calls[0]?.[0].filters[0]?.extensions).toContain('pem');
    expect(c.settings.get().network.extraCaFiles).toEqual([pem]);
    // The certificates reach the transports.
    expect((await c.network.runtime()).extraCa).toHaveLength(1);
  });

  it('changes nothing when the pick is cancelled', async () => {
    const { c, call } = core({ pickFile: () => Promise.resolve(null), confirm: () => Promise.resolve(true) });
    expect(value(await call<CaFilesChange>('settings.addCaFile'))).toEqual({ changed: false, files: [] });
    expect(c.settings.get().network.extraCaFiles).toEqual([]);
  });

  it('refuses a picked file without a PEM certificate, with the reason', async () => {
    const { c, call } = core({ pickFile: () => Promise.resolve(der), confirm: () => Promise.resolve(true) });
    const res = await call('settings.addCaFile');
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.message).toMatch(/holds no PEM certificate.*not DER/);
    expect(c.settings.get().network.extraCaFiles).toEqual([]);
  });

  it('removes a file only once the admin confirms, showing the file and its subjects', async () => {
    let answer = false;
    const confirm = vi.fn((_request: ConfirmRequest) => Promise.resolve(answer));
    const { c, call } = core({ confirm, pickFile: () => Promise.resolve(null) });
    c.settings.updateNetwork({ extraCaFiles: [pem] });

    const declined = value(await call<CaFilesChange>('settings.removeCaFile', { file: pem }));
    expect(declined).toMatchObject({ changed: false, files: [{ file: pem }] });
    expect(c.settings.get().network.extraCaFiles).toEqual([pem]);
    const request = confirm.mock.calls[0]?.[0];
    expect(request?.detail.split('\n')[0]).toBe(pem);
    expect(request?.detail).toContain('O=Corp, CN=Corp Root CA');

    answer = true;
    expect(value(await call<CaFilesChange>('settings.removeCaFile', { file: pem }))).toEqual({
      changed: true,
      files: [],
    });
    expect(c.settings.get().network.extraCaFiles).toEqual([]);
  });

  it('refuses to remove a file that is not in the settings, without asking', async () => {
    const confirm = vi.fn(() => Promise.resolve(true));
    const { call } = core({ confirm, pickFile: () => Promise.resolve(null) });
    const res = await call('settings.removeCaFile', { file: '/etc/passwd' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe('settings.servicesUrl with the shell dialogs', () => {
  it('changes the URL only once the admin confirms exactly that URL', async () => {
    let answer = false;
    const confirm = vi.fn((_request: ConfirmRequest) => Promise.resolve(answer));
    const { c, call, stored } = core({ confirm, pickFile: () => Promise.resolve(null) });
    const url = 'https://glpi-network.example.com/';

    const declined = value(await call<ServicesUrlChange>('settings.servicesUrl', { url }));
    expect(declined.changed).toBe(false);
    expect(declined.settings).toMatchObject({ servicesUrl: DEFAULT_SERVICES_URL, servicesUrlSource: 'default' });
    expect(stored()).not.toHaveProperty('servicesUrl');
    expect(confirm.mock.calls[0]?.[0].title).toMatch(/registration key/);
    expect(confirm.mock.calls[0]?.[0].detail.split('\n')[0]).toBe('https://glpi-network.example.com');

    answer = true;
    const changed = value(await call<ServicesUrlChange>('settings.servicesUrl', { url }));
    expect(changed).toMatchObject({
      changed: true,
      settings: { servicesUrl: 'https://glpi-network.example.com', servicesUrlSource: 'setting' },
    });
    expect(c.settings.get().servicesUrl).toBe('https://glpi-network.example.com');

    // The same URL again: nothing to ask.
    confirm.mockClear();
    expect(value(await call<ServicesUrlChange>('settings.servicesUrl', { url })).changed).toBe(false);
    expect(confirm).not.toHaveBeenCalled();

    // Back to the default, shown as such.
    const reset = value(await call<ServicesUrlChange>('settings.servicesUrl', { url: null }));
    expect(reset).toMatchObject({ changed: true, settings: { servicesUrlSource: 'default' } });
    expect(confirm.mock.calls[0]?.[0].detail.split('\n')[0]).toBe(DEFAULT_SERVICES_URL);
  });

  it('checks the stored key against the new URL at once', async () => {
    const { c, call, http } = core({ confirm: () => Promise.resolve(true), pickFile: () => Promise.resolve(null) });
    const asked = (host: string) =>
      http.requests.filter((r) => new URL(r.url).host === host && r.url.endsWith('/api/registration/info'));
    await c.keys.set('eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJURVNUIn0=', { force: true });
    expect(asked('glpi-network.example.com')).toHaveLength(0);

    await call('settings.servicesUrl', { url: 'https://glpi-network.example.com' });
    await vi.waitFor(() => expect(asked('glpi-network.example.com')).toHaveLength(1));
    await vi.waitFor(() => expect(c.keys.status().checking).toBe(false));
    expect(asked('glpi-network.example.com')[0]?.headers['X-Registration-Key']).toBe(
      'eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJURVNUIn0=',
    );
  });

  it('asks nothing when no key is stored', async () => {
    const { call, http } = core({ confirm: () => Promise.resolve(true), pickFile: () => Promise.resolve(null) });
    await call('settings.servicesUrl', { url: 'https://glpi-network.example.com' });
    await new Promise((r) => setTimeout(r, 20));
    expect(http.requests).toHaveLength(0);
  });

  it('refuses an unacceptable URL before asking', async () => {
    const confirm = vi.fn(() => Promise.resolve(true));
    const { call, stored } = core({ confirm, pickFile: () => Promise.resolve(null) });
    for (const url of ['http://glpi-network.example.com', 'https://user:pw@example.com', 'not a url']) {
      const res = await call('settings.servicesUrl', { url });
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!res.ok) expect(res.error.message).toBe(`"${url}" cannot be the GLPI Network services URL.`);
      if (!res.ok) expect(res.error.fix).toMatch(/https:\/\//);
    }
    expect(confirm).not.toHaveBeenCalled();
    expect(stored()).toEqual({});
  });

  it('says that GLPI_NETWORK_SERVICES stays in force when it is set', async () => {
    const confirm = vi.fn((_request: ConfirmRequest) => Promise.resolve(true));
    const { call } = core({
      confirm,
      pickFile: () => Promise.resolve(null),
      servicesUrlFromEnv: 'https://from-env.example.com',
    });
    const res = value(await call<ServicesUrlChange>('settings.servicesUrl', { url: 'https://other.example.com' }));
    expect(res).toMatchObject({ changed: true, settings: { servicesUrlSource: 'env' } });
    expect(confirm.mock.calls[0]?.[0].detail).toContain('GLPI_NETWORK_SERVICES (https://from-env.example.com)');
  });
});

describe('an empty CA file', () => {
  it('is refused like any file with no certificate', async () => {
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, '');
    const { c, call } = core({ pickFile: () => Promise.resolve(empty), confirm: () => Promise.resolve(true) });
    expect(await call('settings.addCaFile')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(c.settings.get().network.extraCaFiles).toEqual([]);
  });
});
