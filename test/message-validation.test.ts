// Argument validation of peer messages, presence and user attributes through the public API on a
// real emulator client: wrong types, over-long ids, oversize messages and too many ids reject
// with TypeError or RtmInvalidArgumentError (RtmLimitExceededError for the SDK's OVERFLOW /
// SIZE_OVERFLOW) BEFORE any native call — a spy on the addon's methods proves it — and the client
// stays usable. Needs the addon. (test/client-promises.test.ts runs the same checks on a fake.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerSubscriptionOption, RtmError, RtmInvalidArgumentError, RtmLimitExceededError, type RtmClient } from '../lib/index';
import { cleanup, loggedIn, recordMessages, startEmulator, until } from './helpers/emu';
import { spyOnNative, type NativeSpy } from './helpers/native-spy';

const METHODS = [
  'sendMessageToPeer',
  'queryPeersOnlineStatus',
  'subscribePeersOnlineStatus',
  'unsubscribePeersOnlineStatus',
  'queryPeersBySubscriptionOption',
  'setLocalUserAttributes',
  'addOrUpdateLocalUserAttributes',
  'deleteLocalUserAttributesByKeys',
  'clearLocalUserAttributes',
  'getUserAttributes',
  'getUserAttributesByKeys',
] as const;

let spy: NativeSpy;
let me: { client: RtmClient; uid: string };
let peer: { client: RtmClient; uid: string };

beforeAll(async () => {
  spy = spyOnNative(METHODS);
  const emu = await startEmulator({ profile: 'unlimited' });
  me = await loggedIn(emu, 'me');
  peer = await loggedIn(emu, 'peer');
});

afterAll(async () => {
  spy.restore();
  await cleanup();
});

const over = 32 * 1024 + 1;
type Case = [string, (c: RtmClient) => Promise<unknown>, new (...a: never[]) => Error, Record<string, unknown>?];

const CASES: Case[] = [
  // wrong types
  ['message a string', (c) => c.sendMessageToPeer('hi' as never, 'bob'), TypeError],
  ['message undefined', (c) => c.sendMessageToPeer(undefined as never, 'bob'), TypeError],
  ['text a number', (c) => c.sendMessageToPeer({ text: 1 } as never, 'bob'), TypeError],
  ['text an object', (c) => c.sendMessageToPeer({ text: { toString: () => 'x' } } as never, 'bob'), TypeError],
  ['rawMessage an array', (c) => c.sendMessageToPeer({ rawMessage: [1, 2, 3] } as never, 'bob'), TypeError],
  ['rawMessage an ArrayBuffer', (c) => c.sendMessageToPeer({ rawMessage: new ArrayBuffer(4) } as never, 'bob'), TypeError],
  ['rawMessage a string', (c) => c.sendMessageToPeer({ rawMessage: 'bytes' } as never, 'bob'), TypeError],
  ['description a number', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(2), description: 3 } as never, 'bob'), TypeError],
  ['peer id a number', (c) => c.sendMessageToPeer({ text: 'x' }, 7 as never), TypeError],
  ['peer id a Symbol', (c) => c.sendMessageToPeer({ text: 'x' }, Symbol('p') as never), TypeError],
  ['options an array', (c) => c.sendMessageToPeer({ text: 'x' }, 'bob', [true] as never), TypeError],
  ['options.enableOfflineMessaging a string', (c) => c.sendMessageToPeer({ text: 'x' }, 'bob', { enableOfflineMessaging: 'true' } as never), TypeError],
  ['peer ids a string', (c) => c.queryPeersOnlineStatus('bob' as never), TypeError],
  ['peer ids with a number', (c) => c.subscribePeersOnlineStatus(['bob', 5] as never), TypeError],
  ['peer ids a Set', (c) => c.unsubscribePeersOnlineStatus(new Set(['bob']) as never), TypeError],
  ['option a number', (c) => c.queryPeersBySubscriptionOption(0 as never), TypeError],
  ['attributes null', (c) => c.setLocalUserAttributes(null as never), TypeError],
  ['attribute value a number', (c) => c.addOrUpdateLocalUserAttributes({ k: 5 } as never), TypeError],
  ['attribute keys a string', (c) => c.deleteLocalUserAttributesByKeys('k' as never), TypeError],
  ['user id undefined', (c) => c.getUserAttributes(undefined as never), TypeError],
  ['keys with a number', (c) => c.getUserAttributesByKeys('bob', [1] as never), TypeError],
  // over-long and bad ids
  ['peer id of 65 bytes', (c) => c.sendMessageToPeer({ text: 'x' }, 'p'.repeat(65)), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' }],
  ['peer id of 1 000 000 bytes', (c) => c.sendMessageToPeer({ text: 'x' }, 'p'.repeat(1_000_000)), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' }],
  ['peer id with NUL', (c) => c.sendMessageToPeer({ text: 'x' }, 'a\0b'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' }],
  ['queried id of 65 bytes', (c) => c.queryPeersOnlineStatus(['x'.repeat(65)]), RtmInvalidArgumentError, { codeName: 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT' }],
  ['subscribed id "null"', (c) => c.subscribePeersOnlineStatus(['null']), RtmInvalidArgumentError, { codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT' }],
  ['attribute owner of 65 bytes', (c) => c.getUserAttributes('u'.repeat(65)), RtmInvalidArgumentError, { codeName: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT' }],
  // oversize messages
  ['text of 32 KB + 1', (c) => c.sendMessageToPeer({ text: 'x'.repeat(over) }, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
  ['text of 1 MB', (c) => c.sendMessageToPeer({ text: 'x'.repeat(1 << 20) }, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
  ['raw of 32 KB + 1', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(over) }, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
  ['raw + description of 32 KB + 1', (c) => c.sendMessageToPeer({ rawMessage: new Uint8Array(30_000), description: 'd'.repeat(2769) }, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
  ['text with NUL', (c) => c.sendMessageToPeer({ text: 'a\0b' }, 'bob'), RtmInvalidArgumentError, { codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' }],
  // too many ids / attributes
  ['257 queried ids', (c) => c.queryPeersOnlineStatus(Array.from({ length: 257 }, (_, i) => `p${i}`)), RtmInvalidArgumentError, { codeName: 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT' }],
  ['100 000 queried ids', (c) => c.queryPeersOnlineStatus(Array.from({ length: 100_000 }, (_, i) => `p${i}`)), RtmInvalidArgumentError],
  ['513 subscribed ids', (c) => c.subscribePeersOnlineStatus(Array.from({ length: 513 }, (_, i) => `p${i}`)), RtmLimitExceededError, { codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW' }],
  ['33 attributes', (c) => c.setLocalUserAttributes(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))), RtmLimitExceededError, { codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' }],
  ['a value of 8 KB + 1', (c) => c.addOrUpdateLocalUserAttributes({ k: 'v'.repeat(8193) }), RtmLimitExceededError, { codeName: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' }],
  ['an unknown subscription option', (c) => c.queryPeersBySubscriptionOption('EVERYTHING' as PeerSubscriptionOption), RtmInvalidArgumentError],
  // holes, huge lengths, maps that are not plain objects (more in test/argument-copies.test.ts)
  ['queried ids with a hole', (c) => c.queryPeersOnlineStatus([, 'bob'] as never), TypeError],
  ['subscribed ids new Array(3)', (c) => c.subscribePeersOnlineStatus(new Array<string>(3)), TypeError],
  ['attribute keys with a hole', (c) => c.deleteLocalUserAttributesByKeys(['a', , 'b'] as never), TypeError],
  ['unsubscribed ids: a sparse array of length 1e8', (c) => c.unsubscribePeersOnlineStatus(Object.assign([], { length: 1e8 })), RtmInvalidArgumentError, { codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT' }],
  ['keys: a sparse array of length 1e8', (c) => c.getUserAttributesByKeys('bob', Object.assign([], { length: 1e8 })), RtmInvalidArgumentError, { codeName: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT' }],
  ['attributes a Set', (c) => c.setLocalUserAttributes(new Set(['mood']) as never), TypeError],
  ['attributes a Date', (c) => c.addOrUpdateLocalUserAttributes(new Date() as never), TypeError],
  ["attributes new String('x')", (c) => c.setLocalUserAttributes(new String('x') as never), TypeError],
  ['attributes an array', (c) => c.setLocalUserAttributes([['k', 'v']] as never), TypeError],
  ['send options a Date', (c) => c.sendMessageToPeer({ text: 'x' }, 'bob', new Date() as never), TypeError],
];

describe('argument validation before any native call', () => {
  it.each(CASES)('%s', async (_name, call, cls, fields) => {
    const before = spy.calls.length;
    const err = await call(me.client).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(cls);
    if (cls !== TypeError) expect(err).toBeInstanceOf(RtmError);
    if (fields) expect(err).toMatchObject(fields);
    expect(spy.calls.length).toBe(before);
  });

  it('the client still works afterwards (and the spy sees real calls)', async () => {
    const got = recordMessages(peer.client);
    const before = spy.calls.length;
    await expect(me.client.sendMessageToPeer({ text: 'still here' }, peer.uid)).resolves.toMatchObject({ code: 0 });
    await expect(me.client.queryPeersOnlineStatus([peer.uid])).resolves.toEqual({ [peer.uid]: true });
    expect(spy.calls.slice(before)).toEqual(['sendMessageToPeer', 'queryPeersOnlineStatus']);
    await until(() => got.length === 1);
    expect(got[0]!.message).toEqual({ messageType: 'TEXT', text: 'still here' });
  });
});
