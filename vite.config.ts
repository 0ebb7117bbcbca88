import { defineConfig } from 'vite';

/**
 * The reviewer web app (web/): Preact, built by Vite into dist/web, which `qa-screen review serve`
 * serves from the same process. Hashed file names under assets/ (served immutable), no inline
 * script (the server's CSP allows none), nothing loaded from a CDN.
 */
export default defineConfig({
  root: 'web',
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
  },
});
