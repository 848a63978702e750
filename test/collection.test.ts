// Clients the application drops without release(): one that is not logged in is released when
// garbage-collected (its emulator objects go; callbacks run on a shared pool, so no thread is
// made per client), one that is logged in stays alive and
// keeps delivering events, as a connected socket does. Runs in a child process with --expose-gc.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from './helpers/paths';

describe('dropped clients', () => {
  it('2 000 dropped clients are released when collected; a dropped logged-in client keeps working', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(fixtures, 'dropped-clients.cjs')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result.peak.objects).toBeGreaterThan(result.base.objects + 2000);
    // The emulator's callback pool: as many threads as cores (≥ 2) and a timer thread, not one per
    // client (a stalled pool may add one or two more).
    expect(result.peak.threads).toBeLessThanOrEqual(result.base.threads + 16);
    // What is left is the kept client's own (its service and session).
    expect(result.after.objects).toBeLessThanOrEqual(result.base.objects + 10);
    expect(result.after.threads).toBeLessThanOrEqual(result.base.threads + 5);
    expect(result).toMatchObject({ keptReceived: true, got: ['still there?'], users: ['kept'] });
  });
});
