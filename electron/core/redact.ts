/**
 * Removes secrets from anything headed for a log, a report or an error message. Secrets are
 * registered as the core learns them; header values named like credentials are masked whatever
 * their value.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  text(input: string): string {
    let out = input;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out.replace(
      /(x-registration-key|authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
      '$1$2[redacted]',
    );
  }

  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((v) => this.value(v));
    if (input && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) {
        out[k] = /^(x-registration-key|authorization|proxy-authorization|password|key)$/i.test(k)
          ? '[redacted]'
          : this.value(v);
      }
      return out;
    }
    return input;
  }
}
