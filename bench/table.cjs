// What `npm run bench` (bench/run.cjs) runs and the rows of its table: each job is one process
// printing `RESULT <name> <value>` lines; each row is one figure, its unit, and the goal of
// issue 12 it is held against (goals are printed, never asserted).
'use strict';

const CORE = 'build/Release/core_bench';
const inbound = (scenario) => ['node', '--expose-gc', 'bench/inbound.cjs', scenario];

const JOBS = [
  { name: 'core-peer', command: [CORE, 'peer', '1000000'], quick: [CORE, 'peer', '100000'] },
  { name: 'core-channel', command: [CORE, 'channel', '200000', '10'], quick: [CORE, 'channel', '20000', '10'] },
  { name: 'core-scale', command: [CORE, 'scale', '100000'], quick: [CORE, 'scale', '10000'] },
  { name: 'js-cpp-handler', command: inbound('cpp') },
  { name: 'js-peer', command: inbound('peer') },
  { name: 'js-channel', command: inbound('channel') },
  { name: 'js-paced', command: inbound('paced') },
  { name: 'js-backlog', command: inbound('backlog') },
  { name: 'js-outbound', command: ['node', 'bench/outbound.cjs'] },
  {
    name: 'js-clients',
    command: ['node', '--expose-gc', 'bench/clients.cjs', '1000', '20'],
    quick: ['node', '--expose-gc', 'bench/clients.cjs', '100', '5'],
  },
];

// Small-count variants of the node jobs for --quick (a check that the table runs end to end).
const QUICK_ENV = {
  BENCH_PEER_COUNT: '100000',
  BENCH_CHANNEL_COUNT: '10000',
  BENCH_PACED_SECONDS: '1',
  BENCH_BACKLOG_COUNT: '100000',
  BENCH_CALLS: '50000',
};

const atLeast = (x) => (v) => v >= x;
const atMost = (x) => (v) => v <= x;
// Per round, a / b of two figures measured in the same round.
const ratio = (a, b) => (samples) => (samples[a] ?? []).map((v, i) => v / samples[b]?.[i]).filter(Number.isFinite);
const difference = (a, b) => (samples) => (samples[a] ?? []).map((v, i) => v - samples[b]?.[i]).filter(Number.isFinite);

const ROWS = [
  // Emulator core, C++ only (core_bench).
  { name: 'peer_msgs_per_s', label: 'core: peer messages/s to a C++ handler', unit: '/s', goalText: '≥ 1 000 000', goal: atLeast(1e6), job: 'core-peer' },
  { name: 'peer_cpu_us_per_msg', label: 'core: CPU per peer message (whole process)', unit: 'µs', job: 'core-peer' },
  { name: 'channel_deliveries_per_s', label: 'core: channel deliveries/s, 1 → 10', unit: '/s', goalText: '≥ 1 000 000', goal: atLeast(1e6), job: 'core-channel' },
  { name: 'channel_cpu_us_per_delivery', label: 'core: CPU per channel delivery', unit: 'µs', job: 'core-channel' },
  { name: 'scale_clients', label: 'core: logged-in idle clients, one process', digits: 0, goalText: '100 000', goal: atLeast(100000), job: 'core-scale' },
  { name: 'scale_bytes_per_client', label: 'core: memory per idle client', unit: 'B', digits: 0, goalText: '≤ 8 192', goal: atMost(8192), job: 'core-scale' },
  { name: 'scale_threads', label: 'core: threads of that process', digits: 0, goalText: 'fixed', job: 'core-scale' },
  { name: 'scale_login_all_s', label: 'core: time to log them all in', unit: 's', job: 'core-scale' },
  { name: 'scale_sample_in_order', label: 'core: sampled clients get their events in order (1 = yes)', digits: 0, goalText: '1', goal: atLeast(1), job: 'core-scale' },
  // The JS event path (bench/inbound.cjs): a C++ sender in the addon's emulator floods JS clients.
  { name: 'peer_cpp_handler_events_per_s', label: 'flood of 1 M peer messages → C++ handler in node', unit: '/s', job: 'js-cpp-handler' },
  { name: 'peer_js_events_per_s', label: 'same flood → JS MessageFromPeer listener', unit: '/s', job: 'js-peer' },
  {
    name: 'js_vs_cpp',
    label: 'JS listener rate ÷ C++ handler rate (same round)',
    uses: ['peer_js_events_per_s', 'peer_cpp_handler_events_per_s'],
    derive: ratio('peer_js_events_per_s', 'peer_cpp_handler_events_per_s'),
    job: 'js-peer',
    goalText: '≥ 0.8',
    goal: atLeast(0.8),
    digits: 2,
  },
  { name: 'peer_js_cpu_ns_per_event', label: 'JS-thread CPU per inbound event, during the flood', unit: 'ns', digits: 0, goalText: '≤ 350', goal: atMost(350), job: 'js-peer' },
  { name: 'backlog_drain_js_cpu_ns_per_event', label: 'JS-thread CPU per inbound event, JS thread alone (backlog drain)', unit: 'ns', digits: 0, goalText: '≤ 350', goal: atMost(350), job: 'js-backlog' },
  { name: 'backlog_drain_events_per_s', label: 'JS capacity: backlog drained', unit: '/s', goalText: '≥ 2 500 000', goal: atLeast(2.5e6), job: 'js-backlog' },
  { name: 'channel_js_deliveries_per_s', label: 'channel, C++ sender → 10 JS receivers', unit: '/s', job: 'js-channel' },
  { name: 'channel_js_cpu_ns_per_event', label: 'JS-thread CPU per channel delivery', unit: 'ns', digits: 0, job: 'js-channel' },
  { name: 'outbound_js_cpu_ns_per_call', label: 'JS-thread CPU per sendMessageToPeer (10 k in flight)', unit: 'ns', digits: 0, goalText: '≤ 1 200', goal: atMost(1200), job: 'js-outbound' },
  { name: 'outbound_results_per_s', label: 'sendMessageToPeer results/s', unit: '/s', job: 'js-outbound' },
  { name: 'paced_latency_p50_us', label: 'latency at 100 000/s paced, C++ send → JS listener, p50', unit: 'µs', goalText: '≤ 30', goal: atMost(30), job: 'js-paced' },
  { name: 'paced_latency_p99_us', label: 'same, p99', unit: 'µs', goalText: '≤ 1 000', goal: atMost(1000), job: 'js-paced' },
  { name: 'paced_cpp_latency_p50_us', label: 'its floor: same paced flood → a C++ handler on the same path (inline, no JS thread), p50', unit: 'µs', job: 'js-paced' },
  { name: 'paced_cpp_latency_p99_us', label: 'same, p99', unit: 'µs', job: 'js-paced' },
  { name: 'backlog_bytes_per_event', label: 'memory per queued event (1 M backlog)', unit: 'B', digits: 0, goalText: '≤ 200', goal: atMost(200), job: 'js-backlog' },
  {
    name: 'backlog_rss_left_mb',
    label: 'RSS after the backlog drained (and gc) − at its start',
    unit: 'MB',
    uses: ['backlog_rss_after_gc_mb', 'backlog_rss_start_mb'],
    derive: difference('backlog_rss_after_gc_mb', 'backlog_rss_start_mb'),
    goalText: '≤ 50',
    goal: atMost(50),
    digits: 0,
    job: 'js-backlog',
  },
  { name: 'peer_rss_peak_mb', label: 'RSS peak during the 1 M flood', unit: 'MB', digits: 0, job: 'js-peer' },
  // Many JS clients (bench/clients.cjs).
  { name: 'js_clients', label: 'JS clients logged in, one process', digits: 0, job: 'js-clients' },
  { name: 'js_client_kb', label: 'per JS client (RSS)', unit: 'KB', job: 'js-clients' },
  { name: 'js_client_threads', label: 'OS threads per JS client', job: 'js-clients' },
  { name: 'js_clients_login_ms', label: 'time to log them all in', unit: 'ms', job: 'js-clients' },
  { name: 'js_clients_msgs_per_s', label: 'peer messages between them (a ring)', unit: '/s', job: 'js-clients' },
  { name: 'js_clients_misordered', label: 'of those, out of order or missing', goalText: '0', goal: atMost(0), digits: 0, job: 'js-clients' },
];

module.exports = { JOBS, ROWS, QUICK_ENV };
