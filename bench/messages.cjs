// Throughput of the whole path (TypeScript → binding → emulator → callback thread → batched
// thread-safe function → TypeScript events) on an in-process emulator with rate limits off.
// Prints figures; asserts nothing.   npm run bench
'use strict';
const { default: AgoraRTM } = require('../dist/index.js');
const { Emulator } = require('../dist/emulator.js');

const APP_ID = '0123456789abcdef0123456789abcdef';

function client(emu) {
  return AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
}

async function peerBurst(emu, count) {
  const a = client(emu);
  const b = client(emu);
  await a.login({ uid: 'bench-a' });
  await b.login({ uid: 'bench-b' });
  let received = 0;
  const allReceived = new Promise((resolve) =>
    b.on('MessageFromPeer', () => ++received === count && resolve()),
  );
  const start = process.hrtime.bigint();
  const sends = [];
  for (let i = 0; i < count; i++) sends.push(a.sendMessageToPeer({ text: `m${i}` }, 'bench-b'));
  await Promise.all([Promise.all(sends), allReceived]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await Promise.all([a.release(), b.release()]);
  return ms;
}

async function channelBurst(emu, count, members) {
  const clients = [];
  for (let i = 0; i < members; i++) clients.push(client(emu));
  await Promise.all(clients.map((c, i) => c.login({ uid: `bench-m${i}` })));
  const channels = clients.map((c) => c.createChannel('bench-room'));
  await Promise.all(channels.map((ch) => ch.join()));
  let received = 0;
  const expected = count * (members - 1);
  const allReceived = new Promise((resolve) => {
    for (const ch of channels.slice(1)) ch.on('ChannelMessage', () => ++received === expected && resolve());
  });
  const start = process.hrtime.bigint();
  const sends = [];
  for (let i = 0; i < count; i++) sends.push(channels[0].sendMessage({ text: `c${i}` }));
  await Promise.all([Promise.all(sends), allReceived]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await Promise.all(clients.map((c) => c.release()));
  return ms;
}

function rate(n, ms) {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function main() {
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const runs = Number(process.env.BENCH_RUNS || 5);
  const peer = [];
  const chan = [];
  for (let r = 0; r < runs; r++) {
    peer.push(await peerBurst(emu, 20000));
    chan.push(await channelBurst(emu, 5000, 3));
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  console.log(`node ${process.version}, ${runs} runs, median`);
  console.log(`peer messages, 20 000 text in a burst: ${median(peer).toFixed(0)} ms, ${rate(20000, median(peer))} sent and received`);
  console.log(`channel messages, 5 000 text to 2 other members: ${median(chan).toFixed(0)} ms, ${rate(5000, median(chan))} sent, ${rate(10000, median(chan))} delivered`);
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
