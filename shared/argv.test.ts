import { describe, expect, it } from 'vitest';
import { parseArgv } from './argv';

describe('parseArgv', () => {
  it('splits words, flags and value options, in both spellings', () => {
    const args = parseArgv(
      ['key', '--json', '--profile', 'lab', 'status', '--name=a=b', '-h'],
      ['--profile', '--name'],
    );
    expect(args.words).toEqual(['key', 'status']);
    expect([...args.flags]).toEqual(['--json', '-h']);
    expect(Object.fromEntries(args.values)).toEqual({ '--profile': 'lab', '--name': 'a=b' });
  });

  it('keeps the last value, and gives a value option at the end the value ""', () => {
    expect(parseArgv(['--port', '1', '--port=2'], ['--port']).values.get('--port')).toBe('2');
    expect(parseArgv(['--port'], ['--port']).values.get('--port')).toBe('');
  });

  it('treats an option that takes no value as a flag, even with =', () => {
    const args = parseArgv(['--no-sandbox', '--inspect=9229'], ['--profile']);
    expect([...args.flags]).toEqual(['--no-sandbox', '--inspect=9229']);
    expect(args.values.size).toBe(0);
  });
});
