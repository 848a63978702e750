// A presence monitor: it subscribes to the online status of two users and prints every change
// while they log in and out on the in-process emulator.
//   node examples/presence-monitor.js
'use strict';
const { default: AgoraRTM } = require('..');

const APP_ID = '0123456789abcdef0123456789abcdef';

function nextChange(client, uid, state) {
  return new Promise((resolve) => {
    const on = (status) => {
      if (status[uid] !== state) return;
      client.off('PeersOnlineStatusChanged', on);
      resolve();
    };
    client.on('PeersOnlineStatusChanged', on);
  });
}

async function main() {
  const monitor = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  monitor.on('PeersOnlineStatusChanged', (status) => {
    for (const [uid, state] of Object.entries(status)) console.log(`${uid} is ${state}`);
  });
  await monitor.login({ uid: 'monitor' });
  const alice = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  const bob = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  await alice.login({ uid: 'alice' });

  await monitor.subscribePeersOnlineStatus(['alice', 'bob']); // a snapshot follows
  console.log('online now:', JSON.stringify(await monitor.queryPeersOnlineStatus(['alice', 'bob'])));

  let change = nextChange(monitor, 'bob', 'ONLINE');
  await bob.login({ uid: 'bob' });
  await change;
  change = nextChange(monitor, 'alice', 'OFFLINE');
  await alice.logout();
  await change;
  await Promise.all([monitor.release(), alice.release(), bob.release()]);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
