import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The entry (renderer/src/main.tsx) sends the first reads, then loads the app (app-main.tsx) with
 * import(). Naming that chunk and its styles in index.html too lets the browser fetch them (and
 * start compiling the code) alongside the entry rather than once it ran.
 */
function preloadApp(): Plugin {
  return {
    name: 'marketdesk-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find(
          (file) => file.type === 'chunk' && file.facadeModuleId?.endsWith('/src/app-main.tsx'),
        );
        if (app?.type !== 'chunk') throw new Error('The app-main chunk is missing from the renderer build.');
        const link = (rel: string, file: string): HtmlTagDescriptor => ({
          tag: 'link',
          attrs: { rel, crossorigin: true, href: `./${file}` },
          injectTo: 'head',
        });
        return [
          link('modulepreload', app.fileName),
          ...[...(app.viteMetadata?.importedCss ?? [])].map((css) => link('stylesheet', css)),
        ];
      },
    },
  };
}

// The renderer is served from app:// in Electron and from 127.0.0.1 by the browser shell, so every
// asset path is relative and nothing is inlined as a script (strict CSP).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), preloadApp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
