/**
 * The Fleet view's check of 20 GLPI servers reached over SSH, each connection delayed by a small
 * TCP proxy (as a server across a WAN would be), against the slowest of the same checks run one
 * instance at a time in the same run: checking the fleet should cost about one slow server, not
 * the sum of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeProcessRunner } from '../../electron/adapters/process-runner';
import { nodeSshConnector } from '../../electron/adapters/ssh/ssh-connector';
import { sshdUnavailable, startSshd } from '../../electron/adapters/ssh/testing-sshd.testkit';
import { FleetService } from '../../electron/core/fleet/fleet-service';
import { systemClock } from '../../electron/core/ports';
import { glpiOnServer } from '../../electron/core/testing-glpi.testkit';
import { median, report, timeAsync } from './stats';
import { nodeTestCore } from '../../electron/core/testing-core.testkit';

const INSTANCES = 20;

/** Forwards `from` to `to`, each chunk `delayMs` later, in order; ends and errors pass through. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs));
}

/** A TCP proxy on 127.0.0.1 to `port` that adds `delayMs` to the connection and to every chunk, both ways. */
export async function delayProxy(port: number, delayMs: number): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    setTimeout(() => {
      const upstream = connect(port, '127.0.0.1');
      sockets.add(upstream);
      pipeDelayed(client, upstream, delayMs);
      pipeDelayed(upstream, client, delayMs);
      client.resume();
    }, delayMs);
    client.on('close', () => sockets.delete(client));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

export async function benchFleet(
  rounds = Number(process.env.BENCH_FLEET_ROUNDS ?? 1),
  delayMs = Number(process.env.BENCH_SSH_LATENCY_MS ?? 50),
): Promise<boolean> {
  const why = sshdUnavailable();
  if (why) {
    console.log(`\nFleet check of ${INSTANCES} SSH instances: skipped (${why})`);
    return true;
  }
  const sshd = await startSshd();
  const proxy = await delayProxy(sshd.port, delayMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  const core = nodeTestCore({
    dataDir,
    processes: nodeProcessRunner,
    ssh: nodeSshConnector({}),
    shell: 'cli',
    profile: 'bench',
    // No key and no GLPI Network here: the check is the servers' part (connection, detection, inventory).
    servicesUrlFromEnv: 'http://127.0.0.1:9',
  });
  const fleet = new FleetService({ instances: core.instances, plugins: core.plugins, clock: systemClock });
  const names: string[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) {
      const root = glpiOnServer(sshd, `glpi${i}`);
      const { record } = await core.instances.add(`ssh://${sshd.user}@127.0.0.1:${proxy.port}${root}`, `srv${i}`, {
        auth: 'key',
        keyFile: sshd.clientKey.path,
        acceptHostKey: sshd.hostKey.fingerprint,
      });
      names.push(record.name);
    }
    const check = async (chosen?: string[]): Promise<number> => {
      core.instances.access.closeAll();
      let failed = '';
      const ms = await timeAsync(async () => {
        const { rows } = await fleet.check(chosen);
        failed = rows
          .filter((r) => !r.reachable || r.error)
          .map((r) => `${r.name}: ${r.error?.message}`)
          .join('; ');
      });
      if (failed) throw new Error(`fleet check failed: ${failed}`);
      return ms;
    };
    const slowest: number[] = [];
    const whole: number[] = [];
    const singles: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const round: number[] = [];
      for (const name of names) {
        round.push(await check([name]));
        if (process.env.BENCH_VERBOSE) console.log(`  ${name}: ${round.at(-1)?.toFixed(0)} ms`);
      }
      singles.push(...round);
      slowest.push(Math.max(...round));
      whole.push(await check());
    }
    const ratio = median(whole) / median(slowest);
    return report(
      `Fleet check of ${INSTANCES} SSH instances, ${delayMs} ms added to each connection and each chunk both ways (median of ${rounds} rounds)`,
      [
        {
          name: 'one instance at a time: median / slowest',
          value: `${median(singles).toFixed(0)} ms / ${median(slowest).toFixed(0)} ms`,
        },
        {
          name: `FleetService.check of all ${INSTANCES}`,
          value: `${median(whole).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x the slowest single check (runs: ${whole.map((t) => t.toFixed(0)).join(', ')})`,
          target: '< 2x',
          ok: ratio < 2,
        },
      ],
    );
  } finally {
    core.stop();
    proxy.close();
    await sshd.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
