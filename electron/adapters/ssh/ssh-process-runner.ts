/**
 * The core's {@link ProcessRunner} port over an SSH exec channel: GLPI's console, `php -v`, `php -m`
 * and the like run on the GLPI server. The command line is built with POSIX quoting (the program
 * and every argument one quoted word; nothing from the core reaches a shell unquoted), optionally
 * through `sudo -n -u <web user>` (never a password prompt), and bounded on the server by
 * coreutils' `timeout` (the process tree is killed there, not only the channel here).
 */
import type { Client, ClientChannel } from 'ssh2';
import type { ProcessRequest, ProcessResult, ProcessRunner } from '../../core/ports';
import { remotePath } from './sftp-file-system';

export interface SshProcessOptions {
  /** Run as this user through `sudo -n -u`, when the admin chose it. */
  sudoUser?: string;
}

/** One word for a POSIX shell: `'...'`, with `'` written `'\''`. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Exit statuses the wrapper uses to say that the program did not start. */
const NO_CWD = 96;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The command line sent to the server's shell for `req`. */
export function commandLine(req: ProcessRequest, options: SshProcessOptions = {}): string {
  const seconds = Math.max(1, Math.ceil(req.timeoutMs / 1000));
  const program: string[] = [];
  if (options.sudoUser) program.push('sudo', '-n', '-u', options.sudoUser, '--');
  if (req.env) {
    program.push('env', '-i');
    for (const [name, value] of Object.entries(req.env)) {
      if (!ENV_NAME.test(name)) throw new Error(`"${name}" is not an environment variable name.`);
      program.push(`${name}=${value}`);
    }
  }
  program.push(remotePath(req.file), ...req.args);
  const quoted = program.map(shellQuote).join(' ');
  return `cd ${shellQuote(remotePath(req.cwd))} 2>/dev/null || exit ${NO_CWD}; exec timeout -k 2 ${seconds} ${quoted}`;
}

export function sshProcessRunner(client: Client, options: SshProcessOptions = {}): ProcessRunner {
  return {
    run(req) {
      return new Promise<ProcessResult>((resolve) => {
        let command: string;
        try {
          command = commandLine(req, options);
        } catch (err) {
          return resolve(notStarted('EINVAL', (err as Error).message));
        }
        client.exec(command, (err, channel) => {
          if (err) return resolve(notStarted('ECONNRESET', `The SSH connection could not run it: ${err.message}`));
          collect(channel, req, resolve);
        });
      });
    },
  };
}

function notStarted(code: string, message: string): ProcessResult {
  return { exitCode: null, signal: null, output: '', truncated: false, timedOut: false, error: { code, message } };
}

function collect(channel: ClientChannel, req: ProcessRequest, resolve: (r: ProcessResult) => void): void {
  const kept: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  let timedOut = false;
  let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
  const take = (chunk: Buffer): void => {
    const room = req.maxOutputBytes - bytes;
    if (room <= 0) {
      truncated = true;
      return;
    }
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    truncated ||= piece.length < chunk.length;
    kept.push(piece);
    bytes += piece.length;
  };
  channel.on('data', take);
  channel.stderr.on('data', take);
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = { code: typeof code === 'number' ? code : null, signal: signal ? `SIG${signal}` : null };
  });
  // The server's `timeout` ends the program; this is the bound for a server that stops answering.
  const timer = setTimeout(() => {
    timedOut = true;
    channel.signal('KILL');
    channel.close();
  }, req.timeoutMs + 5000);
  channel.on('close', () => {
    clearTimeout(timer);
    const output = Buffer.concat(kept).toString('utf8');
    // coreutils timeout: 124 when it stopped the program, 137 when it had to SIGKILL it.
    if (exit.code === 124 || exit.code === 137) timedOut = true;
    const result: ProcessResult = {
      exitCode: timedOut ? null : exit.code,
      signal: exit.signal,
      output,
      truncated,
      timedOut,
    };
    if (exit.code === NO_CWD && output === '')
      result.error = { code: 'EBADCWD', message: `${req.cwd} is not a folder on the server.` };
    else if (exit.code === 127) result.error = { code: 'ENOENT', message: `${req.file} was not found on the server.` };
    else if (exit.code === 126) result.error = { code: 'EACCES', message: `${req.file} cannot be run on the server.` };
    if (result.error) result.exitCode = null;
    resolve(result);
  });
}
