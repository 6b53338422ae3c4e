/** Marketdesk's version, injected at build time by Vite (and by Vitest's config in tests). */
declare const __MARKETDESK_VERSION__: string;
