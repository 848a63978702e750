// Setup of the vitest project 'tcp': the process-wide default service is served on a loopback
// port too, and AGORA_RTM_EMULATOR points every client that names no service at it, so the suites
// written against the default service run over TCP as well (their Emulator.default controls act
// on the same service, in this process).
import { afterAll, expect } from 'vitest';
import { native } from '../../lib/native';

const port = native.emulatorListen('default', '127.0.0.1', 0);
process.env.AGORA_RTM_EMULATOR = `rtm://127.0.0.1:${port}`;

afterAll(() => {
  // The suite's clients did reach the default service over the socket.
  const stats = JSON.parse(native.emulatorTcpStats('default')) as { framesIn: number } | null;
  expect(stats?.framesIn ?? 0).toBeGreaterThan(0);
});
