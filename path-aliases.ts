import { resolve } from 'node:path';

/**
 * The path aliases of tsconfig.json for Vite, electron-vite and Vitest (tsx and Playwright read
 * tsconfig.json themselves). `@shared/` is the one every layer uses; the others let tests and
 * scripts reach a layer without climbing folders.
 */
export const aliases = {
  '@shared': resolve(import.meta.dirname, 'shared'),
  '@server': resolve(import.meta.dirname, 'server/src'),
  '@electron': resolve(import.meta.dirname, 'electron'),
  '@scripts': resolve(import.meta.dirname, 'scripts'),
};
