import { defineConfig } from 'vitest/config';

// `npm run test:package`: the package as users get it (npm pack → npm install <tarball> in a
// scratch project). Run after the main suite (CI does), not beside it: it compiles the addon.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
