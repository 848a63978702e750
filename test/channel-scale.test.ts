// Channels at scale on in-process emulators with the rate limits off: one channel of 600 members
// (member events stop above 512, getMembers returns 512, counts keep coming) and a burst of
// 5 000 channel messages that reaches every other member once, in order. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import type { RtmChannel, RtmClient } from '../lib/index';
import { joinedChannel, recordChannel, texts, type ChannelLog } from './helpers/channels';
import { cleanup, clientOf, sleep, startEmulator, uniqueId, until } from './helpers/emu';

afterEach(cleanup);

/** Logs in `n` clients of `emu`, `batch` at a time. */
async function manyLoggedIn(emu: Awaited<ReturnType<typeof startEmulator>>, n: number, batch = 50): Promise<{ client: RtmClient; uid: string }[]> {
  const out: { client: RtmClient; uid: string }[] = [];
  for (let i = 0; i < n; i += batch) {
    const group = Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({ client: clientOf(emu), uid: uniqueId(`m${i + j}`) }));
    await Promise.all(group.map((m) => m.client.login({ uid: m.uid })));
    out.push(...group);
  }
  return out;
}

describe('one channel with 600 members', () => {
  it('member events stop above 512, getMembers returns 512, counts keep coming', { timeout: 180_000 }, async () => {
    // Rate limits off; count updates every 200 ms up to 512 members, every 500 ms above (1 s / 3 s by default).
    const emu = await startEmulator({ profile: 'unlimited', memberCountIntervalMs: 200, memberCountLargeIntervalMs: 500 });
    const members = await manyLoggedIn(emu, 600);
    const id = uniqueId('big');
    const channels: RtmChannel[] = [];
    const logs: ChannelLog[] = [];
    // One at a time, so that "the k-th member" is well defined.
    for (const m of members) {
      const { channel, log } = await joinedChannel(m.client, id);
      channels.push(channel);
      logs.push(log);
    }
    const watcher = logs[0]!;
    const uids = members.map((m) => m.uid);

    // MemberJoined reached the first member for members 2…512 (the channel had at most 512), not after.
    await until(() => watcher.joined.length >= 511, 10_000, 'MemberJoined for the first 512 members');
    await sleep(500);
    expect(watcher.joined).toEqual(uids.slice(1, 512));
    // A member who joined at 512 saw none of the later joins either.
    expect(logs[511]!.joined).toEqual([]);

    // getMembers: 512 distinct members of the channel.
    const list = await channels[599]!.getMembers();
    expect(list).toHaveLength(512);
    expect(new Set(list).size).toBe(512);
    const all = new Set(uids);
    expect(list.every((u) => all.has(u))).toBe(true);

    // Counts keep coming above 512 (at most once every 3 s there).
    await expect(members[0]!.client.getChannelMemberCount([id])).resolves.toEqual({ [id]: 600 });
    await until(() => watcher.counts.at(-1) === 600, 10_000, 'MemberCountUpdated(600) at the first member');
    await until(() => logs[599]!.counts.at(-1) === 600, 10_000, 'MemberCountUpdated(600) at the last member');

    // Leaves above 512 send no MemberLeft; the count follows.
    for (const ch of channels.slice(550)) await ch.leave();
    await until(() => watcher.counts.at(-1) === 550, 10_000, 'MemberCountUpdated(550)');
    expect(watcher.left).toEqual([]);
    await expect(members[1]!.client.getChannelMemberCount([id])).resolves.toEqual({ [id]: 550 });
  });
});

describe('a burst of channel messages', () => {
  it('5 000 messages reach every other member once, in order; the sender gets none', { timeout: 120_000 }, async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const [sender, ...receivers] = await manyLoggedIn(emu, 3);
    const id = uniqueId('burst');
    const s = await joinedChannel(sender!.client, id);
    const got = await Promise.all(receivers.map((r) => joinedChannel(r.client, id)));
    const expected = Array.from({ length: 5000 }, (_, i) => `m${i}`);
    const sends = expected.map((text) => s.channel.sendMessage({ text }));
    await Promise.all(sends);
    await until(() => got.every((g) => g.log.messages.length >= 5000), 60_000, '5 000 messages at each receiver');
    await sleep(200);
    for (const g of got) {
      expect(g.log.messages).toHaveLength(5000);
      expect(texts(g.log)).toEqual(expected);
      expect(g.log.messages.every((m) => m.memberId === sender!.uid)).toBe(true);
    }
    expect(s.log.messages).toEqual([]);
    // one more listener attached late sees only what comes after
    const late = recordChannel(got[0]!.channel);
    await s.channel.sendMessage({ text: 'after' });
    await until(() => late.messages.length === 1, 3000, 'the message after the burst');
  });
});
