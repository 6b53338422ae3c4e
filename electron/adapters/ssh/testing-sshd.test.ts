import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdUnavailable, startSshd, type TestSshd } from './testing-sshd.testkit';

const why = sshdUnavailable();

describe.skipIf(why !== null)(`the test sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.close());

  it('lets the test key in, runs a command as its user, and serves SFTP', async () => {
    const client = new Client();
    let seenKey: Buffer | undefined;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve).once('error', reject);
      client.connect({
        host: sshd.host,
        port: sshd.port,
        username: sshd.user,
        privateKey: sshd.clientKey.privateKey,
        hostVerifier: (key: Buffer) => {
          seenKey = key;
          return true;
        },
      });
    });
    const out = await new Promise<string>((resolve, reject) => {
      client.exec('id -un; pwd', (err, stream) => {
        if (err) return reject(err);
        let text = '';
        stream.on('data', (d: Buffer) => (text += d.toString())).on('close', () => resolve(text));
        stream.stderr.resume();
      });
    });
    expect(out.split('\n')[0]).toBe(sshd.user);
    const names = await new Promise<string[]>((resolve, reject) => {
      client.sftp((err, sftp) => {
        if (err) return reject(err);
        sftp.readdir(sshd.dir, (e, list) => (e ? reject(e) : resolve(list.map((x) => x.filename))));
      });
    });
    expect(names).toEqual([]);
    expect(seenKey?.toString('base64')).toBe(sshd.hostKey.publicLine.split(' ')[1]);
    client.end();
  });
});
