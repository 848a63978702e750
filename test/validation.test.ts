// Argument checks through the public API, on a real client of the emulator backend: a bad
// argument rejects (or throws) BEFORE any native call. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, {
  ConnectionState,
  LoginErrCode,
  RtmClient,
  RtmInvalidArgumentError,
  RtmReleasedError,
  type CreateInstanceOptions,
} from '../lib/index';
import { LocalErrCode, localCodeName } from '../lib/errors';
import { native } from '../lib/native';

const APP_ID = '0123456789abcdef0123456789abcdef';
const clients: RtmClient[] = [];

function client(options: CreateInstanceOptions = {}): RtmClient {
  const c = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', ...options });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.release()));
});

/**
 * Counts native login calls when the addon lets us wrap its method; otherwise (a read-only
 * prototype property) the check falls back on the message, which only the validator writes.
 */
function countNativeLogins(): { count: () => number | undefined; restore: () => void } {
  const proto = native.RtmClient.prototype as unknown as Record<string, unknown>;
  const desc = Object.getOwnPropertyDescriptor(proto, 'login');
  if (!desc || typeof desc.value !== 'function' || !(desc.writable || desc.configurable)) {
    return { count: () => undefined, restore: () => {} };
  }
  let n = 0;
  const original = desc.value as (...args: unknown[]) => unknown;
  Object.defineProperty(proto, 'login', {
    ...desc,
    value(this: unknown, ...args: unknown[]) {
      n += 1;
      return original.apply(this, args);
    },
  });
  return { count: () => n, restore: () => Object.defineProperty(proto, 'login', desc) };
}

const BAD_UIDS: [string, string][] = [
  ['empty', ''],
  ['65 bytes', 'a'.repeat(65)],
  ['"null"', 'null'],
  ['a tab', 'a\tb'],
  ['a newline', 'a\nb'],
  ['non-ASCII', 'jürgen'],
  ['an emoji', 'smile😀'],
  ['a NUL byte', 'a\0b'],
  ['a quote', 'it\'s'],
  ['a slash', 'a/b'],
  ['a backslash', 'a\\b'],
  ['an asterisk', 'a*b'],
  ['a double quote', 'a"b'],
  ['a backtick', 'a`b'],
];

describe('login validates uid before the native call', () => {
  for (const [what, uid] of BAD_UIDS) {
    it(`rejects a uid with ${what}`, async () => {
      const c = client();
      const spy = countNativeLogins();
      try {
        let p: Promise<void> | undefined;
        expect(() => (p = c.login({ uid }))).not.toThrow(); // a rejection, not a throw
        const err = await p!.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RtmInvalidArgumentError);
        const e = err as RtmInvalidArgumentError;
        expect(e.code).toBe(LoginErrCode.INVALID_ARGUMENT);
        expect(e.codeName).toBe('LOGIN_ERR_INVALID_ARGUMENT');
        expect(e.operation).toBe('login');
        expect(e.message).toMatch(/^login\(\): uid /); // the validator's words, not the SDK's code
        expect(spy.count() ?? 0).toBe(0);
        expect(c.connectionState).toBe(ConnectionState.DISCONNECTED);
      } finally {
        spy.restore();
      }
    });
  }

  const WRONG_TYPES: [string, unknown][] = [
    ['a number uid', { uid: 42 }],
    ['a missing uid', {}],
    ['a null uid', { uid: null }],
    ['an object uid', { uid: { id: 'a' } }],
    ['no options', undefined],
    ['a string instead of options', 'alice'],
    ['a number token', { uid: 'alice', token: 7 }],
  ];
  for (const [what, options] of WRONG_TYPES) {
    it(`throws TypeError (as a rejection) for ${what}`, async () => {
      const c = client();
      const spy = countNativeLogins();
      try {
        await expect(c.login(options as { uid: string })).rejects.toBeInstanceOf(TypeError);
        expect(spy.count() ?? 0).toBe(0);
      } finally {
        spy.restore();
      }
    });
  }

  it('rejects a token with a NUL byte and an unknown option key', async () => {
    const c = client();
    await expect(c.login({ uid: 'alice', token: 'a\0b' })).rejects.toBeInstanceOf(RtmInvalidArgumentError);
    await expect(c.login({ uid: 'alice', tokne: 'x' } as unknown as { uid: string })).rejects.toBeInstanceOf(
      RtmInvalidArgumentError,
    );
  });

  it('lets valid uids through to the SDK (64 bytes, every allowed character)', async () => {
    for (const uid of ['a'.repeat(64), 'a b!', '!#$%&()+-:;<=.>?@[]^_{}|~, Zz09']) {
      const c = client();
      const p = c.login({ uid });
      const outcome = p.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await c.release();
      const result = await outcome;
      // Either the login completed, or release() cut it off: never an argument error.
      if (result !== 'resolved') expect(result).toBeInstanceOf(RtmReleasedError);
    }
  });
});

describe('createInstance validates its arguments', () => {
  it('rejects an App ID of the wrong type or with a NUL byte', () => {
    expect(() => AgoraRTM.createInstance(42 as unknown as string, { backend: 'emulator' })).toThrow(TypeError);
    expect(() => AgoraRTM.createInstance('ab\0cd', { backend: 'emulator' })).toThrow(RtmInvalidArgumentError);
  });

  it('rejects unknown options and bad option values', () => {
    expect(() => AgoraRTM.createInstance(APP_ID, { backend: 'emulator', sdkpath: '/x' } as CreateInstanceOptions)).toThrow(
      RtmInvalidArgumentError,
    );
    expect(() => AgoraRTM.createInstance(APP_ID, { backend: 'cloud' as 'agora' })).toThrow(RtmInvalidArgumentError);
    expect(() => AgoraRTM.createInstance(APP_ID, 'emulator' as CreateInstanceOptions)).toThrow(TypeError);
    expect(() => AgoraRTM.createInstance(APP_ID, { backend: 'emulator', logFileSize: -1 })).toThrow(RtmInvalidArgumentError);
    expect(() =>
      AgoraRTM.createInstance(APP_ID, { backend: 'emulator', logFilter: 'LOUD' as CreateInstanceOptions['logFilter'] }),
    ).toThrow(RtmInvalidArgumentError);
  });

  it("refuses an option of the other backend, saying so", () => {
    expect(() => AgoraRTM.createInstance(APP_ID, { backend: 'agora', emulator: 'inproc://default' })).toThrow(
      expect.objectContaining({ name: 'RtmInvalidArgumentError', codeName: 'ERR_RTM_INVALID_ARGUMENT', message: expect.stringMatching(/emulator applies only to backend 'emulator'/) }),
    );
    expect(() => AgoraRTM.createInstance(APP_ID, { backend: 'emulator', sdkPath: '/opt/libagora_rtm_sdk.so' })).toThrow(
      expect.objectContaining({ name: 'RtmInvalidArgumentError', message: expect.stringMatching(/sdkPath applies only to backend 'agora'/) }),
    );
  });

  it('local codes are distinct from each other, each with its own name', () => {
    const codes = Object.values(LocalErrCode).filter((v): v is number => typeof v === 'number');
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.map((c) => localCodeName(c))).size).toBe(codes.length);
    for (const c of codes) expect(c).toBeLessThan(0);
  });

  it('names the option, not an SDK init code, when an option is bad', () => {
    for (const options of [
      { logFilter: 'BOGUS' as CreateInstanceOptions['logFilter'] },
      { logFileSize: 0 },
      { logFile: '' },
      { emulator: '' },
    ]) {
      let err: unknown;
      try {
        AgoraRTM.createInstance(APP_ID, { backend: 'emulator', ...options });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RtmInvalidArgumentError);
      expect((err as RtmInvalidArgumentError).codeName).toBe('ERR_RTM_INVALID_ARGUMENT');
      expect((err as Error).message).toContain(`options.${Object.keys(options)[0]}`);
    }
    let appIdErr: unknown;
    try {
      AgoraRTM.createInstance('ab\0cd', { backend: 'emulator' });
    } catch (e) {
      appIdErr = e;
    }
    expect((appIdErr as RtmInvalidArgumentError).codeName).toMatch(/^INIT_ERR_/);
  });
});

describe('other methods', () => {
  it('renewToken and the sync setters check their arguments', async () => {
    const c = client();
    await expect(c.renewToken(5 as unknown as string)).rejects.toBeInstanceOf(TypeError);
    await expect(c.renewToken('')).rejects.toBeInstanceOf(RtmInvalidArgumentError);
    expect(() => c.setParameters([] as unknown as string)).toThrow(TypeError);
    expect(() => c.setParameters('{')).toThrow(RtmInvalidArgumentError);
    expect(() => c.setLogFile('a\0b')).toThrow(RtmInvalidArgumentError);
    expect(() => c.setLogFileSize('512' as unknown as number)).toThrow(TypeError);
  });

  it('after release, async methods reject and sync methods throw RtmReleasedError', async () => {
    const c = client();
    await c.release();
    await expect(c.login({ uid: 'alice' })).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(c.logout()).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(c.renewToken('t')).rejects.toBeInstanceOf(RtmReleasedError);
    expect(() => c.setParameters({})).toThrow(RtmReleasedError);
    await expect(c.release()).resolves.toBeUndefined();
  });
});
