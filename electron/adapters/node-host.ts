import { homedir, hostname, userInfo } from 'node:os';
import type { HostInfo } from '../core/ports';

/** `process.kill(pid, 0)`: ESRCH means dead; EPERM means alive, owned by someone else. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** This machine and process, as the core sees them. */
export function nodeHostInfo(env: NodeJS.ProcessEnv = process.env): HostInfo {
  return {
    hostname: hostname(),
    home: homedir(),
    pid: process.pid,
    user: currentUser(env),
    platform: process.platform,
    pathEnv: env.PATH ?? env.Path,
    isAlive: pidAlive,
  };
}
