import { defineConfig } from 'vite';

// A sandboxed preload cannot be an ES module: build it as one CommonJS file.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist/preload',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { preload: 'electron/preload/preload.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
  ssr: { noExternal: true, external: ['electron'] },
});
