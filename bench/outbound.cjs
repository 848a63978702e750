// The outbound call path: sendMessageToPeer with 10 000 calls in flight, to a user who is not
// logged in (the emulator answers PEER_UNREACHABLE at once, which resolves), so that what is
// measured is the sender's own path: the call, its bookkeeping and safety timeout, the result
// event and the promise settling. Prints results/s and the JS thread's CPU time per call
// (/proc/self/task/<pid>/schedstat). REPEAT runs (default 3), each in a fresh process; medians
// and `RESULT <name> <value>` lines. Asserts nothing.
//   node bench/outbound.cjs            env: BENCH_CALLS (300 000), BENCH_IN_FLIGHT (10 000)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

const APP_ID = '0123456789abcdef0123456789abcdef';
const CALLS = Number(process.env.BENCH_CALLS ?? 300_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 10_000);

function jsThreadCpuNs() {
  return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]);
}

async function child() {
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

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

if (process.argv[2] === '--child') {
  child().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const repeat = Number(process.env.REPEAT ?? 3);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${CALLS} calls, ${IN_FLIGHT} in flight; ${repeat} runs, median [min – max]`);
  const runs = {};
  for (let r = 0; r < repeat; r++) {
    const out = spawnSync(process.execPath, [__filename, '--child'], { encoding: 'utf8' });
    if (out.status !== 0) {
      console.error(out.stdout + out.stderr);
      process.exit(1);
    }
    for (const line of out.stdout.split('\n')) {
      const m = /^RESULT (\S+) (\S+)$/.exec(line);
      if (m) (runs[m[1]] ??= []).push(Number(m[2]));
    }
  }
  for (const [key, values] of Object.entries(runs)) {
    console.log(`${key.padEnd(32)} ${String(median(values)).padStart(10)}  [${Math.min(...values)} – ${Math.max(...values)}]`);
  }
  for (const [key, values] of Object.entries(runs)) console.log(`RESULT ${key} ${median(values)}`);
}
