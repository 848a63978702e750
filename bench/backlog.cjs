// Memory of a backlog: a listener that cannot keep up. A worker thread floods the main thread's
// client with peer messages while the main thread is blocked (Atomics.wait), so every event
// queues up in the binding; then the main thread drains them. Prints RSS before, with the whole
// backlog queued, after the drain, and after gc(), plus bytes per queued event. Asserts nothing.
//   node --expose-gc bench/backlog.cjs [count]
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { default: AgoraRTM } = require('../dist/index.js');
const { Emulator } = require('../dist/emulator.js');

const APP_ID = '0123456789abcdef0123456789abcdef';
const MB = (bytes) => (bytes / 1048576).toFixed(0);

async function sender({ url, count, flag }) {
  const a = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: url });
  await a.login({ uid: 'flood-sender' });
  const window = 5000;
  for (let i = 0; i < count; i += window) {
    const sends = [];
    for (let k = i; k < Math.min(count, i + window); k++) sends.push(a.sendMessageToPeer({ text: `message ${k}` }, 'flood-receiver'));
    await Promise.all(sends);
  }
  await a.release();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function main() {
  const count = Number(process.argv[2] ?? 1_000_000);
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const b = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
  await b.login({ uid: 'flood-receiver' });
  let received = 0;
  let drained;
  const done = new Promise((resolve) => (drained = resolve));
  b.on('MessageFromPeer', () => {
    if (++received === count) drained();
  });
  global.gc?.();
  const before = process.memoryUsage().rss;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(__filename, { workerData: { url: emu.url, count, flag } });
  Atomics.wait(flag, 0, 0); // the main thread is blocked: every event queues up
  const queued = process.memoryUsage().rss;
  const pending = b.pendingEvents;
  const t0 = process.hrtime.bigint();
  await done;
  const drainMs = Number(process.hrtime.bigint() - t0) / 1e6;
  await worker.terminate();
  const after = process.memoryUsage().rss;
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  global.gc?.();
  const afterGc = process.memoryUsage().rss;
  console.log(
    `backlog of ${count} peer messages: RSS ${MB(before)} MB → ${MB(queued)} MB queued` +
      ` (${((queued - before) / count).toFixed(0)} B/event, pendingEvents ${pending ?? 'n/a'})` +
      ` → ${MB(after)} MB drained in ${drainMs.toFixed(0)} ms → ${MB(afterGc)} MB after gc()`,
  );
  await b.release();
  await emu.stop();
}

if (isMainThread) main();
else sender(workerData).catch((err) => parentPort.postMessage(String(err)));
