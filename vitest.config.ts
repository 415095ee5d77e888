import { defineConfig } from 'vitest/config';
import { aliases } from './path-aliases.ts';

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/server/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
