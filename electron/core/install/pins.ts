/**
 * Checksum pinning: the SHA-256 of each plugin archive the first time its key and version were
 * installed (or bundled), in `<dataDir>/pins.json` on this computer, one file per profile.
 *
 * Why a file of its own rather than the settings' KeyValueStore: it grows with every version ever
 * installed, the bundle and manifest code read and write it through the same FileSystem port, and
 * an admin can read or back it up alone. It is written whole and atomically (writeFileAtomic); the
 * writes of this process are queued, so two installs finishing together both land.
 *
 * When the same key and version later come with other bytes (an author who republished the archive
 * in place, or a tampered archive), installPlugin stops with `checksum-changed` before anything is
 * unpacked, unless the admin confirmed that exact new SHA-256 (`acceptNewChecksum`).
 */
import { join } from 'node:path';
import { writeFileAtomic, type FileSystem } from '../ports';
import { InstallError } from './errors';

/** What is known of one key and version. */
export interface Pin {
  sha256: string;
  /** When these bytes were first recorded (ISO 8601). */
  firstSeen: string;
  /** Where they came from: the archive's URL (no query), or `bundle:<file>`. */
  source: string;
  /** Checksums this version had before, oldest first, each replaced after the admin confirmed. */
  replaced?: { sha256: string; until: string }[];
}

interface PinFile {
  format: 1;
  /** By `<key>@<version>`. */
  pins: Record<string, Pin>;
}

/** A pin compared with the bytes at hand. */
export type PinCheck =
  | { kind: 'new' }
  | { kind: 'same'; pin: Pin }
  /** Other bytes, and the admin confirmed exactly these: record them with `replace`. */
  | { kind: 'accepted'; pin: Pin };

const SHA256 = /^[0-9a-f]{64}$/;

export function pinsFile(dataDir: string): string {
  return join(dataDir, 'pins.json');
}

function pinId(key: string, version: string): string {
  return `${key}@${version}`;
}

/** The lower-case form of a SHA-256 the admin typed, or null when it is not one. */
export function normalizeSha256(value: string): string | null {
  const v = value.trim().toLowerCase();
  return SHA256.test(v) ? v : null;
}

/** Writes queued per file in this process (read, change, write atomically). */
const queues = new Map<string, Promise<unknown>>();

/** The pins of one profile. */
export class PinStore {
  constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
  ) {}

  /** Every pin, by `<key>@<version>` (for bundles and manifests). */
  async all(): Promise<Record<string, Pin>> {
    return (await this.read()).pins;
  }

  async get(key: string, version: string): Promise<Pin | null> {
    return (await this.read()).pins[pinId(key, version)] ?? null;
  }

  /**
   * Compares `sha256` with the pin of `key` `version`: nothing pinned yet, the same bytes, or other
   * bytes the admin confirmed (`acceptNewChecksum` equal to `sha256`). Other bytes not confirmed
   * (or confirmed with another checksum) throw InstallError `checksum-changed`.
   */
  async check(key: string, version: string, sha256: string, acceptNewChecksum?: string): Promise<PinCheck> {
    const pin = await this.get(key, version);
    if (!pin) return { kind: 'new' };
    if (pin.sha256 === sha256) return { kind: 'same', pin };
    const accepted = acceptNewChecksum === undefined ? null : normalizeSha256(acceptNewChecksum);
    if (accepted === sha256) return { kind: 'accepted', pin };
    throw new InstallError(
      'download',
      'checksum-changed',
      checksumChangedMessage(key, version, pin, sha256, acceptNewChecksum),
      `Ask the plugin author (or check the plugin's release page) whether ${key} ${version} was republished, and compare the new SHA-256 ${sha256} with the one they publish. If it matches, confirm it: marketdesk install ${key}@${version} --accept-new-checksum ${sha256} (or "Trust the new archive…" in the app). If not, do not install it.`,
      { cause: new ChecksumChanged(key, version, pin.sha256, sha256) },
    );
  }

  /**
   * Records `sha256` for `key` `version` when nothing is pinned yet. With `replace`, a different
   * pin is replaced (the old checksum kept in `replaced`); without it, an existing pin is kept.
   */
  record(
    entry: { key: string; version: string; sha256: string; source: string; at: Date },
    options: { replace?: boolean } = {},
  ): Promise<Pin> {
    const sha256 = normalizeSha256(entry.sha256);
    if (!sha256) return Promise.reject(new TypeError(`${entry.sha256} is not a SHA-256`));
    return this.queued(async () => {
      const file = await this.read();
      const id = pinId(entry.key, entry.version);
      const current = file.pins[id];
      if (current && (current.sha256 === sha256 || !options.replace)) return current;
      const at = entry.at.toISOString();
      const pin: Pin = {
        sha256,
        firstSeen: at,
        source: entry.source,
        ...(current ? { replaced: [...(current.replaced ?? []), { sha256: current.sha256, until: at }] } : {}),
      };
      file.pins[id] = pin;
      await this.fs.mkdir(this.dataDir);
      await writeFileAtomic(this.fs, pinsFile(this.dataDir), JSON.stringify(file, null, 1) + '\n', { mode: 0o600 });
      return pin;
    });
  }

  private async read(): Promise<PinFile> {
    let text: string;
    try {
      text = await this.fs.readText(pinsFile(this.dataDir));
    } catch {
      return { format: 1, pins: {} };
    }
    let parsed: Partial<PinFile> | null = null;
    try {
      parsed = JSON.parse(text) as Partial<PinFile>;
    } catch {
      // reported below
    }
    if (parsed?.format !== 1 || typeof parsed.pins !== 'object' || parsed.pins === null) {
      const file = pinsFile(this.dataDir);
      // Failing closed: without the pins, a republished archive would pass unnoticed.
      throw new InstallError(
        'download',
        'pins-unreadable',
        `The checksum pins in ${file} cannot be read (not a pin file of this Marketdesk).`,
        `Restore ${file} from a backup, or move it away (Marketdesk then starts new pins, trusting the next archives it downloads), then try again.`,
        { where: file },
      );
    }
    return { format: 1, pins: parsed.pins };
  }

  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const file = pinsFile(this.dataDir);
    // The tail never rejects: each write runs after the previous one, whatever its outcome.
    const next = (queues.get(file) ?? Promise.resolve()).then(fn);
    const tail = next.catch(() => undefined);
    queues.set(file, tail);
    void tail.then(() => {
      if (queues.get(file) === tail) queues.delete(file);
    });
    return next;
  }
}

/** The cause of a `checksum-changed` InstallError: both checksums, for the UI and the CLI. */
export class ChecksumChanged extends Error {
  override readonly name = 'ChecksumChanged';
  constructor(
    readonly key: string,
    readonly version: string,
    readonly pinned: string,
    readonly received: string,
  ) {
    super(`${key} ${version}: pinned ${pinned}, received ${received}`);
  }
}

function checksumChangedMessage(
  key: string,
  version: string,
  pin: Pin,
  sha256: string,
  accept: string | undefined,
): string {
  const confirmed =
    accept === undefined
      ? ''
      : ` The checksum you confirmed (${accept}) is not this archive's either: nothing was installed.`;
  return `The archive of ${key} ${version} has changed: its SHA-256 is now ${sha256}, but it was ${pin.sha256} when this version was first installed (${pin.firstSeen}, from ${pin.source}). The author may have republished the archive in place under the same version, or it was tampered with.${confirmed}`;
}
