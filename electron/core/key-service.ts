import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { maskKey, normalizeKey } from '../../shared/key-format';
import { checkKeyText } from './doctor/key-checks';
import {
  emptyKeyStatus,
  type KeyState,
  type KeyStatus,
  type KeyStorage,
  type NetworkFailure,
  type RegistrationAnswer,
} from '../../shared/model';
import type { EventHub } from './event-hub';
import { NetworkProblem, type GlpiNetworkClient } from './glpi-network-client';
import { KeychainUnavailableError, type Clock, type KeyValueStore, type Logger, type SecretStore } from './ports';
import type { ProfileSettingsService } from './profile-settings';

/** What is kept on disk about the key: never the key, only its mask, a fingerprint and answers. */
interface KeyRecord {
  masked: string;
  fingerprint: string;
  storage: KeyStorage;
  answer: RegistrationAnswer | null;
  failure: NetworkFailure | null;
  unreachableSince: string | null;
}

export interface KeyServiceDeps {
  keychain: SecretStore;
  /** Holds a session-only key when the admin chose one (the keychain being unavailable). */
  session: SecretStore;
  store: KeyValueStore;
  settings: ProfileSettingsService;
  client: GlpiNetworkClient;
  clock: Clock;
  logger: Logger;
  events: EventHub;
  redact: (secret: string) => void;
  keychainFix: string;
  /** Re-validation period (GLPI caches the answer for a day). */
  intervalMs?: number;
  /** Retry period while GLPI Network is unreachable. */
  retryMs?: number;
  /** 0..1, spreads scheduled checks (default Math.random). */
  random?: () => number;
  /** False while the machine is offline: scheduled checks wait instead of failing (default: online). */
  online?: () => boolean;
}

export const DAY_MS = 86_400_000;
const OFFLINE_RETRY_MS = 5 * 60_000;

/**
 * The registration key's lifecycle: set (validate, then store), status, Sync, forget, and
 * periodic re-validation. Calls are serialised, so a Sync never races a Save.
 */
export class KeyService {
  private checking = false;
  private queue: Promise<unknown> = Promise.resolve();
  private cancelTimer: (() => void) | null = null;
  private nextCheckAt: Date | null = null;
  private readonly intervalMs: number;
  private readonly retryMs: number;

  constructor(private readonly d: KeyServiceDeps) {
    this.intervalMs = d.intervalMs ?? DAY_MS;
    this.retryMs = d.retryMs ?? 3_600_000;
  }

  status(): KeyStatus {
    return this.statusOf(this.record());
  }

  /** The status a record gives (the stored one, or a draft for a key that was not stored). */
  private statusOf(record: KeyRecord | null): KeyStatus {
    const base: KeyStatus = {
      ...emptyKeyStatus(this.d.settings.profile),
      checking: this.checking,
      nextCheckAt: this.nextCheckAt?.toISOString() ?? null,
    };
    if (!record) return base;
    const a = record.answer;
    return {
      ...base,
      state: record.failure ? 'unreachable' : answerState(a),
      maskedKey: record.masked,
      storage: record.storage,
      owner: a?.owner ?? null,
      subscription: a?.subscription ?? null,
      message: a?.message ?? null,
      checkedAt: a?.checkedAt ?? null,
      failure: record.failure,
      unreachableSince: record.unreachableSince,
    };
  }

  /** Validates a pasted key and stores it in the keychain (or for this session only). */
  set(raw: string, options: { force?: boolean; storage?: KeyStorage } = {}): Promise<KeyStatus> {
    return this.serial(async () => {
      const check = normalizeKey(raw);
      if (!check.ok)
        throw new AppError('KEY_MALFORMED', check.message, { fix: check.fix, details: { problem: check.problem } });
      const key = check.key;
      this.d.redact(key);
      const storage = options.storage ?? 'keychain';
      const draft: KeyRecord = {
        masked: maskKey(key),
        fingerprint: fingerprint(key),
        storage,
        answer: null,
        failure: null,
        unreachableSince: null,
      };

      const outcome = await this.validating(() => this.validate(key, draft));
      try {
        return await this.keep(key, storage, outcome, options.force ?? false);
      } catch (err) {
        // Listeners saw "checking"; tell them the stored state did not change.
        this.d.events.emit('key.changed', this.status());
        throw err;
      }
    });
  }

  /** Stores a validated key unless GLPI Network refused it or could not be asked (and not forced). */
  private async keep(key: string, storage: KeyStorage, outcome: KeyRecord, force: boolean): Promise<KeyStatus> {
    if (!force && outcome.failure)
      throw new AppError('KEY_UNVERIFIED', `The key could not be checked: ${outcome.failure.message}`, {
        fix: outcome.failure.fix,
        details: this.preview(outcome),
      });
    if (!force && outcome.answer && !outcome.answer.valid) {
      // A refused key is most often a mangled paste: say what looks wrong in it (never the key itself).
      const hints = checkKeyText(key)
        .filter((c) => (c.state === 'failed' || c.state === 'warning') && c.id !== 'key.text.result')
        .map((c) => c.summary);
      throw new AppError('KEY_INVALID', outcome.answer.message, {
        fix: `${hints.length > 0 ? `${hints.join(' ')} ` : ''}Copy the key again from your GLPI Network account (Registration key), or save it anyway if you are sure.`,
        details: this.preview(outcome),
      });
    }
    await this.storeSecret(key, storage, outcome);
    this.write(outcome);
    this.d.logger.info('Registration key saved', {
      profile: this.d.settings.profile,
      storage,
      state: this.status().state,
    });
    this.schedule();
    return this.changed();
  }

  /** Asks GLPI Network again now. */
  sync(): Promise<KeyStatus> {
    return this.serial(() => this.revalidate());
  }

  /**
   * The services URL changed: the stored answer came from the old address, so ask the new one now
   * (the status goes out as `key.changed`). Nothing to do without a key.
   */
  recheck(): void {
    if (!this.record()) return;
    this.sync().catch((err: unknown) =>
      this.d.logger.warn('Could not check the key against the new services URL', { error: String(err) }),
    );
  }

  /** Removes the key from the keychain and forgets every answer. */
  forget(): Promise<KeyStatus> {
    return this.serial(async () => {
      const record = this.record();
      const account = this.account();
      await this.d.session.delete(account);
      if (record?.storage !== 'session') {
        try {
          await this.d.keychain.delete(account);
        } catch (err) {
          throw this.keychainError(err);
        }
      }
      this.write(null);
      this.cancelTimer?.();
      this.nextCheckAt = null;
      this.d.logger.info('Registration key forgotten', { profile: this.d.settings.profile });
      return this.changed();
    });
  }

  /**
   * The key itself, for the core's own GLPI Network requests (the marketplace). It never crosses
   * the contract: no handler returns it.
   */
  async secret(): Promise<string | null> {
    const record = this.record();
    return record ? this.readSecret(record) : null;
  }

  /** The stored key's fingerprint (caches are keyed by registration, as GLPI does), or null. */
  fingerprint(): string | null {
    return this.record()?.fingerprint ?? null;
  }

  /**
   * Re-validates now if the last answer is older than the period, then on schedule. First checks
   * that the key is still where it was stored: a keychain entry removed outside Marketdesk (or a
   * session key from an earlier run) must not leave a "valid" status with no key behind it.
   */
  start(): void {
    void this.serial(async () => {
      const record = this.record();
      if (!record) return;
      try {
        if ((await this.readSecret(record)) !== null) return;
      } catch (err) {
        // The keychain cannot be asked right now: keep the record and say so in the log.
        this.d.logger.warn('Could not check the stored key at start', { error: String(err) });
        return;
      }
      this.d.logger.warn('The stored key is gone from its store; forgetting its answers', { storage: record.storage });
      this.write(null);
      this.changed();
    }).finally(() => this.schedule());
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async revalidate(): Promise<KeyStatus> {
    const record = this.record();
    if (!record) return this.status();
    const key = await this.readSecret(record);
    if (key === null) {
      // The keychain entry is gone (removed outside Marketdesk, or a session key after a restart).
      this.d.logger.warn('Stored key missing from its store; forgetting the record', { storage: record.storage });
      this.write(null);
      return this.changed();
    }
    this.d.redact(key);
    const outcome = await this.validating(() => this.validate(key, record));
    this.write(outcome);
    this.schedule();
    return this.changed();
  }

  /** Asks GLPI Network about `key`; returns the record updated with the answer or the failure. */
  private async validate(key: string, record: KeyRecord): Promise<KeyRecord> {
    const now = this.d.clock.now().toISOString();
    try {
      const answer = await this.d.client.registrationInfo(key);
      return { ...record, answer, failure: null, unreachableSince: null };
    } catch (err) {
      if (!(err instanceof NetworkProblem)) throw err;
      const failure: NetworkFailure = { cause: err.kind, message: err.message, fix: err.fix, at: now };
      if (err.status !== undefined) failure.status = err.status;
      return { ...record, failure, unreachableSince: record.unreachableSince ?? now };
    }
  }

  private async validating<T>(fn: () => Promise<T>): Promise<T> {
    this.checking = true;
    this.d.events.emit('key.changed', this.status());
    try {
      return await fn();
    } finally {
      this.checking = false;
    }
  }

  private async storeSecret(key: string, storage: KeyStorage, outcome: KeyRecord): Promise<void> {
    const account = this.account();
    if (storage === 'session') {
      await this.d.session.set(account, key);
      return;
    }
    try {
      await this.d.keychain.set(account, key);
      await this.d.session.delete(account);
    } catch (err) {
      throw this.keychainError(err, this.preview(outcome));
    }
  }

  private async readSecret(record: KeyRecord): Promise<string | null> {
    const account = this.account();
    if (record.storage === 'session') return this.d.session.get(account);
    try {
      return await this.d.keychain.get(account);
    } catch (err) {
      throw this.keychainError(err);
    }
  }

  private keychainError(err: unknown, details?: unknown): unknown {
    if (!(err instanceof KeychainUnavailableError)) return err;
    return new AppError('KEYCHAIN_UNAVAILABLE', `The OS keychain cannot be used: ${err.reason}`, {
      fix: this.d.keychainFix,
      details,
    });
  }

  /** The status a draft record would have, for errors about a key that was not stored. */
  private preview(record: KeyRecord): KeyStatus {
    return { ...this.statusOf(record), checking: false, storage: null };
  }

  private schedule(): void {
    this.cancelTimer?.();
    const record = this.record();
    if (!record) {
      this.nextCheckAt = null;
      return;
    }
    const now = this.d.clock.now().getTime();
    const due = record.failure
      ? Date.parse(record.failure.at) + this.retryMs
      : record.answer
        ? Date.parse(record.answer.checkedAt) + this.intervalMs
        : now;
    // Up to 5% later (about an hour a day), so a fleet started together does not ask together.
    const jitter = due > now ? Math.floor((this.d.random ?? Math.random)() * 0.05 * (due - now)) : 0;
    const at = Math.max(now, due + jitter);
    this.nextCheckAt = new Date(at);
    this.cancelTimer = this.d.clock.setTimeout(() => {
      if (this.d.online && !this.d.online()) {
        // Offline: no request, and no "unreachable" on screen for what is only a missing network.
        this.cancelTimer = this.d.clock.setTimeout(() => this.schedule(), OFFLINE_RETRY_MS);
        return;
      }
      void this.sync().catch((err: unknown) =>
        this.d.logger.error('Scheduled key check failed', { error: String(err) }),
      );
    }, at - now);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private changed(): KeyStatus {
    const status = this.status();
    this.d.events.emit('key.changed', status);
    return status;
  }

  private account(): string {
    return `${this.d.settings.installId()}/${this.d.settings.profile}`;
  }

  private recordPath(): string {
    return `profiles.${this.d.settings.profile}.registration`;
  }

  private record(): KeyRecord | null {
    return this.d.store.get<KeyRecord>(this.recordPath()) ?? null;
  }

  private write(record: KeyRecord | null): void {
    if (record) this.d.store.set(this.recordPath(), record);
    else this.d.store.delete(this.recordPath());
  }
}

function answerState(answer: RegistrationAnswer | null): KeyState {
  if (!answer) return 'unreachable';
  if (!answer.valid) return 'invalid';
  if (answer.subscription && !answer.subscription.running) return 'terminated';
  return 'valid';
}

/** A short, non-reversible id of the key, to key caches by registration as GLPI does. */
export function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
