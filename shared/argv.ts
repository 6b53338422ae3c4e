/** A command line read the one way every entry point reads it (the CLI, the browser shell, the desktop app). */
export interface ParsedArgv {
  /** The arguments that are not options, in order. */
  words: string[];
  /** Options without a value (`--json`, `-h`), as given. */
  flags: Set<string>;
  /** Options that take a value: `--name VALUE` or `--name=VALUE`; the last one given wins. */
  values: Map<string, string>;
}

/**
 * Splits argv by the options the caller says take a value; a value option at the very end has the
 * value ''. Nothing is refused here: each entry point decides what it accepts.
 */
export function parseArgv(argv: readonly string[], valueOptions: readonly string[]): ParsedArgv {
  const words: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [name = '', inline] = arg.split(/=(.*)/s, 2);
    if (valueOptions.includes(name)) values.set(name, inline ?? argv[++i] ?? '');
    else if (arg.startsWith('-')) flags.add(arg);
    else words.push(arg);
  }
  return { words, flags, values };
}

/** `--profile NAME` (`default` without it), checked against the core's rule for profile names. */
export function profileArg(args: ParsedArgv, valid: RegExp): { profile: string } | { error: string } {
  const value = args.values.get('--profile');
  if (value === undefined) return { profile: 'default' };
  if (!valid.test(value))
    return { error: `Invalid profile name "${value.slice(0, 80)}": use letters, digits, - and _ (at most 64).` };
  return { profile: value };
}
