import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { InstanceRecord, SshAddOptions, SshSettings } from '../../shared/instances';
import { parseSshTarget, SshTargetError, type SshTarget } from '../../shared/ssh-target';
import { detectInstance, type InstanceInfo } from './glpi-instance';
import type { InstanceAccess, InstanceTarget } from './instance-access';
import type { Clock, KeyValueStore } from './ports';
import type { ProfileSettingsService } from './profile-settings';

/** An instance as the services use it: its record, what its files say, and how to reach them. */
export interface OpenInstance {
  record: InstanceRecord;
  info: InstanceInfo;
  target: InstanceTarget;
}

export const INSTANCE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The GLPI instances of a profile: several, one active at a time. The active instance's detected
 * GLPI version becomes the catalogue's target version.
 */
export class InstanceService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly settings: ProfileSettingsService,
    private readonly clock: Clock,
    readonly access: InstanceAccess,
  ) {}

  /** Called once per new SSH connection, before the instance is used (crash recovery). */
  onConnected: ((name: string, target: InstanceTarget, info: InstanceInfo) => Promise<void>) | null = null;

  list(): { instances: InstanceRecord[]; active: string | null } {
    return { instances: this.records(), active: this.store.get<string>(this.path('activeInstance')) ?? null };
  }

  /**
   * Adds a GLPI folder, or a GLPI server as `ssh://user@host[:port]/path`, after checking it is
   * one; the first instance becomes the active one.
   */
  async add(root: string, name?: string, ssh?: SshAddOptions): Promise<{ record: InstanceRecord; info: InstanceInfo }> {
    if (/^ssh:\/\//i.test(root)) return this.addSsh(root, name, ssh ?? { auth: 'agent' });
    if (ssh) throw new AppError('INVALID_INPUT', 'SSH options are for an ssh://user@host/path address.');
    const absolute = resolve(root);
    const info = await detectInstance(absolute, this.access.local().fs);
    if (info.version === null && info.line === 'unknown')
      throw new AppError('INVALID_INPUT', `${absolute} does not look like a GLPI folder: ${info.problems.join('; ')}`, {
        fix: 'Give the GLPI root folder: the one that holds inc/ (or src/), plugins/ and marketplace/.',
      });
    const records = this.records();
    const existing = records.find((r) => !r.ssh && r.root === absolute);
    if (existing) throw new AppError('INVALID_INPUT', `${absolute} is already the instance "${existing.name}".`);
    const chosen = this.newName(name, lastSegment(absolute));
    return this.save({ name: chosen, root: absolute, addedAt: this.clock.now().toISOString() }, info);
  }

  private async addSsh(
    address: string,
    name: string | undefined,
    options: SshAddOptions,
  ): Promise<{ record: InstanceRecord; info: InstanceInfo }> {
    let target: SshTarget;
    try {
      target = parseSshTarget(address);
    } catch (err) {
      if (err instanceof SshTargetError) throw new AppError('INVALID_INPUT', err.message);
      throw err;
    }
    const { host, port, user, path } = target;
    const existing = this.records().find(
      (r) => r.ssh && r.ssh.host === host && r.ssh.port === port && r.ssh.user === user && r.root === path,
    );
    if (existing) throw new AppError('INVALID_INPUT', `${address} is already the instance "${existing.name}".`);
    const chosen = this.newName(name, host.split('.')[0] ?? host);
    if (options.auth === 'password' && !options.secret)
      throw new AppError('INVALID_INPUT', `Enter the SSH password of ${user}@${host}.`);
    if (options.auth === 'key' && !options.keyFile)
      throw new AppError('INVALID_INPUT', 'Choose the private key file (e.g. ~/.ssh/id_ed25519).');
    const settings: Omit<SshSettings, 'hostKey' | 'secretSaved'> = {
      host,
      port,
      user,
      auth: options.auth,
      ...(options.auth === 'key' && options.keyFile ? { keyFile: resolve(options.keyFile) } : {}),
      ...(options.sudoUser ? { sudoUser: options.sudoUser } : {}),
    };
    const session = await this.access.connect({
      name: chosen,
      ssh: settings,
      ...(options.secret ? { secret: options.secret } : {}),
      ...(options.acceptHostKey ? { acceptFingerprint: options.acceptHostKey } : {}),
    });
    let info: InstanceInfo;
    try {
      info = await detectInstance(path, session.fs);
    } finally {
      session.close();
    }
    if (info.version === null && info.line === 'unknown')
      throw new AppError('INVALID_INPUT', `${address} does not look like a GLPI folder: ${info.problems.join('; ')}`, {
        fix: 'Give the GLPI root folder on the server: the one that holds inc/ (or src/), plugins/ and marketplace/.',
      });
    // A password is only ever kept in the keychain; a passphrase there when the admin asks.
    const secretSaved = options.secret !== undefined && (options.auth === 'password' || options.saveSecret === true);
    await this.access.keepSecret(chosen, options.secret, secretSaved);
    const record: InstanceRecord = {
      name: chosen,
      root: path,
      addedAt: this.clock.now().toISOString(),
      ssh: { ...settings, secretSaved, hostKey: session.hostKey },
    };
    return this.save(record, info);
  }

  private newName(asked: string | undefined, base: string): string {
    const records = this.records();
    const chosen = asked ?? defaultName(base, records);
    if (!INSTANCE_NAME.test(chosen))
      throw new AppError(
        'INVALID_INPUT',
        `"${chosen}" is not a usable instance name: letters, digits, ".", "_" and "-".`,
      );
    if (records.some((r) => r.name === chosen))
      throw new AppError('INVALID_INPUT', `An instance named "${chosen}" exists already.`, {
        fix: 'Choose another name with --name.',
      });
    return chosen;
  }

  private save(record: InstanceRecord, info: InstanceInfo): { record: InstanceRecord; info: InstanceInfo } {
    this.store.set(this.path('instances'), [...this.records(), record]);
    if (!this.list().active) this.activate(record.name, info);
    return { record, info };
  }

  /**
   * Forgets an instance: its record, its SSH session and secrets. Nothing in its folder is touched
   * (its plugins, backups and history stay). The first remaining instance becomes the active one.
   */
  async remove(name: string): Promise<void> {
    const record = this.find(name);
    await this.access.forget(record.name);
    const rest = this.records().filter((r) => r.name !== record.name);
    this.store.set(this.path('instances'), rest);
    if (this.list().active === record.name) {
      if (rest[0]) this.store.set(this.path('activeInstance'), rest[0].name);
      else this.store.delete(this.path('activeInstance'));
    }
  }

  /** Makes an instance the active one; the catalogue then targets its GLPI version. */
  async use(name: string): Promise<InstanceInfo> {
    const { record, info } = await this.open(name);
    this.activate(record.name, info);
    return info;
  }

  /** What the named (or active) instance looks like now, and how to reach its files. */
  show(name?: string): Promise<OpenInstance> {
    return this.open(name ?? this.requireActive());
  }

  private async open(name: string): Promise<OpenInstance> {
    const record = this.find(name);
    const { target, fresh } = await this.access.open(record);
    const info = await detectInstance(record.root, target.fs);
    if (fresh && this.onConnected) await this.onConnected(record.name, target, info);
    return { record, info, target };
  }

  requireActive(): string {
    const active = this.list().active;
    if (!active)
      throw new AppError('INVALID_INPUT', 'No GLPI instance is configured for this profile.', {
        fix: 'Add one: marketdesk instance add /var/www/glpi',
      });
    return active;
  }

  private activate(name: string, info: InstanceInfo): void {
    this.store.set(this.path('activeInstance'), name);
    if (info.version) this.settings.update({ glpiVersion: info.version });
  }

  private find(name: string): InstanceRecord {
    const record = this.records().find((r) => r.name === name);
    if (!record)
      throw new AppError('INVALID_INPUT', `No instance named "${name}".`, {
        fix: 'See them with: marketdesk instance list',
      });
    return record;
  }

  private records(): InstanceRecord[] {
    return this.store.get<InstanceRecord[]>(this.path('instances')) ?? [];
  }

  private path(leaf: string): string {
    return `profiles.${this.settings.profile}.${leaf}`;
  }
}

function lastSegment(root: string): string {
  return root.split(/[\\/]/).filter(Boolean).at(-1) ?? 'glpi';
}

function defaultName(seed: string, existing: InstanceRecord[]): string {
  const base = seed.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'glpi';
  let name = base;
  for (let i = 2; existing.some((r) => r.name === name); i++) name = `${base}-${i}`;
  return name;
}
