import { defineConfig } from 'vitest/config';

// The scenario suites that start their emulators through test/helpers/emu.ts run twice: in
// process, and with every emulator served on a loopback port and every client reaching it over
// TCP (project 'tcp'), so both transports answer the same scenarios the same way.
const SCENARIOS = [
  'test/argument-copies.test.ts',
  'test/channel-attributes.test.ts',
  'test/channel-scale.test.ts',
  'test/channels.test.ts',
  'test/invitations.test.ts',
  'test/latency.test.ts',
  'test/message-validation.test.ts',
  'test/peer-messages.test.ts',
  'test/presence.test.ts',
  'test/tokens.test.ts',
  'test/user-attributes.test.ts',
];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Each test file in its own child process: a native addon (and its threads) per process.
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'inproc',
          include: ['test/**/*.test.ts'],
          // The real-SDK suite runs with `npm run test:agora`, the packed package's with `npm run
          // test:package` (their own configs).
          exclude: ['test/agora/**', 'test/package/**', '**/node_modules/**'],
        },
      },
      {
        test: { ...shared, name: 'tcp', include: SCENARIOS, env: { RTM_TEST_TRANSPORT: 'tcp' } },
      },
    ],
  },
});
