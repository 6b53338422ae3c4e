import type { NetworkCause } from '../../shared/model';

/** One archive download (API doc §2.9), with what GLPI lacks (checklist INS-1, KEY-4, NET-4). */
export interface DownloadRequest {
  /** The catalogue's `download_url`. */
  url: string;
  /** Origin of GLPI Network services: the only origin that receives the key and the uid. */
  servicesOrigin: string;
  /** User-Agent etc. Key, uid and Accept-Encoding given here are ignored: this module sets them. */
  headers: Record<string, string>;
  /** The registration key (sent to `servicesOrigin` only, never in a message). */
  key: string;
  /** The instance id (`X-Glpi-Network-Uid`). */
  uid: string;
  /** Final path. The download goes to `dest + '.part'`, renamed to `dest` on success only. */
  dest: string;
  /** Cap in bytes; default 200 MiB. */
  maxBytes?: number;
  /** No bytes for this long (headers included) → abort as a timeout; default 30 s. */
  stallMs?: number;
  /** Default 5 s (GLPI's). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
  /** Throttled: at most every 100 ms, plus the first and the last. `total` is null without Content-Length. */
  onProgress?: (received: number, total: number | null) => void;
  /** Lower-case or upper-case hex. */
  expectedSha256?: string;
  /** Sees the body as it arrives (e.g. to unpack it meanwhile); it never changes the download's outcome. */
  tap?: DownloadTap;
}

/**
 * A second reader of a download's body, next to the `.part` file. What it is given is not verified
 * yet: only the download's result says whether the archive was whole and the expected one.
 */
export interface DownloadTap {
  /**
   * Once the answer is accepted (status 200, raw bytes, an announced size within the cap), with
   * its Content-Length; false: the tap sees nothing of this download.
   */
  start(total: number | null): Promise<boolean>;
  /**
   * Each chunk, in order, once counted and hashed; the download waits for it (the tap's pace).
   * Never rejects: a tap that cannot go on stops taking and resolves at once.
   */
  write(chunk: Uint8Array): Promise<void>;
  /** The body was received whole (no `error`: every byte announced, none more), or not. */
  end(error?: Error): void;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  /** Lower-case hex. */
  sha256: string;
  contentType: string | null;
  /** The URL that answered 200, after redirects. */
  finalUrl: string;
  /**
   * Container detected from the first bytes (the completeness check used: the end marker of bzip2
   * and zip; gzip is inflated only when the server sent no Content-Length). 'unknown' is not checked.
   */
  format: ArchiveContainer;
}

export type ArchiveContainer = 'gzip' | 'bzip2' | 'zip' | 'unknown';

export const DOWNLOAD_DEFAULTS = {
  maxBytes: 200 * 1024 * 1024,
  stallMs: 30_000,
  connectTimeoutMs: 5_000,
  progressIntervalMs: 100,
  /**
   * Handed to the HttpClient as its whole-exchange timeout: downloads are bounded by the stall
   * timeout instead (a large plugin on a slow link may legitimately take hours).
   */
  totalTimeoutMs: 12 * 60 * 60 * 1000,
} as const;

export const DOWNLOAD_ERROR_CODES = [
  'network',
  'http-status',
  'entitlement',
  'not-found',
  'too-large',
  'truncated',
  'encoding',
  'checksum',
  'disk',
  'cancelled',
] as const;
export type DownloadErrorCode = (typeof DOWNLOAD_ERROR_CODES)[number];

export interface DownloadErrorDetails {
  /** For `network`. */
  networkCause?: NetworkCause;
  /** HTTP status when the server answered. */
  status?: number;
  /** errno (ENOSPC, EACCES, …) for `disk`; the transport code for `network`. */
  errno?: string;
  /** For `entitlement`, when GLPI Network lists them. */
  requiredOffers?: string[];
  /** Bytes received and expected, when known (too-large, truncated). */
  received?: number;
  expected?: number;
}

export class DownloadError extends Error {
  readonly networkCause: NetworkCause | undefined;
  readonly status: number | undefined;
  readonly errno: string | undefined;
  readonly requiredOffers: string[] | undefined;
  readonly received: number | undefined;
  readonly expected: number | undefined;

  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    readonly fix: string,
    details: DownloadErrorDetails = {},
  ) {
    super(message);
    this.name = 'DownloadError';
    this.networkCause = details.networkCause;
    this.status = details.status;
    this.errno = details.errno;
    this.requiredOffers = details.requiredOffers;
    this.received = details.received;
    this.expected = details.expected;
  }
}
