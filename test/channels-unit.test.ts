// RtmChannel and the client's channel-attribute / member-count calls against a scripted fake of
// the native client (lib/native.ts is mocked, so no addon is needed). Events are fed as the
// binding delivers them: batches of [kind, ...args], channel events named by the channel's ref.
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Batch = unknown[][];
  let nextRef = 1;
  class FakeNativeChannel {
    readonly ref = nextRef++;
    readonly calls: unknown[][] = [];
    rc: Record<string, number> = {};
    released = 0;
    constructor(
      readonly owner: FakeNativeClient,
      readonly id: string,
    ) {}
    #call(name: string, ...args: unknown[]): number {
      if (this.released > 0) throw Object.assign(new Error('released'), { code: 'ERR_RTM_RELEASED' });
      this.calls.push([name, ...args]);
      return this.rc[name] ?? 0;
    }
    channelId(): string {
      return this.id;
    }
    join(): number {
      return this.#call('join');
    }
    leave(): number {
      return this.#call('leave');
    }
    getMembers(): number {
      return this.#call('getMembers');
    }
    /** Message ids come from the client's one counter (the first is 2); `reuseId` forces one. */
    reuseId: bigint | null = null;
    sendMessage(message: unknown, options: unknown): [number, bigint] {
      const rc = this.#call('sendMessage', message, options);
      if (rc !== 0) return [rc, 0n];
      if (this.reuseId !== null) return [0, this.reuseId];
      return [0, this.owner.takeId()];
    }
    release(): void {
      this.released += 1;
    }
  }
  class FakeNativeClient {
    static instances: FakeNativeClient[] = [];
    /** test/helpers/encode-events.ts' deliver, set once the imports ran (hoisted code cannot import). */
    static deliver: (dispatch: never, events: Batch) => void;
    readonly dispatch: (batch: Batch) => void;
    readonly calls: unknown[][] = [];
    readonly channels: FakeNativeChannel[] = [];
    rc: Record<string, number> = {};
    /** createChannel answers NULL when set. */
    nullChannel = false;
    refd = false;
    releaseCalls = 0;
    nextId = 2n;
    lastId = 0n;
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
    takeId(): bigint {
      this.lastId = this.nextId;
      this.nextId += 1n;
      return this.lastId;
    }
    #call(name: string, ...args: unknown[]): number {
      this.calls.push([name, ...args]);
      return this.rc[name] ?? 0;
    }
    #request(name: string, ...args: unknown[]): [number, bigint] {
      const rc = this.#call(name, ...args);
      return rc !== 0 ? [rc, 0n] : [0, this.takeId()];
    }
    login(token: string | null, uid: string): number {
      return this.#call('login', token, uid);
    }
    logout(): number {
      return this.#call('logout');
    }
    createChannel(id: string): FakeNativeChannel | null {
      this.calls.push(['createChannel', id]);
      if (this.nullChannel) return null;
      const ch = new FakeNativeChannel(this, id);
      this.channels.push(ch);
      return ch;
    }
    setChannelAttributes(id: string, attrs: unknown, notify: boolean): [number, bigint] {
      return this.#request('setChannelAttributes', id, attrs, notify);
    }
    addOrUpdateChannelAttributes(id: string, attrs: unknown, notify: boolean): [number, bigint] {
      return this.#request('addOrUpdateChannelAttributes', id, attrs, notify);
    }
    deleteChannelAttributesByKeys(id: string, keys: unknown, notify: boolean): [number, bigint] {
      return this.#request('deleteChannelAttributesByKeys', id, keys, notify);
    }
    clearChannelAttributes(id: string, notify: boolean): [number, bigint] {
      return this.#request('clearChannelAttributes', id, notify);
    }
    getChannelAttributes(id: string): [number, bigint] {
      return this.#request('getChannelAttributes', id);
    }
    getChannelAttributesByKeys(id: string, keys: unknown): [number, bigint] {
      return this.#request('getChannelAttributesByKeys', id, keys);
    }
    getChannelMemberCount(ids: unknown): [number, bigint] {
      return this.#request('getChannelMemberCount', ids);
    }
    ref(): void {
      this.refd = true;
    }
    unref(): void {
      this.refd = false;
    }
    release(): void {
      this.releaseCalls += 1;
      for (const ch of this.channels) ch.release();
    }
    flushes = 0;
    flushRequests(): void {
      this.flushes += 1;
    }
  }
  return { FakeNativeClient, FakeNativeChannel };
});

vi.mock('../lib/native', async (importOriginal) =>
  (await import('./helpers/fake-native')).fakeNativeModule(await importOriginal(), fake.FakeNativeClient),
);
import { deliver } from './helpers/encode-events';
fake.FakeNativeClient.deliver = deliver as never;

import { RtmClient, type SafetyTimeouts } from '../lib/client';
import type { RtmChannel } from '../lib/channel';
import {
  AttributeOperationErrCode,
  ChannelMessageErrCode,
  GetChannelMemberCountErrCode,
  GetMembersErrCode,
  JoinChannelErrCode,
  LeaveChannelErrCode,
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
} from '../lib/errors';

type NativeMsg = [number, bigint, string, Buffer | null, number, boolean];
const S = { DISCONNECTED: 1, CONNECTING: 2, CONNECTED: 3, RECONNECTING: 4, ABORTED: 5 };
const R = { LOGIN: 1, LOGIN_SUCCESS: 2, LOGIN_FAILURE: 3, LOGIN_TIMEOUT: 4, INTERRUPTED: 5, LOGOUT: 6, REMOTE_LOGIN: 8 };
const ev = {
  loginFailure: (code: number) => [2, code],
  logout: (code: number) => [5, code],
  state: (s: number, r: number) => [6, s, r],
  joinOk: (ref: number) => [18, ref],
  joinFail: (ref: number, code: number) => [19, ref, code],
  leave: (ref: number, code: number) => [20, ref, code],
  message: (ref: number, user: string, m: NativeMsg) => [21, ref, user, m],
  sendResult: (ref: number, id: bigint, code: number) => [22, ref, id, code],
  memberJoined: (ref: number, user: string) => [23, ref, user],
  memberLeft: (ref: number, user: string) => [24, ref, user],
  members: (ref: number, users: string[], code: number) => [25, ref, users, code],
  attrsUpdated: (ref: number, attrs: [string, string, string, number][]) => [26, ref, attrs],
  count: (ref: number, n: number) => [27, ref, n],
  setAttrs: (id: bigint, code: number) => [28, id, code],
  addAttrs: (id: bigint, code: number) => [29, id, code],
  deleteAttrs: (id: bigint, code: number) => [30, id, code],
  clearAttrs: (id: bigint, code: number) => [31, id, code],
  getAttrs: (id: bigint, attrs: [string, string, string, number][], code: number) => [32, id, attrs, code],
  memberCount: (id: bigint, counts: [string, number][], code: number) => [33, id, counts, code],
};

type FakeClient = InstanceType<typeof fake.FakeNativeClient>;
type FakeChannel = InstanceType<typeof fake.FakeNativeChannel>;

const clients: RtmClient[] = [];

function make(timeouts?: Partial<SafetyTimeouts>): { client: RtmClient; nat: FakeClient } {
  const client = new RtmClient({ spec: { backend: 'emulator' }, appId: 'app', safetyTimeoutsMs: timeouts });
  clients.push(client);
  const nat = fake.FakeNativeClient.instances.at(-1)!;
  nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS)]);
  return { client, nat };
}

/** A logged-in fake client and one channel of it. */
function channelOf(id = 'room', timeouts?: Partial<SafetyTimeouts>): { client: RtmClient; nat: FakeClient; ch: RtmChannel; nch: FakeChannel } {
  const { client, nat } = make(timeouts);
  const ch = client.createChannel(id);
  return { client, nat, ch, nch: nat.channels.at(-1)! };
}

async function peek(p: Promise<unknown>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
}

async function rejection(p: Promise<unknown>): Promise<RtmError> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as RtmError,
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.release()));
});

describe('createChannel', () => {
  it('creates a channel object with its id; invalid ids throw before any native call', () => {
    const { client, nat } = make();
    const ch = client.createChannel('a b!#$%&()+-:;<=.>?@[]^_{}|~,');
    expect(ch.channelId).toBe('a b!#$%&()+-:;<=.>?@[]^_{}|~,');
    expect(client.createChannel('x'.repeat(64)).channelId).toHaveLength(64);
    nat.calls.length = 0;
    for (const bad of ['', 'null', 'x'.repeat(65), 'tab\there', 'é', "it's", 'a\0b']) {
      const err = thrown(() => client.createChannel(bad)) as RtmError;
      expect(err, JSON.stringify(bad)).toBeInstanceOf(RtmInvalidArgumentError);
      expect(err.code).toBe(JoinChannelErrCode.INVALID_ARGUMENT);
      expect(err.codeName).toBe('JOIN_CHANNEL_ERR_INVALID_ARGUMENT');
      expect(err.operation).toBe('createChannel');
    }
    expect(() => client.createChannel(7 as unknown as string)).toThrow(TypeError);
    expect(nat.calls).toEqual([]);
  });

  it('refuses a second object for an id until the first is released', async () => {
    const { client, nat } = make();
    const first = client.createChannel('room');
    const err = thrown(() => client.createChannel('room')) as RtmError;
    expect(err).toBeInstanceOf(RtmInvalidArgumentError);
    expect(err.message).toMatch(/already has a channel object/);
    expect(nat.channels).toHaveLength(1);
    expect(client.createChannel('other').channelId).toBe('other'); // other ids are fine
    await first.release();
    const second = client.createChannel('room');
    expect(second).not.toBe(first);
    expect(nat.channels).toHaveLength(3);
  });

  it('a NULL from the SDK throws RtmError (NATIVE)', () => {
    const { client, nat } = make();
    nat.nullChannel = true;
    const err = thrown(() => client.createChannel('room')) as RtmError;
    expect(err).toBeInstanceOf(RtmError);
    expect(err.code).toBe(LocalErrCode.NATIVE);
    nat.nullChannel = false;
    expect(client.createChannel('room').channelId).toBe('room'); // nothing was registered
  });
});

describe('join', () => {
  it('resolves on onJoinSuccess; keeps the process alive while pending', async () => {
    const { client, nat, ch, nch } = channelOf();
    client.unref().ref();
    nat.dispatch([ev.state(S.DISCONNECTED, R.LOGOUT)]); // not logged in: only the call holds the process
    expect(nat.refd).toBe(false);
    const p = ch.join();
    expect(nch.calls).toEqual([['join']]);
    expect(nat.refd).toBe(true);
    nat.dispatch([ev.joinOk(nch.ref)]);
    await expect(p).resolves.toBeUndefined();
    expect(nat.refd).toBe(false);
  });

  it('rejects at once on a non-zero synchronous return, with the class of the code', async () => {
    const { ch, nch } = channelOf();
    const cases: [number, unknown][] = [
      [JoinChannelErrCode.EXCEED_LIMIT, RtmLimitExceededError],
      [JoinChannelErrCode.ALREADY_JOINED, RtmInvalidStatusError],
      [JoinChannelErrCode.TOO_OFTEN, RtmInvokeTooOftenError],
      [JoinChannelErrCode.JOIN_SAME_CHANNEL_TOO_OFTEN, RtmInvokeTooOftenError],
      [JoinChannelErrCode.USER_NOT_LOGGED_IN, RtmInvalidStatusError],
    ];
    for (const [code, cls] of cases) {
      nch.rc.join = code;
      const err = await rejection(ch.join());
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
      expect(err.operation).toBe('join');
    }
  });

  it('rejects on onJoinFailure with the mapped error', async () => {
    const { nat, ch, nch } = channelOf();
    const p = ch.join();
    nat.dispatch([ev.joinFail(nch.ref, JoinChannelErrCode.TIMEOUT)]);
    const err = await rejection(p);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.codeName).toBe('JOIN_CHANNEL_TIMEOUT');
  });

  it('join; join: an early ALREADY_JOINED goes to the second, the success to the first', async () => {
    const { nat, ch, nch } = channelOf();
    const first = ch.join();
    const second = ch.join();
    nat.dispatch([ev.joinFail(nch.ref, JoinChannelErrCode.ALREADY_JOINED)]);
    await expect(second).rejects.toMatchObject({ codeName: 'JOIN_CHANNEL_ERR_ALREADY_JOINED' });
    expect(await peek(first)).toBe('pending');
    nat.dispatch([ev.joinOk(nch.ref)]);
    await expect(first).resolves.toBeUndefined();
  });

  it('join; join answered in call order settles each its own', async () => {
    const { nat, ch, nch } = channelOf();
    const first = ch.join();
    const second = ch.join();
    nat.dispatch([ev.joinOk(nch.ref), ev.joinFail(nch.ref, JoinChannelErrCode.ALREADY_JOINED)]);
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toBeInstanceOf(RtmInvalidStatusError);
    // joined: a third join expects ALREADY_JOINED, but takes whatever comes when it is alone
    const third = ch.join();
    nat.dispatch([ev.joinOk(nch.ref)]);
    await expect(third).resolves.toBeUndefined();
  });

  it('results are routed by channel ref', async () => {
    const { client, nat, ch, nch } = channelOf('a');
    const other = client.createChannel('b');
    const nother = nat.channels.at(-1)!;
    const pa = ch.join();
    const pb = other.join();
    nat.dispatch([ev.joinFail(nother.ref, JoinChannelErrCode.EXCEED_LIMIT)]);
    await expect(pb).rejects.toBeInstanceOf(RtmLimitExceededError);
    expect(await peek(pa)).toBe('pending');
    nat.dispatch([ev.joinOk(nch.ref)]);
    await expect(pa).resolves.toBeUndefined();
  });

  it('times out with JOIN_CHANNEL_TIMEOUT; a late result is ignored', async () => {
    const { nat, ch, nch } = channelOf('room', { join: 20 });
    const err = await rejection(ch.join());
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.code).toBe(JoinChannelErrCode.TIMEOUT);
    expect(err.message).toMatch(/20 ms/);
    expect(() => nat.dispatch([ev.joinOk(nch.ref)])).not.toThrow();
  });
});

describe('leave', () => {
  it('resolves on onLeave(0); NOT_IN_CHANNEL rejects with RtmInvalidStatusError', async () => {
    const { nat, ch, nch } = channelOf();
    const j = ch.join();
    nat.dispatch([ev.joinOk(nch.ref)]);
    await j;
    const a = ch.leave();
    const b = ch.leave(); // expects NOT_IN_CHANNEL
    nat.dispatch([ev.leave(nch.ref, LeaveChannelErrCode.NOT_IN_CHANNEL)]);
    const err = await rejection(b);
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect(err.codeName).toBe('LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL');
    expect(await peek(a)).toBe('pending');
    nat.dispatch([ev.leave(nch.ref, 0)]);
    await expect(a).resolves.toBeUndefined();
    nch.rc.leave = LeaveChannelErrCode.USER_NOT_LOGGED_IN;
    await expect(ch.leave()).rejects.toMatchObject({ code: 102, operation: 'leave' });
  });

  it('a completed leave cuts off the channel’s pending sends and getMembers, not those of other channels', async () => {
    const { client, nat, ch, nch } = channelOf('a');
    const other = client.createChannel('b');
    const nother = nat.channels.at(-1)!;
    const send = ch.sendMessage({ text: 'x' });
    const members = ch.getMembers();
    const otherSend = other.sendMessage({ text: 'y' });
    const otherId = nat.lastId;
    const leave = ch.leave();
    expect(await peek(send)).toBe('pending'); // not at the call: the SDK may still answer them
    nat.dispatch([ev.leave(nch.ref, 0)]);
    await expect(leave).resolves.toBeUndefined();
    const sendErr = await rejection(send);
    expect(sendErr.code).toBe(ChannelMessageErrCode.FAILURE);
    expect(sendErr.message).toMatch(/channel was left/);
    const membersErr = await rejection(members);
    expect(membersErr.codeName).toBe('GET_MEMBERS_ERR_NOT_IN_CHANNEL');
    expect(await peek(otherSend)).toBe('pending');
    nat.dispatch([ev.sendResult(nother.ref, otherId, 0)]);
    await expect(otherSend).resolves.toBeUndefined();
  });

  it('times out with LEAVE_CHANNEL_ERR_FAILURE (the enum has no TIMEOUT)', async () => {
    const { ch } = channelOf('room', { leave: 20 });
    const err = await rejection(ch.leave());
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.codeName).toBe('LEAVE_CHANNEL_ERR_FAILURE');
  });
});

describe('getMembers', () => {
  it('resolves with a copy of the ids, in order of the calls', async () => {
    const { nat, ch, nch } = channelOf();
    const j = ch.join();
    nat.dispatch([ev.joinOk(nch.ref)]);
    await j;
    const a = ch.getMembers();
    const b = ch.getMembers();
    const list = ['alice', 'bob'];
    nat.dispatch([ev.members(nch.ref, list, 0), ev.members(nch.ref, ['alice'], GetMembersErrCode.TOO_OFTEN)]);
    const got = await a;
    expect(got).toEqual(['alice', 'bob']);
    expect(got).not.toBe(list);
    await expect(b).rejects.toBeInstanceOf(RtmInvokeTooOftenError);
  });

  it('NOT_IN_CHANNEL, sync and async; safety timeout uses GET_MEMBERS_ERR_TIMEOUT', async () => {
    const { nat, ch, nch } = channelOf('room', { getMembers: 20 });
    nch.rc.getMembers = GetMembersErrCode.NOT_IN_CHANNEL;
    await expect(ch.getMembers()).rejects.toMatchObject({ code: 5, codeName: 'GET_MEMBERS_ERR_NOT_IN_CHANNEL' });
    nch.rc.getMembers = 0;
    const p = ch.getMembers();
    nat.dispatch([ev.members(nch.ref, [], GetMembersErrCode.NOT_IN_CHANNEL)]);
    await expect(p).rejects.toBeInstanceOf(RtmInvalidStatusError);
    const err = await rejection(ch.getMembers());
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.code).toBe(GetMembersErrCode.TIMEOUT);
  });
});

describe('sendMessage', () => {
  it('passes text, raw and options; resolves on OK by message id, in any order', async () => {
    const { nat, ch, nch } = channelOf();
    const a = ch.sendMessage({ text: 'hi' });
    const idA = nat.lastId;
    const raw = new Uint8Array([1, 2, 3]);
    const b = ch.sendMessage({ rawMessage: raw, description: 'd' }, { enableOfflineMessaging: true });
    const idB = nat.lastId;
    expect(nch.calls).toEqual([
      ['sendMessage', { text: 'hi' }, null],
      ['sendMessage', { rawMessage: raw, description: 'd' }, [true, false]],
    ]);
    nat.dispatch([ev.sendResult(nch.ref, idB, ChannelMessageErrCode.SENT_TIMEOUT), ev.sendResult(nch.ref, idA, 0)]);
    await expect(a).resolves.toBeUndefined();
    const err = await rejection(b);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.codeName).toBe('CHANNEL_MESSAGE_ERR_SENT_TIMEOUT');
  });

  it('the emulator is told once per tick that sent a channel message (flushRequests, after the sends)', async () => {
    const { nat, ch } = channelOf();
    const sends = [ch.sendMessage({ text: '1' }), ch.sendMessage({ text: '2' })];
    sends.forEach((p) => p.catch(() => {}));
    expect(nat.flushes).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(nat.flushes).toBe(1);
  });

  it('several sends waiting for one id settle oldest first', async () => {
    const { nat, ch, nch } = channelOf();
    nch.reuseId = 77n;
    const a = ch.sendMessage({ text: '1' });
    const b = ch.sendMessage({ text: '2' });
    nat.dispatch([ev.sendResult(nch.ref, 77n, ChannelMessageErrCode.FAILURE)]);
    await expect(a).rejects.toMatchObject({ code: 1, codeName: 'CHANNEL_MESSAGE_ERR_FAILURE' });
    expect(await peek(b)).toBe('pending');
    nat.dispatch([ev.sendResult(nch.ref, 77n, 0), ev.sendResult(nch.ref, 77n, 0)]);
    await expect(b).resolves.toBeUndefined();
  });

  it('synchronous codes and checks before the native call', async () => {
    const { ch, nch } = channelOf();
    nch.rc.sendMessage = ChannelMessageErrCode.TOO_OFTEN;
    await expect(ch.sendMessage({ text: 'x' })).rejects.toBeInstanceOf(RtmInvokeTooOftenError);
    nch.rc.sendMessage = ChannelMessageErrCode.USER_NOT_LOGGED_IN;
    await expect(ch.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: 102 });
    nch.calls.length = 0;
    const big = await rejection(ch.sendMessage({ text: 'x'.repeat(32 * 1024 + 1) }));
    expect(big).toBeInstanceOf(RtmInvalidArgumentError);
    expect(big.codeName).toBe('CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');
    await expect(ch.sendMessage({ text: 'a\0b' })).rejects.toMatchObject({ code: ChannelMessageErrCode.INVALID_MESSAGE });
    await expect(ch.sendMessage({} as never)).rejects.toBeInstanceOf(TypeError);
    await expect(ch.sendMessage({ text: 'x' }, { typo: true } as never)).rejects.toBeInstanceOf(RtmInvalidArgumentError);
    expect(nch.calls).toEqual([]);
    await expect(ch.sendMessage({ text: 'x'.repeat(32 * 1024) })).rejects.toBeInstanceOf(RtmInvalidStatusError); // 102 still set
  });

  it('times out with CHANNEL_MESSAGE_ERR_SENT_TIMEOUT', async () => {
    const { ch } = channelOf('room', { sendMessage: 20 });
    const err = await rejection(ch.sendMessage({ text: 'x' }));
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.code).toBe(ChannelMessageErrCode.SENT_TIMEOUT);
  });
});

describe('channel events', () => {
  it('ChannelMessage, MemberJoined, MemberLeft, AttributesUpdated and MemberCountUpdated', () => {
    const { client, nat, ch, nch } = channelOf('a');
    const other = client.createChannel('b');
    const seen: unknown[][] = [];
    const seenOther: unknown[][] = [];
    ch.on('ChannelMessage', (m, from, props) => seen.push(['msg', m, from, props]));
    ch.on('MemberJoined', (u) => seen.push(['joined', u]));
    ch.on('MemberLeft', (u) => seen.push(['left', u]));
    ch.on('AttributesUpdated', (a) => seen.push(['attrs', a]));
    ch.on('MemberCountUpdated', (n) => seen.push(['count', n]));
    other.on('MemberJoined', (u) => seenOther.push(['joined', u]));
    const raw = Buffer.from([9, 8]);
    nat.dispatch([
      ev.message(nch.ref, 'bob', [1, 5n, 'hello', null, 1234, false]),
      ev.message(nch.ref, 'carol', [2, 6n, 'desc', raw, 1235, false]),
      ev.memberJoined(nch.ref, 'dave'),
      ev.memberLeft(nch.ref, 'bob'),
      ev.attrsUpdated(nch.ref, [
        ['k1', 'v1', 'bob', 100],
        ['__proto__', 'v2', 'carol', 200],
      ]),
      ev.count(nch.ref, 3),
      ev.memberJoined(nat.channels[1]!.ref, 'erin'),
      ev.memberJoined(999, 'nobody'), // no such channel
    ]);
    expect(seen[0]).toEqual(['msg', { messageType: 'TEXT', text: 'hello' }, 'bob', { serverReceivedTs: 1234, isOfflineMessage: false, messageId: 5n }]);
    expect(seen[1]![0]).toBe('msg');
    expect(seen[1]![1]).toMatchObject({ messageType: 'RAW', description: 'desc' });
    expect([...(seen[1]![1] as { rawMessage: Uint8Array }).rawMessage]).toEqual([9, 8]);
    expect(seen.slice(2, 4)).toEqual([
      ['joined', 'dave'],
      ['left', 'bob'],
    ]);
    const attrs = seen[4]![1] as Record<string, unknown>;
    expect(Object.keys(attrs)).toEqual(['k1', '__proto__']);
    expect(attrs.k1).toEqual({ value: 'v1', lastUpdateUserId: 'bob', lastUpdateTs: 100 });
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(seen[5]).toEqual(['count', 3]);
    expect(seenOther).toEqual([['joined', 'erin']]);
  });

  it('a throwing listener does not stop the batch; its error is rethrown on the next tick', async () => {
    const { nat, ch, nch } = channelOf();
    const boom = new Error('boom');
    ch.on('MemberJoined', () => {
      throw boom;
    });
    const uncaught: unknown[] = [];
    const listener = (e: unknown) => uncaught.push(e);
    process.prependListener('uncaughtException', listener);
    try {
      const p = ch.join();
      nat.dispatch([ev.memberJoined(nch.ref, 'x'), ev.joinOk(nch.ref)]);
      await expect(p).resolves.toBeUndefined();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.removeListener('uncaughtException', listener);
    }
    expect(uncaught).toEqual([boom]);
  });
});

describe('cut-offs', () => {
  function pendingCalls(ch: RtmChannel) {
    return Promise.allSettled([ch.join(), ch.leave(), ch.getMembers(), ch.sendMessage({ text: 'x' })]);
  }

  it('logout rejects every pending channel call with 102 (the SDK never answers them)', async () => {
    const { client, nat, ch } = channelOf('a');
    const other = client.createChannel('b');
    const all = Promise.all([pendingCalls(ch), pendingCalls(other)]);
    const logout = client.logout();
    nat.dispatch([ev.state(S.DISCONNECTED, R.LOGOUT), ev.logout(0)]);
    await logout;
    for (const o of (await all).flat()) {
      expect(o.status).toBe('rejected');
      const err = (o as PromiseRejectedResult).reason as RtmError;
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err.code).toBe(102);
      expect(err.codeName).toMatch(/_USER_NOT_LOGGED_IN$/);
      expect(err.message).toMatch(/cut off by logout/);
    }
    expect(nat.refd).toBe(false);
  });

  it('an ABORTED session and a failed login reject them too; RECONNECTING does not', async () => {
    {
      const { nat, ch } = channelOf();
      const all = pendingCalls(ch);
      nat.dispatch([ev.state(S.RECONNECTING, R.INTERRUPTED)]);
      const still = ch.getMembers();
      expect(await peek(still)).toBe('pending');
      nat.dispatch([ev.state(S.ABORTED, R.REMOTE_LOGIN)]);
      for (const o of [...(await all), ...(await Promise.allSettled([still]))]) {
        expect(o.status).toBe('rejected');
        expect((o as PromiseRejectedResult).reason.message).toMatch(/ABORTED/);
      }
    }
    {
      const { nat, ch } = channelOf();
      nat.dispatch([ev.state(S.CONNECTING, R.LOGIN)]);
      const all = pendingCalls(ch);
      nat.dispatch([ev.loginFailure(9), ev.state(S.DISCONNECTED, R.LOGIN_TIMEOUT)]);
      for (const o of await all) {
        expect(o.status).toBe('rejected');
        expect((o as PromiseRejectedResult).reason.message).toMatch(/login failed/);
      }
    }
  });

  it('after a cut-off the channel counts as not joined: a new join expects its own result', async () => {
    const { nat, ch, nch } = channelOf();
    const j = ch.join();
    nat.dispatch([ev.joinOk(nch.ref)]);
    await j;
    nat.dispatch([ev.state(S.ABORTED, R.REMOTE_LOGIN)]);
    nat.dispatch([ev.state(S.CONNECTED, R.LOGIN_SUCCESS)]);
    const again = ch.join();
    const busy = ch.join();
    nat.dispatch([ev.joinFail(nch.ref, JoinChannelErrCode.ALREADY_JOINED), ev.joinOk(nch.ref)]);
    await expect(busy).rejects.toBeInstanceOf(RtmInvalidStatusError);
    await expect(again).resolves.toBeUndefined();
  });
});

describe('release', () => {
  it('channel.release(): idempotent; pending calls and later calls reject with RtmReleasedError; events ignored', async () => {
    const { client, nat, ch, nch } = channelOf();
    const seen: string[] = [];
    ch.on('MemberJoined', (u) => seen.push(u));
    const all = Promise.allSettled([ch.join(), ch.leave(), ch.getMembers(), ch.sendMessage({ text: 'x' })]);
    await ch.release();
    await ch.release();
    expect(nch.released).toBe(1);
    for (const o of await all) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RtmReleasedError);
      expect((o as PromiseRejectedResult).reason.message).toMatch(/release\(\) of the channel/);
    }
    for (const p of [ch.join(), ch.leave(), ch.getMembers(), ch.sendMessage({ text: 'x' })]) {
      const err = await rejection(p);
      expect(err).toBeInstanceOf(RtmReleasedError);
      expect(err.message).toMatch(/released channel/);
    }
    expect(ch.channelId).toBe('room');
    nat.dispatch([ev.memberJoined(nch.ref, 'late'), ev.joinOk(nch.ref)]);
    expect(seen).toEqual([]);
    expect(nat.refd).toBe(true); // logged in
    client.unref();
    expect(nat.refd).toBe(false);
  });

  it('client.release() releases every channel and rejects their calls', async () => {
    const { client, nat, ch } = channelOf('a');
    const other = client.createChannel('b');
    const all = Promise.all([pendingCalls(ch), pendingCalls(other)]);
    await client.release();
    for (const o of (await all).flat()) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RtmReleasedError);
    }
    expect(nat.releaseCalls).toBe(1);
    await expect(ch.join()).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(other.sendMessage({ text: 'x' })).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(ch.release()).resolves.toBeUndefined();
    expect(() => client.createChannel('c')).toThrow(RtmReleasedError);
  });

  it('Symbol.asyncDispose releases the channel', async () => {
    const { ch, nch } = channelOf();
    await ch[Symbol.asyncDispose]();
    expect(nch.released).toBe(1);
  });

  function pendingCalls(ch: RtmChannel) {
    return Promise.allSettled([ch.join(), ch.leave(), ch.getMembers(), ch.sendMessage({ text: 'x' })]);
  }
});

describe('channel attributes', () => {
  it('pass id, entries / keys and the notification flag; each resolves on its own result', async () => {
    const { client, nat } = make();
    const set = client.setChannelAttributes('room', { a: '1', b: '2' }, { enableNotificationToChannelMembers: true });
    const add = client.addOrUpdateChannelAttributes('room', new Map([['c', '3']]) as never);
    const del = client.deleteChannelAttributesByKeys('room', ['a'], { enableNotificationToChannelMembers: false });
    const clear = client.clearChannelAttributes('room', {});
    expect(nat.calls).toEqual([
      ['setChannelAttributes', 'room', [['a', '1'], ['b', '2']], true],
      ['addOrUpdateChannelAttributes', 'room', [['c', '3']], false],
      ['deleteChannelAttributesByKeys', 'room', ['a'], false],
      ['clearChannelAttributes', 'room', false],
    ]);
    nat.dispatch([ev.clearAttrs(5n, 0), ev.deleteAttrs(4n, 0), ev.addAttrs(3n, AttributeOperationErrCode.SIZE_OVERFLOW), ev.setAttrs(2n, 0)]);
    await expect(set).resolves.toBeUndefined();
    await expect(add).rejects.toBeInstanceOf(RtmLimitExceededError);
    await expect(del).resolves.toBeUndefined();
    await expect(clear).resolves.toBeUndefined();
  });

  it('a result of another kind for a pending id is ignored', async () => {
    const { client, nat } = make();
    const set = client.setChannelAttributes('room', { a: '1' });
    nat.dispatch([ev.clearAttrs(nat.lastId, 0)]);
    expect(await peek(set)).toBe('pending');
    nat.dispatch([ev.setAttrs(nat.lastId, 0)]);
    await expect(set).resolves.toBeUndefined();
  });

  it('getChannelAttributes / ByKeys resolve with { key: { value, lastUpdateUserId, lastUpdateTs } }', async () => {
    const { client, nat } = make();
    const all = client.getChannelAttributes('room');
    const some = client.getChannelAttributesByKeys('room', ['k']);
    expect(nat.calls).toEqual([
      ['getChannelAttributes', 'room'],
      ['getChannelAttributesByKeys', 'room', ['k']],
    ]);
    nat.dispatch([
      ev.getAttrs(3n, [['k', 'v', 'bob', 1700000000123]], 0),
      ev.getAttrs(2n, [
        ['k', 'v', 'bob', 1700000000123],
        ['z', 'w', 'carol', 5],
      ], 0),
    ]);
    await expect(all).resolves.toEqual({
      k: { value: 'v', lastUpdateUserId: 'bob', lastUpdateTs: 1700000000123 },
      z: { value: 'w', lastUpdateUserId: 'carol', lastUpdateTs: 5 },
    });
    await expect(some).resolves.toEqual({ k: { value: 'v', lastUpdateUserId: 'bob', lastUpdateTs: 1700000000123 } });
    const failing = client.getChannelAttributes('room');
    nat.dispatch([ev.getAttrs(nat.lastId, [], AttributeOperationErrCode.TOO_OFTEN)]);
    await expect(failing).rejects.toBeInstanceOf(RtmInvokeTooOftenError);
  });

  it('cut off by logout, rejected by release, and timed out with ATTRIBUTE_OPERATION_ERR_TIMEOUT', async () => {
    {
      const { client, nat } = make();
      const p = client.getChannelAttributes('room');
      nat.dispatch([ev.state(S.DISCONNECTED, R.LOGOUT)]);
      await expect(p).rejects.toMatchObject({ code: 102, codeName: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN' });
    }
    {
      const { client } = make();
      const p = client.setChannelAttributes('room', { a: '1' });
      await client.release();
      await expect(p).rejects.toBeInstanceOf(RtmReleasedError);
      await expect(client.getChannelMemberCount(['room'])).rejects.toBeInstanceOf(RtmReleasedError);
    }
    {
      const { client } = make({ clearChannelAttributes: 20 });
      const err = await rejection(client.clearChannelAttributes('room'));
      expect(err).toBeInstanceOf(RtmTimeoutError);
      expect(err.codeName).toBe('ATTRIBUTE_OPERATION_ERR_TIMEOUT');
    }
  });
});

describe('getChannelMemberCount', () => {
  it('resolves with { channelId: count }', async () => {
    const { client, nat } = make();
    const p = client.getChannelMemberCount(['a', 'b']);
    expect(nat.calls).toEqual([['getChannelMemberCount', ['a', 'b']]]);
    nat.dispatch([ev.memberCount(nat.lastId, [['a', 3], ['b', 0]], 0)]);
    await expect(p).resolves.toEqual({ a: 3, b: 0 });
  });

  it('rejects with the result code; times out with GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT', async () => {
    const { client, nat } = make({ getChannelMemberCount: 20 });
    const p = client.getChannelMemberCount(['a']);
    nat.dispatch([ev.memberCount(nat.lastId, [], GetChannelMemberCountErrCode.TOO_OFTEN)]);
    await expect(p).rejects.toMatchObject({ codeName: 'GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN' });
    nat.rc.getChannelMemberCount = GetChannelMemberCountErrCode.TOO_OFTEN;
    await expect(client.getChannelMemberCount(['a'])).rejects.toBeInstanceOf(RtmInvokeTooOftenError);
    nat.rc.getChannelMemberCount = 0;
    const err = await rejection(client.getChannelMemberCount(['a']));
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect(err.code).toBe(GetChannelMemberCountErrCode.TIMEOUT);
  });
});

describe('argument validation of channel-attribute and member-count calls (no native call)', () => {
  const ids33 = Array.from({ length: 33 }, (_, i) => `c${i}`);
  const attrs33 = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
  const A = 'ATTRIBUTE_OPERATION_ERR_';
  const cases: [string, (c: RtmClient) => Promise<unknown>, unknown, Record<string, unknown>?][] = [
    ['bad channel id', (c) => c.setChannelAttributes('null', { a: '1' }), RtmInvalidArgumentError, { codeName: `${A}INVALID_ARGUMENT` }],
    ['65-byte channel id', (c) => c.getChannelAttributes('x'.repeat(65)), RtmInvalidArgumentError, { code: 3 }],
    ['empty channel id', (c) => c.clearChannelAttributes(''), RtmInvalidArgumentError],
    ['channel id of a wrong type', (c) => c.getChannelAttributesByKeys(1 as never, ['k']), TypeError],
    ['empty key', (c) => c.addOrUpdateChannelAttributes('room', { '': 'v' }), RtmInvalidArgumentError],
    ['33-byte key', (c) => c.setChannelAttributes('room', { ['k'.repeat(33)]: 'v' }), RtmInvalidArgumentError],
    ['key with a tab', (c) => c.deleteChannelAttributesByKeys('room', ['a\tb']), RtmInvalidArgumentError],
    ['empty value', (c) => c.setChannelAttributes('room', { k: '' }), RtmInvalidArgumentError],
    ['8193-byte value', (c) => c.setChannelAttributes('room', { k: 'v'.repeat(8193) }), RtmLimitExceededError, { codeName: `${A}SIZE_OVERFLOW` }],
    ['33 attributes', (c) => c.addOrUpdateChannelAttributes('room', attrs33), RtmLimitExceededError, { code: 4 }],
    ['keys not an array', (c) => c.getChannelAttributesByKeys('room', 'k' as never), TypeError],
    ['unknown option', (c) => c.clearChannelAttributes('room', { notify: true } as never), RtmInvalidArgumentError],
    ['option of a wrong type', (c) => c.setChannelAttributes('room', { k: 'v' }, { enableNotificationToChannelMembers: 1 as never }), TypeError],
    ['33 channel ids', (c) => c.getChannelMemberCount(ids33), RtmLimitExceededError, { codeName: 'GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT', code: 5 }],
    ['bad id in the count list', (c) => c.getChannelMemberCount(['ok', 'null']), RtmInvalidArgumentError, { codeName: 'GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT' }],
    ['count ids not an array', (c) => c.getChannelMemberCount('a' as never), TypeError],
  ];

  it.each(cases)('%s', async (_name, call, cls, fields) => {
    const { client, nat } = make();
    const err = await call(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    if (fields !== undefined) expect(err).toMatchObject(fields);
    expect(nat.calls).toEqual([]);
  });

  it('accepts the limits exactly', async () => {
    const { client, nat } = make();
    const ids32 = ids33.slice(0, 32);
    const attrs32 = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`${'k'.repeat(30)}${String(i).padStart(2, '0')}`, 'v'.repeat(8192)]));
    const calls = [
      client.getChannelMemberCount(ids32),
      client.setChannelAttributes('x'.repeat(64), attrs32),
      client.getChannelMemberCount([]),
    ];
    expect(nat.calls.map((c) => c[0])).toEqual(['getChannelMemberCount', 'setChannelAttributes', 'getChannelMemberCount']);
    await client.release();
    await Promise.allSettled(calls);
  });
});
