import { describe, expect, it } from 'vitest';
import { parsePacAnswer } from './pac';

describe('PAC answers', () => {
  it('reads answers as Chromium does', () => {
    expect(parsePacAnswer('')).toEqual({ kind: 'direct' });
    expect(parsePacAnswer('  proxy  p:1 ; DIRECT')).toEqual({ kind: 'proxy', proxyUrl: 'http://p:1' });
    expect(parsePacAnswer('SOCKS s:1')).toEqual({ kind: 'direct' });
  });
});
