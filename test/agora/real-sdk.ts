// Shared by the real-SDK suite (npm run test:agora): where the library is, why a file skips, and a
// runner for child processes (each scenario runs in its own process so that a crash names it).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

/** The real libagora_rtm_sdk.so, from AGORA_RTM_SDK_PATH. */
export const sdkPath = process.env.AGORA_RTM_SDK_PATH ?? '';

/** Why the real-SDK tests skip, or '' when they run. */
export const skipReason =
  sdkPath === ''
    ? 'AGORA_RTM_SDK_PATH is not set: the real-SDK suite needs the v1.2.2 libagora_rtm_sdk.so (see README, "Real SDK")'
    : fs.existsSync(sdkPath)
      ? ''
      : `AGORA_RTM_SDK_PATH=${sdkPath} does not exist`;

if (skipReason !== '') console.warn(`[test:agora] skipped: ${skipReason}`);

export const agoraFixtures = path.join(repoRoot, 'test', 'agora', 'fixtures');

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/**
 * Runs `node <fixture> ...args` with AGORA_RTM_SDK_PATH set, in a scratch directory (the SDK
 * writes agorartm.log into its working directory). Kills it after `timeoutMs`.
 */
export function runFixture(fixture: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'rtm-agora-'));
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(agoraFixtures, fixture), ...args], {
      cwd,
      env: { ...process.env, AGORA_RTM_SDK_PATH: sdkPath, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      fs.rmSync(cwd, { recursive: true, force: true });
      resolve({ status, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

/** The JSON lines a fixture printed on stdout. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The last `start …` line a fixture wrote before a crash: the call that was running. */
export function lastStarted(stderr: string): string {
  const starts = stderr.split('\n').filter((l) => l.startsWith('start '));
  return starts.at(-1)?.slice('start '.length) ?? '(none)';
}
