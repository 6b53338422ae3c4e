import { X509Certificate, createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { AppError } from '../../shared/errors';
import type { NetworkSettings } from '../../shared/model';
import type { PacRunner, SecretStore } from './ports';
import { parsePacAnswer, type PacResult } from './pac';
import { routeFor, type ProxyEnv, type Route } from './proxy';

/** One extra CA file, as read: its certificates, or why it cannot be used. */
export interface CaFile {
  file: string;
  /** PEM blocks of the certificates found (empty when `problem` is set). */
  pems: string[];
  /** Subjects, for the doctor and the settings screen. */
  subjects: string[];
  problem: string | null;
}

/** What a transport needs to send one request the way the settings say. */
export interface NetworkRuntime {
  settings: NetworkSettings;
  env: ProxyEnv;
  route: (url: string) => Route;
  /** `Basic …` for the manual proxy when a user is set, else null. Never logged. */
  proxyAuthorization: string | null;
  /** Extra trusted certificates (PEM), to add to the default roots; empty when none. */
  extraCa: string[];
  /** Changes whenever any of the above does, so transports can cache per version. */
  version: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads one PEM file of extra trusted certificates. */
export async function readCaFile(file: string, read: (file: string) => Promise<string>): Promise<CaFile> {
  let text: string;
  try {
    text = await read(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { file, pems: [], subjects: [], problem: `${file} cannot be read (${code}).` };
  }
  const pems = text.match(PEM_BLOCK) ?? [];
  if (pems.length === 0)
    return {
      file,
      pems: [],
      subjects: [],
      problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----). Export the root certificate as Base-64 (PEM), not DER.`,
    };
  const subjects: string[] = [];
  for (const pem of pems) {
    try {
      subjects.push(new X509Certificate(pem).subject.replace(/\n/g, ', '));
    } catch {
      return { file, pems: [], subjects: [], problem: `${file} holds a certificate that cannot be parsed.` };
    }
  }
  return { file, pems, subjects, problem: null };
}

/**
 * The profile's network settings at run time: the route per URL, the proxy password from the
 * keychain and the extra CA certificates, read once per change and kept.
 */
export class NetworkService {
  private cache: { key: string; runtime: NetworkRuntime; cas: CaFile[] } | null = null;

  constructor(
    private readonly d: {
      settings: () => NetworkSettings;
      secrets: SecretStore;
      profile: string;
      env: ProxyEnv;
      /** Reads a whole text file (FileSystem.readText): the extra CA files. */
      readText: (file: string) => Promise<string>;
      /** Hands secrets (the proxy password, credentials in a proxy URL) to the log redactor. */
      redact?: (secret: string) => void;
      /** Node shells only: fetches and runs the PAC script (Electron leaves PAC to Chromium). */
      pac?: { fetch: (url: string) => Promise<string>; run: PacRunner };
    },
  ) {
    for (const value of Object.values(d.env)) {
      try {
        const u = new URL(value ?? '');
        if (u.password) d.redact?.(decodeURIComponent(u.password));
      } catch {
        // not a URL (NO_PROXY)
      }
    }
  }

  private get account(): string {
    return `proxy-password:${this.d.profile}`;
  }

  async setProxyPassword(password: string | null): Promise<void> {
    if (password === null || password === '') await this.d.secrets.delete(this.account);
    else {
      this.d.redact?.(password);
      await this.d.secrets.set(this.account, password);
    }
    this.cache = null;
  }

  /** Forgets what was read (after the settings or a CA file changed). */
  invalidate(): void {
    this.cache = null;
    this.pacCache = null;
  }

  private pacCache: { url: string; at: number; script: string | null; problem: string | null } | null = null;

  /** The PAC script's answer per URL (the script fetched once an hour), or why there is none. */
  private async pacFor(pacUrl: string): Promise<(url: string) => PacResult | { problem: string }> {
    const fresh = this.pacCache?.url === pacUrl && Date.now() - this.pacCache.at < 3_600_000;
    if (!fresh) {
      try {
        this.pacCache = { url: pacUrl, at: Date.now(), script: await this.d.pac!.fetch(pacUrl), problem: null };
      } catch (err) {
        const problem = `${pacUrl} could not be read: ${err instanceof Error ? err.message : String(err)}`;
        this.pacCache = { url: pacUrl, at: Date.now(), script: null, problem };
      }
    }
    const { script, problem } = this.pacCache!;
    return (url) => {
      if (script === null) return { problem: problem ?? 'no script' };
      try {
        return parsePacAnswer(this.d.pac!.run(script, url));
      } catch (err) {
        return { problem: `its script fails: ${err instanceof Error ? err.message : String(err)}` };
      }
    };
  }

  /** Reads one PEM file of extra trusted certificates. */
  readCaFile(file: string): Promise<CaFile> {
    return readCaFile(file, this.d.readText);
  }

  async caFiles(): Promise<CaFile[]> {
    await this.runtime();
    return this.cache?.cas ?? [];
  }

  async runtime(): Promise<NetworkRuntime> {
    const settings = this.d.settings();
    const key = JSON.stringify(settings);
    if (this.cache?.key === key) return this.cache.runtime;
    const password = settings.proxyUser ? await this.d.secrets.get(this.account).catch(() => null) : null;
    if (password) this.d.redact?.(password);
    const cas = await Promise.all(settings.extraCaFiles.map((f) => this.readCaFile(f)));
    const extraCa = cas.flatMap((c) => c.pems);
    const proxyAuthorization = settings.proxyUser
      ? `Basic ${Buffer.from(`${settings.proxyUser}:${password ?? ''}`).toString('base64')}`
      : null;
    if (proxyAuthorization) this.d.redact?.(proxyAuthorization.slice('Basic '.length));
    const version = createHash('sha256')
      .update(key)
      .update(proxyAuthorization ?? '')
      .update(extraCa.join(''))
      .digest('hex')
      .slice(0, 16);
    const env = this.d.env;
    const pac = settings.proxyMode === 'pac' && this.d.pac ? await this.pacFor(settings.pacUrl) : undefined;
    const runtime: NetworkRuntime = {
      settings,
      env,
      route: (url) => routeFor(url, settings, env, pac),
      proxyAuthorization,
      extraCa,
      version,
    };
    this.cache = { key, runtime, cas };
    return runtime;
  }
}

/** Checks extra CA file paths before they are saved. */
export function checkCaPaths(files: string[]): string[] {
  if (files.length > 20) throw new AppError('INVALID_INPUT', 'At most 20 extra certificate files.');
  return files.map((f) => {
    const file = f.trim();
    if (!isAbsolute(file) || /[\0\r\n]/.test(file))
      throw new AppError('INVALID_INPUT', `"${f}" is not an absolute path to a PEM file.`);
    return file;
  });
}
