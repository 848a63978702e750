// The native programs CMake builds beside the addon: the ABI pin of include/, a plain C++
// program linked against the drop-in emulator library, and the emulator's own semantics checks.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildDir } from './helpers/paths';

function run(program: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(path.join(buildDir, program), args, { encoding: 'utf8', timeout: 60_000, env });
  return { status: result.status, out: `${result.stdout}${result.stderr}`, error: result.error };
}

describe('native programs', () => {
  it('abi_check: include/ matches the RTM 1.x ABI (vtable offsets, layouts, enums)', () => {
    const { status, out, error } = run('abi_check');
    expect(error).toBeUndefined();
    expect(out).toMatch(/abi_check: (\d+) passed, 0 failed/);
    // Every method of all 11 interfaces plus one vtable-length check per interface.
    expect(Number(/(\d+) passed/.exec(out)![1])).toBe(138);
    expect(status).toBe(0);
  });

  it('dropin_login: a plain C++ program linked against libagora_rtm_emulator.so logs in and out', () => {
    const { status, out } = run('dropin_login', ['dropin-native-user']);
    expect(out).toContain('onConnectionStateChanged 2 1');
    expect(out).toContain('onLoginSuccess');
    expect(out).toContain('onLogout 0');
    expect(out).toMatch(/^OK$/m);
    expect(status).toBe(0);
  });

  it('dropin_login: AGORA_RTM_EMULATOR_PROFILE=unlimited lifts the login rate limit of the drop-in library', () => {
    const env = { ...process.env };
    delete env.AGORA_RTM_EMULATOR_PROFILE;
    const limited = run('dropin_login', ['dropin-burst-user', '20'], env);
    expect(limited.out).toMatch(/^OK$/m);
    // The default profile (2 logins per second): most of the 20 are refused with TOO_OFTEN.
    expect(Number(/^burst 20 refused (\d+)$/m.exec(limited.out)![1])).toBeGreaterThan(10);

    const unlimited = run('dropin_login', ['dropin-burst-user', '20'], { ...env, AGORA_RTM_EMULATOR_PROFILE: 'unlimited' });
    expect(unlimited.out).toMatch(/^burst 20 refused 0$/m);
    expect(unlimited.out).toMatch(/^OK$/m);
    expect(unlimited.status).toBe(0);

    const bad = run('dropin_login', ['dropin-burst-user', '20'], { ...env, AGORA_RTM_EMULATOR_PROFILE: 'no-such-profile' });
    expect(bad.out).toContain('AGORA_RTM_EMULATOR_PROFILE ignored');
    expect(bad.out).toMatch(/^burst 20 refused (1[1-9]|20)$/m);
  });

  it('emulator_semantics: the emulator answers as the real SDK does', () => {
    const { status, out } = run('emulator_semantics');
    expect(out).toMatch(/(\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });

  it('callback_pool_check: strands keep per-client order on the shared pool; stop() from a task or another thread', () => {
    const { status, out } = run('callback_pool_check');
    expect(out).toMatch(/callback_pool_check: (\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });

  it('pipeline_check: the request pipeline\'s batches, a burst answered in call order, senders flooding one receiver', () => {
    const { status, out } = run('pipeline_check');
    expect(out).toMatch(/pipeline_check: (\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });

  it('containers_check: Ring, ChunkQueue, KeyedWindow, InlineFunction, BlockCache and ObjectPool', () => {
    const { status, out } = run('containers_check');
    expect(out).toMatch(/containers_check: (\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });

  it('token_check: SHA-256 / HMAC known answers, Base64 and zlib decoding, the 006 / 007 token vectors', () => {
    const { status, out } = run('token_check');
    expect(out).toMatch(/token_check: (\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });

  it('channel_semantics: channels, members, channel messages and attributes, member counts', () => {
    const { status, out } = run('channel_semantics');
    expect(out).toMatch(/channel_semantics: (\d+) passed, 0 failed/);
    expect(status).toBe(0);
  });
});
