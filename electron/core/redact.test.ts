import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger } from '../adapters/file-logger';
import { Redactor } from './redact';

const KEY = 'eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJBQ01FIn0secretsecret';

describe('Redactor and the file logger', () => {
  it('removes registered secrets and credential headers from text and data', () => {
    const r = new Redactor();
    r.add(KEY);
    expect(r.text(`failed with key ${KEY} twice ${KEY}`)).toBe('failed with key [redacted] twice [redacted]');
    expect(r.text('X-Registration-Key: abcdefgh1234 next')).toBe('X-Registration-Key: [redacted] next');
    expect(r.text('{"x-registration-key":"abcdefgh1234"}')).toBe('{"x-registration-key":"[redacted]"}');
    expect(r.value({ headers: { 'X-Registration-Key': 'zzz', Accept: 'json' }, nested: [`k=${KEY}`] })).toEqual({
      headers: { 'X-Registration-Key': '[redacted]', Accept: 'json' },
      nested: ['k=[redacted]'],
    });
  });

  it('never writes a registered key to the log file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-log-'));
    const r = new Redactor();
    const logger = createFileLogger(dir, r);
    r.add(KEY);
    logger.error(`request with ${KEY} failed`, {
      request: { headers: { 'x-registration-key': KEY } },
      raw: `Header: ${KEY}`,
    });
    logger.debug('below the level', { key: KEY });
    const text = readFileSync(join(dir, 'logs', 'marketdesk.log'), 'utf8');
    expect(text).toContain('request with [redacted] failed');
    expect(text).not.toContain(KEY);
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
