// Backend selection: the real SDK is loaded with dlopen; when it cannot be found the error names
// every path tried. The drop-in emulator library stands in for libagora_rtm_sdk.so to drive the
// whole 'agora' path (dlopen → dlsym → version check → the same C++ interface).
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { ConnectionState, RtmSdkNotFoundError } from '../lib/index';
import { APP_ID, releaseAll, uniqueId } from './helpers/clients';
import { emulatorLibraryPath } from '../lib/emulator';
import { dropInLibrary } from './helpers/paths';

const savedEnv = { ...process.env };
afterEach(async () => {
  process.env = { ...savedEnv };
  await releaseAll();
});

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("backend 'agora'", () => {
  it('loads only the library named by sdkPath, else by AGORA_RTM_SDK_PATH, else the loader search, and says why it failed', () => {
    const tried = (options: { sdkPath?: string }): RtmSdkNotFoundError => {
      const err = thrownBy(() => AgoraRTM.createInstance(APP_ID, { backend: 'agora', ...options }));
      expect(err).toBeInstanceOf(RtmSdkNotFoundError);
      const e = err as RtmSdkNotFoundError;
      for (const attempt of e.attempts) {
        expect(attempt.reason).toMatch(/cannot open shared object file|No such file/);
        expect(e.message).toContain(attempt.path);
      }
      return e;
    };
    process.env.AGORA_RTM_SDK_PATH = '/nonexistent/env/libagora_rtm_sdk.so';
    expect(tried({ sdkPath: '/nonexistent/option/libagora_rtm_sdk.so' }).attempts.map((a) => a.path)).toEqual([
      '/nonexistent/option/libagora_rtm_sdk.so',
    ]);
    expect(tried({}).attempts.map((a) => a.path)).toEqual(['/nonexistent/env/libagora_rtm_sdk.so']);
    delete process.env.AGORA_RTM_SDK_PATH;
    expect(tried({}).attempts.map((a) => a.path)).toEqual(['libagora_rtm_sdk.so']);
  });

  it('a bad sdkPath is an error even after a library was loaded from AGORA_RTM_SDK_PATH', async () => {
    process.env.AGORA_RTM_SDK_PATH = dropInLibrary;
    await AgoraRTM.createInstance(APP_ID, { backend: 'agora' }).release();
    const err = thrownBy(() => AgoraRTM.createInstance(APP_ID, { backend: 'agora', sdkPath: '/nonexistent/libagora_rtm_sdk.so' }));
    expect(err).toBeInstanceOf(RtmSdkNotFoundError);
    expect((err as RtmSdkNotFoundError).attempts.map((a) => a.path)).toEqual(['/nonexistent/libagora_rtm_sdk.so']);
  });

  it('is the default backend, and getSdkVersion reports the same error', () => {
    delete process.env.AGORA_RTM_BACKEND;
    delete process.env.AGORA_RTM_SDK_PATH;
    expect(thrownBy(() => AgoraRTM.createInstance(APP_ID))).toBeInstanceOf(RtmSdkNotFoundError);
    expect(thrownBy(() => AgoraRTM.getSdkVersion())).toBeInstanceOf(RtmSdkNotFoundError);
  });

  it('rejects a library that is not the RTM SDK, naming the missing symbol', () => {
    const err = thrownBy(() => AgoraRTM.createInstance(APP_ID, { backend: 'agora', sdkPath: 'libm.so.6' }));
    expect(err).toBeInstanceOf(RtmSdkNotFoundError);
    expect((err as RtmSdkNotFoundError).attempts[0]).toMatchObject({ path: 'libm.so.6' });
    expect((err as RtmSdkNotFoundError).attempts[0]!.reason).toMatch(/createRtmService/);
  });

  it('drives any library that exports the two entry points: the drop-in emulator logs in through dlopen', async () => {
    // emulatorLibraryPath() finds the drop-in library beside the addon, wherever it was installed.
    expect(emulatorLibraryPath()).toBe(dropInLibrary);
    expect(AgoraRTM.getSdkVersion({ backend: 'agora', sdkPath: emulatorLibraryPath() })).toMatch(/^1\./);
    const client = AgoraRTM.createInstance(APP_ID, { backend: 'agora', sdkPath: emulatorLibraryPath() });
    try {
      await client.login({ uid: uniqueId('dlopen') });
      expect(client.connectionState === ConnectionState.CONNECTED || client.connectionState === ConnectionState.CONNECTING).toBe(true);
      await client.logout();
    } finally {
      await client.release();
    }
  });
});

describe("backend 'emulator'", () => {
  it('is chosen by AGORA_RTM_BACKEND and reports a 1.x version', async () => {
    process.env.AGORA_RTM_BACKEND = 'emulator';
    expect(AgoraRTM.getSdkVersion()).toMatch(/^1\.2\.2/);
    const client = AgoraRTM.createInstance(APP_ID);
    try {
      await client.login({ uid: uniqueId('envbackend') });
    } finally {
      await client.release();
    }
  });
});
