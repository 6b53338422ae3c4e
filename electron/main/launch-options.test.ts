import { describe, expect, it } from 'vitest';
import { profileFromArgv } from './launch-options';

describe('profileFromArgv', () => {
  it.each([
    [['/opt/Marketdesk/marketdesk'], { profile: 'default' }],
    [['electron', 'dist/node/main.js', '--profile', 'lab'], { profile: 'lab' }],
    [['marketdesk', '--profile=prod_2'], { profile: 'prod_2' }],
    [['marketdesk', '--no-sandbox', '--profile', 'a-b'], { profile: 'a-b' }],
  ])('%j -> %j', (argv, expected) => {
    expect(profileFromArgv(argv)).toEqual(expected);
  });

  it.each([
    [['marketdesk', '--profile']],
    [['marketdesk', '--profile', '../../etc']],
    [['marketdesk', '--profile=a.b']],
    [['marketdesk', '--profile', 'x'.repeat(65)]],
    [['marketdesk', '--profile', '']],
  ])('refuses %j', (argv) => {
    expect(profileFromArgv(argv)).toHaveProperty('error');
  });
});
