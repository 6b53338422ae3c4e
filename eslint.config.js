// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'No Node built-ins here (docs/architecture.md §3).' };
/** The core reaches files, processes, sockets and the OS through ports (electron/core/ports.ts). */
const coreOsBuiltins = {
  group: [...['fs', 'fs/promises', 'os', 'child_process', 'net', 'vm'].flatMap((m) => [m, `node:${m}`])],
  message:
    'The core reaches files, processes and the OS through the ports of electron/core/ports.ts (FileSystem, ProcessRunner, HostInfo, PacRunner).',
};
const coreLayer = [
  {
    group: ['electron', 'electron-store', 'keytar', 'undici'],
    message: 'Only adapters import these; the core takes ports.',
  },
  {
    group: ['**/adapters/**', '**/main/**', '**/preload/**', '**/browser/**', '**/cli/**', '**/renderer/**'],
    message: 'The core does not know its shells or adapters.',
  },
];
const shellsNoRenderer = { group: ['**/renderer/**'], message: 'Shells never import the renderer.' };
const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    { patterns: patterns.map((p) => ({ ...p, allowTypeImports: p.allowTypeImports ?? false })) },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', '.tsbuild/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Playwright fixtures must destructure their dependencies, even when there are none.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  // Layer rules (docs/architecture.md §3).
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      nodeBuiltins,
      {
        group: ['electron', 'electron-store', 'keytar', 'undici', 'react', 'react-dom', 'zustand'],
        message: 'shared/ imports nothing but itself and zod.',
      },
      {
        group: ['**/electron/**', '**/renderer/**', '**/e2e/**'],
        message: 'shared/ imports nothing but itself and zod.',
      },
    ]),
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testkit.ts'],
    rules: restrict(coreLayer),
  },
  {
    // Test helpers (*.testkit.ts) may still make real files and processes.
    files: ['electron/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testkit.ts'],
    rules: restrict([coreOsBuiltins, ...coreLayer]),
  },
  {
    files: ['electron/adapters/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testkit.ts'],
    rules: restrict([
      {
        group: ['electron', 'electron-store'],
        message: 'Adapters shared with the Node shells import Electron types only.',
        allowTypeImports: true,
      },
      {
        group: ['**/renderer/**', '**/main/**', '**/browser/**', '**/cli/**'],
        message: 'Adapters do not know the shells.',
      },
    ]),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: restrict([shellsNoRenderer]),
  },
  {
    // The Node shells run without Electron: importing it would fail at run time.
    files: ['electron/browser/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict([
      shellsNoRenderer,
      {
        group: ['electron', 'electron-store'],
        message: 'The CLI and the browser shell run on Node, without Electron.',
      },
    ]),
  },
  {
    // The preload runs in the page's process: it carries the contract and nothing else (SEC-7).
    files: ['electron/preload/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([
      {
        regex: '^(?!electron$|\\./[^/]+$|(?:\\.\\./)+shared/ipc/[^/]+$)',
        message: 'The preload imports only the contract (shared/ipc/*), its own files and electron.',
      },
    ]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', 'renderer/src/test/**'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        nodeBuiltins,
        {
          group: ['electron', 'electron-store', 'keytar', 'undici'],
          message: 'The renderer talks to the core through the contract only.',
        },
        {
          group: ['**/electron/**', '**/e2e/**'],
          message: 'The renderer talks to the core through the contract only.',
        },
      ]),
    },
  },
);
