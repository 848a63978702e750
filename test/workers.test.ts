// Per-environment addon state: clients in several worker threads at once.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { fixtures } from './helpers/paths';
import { APP_ID, uniqueId } from './helpers/clients';

function runWorker(uid: string): Promise<{ ok: boolean; states?: string[]; error?: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(fixtures, 'worker-login.cjs'), { workerData: { appId: APP_ID, uid } });
    let message: { ok: boolean; states?: string[]; error?: string } | undefined;
    worker.on('message', (m) => (message = m));
    worker.on('error', reject);
    worker.on('exit', (exitCode) => resolve({ ...(message ?? { ok: false, error: 'no message' }), exitCode }));
  });
}

describe('worker_threads', () => {
  it('4 workers each create, log in and release a client at the same time, and exit by themselves', async () => {
    const uids = [0, 1, 2, 3].map((i) => uniqueId(`worker${i}`));
    const results = await Promise.all(uids.map(runWorker));
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
      expect(result.exitCode).toBe(0);
    }
  });

  it('terminating workers while their clients are logged in does not crash the process', async () => {
    for (let round = 0; round < 5; round++) {
      const workers = [0, 1].map(
        (i) =>
          new Worker(
            `const { default: AgoraRTM } = require(${JSON.stringify(path.resolve(fixtures, '../../dist/index.js'))});
             const c = AgoraRTM.createInstance(${JSON.stringify(APP_ID)}, { backend: 'emulator' });
             c.on('ConnectionStateChanged', () => {});
             c.login({ uid: ${JSON.stringify(uniqueId('term'))} + '${i}' }).then(() => require('node:worker_threads').parentPort.postMessage('in'));`,
            { eval: true },
          ),
      );
      await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
      const codes = await Promise.all(workers.map((w) => w.terminate()));
      expect(codes).toEqual([1, 1]);
    }
  });
});
