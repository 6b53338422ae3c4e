import { PROFILE_NAME } from '../core/profile-settings';

/** `--profile NAME` or `--profile=NAME` anywhere on the command line; `default` without it. */
export function profileFromArgv(argv: readonly string[]): { profile: string } | { error: string } {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--profile') value = argv[i + 1] ?? '';
    else if (arg?.startsWith('--profile=')) value = arg.slice('--profile='.length);
  }
  if (value === undefined) return { profile: 'default' };
  if (!PROFILE_NAME.test(value))
    return { error: `Invalid profile name "${value.slice(0, 80)}": use letters, digits, - and _ (at most 64).` };
  return { profile: value };
}
