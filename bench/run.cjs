// `npm run bench`: every performance figure of the project in one table. Each measure is a
// separate process that prints `RESULT <name> <value>` lines; they run REPS times (default 3),
// interleaved (all of round 1, then all of round 2, …) so a slow moment of the machine spreads
// over every measure, and the table shows each one's median and range beside its goal.
// Prints figures; asserts nothing (the exit code is 0 unless a measure could not run).
//
//   npm run bench                      (builds the TypeScript and the C++ bench program first)
//   node bench/run.cjs [--reps N] [--only name,name] [--quick]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { JOBS, ROWS, QUICK_ENV } = require('./table.cjs');

const root = path.join(__dirname, '..');

function parseArgs(argv) {
  const args = { reps: 3, only: null, quick: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') args.reps = Number(argv[++i]);
    else if (argv[i] === '--only') args.only = argv[++i].split(',');
    else if (argv[i] === '--quick') args.quick = true;
  }
  return args;
}

function runJob(job, quick) {
  const [cmd, ...rest] = (quick && job.quick) || job.command;
  const file = cmd === 'node' ? process.execPath : path.join(root, cmd);
  const started = Date.now();
  const env = quick ? { ...process.env, ...QUICK_ENV } : process.env;
  const r = spawnSync(file, rest, { cwd: root, env, encoding: 'utf8', timeout: job.timeoutMs ?? 600_000, maxBuffer: 64 << 20 });
  const results = {};
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^RESULT (\S+) (-?[\d.]+(?:e[+-]?\d+)?)\s*$/.exec(line);
    if (m) results[m[1]] = Number(m[2]);
  }
  const ok = r.status === 0 && !r.error;
  if (!ok) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    console.error(`bench: ${job.name} failed (${why})\n${(r.stderr ?? '').slice(-2000)}`);
  }
  return { ok, results, seconds: (Date.now() - started) / 1000 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(value, digits) {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2));
}

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  let build = '';
  try {
    build = fs.readFileSync(path.join(root, 'build', 'CMakeCache.txt'), 'utf8').match(/^CMAKE_BUILD_TYPE:\w+=(\w*)/m)?.[1] ?? '';
  } catch {}
  return `${cpus.length} × ${cpus[0]?.model?.trim() ?? 'cpu'}, node ${process.version}, load at start ${load}${build ? `, ${build} build` : ''}`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const jobs = JOBS.filter((j) => !args.only || args.only.includes(j.name));
  console.log(`bench: ${machine()}; ${args.reps} rounds of ${jobs.map((j) => j.name).join(', ')}`);
  const samples = {};
  let failed = false;
  for (let rep = 1; rep <= args.reps; rep++) {
    for (const job of jobs) {
      const r = runJob(job, args.quick);
      failed ||= !r.ok;
      for (const [name, value] of Object.entries(r.results)) (samples[name] ??= []).push(value);
      console.log(`  round ${rep}: ${job.name} ${r.ok ? 'done' : 'FAILED'} in ${r.seconds.toFixed(1)} s`);
    }
  }
  const value = (name) => (samples[name] ? median(samples[name]) : undefined);
  const lines = [
    '| measure | goal | median | range | |',
    '|---|---|---|---|---|',
  ];
  for (const row of ROWS) {
    if (row.job && !jobs.some((j) => j.name === row.job)) continue;
    const xs = row.derive ? row.derive(samples) : samples[row.name];
    if (!xs || xs.length === 0) {
      lines.push(`| ${row.label} | ${row.goalText ?? ''} | not measured | | |`);
      continue;
    }
    const m = median(xs);
    const range = xs.length > 1 ? `${fmt(Math.min(...xs), row.digits)} – ${fmt(Math.max(...xs), row.digits)}` : '';
    const met = row.goal ? (row.goal(m, value) ? 'met' : 'NOT met') : '';
    lines.push(`| ${row.label} | ${row.goalText ?? ''} | ${fmt(m, row.digits)}${row.unit ? ` ${row.unit}` : ''} | ${range} | ${met} |`);
  }
  console.log(`\n${lines.join('\n')}`);
  const unused = Object.keys(samples).filter((n) => !ROWS.some((r) => r.name === n || r.uses?.includes(n)));
  if (unused.length) console.log(`\nother figures: ${unused.map((n) => `${n} ${fmt(median(samples[n]))}`).join(', ')}`);
  if (failed) process.exitCode = 1;
}

main();
