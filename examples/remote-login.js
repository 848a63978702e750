// Two clients log in with the same user id on the in-process emulator: the second login kicks
// the first out (ABORTED / REMOTE_LOGIN), as the real RTM service does.
//   npm run example
'use strict';
const { default: AgoraRTM } = require('..');

const APP_ID = '0123456789abcdef0123456789abcdef'; // any 32 characters do for the emulator

async function main() {
  const uid = 'alice';
  const first = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  const second = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  for (const [name, client] of [['first', first], ['second', second]]) {
    client.on('ConnectionStateChanged', (state, reason) => {
      console.log(`${name.padEnd(6)} ConnectionStateChanged ${state} (${reason})`);
    });
  }

  const kicked = new Promise((resolve) =>
    first.on('ConnectionStateChanged', (state) => state === 'ABORTED' && resolve()),
  );
  await first.login({ uid });
  await second.login({ uid });
  await kicked;

  // An ABORTED client must log out before it may log in again.
  await first.logout();
  await Promise.all([first.release(), second.release()]);
  // Nothing holds the event loop any more: the process exits by itself.
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
