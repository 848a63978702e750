import { defineConfig } from 'vitest/config';

// `npm run test:agora`: the suite that runs against the real libagora_rtm_sdk.so named by
// AGORA_RTM_SDK_PATH (each file skips, saying why, when it is not set).
export default defineConfig({
  test: {
    include: ['test/agora/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
