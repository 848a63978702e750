'use strict';
// The fuzz driver: `npm run fuzz -- --seconds N --seed S [--procs P]`.
//
// Runs test/fuzz/worker.cjs in child processes for N seconds, P at a time (default 2), each for
// at most --child-seconds (default 4) with a seed derived from S (the first child's seed is S
// itself, so `--seed <childSeed> --children 1 --ops <its ops>` replays a child: the same calls
// with the same arguments, as far as JS choices go; what the SDK threads do in between may
// differ). Each child
// prints one report line; the driver adds up the figures and fails (exit 1) on any crash (exit by
// a signal or non-zero, or a sanitizer report on stderr), hang (no report within the child's
// budget + 30 s, or no exit within 10 s of the report: the package promises that a process
// exits by itself once its clients are released), foreign exception, uncaught exception or
// unhandled rejection, overdue or unsettled promise, live emulator object, or ERR_RTM_NATIVE error
// for a call whose arguments were plain (the addon failing where the argument checks should have
// refused the call, as with arrays with holes before commit 0d145da).
//
// Options:
//   --seconds N        total time (default 30)
//   --seed S           base seed, an unsigned 32-bit integer (default: from the clock, printed)
//   --procs P          children at a time (default 2)
//   --child-seconds C  time budget of each child (default 4)
//   --ops K            each child stops after K operations (replays exactly; the budget still caps it)
//   --children N       run at most N children (default: as many as fit in N seconds)
//   --verbose          print each child's report
//   --json FILE        write the totals and every child's report to FILE
//   --hang-seconds H   a child is hung without a report H s after its budget, or without an exit
//                      H s after its report (default 30 and 10)
//   --settle-ms M      how long a child's end waits for promises to settle and objects to go (4000)
//   --self-test K,…    one child per kind, each with that failure planted (test/fuzz.test.ts)
//
// The addon: whatever dist/ loads (node-gyp-build). AGORA_RTM_NODE_PREBUILD=<dir> makes it load
// <dir>/build/Release/agora_rtm_node.node instead (e.g. a sanitizer build); the environment,
// LD_PRELOAD and ASAN_OPTIONS included, is passed to the children unchanged.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WORKER = path.join(__dirname, 'worker.cjs');
const REPORT_PREFIX = 'FUZZ-REPORT ';
/** A worker's exit code when it could not load the package (dist/ or the addon missing). */
const SETUP_ERROR = 4;
const SANITIZER = /ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error: |SUMMARY: UndefinedBehaviorSanitizer/;

function usage(message) {
  process.stderr.write(`fuzz: ${message}\nusage: npm run fuzz -- --seconds N --seed S [--procs P] [--child-seconds C] [--ops K] [--children N] [--verbose] [--json FILE]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { seconds: 30, seed: undefined, procs: 2, childSeconds: 4, ops: undefined, verbose: false, json: undefined, hangSeconds: undefined, selfTest: undefined, settleMs: undefined, children: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (min) => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < min) usage(`${a} needs a number ≥ ${min}`);
      return v;
    };
    if (a === '--seconds') o.seconds = num(0.1);
    else if (a === '--seed') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) usage('--seed needs a non-negative integer');
      o.seed = Number(BigInt.asUintN(32, BigInt(v)));
    } else if (a === '--procs') o.procs = Math.floor(num(1));
    else if (a === '--child-seconds') o.childSeconds = num(0.1);
    else if (a === '--ops') o.ops = Math.floor(num(1));
    else if (a === '--children') o.children = Math.floor(num(1));
    else if (a === '--hang-seconds') o.hangSeconds = num(0.1);
    else if (a === '--settle-ms') o.settleMs = Math.floor(num(0));
    else if (a === '--self-test') {
      o.selfTest = String(argv[++i] ?? '').split(',').filter(Boolean);
      if (o.selfTest.length === 0) usage('--self-test needs a list of kinds');
    }
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--json') {
      o.json = argv[++i];
      if (o.json === undefined) usage('--json needs a file name');
    } else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown argument ${a}`);
  }
  if (o.seed === undefined) o.seed = (Date.now() ^ (process.pid << 16)) >>> 0;
  return o;
}

/** The seed of child `i`: S itself for the first, then a splitmix32 step of S and i. */
function childSeed(seed, i) {
  if (i === 0) return seed;
  let z = (seed + Math.imul(i, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function runChild(index, seed, budgetMs, opts) {
  return new Promise((resolve) => {
    const args = ['--expose-gc', '--no-warnings', WORKER, '--seed', String(seed), '--ms', String(budgetMs)];
    if (opts.ops !== undefined) args.push('--ops', String(opts.ops));
    if (opts.selfTest !== undefined) args.push('--self-test', opts.selfTest[index]);
    if (opts.settleMs !== undefined) args.push('--settle-ms', String(opts.settleMs));
    const reportGraceMs = (opts.hangSeconds ?? 30) * 1000;
    const exitGraceMs = (opts.hangSeconds ?? 10) * 1000;
    const started = Date.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    let report;
    let hang;
    let exitTimer;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
      if (report === undefined) {
        const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
        if (line !== undefined && stdout.includes('\n', stdout.indexOf(REPORT_PREFIX))) {
          try {
            report = JSON.parse(line.slice(REPORT_PREFIX.length));
          } catch (err) {
            report = null;
            stderr += `\n(fuzz: unreadable report: ${err.message})`;
          }
          clearTimeout(reportTimer);
          exitTimer = setTimeout(() => {
            hang = `no exit within ${exitGraceMs / 1000} s of its report (something keeps the event loop alive)`;
            child.kill('SIGKILL');
          }, exitGraceMs);
        }
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    const reportTimer = setTimeout(() => {
      hang = `no report within ${Math.round((budgetMs + reportGraceMs) / 1000)} s`;
      child.kill('SIGKILL');
    }, budgetMs + reportGraceMs);
    child.on('close', (code, signal) => {
      clearTimeout(reportTimer);
      clearTimeout(exitTimer);
      resolve({ index, seed, budgetMs, code, signal, report, hang, stderr, wallMs: Date.now() - started });
    });
  });
}

/** Why a child failed (empty: it passed). */
function problems(r) {
  const out = [];
  if (r.hang !== undefined) out.push(`hang: ${r.hang}`);
  else if (r.code === SETUP_ERROR) {
    const why = r.stderr.split('\n').find((l) => l.startsWith('fuzz worker:')) ?? r.stderr.trim();
    out.push(`setup: ${why.slice(0, 300)}`);
    return out;
  } else if (r.signal !== null) out.push(`crash: killed by ${r.signal}`);
  else if (r.code !== 0) out.push(`crash: exit code ${r.code}`);
  if (SANITIZER.test(r.stderr)) out.push('crash: sanitizer report on stderr');
  const rep = r.report;
  if (rep === undefined || rep === null) {
    if (r.hang === undefined) out.push('no report');
    return out;
  }
  if (rep.foreign > 0) out.push(`foreign exceptions: ${rep.foreign}`);
  if (rep.uncaught > 0) out.push(`uncaught exceptions / unhandled rejections: ${rep.uncaught}`);
  if (rep.overdue > 0) out.push(`promises overdue (past their safety timeout + 3 s): ${rep.overdue}`);
  if (rep.unsettled > 0) out.push(`unsettled promises after release: ${rep.unsettled}`);
  if (rep.liveObjects !== 0) out.push(`live emulator objects after release: ${rep.liveObjects}`);
  if (rep.nativeErrors > 0) out.push(`ERR_RTM_NATIVE for plain arguments: ${rep.nativeErrors}`);
  return out;
}

function childLine(r) {
  const rep = r.report ?? {};
  const p = problems(r);
  const fields = [
    `child ${r.index}`,
    `seed ${r.seed}`,
    `ops ${rep.ops ?? '?'}`,
    `calls ${rep.calls ?? '?'}`,
    `foreign ${rep.foreign ?? '?'}`,
    `uncaught ${rep.uncaught ?? '?'}`,
    `overdue ${rep.overdue ?? '?'}`,
    `unsettled ${rep.unsettled ?? '?'}`,
    `live ${rep.liveObjects ?? '?'}`,
    `native ${rep.nativeErrors ?? '?'}`,
    `${(r.wallMs / 1000).toFixed(1)} s`,
  ];
  return `fuzz: ${fields.join(', ')}: ${p.length === 0 ? 'ok' : `FAILED (${p.join('; ')})`}`;
}

function printFailure(r) {
  const rep = r.report;
  const out = [];
  out.push(`--- child ${r.index}, seed ${r.seed} ---`);
  if (rep) {
    for (const [name, list] of [
      ['foreign exceptions', rep.foreignSamples],
      ['uncaught', rep.uncaughtSamples],
      ['overdue promises', rep.overdueSamples],
      ['unsettled promises', rep.unsettledSamples],
      ['ERR_RTM_NATIVE for plain arguments', rep.nativeSamples],
    ]) {
      if (!list || list.length === 0) continue;
      out.push(`${name} (first ${list.length}):`);
      for (const s of list) out.push(JSON.stringify(s, null, 2).replace(/\\n/g, '\n    '));
    }
  }
  const tail = r.stderr.trim();
  if (tail.length > 0) out.push(`stderr (last 4 KB):\n${tail.slice(-4096)}`);
  const secs = Math.max(1, Math.ceil(r.budgetMs / 1000));
  // With the ops count the replay makes the same calls even on a slower machine (3× the budget).
  const replay = rep && rep.ops ? `--children 1 --ops ${rep.ops} --child-seconds ${secs * 3} --seconds ${secs * 3}` : `--children 1 --child-seconds ${secs} --seconds ${secs}`;
  out.push(`reproduce: npm run fuzz -- --seed ${r.seed} ${replay}`);
  out.push(`plan:      node test/fuzz/worker.cjs --seed ${r.seed} --dry-run ${rep && rep.ops ? rep.ops : 200}`);
  process.stdout.write(out.join('\n') + '\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const totalMs = opts.seconds * 1000;
  const childMs = Math.min(opts.childSeconds, opts.seconds) * 1000;
  const started = Date.now();
  process.stdout.write(`fuzz: seed ${opts.seed}, ${opts.seconds} s, ${opts.procs} at a time, ${childMs / 1000} s per child${opts.ops ? `, ${opts.ops} ops per child` : ''}\n`);

  const results = [];
  let next = 0;
  await new Promise((done) => {
    let running = 0;
    const spawnMore = () => {
      while (running < opts.procs) {
        const left = totalMs - (Date.now() - started);
        // The first child always runs; later ones only with a second or more left.
        if (opts.selfTest !== undefined ? next >= opts.selfTest.length : next > 0 && left < 1000) break;
        if (opts.children !== undefined && next >= opts.children) break;
        const index = next++;
        const seed = childSeed(opts.seed, index);
        running += 1;
        const budget = opts.selfTest !== undefined ? childMs : Math.max(100, Math.min(childMs, left));
        runChild(index, seed, budget, opts).then((r) => {
          running -= 1;
          results.push(r);
          process.stdout.write(childLine(r) + '\n');
          if (opts.verbose && r.report) process.stdout.write(JSON.stringify(r.report) + '\n');
          spawnMore();
          if (running === 0) done();
        });
      }
      if (running === 0) done();
    };
    spawnMore();
  });

  results.sort((a, b) => a.index - b.index);
  const addons = [...new Set(results.map((r) => r.report && r.report.addon).filter(Boolean))];
  if (addons.length > 0) process.stdout.write(`fuzz: addon ${addons.join(', ')}\n`);
  const sum = (f) => results.reduce((s, r) => s + (r.report ? f(r.report) : 0), 0);
  let crashes = 0;
  let hangs = 0;
  let setup = 0;
  for (const r of results) {
    if (r.hang !== undefined) hangs += 1;
    else if (r.code === SETUP_ERROR) setup += 1;
    else if (r.signal !== null || r.code !== 0 || SANITIZER.test(r.stderr) || !r.report) crashes += 1;
  }
  const totals = {
    seed: opts.seed,
    seconds: opts.seconds,
    children: results.length,
    calls: sum((r) => r.calls),
    ops: sum((r) => r.ops),
    crashes,
    hangs,
    foreign: sum((r) => r.foreign),
    unsettled: sum((r) => r.unsettled),
    liveObjects: sum((r) => Math.abs(r.liveObjects)),
    uncaught: sum((r) => r.uncaught),
    overdue: sum((r) => r.overdue),
    nativeErrors: sum((r) => r.nativeErrors),
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  const failed = results.filter((r) => problems(r).length > 0);
  for (const r of failed) printFailure(r);
  if (opts.json !== undefined) {
    fs.writeFileSync(opts.json, JSON.stringify({ totals, children: results.map(({ stderr, ...r }) => ({ ...r, stderrTail: stderr.slice(-4096) })) }, null, 2));
  }
  process.stdout.write(
    `fuzz: seed ${totals.seed}, ${totals.seconds} s, children ${totals.children}, calls ${totals.calls}, crashes ${totals.crashes}, ` +
      `hangs ${totals.hangs}, foreign exceptions ${totals.foreign}, unsettled ${totals.unsettled}, live objects ${totals.liveObjects}, ` +
      `uncaught ${totals.uncaught}, overdue ${totals.overdue}, native errors ${totals.nativeErrors}\n`,
  );
  if (setup > 0) {
    process.stdout.write(`fuzz: ${setup} children could not load the package (dist/ or the addon missing or being rebuilt): nothing was tested by them\n`);
  }
  if (failed.length > 0) {
    process.stdout.write(`fuzz: FAILED: ${failed.length} of ${results.length} children (seeds ${failed.map((r) => r.seed).join(', ')})\n`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`fuzz driver failed: ${err && err.stack}\n`);
  process.exitCode = 2;
});
