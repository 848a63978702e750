// A listener that cannot keep up: the events wait in the binding (compactly), the client says how
// many (pendingEvents) and warns once past its high-water mark ('Backlog'), and every event still
// arrives, in order, none lost. Runs in a child process whose main thread is blocked while a
// worker floods it. Memory per queued event is measured by `npm run bench` (bench/inbound.cjs backlog), not asserted here.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from './helpers/paths';

describe('backlog', () => {
  it('50 000 events queued behind a blocked listener: counted, warned about once, all delivered in order', () => {
    const r = spawnSync(process.execPath, [path.join(fixtures, 'backlog.cjs'), '50000', '20000'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({
      acknowledged: 50_000,
      received: 50_000,
      inOrder: true,
      pendingAfter: 0,
      pendingAfterRelease: 0,
    });
    // Every acknowledged message reaches the receiver's queue while its listener is still blocked.
    expect(result.pendingWhileBlocked).toBeGreaterThanOrEqual(50_000);
    // Inside the first listener call: the rest of the backlog, minus the first message.
    expect(result.pendingInListener).toBe(result.pendingWhileBlocked - 1);
    expect(result.backlogEvents).toEqual([{ pending: result.pendingWhileBlocked, seenBefore: 0 }]);
  });

  it('backlogHighWaterMark must be an integer ≥ 1', async () => {
    const { default: AgoraRTM } = await import('../lib/index');
    for (const bad of [0, -1, 1.5, '10']) {
      expect(() => AgoraRTM.createInstance('0123456789abcdef0123456789abcdef', { backend: 'emulator', backlogHighWaterMark: bad as number })).toThrow(
        /backlogHighWaterMark/,
      );
    }
  });
});
