import { defineConfig } from 'vitest/config';

// The scenario suites run twice: in process, and with every emulator served on a loopback port and
// every client reaching it over TCP (project 'tcp': test/helpers/emu.ts starts TCP emulators,
// test/helpers/tcp-setup.ts serves the default service), so both transports answer the same
// scenarios the same way. (The *-unit suites drive a fake native layer: no transport to vary.)
const SCENARIOS = [
  'test/argument-copies.test.ts',
  'test/backlog.test.ts',
  'test/collection.test.ts',
  'test/event-hub.test.ts',
  'test/connection.test.ts',
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
  'test/workers.test.ts',
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
        test: {
          ...shared,
          name: 'tcp',
          include: SCENARIOS,
          env: { RTM_TEST_TRANSPORT: 'tcp' },
          setupFiles: ['test/helpers/tcp-setup.ts'],
        },
      },
    ],
  },
});
