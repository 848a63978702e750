// The seeded fuzzer (test/fuzz/run.cjs, test/fuzz/worker.cjs): a short slice of it passes, its
// plan is a function of the seed alone, and its driver catches every kind of failure it checks.
// Longer runs: `npm run fuzz -- --seconds 600 --seed S` (README, "Developing this package").
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './helpers/paths';

const driver = path.join(repoRoot, 'test', 'fuzz', 'run.cjs');
const worker = path.join(repoRoot, 'test', 'fuzz', 'worker.cjs');
// scripts/test-sanitizers.sh sets 3: children under ASan start and run several times slower.
const SCALE = Number(process.env.RTM_TEST_TIME_SCALE) || 1;

interface Totals {
  seed: number;
  children: number;
  calls: number;
  crashes: number;
  hangs: number;
  foreign: number;
  unsettled: number;
  live: number;
  uncaught: number;
  overdue: number;
  native: number;
}

/** The driver's last summary line, as numbers. */
function totals(stdout: string): Totals {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('fuzz: seed ') && l.includes(' children '));
  expect(line, stdout).toBeDefined();
  const n = (name: string): number => {
    const m = new RegExp(`${name} (\\d+)`).exec(line!);
    expect(m, `${name} in ${line}`).not.toBeNull();
    return Number(m![1]);
  };
  return {
    seed: n('seed'),
    children: n('children'),
    calls: n('calls'),
    crashes: n('crashes'),
    hangs: n('hangs'),
    foreign: n('foreign exceptions'),
    unsettled: n('unsettled'),
    live: n('live objects'),
    uncaught: n('uncaught'),
    overdue: n('overdue'),
    native: n('native errors'),
  };
}

function run(file: string, args: string[], timeoutMs: number): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs * SCALE, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('fuzz', () => {
  it('a seeded 8 s slice: thousands of calls, no crash, hang, foreign exception, unsettled promise, live object or ERR_RTM_NATIVE', () => {
    const r = run(driver, ['--seconds', '8', '--seed', '1'], 25_000);
    const t = totals(r.stdout);
    expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
    expect(t.seed).toBe(1);
    expect(t.children).toBeGreaterThanOrEqual(2);
    expect(t.calls).toBeGreaterThan(2000);
    const { crashes, hangs, foreign, unsettled, live, uncaught, overdue, native } = t;
    expect({ crashes, hangs, foreign, unsettled, live, uncaught, overdue, native }).toEqual({
      crashes: 0,
      hangs: 0,
      foreign: 0,
      unsettled: 0,
      live: 0,
      uncaught: 0,
      overdue: 0,
      native: 0,
    });
  }, 30_000 * SCALE);

  it('the plan is a function of the seed alone: the same 200 operations twice, other ones for another seed', () => {
    const plan = (seed: number): string[] => {
      const r = run(worker, ['--seed', String(seed), '--dry-run', '200'], 20_000);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trimEnd().split('\n');
    };
    const first = plan(1234);
    expect(first).toHaveLength(200);
    expect(plan(1234)).toEqual(first);
    expect(plan(1235)).not.toEqual(first);
    // The plan covers the API: clients, channels, invitations, emulator faults, hostile arguments.
    const kinds = new Set(first.map((line) => line.split(' ')[1]));
    for (const kind of ['create', 'login', 'emuFault', 'channel', 'local']) expect(kinds).toContain(kind);
    expect(first.some((line) => line.includes('[exotic]'))).toBe(true);
  });

  it('--ops K replays exactly K operations of the seed', () => {
    const r = run(worker, ['--seed', '77', '--ops', '300', '--settle-ms', '1000'], 20_000);
    expect(r.status, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('FUZZ-REPORT '));
    const report = JSON.parse(line!.slice('FUZZ-REPORT '.length)) as { seed: number; ops: number; calls: number };
    expect(report.seed).toBe(77);
    expect(report.ops).toBe(300);
    expect(report.calls).toBeGreaterThan(100);
  });

  it('the driver catches each failure it checks for (planted ones) and names the seed to replay', () => {
    const kinds = ['foreign', 'unsettled', 'native', 'live', 'uncaught', 'crash', 'hang', 'noexit', 'sanitizer'];
    const r = run(driver, ['--seconds', '1', '--child-seconds', '1', '--procs', '9', '--seed', '5', '--self-test', kinds.join(','), '--hang-seconds', String(10 * SCALE), '--settle-ms', String(500 * SCALE)], 50_000);
    expect(r.status).toBe(1);
    const t = totals(r.stdout);
    expect(t.children).toBe(kinds.length);
    expect(t.foreign).toBe(1);
    expect(t.unsettled).toBe(1);
    expect(t.native).toBe(1);
    expect(t.live).toBeGreaterThan(0);
    expect(t.uncaught).toBe(1);
    expect(t.crashes).toBe(2); // killed by a signal; a sanitizer report on stderr
    expect(t.hangs).toBe(2); // no report; no exit after the report
    expect(r.stdout).toContain(`fuzz: FAILED: ${kinds.length} of ${kinds.length} children`);
    expect(r.stdout).toMatch(/reproduce: npm run fuzz -- --seed 5 --children 1 --ops \d+ --child-seconds 3 --seconds 3/);
  }, 60_000 * SCALE); // --hang-seconds 10 and --settle-ms 500 (the wind-down's budget): nine children at once stay within them under ASan too
});
