/**
 * The doctor (issue 5): runs the network path step by step, the key checks and the instance checks,
 * and gives one report with each check's state and fix, as data and as redacted Markdown.
 */
import { worstState, type Check, type DoctorReport, type DoctorSection } from '../../../shared/doctor';
import { AppError } from '../../../shared/errors';
import type { GlpiNetworkClient } from '../glpi-network-client';
import type { InstanceService } from '../instance-service';
import type { KeyService } from '../key-service';
import type { NetworkService } from '../network-service';
import type { ProfileSettingsService } from '../profile-settings';
import type { Route } from '../proxy';
import { Redactor } from '../redact';
import { skipped } from './check';
import {
  runConnectivityProbe,
  type ConnectivityPort,
  type ConnectivityReport,
  type RouteDecision,
  type StepResult,
} from './connectivity';
import type { FileSystem } from '../ports';
import { checkInstance, type DoctorPlatform, type PhpProbe } from './instance-checks';
import { checkKeyState, checkKeyText } from './key-checks';
import { doctorMarkdown } from './report';

/** What the doctor needs from the shell besides the core's FileSystem: sockets, php, and Chromium's proxy decision. */
export interface DoctorPorts {
  probe: ConnectivityPort<unknown>;
  platform: () => DoctorPlatform;
  /** A probe for `php` (the configured path, else the one on PATH), or null when there is none. */
  php: (configured: string | null) => Promise<PhpProbe | null>;
  /** Electron only: `session.resolveProxy(url)` ("PROXY host:port; DIRECT"), for system and PAC modes. */
  resolveProxy?: (url: string) => Promise<string>;
}

export interface DoctorDeps {
  ports: DoctorPorts;
  /** The instances' files (the core's FileSystem). */
  fs: FileSystem;
  settings: ProfileSettingsService;
  network: NetworkService;
  keys: KeyService;
  client: GlpiNetworkClient;
  instances: InstanceService;
  shell: string;
  now: () => Date;
}

const STEP_TITLES: Record<StepResult['id'], string> = {
  route: 'Proxy decision',
  dns: 'DNS resolution',
  tcp: 'TCP connection',
  tls: 'TLS handshake',
  http: 'HTTP answer',
  clock: 'Clock',
};

export class DoctorService {
  constructor(private readonly d: DoctorDeps) {}

  /** Runs every check; `instance` names one (else the active one, if any). Never throws for a finding. */
  async run(options: { instance?: string; signal?: AbortSignal } = {}): Promise<DoctorReport> {
    const settings = this.d.settings.get();
    const rt = await this.d.network.runtime();
    const secret = await this.d.keys.secret();
    const redactor = new Redactor();
    if (secret) redactor.add(secret);
    if (rt.proxyAuthorization) {
      redactor.add(rt.proxyAuthorization);
      const decoded = Buffer.from(rt.proxyAuthorization.replace(/^Basic /, ''), 'base64').toString();
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (password) redactor.add(password);
    }

    const network = await this.networkChecks(secret, options.signal);
    const sections: DoctorSection[] = [
      { id: 'network', title: `Reaching GLPI Network (${settings.servicesUrl})`, checks: network },
      { id: 'key', title: 'Registration key', checks: this.keyChecks(secret) },
      { id: 'instance', title: 'GLPI instance', checks: await this.instanceChecks(options.instance) },
    ];
    // Whatever a check quoted (an error text, a header), the key and the proxy password never leave.
    const clean = sections.map((s) => ({ ...s, checks: s.checks.map((c) => redactor.value(c) as Check) }));
    const report: Omit<DoctorReport, 'markdown'> = {
      at: this.d.now().toISOString(),
      profile: settings.profile,
      shell: this.d.shell,
      servicesUrl: settings.servicesUrl,
      state: worstState(clean.flatMap((s) => s.checks)),
      sections: clean,
    };
    return { ...report, markdown: redactor.text(doctorMarkdown(report)) };
  }

  private async routeFor(url: string): Promise<{ decision: RouteDecision; why: string }> {
    const rt = await this.d.network.runtime();
    const mode = rt.settings.proxyMode;
    if (this.d.ports.resolveProxy && (mode === 'system' || mode === 'pac')) {
      const answer = await this.d.ports.resolveProxy(url).catch(() => 'DIRECT');
      const first = answer.split(';')[0]?.trim() ?? 'DIRECT';
      const m = /^(PROXY|HTTPS)\s+(\S+)$/i.exec(first);
      const why = `${mode === 'pac' ? 'The PAC script' : 'The system proxy settings'} say: ${answer || 'DIRECT'}.`;
      if (!m) return { decision: { kind: 'direct' }, why };
      const scheme = m[1]?.toUpperCase() === 'HTTPS' ? 'https' : 'http';
      return { decision: { kind: 'proxy', proxyUrl: `${scheme}://${m[2] ?? ''}` }, why };
    }
    const route: Route = rt.route(url);
    if (route.kind === 'direct') return { decision: { kind: 'direct' }, why: route.why };
    const authorization = route.source === 'setting' ? (rt.proxyAuthorization ?? undefined) : undefined;
    return {
      decision: { kind: 'proxy', proxyUrl: route.proxyUrl, ...(authorization ? { authorization } : {}) },
      why: route.why,
    };
  }

  private async probe(url: string, signal?: AbortSignal): Promise<{ report: ConnectivityReport; why: string }> {
    const { decision, why } = await this.routeFor(url);
    const rt = await this.d.network.runtime();
    const report = await runConnectivityProbe(this.d.ports.probe, {
      url,
      route: decision,
      headers: { 'User-Agent': this.d.client.userAgent(), Accept: 'application/json' },
      extraCaPems: rt.extraCa,
      now: this.d.now,
      platform: this.d.ports.platform().os,
      ...(signal ? { signal } : {}),
    });
    return { report, why };
  }

  private async networkChecks(secret: string | null, signal?: AbortSignal): Promise<Check[]> {
    const base = this.d.settings.get().servicesUrl.replace(/\/+$/, '');
    const { report, why } = await this.probe(`${base}/api/registration/`, signal);
    const checks: Check[] = report.steps.map((s) => stepCheck(s, s.id === 'route' ? why : undefined));
    const after = (id: string, title: string) =>
      skipped(id, title, `Not checked: the connection to GLPI Network failed first (${failedStepTitle(report)}).`);
    if (report.state === 'failed') {
      // Still ask, through the app's client: the key's status then says "valid, but unreachable from here".
      if (secret) await this.d.keys.sync().catch(() => undefined);
      checks.push(
        after('network.registration', 'Registration answer'),
        after('network.marketplace', 'Marketplace page'),
        after('network.archive', 'Archive host'),
      );
      return checks;
    }

    // The registration answer, through the app's own client (same headers, retries and proxy).
    if (!secret) {
      checks.push(skipped('network.registration', 'Registration answer', 'No registration key is stored.'));
    } else {
      const status = await this.d.keys.sync();
      checks.push(
        status.failure
          ? {
              id: 'network.registration',
              title: 'Registration answer',
              state: 'failed',
              summary: `GLPI Network could not be asked: ${status.failure.message}`,
              fix: status.failure.fix,
              details: { cause: status.failure.cause },
            }
          : {
              id: 'network.registration',
              title: 'Registration answer',
              state: 'ok',
              summary: `GLPI Network answered: the key is ${status.state === 'valid' ? 'valid' : status.state}.`,
              details: { answer: status.message ?? status.state },
            },
      );
    }

    // One marketplace page, and from it, where archives come from.
    const { check, archiveUrl } = await this.marketplaceCheck(base, secret);
    checks.push(check);
    // Often another host (GitHub releases), which the firewall and the proxy must allow too.
    checks.push(await this.archiveCheck(base, archiveUrl, signal));
    return checks;
  }

  private async marketplaceCheck(
    base: string,
    secret: string | null,
  ): Promise<{ check: Check; archiveUrl: string | null }> {
    const id = 'network.marketplace';
    const title = 'Marketplace page';
    if (!secret)
      return {
        check: skipped(id, title, 'No registration key is stored: GLPI Network lists plugins to registered instances.'),
        archiveUrl: null,
      };
    try {
      const answer = await this.d.client.request('/api/marketplace/plugins', {
        Accept: 'application/json',
        'X-Registration-Key': secret,
        'X-Glpi-Network-Uid': this.d.settings.uid(),
        'X-Range': '0-19',
      });
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        parsed = undefined;
      }
      if ((answer.status === 200 || answer.status === 206) && Array.isArray(parsed))
        return {
          check: {
            id,
            title,
            state: 'ok',
            summary: `${base}/api/marketplace/plugins answered a page of the catalogue.`,
          },
          archiveUrl: firstDownloadUrl(parsed),
        };
      const check: Check = {
        id,
        title,
        state: 'failed',
        summary: `${base}/api/marketplace/plugins answered HTTP ${answer.status}${Array.isArray(parsed) ? '' : ' without a plugin list'}.`,
        fix:
          answer.status === 401 || answer.status === 403
            ? 'GLPI Network refuses the catalogue to this key: check the key and its subscription (Sync on the key screen).'
            : 'Something between this machine and GLPI Network (a proxy or a filtering gateway) answers instead of it. Allow the services host in the proxy or firewall.',
      };
      return { check, archiveUrl: null };
    } catch (err) {
      const e = err as { message?: string; fix?: string };
      return {
        check: { id, title, state: 'failed', summary: e.message ?? String(err), ...(e.fix ? { fix: e.fix } : {}) },
        archiveUrl: null,
      };
    }
  }

  private async archiveCheck(base: string, url: string | null, signal?: AbortSignal): Promise<Check> {
    const id = 'network.archive';
    const title = 'Archive host';
    if (!url) return skipped(id, title, 'The marketplace page named no archive, so its host could not be checked.');
    const archive = new URL(url);
    if (archive.origin === new URL(base).origin)
      return {
        id,
        title,
        state: 'ok',
        summary: `Archives come from GLPI Network itself (${archive.host}): checked above.`,
      };
    const { report } = await this.probe(url, signal);
    const failed = report.steps.find((s) => s.state === 'failed');
    const warned = report.steps.find((s) => s.state === 'warning');
    return {
      id,
      title,
      state: report.state,
      summary: failed
        ? `Archives come from ${archive.host}, which cannot be reached: ${failed.summary}`
        : `Archives come from ${archive.host}, reachable${warned ? ` (${warned.summary})` : ''}.`,
      details: Object.fromEntries(report.steps.map((s) => [STEP_TITLES[s.id], `${s.state}: ${s.summary}`])),
      ...(failed?.fix ? { fix: failed.fix } : warned?.fix ? { fix: warned.fix } : {}),
    };
  }

  private keyChecks(secret: string | null): Check[] {
    const status = this.d.keys.status();
    const text = secret ? checkKeyText(secret).filter((c) => c.state !== 'ok' && c.state !== 'skipped') : [];
    return [
      ...text,
      ...checkKeyState({
        status,
        backend: status.storage ?? 'keychain',
        backendPersists: status.storage !== 'session',
      }),
    ];
  }

  private async instanceChecks(name?: string): Promise<Check[]> {
    const list = this.d.instances.list();
    const chosen = name ?? list.active;
    if (!chosen) return [skipped('instance.root', 'GLPI instance', 'No GLPI instance is configured in this profile.')];
    const record = list.instances.find((i) => i.name === chosen);
    if (!record) throw new AppError('INVALID_INPUT', `No instance named "${chosen}".`);
    const php = await this.d.ports.php(this.d.settings.get().glpiConsole.php || null).catch(() => null);
    return checkInstance(record.root, { fs: this.d.fs, php, platform: this.d.ports.platform() });
  }
}

/** The download address of the first version of the first plugin of a marketplace page, if any. */
function firstDownloadUrl(page: unknown[]): string | null {
  for (const plugin of page) {
    const versions = (plugin as { versions?: unknown }).versions;
    if (!Array.isArray(versions)) continue;
    for (const v of versions) {
      const url = (v as { download_url?: unknown }).download_url;
      if (typeof url === 'string' && /^https?:\/\//.test(url)) return url;
    }
  }
  return null;
}

function stepCheck(step: StepResult, routeWhy?: string): Check {
  return {
    id: `network.${step.id}`,
    title: STEP_TITLES[step.id],
    state: step.state,
    summary: step.state === 'skipped' ? step.summary : `${step.summary} (${step.ms} ms)`,
    ...(step.details || routeWhy ? { details: { ...step.details, ...(routeWhy ? { why: routeWhy } : {}) } } : {}),
    ...(step.fix ? { fix: step.fix } : {}),
  };
}

function failedStepTitle(report: ConnectivityReport): string {
  const failed = report.steps.find((s) => s.state === 'failed');
  return failed ? STEP_TITLES[failed.id].toLowerCase() : 'unknown step';
}
