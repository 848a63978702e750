// The inbound event path under load: a C++ sender inside this process's emulator (lib/bench-load.ts,
// rtm_emulator::runFlood) floods JS clients, whose listeners only count. Prints, per scenario,
// events/s (scenario cpp: a C++ handler's rate on the same flood, the ceiling), the JS thread's CPU time per event (/proc/self/task/<pid>/schedstat: the main thread's
// tid is the pid), RSS, and latency for a paced run, as `RESULT <name> <value>` lines. One run of
// one scenario; `npm run bench:inbound` runs each three times and prints medians (bench/run.cjs).
// Asserts nothing.
//   node --expose-gc bench/inbound.cjs <scenario>       scenarios: cpp peer channel paced backlog
// Environment: BENCH_PEER_COUNT (1 000 000), BENCH_CHANNEL_COUNT (100 000 messages × 10 receivers),
// BENCH_PACED_RATE (100 000/s), BENCH_PACED_SECONDS (3), BENCH_BACKLOG_COUNT (1 000 000),
// BENCH_TEXT_BYTES (24).
'use strict';
const fs = require('node:fs');

const APP_ID = '0123456789abcdef0123456789abcdef';
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const TEXT_BYTES = env('BENCH_TEXT_BYTES', 24);

// CPU time of the JS (main) thread in ns.
function jsThreadCpuNs() {
  return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]);
}
const rss = () => process.memoryUsage.rss();
const MB = (bytes) => Math.round(bytes / 1048576);
const nowNs = () => process.hrtime.bigint();
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function load() {
  const { default: AgoraRTM } = require('../dist/index.js');
  const { Emulator } = require('../dist/emulator.js');
  const { flood } = require('../dist/bench-load.js');
  return { AgoraRTM, Emulator, flood };
}

async function setup(receivers) {
  const { AgoraRTM, Emulator, flood } = load();
  const emu = await Emulator.start({ limits: { profile: 'unlimited' } });
  const clients = [];
  for (let i = 0; i < receivers; i++) {
    const c = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url, backlogHighWaterMark: 1e9 });
    if (process.env.NO_INLINE) c.setParameters({ "rtm.emulator.inline_callbacks": false });
    await c.login({ uid: `rx${i}` });
    clients.push(c);
  }
  return { emu, clients, flood };
}

async function teardown({ emu, clients }) {
  await Promise.all(clients.map((c) => c.release()));
  await emu.stop();
}

// Resolves once `expected` events were counted; samples RSS every 2^16 events.
function counter(expected) {
  const state = { received: 0, peak: rss(), lastNs: 0n };
  state.done = new Promise((resolve) => {
    state.on = () => {
      if ((++state.received & 0xffff) === 0) state.peak = Math.max(state.peak, rss());
      if (state.received === expected) {
        state.lastNs = nowNs();
        resolve();
      }
    };
  });
  return state;
}

function report(results) {
  for (const [name, value] of Object.entries(results)) console.log(`RESULT ${name} ${value}`);
}

async function afterGc() {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 100));
  global.gc?.();
  return rss();
}

// Floods with `args`, counting on `c` (listeners attached already): the JS thread's CPU, the time
// to the last event, RSS right after and after gc().
async function measureFlood(ctx, c, args) {
  const t0 = nowNs();
  const cpu0 = jsThreadCpuNs();
  const sent = await ctx.flood({ serviceUrl: ctx.emu.inprocUrl, senderId: 'tx', textBytes: TEXT_BYTES, ...args });
  await c.done;
  const cpu = jsThreadCpuNs() - cpu0;
  const seconds = Number(c.lastNs - t0) / 1e9;
  const rssEnd = rss();
  return { sent, cpu, seconds, rssEnd, rssGc: await afterGc() };
}

async function peer() {
  const count = env('BENCH_PEER_COUNT', 1_000_000);
  const ctx = await setup(1);
  const rssStart = await afterGc();
  const c = counter(count);
  ctx.clients[0].on('MessageFromPeer', c.on);
  const { sent, cpu, seconds, rssEnd, rssGc } = await measureFlood(ctx, c, { target: 'rx0', count });
  report({
    peer_js_events_per_s: Math.round(count / seconds),
    peer_cpp_sender_results_per_s: Math.round((sent.delivered / sent.elapsedMs) * 1000),
    peer_js_cpu_ns_per_event: (cpu / count).toFixed(0),
    peer_rss_start_mb: MB(rssStart),
    peer_rss_peak_mb: MB(c.peak),
    peer_rss_end_mb: MB(rssEnd),
    peer_rss_after_gc_mb: MB(rssGc),
  });
  await teardown(ctx);
}

// The ceiling: the same flood to a C++ receiver whose handler only counts (no JS on the path).
async function cpp() {
  const count = env('BENCH_PEER_COUNT', 1_000_000);
  const ctx = await setup(0);
  const sent = await ctx.flood({ serviceUrl: ctx.emu.inprocUrl, senderId: 'tx', target: 'cpp-rx', count, textBytes: TEXT_BYTES, cppReceiver: true });
  if (sent.received !== count) throw new Error(`the C++ receiver got ${sent.received} of ${count}`);
  report({ peer_cpp_handler_events_per_s: Math.round((sent.received / sent.receiveMs) * 1000) });
  await teardown(ctx);
}

async function channel() {
  const count = env('BENCH_CHANNEL_COUNT', 100_000);
  const receivers = 10;
  const ctx = await setup(receivers);
  const channels = ctx.clients.map((c) => c.createChannel('bench-room'));
  await Promise.all(channels.map((ch) => ch.join()));
  const rssStart = await afterGc();
  const c = counter(count * receivers);
  for (const ch of channels) ch.on('ChannelMessage', c.on);
  const { sent, cpu, seconds, rssEnd, rssGc } = await measureFlood(ctx, c, { target: 'bench-room', channel: true, count });
  report({
    channel_js_deliveries_per_s: Math.round((count * receivers) / seconds),
    channel_cpp_sender_results_per_s: Math.round((sent.delivered / sent.elapsedMs) * 1000),
    channel_js_cpu_ns_per_event: (cpu / (count * receivers)).toFixed(0),
    channel_rss_start_mb: MB(rssStart),
    channel_rss_peak_mb: MB(c.peak),
    channel_rss_end_mb: MB(rssEnd),
    channel_rss_after_gc_mb: MB(rssGc),
  });
  await Promise.all(channels.map((ch) => ch.leave()));
  await teardown(ctx);
}

async function paced() {
  const rate = env('BENCH_PACED_RATE', 100_000);
  const count = Math.round(rate * env('BENCH_PACED_SECONDS', 3));
  const ctx = await setup(1);
  const latencies = new Float64Array(count);
  let n = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  ctx.clients[0].on('MessageFromPeer', (message) => {
    const text = message.text;
    latencies[n++] = Number(nowNs() - BigInt(text.slice(0, text.indexOf(' '))));
    if (n === count) done();
  });
  const sent = await ctx.flood({
    serviceUrl: ctx.emu.inprocUrl,
    senderId: 'tx',
    target: 'rx0',
    count,
    textBytes: TEXT_BYTES,
    ratePerSecond: rate,
    stampTime: true,
  });
  await finished;
  // The rate the sender kept (its sends are due at fixed times; it sleeps between them).
  const achieved = Math.round(sent.sent / (sent.elapsedMs / 1000));
  // The first 10 %: warm-up (JIT, first chunk mappings).
  const steady = latencies.slice(Math.floor(count / 10)).sort();
  const pct = (p) => (steady[Math.min(steady.length - 1, Math.floor(steady.length * p))] / 1000).toFixed(1);
  // The floor under that: the same paced flood to a C++ receiver called on the same path (inline:
  // the sender's thread routes each message and calls the handler), i.e. all but the JS thread.
  const floor = await ctx.flood({
    serviceUrl: ctx.emu.inprocUrl,
    senderId: 'tx',
    target: 'cpp-rx',
    count,
    textBytes: TEXT_BYTES,
    ratePerSecond: rate,
    stampTime: true,
    cppReceiver: true,
  });
  if (floor.received !== count) throw new Error(`the C++ receiver got ${floor.received} of ${count}`);
  report({
    paced_rate_per_s: rate,
    paced_achieved_per_s: achieved,
    paced_latency_p50_us: pct(0.5),
    paced_latency_p99_us: pct(0.99),
    paced_latency_max_us: pct(1),
    paced_cpp_latency_p50_us: floor.latencyP50Us.toFixed(1),
    paced_cpp_latency_p99_us: floor.latencyP99Us.toFixed(1),
  });
  await teardown(ctx);
}

async function backlog() {
  const count = env('BENCH_BACKLOG_COUNT', 1_000_000);
  const ctx = await setup(1);
  const client = ctx.clients[0];
  const c = counter(count);
  client.on('MessageFromPeer', c.on);
  const rssStart = await afterGc();
  const sending = ctx.flood({ serviceUrl: ctx.emu.inprocUrl, senderId: 'tx', target: 'rx0', count, textBytes: TEXT_BYTES });
  // Stall the JS thread (sleeping, so the sender has the CPU) until the whole flood is queued.
  const deadline = Date.now() + 120_000;
  while (client.pendingEvents < count && Date.now() < deadline) sleepSync(5);
  const queued = client.pendingEvents;
  const rssQueued = rss();
  const t0 = nowNs();
  const cpu0 = jsThreadCpuNs();
  await c.done;
  const drainCpu = jsThreadCpuNs() - cpu0;
  const drainMs = Number(nowNs() - t0) / 1e6;
  await sending;
  const rssEnd = rss();
  const rssGc = await afterGc();
  report({
    backlog_queued_events: queued,
    backlog_bytes_per_event: ((rssQueued - rssStart) / queued).toFixed(0),
    backlog_rss_start_mb: MB(rssStart),
    backlog_rss_queued_mb: MB(rssQueued),
    backlog_rss_end_mb: MB(rssEnd),
    backlog_rss_after_gc_mb: MB(rssGc),
    backlog_drain_events_per_s: Math.round(count / (drainMs / 1000)),
    backlog_drain_js_cpu_ns_per_event: (drainCpu / count).toFixed(0),
  });
  await teardown(ctx);
}

const SCENARIOS = { cpp, peer, channel, paced, backlog };

const name = process.argv[2];
if (!SCENARIOS[name]) {
  console.error(`usage: node --expose-gc bench/inbound.cjs <scenario>; one of ${Object.keys(SCENARIOS).join(' ')}`);
  process.exit(2);
}
SCENARIOS[name]().catch((e) => {
  console.error(e);
  process.exit(1);
});
