// The process lifetime rules of a network client: a logged-in client keeps the process alive
// (like a connected socket) unless unref'd; released clients let it exit; process.exit() in any
// state is clean. Each case runs in its own child process, with no --forceExit anywhere.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fixtures } from './helpers/paths';

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  exitedAt: number;
  timedOut: boolean;
}

function runChild(mode: string, waitMs: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(fixtures, 'child-client.cjs'), mode], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, waitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, exitedAt: Date.now(), timedOut });
    });
  });
}

describe('process lifetime', () => {
  it('a child that logs in and releases exits by itself within 2 s', async () => {
    const r = await runChild('login-release', 10_000);
    expect(r.stderr).toBe('');
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    const releasedAt = Number(/released (\d+)/.exec(r.stdout)![1]);
    expect(r.exitedAt - releasedAt).toBeLessThan(2000);
  });

  it('a logged-in client keeps the process alive', async () => {
    const r = await runChild('login-stay', 2500);
    expect(r.stdout).toContain('logged-in');
    expect(r.timedOut).toBe(true);
  });

  it('unref() lets the process exit while logged in; ref() undoes it', async () => {
    const unrefd = await runChild('login-unref', 10_000);
    expect(unrefd.stdout).toContain('logged-in');
    expect(unrefd.timedOut).toBe(false);
    expect(unrefd.code).toBe(0);
    const refd = await runChild('unref-ref', 2500);
    expect(refd.stdout).toContain('logged-in');
    expect(refd.timedOut).toBe(true);
  });

  it('a client that never logged in does not keep the process alive', async () => {
    const r = await runChild('idle', 10_000);
    expect(r.stdout).toContain('created');
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
  });

  it('process.exit() while logged in exits cleanly', async () => {
    const r = await runChild('exit-logged-in', 10_000);
    expect(r.stdout).toContain('logged-in');
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it('process.exit() in the middle of a login exits cleanly', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await runChild('exit-mid-login', 10_000);
      expect(r.stdout).toContain('login-called');
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    }
  });
});
