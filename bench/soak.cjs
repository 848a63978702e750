// Soak: mixed traffic over several emulated RTM services for N minutes — peer and channel
// messages, user and channel attributes, presence, member lists and counts, call invitations —
// with faults: kicks, link losses (Emulator#dropConnection / restoreConnection, short and long),
// token expiries, logouts, and restarts of whole services (the Emulator stopped, its clients
// drained and released, a new Emulator started, new clients logged in). Rate limits are off
// ('unlimited' profile) and the link timers short, so faults play out within seconds.
//
//   npm run soak -- --minutes N [--seed S] [--services 4] [--clients 8] [--rate 500]
//                   [--restart-every 30] [--fault-every 1500]
//                   [--faults drop,long-drop,kick,token,logout,restart]   (all by default; or none)
//
// It runs under --expose-gc (it re-executes itself with it) and exits non-zero on a failure.
// The seed fixes every random choice; timing still differs between runs.
//
// Message accounting. Each message carries in its text (or in the description of a RAW
// message, whose bytes are a pattern of its id) a unique id, its sender's incarnation (a client
// object; a uid logs in again after a restart as a new incarnation), its target and a sequence
// number per sender and target.
// - sent: calls made (sendMessageToPeer, RtmChannel#sendMessage).
// - acked: the promise resolved. Peer messages split by hasPeerReceived: true (RECEIVED, 0) or
//   false (PEER_UNREACHABLE 3 / CACHED_BY_SERVER 4). Rejections (SENT_TIMEOUT, a cut-off by a kick,
//   a leave or a logout, …) are counted apart and promise nothing.
// - delivered: MessageFromPeer / ChannelMessage events (channel messages: one per receiver).
// - expected, the deliveries the service promised:
//   * a peer message resolved with hasPeerReceived true, to its receiver (the service reports
//     RECEIVED once the receiver's client has it; kicks and link losses after that change nothing);
//   * a channel message resolved, to every other client R that (a) had its join() of the channel
//     resolved before the sendMessage call, and, from that call until SETTLE_MS after the
//     resolution, (b) did not leave or release that channel object, was not kicked, logged out
//     or released and its service was not stopped, and (c) had no link loss overlapping that
//     window that lasted long enough (≥ offlineAfterMs − 600 ms) for the service to remove its
//     session: channel messages sent while it is removed are lost by design (README "Emulator
//     behaviour"). A shorter link loss exempts nothing: held messages must arrive once it is back.
// - LOST: an expected delivery that has not happened GRACE_MS after the promise settled (plus
//   SETTLE_MS). Clients are released only after their calls settled and their events drained,
//   so a release never excuses a loss. Lost must be 0.
// - dup: one message delivered twice to one receiver. Must be 0.
// - reorder: per sender → receiver pair (per channel for channel messages), a message delivered
//   after one with a higher sequence number. The service keeps per-sender order for peer
//   messages (held ones before offline-cached ones) and channel messages; a link loss holds or
//   drops messages but never reorders them, so every pair counts. Must be 0.
// - misrouted (wrong receiver, channel or sender), corrupt (RAW bytes changed), late (delivered
//   after its verdict) are reported too; misrouted and corrupt must be 0.
// Also checked: each user / channel attribute write is read back (unless a fault intervened),
// each invitation answer's response reaches the caller, every invitation ends with a final event
// and every call settles before its client is released; a safety timeout of the binding (a call
// the emulator never answered) or an error that cannot happen here (TOO_OFTEN with rate limits
// off, an invalid argument, ERR_RTM_NATIVE) fails the run.
//
// Every 10 s one line (after a full gc): elapsed, sessions logged in at the services, peer and
// channel messages sent/acked/delivered, lost, dup, reorder, invitations completed, RSS and heap
// MB, threads (/proc/self/status), fds (/proc/self/fd), Emulator.liveObjectCount() and the
// largest client.pendingEvents sampled since the last line. At the end everything is released,
// the emulators stopped, and the summary compares RSS at warm-up (after the first minute) with
// the end of the traffic, threads and fds with the baseline taken before the first client.
'use strict';

if (typeof global.gc !== 'function') {
  // Re-execute with --expose-gc; a signal (a crash of the addon) is a failure.
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.error) {
    console.error(`soak: could not start node: ${r.error.message}`);
    process.exit(1);
  }
  if (r.signal !== null) {
    console.error(`soak: FAIL — the soak process was killed by ${r.signal} (a crash)`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

const fs = require('node:fs');
const path = require('node:path');

if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'index.js'))) {
  console.error('soak: dist/ is missing; run `npm run build:ts` first.');
  process.exit(1);
}

const { Emulator } = require('../dist/emulator.js');
const { default: AgoraRTM } = require('../dist/index.js');
const { World, APP_ID, FAULT_KINDS } = require('./soak/world.cjs');
const { makeRng, procStats, fdTable, sleep, collect } = require('./soak/util.cjs');

// --- options ----------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    minutes: 2,
    seed: (Date.now() ^ (process.pid << 16)) >>> 0,
    services: 4,
    clients: 8,
    rate: 500,
    restartEvery: 30,
    faultEvery: 1500,
    faults: 'drop,long-drop,kick,token,logout,restart',
  };
  const names = {
    '--minutes': 'minutes',
    '--seed': 'seed',
    '--services': 'services',
    '--clients': 'clients',
    '--rate': 'rate',
    '--restart-every': 'restartEvery',
    '--fault-every': 'faultEvery',
    '--faults': 'faults',
  };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split('=', 2);
    if (!(flag in names)) {
      console.error(`soak: unknown option ${flag}\nusage: npm run soak -- --minutes N [--seed S] [--services 4] [--clients 8] [--rate 500] [--restart-every 30] [--fault-every 1500] [--faults ${FAULT_KINDS.join(',')}]`);
      process.exit(2);
    }
    if (value === undefined) value = argv[++i];
    if (flag === '--faults') {
      const kinds = value === 'none' ? [] : String(value).split(',');
      const bad = kinds.filter((k) => !FAULT_KINDS.includes(k));
      if (bad.length > 0) {
        console.error(`soak: --faults takes a comma-separated list of ${FAULT_KINDS.join(', ')} (or none), got ${bad.join(', ')}`);
        process.exit(2);
      }
      o.faults = kinds.join(',');
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      console.error(`soak: ${flag} needs a positive number, got ${value}`);
      process.exit(2);
    }
    o[names[flag]] = flag === '--minutes' ? n : Math.floor(n);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));

/** Short link timers, every rate limit off; invitation timers short so that they end within seconds. */
const LIMITS = {
  profile: 'unlimited',
  loginTimeoutMs: 3000,
  interruptedAfterMs: 400,
  unreachableAfterMs: 800,
  offlineAfterMs: 2500,
  peerMessageTimeoutMs: 3000,
  channelMessageTimeoutMs: 3000,
  joinTimeoutMs: 2000,
  getMembersTimeoutMs: 2000,
  queryPeersOnlineStatusTimeoutMs: 2000,
  subscribeTimeoutMs: 2000,
  queryPeersBySubscriptionOptionTimeoutMs: 2000,
  attributeTimeoutMs: 2000,
  getChannelMemberCountTimeoutMs: 2000,
  invitationAckTimeoutMs: 1500,
  invitationExpireMs: 3000,
  invitationAcceptAckTimeoutMs: 1000,
  memberCountIntervalMs: 250,
};
const GRACE_MS = 8000;
const SETTLE_MS = 250;
const LONG_DROP_MS = LIMITS.offlineAfterMs - 600;
const DRAIN_MS = 20000;
const TICK_MS = 20;
const REPORT_MS = 10000;
const WARMUP_MS = 60000;
const RSS_TOLERANCE_MB = 10;

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
let summaryPrinted = false;
let crashed = null;

function crash(kind, err) {
  if (crashed !== null) return;
  crashed = `${kind}: ${err?.stack ?? String(err)}`;
  console.error(`\nsoak: FAIL — ${crashed}`);
  process.exit(1);
}
process.on('uncaughtException', (err) => crash('uncaught exception', err));
process.on('unhandledRejection', (err) => crash('unhandled rejection', err));
process.on('exit', (code) => {
  if (!summaryPrinted && crashed === null) {
    console.error(`soak: FAIL — the process exited (code ${code}) before the summary: something it awaited never settled and nothing else kept it alive`);
    process.exitCode = 1;
  }
});

const fmt = (x, d = 1) => x.toFixed(d);
const pad = (x, n) => String(x).padStart(n);

// --- the run ------------------------------------------------------------------------------------

/** One create / login / message / release cycle, so that one-time set-up is in the baseline. */
async function warmUpCycle() {
  const emu = await Emulator.start({ limits: LIMITS });
  const a = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
  const b = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url });
  await a.login({ uid: 'warm-a' });
  await b.login({ uid: 'warm-b' });
  const got = new Promise((resolve) => b.once('MessageFromPeer', resolve));
  await a.sendMessageToPeer({ text: 'warm' }, 'warm-b');
  await got;
  const ch = a.createChannel('warm');
  await ch.join();
  await Promise.all([a.release(), b.release()]);
  await emu.stop();
}

async function main() {
  const rng = makeRng(opts.seed);
  const durationMs = opts.minutes * 60000;
  console.log(
    `soak: ${opts.minutes} min, seed ${opts.seed}, ${opts.services} services × ${opts.clients} clients, ` +
      `~${opts.rate} msgs/s (4:1 peer:channel), a fault every ${opts.faultEvery} ms per service (${opts.faults || 'none'}), a restart every ${opts.restartEvery} s; node ${process.version}`,
  );
  void process.stderr; // stdio streams open their handles (a pipe: also /dev/null) when first used: before the baseline
  const first = procStats();
  await warmUpCycle();
  await collect(5);
  await sleep(300);
  const baseline = procStats();
  const baselineFds = fdTable();
  console.log(
    `baseline: rss ${fmt(baseline.rss)} MB, heap ${fmt(baseline.heap)} MB, threads ${baseline.threads}, fds ${baseline.fds} ` +
      `(before the first client: threads ${first.threads}, fds ${first.fds})`,
  );

  const world = new World({
    rng,
    limits: LIMITS,
    services: opts.services,
    clientsPerService: opts.clients,
    graceMs: GRACE_MS,
    settleMs: SETTLE_MS,
    longDropMs: LONG_DROP_MS,
    drainMs: DRAIN_MS,
    faults: new Set(opts.faults.split(',').filter(Boolean)),
  });
  await world.start();

  // Traffic, faults, restarts.
  const nAgents = opts.services * opts.clients;
  const perTickPeer = (opts.rate * 0.8 * TICK_MS) / 1000 / nAgents;
  const perTickChannel = (opts.rate * 0.2 * TICK_MS) / 1000 / nAgents;
  const perTickOther = (1.5 * TICK_MS) / 1000; // other calls per agent per second
  const perTickFault = TICK_MS / opts.faultEvery;
  const times = (p) => Math.floor(p) + (rng() < p - Math.floor(p) ? 1 : 0);
  let restarting = null;
  let nextRestart = 20000;
  let maxPending = 0;
  let maxPendingEver = 0;
  let sampleCount = 0;

  const traffic = setInterval(() => {
    if (world.quiescing) return;
    for (const svc of world.services) {
      if (svc.stopping) continue;
      for (const a of svc.agents) {
        for (let n = times(perTickPeer); n > 0; n--) a.sendPeer();
        for (let n = times(perTickChannel); n > 0; n--) a.sendChannel();
        if (rng() < perTickOther) a.other();
      }
      if (rng() < perTickFault) svc.fault();
    }
    const t = performance.now() - started;
    if (restarting === null && !world.noMoreRestarts && world.faults.has('restart') && t >= nextRestart) {
      nextRestart = t + opts.restartEvery * 1000;
      const svc = rng.pick(world.services.filter((s) => !s.stopping));
      if (svc !== undefined) {
        restarting = svc.restart().finally(() => {
          restarting = null;
        });
      }
    }
    if (++sampleCount % 5 === 0) {
      for (const a of world.agents) {
        if (a.client === null || a.released) continue;
        const p = a.client.pendingEvents;
        if (p > maxPending) maxPending = p;
      }
    }
  }, TICK_MS);

  const verdicts = setInterval(() => {
    const t = performance.now();
    world.ledger.tick(t);
    for (const a of world.agents) a.pruneLog(t - 4 * GRACE_MS);
  }, 500);

  const sessions = () => {
    let n = 0;
    for (const s of world.services) {
      if (s.emu === null || s.stopping) continue;
      try {
        n += s.emu.users().length;
      } catch {
        // stopped meanwhile
      }
    }
    return n;
  };

  const L = world.ledger;
  const line = (stats) => {
    const p = L.peer;
    const c = L.chan;
    console.log(
      `[${pad(fmt(elapsed(), 0), 4)}s] sessions ${pad(sessions(), 3)} | peer sent/acked(rcv)/dlv ${p.sent}/${p.acked}(${p.ackedReceived})/${p.delivered}` +
        ` | chan sent/acked/dlv ${c.sent}/${c.acked}/${c.delivered} | lost ${p.lost + c.lost} dup ${L.dup} reorder ${L.reorder}` +
        ` | inv ${world.inv.completed} | rss ${fmt(stats.rss)} MB heap ${fmt(stats.heap)} MB | threads ${stats.threads} fds ${stats.fds}` +
        ` | live ${Emulator.liveObjectCount()} | maxPending ${maxPending}`,
    );
    if (maxPending > maxPendingEver) maxPendingEver = maxPending;
    maxPending = 0;
  };

  // Periodic lines; the warm-up sample after the first minute (not during a restart).
  const rssAfterWarmup = [];
  let warm = null;
  let peak = { threads: 0, fds: 0, rss: 0 };
  const end = started + durationMs;
  let nextReport = started + REPORT_MS;
  while (performance.now() < end) {
    await sleep(Math.min(250, Math.max(0, end - performance.now())));
    const t = performance.now();
    if (warm === null && t - started >= WARMUP_MS && restarting === null) {
      await collect(2);
      warm = { at: elapsed(), ...procStats() };
    }
    if (t >= nextReport) {
      nextReport += REPORT_MS;
      await collect(1);
      const s = procStats();
      peak = { threads: Math.max(peak.threads, s.threads), fds: Math.max(peak.fds, s.fds), rss: Math.max(peak.rss, s.rss) };
      if (warm !== null) rssAfterWarmup.push(s.rss);
      line(s);
    }
  }

  // --- wind down ----------------------------------------------------------------------------------
  world.noMoreRestarts = true;
  if (restarting !== null) await restarting;
  await collect(2);
  const endOfTraffic = { at: elapsed(), ...procStats() };
  if (warm === null) warm = endOfTraffic; // a run shorter than the warm-up: nothing to compare
  world.quiescing = true;
  clearInterval(traffic);
  for (const svc of world.services) for (const a of svc.agents) svc.restore(a);
  const drained = await Promise.all(world.services.map((s) => s.drain(DRAIN_MS)));
  world.services.forEach((s, i) => {
    if (!drained[i]) for (const x of s.leftovers()) world.unfinished.push(`at the end: ${x}`);
  });
  // Every verdict: wait until the last settled message is due, then judge the rest.
  const lastDue = L.queue.length > L.head ? L.queue[L.queue.length - 1].due : 0;
  while (performance.now() < lastDue) await sleep(Math.min(500, lastDue - performance.now()));
  clearInterval(verdicts);
  L.tick(performance.now(), true);
  const openRecords = L.open; // messages whose promise never settled

  // Release: half of the clients log out first, the others are released logged in.
  const agents = world.agents;
  await Promise.all(
    agents.map(async (a, i) => {
      if (i % 2 === 0 && a.phase === 'online') await a.call('logout', () => a.client.logout());
    }),
  );
  await Promise.all(agents.map((a) => a.release()));
  for (const s of world.services) if (s.emu !== null) await s.emu.stop();
  await sleep(100);
  const unsettled = [...world.pending].map((e) => `${e.op} of ${e.agent}`);
  for (const s of world.services) s.agents = [];

  // Back to baseline? Give threads and finalizers a moment.
  const settleUntil = performance.now() + 5000;
  let last;
  for (;;) {
    await collect(3);
    last = procStats();
    if ((last.threads <= baseline.threads && last.fds <= baseline.fds) || performance.now() > settleUntil) break;
    await sleep(250);
  }
  const live = Emulator.liveObjectCount();
  line(last);

  // --- summary ------------------------------------------------------------------------------------
  const p = L.peer;
  const c = L.chan;
  const cnt = world.counters;
  const lost = p.lost + c.lost;
  const rssGrowth = endOfTraffic.rss - warm.rss;
  const flat = rssGrowth <= RSS_TOLERANCE_MB;
  const warmedUp = warm !== endOfTraffic;
  const threadsBack = last.threads <= baseline.threads;
  const fdsBack = last.fds <= baseline.fds;
  const invOutcomes = Object.entries(world.inv.outcomes)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const errors = [...world.errors.entries()].sort((x, y) => y[1] - x[1]);
  const slope = rssAfterWarmup.length >= 2 ? (rssAfterWarmup[rssAfterWarmup.length - 1] - rssAfterWarmup[0]) / ((rssAfterWarmup.length - 1) * REPORT_MS / 60000) : 0;

  const out = [];
  out.push('');
  out.push(`=== soak summary: ${fmt(elapsed(), 0)} s (${opts.minutes} min of traffic), seed ${opts.seed}`);
  out.push(
    `faults: ${cnt.restarts} service restarts, ${cnt.kicks} kicks, ${cnt.shortDrops} short and ${cnt.longDrops} long link losses, ` +
      `${cnt.tokenExpiries} token expiries, ${cnt.voluntaryRelogins} logout+login; ${cnt.logins} logins, ${world.nextInc - 1} clients created, ${world.calls} calls`,
  );
  out.push(
    `peer messages: sent ${p.sent}, acked ${p.acked} (hasPeerReceived true ${p.ackedReceived}, false ${p.ackedUnreachable + p.ackedCached}: unreachable ${p.ackedUnreachable}, cached ${p.ackedCached}), ` +
      `rejected ${p.rejected}, delivered ${p.delivered} (offline ${p.deliveredOffline}); expected ${p.expected}, delivered of those ${p.expectedDelivered}, LOST ${p.lost}`,
  );
  out.push(
    `channel messages: sent ${c.sent}, acked ${c.acked}, rejected ${c.rejected}, delivered ${c.delivered} (receptions); ` +
      `expected receptions ${c.expected}, delivered of those ${c.expectedDelivered}, LOST ${c.lost}`,
  );
  out.push(`duplicates ${L.dup}, reorders ${L.reorder}, misrouted ${L.misrouted}, corrupt ${L.corrupt}, late ${L.late} (of them counted lost ${L.lateAfterLost}); messages never settled ${openRecords}`);
  out.push(
    `invitations: sent ${world.inv.sent}, completed ${world.inv.completed} (${invOutcomes || 'none'}); received ${world.inv.received}, ended ${world.inv.remoteEnded}; ` +
      `cancel lost the race ${world.inv.cancelsLost}, answer lost the race ${world.inv.answersLost}`,
  );
  out.push(
    `attributes: ${cnt.attributeChecks} read-backs matched, ${world.mismatches.length} mismatches; events: AttributesUpdated ${cnt.attributesUpdatedEvents}, ` +
      `presence ${cnt.presenceEvents}, member joined/left ${cnt.memberEvents}, member counts ${cnt.memberCountEvents}, TokenExpired ${cnt.tokenExpiredEvents}, Backlog ${cnt.backlogEvents}; channel objects recreated ${cnt.channelRecreations}`,
  );
  out.push(`rejections by operation: ${errors.slice(0, 14).map(([k, v]) => `${k} ${v}`).join('; ') || 'none'}${errors.length > 14 ? `; … ${errors.length - 14} more kinds` : ''}`);
  out.push(`safety timeouts ${world.safetyTimeouts.length}, unexpected errors ${world.unexpected.length}, calls or invitations open at a release ${world.unfinished.length}`);
  out.push(
    `RSS: baseline ${fmt(baseline.rss)} MB, warm-up (${fmt(warm.at, 0)} s) ${fmt(warm.rss)} MB, end of traffic (${fmt(endOfTraffic.at, 0)} s) ${fmt(endOfTraffic.rss)} MB ` +
      `(${rssGrowth >= 0 ? '+' : ''}${fmt(rssGrowth)} MB; ${slope >= 0 ? '+' : ''}${fmt(slope, 2)} MB/min over the lines after warm-up), peak ${fmt(peak.rss)} MB, after release ${fmt(last.rss)} MB`,
  );
  out.push(`flat within ${RSS_TOLERANCE_MB} MB after warm-up: ${warmedUp ? (flat ? 'yes' : 'no') : 'n/a (the run is shorter than the warm-up)'}`);
  out.push(`heap: warm-up ${fmt(warm.heap)} MB, end of traffic ${fmt(endOfTraffic.heap)} MB, after release ${fmt(last.heap)} MB`);
  out.push(`threads: baseline ${baseline.threads}, peak ${peak.threads}, end ${last.threads} → back to baseline: ${threadsBack ? 'yes' : 'no'}`);
  out.push(`fds: baseline ${baseline.fds}, peak ${peak.fds}, end ${last.fds} → back to baseline: ${fdsBack ? 'yes' : 'no'}`);
  if (!fdsBack) {
    const extra = [...fdTable()].filter(([fd, what]) => baselineFds.get(fd) !== what).map(([fd, what]) => `${fd} → ${what}`);
    out.push(`  fds not in the baseline: ${extra.join(', ')}`);
  }
  out.push(`live emulator objects at the end: ${live}; largest client.pendingEvents seen: ${Math.max(maxPendingEver, maxPending)}`);
  out.push(`unsettled promises at the end: ${unsettled.length}`);

  const reasons = [];
  if (lost > 0) reasons.push(`${lost} lost`);
  if (L.dup > 0) reasons.push(`${L.dup} duplicates`);
  if (L.reorder > 0) reasons.push(`${L.reorder} reorders`);
  if (L.misrouted > 0) reasons.push(`${L.misrouted} misrouted`);
  if (L.corrupt > 0) reasons.push(`${L.corrupt} corrupt`);
  if (openRecords > 0) reasons.push(`${openRecords} messages whose promise never settled`);
  if (unsettled.length > 0) reasons.push(`${unsettled.length} unsettled promises`);
  if (world.unfinished.length > 0) reasons.push(`${world.unfinished.length} calls or invitations still open at a release`);
  if (world.safetyTimeouts.length > 0) reasons.push(`${world.safetyTimeouts.length} safety timeouts`);
  if (world.unexpected.length > 0) reasons.push(`${world.unexpected.length} unexpected errors`);
  if (world.mismatches.length > 0) reasons.push(`${world.mismatches.length} read-back mismatches`);
  if (world.failures.length > 0) reasons.push(`${world.failures.length} failed releases`);
  if (live > 0) reasons.push(`${live} live emulator objects`);
  if (warmedUp && !flat) reasons.push(`RSS grew ${fmt(rssGrowth)} MB after warm-up`);
  if (!threadsBack) reasons.push(`threads ${last.threads} > baseline ${baseline.threads}`);
  if (!fdsBack) reasons.push(`fds ${last.fds} > baseline ${baseline.fds}`);

  const detail = (title, list) => {
    if (list.length === 0) return;
    out.push(`${title} (${list.length}${list.length > 12 ? ', first 12' : ''}):`);
    for (const x of list.slice(0, 12)) out.push(`  - ${x}`);
  };
  for (const [k, v] of Object.entries(L.samples)) detail(`${k}`, v);
  detail('unsettled promises', unsettled);
  detail('open at a release', world.unfinished);
  detail('safety timeouts', world.safetyTimeouts);
  detail('unexpected errors', world.unexpected);
  detail('read-back mismatches', world.mismatches);
  detail('failed releases', world.failures);
  out.push(reasons.length === 0 ? 'RESULT: PASS' : `RESULT: FAIL — ${reasons.join(', ')}`);
  console.log(out.join('\n'));
  summaryPrinted = true;
  process.exitCode = reasons.length === 0 ? 0 : 1;

  // Released clients keep nothing alive: the process must now exit by itself.
  setTimeout(() => {
    console.error('soak: FAIL — the process did not exit by itself within 10 s after everything was released');
    process.exit(1);
  }, 10000).unref();
}

// A hang anywhere (a drain that never ends, a release that never returns) fails the run.
const watchdog = setTimeout(
  () => {
    console.error(`soak: FAIL — still running ${fmt(elapsed(), 0)} s after the start: a hang`);
    process.exit(1);
  },
  opts.minutes * 60000 + 180000,
);
main()
  .catch((err) => crash('the soak itself failed', err))
  .finally(() => clearTimeout(watchdog));
