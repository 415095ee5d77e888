import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { aliases } from './path-aliases.ts';

// Paths are explicit because the project keeps the brief's top-level layout
// (electron/, renderer/, shared/) rather than electron-vite's src/main, src/preload defaults.
export default defineConfig({
  main: {
    resolve: { alias: aliases },
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { main: resolve('electron/main.ts') } },
    },
  },
  preload: {
    resolve: { alias: aliases },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() from node_modules: bundle everything into one
      // CommonJS file (sandboxed preloads do not support ES modules).
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    resolve: { alias: { '@shared': aliases['@shared'] } },
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: resolve('renderer/index.html') },
    },
  },
});
