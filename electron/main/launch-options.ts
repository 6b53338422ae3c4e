import { parseArgv, profileArg } from '../../shared/argv';
import { PROFILE_NAME } from '../core/profile-settings';

/** `--profile NAME` or `--profile=NAME` anywhere on the command line; `default` without it. */
export function profileFromArgv(argv: readonly string[]): { profile: string } | { error: string } {
  return profileArg(parseArgv(argv, ['--profile']), PROFILE_NAME);
}
