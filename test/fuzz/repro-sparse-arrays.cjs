'use strict';
// Fuzz finding (seed 1, child 0, and every seed tried at commit 785dab8): an array argument with
// an empty slot (a hole: [, 'u1'], new Array(3)) passes the argument checks — they use
// Array.prototype.map, which skips holes — and reaches the addon, whose conversion throws; the
// call then rejects with RtmError ERR_RTM_NATIVE ("the addon failed unexpectedly") instead of a
// TypeError from the checks before any native call, as for any other item of a wrong JS type.
//
//   node test/fuzz/repro-sparse-arrays.cjs [packageRoot]     (default: this repository)
//
// Prints one line per call and exits 1 if any call failed in the native addon.
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..'));
const { default: AgoraRTM, RtmError } = require(path.join(root, 'dist', 'index.js'));
const { Emulator } = require(path.join(root, 'dist', 'emulator.js'));

const APP_ID = '0123456789abcdef0123456789abcdef';

(async () => {
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
  await client.login({ uid: 'u0' });
  // eslint-disable-next-line no-sparse-arrays
  const hole = [, 'u1'];
  const calls = {
    'queryPeersOnlineStatus([, "u1"])': () => client.queryPeersOnlineStatus(hole),
    'subscribePeersOnlineStatus([, "u1"])': () => client.subscribePeersOnlineStatus(hole),
    'unsubscribePeersOnlineStatus(new Array(3))': () => client.unsubscribePeersOnlineStatus(new Array(3)),
    'getUserAttributesByKeys("u0", [, "k"])': () => client.getUserAttributesByKeys('u0', [, 'k']), // eslint-disable-line no-sparse-arrays
    'deleteLocalUserAttributesByKeys(new Array(2))': () => client.deleteLocalUserAttributesByKeys(new Array(2)),
    'getChannelAttributesByKeys("c0", [, "k"])': () => client.getChannelAttributesByKeys('c0', [, 'k']), // eslint-disable-line no-sparse-arrays
    'deleteChannelAttributesByKeys("c0", [, "k"])': () => client.deleteChannelAttributesByKeys('c0', [, 'k']), // eslint-disable-line no-sparse-arrays
    'getChannelMemberCount([, "c0"])': () => client.getChannelMemberCount([, 'c0']), // eslint-disable-line no-sparse-arrays
  };
  let native = 0;
  for (const [what, call] of Object.entries(calls)) {
    let outcome;
    try {
      const value = await call();
      outcome = `resolved ${JSON.stringify(value)}`;
    } catch (err) {
      const isNative = err instanceof RtmError && err.codeName === 'ERR_RTM_NATIVE';
      if (isNative) native += 1;
      outcome = `${isNative ? 'DEFECT ' : ''}${err.constructor.name}${err.codeName ? `/${err.codeName}` : ''}: ${err.message}`;
    }
    console.log(`${what} -> ${outcome}`);
  }
  await client.release();
  await emu.stop();
  console.log(native === 0 ? 'ok: every hole is refused before the native call' : `${native} calls failed in the native addon (ERR_RTM_NATIVE)`);
  process.exitCode = native === 0 ? 0 : 1;
})();
