import { AppError } from '../../shared/errors';
import type { CliIo, Core, ParsedArgs } from './cli';
import { EXIT } from './cli';

/** `config services-url [URL | --reset]`: where GLPI Network is (the key is sent there). */
export function runConfig(args: ParsedArgs, core: Core, io: CliIo): number {
  const [, what, ...rest] = args.words;
  if (what !== 'services-url' || rest.length > 1 || (rest.length === 1 && args.flags.has('--reset'))) {
    io.err('Usage: marketdesk config services-url [URL | --reset]');
    return EXIT.other;
  }
  try {
    const settings =
      rest.length === 1
        ? core.settings.setServicesUrl(rest[0] ?? '')
        : args.flags.has('--reset')
          ? core.settings.setServicesUrl(null)
          : core.settings.get();
    const note =
      settings.servicesUrlSource === 'env'
        ? ' (from GLPI_NETWORK_SERVICES, which wins over the setting)'
        : ` (${settings.servicesUrlSource})`;
    io.out(
      args.flags.has('--json')
        ? JSON.stringify({ servicesUrl: settings.servicesUrl, source: settings.servicesUrlSource })
        : `${settings.servicesUrl}${note}`,
    );
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(`${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
    return EXIT.other;
  }
}
