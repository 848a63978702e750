// When the OS refuses a resource (a thread, address space), the call that needed it fails with an
// RtmError and the process goes on: no abort (exit 134) from a C++ exception at the Node-API
// boundary. The emulator's callbacks run on one process-wide pool of threads (not one thread per
// client any more), started by the first client: the fixture makes that start fail by lowering
// its own address-space limit (prlimit) below what a thread stack needs.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from './helpers/paths';

// ASan reserves terabytes of address space, so `ulimit -v` cannot run under the sanitizer build
// (npm run test:sanitizers); the plain build runs this in every CI run.
const underAsan = (process.env.LD_PRELOAD ?? '').includes('libasan');

describe('resource limits', () => {
  it.skipIf(underAsan)('createInstance fails with an RtmError when no thread can be started, and works again once the limit is lifted', () => {
    const script = path.join(fixtures, 'thread-limit.cjs');
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      failure: { isRtmError: boolean; code: number; codeName: string; operation: string } | null;
      after: string;
    };
    expect(result.failure).toMatchObject({ isRtmError: true, code: 1, codeName: 'INIT_ERR_FAILURE', operation: 'initialize' });
    expect(result.after).toBe('CONNECTED');
  });
});
