// User attributes through the public API on in-process emulators: the four writers, both
// readers for oneself and another online user, USER_NOT_FOUND, the size and key limits, clearing
// at logout and the per-operation rate limits. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import {
  AttributeOperationErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmLimitExceededError,
} from '../lib/index';
import { cleanup, clientOf, loggedIn, rejectionOf, startEmulator, uniqueId } from './helpers/emu';

afterEach(cleanup);

describe('writers and readers', () => {
  it('set, addOrUpdate, delete by keys and clear; get all and by keys, for oneself and another online user', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const other = await loggedIn(emu, 'other');

    await me.client.setLocalUserAttributes({ color: 'blue', size: 'XL', note: 'ünïcödé 😀 漢字' });
    const all = { color: 'blue', size: 'XL', note: 'ünïcödé 😀 漢字' };
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual(all);
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual(all);

    // set replaces everything
    await me.client.setLocalUserAttributes({ color: 'red' });
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual({ color: 'red' });

    // addOrUpdate adds new keys and updates existing ones
    await me.client.addOrUpdateLocalUserAttributes({ color: 'green', shape: 'round', '!#$%&()*+,-./:;<=>?@[]^_`{|}~': 'symbols' });
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({
      color: 'green',
      shape: 'round',
      '!#$%&()*+,-./:;<=>?@[]^_`{|}~': 'symbols',
    });

    // by keys: only the keys asked for that exist
    await expect(other.client.getUserAttributesByKeys(me.uid, ['shape', 'missing'])).resolves.toEqual({ shape: 'round' });
    await expect(me.client.getUserAttributesByKeys(me.uid, ['color'])).resolves.toEqual({ color: 'green' });

    await me.client.deleteLocalUserAttributesByKeys(['color', 'not-there']);
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual({
      shape: 'round',
      '!#$%&()*+,-./:;<=>?@[]^_`{|}~': 'symbols',
    });

    await me.client.clearLocalUserAttributes();
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual({});
    await expect(me.client.getUserAttributesByKeys(me.uid, ['shape'])).resolves.toEqual({});
  });

  it('USER_NOT_FOUND (6) for a user who is offline or never logged in', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const gone = await loggedIn(emu, 'gone');
    await gone.client.setLocalUserAttributes({ k: 'v' });
    await gone.client.logout();
    for (const uid of [gone.uid, uniqueId('never')]) {
      for (const call of [me.client.getUserAttributes(uid), me.client.getUserAttributesByKeys(uid, ['k'])]) {
        const err = await rejectionOf(call);
        expect(err).toBeInstanceOf(RtmError);
        expect(err).toMatchObject({ code: AttributeOperationErrCode.USER_NOT_FOUND, codeName: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND' });
      }
    }
  });

  it('attributes are cleared at logout', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const other = await loggedIn(emu, 'other');
    await me.client.setLocalUserAttributes({ a: '1', b: '2' });
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual({ a: '1', b: '2' });
    await me.client.logout();
    await me.client.login({ uid: me.uid });
    await expect(other.client.getUserAttributes(me.uid)).resolves.toEqual({});
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({});
  });

  it('every call needs a login (USER_NOT_LOGGED_IN)', async () => {
    const emu = await startEmulator();
    const idle = clientOf(emu);
    const calls = [
      idle.setLocalUserAttributes({ k: 'v' }),
      idle.addOrUpdateLocalUserAttributes({ k: 'v' }),
      idle.deleteLocalUserAttributesByKeys(['k']),
      idle.clearLocalUserAttributes(),
      idle.getUserAttributes('someone'),
      idle.getUserAttributesByKeys('someone', ['k']),
    ];
    for (const call of calls) {
      const err = await rejectionOf(call);
      expect(err).toBeInstanceOf(RtmInvalidStatusError);
      expect(err).toMatchObject({ code: 102, codeName: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN' });
    }
  });
});

describe('limits', () => {
  it('SIZE_OVERFLOW (4): a value over 8 KB, more than 32 attributes (per call and in all), more than 16 KB in all', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const me = await loggedIn(emu, 'me');
    const overflow = async (p: Promise<unknown>) => {
      const err = await rejectionOf(p);
      expect(err).toBeInstanceOf(RtmLimitExceededError);
      expect(err).toMatchObject({ code: AttributeOperationErrCode.SIZE_OVERFLOW, codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' });
    };
    const n = (count: number, prefix = 'k') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v']));

    // exactly at the limits: accepted
    await me.client.setLocalUserAttributes({ big: 'x'.repeat(8192) });
    await me.client.setLocalUserAttributes(n(32));
    // beyond, in one call (caught before the native call, with the SDK's code)
    await overflow(me.client.setLocalUserAttributes({ big: 'x'.repeat(8193) }));
    await overflow(me.client.addOrUpdateLocalUserAttributes({ big: '€'.repeat(2731) })); // 8 193 bytes
    await overflow(me.client.setLocalUserAttributes(n(33)));
    // beyond, in all (the service's check)
    await overflow(me.client.addOrUpdateLocalUserAttributes({ extra: 'v' })); // 33 stored
    await me.client.setLocalUserAttributes({ a: 'x'.repeat(6000), b: 'x'.repeat(6000) });
    await overflow(me.client.addOrUpdateLocalUserAttributes({ c: 'x'.repeat(6000) })); // 18 000 bytes of values
    await overflow(me.client.setLocalUserAttributes({ a: 'x'.repeat(6000), b: 'x'.repeat(6000), c: 'x'.repeat(6000) }));
    // the refused writes changed nothing
    await expect(me.client.getUserAttributesByKeys(me.uid, ['a', 'c'])).resolves.toEqual({ a: 'x'.repeat(6000) });
  });

  it('INVALID_ARGUMENT (3): bad keys and empty values, before any native call', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const me = await loggedIn(emu, 'me');
    const bad: Promise<unknown>[] = [
      me.client.setLocalUserAttributes({ '': 'v' }),
      me.client.setLocalUserAttributes({ ['k'.repeat(33)]: 'v' }),
      me.client.addOrUpdateLocalUserAttributes({ 'ключ': 'v' }),
      me.client.addOrUpdateLocalUserAttributes({ 'tab\t': 'v' }),
      me.client.setLocalUserAttributes({ k: '' }),
      me.client.deleteLocalUserAttributesByKeys(['ok', '']),
      me.client.getUserAttributesByKeys(me.uid, ['k'.repeat(33)]),
      me.client.getUserAttributes('null'),
    ];
    for (const p of bad) {
      const err = await rejectionOf(p);
      expect(err).toBeInstanceOf(RtmInvalidArgumentError);
      expect(err).toMatchObject({ code: AttributeOperationErrCode.INVALID_ARGUMENT, codeName: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT' });
    }
    await expect(me.client.setLocalUserAttributes({ ['k'.repeat(32)]: 'v' })).resolves.toBeUndefined();
    // A space is accepted, as by the real SDK (rtm-abi.md §8.2).
    await expect(me.client.setLocalUserAttributes({ 'with space': 'v' })).resolves.toBeUndefined();
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ 'with space': 'v' });
    await expect(me.client.setLocalUserAttributes({ k: 1 } as never)).rejects.toBeInstanceOf(TypeError);
    await expect(me.client.deleteLocalUserAttributesByKeys('k' as never)).rejects.toBeInstanceOf(TypeError);
  });

  it('TOO_OFTEN (5): writes share one budget (10 / 5 s in the default profile), reads another (40 / 5 s)', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const writes = await Promise.allSettled([
      me.client.setLocalUserAttributes({ a: '1' }),
      me.client.addOrUpdateLocalUserAttributes({ b: '2' }),
      me.client.deleteLocalUserAttributesByKeys(['b']),
      me.client.clearLocalUserAttributes(),
      ...Array.from({ length: 8 }, (_, i) => me.client.addOrUpdateLocalUserAttributes({ [`k${i}`]: 'v' })),
    ]);
    const refusedWrites = writes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(writes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect(refusedWrites).toHaveLength(2);
    for (const o of refusedWrites) {
      expect(o.reason).toBeInstanceOf(RtmInvokeTooOftenError);
      expect(o.reason).toMatchObject({ code: AttributeOperationErrCode.TOO_OFTEN, codeName: 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN' });
    }

    // Reads have their own budget: still available after the writes ran out.
    const reads = await Promise.allSettled([
      ...Array.from({ length: 21 }, () => me.client.getUserAttributes(me.uid)),
      ...Array.from({ length: 21 }, () => me.client.getUserAttributesByKeys(me.uid, ['a'])),
    ]);
    const refusedReads = reads.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(reads.filter((o) => o.status === 'fulfilled')).toHaveLength(40);
    expect(refusedReads).toHaveLength(2);
    for (const o of refusedReads) expect(o.reason).toBeInstanceOf(RtmInvokeTooOftenError);

    // Budgets are per client.
    const other = await loggedIn(emu, 'other');
    await expect(other.client.setLocalUserAttributes({ x: 'y' })).resolves.toBeUndefined();
  });
});
