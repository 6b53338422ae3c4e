import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import type { ActionReport } from '../../shared/instances';
import { fakeGlpi } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

describe('marketdesk install|update --accept-new-checksum', () => {
  it('refuses a republished archive with both checksums and the exact command, which then installs it', async () => {
    const run = cliInstallation(() => standin().url);
    await run(['key', 'set'], DEMO_KEYS.standard);
    expect((await run(['instance', 'add', fakeGlpi(), '--name', 'prod'])).code).toBe(EXIT.ok);
    const first = await run(['install', 'genericobject', '--json']);
    expect(first.code, first.err).toBe(EXIT.ok);
    const { to: version, sha256: original } = first.json<ActionReport>();
    await run(['remove', 'genericobject']);
    standin().republish('genericobject', version!);
    rmSync(join(run.dataDir, 'downloads'), { recursive: true, force: true });

    const refused = await run(['install', `genericobject@${version}`]);
    expect(refused.code).toBe(EXIT.other);
    const received = /received SHA-256: ([0-9a-f]{64})/.exec(refused.err)?.[1];
    expect(received, refused.err).toBeDefined();
    expect(received).not.toBe(original);
    expect(refused.err).toContain(`pinned SHA-256:   ${original}`);
    expect(refused.err).toMatch(/republished the archive in place/);
    const command = `marketdesk install genericobject@${version} --accept-new-checksum ${received}`;
    expect(refused.err).toContain(`Once you have checked the new archive, take it with:\n  ${command}`);

    const wrong = await run(['install', `genericobject@${version}`, '--accept-new-checksum', 'c'.repeat(64)]);
    expect(wrong.code).toBe(EXIT.other);
    expect(wrong.err).toMatch(/The checksum you confirmed/);

    const accepted = await run(command.split(' ').slice(1));
    expect(accepted.code, accepted.err).toBe(EXIT.ok);
    expect(accepted.out).toContain(`genericobject ${version} installed (sha256 ${received}).`);
    const history = await run(['history', '--json']);
    expect(history.json<{ note?: string }[]>().at(-1)?.note).toBe(
      `Checksum changed from ${original} to ${received}, confirmed by the admin.`,
    );
  });
});
