import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { InstanceRecord } from '../../shared/instances';
import { detectInstance, type InstanceInfo } from './glpi-instance';
import type { Clock, FileSystem, KeyValueStore } from './ports';
import type { ProfileSettingsService } from './profile-settings';

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
    private readonly fs: FileSystem,
  ) {}

  list(): { instances: InstanceRecord[]; active: string | null } {
    return { instances: this.records(), active: this.store.get<string>(this.path('activeInstance')) ?? null };
  }

  /** Adds a GLPI folder after checking it is one; the first instance becomes the active one. */
  async add(root: string, name?: string): Promise<{ record: InstanceRecord; info: InstanceInfo }> {
    const absolute = resolve(root);
    const info = await detectInstance(absolute, this.fs);
    if (info.version === null && info.line === 'unknown')
      throw new AppError('INVALID_INPUT', `${absolute} does not look like a GLPI folder: ${info.problems.join('; ')}`, {
        fix: 'Give the GLPI root folder: the one that holds inc/ (or src/), plugins/ and marketplace/.',
      });
    const chosen = name ?? defaultName(absolute, this.records());
    if (!INSTANCE_NAME.test(chosen))
      throw new AppError(
        'INVALID_INPUT',
        `"${chosen}" is not a usable instance name: letters, digits, ".", "_" and "-".`,
      );
    const records = this.records();
    if (records.some((r) => r.name === chosen))
      throw new AppError('INVALID_INPUT', `An instance named "${chosen}" exists already.`, {
        fix: 'Choose another name with --name.',
      });
    if (records.some((r) => r.root === absolute))
      throw new AppError(
        'INVALID_INPUT',
        `${absolute} is already the instance "${records.find((r) => r.root === absolute)?.name}".`,
      );
    const record: InstanceRecord = { name: chosen, root: absolute, addedAt: this.clock.now().toISOString() };
    this.store.set(this.path('instances'), [...records, record]);
    if (!this.list().active) this.activate(record.name, info);
    return { record, info };
  }

  /** Makes an instance the active one; the catalogue then targets its GLPI version. */
  async use(name: string): Promise<InstanceInfo> {
    const record = this.find(name);
    const info = await detectInstance(record.root, this.fs);
    this.activate(record.name, info);
    return info;
  }

  /** What the named (or active) instance looks like now. */
  async show(name?: string): Promise<{ record: InstanceRecord; info: InstanceInfo }> {
    const record = this.find(name ?? this.requireActive());
    return { record, info: await detectInstance(record.root, this.fs) };
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

function defaultName(root: string, existing: InstanceRecord[]): string {
  const base =
    (root.split(/[\\/]/).filter(Boolean).at(-1) ?? 'glpi').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'glpi';
  let name = base;
  for (let i = 2; existing.some((r) => r.name === name); i++) name = `${base}-${i}`;
  return name;
}
