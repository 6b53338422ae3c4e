/**
 * Proof with real web servers (docs/reliability-checklist.md INS-9): after an update through the
 * pipeline, no backed-up file of a GLPI 10-style tree can be fetched or run by URL, nor the staging
 * folder during the swap, while the same files where Marketdesk used to keep them
 * (marketplace/.marketdesk/backups) are served and their PHP runs.
 */
import * as fsp from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installPlugin, type InstallDeps } from './pipeline.js';
import {
  fakeGlpi,
  localDownload,
  localInstallDeps,
  pluginArchive,
  writePlugin,
  type FakeGlpi,
} from './testing-install.testkit.js';
import {
  apacheUnavailable,
  phpUnavailable,
  startApache,
  startPhpServer,
  type WebServer,
} from './testing-web.testkit.js';

/** GLPI 10's files/.htaccess and config/.htaccess, as its release archives ship them. */
const DENY_ALL = `<IfModule mod_authz_core.c>
Require all denied
</IfModule>
<IfModule !mod_authz_core.c>
deny from all
</IfModule>
`;
const RAN = 'OLD-PLUGIN-CODE-RAN-42';
const SECRET_TEXT = 'old readme of fields 1.21.0';
const URL_OF = 'https://example.test/fields-1.21.10.tar.gz';

let g: FakeGlpi;
let glpi: string;
beforeEach(async () => {
  g = await fakeGlpi();
  glpi = join(g.root, 'glpi');
  await fsp.writeFile(join(glpi, 'index.php'), '<?php echo "GLPI " . (40 + 2);');
  await fsp.mkdir(join(glpi, 'config'));
  await fsp.writeFile(join(glpi, 'files', '.htaccess'), DENY_ALL);
  await fsp.writeFile(join(glpi, 'config', '.htaccess'), DENY_ALL);
  await fsp.mkdir(join(glpi, 'public'));
  await fsp.writeFile(join(glpi, 'public', 'index.php'), '<?php echo "GLPI public";');
  // The old version, with code an attacker would like to run and a file worth reading.
  await writePlugin(join(g.marketplaceDir, 'fields'), 'fields', '1.21.0', {
    'ajax.php': "<?php echo 'OLD-PLUGIN-CODE-RAN-' . (40 + 2);",
    'README.txt': SECRET_TEXT,
  });
});
afterEach(() => g.cleanup());

const deps = (pause?: NonNullable<InstallDeps['swap']>['pause']): InstallDeps =>
  localInstallDeps(g, localDownload({ [URL_OF]: pluginArchive('fields', '1.21.10') }), {
    swap: { renameRetryDelaysMs: [], ...(pause ? { pause } : {}) },
  });
const update = (pause?: NonNullable<InstallDeps['swap']>['pause']) =>
  installPlugin(deps(pause), {
    instance: g.instance,
    key: 'fields',
    version: '1.21.10',
    source: { url: URL_OF, servicesOrigin: 'https://s.test', headers: {}, key: 'k', uid: 'u' },
    allowed: true,
  });

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out.sort();
}

/** Every file of `dir` by URL, the web root being `webRoot`: status and whether its content or its code's output came back. */
async function fetchAll(server: WebServer, webRoot: string, dir: string) {
  const answers: { path: string; status: number; leaked: boolean }[] = [];
  for (const file of await filesUnder(dir)) {
    const path = `/${relative(webRoot, file).split('\\').join('/')}`;
    const { status, body } = await server.get(path);
    const content = await fsp.readFile(file, 'utf8');
    answers.push({ path, status, leaked: body.includes(RAN) || body.includes(SECRET_TEXT) || body === content });
  }
  return answers;
}

const refused = (answers: { path: string; status: number; leaked: boolean }[]): void => {
  expect(answers.length).toBeGreaterThanOrEqual(4); // setup.php, inc/main.php, ajax.php, README.txt
  for (const a of answers) {
    expect([403, 404], a.path).toContain(a.status);
    expect(a.leaked, a.path).toBe(false);
  }
};

/** The old place: the same backup where Marketdesk used to keep it. */
async function copyToOldPlace(backup: string): Promise<string> {
  const old = join(g.marketplaceDir, '.marketdesk', 'backups', 'fields', relative(join(backup, '..'), backup));
  await fsp.cp(backup, old, { recursive: true });
  return old;
}

const apacheWhy = apacheUnavailable();
describe.skipIf(apacheWhy !== null)(
  `Apache 2.4 + mod_php${apacheWhy ? ` (cannot run here: ${apacheWhy})` : ''}`,
  () => {
    let servers: WebServer[] = [];
    beforeAll(() => {
      servers = [];
    });
    afterAll(async () => {
      for (const s of servers) await s.stop();
    });
    const serve = async (root: string): Promise<WebServer> => {
      const s = await startApache(root);
      servers.push(s);
      return s;
    };

    it('GLPI root as DocumentRoot (GLPI 10.0 before 10.0.7): no backed-up file is served or run, nor the staging folder mid-swap; the old place would have been', async () => {
      const server = await serve(glpi);
      expect(await server.get('/index.php')).toEqual({ status: 200, body: 'GLPI 42' }); // PHP runs here

      let staging: { path: string; status: number; leaked: boolean }[] = [];
      const report = await update(async (point) => {
        if (point !== 'journal-written') return;
        const [root] = (await fsp.readdir(join(glpi, 'files', '_marketdesk'))).filter((n) => n.startsWith('staging-'));
        staging = await fetchAll(server, glpi, join(glpi, 'files', '_marketdesk', root!));
      });
      expect(staging.map((a) => a.status)).toEqual(staging.map(() => 403));
      expect(staging.some((a) => a.leaked)).toBe(false);

      const backup = report.backup!;
      expect(backup.startsWith(join(glpi, 'files', '_marketdesk', 'backups', 'fields'))).toBe(true);
      const now = await fetchAll(server, glpi, backup);
      refused(now);
      expect(now.map((a) => a.status)).toEqual(now.map(() => 403)); // files/.htaccess: Require all denied

      const before = await fetchAll(server, glpi, await copyToOldPlace(backup));
      expect(before.find((a) => a.path.endsWith('/ajax.php'))).toMatchObject({ status: 200, leaked: true });
      expect(before.find((a) => a.path.endsWith('/README.txt'))).toMatchObject({ status: 200, leaked: true });
    });

    it('public/ as DocumentRoot (GLPI 10.0.7 and later): nothing outside public/ is reachable', async () => {
      const server = await serve(join(glpi, 'public'));
      const backup = (await update()).backup!;
      for (const answers of [
        await fetchAll(server, glpi, backup),
        await fetchAll(server, glpi, await copyToOldPlace(backup)),
      ])
        refused(answers);
    });
  },
);

const phpWhy = phpUnavailable();
describe.skipIf(phpWhy !== null)(`PHP's built-in server${phpWhy ? ` (cannot run here: ${phpWhy})` : ''}`, () => {
  it('php -S -t public/: no backed-up file is reachable', async () => {
    const server = await startPhpServer(join(glpi, 'public'));
    try {
      expect(await server.get('/index.php')).toEqual({ status: 200, body: 'GLPI public' });
      refused(await fetchAll(server, glpi, (await update()).backup!));
    } finally {
      await server.stop();
    }
  });
});
