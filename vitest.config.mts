import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-SDK suite runs with `npm run test:agora`, the packed package's with `npm run
    // test:package` (their own configs).
    exclude: ['test/agora/**', 'test/package/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file in its own child process: a native addon (and its threads) per process.
    pool: 'forks',
  },
});
