// The outbound call path: sendMessageToPeer with 10 000 calls in flight, to a user who is not
// logged in (the emulator answers PEER_UNREACHABLE at once, which resolves), so that what is
// measured is the sender's own path: the call, its bookkeeping and safety timeout, the result
// event and the promise settling. Prints results/s and the JS thread's CPU time per call
// (/proc/self/task/<pid>/schedstat), as `RESULT <name> <value>` lines. One run; `npm run
// bench:outbound` repeats it and prints medians (bench/run.cjs). Asserts nothing.
//   node bench/outbound.cjs            env: BENCH_CALLS (300 000), BENCH_IN_FLIGHT (10 000)
'use strict';
const fs = require('node:fs');

const APP_ID = '0123456789abcdef0123456789abcdef';
const CALLS = Number(process.env.BENCH_CALLS ?? 300_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 10_000);

function jsThreadCpuNs() {
  return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]);
}

async function main() {
  const { default: AgoraRTM } = require('../dist/index.js');
  const { Emulator } = require('../dist/emulator.js');
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const a = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
  await a.login({ uid: 'sender' });
  const message = { text: 'hello, outbound' };
  // Warm-up (JIT).
  await Promise.all(Array.from({ length: IN_FLIGHT }, () => a.sendMessageToPeer(message, 'nobody')));
  let settled = 0;
  let started = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = jsThreadCpuNs();
  await new Promise((resolve, reject) => {
    const onSettled = () => {
      settled += 1;
      if (settled === CALLS) resolve();
      else if (started < CALLS) send();
    };
    const send = () => {
      started += 1;
      a.sendMessageToPeer(message, 'nobody').then(onSettled, reject);
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
  const cpu = jsThreadCpuNs() - cpu0;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`RESULT outbound_results_per_s ${Math.round(CALLS / seconds)}`);
  console.log(`RESULT outbound_js_cpu_ns_per_call ${(cpu / CALLS).toFixed(0)}`);
  await a.release();
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
