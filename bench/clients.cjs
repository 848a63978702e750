// Many JS clients in one process: N RtmClients logged in on one in-process emulator (rate limits
// off), then every client sends K numbered peer messages to the next one, and each receiver
// checks it got them all, once, in order. Prints the time to log all in, RSS and threads per
// logged-in client, and the delivery round. Asserts nothing (a wrong order or count is printed).
//   node --expose-gc bench/clients.cjs [clients=1000] [messagesPerClient=20]
'use strict';
const fs = require('node:fs');
const { default: AgoraRTM } = require('../dist/index.js');
const { Emulator } = require('../dist/emulator.js');

const APP_ID = '0123456789abcdef0123456789abcdef';

function threads() {
  return Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
}

function rss() {
  global.gc?.();
  return process.memoryUsage().rss;
}

async function main() {
  const n = Number(process.argv[2] ?? 1000);
  const k = Number(process.argv[3] ?? 20);
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const rss0 = rss();
  const threads0 = threads();

  const t0 = process.hrtime.bigint();
  const clients = [];
  for (let i = 0; i < n; i++) clients.push(AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url }));
  await Promise.all(clients.map((c, i) => c.login({ uid: `c${i}` })));
  const loginMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await new Promise((r) => setTimeout(r, 100));
  const rss1 = rss();
  const threads1 = threads();

  // Each client i receives from i-1: `${seq}` for seq 0..k-1, in order.
  const expected = new Array(n).fill(0);
  let wrong = 0;
  let received = 0;
  let allDone;
  const done = new Promise((resolve) => (allDone = resolve));
  clients.forEach((c, i) =>
    c.on('MessageFromPeer', (message) => {
      if (Number(message.text) !== expected[i]) wrong++;
      expected[i] = Number(message.text) + 1;
      if (++received === n * k) allDone();
    }),
  );
  const t1 = process.hrtime.bigint();
  const sends = [];
  for (let seq = 0; seq < k; seq++) {
    for (let i = 0; i < n; i++) sends.push(clients[i].sendMessageToPeer({ text: String(seq) }, `c${(i + 1) % n}`));
  }
  await Promise.all([Promise.all(sends), done]);
  const roundMs = Number(process.hrtime.bigint() - t1) / 1e6;

  console.log(`${n} JS clients on one in-process emulator, node ${process.version}`);
  console.log(`log in all: ${loginMs.toFixed(0)} ms`);
  console.log(
    `per logged-in client: ${((rss1 - rss0) / n / 1024).toFixed(1)} KB RSS, ${((threads1 - threads0) / n).toFixed(2)} threads` +
      ` (process: ${threads1} threads)`,
  );
  console.log(
    `${n * k} peer messages (${k} per client, to the next one): ${roundMs.toFixed(0)} ms,` +
      ` ${Math.round((n * k) / (roundMs / 1000)).toLocaleString('en-US')}/s, out of order or missing: ${wrong}`,
  );
  console.log(`RESULT js_clients ${n}`);
  console.log(`RESULT js_clients_login_ms ${loginMs.toFixed(1)}`);
  console.log(`RESULT js_client_kb ${((rss1 - rss0) / n / 1024).toFixed(2)}`);
  console.log(`RESULT js_client_threads ${((threads1 - threads0) / n).toFixed(3)}`);
  console.log(`RESULT js_clients_msgs_per_s ${Math.round((n * k) / (roundMs / 1000))}`);
  console.log(`RESULT js_clients_misordered ${wrong}`);
  await Promise.all(clients.map((c) => c.release()));
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
