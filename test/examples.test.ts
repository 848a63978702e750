// The examples of examples/ run against the in-process emulator, print what they show, and exit
// by themselves (examples/remote-login.js: test/example.test.ts).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths';

function run(example: string): string[] {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'examples', example)], { encoding: 'utf8', timeout: 20_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n');
}

describe('examples', () => {
  it('echo-bot.js answers every message with its text', () => {
    const lines = run('echo-bot.js');
    expect(lines.filter((l) => l.startsWith('sent'))).toEqual([
      'sent "hello" (received: true)',
      'sent "how are you?" (received: true)',
      'sent "bye" (received: true)',
    ]);
    expect(lines.filter((l) => l.startsWith('echo-bot:'))).toEqual([
      'echo-bot: echo: hello',
      'echo-bot: echo: how are you?',
      'echo-bot: echo: bye',
    ]);
  });

  it('presence-monitor.js prints the snapshot and every change', () => {
    const lines = run('presence-monitor.js');
    expect(lines).toContain('online now: {"alice":true,"bob":false}');
    const changes = lines.filter((l) => / is /.test(l));
    expect(changes.slice(0, 2).sort()).toEqual(['alice is ONLINE', 'bob is OFFLINE']); // the snapshot
    expect(changes.slice(2)).toEqual(['bob is ONLINE', 'alice is OFFLINE']);
  });

  it('channel-moderator.js sets the topic, warns about spam and counts the warning in the attributes', () => {
    expect(run('channel-moderator.js')).toEqual([
      'topic: be nice (set by moderator)',
      'moderator says: user-1: no spam, please (warning 1)',
      'warnings in lobby: 1',
      'members: moderator, user-1',
    ]);
  });

  it('node-test.test.mjs: testing with the emulator under node:test passes', () => {
    const r = spawnSync(process.execPath, ['--test', path.join(repoRoot, 'examples', 'node-test.test.mjs')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# pass 2$/m);
    expect(r.stdout).toMatch(/^# fail 0$/m);
  });

  it('vitest.test.mjs: testing with the emulator under vitest passes', () => {
    const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const config = path.join(repoRoot, 'examples', 'vitest.config.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', '--config', config, '--reporter', 'verbose'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests {2}2 passed \(2\)/);
  });

  it('jest.test.cjs: testing with the emulator under jest passes, and jest exits by itself', () => {
    const jest = path.join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = spawnSync(process.execPath, [jest, '--rootDir', path.join(repoRoot, 'examples'), 'jest.test.cjs'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Tests: {7}1 passed, 1 total/);
    expect(r.stderr).not.toMatch(/did not exit/);
  });

  it('electron-main.js parses (not run: Electron cannot be installed here)', () => {
    const r = spawnSync(process.execPath, ['--check', path.join(repoRoot, 'examples', 'electron-main.js')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('call-bot.js accepts one invitation and refuses the other, with responses', () => {
    expect(run('call-bot.js')).toEqual(['"join me" → accepted: on my way', '"sell me something" → refused: busy']);
  });
});
