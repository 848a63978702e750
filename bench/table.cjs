// What `npm run bench` (bench/run.cjs) runs and the rows of its table: each job is one process
// printing `RESULT <name> <value>` lines; each row is one figure, its unit, and the goal of
// issue 12 it is held against (goals are printed, never asserted).
'use strict';

const JOBS = [
  {
    name: 'js-clients',
    command: ['node', '--expose-gc', 'bench/clients.cjs', '1000', '20'],
    quick: ['node', '--expose-gc', 'bench/clients.cjs', '100', '5'],
  },
];

const atLeast = (x) => (v) => v >= x;
const atMost = (x) => (v) => v <= x;

const ROWS = [
  { name: 'js_clients', label: 'JS clients logged in, one process', digits: 0, job: 'js-clients' },
  { name: 'js_client_kb', label: 'per JS client (RSS)', unit: 'KB', job: 'js-clients' },
  { name: 'js_client_threads', label: 'OS threads per JS client', job: 'js-clients' },
  { name: 'js_clients_login_ms', label: 'time to log them all in', unit: 'ms', job: 'js-clients' },
  { name: 'js_clients_msgs_per_s', label: 'peer messages between them (ring, in order)', unit: '/s', job: 'js-clients' },
  {
    name: 'js_clients_misordered',
    label: 'messages out of order or missing',
    goalText: '0',
    goal: atMost(0),
    digits: 0,
    job: 'js-clients',
  },
];

module.exports = { JOBS, ROWS, atLeast, atMost };
