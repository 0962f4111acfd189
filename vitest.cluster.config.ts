// `npm run test:cluster`: the tests that need the real Temporal cluster (built from source on the
// first run, minutes). Not part of `npm test`. One file at a time: each starts its own server.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    globalSetup: ['tests/cluster/global.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 300_000,
    // The first run builds the server (go install) inside the global setup.
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
