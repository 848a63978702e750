// Hostile arguments through the public API on a real emulator client (issue 10, point 5):
// - arrays with holes are refused in TypeScript (TypeError, as an item of a wrong type), never
//   handed to the addon (which would answer with a generic ERR_RTM_NATIVE);
// - an array's length is checked against the call's count limit before any item is read, so a
//   sparse array or a Proxy claiming 1e8 items costs nothing;
// - attribute maps (and options, parameters) must be plain objects (or, for attribute maps, a
//   Map): a Set, Date, boxed String, array or class instance is a TypeError, not "no attributes";
// - every argument property (message fields, option flags, map values, array items, `length`)
//   is read exactly once into a plain copy, and only the copy is checked and sent: a getter that
//   changes its answer between reads cannot pass the check with one value and send another.
// A spy on the addon's methods proves that a refused call never reaches native code, and the
// emulator's state proves that it changed nothing. Needs the addon.
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PeerSubscriptionOption,
  RtmError,
  RtmInvalidArgumentError,
  RtmLimitExceededError,
  type RtmChannel,
  type RtmClient,
} from '../lib/index';
import { MAX_ARRAY_ITEMS } from '../lib/validate';
import { cleanup, clientOf, loggedIn, recordMessages, startEmulator, uniqueId, until } from './helpers/emu';
import { spyOnNative, type NativeSpy } from './helpers/native-spy';
import type { Emulator } from '../lib/emulator';

const CLIENT_METHODS = [
  'login',
  'setParameters',
  'sendMessageToPeer',
  'queryPeersOnlineStatus',
  'subscribePeersOnlineStatus',
  'unsubscribePeersOnlineStatus',
  'setLocalUserAttributes',
  'addOrUpdateLocalUserAttributes',
  'deleteLocalUserAttributesByKeys',
  'getUserAttributesByKeys',
  'setChannelAttributes',
  'addOrUpdateChannelAttributes',
  'deleteChannelAttributesByKeys',
  'getChannelAttributesByKeys',
  'getChannelMemberCount',
] as const;

// (The addon does not export its channel class: channel sends are not spied on.)
let spy: NativeSpy;
let emu: Emulator;
let me: { client: RtmClient; uid: string };
let peer: { client: RtmClient; uid: string };
let room: string;
let myChannel: RtmChannel;
let peerChannel: RtmChannel;

beforeAll(async () => {
  spy = spyOnNative(CLIENT_METHODS);
  emu = await startEmulator({ profile: 'unlimited' });
  me = await loggedIn(emu, 'me');
  peer = await loggedIn(emu, 'peer');
  room = uniqueId('room');
  myChannel = me.client.createChannel(room);
  peerChannel = peer.client.createChannel(room);
  await myChannel.join();
  await peerChannel.join();
});

afterAll(async () => {
  spy.restore();
  await cleanup();
});

/** What `p` rejected with; fails when it resolves. */
async function refusal(p: Promise<unknown>): Promise<Error & { code?: number; codeName?: string }> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${inspect(v)}`);
    },
    (e: unknown) => e as Error,
  );
}

/**
 * Runs `call`, expects a rejection of class `cls` (an RtmError, never the addon's generic
 * ERR_RTM_NATIVE, or a TypeError) with `fields`, and no native call.
 */
async function expectRefused(
  call: () => Promise<unknown>,
  cls: new (...a: never[]) => Error,
  fields?: Record<string, unknown>,
): Promise<Error & { codeName?: string }> {
  const before = spy.calls.length;
  const err = await refusal(call());
  expect(err).toBeInstanceOf(cls);
  if (cls === TypeError) expect(err).not.toBeInstanceOf(RtmError);
  else expect(err).toBeInstanceOf(RtmError);
  expect(err.codeName).not.toBe('ERR_RTM_NATIVE');
  if (fields) expect(err).toMatchObject(fields);
  expect(spy.calls.slice(before)).toEqual([]);
  return err;
}

/** A sparse array: `length` items claimed, none stored. */
function sparse(length: number, ...stored: [number, string][]): string[] {
  const a: string[] = [];
  a.length = length;
  for (const [i, v] of stored) a[i] = v;
  return a;
}

/**
 * A Proxy of an array that claims `length` items and counts every read. Any item read past
 * `maxReads` throws, so a check that iterates before looking at the length fails at once.
 */
function countingArray(length: number, item: (i: number) => string, maxReads = MAX_ARRAY_ITEMS + 1) {
  const reads = { length: 0, items: 0 };
  const proxy = new Proxy([] as string[], {
    get(target, key, receiver) {
      if (key === 'length') {
        reads.length += 1;
        return length;
      }
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        reads.items += 1;
        if (reads.items > maxReads) throw new Error(`read ${reads.items} items of an array that should have been refused`);
        return Number(key) < length ? item(Number(key)) : undefined;
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      return typeof key === 'string' && /^\d+$/.test(key) ? Number(key) < length : Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) < length) {
        return { value: item(Number(key)), writable: true, enumerable: true, configurable: true };
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
  return { proxy, reads };
}

/** An object whose listed properties count their reads; `values[k]` gives the answer of each read in turn (the last repeats). */
function countingObject(values: Record<string, unknown[]>): { object: Record<string, unknown>; reads: Record<string, number> } {
  const reads: Record<string, number> = {};
  const object: Record<string, unknown> = {};
  for (const [key, answers] of Object.entries(values)) {
    reads[key] = 0;
    Object.defineProperty(object, key, {
      enumerable: true,
      get() {
        const n = reads[key]!;
        reads[key] = n + 1;
        return answers[Math.min(n, answers.length - 1)];
      },
    });
  }
  return { object, reads };
}

// -----------------------------------------------------------------------------------------------
// 1. Holes
// -----------------------------------------------------------------------------------------------

type ArrayCall = [string, (c: RtmClient, ids: string[]) => Promise<unknown>];

/** Every method that takes an array of ids or keys. */
const ARRAY_CALLS: ArrayCall[] = [
  ['queryPeersOnlineStatus', (c, ids) => c.queryPeersOnlineStatus(ids)],
  ['subscribePeersOnlineStatus', (c, ids) => c.subscribePeersOnlineStatus(ids)],
  ['unsubscribePeersOnlineStatus', (c, ids) => c.unsubscribePeersOnlineStatus(ids)],
  ['getUserAttributesByKeys', (c, keys) => c.getUserAttributesByKeys(me.uid, keys)],
  ['deleteLocalUserAttributesByKeys', (c, keys) => c.deleteLocalUserAttributesByKeys(keys)],
  ['getChannelAttributesByKeys', (c, keys) => c.getChannelAttributesByKeys(room, keys)],
  ['deleteChannelAttributesByKeys', (c, keys) => c.deleteChannelAttributesByKeys(room, keys)],
  ['getChannelMemberCount', (c, ids) => c.getChannelMemberCount(ids)],
];

const HOLEY: [string, () => string[]][] = [
  ["[, 'bob']", () => [, 'bob'] as unknown as string[]],
  ["['bob', , 'carol']", () => ['bob', , 'carol'] as unknown as string[]],
  ['new Array(3)', () => new Array<string>(3)],
  ["['bob'] with length 2", () => sparse(2, [0, 'bob'])],
];

describe('arrays with holes are refused with TypeError before any native call', () => {
  beforeEach(async () => {
    await me.client.setLocalUserAttributes({ mood: 'happy', bob: 'b' });
    await me.client.setChannelAttributes(room, { mood: 'calm', bob: 'b' });
  });

  for (const [method, call] of ARRAY_CALLS) {
    for (const [what, make] of HOLEY) {
      it(`${method}(${what})`, async () => {
        const err = await expectRefused(() => call(me.client, make()), TypeError);
        expect(err.message).toMatch(new RegExp(`^${method}\\(\\): \\w+\\[\\d\\] .*empty slot`));
      });
    }
  }

  it('refused deletions and subscriptions changed nothing', async () => {
    await expectRefused(() => me.client.deleteLocalUserAttributesByKeys(['mood', , 'bob'] as unknown as string[]), TypeError);
    await expectRefused(() => me.client.deleteChannelAttributesByKeys(room, ['mood', , 'bob'] as unknown as string[]), TypeError);
    await expectRefused(() => me.client.subscribePeersOnlineStatus([peer.uid, , 'x'] as unknown as string[]), TypeError);
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ mood: 'happy', bob: 'b' });
    const attrs = await me.client.getChannelAttributes(room);
    expect(Object.keys(attrs).sort()).toEqual(['bob', 'mood']);
    await expect(me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).resolves.toEqual([]);
  });

  it('an explicit undefined item is a TypeError too, and a dense array still works', async () => {
    await expectRefused(() => me.client.queryPeersOnlineStatus([peer.uid, undefined] as unknown as string[]), TypeError);
    await expect(me.client.queryPeersOnlineStatus([peer.uid, 'nobody-here'])).resolves.toEqual({
      [peer.uid]: true,
      'nobody-here': false,
    });
  });
});

// -----------------------------------------------------------------------------------------------
// 2. Huge lengths
// -----------------------------------------------------------------------------------------------

/** The refusal of an array over each call's count limit. */
const OVER_LIMIT: Record<string, [new (...a: never[]) => Error, string, number]> = {
  queryPeersOnlineStatus: [RtmInvalidArgumentError, 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT', 256],
  subscribePeersOnlineStatus: [RtmLimitExceededError, 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW', 512],
  unsubscribePeersOnlineStatus: [RtmInvalidArgumentError, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', MAX_ARRAY_ITEMS],
  getUserAttributesByKeys: [RtmInvalidArgumentError, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', MAX_ARRAY_ITEMS],
  deleteLocalUserAttributesByKeys: [RtmInvalidArgumentError, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', MAX_ARRAY_ITEMS],
  getChannelAttributesByKeys: [RtmInvalidArgumentError, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', MAX_ARRAY_ITEMS],
  deleteChannelAttributesByKeys: [RtmInvalidArgumentError, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', MAX_ARRAY_ITEMS],
  getChannelMemberCount: [RtmLimitExceededError, 'GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT', 32],
};

describe("an array over the call's count limit is refused before any item is read", () => {
  it('MAX_ARRAY_ITEMS is far above any real use (512 subscriptions, 32 attributes at most)', () => {
    expect(MAX_ARRAY_ITEMS).toBe(4096);
  });

  for (const [method, call] of ARRAY_CALLS) {
    const [cls, codeName, limit] = OVER_LIMIT[method]!;
    it(`${method}: a sparse array of length 1e8 → ${codeName}`, async () => {
      const err = await expectRefused(() => call(me.client, sparse(1e8)), cls, { codeName });
      expect(err.message).toContain(`at most ${limit}`);
      expect(err.message).toContain('100000000');
    });

    it(`${method}: ['x'] with length 1e8, and [] with length 2^32 - 1 → ${codeName}`, async () => {
      await expectRefused(() => call(me.client, sparse(1e8, [0, 'x'])), cls, { codeName });
      await expectRefused(() => call(me.client, sparse(2 ** 32 - 1)), cls, { codeName });
    });

    it(`${method}: a Proxy claiming 1e6 items is refused without reading one (length read once)`, async () => {
      const { proxy, reads } = countingArray(1e6, (i) => `k${i}`);
      await expectRefused(() => call(me.client, proxy), cls, { codeName });
      expect(reads).toEqual({ length: 1, items: 0 });
    });

    it(`${method}: ${limit + 1} items are refused, ${limit} pass`, async () => {
      const items = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
      await expectRefused(() => call(me.client, items(limit + 1)), cls, { codeName });
      const before = spy.calls.length;
      await call(me.client, items(limit));
      expect(spy.calls.length).toBe(before + 1);
      if (method === 'subscribePeersOnlineStatus') await me.client.unsubscribePeersOnlineStatus(items(limit));
    });
  }
});

// -----------------------------------------------------------------------------------------------
// 3. Attribute maps: plain objects (or a Map) only
// -----------------------------------------------------------------------------------------------

class Attributes {
  mood = 'x';
}

const NOT_MAPS: [string, () => unknown][] = [
  ["new Set(['mood'])", () => new Set(['mood'])],
  ['new Date()', () => new Date()],
  ["new String('x')", () => new String('x')],
  ['new Number(1)', () => new Number(1)],
  ["['x']", () => ['x']],
  ["[['mood', 'x']]", () => [['mood', 'x']]],
  ['[]', () => []],
  ['a class instance', () => new Attributes()],
  ["Object.create({ mood: 'x' })", () => Object.create({ mood: 'x' }) as unknown],
  ['/regexp/', () => /mood/],
  ['a Promise', () => Promise.resolve({ mood: 'x' })],
  ['a Uint8Array', () => new Uint8Array(2)],
  ['an Error', () => new Error('mood')],
  ['a fake Map (Object.create(Map.prototype))', () => Object.create(Map.prototype) as unknown],
  ['a Proxy of a Map', () => new Proxy(new Map([['mood', 'x']]), {})],
  ['a WeakMap', () => new WeakMap()],
];

type MapCall = [string, (map: unknown) => Promise<unknown>];
const MAP_CALLS: MapCall[] = [
  ['setLocalUserAttributes', (m) => me.client.setLocalUserAttributes(m as never)],
  ['addOrUpdateLocalUserAttributes', (m) => me.client.addOrUpdateLocalUserAttributes(m as never)],
  ['setChannelAttributes', (m) => me.client.setChannelAttributes(room, m as never)],
  ['addOrUpdateChannelAttributes', (m) => me.client.addOrUpdateChannelAttributes(room, m as never)],
];

async function channelValues(): Promise<Record<string, string>> {
  const attrs = await me.client.getChannelAttributes(room);
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.value]));
}

describe('attribute maps must be plain objects (or a Map)', () => {
  beforeEach(async () => {
    await me.client.setLocalUserAttributes({ mood: 'happy', color: 'green' });
    await me.client.setChannelAttributes(room, { mood: 'calm', color: 'blue' });
  });

  for (const [method, call] of MAP_CALLS) {
    for (const [what, make] of NOT_MAPS) {
      it(`${method}(${what}) → TypeError, nothing changed`, async () => {
        const err = await expectRefused(() => call(make()), TypeError);
        expect(err.message).toMatch(new RegExp(`^${method}\\(\\): attributes must be a plain object`));
        await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ mood: 'happy', color: 'green' });
        await expect(channelValues()).resolves.toEqual({ mood: 'calm', color: 'blue' });
      });
    }
  }

  it('the error names what was passed', async () => {
    const set = await expectRefused(() => me.client.setLocalUserAttributes(new Set(['mood']) as never), TypeError);
    expect(set.message).toMatch(/got a Set$/);
    const date = await expectRefused(() => me.client.setChannelAttributes(room, new Date() as never), TypeError);
    expect(date.message).toMatch(/got a Date$/);
    const inst = await expectRefused(() => me.client.setChannelAttributes(room, new Attributes() as never), TypeError);
    expect(inst.message).toMatch(/got an Attributes$/);
  });

  it('plain objects, Object.create(null) and Maps still work', async () => {
    await me.client.setLocalUserAttributes({ a: '1' });
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ a: '1' });
    const bare = Object.create(null) as Record<string, string>;
    bare.b = '2';
    await me.client.addOrUpdateLocalUserAttributes(bare);
    await me.client.addOrUpdateLocalUserAttributes(new Map([['c', '3']]) as never);
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ a: '1', b: '2', c: '3' });
    await me.client.setChannelAttributes(room, new Map([['d', '4']]) as never);
    await me.client.addOrUpdateChannelAttributes(room, JSON.parse('{"__proto__":"5"}') as Record<string, string>);
    const values = await channelValues();
    expect(Object.keys(values).sort()).toEqual(['__proto__', 'd']); // an own key, not a prototype
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toBe('5');
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('over-limit maps name the limit: 33 attributes (object or Map), a value of 8 193 bytes', async () => {
    const entries = Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'] as [string, string]);
    const fields = { codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' };
    for (const map of [Object.fromEntries(entries), new Map(entries)]) {
      const err = await expectRefused(() => me.client.setLocalUserAttributes(map as never), RtmLimitExceededError, fields);
      expect(err.message).toContain('attributes must hold at most 32 attributes, got 33.');
    }
    const big = await expectRefused(() => me.client.setChannelAttributes(room, { k: 'v'.repeat(8193) }), RtmLimitExceededError, fields);
    expect(big.message).toContain('attributes["k"] must be at most 8192 bytes (UTF-8), got 8193.');
    expect(big.message).not.toContain('attributes, got');
  });

  it('a Map is read through its own slots: overridden size / entries / forEach / get do not count', async () => {
    const m = new Map([['mood', 'real']]);
    Object.defineProperty(m, 'size', { value: 0 });
    for (const name of ['entries', 'forEach', 'keys', 'values', 'get', Symbol.iterator]) {
      Object.defineProperty(m, name, {
        value: () => {
          throw new Error(`${String(name)} must not be called`);
        },
      });
    }
    await me.client.setLocalUserAttributes(m as never);
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ mood: 'real' });
    class Sub extends Map<string, string> {
      override get size(): number {
        return 0;
      }
    }
    const big = new Sub(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'] as [string, string]));
    await expectRefused(() => me.client.setLocalUserAttributes(big as never), RtmLimitExceededError, {
      codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW',
    });
  });

  it('a Proxy listing 10 000 keys is refused (SIZE_OVERFLOW) after 33 key checks, without reading a value', async () => {
    // (V8 itself validates the whole list a Proxy's ownKeys trap returns: 1e6 keys cost seconds
    // before this package sees one, so the list here is shorter.)
    const reads = { values: 0, descriptors: 0 };
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`);
    const proxy = new Proxy({} as Record<string, string>, {
      ownKeys: () => keys,
      getOwnPropertyDescriptor: () => {
        reads.descriptors += 1;
        return { value: 'v', enumerable: true, configurable: true, writable: true };
      },
      get: () => {
        reads.values += 1;
        return 'v';
      },
    });
    await expectRefused(() => me.client.setChannelAttributes(room, proxy), RtmLimitExceededError, {
      codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW',
    });
    expect(reads).toEqual({ values: 0, descriptors: 33 });
  });

  it('a Proxy of a plain object with a counting get trap: each value read once', async () => {
    const reads: Record<string, number> = {};
    const proxy = new Proxy({ mood: 'p1', color: 'p2' } as Record<string, string>, {
      get(target, key, receiver) {
        reads[String(key)] = (reads[String(key)] ?? 0) + 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await me.client.setLocalUserAttributes(proxy);
    expect(reads).toEqual({ mood: 1, color: 1 });
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ mood: 'p1', color: 'p2' });
  });
});

describe('options and parameters must be plain objects too', () => {
  it('channel-attribute options: a Date, a Map or a class instance is a TypeError, nothing changed', async () => {
    await me.client.setChannelAttributes(room, { keep: 'me' });
    for (const options of [new Date(), new Map([['enableNotificationToChannelMembers', true]]), new Attributes(), new String('x')]) {
      await expectRefused(() => me.client.clearChannelAttributes(room, options as never), TypeError);
      await expectRefused(() => me.client.setChannelAttributes(room, { a: 'b' }, options as never), TypeError);
    }
    await expect(channelValues()).resolves.toEqual({ keep: 'me' });
  });

  it('send options and login options: only plain objects', async () => {
    await expectRefused(() => me.client.sendMessageToPeer({ text: 'x' }, peer.uid, new Date() as never), TypeError);
    await expectRefused(() => me.client.sendMessageToPeer({ text: 'x' }, peer.uid, new Set() as never), TypeError);
    await expectRefused(() => myChannel.sendMessage({ text: 'x' }, new Map() as never), TypeError);
    const fresh = clientOf(emu);
    class Login {
      uid = 'someone';
    }
    await expectRefused(() => fresh.login(new Login()), TypeError);
    await expectRefused(() => fresh.login(new Map([['uid', 'someone']]) as never), TypeError);
  });

  it('setParameters: a Date, Map, Set or boxed String is a TypeError; a plain object still works', () => {
    for (const params of [new Date(), new Map([['a', 1]]), new Set(), new String('{}'), new Attributes()]) {
      const before = spy.calls.length;
      expect(() => me.client.setParameters(params as never)).toThrow(TypeError);
      expect(spy.calls.length).toBe(before);
    }
    const toJSON = { toJSON: () => 'not an object' };
    expect(() => me.client.setParameters(toJSON as never)).toThrow(RtmInvalidArgumentError);
    expect(() => me.client.setParameters({})).not.toThrow();
  });
});

// -----------------------------------------------------------------------------------------------
// 4. Each property read once; only the copy is checked and sent
// -----------------------------------------------------------------------------------------------

describe('every argument property is read once; the checked copy is what is sent', () => {
  it('a text message: text and messageType are each read exactly once', async () => {
    const got = recordMessages(peer.client);
    const { object, reads } = countingObject({ text: ['hello'], messageType: ['TEXT'] });
    await expect(me.client.sendMessageToPeer(object as never, peer.uid)).resolves.toMatchObject({ code: 0 });
    expect(reads).toEqual({ text: 1, messageType: 1 });
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'TEXT', text: 'hello' });
  });

  it('a raw message: rawMessage, description and messageType are each read exactly once', async () => {
    const got = recordMessages(peer.client);
    const bytes = new Uint8Array([1, 2, 3]);
    const { object, reads } = countingObject({ rawMessage: [bytes], description: ['three'], messageType: [undefined] });
    await expect(me.client.sendMessageToPeer(object as never, peer.uid)).resolves.toMatchObject({ code: 0 });
    expect(reads).toEqual({ rawMessage: 1, description: 1, messageType: 1 });
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'RAW', rawMessage: bytes, description: 'three' });
  });

  it('a Proxy message: each of text, rawMessage, description, messageType is read at most once', async () => {
    const reads: Record<string, number> = {};
    const target = { rawMessage: new Uint8Array([9]), description: 'd' };
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        reads[String(key)] = (reads[String(key)] ?? 0) + 1;
        return Reflect.get(t, key, receiver) as unknown;
      },
    });
    await expect(myChannel.sendMessage(proxy)).resolves.toBeUndefined();
    for (const [key, n] of Object.entries(reads)) expect(n, key).toBe(1);
    expect(reads.rawMessage).toBe(1);
  });

  it('a rawMessage getter answering a Uint8Array, then a string, cannot reach the addon as a string', async () => {
    const got = recordMessages(peer.client);
    const { object, reads } = countingObject({ rawMessage: [new Uint8Array([7, 7]), 'not bytes'], description: ['d'] });
    await expect(me.client.sendMessageToPeer(object as never, peer.uid)).resolves.toMatchObject({ code: 0 });
    expect(reads.rawMessage).toBe(1);
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'RAW', rawMessage: new Uint8Array([7, 7]), description: 'd' });
  });

  it('a text getter answering "ok" then 40 000 bytes sends "ok"; the other way round is refused', async () => {
    const got = recordMessages(peer.client);
    const big = 'x'.repeat(40_000);
    const first = countingObject({ text: ['ok', big, big] });
    await expect(me.client.sendMessageToPeer(first.object as never, peer.uid)).resolves.toMatchObject({ code: 0 });
    const second = countingObject({ text: [big, 'ok', 'ok'] });
    await expectRefused(() => me.client.sendMessageToPeer(second.object as never, peer.uid), RtmInvalidArgumentError, {
      codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE',
    });
    expect([first.reads.text, second.reads.text]).toEqual([1, 1]);
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'TEXT', text: 'ok' });
  });

  it('a messageType getter answering TEXT, then something else, sends what was checked', async () => {
    const got = recordMessages(peer.client);
    const { object, reads } = countingObject({ messageType: ['TEXT', 'IMAGE', 7], text: ['typed'] });
    await expect(me.client.sendMessageToPeer(object as never, peer.uid)).resolves.toMatchObject({ code: 0 });
    expect(reads.messageType).toBe(1);
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'TEXT', text: 'typed' });
  });

  it('an overridden byteLength does not hide the real size of the bytes', async () => {
    const raw = new Uint8Array(40_000);
    Object.defineProperty(raw, 'byteLength', { value: 1 });
    Object.defineProperty(raw, 'length', { value: 1 });
    await expectRefused(() => me.client.sendMessageToPeer({ rawMessage: raw }, peer.uid), RtmInvalidArgumentError, {
      codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE',
    });
  });

  it('bytes that grow after the check (a resizable buffer grown by an options getter) are not sent', async () => {
    type Resizable = ArrayBuffer & { resize(n: number): void };
    const Ctor = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable;
    const buffer = new Ctor(4, { maxByteLength: 64 * 1024 });
    const raw = new Uint8Array(buffer); // length-tracking
    raw.set([1, 2, 3, 4]);
    const options = {
      get enableOfflineMessaging() {
        buffer.resize(64 * 1024);
        return false;
      },
    };
    const got = recordMessages(peer.client);
    const sent = me.client.sendMessageToPeer({ rawMessage: raw }, peer.uid, options);
    await expect(sent).resolves.toMatchObject({ code: 0 });
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'RAW', rawMessage: new Uint8Array([1, 2, 3, 4]), description: '' });
  });

  it('option flags are read once each (send options, channel-attribute options, login options)', async () => {
    const send = countingObject({ enableOfflineMessaging: [false, 'yes'], enableHistoricalMessaging: [false, 1] });
    await expect(me.client.sendMessageToPeer({ text: 'o' }, peer.uid, send.object)).resolves.toMatchObject({ code: 0 });
    expect(send.reads).toEqual({ enableOfflineMessaging: 1, enableHistoricalMessaging: 1 });

    const attr = countingObject({ enableNotificationToChannelMembers: [true, 'no'] });
    await me.client.setChannelAttributes(room, { k: 'v' }, attr.object);
    expect(attr.reads).toEqual({ enableNotificationToChannelMembers: 1 });

    const fresh = clientOf(emu);
    const uid = uniqueId('once');
    const login = countingObject({ uid: [uid, 'null'], token: [undefined, 7] });
    await fresh.login(login.object as never);
    expect(login.reads).toEqual({ uid: 1, token: 1 });
  });

  it('attribute values are read once: a value getter answering "v1" then "" stores "v1"', async () => {
    const user = countingObject({ mood: ['v1', '', 5], color: ['blue'] });
    await me.client.setLocalUserAttributes(user.object as never);
    expect(user.reads).toEqual({ mood: 1, color: 1 });
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ mood: 'v1', color: 'blue' });

    const channel = countingObject({ mood: ['c1', 'x'.repeat(9000)] });
    await me.client.setChannelAttributes(room, channel.object as never);
    expect(channel.reads).toEqual({ mood: 1 });
    await expect(channelValues()).resolves.toEqual({ mood: 'c1' });
  });

  it('array items and length are read once: an item getter answering an id then a bad one queries the id', async () => {
    const ids = [peer.uid, 'later'];
    let reads = 0;
    Object.defineProperty(ids, 1, {
      enumerable: true,
      get: () => (++reads === 1 ? 'nobody' : 'bad\0id'),
    });
    await expect(me.client.queryPeersOnlineStatus(ids)).resolves.toEqual({ [peer.uid]: true, nobody: false });
    expect(reads).toBe(1);

    const { proxy, reads: counted } = countingArray(2, (i) => (i === 0 ? 'mood' : 'color'));
    await me.client.setLocalUserAttributes({ mood: 'a', color: 'b', keep: 'c' });
    await me.client.deleteLocalUserAttributesByKeys(proxy);
    expect(counted).toEqual({ length: 1, items: 2 });
    await expect(me.client.getUserAttributes(me.uid)).resolves.toEqual({ keep: 'c' });
  });

  it('member-count ids from a Proxy are read once each', async () => {
    const { proxy, reads } = countingArray(2, (i) => (i === 0 ? room : 'empty-room'));
    await expect(me.client.getChannelMemberCount(proxy)).resolves.toEqual({ [room]: 2, 'empty-room': 0 });
    expect(reads).toEqual({ length: 1, items: 2 });
  });
});
