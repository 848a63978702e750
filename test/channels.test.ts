// Channels through the public API on in-process emulators: createChannel, join / leave /
// getMembers / sendMessage with every error code, member events, counts, removal by remote
// login and logout, three clients in two channels, concurrent calls and cut-offs. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChannelMessageErrCode,
  ConnectionState,
  GetMembersErrCode,
  JoinChannelErrCode,
  LeaveChannelErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  RtmReleasedError,
  type RtmChannel,
} from '../lib/index';
import { Emulator } from '../lib/emulator';
import { joinedChannel, recordChannel, texts } from './helpers/channels';
import { cleanup, clientOf, loggedIn, rejectionOf, sleep, startEmulator, uniqueId, until } from './helpers/emu';

afterEach(cleanup);

/** alice and bob logged in on `emu` and joined to a new channel `id` (a, b), once alice saw bob join. */
async function aliceAndBobInChannel(emu: Emulator) {
  const alice = await loggedIn(emu, 'alice');
  const bob = await loggedIn(emu, 'bob');
  const id = uniqueId('ch');
  const a = await joinedChannel(alice.client, id);
  const b = await joinedChannel(bob.client, id);
  await until(() => a.log.joined.length === 1, 3000, 'bob joined');
  return { alice, bob, id, a, b };
}

/** Resolves when `p` settles (either way), failing after `ms`: the call never hangs. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<PromiseSettledResult<unknown>> {
  const outcome = Promise.allSettled([p]).then(([o]) => o!);
  const timer = sleep(ms).then(() => 'hung' as const);
  const first = await Promise.race([outcome, timer]);
  if (first === 'hung') throw new Error(`the call did not settle within ${ms} ms`);
  return first;
}

describe('createChannel', () => {
  it('checks ids and refuses a second unreleased object for one id', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const id = uniqueId('ch');
    const channel = client.createChannel(id);
    expect(channel.channelId).toBe(id);
    expect(() => client.createChannel(id)).toThrow(RtmInvalidArgumentError);
    for (const bad of ['', 'null', 'x'.repeat(65), 'tab\t', 'ü']) expect(() => client.createChannel(bad)).toThrow(RtmInvalidArgumentError);
    await channel.release();
    const again = client.createChannel(id);
    await again.join();
    await again.release();
  });
});

describe('join and leave', () => {
  it('join resolves; others get MemberJoined / MemberLeft, the member itself does not; counts follow', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const id = uniqueId('ch');
    const a = await joinedChannel(alice.client, id);
    await until(() => a.log.counts.includes(1), 3000, 'MemberCountUpdated(1) right after the join');
    const b = await joinedChannel(bob.client, id);
    await until(() => a.log.joined.length === 1, 3000, 'MemberJoined at alice');
    expect(a.log.joined).toEqual([bob.uid]);
    await until(() => b.log.counts.includes(2) && a.log.counts.includes(2), 4000, 'counts of 2');
    const members = await a.channel.getMembers();
    expect(members.sort()).toEqual([alice.uid, bob.uid].sort());

    await b.channel.leave();
    await until(() => a.log.left.length === 1, 3000, 'MemberLeft at alice');
    expect(a.log.left).toEqual([bob.uid]);
    await until(() => a.log.counts.at(-1) === 1, 4000, 'count back to 1');
    await sleep(100);
    expect(b.log.joined).toEqual([]);
    expect(b.log.left).toEqual([]);
    expect(a.log.joined).toEqual([bob.uid]); // not its own join
  });

  it('ALREADY_JOINED (6): join; join — the second rejects, the first resolves; a join when joined rejects', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const channel = client.createChannel(uniqueId('ch'));
    const first = channel.join();
    const second = channel.join();
    const err = await rejectionOf(second);
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect(err.code).toBe(JoinChannelErrCode.ALREADY_JOINED);
    await expect(first).resolves.toBeUndefined();
    await expect(channel.join()).rejects.toMatchObject({ code: JoinChannelErrCode.ALREADY_JOINED, codeName: 'JOIN_CHANNEL_ERR_ALREADY_JOINED' });
  });

  it('EXCEED_LIMIT (5) at the 21st joined channel; after a leave, a join succeeds again', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const channels: RtmChannel[] = [];
    for (let i = 0; i < 20; i++) {
      const ch = client.createChannel(uniqueId(`c${i}`));
      await ch.join();
      channels.push(ch);
    }
    const extra = client.createChannel(uniqueId('c21'));
    const err = await rejectionOf(extra.join());
    expect(err).toBeInstanceOf(RtmLimitExceededError);
    expect(err.code).toBe(JoinChannelErrCode.EXCEED_LIMIT);
    expect(err.codeName).toBe('JOIN_CHANNEL_ERR_EXCEED_LIMIT');
    await channels[0]!.leave();
    await expect(extra.join()).resolves.toBeUndefined();
  });

  it('JOIN_SAME_CHANNEL_TOO_OFTEN (8): a third join of one channel within 5 s (default profile)', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const channel = client.createChannel(uniqueId('ch'));
    await channel.join();
    await channel.leave();
    await channel.join();
    await channel.leave();
    const err = await rejectionOf(channel.join());
    expect(err).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(err.code).toBe(JoinChannelErrCode.JOIN_SAME_CHANNEL_TOO_OFTEN);
  });

  it('TOO_OFTEN (7): the 51st join within 3 s (default profile)', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    // 26 channels, each joined at most twice (the same-channel limit), never more than 20 at once.
    const channels = Array.from({ length: 26 }, (_, i) => client.createChannel(uniqueId(`t${i}`)));
    const rounds = [channels.slice(0, 20), channels.slice(0, 20), channels.slice(20), channels.slice(20)];
    let joins = 0;
    let refused: RtmError | undefined;
    outer: for (const round of rounds) {
      for (const ch of round) {
        joins += 1;
        try {
          await ch.join();
        } catch (err) {
          refused = err as RtmError;
          break outer;
        }
      }
      for (const ch of round) await ch.leave();
    }
    expect(refused).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(refused!.code).toBe(JoinChannelErrCode.TOO_OFTEN);
    expect(joins).toBe(51);
  });

  it('NOT_IN_CHANNEL: leave (3) and getMembers (5) of a channel not joined', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const channel = client.createChannel(uniqueId('ch'));
    const leaveErr = await rejectionOf(channel.leave());
    expect(leaveErr).toBeInstanceOf(RtmInvalidStatusError);
    expect(leaveErr.code).toBe(LeaveChannelErrCode.NOT_IN_CHANNEL);
    const membersErr = await rejectionOf(channel.getMembers());
    expect(membersErr).toBeInstanceOf(RtmInvalidStatusError);
    expect(membersErr.code).toBe(GetMembersErrCode.NOT_IN_CHANNEL);
    await channel.join();
    await channel.leave();
    await expect(channel.leave()).rejects.toMatchObject({ code: LeaveChannelErrCode.NOT_IN_CHANNEL });
    await expect(channel.getMembers()).rejects.toMatchObject({ code: GetMembersErrCode.NOT_IN_CHANNEL });
  });

  it('USER_NOT_LOGGED_IN (102) before login, for every channel call', async () => {
    const emu = await startEmulator();
    const client = clientOf(emu);
    const channel = client.createChannel(uniqueId('ch'));
    for (const [p, codeName] of [
      [channel.join(), 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN'],
      [channel.leave(), 'LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN'],
      [channel.getMembers(), 'GET_MEMBERS_ERR_USER_NOT_LOGGED_IN'],
      [channel.sendMessage({ text: 'x' }), 'CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN'],
    ] as const) {
      const err = await rejectionOf(p);
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err.code).toBe(102);
      expect(err.codeName).toBe(codeName);
    }
  });

  it('getMembers TOO_OFTEN (4): the 6th call within 2 s (default profile)', async () => {
    const emu = await startEmulator();
    const { client, uid } = await loggedIn(emu);
    const { channel } = await joinedChannel(client, uniqueId('ch'));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => channel.getMembers()));
    for (const r of results.slice(0, 5)) expect(r).toEqual({ status: 'fulfilled', value: [uid] });
    expect(results[5]!.status).toBe('rejected');
    const err = (results[5] as PromiseRejectedResult).reason as RtmError;
    expect(err).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(err.code).toBe(GetMembersErrCode.TOO_OFTEN);
  });
});

describe('channel messages', () => {
  it('text and raw, with and without options, reach the other members only; props are filled', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const carol = await loggedIn(emu, 'carol');
    const id = uniqueId('ch');
    const a = await joinedChannel(alice.client, id);
    const b = await joinedChannel(bob.client, id);
    const c = await joinedChannel(carol.client, id);
    const before = Date.now();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await a.channel.sendMessage({ text: 'hello' });
    await a.channel.sendMessage({ rawMessage: bytes, description: 'blob' }, { enableOfflineMessaging: false });
    await a.channel.sendMessage({ text: 'x'.repeat(32 * 1024) }, {});
    await until(() => b.log.messages.length === 3 && c.log.messages.length === 3, 3000, 'messages at bob and carol');
    for (const log of [b.log, c.log]) {
      expect(log.messages.map((m) => m.memberId)).toEqual([alice.uid, alice.uid, alice.uid]);
      expect(log.messages[0]!.message).toEqual({ messageType: 'TEXT', text: 'hello' });
      expect(log.messages[1]!.message).toEqual({ messageType: 'RAW', rawMessage: bytes, description: 'blob' });
      expect(texts(log)[2]).toHaveLength(32 * 1024);
      const props = log.messages[0]!.props;
      expect(props.isOfflineMessage).toBe(false);
      expect(typeof props.messageId).toBe('bigint');
      expect(props.serverReceivedTs).toBeGreaterThanOrEqual(before - 1000);
      expect(props.serverReceivedTs).toBeLessThanOrEqual(Date.now() + 1000);
    }
    await sleep(100);
    expect(a.log.messages).toEqual([]); // the sender gets no copy
  });

  it('INVALID_MESSAGE (4) for a message over 32 KB; FAILURE (1) into a channel not joined', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const { channel } = await joinedChannel(client, uniqueId('ch'));
    const big = await rejectionOf(channel.sendMessage({ text: 'x'.repeat(32 * 1024 + 1) }));
    expect(big).toBeInstanceOf(RtmInvalidArgumentError);
    expect(big.code).toBe(ChannelMessageErrCode.INVALID_MESSAGE);
    const raw = await rejectionOf(channel.sendMessage({ rawMessage: new Uint8Array(32 * 1024), description: 'd' }));
    expect(raw.codeName).toBe('CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');

    const outside = client.createChannel(uniqueId('other'));
    const err = await rejectionOf(outside.sendMessage({ text: 'x' }));
    expect(err).toBeInstanceOf(RtmError);
    expect(err.code).toBe(ChannelMessageErrCode.FAILURE);
    expect(err.codeName).toBe('CHANNEL_MESSAGE_ERR_FAILURE');
    await channel.leave();
    await expect(channel.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageErrCode.FAILURE });
  });

  it('TOO_OFTEN (3): the 61st message within 1 s, peer and channel messages sharing one budget (default profile)', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const { channel } = await joinedChannel(alice.client, uniqueId('ch'));
    const peer = Array.from({ length: 30 }, () => alice.client.sendMessageToPeer({ text: 'p' }, bob.uid));
    const chan = Array.from({ length: 31 }, () => channel.sendMessage({ text: 'c' }));
    const results = await Promise.allSettled([...peer, ...chan]);
    expect(results.slice(0, 60).every((r) => r.status === 'fulfilled')).toBe(true);
    const last = (results[60] as PromiseRejectedResult).reason as RtmError;
    expect(last).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(last.code).toBe(ChannelMessageErrCode.TOO_OFTEN);
    expect(last.codeName).toBe('CHANNEL_MESSAGE_ERR_TOO_OFTEN');
  });
});

describe('three clients in two channels', () => {
  it('messages, joins, leaves and counts are seen by exactly the right clients', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const carol = await loggedIn(emu, 'carol');
    const one = uniqueId('one');
    const two = uniqueId('two');
    // alice in both; bob in one; carol in two
    const a1 = await joinedChannel(alice.client, one);
    const a2 = await joinedChannel(alice.client, two);
    const b1 = await joinedChannel(bob.client, one);
    const c2 = await joinedChannel(carol.client, two);
    await until(() => a1.log.joined.length === 1 && a2.log.joined.length === 1, 3000, 'joins seen by alice');
    expect(a1.log.joined).toEqual([bob.uid]);
    expect(a2.log.joined).toEqual([carol.uid]);

    await a1.channel.sendMessage({ text: 'to one' });
    await a2.channel.sendMessage({ text: 'to two' });
    await b1.channel.sendMessage({ text: 'bob in one' });
    await c2.channel.sendMessage({ text: 'carol in two' });
    await until(() => b1.log.messages.length === 1 && c2.log.messages.length === 1, 3000, 'messages');
    await until(() => a1.log.messages.length === 1 && a2.log.messages.length === 1, 3000, 'messages at alice');
    expect(texts(b1.log)).toEqual(['to one']);
    expect(texts(c2.log)).toEqual(['to two']);
    expect(texts(a1.log)).toEqual(['bob in one']);
    expect(texts(a2.log)).toEqual(['carol in two']);
    expect(a1.log.messages[0]!.memberId).toBe(bob.uid);
    expect(a2.log.messages[0]!.memberId).toBe(carol.uid);

    expect((await a1.channel.getMembers()).sort()).toEqual([alice.uid, bob.uid].sort());
    expect((await a2.channel.getMembers()).sort()).toEqual([alice.uid, carol.uid].sort());
    const nobody = uniqueId('nobody');
    await expect(bob.client.getChannelMemberCount([one, two, nobody])).resolves.toEqual({ [one]: 2, [two]: 2, [nobody]: 0 });

    await until(() => a1.log.counts.at(-1) === 2 && a2.log.counts.at(-1) === 2, 4000, 'counts at alice');
    await until(() => b1.log.counts.at(-1) === 2 && c2.log.counts.at(-1) === 2, 4000, 'counts at bob and carol');

    await b1.channel.leave();
    await until(() => a1.log.left.length === 1, 3000, 'bob left one');
    expect(a1.log.left).toEqual([bob.uid]);
    await until(() => a1.log.counts.at(-1) === 1, 4000, 'count of one back to 1');
    await sleep(200);
    expect(a2.log.left).toEqual([]);
    expect(c2.log.left).toEqual([]);
    expect(c2.log.joined).toEqual([]); // alice was there first
    expect(b1.log.joined).toEqual([]);
    expect(b1.log.left).toEqual([]);
  });

  it('getChannelMemberCount: 0 for an unknown channel; works without joining', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const outsider = await loggedIn(emu, 'out');
    const id = uniqueId('ch');
    await joinedChannel(alice.client, id);
    const unknown = uniqueId('nobody');
    await expect(outsider.client.getChannelMemberCount([id, unknown])).resolves.toEqual({ [id]: 1, [unknown]: 0 });
  });
});

describe('removal', () => {
  it('a user removed by a remote login leaves its channels; the others see MemberLeft', async () => {
    const emu = await startEmulator();
    const { alice, bob, a, b } = await aliceAndBobInChannel(emu);
    const pending = settlesWithin(b.channel.getMembers(), 5000); // answered or cut off, never hangs
    const again = clientOf(emu);
    await again.login({ uid: bob.uid });
    await until(() => bob.client.connectionState === ConnectionState.ABORTED, 3000, 'bob ABORTED');
    await until(() => a.log.left.includes(bob.uid), 3000, 'MemberLeft(bob) at alice');
    expect((await a.channel.getMembers()).sort()).toEqual([alice.uid]);
    await pending;
    // the removed client's channel is not joined any more: its calls fail
    await expect(b.channel.sendMessage({ text: 'x' })).rejects.toBeInstanceOf(RtmError);
  });

  it('a user kicked by the service leaves its channels; the others see MemberLeft', async () => {
    const emu = await startEmulator();
    const { alice, bob, id, a } = await aliceAndBobInChannel(emu);
    expect(emu.kick(bob.uid)).toBe(true);
    await until(() => a.log.left.includes(bob.uid), 3000, 'MemberLeft(bob) at alice');
    await expect(alice.client.getChannelMemberCount([id])).resolves.toEqual({ [id]: 1 });
  });

  it('a user who logs out leaves its channels; the others see MemberLeft; it can join again after login', async () => {
    const emu = await startEmulator();
    const { bob, a, b } = await aliceAndBobInChannel(emu);
    await bob.client.logout();
    await until(() => a.log.left.includes(bob.uid), 3000, 'MemberLeft(bob) at alice');
    await bob.client.login({ uid: bob.uid });
    await expect(b.channel.getMembers()).rejects.toMatchObject({ code: GetMembersErrCode.NOT_IN_CHANNEL });
    await b.channel.join();
    await until(() => a.log.joined.filter((u) => u === bob.uid).length === 2, 3000, 'bob joined again');
  });
});

describe('concurrent calls and cut-offs', () => {
  it('concurrent join / getMembers / leave settle the right promises', async () => {
    const emu = await startEmulator();
    const { client, uid } = await loggedIn(emu);
    const channel = client.createChannel(uniqueId('ch'));
    const [j1, j2] = await Promise.allSettled([channel.join(), channel.join()]);
    expect(j1.status).toBe('fulfilled');
    expect((j2 as PromiseRejectedResult).reason).toMatchObject({ code: JoinChannelErrCode.ALREADY_JOINED });
    const lists = await Promise.all([channel.getMembers(), channel.getMembers(), channel.getMembers()]);
    expect(lists).toEqual([[uid], [uid], [uid]]);
    const [l1, l2] = await Promise.allSettled([channel.leave(), channel.leave()]);
    expect(l1.status).toBe('fulfilled');
    expect((l2 as PromiseRejectedResult).reason).toMatchObject({ code: LeaveChannelErrCode.NOT_IN_CHANNEL });
  });

  it('a join / leave / getMembers / send in flight when the channel is released rejects with RtmReleasedError', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const { channel } = await joinedChannel(client, uniqueId('ch'));
    const calls = Promise.allSettled([channel.getMembers(), channel.sendMessage({ text: 'x' }), channel.leave()]);
    await channel.release();
    for (const o of await calls) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RtmReleasedError);
    }
    await expect(channel.join()).rejects.toBeInstanceOf(RtmReleasedError);
    await channel.release(); // idempotent
    const fresh = client.createChannel(channel.channelId);
    const pendingJoin = rejectionOf(fresh.join());
    await client.release();
    expect(await pendingJoin).toBeInstanceOf(RtmReleasedError);
    await expect(fresh.getMembers()).rejects.toBeInstanceOf(RtmReleasedError);
    expect(() => client.createChannel(uniqueId('x'))).toThrow(RtmReleasedError);
  });

  it('releasing a joined channel leaves it: the others see MemberLeft', async () => {
    const emu = await startEmulator();
    const { bob, a, b } = await aliceAndBobInChannel(emu);
    await b.channel.release();
    await until(() => a.log.left.includes(bob.uid), 3000, 'MemberLeft(bob)');
  });

  it('calls in flight at logout or leave settle (answered or cut off), never hang', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const { channel } = await joinedChannel(client, uniqueId('ch'));
    const beforeLeave = [channel.getMembers(), channel.sendMessage({ text: 'x' })];
    const leave = channel.leave();
    const left = await Promise.all([...beforeLeave, leave].map((p) => settlesWithin(p, 2000)));
    expect(left[2]!.status).toBe('fulfilled');

    await channel.join();
    const beforeLogout = [channel.getMembers(), channel.sendMessage({ text: 'y' }), channel.leave()];
    const other = client.createChannel(uniqueId('ch2'));
    const joining = other.join();
    const logout = client.logout();
    const outcomes = await Promise.all([...beforeLogout, joining, logout].map((p) => settlesWithin(p, 2000)));
    expect(outcomes.at(-1)!.status).toBe('fulfilled');
  });

  it('no native object is left once channels and clients are released, joined or not', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const id = uniqueId('ch');
    const a = await joinedChannel(alice.client, id);
    await joinedChannel(bob.client, id); // released with its client
    bob.client.createChannel(uniqueId('idle')); // never joined
    await a.channel.sendMessage({ text: 'x' });
    await a.channel.release();
    await alice.client.setChannelAttributes(id, { k: 'v' }, { enableNotificationToChannelMembers: true });
    await alice.client.getChannelAttributes(id);
    await cleanup();
    expect(Emulator.liveObjectCount()).toBe(0);
  });

  it('the events of a released channel stop; the client keeps working', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const id = uniqueId('ch');
    const a = await joinedChannel(alice.client, id);
    const aLog = recordChannel(a.channel);
    await a.channel.release();
    const b = await joinedChannel(bob.client, id);
    await b.channel.sendMessage({ text: 'nobody hears' });
    await sleep(200);
    expect(aLog.joined).toEqual([]);
    expect(aLog.messages).toEqual([]);
    await expect(alice.client.getChannelMemberCount([id])).resolves.toEqual({ [id]: 1 });
  });
});
