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

/** Chromium's locale (`en-US`, `fr`, `es-419`) in the form the core uses (`en_US`, `fr`). */
export function toSystemLanguage(locale: string): string {
  const match = /^([a-z]{2,3})(?:[-_]([A-Za-z0-9]{2,3}))?/.exec(locale.trim());
  if (!match?.[1]) return 'en_US';
  return match[2] ? `${match[1]}_${match[2].toUpperCase()}` : match[1];
}
