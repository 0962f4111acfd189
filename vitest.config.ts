import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Need the real Temporal cluster: `npm run test:cluster` (vitest.cluster.config.ts).
    exclude: [...configDefaults.exclude, 'tests/cluster/**'],
    globalSetup: ['tests/setup/global.ts'],
    // Forks, not threads: the Temporal SDK keeps one native runtime per process, so each test
    // file's workers get a process of their own.
    pool: 'forks',
    // Two cores on the development and CI machines.
    maxWorkers: 2,
    testTimeout: 60_000,
    // Workers bundle workflow code with webpack on start, which is slow on a loaded machine.
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
