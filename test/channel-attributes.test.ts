// Channel attributes and member counts through the public API on in-process emulators: the four
// writers and two readers from inside and outside the channel, lastUpdateUserId / lastUpdateTs,
// AttributesUpdated with enableNotificationToChannelMembers, the limits and rate limits, and
// getChannelMemberCount's limits. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import {
  AttributeOperationErrCode,
  GetChannelMemberCountErrCode,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
  type ChannelAttributes,
} from '../lib/index';
import { joinedChannel } from './helpers/channels';
import { cleanup, clientOf, loggedIn, rejectionOf, sleep, startEmulator, uniqueId, until } from './helpers/emu';

afterEach(cleanup);

/** The values of a ChannelAttributes record. */
function values(attrs: ChannelAttributes): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).map(([k, a]) => [k, a.value]));
}

describe('writers and readers', () => {
  it('set, addOrUpdate, delete by keys and clear; get all and by keys, from inside and outside the channel', async () => {
    const emu = await startEmulator();
    const member = await loggedIn(emu, 'member');
    const outsider = await loggedIn(emu, 'outsider');
    const id = uniqueId('ch');
    await joinedChannel(member.client, id);

    await outsider.client.setChannelAttributes(id, { color: 'blue', size: 'XL', note: 'ünïcödé 😀' });
    await expect(member.client.getChannelAttributes(id).then(values)).resolves.toEqual({ color: 'blue', size: 'XL', note: 'ünïcödé 😀' });
    await member.client.setChannelAttributes(id, { color: 'red' }); // set replaces everything
    await expect(outsider.client.getChannelAttributes(id).then(values)).resolves.toEqual({ color: 'red' });
    await member.client.addOrUpdateChannelAttributes(id, { color: 'green', shape: 'round' });
    await expect(outsider.client.getChannelAttributes(id).then(values)).resolves.toEqual({ color: 'green', shape: 'round' });
    await expect(outsider.client.getChannelAttributesByKeys(id, ['shape', 'missing']).then(values)).resolves.toEqual({ shape: 'round' });
    await outsider.client.deleteChannelAttributesByKeys(id, ['color', 'not-there']);
    await expect(member.client.getChannelAttributes(id).then(values)).resolves.toEqual({ shape: 'round' });
    await member.client.clearChannelAttributes(id);
    await expect(outsider.client.getChannelAttributes(id)).resolves.toEqual({});
    // a channel nobody is in
    const empty = uniqueId('empty');
    await outsider.client.setChannelAttributes(empty, { k: 'v' });
    await expect(outsider.client.getChannelAttributesByKeys(empty, ['k']).then(values)).resolves.toEqual({ k: 'v' });
  });

  it('every attribute carries lastUpdateUserId and lastUpdateTs of its last writer', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const id = uniqueId('ch');
    const t0 = Date.now();
    await alice.client.setChannelAttributes(id, { a: '1', b: '2' });
    await sleep(20);
    const t1 = Date.now();
    await bob.client.addOrUpdateChannelAttributes(id, { b: '3' });
    const attrs = await alice.client.getChannelAttributes(id);
    expect(attrs.a).toEqual({ value: '1', lastUpdateUserId: alice.uid, lastUpdateTs: expect.any(Number) });
    expect(attrs.b).toEqual({ value: '3', lastUpdateUserId: bob.uid, lastUpdateTs: expect.any(Number) });
    expect(attrs.a!.lastUpdateTs).toBeGreaterThanOrEqual(t0 - 1000);
    expect(attrs.a!.lastUpdateTs).toBeLessThanOrEqual(t1 + 1000);
    expect(attrs.b!.lastUpdateTs).toBeGreaterThanOrEqual(attrs.a!.lastUpdateTs);
    expect(attrs.b!.lastUpdateTs).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe('AttributesUpdated', () => {
  it('with enableNotificationToChannelMembers every member gets the full set; without it nobody does', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const carol = await loggedIn(emu, 'carol');
    const writer = await loggedIn(emu, 'writer');
    const one = uniqueId('one');
    const two = uniqueId('two');
    const a = await joinedChannel(alice.client, one);
    const b = await joinedChannel(bob.client, one);
    const c = await joinedChannel(carol.client, two); // another channel: gets nothing

    await writer.client.setChannelAttributes(one, { k1: 'v1' }); // no notification
    await writer.client.addOrUpdateChannelAttributes(one, { k2: 'v2' }, { enableNotificationToChannelMembers: true });
    await until(() => a.log.attributes.length === 1 && b.log.attributes.length === 1, 3000, 'AttributesUpdated');
    for (const log of [a.log, b.log]) {
      expect(values(log.attributes[0]!)).toEqual({ k1: 'v1', k2: 'v2' }); // the full set
      expect(log.attributes[0]!.k2!.lastUpdateUserId).toBe(writer.uid);
    }

    // a member writing from inside: every member gets it, the writer too
    await alice.client.deleteChannelAttributesByKeys(one, ['k1'], { enableNotificationToChannelMembers: true });
    await until(() => a.log.attributes.length === 2 && b.log.attributes.length === 2, 3000, 'AttributesUpdated after delete');
    expect(values(a.log.attributes[1]!)).toEqual({ k2: 'v2' });
    expect(values(b.log.attributes[1]!)).toEqual({ k2: 'v2' });

    await writer.client.clearChannelAttributes(one, { enableNotificationToChannelMembers: true });
    await until(() => b.log.attributes.length === 3, 3000, 'AttributesUpdated after clear');
    expect(b.log.attributes[2]).toEqual({});

    await writer.client.setChannelAttributes(one, { quiet: 'yes' }, { enableNotificationToChannelMembers: false });
    await sleep(200);
    expect(b.log.attributes).toHaveLength(3);
    expect(c.log.attributes).toEqual([]);
  });
});

describe('limits', () => {
  it('key, value and count limits are checked before the call (INVALID_ARGUMENT 3, SIZE_OVERFLOW 4)', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const id = uniqueId('ch');
    const cases: [Promise<unknown>, unknown, number][] = [
      [client.setChannelAttributes(id, { ['k'.repeat(33)]: 'v' }), RtmInvalidArgumentError, AttributeOperationErrCode.INVALID_ARGUMENT],
      [client.setChannelAttributes(id, { 'a\tb': 'v' }), RtmInvalidArgumentError, AttributeOperationErrCode.INVALID_ARGUMENT],
      [client.setChannelAttributes(id, { k: '' }), RtmInvalidArgumentError, AttributeOperationErrCode.INVALID_ARGUMENT],
      [client.addOrUpdateChannelAttributes(id, { k: 'v'.repeat(8193) }), RtmLimitExceededError, AttributeOperationErrCode.SIZE_OVERFLOW],
      [
        client.setChannelAttributes(id, Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))),
        RtmLimitExceededError,
        AttributeOperationErrCode.SIZE_OVERFLOW,
      ],
      [client.getChannelAttributes('null'), RtmInvalidArgumentError, AttributeOperationErrCode.INVALID_ARGUMENT],
      [client.deleteChannelAttributesByKeys(id, ['']), RtmInvalidArgumentError, AttributeOperationErrCode.INVALID_ARGUMENT],
    ];
    for (const [p, cls, code] of cases) {
      const err = await rejectionOf(p);
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
    }
    // exactly at the limits
    await client.setChannelAttributes(id, { ['k'.repeat(32)]: 'v'.repeat(8192) });
    // a space in a key is accepted, as by the real SDK (rtm-abi.md §8.2)
    await client.setChannelAttributes(id, { 'a b': 'v' });
    await expect(client.getChannelAttributesByKeys(id, ['a b'])).resolves.toMatchObject({ 'a b': { value: 'v' } });
  });

  it('more than 32 KB or 32 keys in a channel: SIZE_OVERFLOW (4), nothing changes', async () => {
    const emu = await startEmulator({ rateLimits: false });
    const { client } = await loggedIn(emu);
    const id = uniqueId('ch');
    const big = 'v'.repeat(8000);
    // 5 × 8 000 bytes in one call
    const err = await rejectionOf(client.setChannelAttributes(id, { a: big, b: big, c: big, d: big, e: big }));
    expect(err).toBeInstanceOf(RtmLimitExceededError);
    expect(err.code).toBe(AttributeOperationErrCode.SIZE_OVERFLOW);
    // within one call, over the channel's total after it
    await client.setChannelAttributes(id, { a: big, b: big, c: big });
    const total = await rejectionOf(client.addOrUpdateChannelAttributes(id, { d: big, e: big }));
    expect(total.code).toBe(AttributeOperationErrCode.SIZE_OVERFLOW);
    await expect(client.getChannelAttributes(id).then((a) => Object.keys(a).sort())).resolves.toEqual(['a', 'b', 'c']);
    // 32 keys in all, then one more
    await client.setChannelAttributes(id, Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 'v'])));
    const count = await rejectionOf(client.addOrUpdateChannelAttributes(id, { extra: 'v' }));
    expect(count.code).toBe(AttributeOperationErrCode.SIZE_OVERFLOW);
    await expect(client.getChannelAttributes(id).then((a) => Object.keys(a).length)).resolves.toBe(32);
  });

  it('rate limits (default profile): the 11th write and the 11th read within 5 s are TOO_OFTEN (5)', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const id = uniqueId('ch');
    const writes = await Promise.allSettled(Array.from({ length: 11 }, (_, i) => client.addOrUpdateChannelAttributes(id, { [`k${i}`]: 'v' })));
    expect(writes.slice(0, 10).every((r) => r.status === 'fulfilled')).toBe(true);
    const w = (writes[10] as PromiseRejectedResult).reason;
    expect(w).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(w).toMatchObject({ code: AttributeOperationErrCode.TOO_OFTEN, operation: 'addOrUpdateChannelAttributes' });
    const reads = await Promise.allSettled(Array.from({ length: 11 }, () => client.getChannelAttributes(id)));
    expect(reads.slice(0, 10).every((r) => r.status === 'fulfilled')).toBe(true);
    expect((reads[10] as PromiseRejectedResult).reason).toMatchObject({ code: AttributeOperationErrCode.TOO_OFTEN });
  });

  it('USER_NOT_LOGGED_IN (102) before login', async () => {
    const emu = await startEmulator();
    const client = clientOf(emu);
    const id = uniqueId('ch');
    for (const p of [
      client.setChannelAttributes(id, { k: 'v' }),
      client.getChannelAttributes(id),
      client.clearChannelAttributes(id),
    ]) {
      const err = await rejectionOf(p);
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err.codeName).toBe('ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN');
    }
    await expect(client.getChannelMemberCount([id])).rejects.toMatchObject({ code: 102, codeName: 'GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN' });
  });
});

describe('getChannelMemberCount', () => {
  it('EXCEED_LIMIT (5) beyond 32 ids; 32 work, unknown channels count 0; TOO_OFTEN (3) within 1 s', async () => {
    const emu = await startEmulator();
    const { client } = await loggedIn(emu);
    const ids = Array.from({ length: 33 }, (_, i) => uniqueId(`c${i}`));
    const err = await rejectionOf(client.getChannelMemberCount(ids));
    expect(err).toBeInstanceOf(RtmLimitExceededError);
    expect(err.code).toBe(GetChannelMemberCountErrCode.EXCEED_LIMIT);
    expect(err.codeName).toBe('GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT');
    await joinedChannel(client, ids[0]!);
    const counts = await client.getChannelMemberCount(ids.slice(0, 32));
    expect(Object.keys(counts).sort()).toEqual(ids.slice(0, 32).sort());
    expect(counts[ids[0]!]).toBe(1);
    expect(ids.slice(1, 32).every((id) => counts[id] === 0)).toBe(true);
    const often = await rejectionOf(client.getChannelMemberCount([ids[0]!]));
    expect(often).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(often.code).toBe(GetChannelMemberCountErrCode.TOO_OFTEN);
  });
});
