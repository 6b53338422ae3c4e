import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// Node-side bundles: Electron main, the browser shell, the CLI and the GLPI Network stand-in.
// keytar and ssh2 (native addons: a bundler cannot load .node files) and electron stay external;
// everything else is bundled.
const external = [
  'electron',
  'keytar',
  'ssh2',
  'playwright-core',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
];

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __MARKETDESK_VERSION__: JSON.stringify(version) },
  build: {
    ssr: true,
    outDir: 'dist/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: {
        main: 'electron/main/main.ts',
        'browser-shell': 'electron/browser/browser-main.ts',
        cli: 'electron/cli/cli-main.ts',
        standin: 'e2e/standin/standin-main.ts',
        bench: 'e2e/bench/bench-main.ts',
      },
      external,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  ssr: { noExternal: true, external: ['electron', 'keytar', 'ssh2', 'playwright-core'] },
});
