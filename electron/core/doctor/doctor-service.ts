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
import { english, ref, type MessageRef } from '../../../shared/messages/ref';
import { skipped, withTitleRef } from './check';
import {
  archiveCheck,
  marketplaceCheck,
  registrationCheck,
  runConnectivityProbe,
  stepCheck,
  type ConnectivityPort,
  type ConnectivityReport,
  type RouteDecision,
} from './connectivity';
import type { InstanceRecord } from '../../../shared/instances';
import type { InstanceTarget } from '../instance-access';
import type { FileSystem } from '../ports';
import { checkInstance, type DoctorPlatform, type PhpProbe } from './instance-checks';
import { ID, T } from './instance/common';
import { createPhpProbe, findPhp } from './php-probe';
import {
  failedSshStep,
  failureOutcome,
  remoteUser,
  runSshSteps,
  notCheckedBecause,
  sshSection,
  sshSectionTitle,
  withFailure,
  type SshInstance,
} from './ssh-checks';
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
    const record = this.chosenInstance(options.instance);
    const sections: DoctorSection[] = [
      section(ref('doctor.section.network', { url: settings.servicesUrl }), 'network', network),
      section(ref('doctor.section.key'), 'key', this.keyChecks(secret)),
    ];
    if (record?.ssh) {
      const ssh = await this.sshChecks({ ...record, ssh: record.ssh }, options.signal);
      sections.push(
        section(sshSectionTitle(record.ssh), 'ssh', ssh.checks),
        section(ref('doctor.section.instance'), 'instance', ssh.instance),
      );
    } else sections.push(section(ref('doctor.section.instance'), 'instance', await this.instanceChecks(record)));
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
      skipped(id, title, ref('doctor.notChecked.network', { step: failedStep(report) }));
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

    // The registration answer and one marketplace page, through the app's own client (same headers,
    // retries and proxy), then the host archives come from.
    checks.push(await registrationCheck(this.d.keys, secret));
    const marketplace = { client: this.d.client, uid: () => this.d.settings.uid() };
    const { check, archiveUrl } = await marketplaceCheck(marketplace, base, secret);
    checks.push(check);
    const probe = async (url: string) => (await this.probe(url, signal)).report;
    checks.push(await archiveCheck(probe, base, archiveUrl));
    return checks;
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

  /** The instance `name` names, else the active one; null when there is none. */
  private chosenInstance(name?: string): InstanceRecord | null {
    const list = this.d.instances.list();
    const chosen = name ?? list.active;
    if (!chosen) return null;
    const record = list.instances.find((i) => i.name === chosen);
    if (!record) throw new AppError('INVALID_INPUT', `No instance named "${chosen}".`);
    return record;
  }

  /** A folder of this computer, through this computer's files and php. */
  private async instanceChecks(record: InstanceRecord | null): Promise<Check[]> {
    if (!record) return [skipped('instance.root', 'GLPI instance', ref('doctor.notChecked.noInstance'))];
    const php = await this.d.ports.php(this.d.settings.get().glpiConsole.php || null).catch(() => null);
    return checkInstance(record.root, {
      fs: this.d.fs,
      php,
      platform: this.d.ports.platform(),
      servicesUrl: this.d.settings.get().servicesUrl,
    });
  }

  /**
   * A GLPI server: the SSH steps, then the instance checks on the server itself (its files, its
   * php, its /etc), through the instance's target; they are skipped when an SSH step failed.
   */
  private async sshChecks(record: SshInstance, signal?: AbortSignal): Promise<{ checks: Check[]; instance: Check[] }> {
    const access = this.d.instances.access;
    let outcomes = await runSshSteps(record, {
      probe: this.d.ports.probe,
      connect: () => access.connectAsSshUser(record),
      ...(signal ? { signal } : {}),
    });
    let instance: Check[] | null = null;
    if (!failedSshStep(outcomes)) {
      try {
        instance = await this.remoteInstanceChecks(record, (await this.d.instances.show(record.name)).target);
      } catch (err) {
        outcomes = withFailure(outcomes, failureOutcome(record, err));
      }
    }
    const why = notCheckedBecause(failedSshStep(outcomes));
    return {
      checks: sshSection(record, outcomes),
      instance: instance ?? Object.entries(ID).map(([key, id]) => skipped(id, T[key as keyof typeof T], why)),
    };
  }

  private async remoteInstanceChecks(record: SshInstance, target: InstanceTarget): Promise<Check[]> {
    const configured = this.d.settings.get().glpiConsole.php || null;
    const runner = target.processes;
    const phpPath = runner ? (configured ?? (await findPhp(target.fs, target))) : null;
    const platform: DoctorPlatform = {
      os: target.platform,
      user: runner ? await remoteUser(runner) : null,
      etcDir: '/etc',
      where: 'the server',
    };
    const php = runner && phpPath ? createPhpProbe(runner, phpPath) : null;
    return checkInstance(record.root, { fs: target.fs, php, platform, servicesUrl: this.d.settings.get().servicesUrl });
  }
}

function section(title: MessageRef, id: DoctorSection['id'], checks: Check[]): DoctorSection {
  return { id, title: english(title), titleRef: title, checks: checks.map(withTitleRef) };
}

/** The step that failed (its id, which the catalogue names), or '' when none did. */
function failedStep(report: ConnectivityReport): string {
  return report.steps.find((s) => s.state === 'failed')?.id ?? '';
}
