// Every public method of RtmClient, RtmChannel and LocalInvitation, in each state reachable offline
// (before login, CONNECTING, after the login timed out, after logout, after release), with valid
// and invalid arguments, on the real libagora_rtm_sdk.so: no crash, every promise settles, and the
// answer is the one the SDK gives for that call in that state (expected-outcomes.ts).
// RemoteInvitation is not reachable offline: no invitation can arrive without the service.
import { describe, expect, it } from 'vitest';
import { EXPECTED, type Outcome } from './expected-outcomes';
import { jsonLines, lastStarted, runFixture, skipReason } from './real-sdk';

const STATES = Object.keys(EXPECTED);

function format(o: Record<string, unknown>): string {
  if (o.outcome === 'threw' || o.outcome === 'rejected') return `${String(o.outcome)} ${String(o.error)}${o.codeName ? ` ${String(o.codeName)}` : ''}`;
  if (o.outcome === 'returned' && o.value !== undefined) return `returned ${String(o.value)}`;
  return String(o.outcome);
}

function matches(expected: Outcome | undefined, actual: string): boolean {
  if (expected === undefined) return false;
  return typeof expected === 'string' ? expected === actual : expected.includes(actual);
}

describe.skipIf(skipReason !== '')('real SDK: every public method in every offline state', () => {
  it('no crash, no unsettled promise, the SDK\'s own code for each call', async () => {
    const results = await Promise.all(STATES.map((state) => runFixture('state-matrix.cjs', [state], 90_000)));
    let calls = 0;
    let crashes = 0;
    let unsettled = 0;
    const mismatches: string[] = [];
    const problems: string[] = [];
    results.forEach((r, i) => {
      const state = STATES[i]!;
      if (r.status !== 0) {
        crashes += 1;
        problems.push(`${state}: exit ${r.status} signal ${r.signal}${r.timedOut ? ' (timed out)' : ''} during "${lastStarted(r.stderr)}"\n${r.stderr.slice(-2000)}`);
      }
      const lines = jsonLines(r.stdout);
      const seen = new Set<string>();
      for (const line of lines) {
        if (typeof line.call !== 'string') continue;
        calls += 1;
        seen.add(line.call);
        if (line.outcome === 'unsettled') unsettled += 1;
        const actual = format(line);
        const expected = EXPECTED[state]![line.call];
        if (!matches(expected, actual)) mismatches.push(`${state} | ${line.call}: expected ${JSON.stringify(expected)}, got "${actual}"`);
      }
      for (const call of Object.keys(EXPECTED[state]!)) {
        if (!seen.has(call)) mismatches.push(`${state} | ${call}: expected ${JSON.stringify(EXPECTED[state]![call])}, not reached`);
      }
    });
    console.log(
      `[test:agora] state matrix: ${calls} calls in ${STATES.length} states (${STATES.join(', ')}); ` +
        `crashes ${crashes}, unsettled promises ${unsettled}, code mismatches ${mismatches.length}`,
    );
    expect(problems).toEqual([]);
    expect(unsettled).toBe(0);
    expect(mismatches).toEqual([]);
  }, 150_000);
});
