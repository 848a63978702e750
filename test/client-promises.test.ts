// RtmClient's promise rules, keep-alive and dispatcher against a scripted fake of the native
// client (lib/native.ts is mocked, so no addon is needed). Events are fed exactly as the
// binding delivers them: batches of [kind, ...args].
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Batch = unknown[][];
  class FakeNativeClient {
    static instances: FakeNativeClient[] = [];
    /** test/helpers/encode-events.ts' deliver, set once the imports ran (hoisted code cannot import). */
    static deliver: (dispatch: never, events: Batch) => void;
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
      dispatch: (slice: ArrayBuffer, stillQueued: number, byteLength: number) => void,
    ) {
      // Like the addon with nothing else queued: the whole batch in one call.
      // Like the addon with nothing else queued: the events encoded as the binding encodes them, in
      // slices, through the one dispatch path production has.
      this.dispatch = (batch) => FakeNativeClient.deliver(dispatch as never, batch);
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
    /** Ids as the SDK hands them out: one counter, the first is 2; none on a non-zero result. */
    nextId = 2n;
    /** The id of the last accepted request. */
    lastId = 0n;
    #request(name: string, ...args: unknown[]): [number, bigint] {
      const rc = this.#call(name, ...args);
      if (rc !== 0) return [rc, 0n];
      this.lastId = this.nextId;
      this.nextId += 1n;
      return [0, this.lastId];
    }
    sendMessageToPeer(peerId: string, message: unknown, options: unknown): [number, bigint] {
      return this.#request('sendMessageToPeer', peerId, message, options);
    }
    queryPeersOnlineStatus(peerIds: string[]): [number, bigint] {
      return this.#request('queryPeersOnlineStatus', peerIds);
    }
    subscribePeersOnlineStatus(peerIds: string[]): [number, bigint] {
      return this.#request('subscribePeersOnlineStatus', peerIds);
    }
    unsubscribePeersOnlineStatus(peerIds: string[]): [number, bigint] {
      return this.#request('unsubscribePeersOnlineStatus', peerIds);
    }
    queryPeersBySubscriptionOption(option: number): [number, bigint] {
      return this.#request('queryPeersBySubscriptionOption', option);
    }
    setLocalUserAttributes(attributes: [string, string][]): [number, bigint] {
      return this.#request('setLocalUserAttributes', attributes);
    }
    addOrUpdateLocalUserAttributes(attributes: [string, string][]): [number, bigint] {
      return this.#request('addOrUpdateLocalUserAttributes', attributes);
    }
    deleteLocalUserAttributesByKeys(keys: string[]): [number, bigint] {
      return this.#request('deleteLocalUserAttributesByKeys', keys);
    }
    clearLocalUserAttributes(): [number, bigint] {
      return this.#request('clearLocalUserAttributes');
    }
    getUserAttributes(userId: string): [number, bigint] {
      return this.#request('getUserAttributes', userId);
    }
    getUserAttributesByKeys(userId: string, keys: string[]): [number, bigint] {
      return this.#request('getUserAttributesByKeys', userId, keys);
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
    flushes = 0;
    flushRequests(): void {
      this.flushes += 1;
    }
  }
  return { FakeNativeClient };
});

vi.mock('../lib/native', async (importOriginal) =>
  (await import('./helpers/fake-native')).fakeNativeModule(await importOriginal(), fake.FakeNativeClient),
);
import { deliver } from './helpers/encode-events';
fake.FakeNativeClient.deliver = deliver as never;

import { RtmClient, type SafetyTimeouts } from '../lib/client';
import {
  AttributeOperationErrCode,
  ConnectionChangeReason,
  ConnectionState,
  LogFilter,
  LoginErrCode,
  PeerMessageErrCode,
  PeerOnlineState,
  PeerSubscriptionOption,
  PeerSubscriptionStatusErrCode,
  QueryPeersOnlineStatusErrCode,
} from '../lib/enums';
import {
  LocalErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
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
  sendResult: (id: bigint, code: number) => [7, id, code],
  fromPeer: (peerId: string, m: [number, bigint, string, Buffer | null, number, boolean]) => [8, peerId, m],
  queryResult: (id: bigint, statuses: [string, number][], code: number) => [9, id, statuses, code],
  subscriptionResult: (id: bigint, code: number) => [10, id, code],
  bySubscriptionResult: (id: bigint, peers: string[], code: number) => [11, id, peers, code],
  statusChanged: (statuses: [string, number][]) => [12, statuses],
  setAttrs: (id: bigint, code: number) => [13, id, code],
  addAttrs: (id: bigint, code: number) => [14, id, code],
  deleteAttrs: (id: bigint, code: number) => [15, id, code],
  clearAttrs: (id: bigint, code: number) => [16, id, code],
  getAttrs: (id: bigint, userId: string, attrs: [string, string][], code: number) => [17, id, userId, attrs, code],
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
    // One local code for every failed synchronous SDK call; the SDK's own value beside it, so that
    // it never collides with a LocalErrCode (-2 is also SDK_NOT_FOUND).
    expect((err as RtmError).code).toBe(LocalErrCode.SDK_CALL_FAILED);
    expect((err as RtmError).codeName).toBe('ERR_RTM_SDK_CALL_FAILED');
    expect((err as RtmError).sdkResult).toBe(-2);
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
    expect(() => client.ref()).toThrow(RtmReleasedError);
    expect(() => client.unref()).toThrow(RtmReleasedError);
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

// ---------------------------------------------------------------------------------------------
// Calls matched by request id / message id (peer messages, presence, user attributes)
// ---------------------------------------------------------------------------------------------

/** A fake client that is logged in. */
function loggedIn(timeouts?: Partial<SafetyTimeouts>) {
  const made = make(timeouts);
  made.nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS)]);
  return made;
}

/** A promise the test does not await: its rejection (at release) is expected. */
function quiet(p: Promise<unknown>): void {
  p.catch(() => {});
}

async function rejection(p: Promise<unknown>): Promise<RtmError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  return err as RtmError;
}

describe('sendMessageToPeer', () => {
  it('passes text, raw and options to the native call', () => {
    const { client, nat } = loggedIn();
    const bytes = new Uint8Array([0, 1, 255]);
    quiet(client.sendMessageToPeer({ text: 'hi' }, 'bob'));
    quiet(client.sendMessageToPeer({ rawMessage: bytes, description: 'd' }, 'bob', { enableOfflineMessaging: true }));
    quiet(client.sendMessageToPeer({ messageType: 'RAW', rawMessage: bytes }, 'bob', {}));
    quiet(client.sendMessageToPeer({ messageType: 'TEXT', text: '' }, 'a b!', { enableHistoricalMessaging: true }));
    // A text goes to the native call as its string (lib/native.ts), raw bytes as an object.
    expect(nat.calls).toEqual([
      ['sendMessageToPeer', 'bob', 'hi', null],
      ['sendMessageToPeer', 'bob', { rawMessage: bytes, description: 'd' }, [true, false]],
      ['sendMessageToPeer', 'bob', { rawMessage: bytes, description: '' }, [false, false]],
      ['sendMessageToPeer', 'a b!', '', [false, true]],
    ]);
  });

  it('the emulator is told once per tick that sent (flushRequests, after the sends); the real SDK never', async () => {
    const { client, nat } = loggedIn();
    quiet(client.sendMessageToPeer({ text: 'a' }, 'bob'));
    quiet(client.sendMessageToPeer({ text: 'b' }, 'bob'));
    quiet(client.sendMessageToPeer({ text: 'c' }, 'bob'));
    expect(nat.flushes).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(nat.flushes).toBe(1);
    quiet(client.queryPeersOnlineStatus(['bob'])); // not a message: nothing held for it
    await new Promise((r) => setImmediate(r));
    expect(nat.flushes).toBe(1);
    quiet(client.sendMessageToPeer({ text: 'd' }, 'bob'));
    await new Promise((r) => setImmediate(r));
    expect(nat.flushes).toBe(2);

    const agora = new RtmClient({ spec: { backend: 'agora', candidates: [] }, appId: 'app' });
    clients.push(agora);
    const real = fake.FakeNativeClient.instances.at(-1)!;
    quiet(agora.sendMessageToPeer({ text: 'e' }, 'bob'));
    await new Promise((r) => setImmediate(r));
    expect(real.flushes).toBe(0);
  });

  it('resolves for OK, PEER_UNREACHABLE and CACHED_BY_SERVER (hasPeerReceived only for OK)', async () => {
    const { client, nat } = loggedIn();
    const ok = client.sendMessageToPeer({ text: 'a' }, 'bob');
    const okId = nat.lastId;
    const unreachable = client.sendMessageToPeer({ text: 'b' }, 'bob');
    const unreachableId = nat.lastId;
    const cached = client.sendMessageToPeer({ text: 'c' }, 'bob', { enableOfflineMessaging: true });
    const cachedId = nat.lastId;
    // Results arrive out of order; each finds its call by message id.
    nat.dispatch([ev.sendResult(cachedId, 4), ev.sendResult(okId, 0), ev.sendResult(unreachableId, 3)]);
    await expect(ok).resolves.toEqual({ hasPeerReceived: true, code: PeerMessageErrCode.OK, messageId: okId });
    await expect(unreachable).resolves.toEqual({
      hasPeerReceived: false,
      code: PeerMessageErrCode.PEER_UNREACHABLE,
      messageId: unreachableId,
    });
    await expect(cached).resolves.toEqual({
      hasPeerReceived: false,
      code: PeerMessageErrCode.CACHED_BY_SERVER,
      messageId: cachedId,
    });
    expect(nat.refd).toBe(true); // logged in
  });

  it('rejects every other result code with its error', async () => {
    const { client, nat } = loggedIn();
    const cases: [number, unknown, string][] = [
      [1, RtmError, 'PEER_MESSAGE_ERR_FAILURE'],
      [2, RtmTimeoutError, 'PEER_MESSAGE_ERR_SENT_TIMEOUT'],
      [5, RtmInvokeTooOftenError, 'PEER_MESSAGE_ERR_TOO_OFTEN'],
      [6, RtmInvalidArgumentError, 'PEER_MESSAGE_ERR_INVALID_USERID'],
      [7, RtmInvalidArgumentError, 'PEER_MESSAGE_ERR_INVALID_MESSAGE'],
      [102, RtmInvalidStatusError, 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN'],
      [8, RtmError, 'PEER_MESSAGE_ERR_CODE(8)'], // a code of a newer SDK still reaches the user
    ];
    for (const [code, cls, name] of cases) {
      const p = client.sendMessageToPeer({ text: 'x' }, 'bob');
      nat.dispatch([ev.sendResult(nat.lastId, code)]);
      const err = await rejection(p);
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
      expect(err.codeName).toBe(name);
      expect(err.operation).toBe('sendMessageToPeer');
    }
  });

  it('rejects at once on a non-zero synchronous result, leaving nothing pending', async () => {
    const { client, nat } = make();
    nat.rc.sendMessageToPeer = PeerMessageErrCode.USER_NOT_LOGGED_IN;
    const err = await rejection(client.sendMessageToPeer({ text: 'x' }, 'bob'));
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect(err.codeName).toBe('PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN');
    expect(nat.refd).toBe(false);
    nat.rc.sendMessageToPeer = PeerMessageErrCode.TOO_OFTEN;
    await expect(client.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toBeInstanceOf(RtmInvokeTooOftenError);
  });

  it('times out with SENT_TIMEOUT when never answered; a late result is ignored', async () => {
    const { client, nat } = loggedIn({ sendMessageToPeer: 20 });
    const p = client.sendMessageToPeer({ text: 'x' }, 'bob');
    const id = nat.lastId;
    const err = await rejection(p);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.codeName).toBe('PEER_MESSAGE_ERR_SENT_TIMEOUT');
    expect(err.message).toMatch(/20 ms/);
    expect(() => nat.dispatch([ev.sendResult(id, 0)])).not.toThrow();
  });

  it('ignores results for ids nobody waits for, and results of another kind for a pending id', async () => {
    const { client, nat } = loggedIn();
    const errors = vi.fn();
    client.on('error', errors);
    const p = client.sendMessageToPeer({ text: 'x' }, 'bob');
    const id = nat.lastId;
    nat.dispatch([
      ev.sendResult(999n, 0),
      ev.sendResult(0n, 5),
      ev.setAttrs(id, 0), // the id of a message, not of an attribute call
      ev.queryResult(id, [], 0),
    ]);
    expect(await peek(p)).toBe('pending');
    nat.dispatch([ev.sendResult(id, 0)]);
    await expect(p).resolves.toMatchObject({ code: 0 });
    expect(errors).not.toHaveBeenCalled();
  });

  it('keeps the process alive while a send is pending', async () => {
    const { client, nat } = make();
    const p = client.sendMessageToPeer({ text: 'x' }, 'bob');
    expect(nat.refd).toBe(true);
    nat.dispatch([ev.sendResult(nat.lastId, 3)]);
    await p;
    expect(nat.refd).toBe(false);
  });

  it('handles 10 000 concurrent sends matched by id', async () => {
    const { client, nat } = loggedIn();
    const sends = Array.from({ length: 10_000 }, (_, i) => client.sendMessageToPeer({ text: `m${i}` }, 'bob'));
    const ids = Array.from({ length: 10_000 }, (_, i) => 2n + BigInt(i));
    nat.dispatch(ids.reverse().map((id) => ev.sendResult(id, 0)));
    const results = await Promise.all(sends);
    expect(results.every((r, i) => r.hasPeerReceived && r.messageId === 2n + BigInt(i))).toBe(true);
  });
});

describe('MessageFromPeer', () => {
  it('delivers text and raw messages normalised, with their properties', () => {
    const { client, nat } = loggedIn();
    const seen: unknown[][] = [];
    client.on('MessageFromPeer', (...args) => seen.push(args));
    const raw = Buffer.from([0, 1, 2, 255]);
    nat.dispatch([
      // An id beyond 2^53 (ids are the SDK's long long: at most 2^63 - 1).
      ev.fromPeer('alice', [1, 2n ** 62n + 5n, 'héllo 😀', null, 1_700_000_000_123, false]),
      ev.fromPeer('bob', [2, 7n, 'desc', raw, 1_700_000_000_456, true]),
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([
      { messageType: 'TEXT', text: 'héllo 😀' },
      'alice',
      { serverReceivedTs: 1_700_000_000_123, isOfflineMessage: false, messageId: 2n ** 62n + 5n },
    ]);
    const [message, peerId, props] = seen[1] as [{ messageType: string; rawMessage: Uint8Array; description: string }, string, unknown];
    expect(message.messageType).toBe('RAW');
    expect(message.description).toBe('desc');
    expect(message.rawMessage).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(message.rawMessage)).toBe(false);
    expect([...message.rawMessage]).toEqual([0, 1, 2, 255]);
    expect(peerId).toBe('bob');
    expect(props).toEqual({ serverReceivedTs: 1_700_000_000_456, isOfflineMessage: true, messageId: 7n });
  });

  it('copies raw bytes that share memory with other data', () => {
    const { client, nat } = loggedIn();
    let got: Uint8Array | undefined;
    client.on('MessageFromPeer', (m) => {
      if (m.messageType === 'RAW') got = m.rawMessage;
    });
    const backing = Buffer.from([9, 9, 1, 2, 3, 9]);
    nat.dispatch([ev.fromPeer('bob', [2, 3n, '', backing.subarray(2, 5), 0, false])]);
    backing.fill(0);
    expect([...got!]).toEqual([1, 2, 3]);
  });
});

describe('presence', () => {
  it('queryPeersOnlineStatus: true only for ONLINE', async () => {
    const { client, nat } = loggedIn();
    const p = client.queryPeersOnlineStatus(['a', 'b', 'c', '__proto__']);
    expect(nat.calls.at(-1)).toEqual(['queryPeersOnlineStatus', ['a', 'b', 'c', '__proto__']]);
    nat.dispatch([ev.queryResult(nat.lastId, [['a', 0], ['b', 1], ['c', 2], ['__proto__', 0]], 0)]);
    const result = await p;
    expect(Object.entries(result)).toEqual([['a', true], ['b', false], ['c', false], ['__proto__', true]]);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  it('queryPeersOnlineStatus rejects with the result code', async () => {
    const { client, nat } = loggedIn();
    const p = client.queryPeersOnlineStatus(['a']);
    nat.dispatch([ev.queryResult(nat.lastId, [], QueryPeersOnlineStatusErrCode.TOO_OFTEN)]);
    const err = await rejection(p);
    expect(err).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(err.codeName).toBe('QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN');
  });

  it('subscribe / unsubscribe resolve on their result; OVERFLOW rejects with RtmLimitExceededError', async () => {
    const { client, nat } = loggedIn();
    const sub = client.subscribePeersOnlineStatus(['a', 'b']);
    const subId = nat.lastId;
    const unsub = client.unsubscribePeersOnlineStatus(['a']);
    const unsubId = nat.lastId;
    const overflow = client.subscribePeersOnlineStatus(['c']);
    nat.dispatch([
      ev.subscriptionResult(unsubId, 0),
      ev.subscriptionResult(subId, 0),
      ev.subscriptionResult(nat.lastId, PeerSubscriptionStatusErrCode.OVERFLOW),
    ]);
    await expect(sub).resolves.toBeUndefined();
    await expect(unsub).resolves.toBeUndefined();
    const err = await rejection(overflow);
    expect(err).toBeInstanceOf(RtmLimitExceededError);
    expect(err.codeName).toBe('PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW');
    expect(nat.calls.map((c) => c[0])).toEqual([
      'subscribePeersOnlineStatus',
      'unsubscribePeersOnlineStatus',
      'subscribePeersOnlineStatus',
    ]);
  });

  it('queryPeersBySubscriptionOption passes ONLINE_STATUS (0) and resolves with the peers', async () => {
    const { client, nat } = loggedIn();
    const p = client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS);
    expect(nat.calls.at(-1)).toEqual(['queryPeersBySubscriptionOption', 0]);
    nat.dispatch([ev.bySubscriptionResult(nat.lastId, ['a', 'b'], 0)]);
    await expect(p).resolves.toEqual(['a', 'b']);
    const q = client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS);
    nat.dispatch([ev.bySubscriptionResult(nat.lastId, [], 3)]);
    await expect(q).rejects.toMatchObject({ name: 'RtmInvokeTooOftenError', codeName: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN' });
  });

  it('PeersOnlineStatusChanged maps states; unknown values stay numbers', () => {
    const { client, nat } = loggedIn();
    const seen = vi.fn();
    client.on('PeersOnlineStatusChanged', seen);
    nat.dispatch([ev.statusChanged([['a', 0], ['b', 1], ['c', 2], ['d', 7]])]);
    expect(seen).toHaveBeenCalledWith({
      a: PeerOnlineState.ONLINE,
      b: PeerOnlineState.UNREACHABLE,
      c: PeerOnlineState.OFFLINE,
      d: 7,
    });
  });

  it('safety timeouts use the enums’ TIMEOUT codes', async () => {
    const { client } = loggedIn({ queryPeersOnlineStatus: 10, subscribePeersOnlineStatus: 10, queryPeersBySubscriptionOption: 10 });
    await expect(client.queryPeersOnlineStatus(['a'])).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      codeName: 'QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT',
    });
    await expect(client.subscribePeersOnlineStatus(['a'])).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT',
    });
    await expect(client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      codeName: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT',
    });
  });
});

describe('user attributes', () => {
  it('passes entries, keys and ids to the native calls; each resolves on its own result', async () => {
    const { client, nat } = loggedIn();
    const set = client.setLocalUserAttributes({ a: '1', b: '2' });
    const setId = nat.lastId;
    const add = client.addOrUpdateLocalUserAttributes(new Map([['c', '3']]) as unknown as Record<string, string>);
    const addId = nat.lastId;
    const del = client.deleteLocalUserAttributesByKeys(['a']);
    const delId = nat.lastId;
    const clear = client.clearLocalUserAttributes();
    const clearId = nat.lastId;
    expect(nat.calls).toEqual([
      ['setLocalUserAttributes', [['a', '1'], ['b', '2']]],
      ['addOrUpdateLocalUserAttributes', [['c', '3']]],
      ['deleteLocalUserAttributesByKeys', ['a']],
      ['clearLocalUserAttributes'],
    ]);
    nat.dispatch([ev.clearAttrs(clearId, 0), ev.deleteAttrs(delId, 0), ev.addAttrs(addId, 0), ev.setAttrs(setId, 0)]);
    await expect(Promise.all([set, add, del, clear])).resolves.toEqual([undefined, undefined, undefined, undefined]);
  });

  it('getUserAttributes / getUserAttributesByKeys resolve with a record', async () => {
    const { client, nat } = loggedIn();
    const all = client.getUserAttributes('bob');
    const allId = nat.lastId;
    const some = client.getUserAttributesByKeys('bob', ['k1', '__proto__']);
    expect(nat.calls).toEqual([
      ['getUserAttributes', 'bob'],
      ['getUserAttributesByKeys', 'bob', ['k1', '__proto__']],
    ]);
    nat.dispatch([
      ev.getAttrs(nat.lastId, 'bob', [['k1', 'v1'], ['__proto__', 'x']], 0),
      ev.getAttrs(allId, 'bob', [['k1', 'v1'], ['k2', 'v2']], 0),
    ]);
    await expect(all).resolves.toEqual({ k1: 'v1', k2: 'v2' });
    const r = await some;
    expect(Object.keys(r)).toEqual(['k1', '__proto__']);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });

  it('rejects with the result code', async () => {
    const { client, nat } = loggedIn();
    const cases: [number, unknown, string][] = [
      [AttributeOperationErrCode.SIZE_OVERFLOW, RtmLimitExceededError, 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW'],
      [AttributeOperationErrCode.TOO_OFTEN, RtmInvokeTooOftenError, 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN'],
      [AttributeOperationErrCode.USER_NOT_FOUND, RtmError, 'ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND'],
      [AttributeOperationErrCode.INVALID_ARGUMENT, RtmInvalidArgumentError, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT'],
      [AttributeOperationErrCode.TIMEOUT, RtmTimeoutError, 'ATTRIBUTE_OPERATION_ERR_TIMEOUT'],
    ];
    for (const [code, cls, name] of cases) {
      const p = client.getUserAttributes('bob');
      nat.dispatch([ev.getAttrs(nat.lastId, 'bob', [], code)]);
      const err = await rejection(p);
      expect(err).toBeInstanceOf(cls);
      expect(err.codeName).toBe(name);
      const q = client.setLocalUserAttributes({ k: 'v' });
      nat.dispatch([ev.setAttrs(nat.lastId, code)]);
      expect(await rejection(q)).toBeInstanceOf(cls);
    }
  });

  it('times out with ATTRIBUTE_OPERATION_ERR_TIMEOUT', async () => {
    const { client } = loggedIn({ clearLocalUserAttributes: 10, getUserAttributesByKeys: 10 });
    await expect(client.clearLocalUserAttributes()).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      code: AttributeOperationErrCode.TIMEOUT,
    });
    await expect(client.getUserAttributesByKeys('bob', ['k'])).rejects.toMatchObject({
      name: 'RtmTimeoutError',
      codeName: 'ATTRIBUTE_OPERATION_ERR_TIMEOUT',
    });
  });
});

describe('cut-offs of calls matched by id', () => {
  /** One pending call of every id-matched kind. */
  function pendingCalls(client: RtmClient) {
    return Promise.allSettled([
      client.sendMessageToPeer({ text: 'x' }, 'bob'),
      client.queryPeersOnlineStatus(['bob']),
      client.subscribePeersOnlineStatus(['bob']),
      client.unsubscribePeersOnlineStatus(['bob']),
      client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS),
      client.setLocalUserAttributes({ k: 'v' }),
      client.addOrUpdateLocalUserAttributes({ k: 'v' }),
      client.deleteLocalUserAttributesByKeys(['k']),
      client.clearLocalUserAttributes(),
      client.getUserAttributes('bob'),
      client.getUserAttributesByKeys('bob', ['k']),
    ]);
  }

  it('logout rejects every pending call (the SDK never answers them); results before it still count', async () => {
    const { client, nat } = loggedIn();
    const answered = client.sendMessageToPeer({ text: 'x' }, 'bob');
    const answeredId = nat.lastId;
    const all = pendingCalls(client);
    const logout = client.logout();
    nat.dispatch([ev.sendResult(answeredId, 0)]); // answered before the logout completed
    nat.dispatch([ev.state(S.DISCONNECTED, R.LOGOUT), ev.logout(0)]);
    await expect(logout).resolves.toBeUndefined();
    await expect(answered).resolves.toMatchObject({ hasPeerReceived: true });
    for (const o of await all) {
      expect(o.status).toBe('rejected');
      const err = (o as PromiseRejectedResult).reason as RtmError;
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err.code).toBe(102);
      expect(err.codeName).toMatch(/_USER_NOT_LOGGED_IN$/);
      expect(err.message).toMatch(/cut off by logout\(\)/);
    }
    expect(nat.refd).toBe(false);
    // late answers are ignored
    expect(() => nat.dispatch([ev.sendResult(answeredId + 1n, 0), ev.setAttrs(answeredId + 6n, 0)])).not.toThrow();
  });

  it('onLogout(0) alone (no state event) also cuts them off', async () => {
    const { client, nat } = loggedIn();
    const send = client.sendMessageToPeer({ text: 'x' }, 'bob');
    const logout = client.logout();
    nat.dispatch([ev.logout(0)]);
    await expect(logout).resolves.toBeUndefined();
    await expect(send).rejects.toBeInstanceOf(RtmInvalidStatusError);
  });

  it('a logout the SDK refuses cuts nothing off', async () => {
    const { client, nat } = loggedIn();
    const send = client.sendMessageToPeer({ text: 'x' }, 'bob');
    nat.rc.logout = 101;
    await expect(client.logout()).rejects.toBeInstanceOf(RtmInvalidStatusError);
    const failing = client.logout.bind(client);
    nat.rc.logout = 0;
    const refused = failing();
    nat.dispatch([ev.logout(1)]);
    await expect(refused).rejects.toMatchObject({ codeName: 'LOGOUT_ERR_REJECTED' });
    expect(await peek(send)).toBe('pending');
    nat.dispatch([ev.sendResult(2n, 0)]);
    await expect(send).resolves.toMatchObject({ code: 0 });
  });

  it('a failed login rejects the calls made while it was pending', async () => {
    const { client, nat } = make();
    const login = client.login({ uid: 'alice' });
    nat.dispatch([ev.state(S.CONNECTING, R.LOGIN)]);
    const all = pendingCalls(client);
    nat.dispatch([ev.loginFailure(9), ev.state(S.DISCONNECTED, R.LOGIN_TIMEOUT)]);
    await expect(login).rejects.toBeInstanceOf(RtmTimeoutError);
    for (const o of await all) {
      expect(o.status).toBe('rejected');
      const err = (o as PromiseRejectedResult).reason as RtmError;
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err.message).toMatch(/login failed/);
    }
    expect(nat.refd).toBe(false);
  });

  it('a busy login’s ALREADY_LOGGED_IN cuts nothing off', async () => {
    const { client, nat } = loggedIn();
    const send = client.sendMessageToPeer({ text: 'x' }, 'bob');
    const sendId = nat.lastId;
    const busy = client.login({ uid: 'alice' });
    nat.dispatch([ev.loginFailure(8)]);
    await expect(busy).rejects.toBeInstanceOf(RtmInvalidStatusError);
    expect(await peek(send)).toBe('pending');
    nat.dispatch([ev.sendResult(sendId, 0)]);
    await expect(send).resolves.toMatchObject({ hasPeerReceived: true });
  });

  it('an ABORTED session (remote login) rejects them', async () => {
    const { client, nat } = loggedIn();
    const all = pendingCalls(client);
    nat.dispatch([ev.state(S.ABORTED, R.REMOTE_LOGIN)]);
    for (const o of await all) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason.message).toMatch(/ABORTED/);
    }
  });

  it('RECONNECTING cuts nothing off: the SDK answers (or times out) later', async () => {
    const { client, nat } = loggedIn();
    const send = client.sendMessageToPeer({ text: 'x' }, 'bob');
    nat.dispatch([ev.state(S.RECONNECTING, 5)]);
    expect(await peek(send)).toBe('pending');
    nat.dispatch([ev.state(S.CONNECTED, 2), ev.sendResult(nat.lastId, 0)]);
    await expect(send).resolves.toMatchObject({ code: 0 });
  });

  it('release rejects every pending call with RtmReleasedError', async () => {
    const { client, nat } = loggedIn();
    const all = pendingCalls(client);
    await client.release();
    for (const o of await all) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RtmReleasedError);
    }
    expect(() => nat.dispatch([ev.sendResult(2n, 0)])).not.toThrow();
    await expect(client.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(client.getUserAttributes('bob')).rejects.toBeInstanceOf(RtmReleasedError);
  });
});

describe('argument validation of peer, presence and attribute calls (no native call)', () => {
  const big = 'x'.repeat(32 * 1024 + 1);
  const cases: [string, (c: RtmClient) => Promise<unknown>, unknown, Record<string, unknown>?][] = [
    // messages
    ['message not an object', (c) => c.sendMessageToPeer('hi' as never, 'bob'), TypeError],
    ['message null', (c) => c.sendMessageToPeer(null as never, 'bob'), TypeError],
    ['message without text or raw', (c) => c.sendMessageToPeer({} as never, 'bob'), TypeError],
    ['text not a string', (c) => c.sendMessageToPeer({ text: 5 } as never, 'bob'), TypeError],
    ['rawMessage not bytes', (c) => c.sendMessageToPeer({ rawMessage: [1, 2] } as never, 'bob'), TypeError],
    ['description not a string', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(1), description: 1 } as never, 'bob'), TypeError],
    ['text and raw without messageType', (c) => c.sendMessageToPeer({ text: 'a', rawMessage: new Uint8Array(1) } as never, 'bob'), TypeError],
    ['unknown messageType', (c) => c.sendMessageToPeer({ messageType: 'IMAGE', text: 'a' } as never, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
    ['text over 32 KB', (c) => c.sendMessageToPeer({ text: big }, 'bob'), RtmInvalidArgumentError, { code: 7, codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
    ['multi-byte text over 32 KB', (c) => c.sendMessageToPeer({ text: '€'.repeat(10_923) }, 'bob'), RtmInvalidArgumentError, { code: 7 }],
    ['raw over 32 KB', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(32 * 1024 + 1) }, 'bob'), RtmInvalidArgumentError, { code: 7 }],
    ['raw + description over 32 KB', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(32 * 1024), description: 'd' }, 'bob'), RtmInvalidArgumentError, { code: 7 }],
    ['NUL in text', (c) => c.sendMessageToPeer({ text: 'a\0b' }, 'bob'), RtmInvalidArgumentError, { code: 7 }],
    ['NUL in description', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(1), description: 'a\0' }, 'bob'), RtmInvalidArgumentError, { code: 7 }],
    ['peer id not a string', (c) => c.sendMessageToPeer({ text: 'a' }, 42 as never), TypeError],
    ['peer id empty', (c) => c.sendMessageToPeer({ text: 'a' }, ''), RtmInvalidArgumentError, { code: 6, codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' }],
    ['peer id 65 bytes', (c) => c.sendMessageToPeer({ text: 'a' }, 'p'.repeat(65)), RtmInvalidArgumentError, { code: 6 }],
    ['peer id "null"', (c) => c.sendMessageToPeer({ text: 'a' }, 'null'), RtmInvalidArgumentError, { code: 6 }],
    ['peer id non-ASCII', (c) => c.sendMessageToPeer({ text: 'a' }, 'jürgen'), RtmInvalidArgumentError, { code: 6 }],
    ['options not an object', (c) => c.sendMessageToPeer({ text: 'a' }, 'bob', 1 as never), TypeError],
    ['options with a wrong type', (c) => c.sendMessageToPeer({ text: 'a' }, 'bob', { enableOfflineMessaging: 'yes' } as never), TypeError],
    ['options with an unknown key', (c) => c.sendMessageToPeer({ text: 'a' }, 'bob', { offline: true } as never), RtmInvalidArgumentError],
    // presence
    ['query ids not an array', (c) => c.queryPeersOnlineStatus('bob' as never), TypeError],
    ['query 257 ids', (c) => c.queryPeersOnlineStatus(Array.from({ length: 257 }, (_, i) => `p${i}`)), RtmInvalidArgumentError, { code: 2, codeName: 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT' }],
    ['query a bad id', (c) => c.queryPeersOnlineStatus(['ok', 'a/b']), RtmInvalidArgumentError, { code: 2 }],
    ['query a non-string id', (c) => c.queryPeersOnlineStatus(['ok', 1] as never), TypeError],
    ['subscribe 513 ids', (c) => c.subscribePeersOnlineStatus(Array.from({ length: 513 }, (_, i) => `p${i}`)), RtmLimitExceededError, { code: 6, codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW' }],
    ['subscribe an over-long id', (c) => c.subscribePeersOnlineStatus(['x'.repeat(65)]), RtmInvalidArgumentError, { code: 2, codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT' }],
    ['unsubscribe not an array', (c) => c.unsubscribePeersOnlineStatus(undefined as never), TypeError],
    ['query by an unknown option', (c) => c.queryPeersBySubscriptionOption('ALL' as never), RtmInvalidArgumentError],
    ['query by a non-string option', (c) => c.queryPeersBySubscriptionOption(0 as never), TypeError],
    // attributes
    ['attributes not an object', (c) => c.setLocalUserAttributes('k=v' as never), TypeError],
    ['attributes an array', (c) => c.addOrUpdateLocalUserAttributes([['k', 'v']] as never), TypeError],
    ['value not a string', (c) => c.setLocalUserAttributes({ k: 1 } as never), TypeError],
    ['empty value', (c) => c.setLocalUserAttributes({ k: '' }), RtmInvalidArgumentError, { code: 3, codeName: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT' }],
    ['empty key', (c) => c.setLocalUserAttributes({ '': 'v' }), RtmInvalidArgumentError, { code: 3 }],
    ['key with a tab', (c) => c.addOrUpdateLocalUserAttributes({ 'a\tb': 'v' }), RtmInvalidArgumentError, { code: 3 }],
    ['key non-ASCII', (c) => c.addOrUpdateLocalUserAttributes({ 'ключ': 'v' }), RtmInvalidArgumentError, { code: 3 }],
    ['key of 33 bytes', (c) => c.setLocalUserAttributes({ ['k'.repeat(33)]: 'v' }), RtmInvalidArgumentError, { code: 3 }],
    ['value over 8 KB', (c) => c.setLocalUserAttributes({ k: 'v'.repeat(8193) }), RtmLimitExceededError, { code: 4, codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' }],
    ['33 attributes', (c) => c.setLocalUserAttributes(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))), RtmLimitExceededError, { code: 4 }],
    ['NUL in a value', (c) => c.setLocalUserAttributes({ k: 'a\0' }), RtmInvalidArgumentError, { code: 3 }],
    ['delete keys not an array', (c) => c.deleteLocalUserAttributesByKeys('k' as never), TypeError],
    ['delete a bad key', (c) => c.deleteLocalUserAttributesByKeys(['ok', 'not\tok']), RtmInvalidArgumentError, { code: 3 }],
    ['get a bad user id', (c) => c.getUserAttributes('null'), RtmInvalidArgumentError, { code: 3 }],
    ['get a non-string user id', (c) => c.getUserAttributes(undefined as never), TypeError],
    ['get by keys, keys not an array', (c) => c.getUserAttributesByKeys('bob', null as never), TypeError],
    ['get by keys, a 33-byte key', (c) => c.getUserAttributesByKeys('bob', ['k'.repeat(33)]), RtmInvalidArgumentError, { code: 3 }],
  ];

  it.each(cases)('%s', async (_name, call, cls, fields) => {
    const { client, nat } = loggedIn();
    const err = await rejection(call(client));
    expect(err).toBeInstanceOf(cls);
    if (fields) expect(err).toMatchObject(fields);
    expect(nat.calls).toEqual([]);
    expect(nat.refd).toBe(true); // only the login state holds it
  });

  it('accepts the limits exactly', async () => {
    const { client, nat } = loggedIn();
    quiet(client.sendMessageToPeer({ text: 'x'.repeat(32 * 1024) }, 'p'.repeat(64)));
    quiet(client.sendMessageToPeer({ text: '€'.repeat(10_922) + 'xx' }, 'bob')); // 32 768 bytes
    quiet(client.sendMessageToPeer({ rawMessage: new Uint8Array(32 * 1024 - 4), description: 'dddd' }, 'bob'));
    quiet(client.queryPeersOnlineStatus(Array.from({ length: 256 }, (_, i) => `p${i}`)));
    quiet(client.subscribePeersOnlineStatus(Array.from({ length: 512 }, (_, i) => `p${i}`)));
    quiet(client.setLocalUserAttributes(Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`.padEnd(32, '~'), 'v']))));
    quiet(client.setLocalUserAttributes({ k: 'v'.repeat(8192) }));
    quiet(client.addOrUpdateLocalUserAttributes({ '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~': 'ok' }));
    expect(nat.calls).toHaveLength(8);
  });
});
