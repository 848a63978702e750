// RtmClient's promise rules, keep-alive and dispatcher against a scripted fake of the native
// client (lib/native.ts is mocked, so no addon is needed). Events are fed exactly as the
// binding delivers them: batches of [kind, ...args].
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Batch = unknown[][];
  class FakeNativeClient {
    static instances: FakeNativeClient[] = [];
    readonly dispatch: (batch: Batch) => void;
    readonly calls: unknown[][] = [];
    /** Synchronous results, by method name (default 0). */
    rc: Record<string, number> = {};
    refd = false;
    refCalls = 0;
    releaseCalls = 0;
    constructor(
      readonly spec: unknown,
      readonly appId: string,
      dispatch: (batch: Batch) => void,
    ) {
      this.dispatch = dispatch;
      FakeNativeClient.instances.push(this);
    }
    #call(name: string, ...args: unknown[]): number {
      this.calls.push([name, ...args]);
      return this.rc[name] ?? 0;
    }
    login(token: string | null, uid: string): number {
      return this.#call('login', token, uid);
    }
    logout(): number {
      return this.#call('logout');
    }
    renewToken(token: string): number {
      return this.#call('renewToken', token);
    }
    setParameters(json: string): number {
      return this.#call('setParameters', json);
    }
    setLogFile(path: string): number {
      return this.#call('setLogFile', path);
    }
    setLogFilter(filter: number): number {
      return this.#call('setLogFilter', filter);
    }
    setLogFileSize(kb: number): number {
      return this.#call('setLogFileSize', kb);
    }
    ref(): void {
      this.refd = true;
      this.refCalls += 1;
    }
    unref(): void {
      this.refd = false;
    }
    release(): void {
      this.releaseCalls += 1;
    }
  }
  return { FakeNativeClient };
});

vi.mock('../lib/native', () => ({
  EventKind: {
    LoginSuccess: 1,
    LoginFailure: 2,
    RenewTokenResult: 3,
    TokenExpired: 4,
    Logout: 5,
    ConnectionStateChanged: 6,
  },
  native: { RtmClient: fake.FakeNativeClient, getSdkVersion: () => 'fake' },
}));

import { RtmClient, type SafetyTimeouts } from '../lib/client';
import { ConnectionChangeReason, ConnectionState, LogFilter, LoginErrCode } from '../lib/enums';
import {
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmReleasedError,
  RtmTimeoutError,
  RtmUnauthenticatedError,
} from '../lib/errors';

// C++ values
const S = { DISCONNECTED: 1, CONNECTING: 2, CONNECTED: 3, RECONNECTING: 4, ABORTED: 5 };
const R = { LOGIN: 1, LOGIN_SUCCESS: 2, LOGIN_FAILURE: 3, LOGIN_TIMEOUT: 4, LOGOUT: 6, REMOTE_LOGIN: 8 };
const ev = {
  loginSuccess: () => [1],
  loginFailure: (code: number) => [2, code],
  renew: (token: string, code: number) => [3, token, code],
  tokenExpired: () => [4],
  logout: (code: number) => [5, code],
  state: (s: number, r: number) => [6, s, r],
};

const clients: RtmClient[] = [];

function make(timeouts?: Partial<SafetyTimeouts>) {
  const client = new RtmClient({ spec: { backend: 'emulator' }, appId: 'app', safetyTimeoutsMs: timeouts });
  clients.push(client);
  const nat = fake.FakeNativeClient.instances.at(-1)!;
  return { client, nat };
}

/** Settled state of a promise, without waiting for it. */
async function peek(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.release()));
  vi.restoreAllMocks();
});

describe('login', () => {
  it('resolves on onLoginSuccess, after the state events', async () => {
    const { client, nat } = make();
    const states: unknown[][] = [];
    client.on('ConnectionStateChanged', (...a) => states.push(a));
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
    const p = client.login({ uid: 'alice', token: 'tok' });
    expect(nat.calls).toEqual([['login', 'tok', 'alice']]);
    expect(nat.refd).toBe(true); // a call is pending
    nat.dispatch([ev.state(S.CONNECTING, R.LOGIN)]);
    nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS), ev.loginSuccess()]);
    await expect(p).resolves.toBeUndefined();
    expect(client.connectionState).toBe(ConnectionState.CONNECTED);
    expect(states).toEqual([
      [ConnectionState.CONNECTING, ConnectionChangeReason.LOGIN],
      [ConnectionState.CONNECTED, ConnectionChangeReason.LOGIN_SUCCESS],
    ]);
    expect(nat.refd).toBe(true); // logged in
  });

  it('passes a missing token as null', () => {
    const { client, nat } = make();
    void client.login({ uid: 'a b!' }).catch(() => {});
    expect(nat.calls).toEqual([['login', null, 'a b!']]);
  });

  it('rejects at once on a non-zero synchronous return, leaving nothing pending', async () => {
    const { client, nat } = make();
    nat.rc.login = LoginErrCode.TOO_OFTEN;
    const err = await client.login({ uid: 'alice' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmInvokeTooOftenError);
    expect((err as RtmError).code).toBe(10);
    expect((err as RtmError).codeName).toBe('LOGIN_ERR_TOO_OFTEN');
    expect(nat.refd).toBe(false);
  });

  it('rejects on onLoginFailure with the mapped error', async () => {
    const { client, nat } = make();
    const p = client.login({ uid: 'alice' });
    nat.dispatch([ev.loginFailure(9), ev.state(S.DISCONNECTED, R.LOGIN_TIMEOUT)]);
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect((err as RtmError).operation).toBe('login');
    expect(nat.refd).toBe(false);
  });

  it('a login made while another is pending takes the ALREADY_LOGGED_IN failure', async () => {
    const { client, nat } = make();
    const first = client.login({ uid: 'alice' });
    nat.dispatch([ev.state(S.CONNECTING, R.LOGIN)]);
    const second = client.login({ uid: 'alice' });
    const third = client.login({ uid: 'alice' });
    nat.dispatch([ev.loginFailure(8)]);
    await expect(second).rejects.toBeInstanceOf(RtmInvalidStatusError);
    expect(await peek(third)).toBe('pending');
    expect(await peek(first)).toBe('pending');
    nat.dispatch([ev.loginFailure(8), ev.state(S.CONNECTED, R.LOGIN_SUCCESS), ev.loginSuccess()]);
    await expect(third).rejects.toMatchObject({ codeName: 'LOGIN_ERR_ALREADY_LOGGED_IN' });
    await expect(first).resolves.toBeUndefined();
  });

  it('other failures settle the primary login even while busy logins wait', async () => {
    const { client, nat } = make();
    const first = client.login({ uid: 'alice' });
    const busy = client.login({ uid: 'alice' });
    nat.dispatch([ev.loginFailure(5)]);
    await expect(first).rejects.toBeInstanceOf(RtmUnauthenticatedError);
    expect(await peek(busy)).toBe('pending');
    nat.dispatch([ev.loginFailure(8)]);
    await expect(busy).rejects.toBeInstanceOf(RtmInvalidStatusError);
  });

  it('a login while CONNECTED or ABORTED is busy', async () => {
    for (const state of [S.CONNECTED, S.ABORTED, S.CONNECTING]) {
      const { client, nat } = make();
      nat.dispatch([ev.state(state, R.LOGIN)]);
      const p = client.login({ uid: 'alice' });
      nat.dispatch([ev.loginFailure(8)]);
      await expect(p).rejects.toMatchObject({ code: LoginErrCode.ALREADY_LOGGED_IN });
    }
  });

  it('rejects at its safety timeout with the TIMEOUT code', async () => {
    const { client, nat } = make({ login: 30 });
    const err = await client.login({ uid: 'alice' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect((err as RtmError).code).toBe(LoginErrCode.TIMEOUT);
    expect((err as RtmError).message).toMatch(/30 ms/);
    expect(nat.refd).toBe(false);
  });
});

describe('logout', () => {
  it('resolves on onLogout(0) and rejects on other codes, first in first out', async () => {
    const { client, nat } = make();
    const a = client.logout();
    const b = client.logout();
    nat.dispatch([ev.logout(0), ev.logout(102)]);
    await expect(a).resolves.toBeUndefined();
    const err = await b.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect((err as RtmError).codeName).toBe('LOGOUT_ERR_USER_NOT_LOGGED_IN');
  });

  it('cuts off a pending login; that login’s late result is dropped', async () => {
    const { client, nat } = make();
    const login = client.login({ uid: 'alice' });
    nat.dispatch([ev.state(S.CONNECTING, R.LOGIN)]);
    const logout = client.logout();
    const err = await login.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmError);
    expect((err as RtmError).code).toBe(LoginErrCode.UNKNOWN);
    expect((err as RtmError).operation).toBe('login');
    expect((err as RtmError).message).toMatch(/logout\(\)/);
    // A login made now is not busy: the SDK handles the logout first.
    const again = client.login({ uid: 'alice' });
    nat.dispatch([
      ev.state(S.CONNECTED, R.LOGIN_SUCCESS),
      ev.loginSuccess(), // the first login's, answered before the logout
      ev.logout(0),
      ev.state(S.DISCONNECTED, R.LOGOUT),
    ]);
    await expect(logout).resolves.toBeUndefined();
    expect(await peek(again)).toBe('pending');
    nat.dispatch([ev.state(S.CONNECTING, R.LOGIN), ev.state(S.CONNECTED, R.LOGIN_SUCCESS), ev.loginSuccess()]);
    await expect(again).resolves.toBeUndefined();
  });

  it('does not cut off the login when the SDK refuses the logout', async () => {
    const { client, nat } = make();
    const login = client.login({ uid: 'alice' });
    nat.rc.logout = 101;
    await expect(client.logout()).rejects.toBeInstanceOf(RtmInvalidStatusError);
    expect(await peek(login)).toBe('pending');
    nat.dispatch([ev.loginSuccess()]);
    await expect(login).resolves.toBeUndefined();
  });
});

describe('renewToken', () => {
  it('matches results by token, else oldest first', async () => {
    const { client, nat } = make();
    const a = client.renewToken('t1');
    const b = client.renewToken('t2');
    nat.dispatch([ev.renew('t2', 0)]);
    await expect(b).resolves.toBeUndefined();
    nat.dispatch([ev.renew('other', 6)]);
    await expect(a).rejects.toBeInstanceOf(RtmUnauthenticatedError);
  });

  it('times out with RENEW_TOKEN_ERR_FAILURE when never answered', async () => {
    const { client } = make({ renewToken: 20 });
    await expect(client.renewToken('t')).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      codeName: 'RENEW_TOKEN_ERR_FAILURE',
    });
  });

  it('validates before the native call', async () => {
    const { client, nat } = make();
    await expect(client.renewToken(42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
    await expect(client.renewToken('')).rejects.toBeInstanceOf(RtmInvalidArgumentError);
    await expect(client.renewToken('a\0b')).rejects.toBeInstanceOf(RtmInvalidArgumentError);
    expect(nat.calls).toEqual([]);
  });
});

describe('events', () => {
  it('TokenExpired is emitted', () => {
    const { client, nat } = make();
    const seen = vi.fn();
    client.on('TokenExpired', seen);
    nat.dispatch([ev.tokenExpired()]);
    expect(seen).toHaveBeenCalledWith();
  });

  it('unknown states and reasons arrive as numbers', () => {
    const { client, nat } = make();
    const seen = vi.fn();
    client.on('ConnectionStateChanged', seen);
    nat.dispatch([ev.state(9, 42)]);
    expect(seen).toHaveBeenCalledWith(9, 42);
    expect(client.connectionState).toBe(9);
  });

  it("a failure no call waits for goes to 'error' only when someone listens", () => {
    const { client, nat } = make();
    expect(() => nat.dispatch([ev.logout(102)])).not.toThrow();
    const seen = vi.fn();
    client.on('error', seen);
    nat.dispatch([ev.loginFailure(5)]);
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]![0]).toBeInstanceOf(RtmUnauthenticatedError);
  });

  it('a throwing listener does not stop the batch; its error is rethrown on the next tick', async () => {
    const { client, nat } = make();
    const ticks: (() => void)[] = [];
    vi.spyOn(process, 'nextTick').mockImplementation(((fn: () => void) => {
      ticks.push(fn);
    }) as typeof process.nextTick);
    client.on('ConnectionStateChanged', () => {
      throw new Error('listener bug');
    });
    const p = client.login({ uid: 'alice' });
    nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS), ev.loginSuccess()]);
    vi.restoreAllMocks();
    expect(ticks).toHaveLength(1);
    expect(() => ticks[0]!()).toThrow('listener bug');
    await expect(p).resolves.toBeUndefined();
  });
});

describe('keep-alive', () => {
  it('refs while logged in or with calls pending, unless unref()ed', async () => {
    const { client, nat } = make();
    expect(nat.refd).toBe(false);
    const pending = client.login({ uid: 'alice' });
    expect(nat.refd).toBe(true); // a pending call holds the process
    expect(client.unref()).toBe(client);
    expect(nat.refd).toBe(false); // …unless unref'd, like a socket
    nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS), ev.loginSuccess()]);
    await pending;
    expect(nat.refd).toBe(false); // logged in, but unref'd
    expect(client.ref()).toBe(client);
    expect(nat.refd).toBe(true);
    nat.dispatch([ev.state(S.RECONNECTING, 5)]);
    expect(nat.refd).toBe(true);
    nat.dispatch([ev.state(S.ABORTED, R.REMOTE_LOGIN)]);
    expect(nat.refd).toBe(true);
    nat.dispatch([ev.state(S.DISCONNECTED, R.LOGOUT)]);
    expect(nat.refd).toBe(false);
    nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS)]);
    expect(client.unref()).toBe(client);
    expect(nat.refd).toBe(false);
  });
});

describe('sync methods', () => {
  it('pass their values and throw RtmError on a non-zero return', () => {
    const { client, nat } = make();
    client.setParameters({ a: 1 });
    client.setParameters('{"b":2}');
    client.setLogFilter(LogFilter.WARNING);
    client.setLogFileSize(1024);
    client.setLogFile('/tmp/rtm.log');
    expect(nat.calls).toEqual([
      ['setParameters', '{"a":1}'],
      ['setParameters', '{"b":2}'],
      ['setLogFilter', 14],
      ['setLogFileSize', 1024],
      ['setLogFile', '/tmp/rtm.log'],
    ]);
    nat.rc.setParameters = -2;
    const err = (() => {
      try {
        client.setParameters({});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RtmError);
    expect((err as RtmError).code).toBe(-2);
    expect((err as RtmError).codeName).toBe('ERR_RTM_SET_PARAMETERS');
    expect(() => client.setLogFilter('LOUD' as LogFilter)).toThrow(RtmInvalidArgumentError);
    expect(() => client.setLogFileSize(1.5)).toThrow(RtmInvalidArgumentError);
    expect(() => client.setParameters('not json')).toThrow(RtmInvalidArgumentError);
    expect(() => client.setParameters(7 as unknown as string)).toThrow(TypeError);
  });
});

describe('release', () => {
  it('rejects every pending call, then every later call; idempotent', async () => {
    const { client, nat } = make();
    const renew = client.renewToken('t');
    const logout = client.logout();
    const login = client.login({ uid: 'alice' }); // not busy: the logout comes first
    const outcomes = Promise.allSettled([login, logout, renew]);
    await client.release();
    await client.release();
    expect(nat.releaseCalls).toBe(1);
    for (const o of await outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RtmReleasedError);
    }
    expect(((await outcomes)[0] as PromiseRejectedResult).reason.message).toMatch(/cut off by release/);
    await expect(client.login({ uid: 'alice' })).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(client.logout()).rejects.toBeInstanceOf(RtmReleasedError);
    expect(() => client.setParameters({})).toThrow(RtmReleasedError);
    expect(() => client.setLogFilter(LogFilter.OFF)).toThrow(RtmReleasedError);
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
    expect(client.ref()).toBe(client);
    // events still in flight are ignored
    expect(() => nat.dispatch([ev.loginSuccess(), ev.state(S.CONNECTED, R.LOGIN_SUCCESS)])).not.toThrow();
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
  });

  it('Symbol.asyncDispose releases', async () => {
    const { client, nat } = make();
    await client[Symbol.asyncDispose]();
    expect(nat.releaseCalls).toBe(1);
  });
});
