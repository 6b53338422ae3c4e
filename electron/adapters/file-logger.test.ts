import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../core/redact';
import { createFileLogger } from './file-logger';

const KEY = 'eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJHTFBJLU5FVC1ERU1PIn0-secret-key';

describe('the log file', () => {
  it('never writes the key or a proxy password, in messages, data or header-like values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-log-'));
    const redactor = new Redactor();
    redactor.add(KEY);
    redactor.add('pr0xy-s3cret');
    const log = createFileLogger(dir, redactor);
    log.info(`validating ${KEY}`);
    log.warn('request failed', { headers: { 'X-Registration-Key': KEY, 'Proxy-Authorization': 'Basic Ym9iOnB3' } });
    log.error('proxy said no', { detail: 'http://bob:pr0xy-s3cret@proxy:3128 refused', password: 'anything' });
    const text = readFileSync(join(dir, 'logs', 'marketdesk.log'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('pr0xy-s3cret');
    expect(text).not.toContain('Ym9iOnB3');
    expect(text).not.toContain('anything');
    expect(text.trim().split('\n')).toHaveLength(3);
  });

  it('rotates at the size limit and keeps the last generations only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-log-'));
    const log = createFileLogger(dir, new Redactor(), { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${'x'.repeat(50)}`);
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['marketdesk.1.log', 'marketdesk.2.log', 'marketdesk.log']);
    for (const f of files) expect(readFileSync(join(dir, 'logs', f)).length).toBeLessThanOrEqual(1000);
    expect(readFileSync(join(dir, 'logs', 'marketdesk.log'), 'utf8')).toContain('line 99 ');
    expect(readFileSync(join(dir, 'logs', 'marketdesk.2.log'), 'utf8')).not.toContain('line 0 ');
  });

  it('follows the level, and a new level from now on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-log-'));
    const log = createFileLogger(dir, new Redactor(), { level: 'warn' });
    log.info('not written');
    log.setLevel('debug');
    log.debug('written');
    const text = readFileSync(join(dir, 'logs', 'marketdesk.log'), 'utf8');
    expect(text).not.toContain('not written');
    expect(text).toContain('written');
  });
});
