// Presence through the public API on in-process emulators: queries, subscriptions with their
// snapshot and changes (ONLINE / UNREACHABLE / OFFLINE, with shortened thresholds and
// dropConnection), the 512 limit, queryPeersBySubscriptionOption, and logout clearing it all.
// Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import {
  PeerOnlineState,
  PeerSubscriptionOption,
  PeerSubscriptionStatusErrCode,
  QueryPeersOnlineStatusErrCode,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmLimitExceededError,
} from '../lib/index';
import type { Emulator } from '../lib/emulator';
import { cleanup, clientOf, loggedIn, recordPresence, rejectionOf, sleep, startEmulator, uniqueId, until } from './helpers/emu';

afterEach(cleanup);

/** Thresholds short enough for a test (ms). */
const FAST = { interruptedAfterMs: 100, unreachableAfterMs: 300, offlineAfterMs: 1200 } as const;

/** The merged view of every PeersOnlineStatusChanged so far. */
function latest(events: Record<string, PeerOnlineState | number>[]): Record<string, PeerOnlineState | number> {
  return Object.assign({}, ...events) as Record<string, PeerOnlineState | number>;
}

/** `me` subscribed to the online state of `peer`, once the snapshot said ONLINE. */
async function watchingPeer(emu: Emulator) {
  const me = await loggedIn(emu, 'me');
  const peer = await loggedIn(emu, 'peer');
  const events = recordPresence(me.client);
  await me.client.subscribePeersOnlineStatus([peer.uid]);
  await until(() => latest(events)[peer.uid] === PeerOnlineState.ONLINE, 3000, 'snapshot');
  return { me, peer, events };
}

describe('queryPeersOnlineStatus', () => {
  it('true for online users, false for offline and unknown ones', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const online = await loggedIn(emu, 'on');
    const gone = await loggedIn(emu, 'gone');
    await gone.client.logout();
    const never = uniqueId('never');
    await expect(me.client.queryPeersOnlineStatus([online.uid, gone.uid, never, me.uid])).resolves.toEqual({
      [online.uid]: true,
      [gone.uid]: false,
      [never]: false,
      [me.uid]: true,
    });
  });

  it('at most 256 ids (INVALID_ARGUMENT before any native call); USER_NOT_LOGGED_IN when logged out', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const ids = Array.from({ length: 256 }, (_, i) => `peer-${i}`);
    const all = await me.client.queryPeersOnlineStatus(ids);
    expect(Object.keys(all)).toHaveLength(256);
    const err = await rejectionOf(me.client.queryPeersOnlineStatus([...ids, 'one-more']));
    expect(err).toBeInstanceOf(RtmInvalidArgumentError);
    expect(err).toMatchObject({ code: QueryPeersOnlineStatusErrCode.INVALID_ARGUMENT });
    const idle = clientOf(emu);
    const notIn = await rejectionOf(idle.queryPeersOnlineStatus([me.uid]));
    expect(notIn).toBeInstanceOf(RtmInvalidStatusError);
    expect(notIn).toMatchObject({ code: 102, codeName: 'QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN' });
  });
});

describe('subscriptions', () => {
  it('a snapshot right after subscribing, then ONLINE / OFFLINE as peers log in and out', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const on = await loggedIn(emu, 'on');
    const laterUid = uniqueId('later');
    const events = recordPresence(me.client);
    await me.client.subscribePeersOnlineStatus([on.uid, laterUid]);
    await until(() => latest(events)[laterUid] !== undefined && latest(events)[on.uid] !== undefined, 3000, 'snapshot');
    expect(latest(events)).toEqual({ [on.uid]: PeerOnlineState.ONLINE, [laterUid]: PeerOnlineState.OFFLINE });

    const later = clientOf(emu);
    await later.login({ uid: laterUid });
    await until(() => latest(events)[laterUid] === PeerOnlineState.ONLINE, 3000, 'ONLINE');
    await later.logout();
    await until(() => latest(events)[laterUid] === PeerOnlineState.OFFLINE, 3000, 'OFFLINE');
    await on.client.release();
    await until(() => latest(events)[on.uid] === PeerOnlineState.OFFLINE, 5000, 'OFFLINE after release');
  });

  it('UNREACHABLE when a peer’s link drops, ONLINE again when it comes back', async () => {
    const emu = await startEmulator(FAST);
    const { peer, events } = await watchingPeer(emu);
    expect(emu.dropConnection(peer.uid)).toBe(true);
    await until(() => latest(events)[peer.uid] === PeerOnlineState.UNREACHABLE, 3000, 'UNREACHABLE');
    expect(emu.restoreConnection(peer.uid)).toBe(true);
    await until(() => latest(events)[peer.uid] === PeerOnlineState.ONLINE, 3000, 'ONLINE again');
    // Every event named only the subscribed peer.
    expect(events.every((e) => Object.keys(e).every((k) => k === peer.uid))).toBe(true);
  });

  it('UNREACHABLE, then OFFLINE when the link stays down past offlineAfterMs', async () => {
    const emu = await startEmulator(FAST);
    const { me, peer, events } = await watchingPeer(emu);
    emu.dropConnection(peer.uid);
    await until(() => latest(events)[peer.uid] === PeerOnlineState.OFFLINE, 5000, 'OFFLINE');
    const states = events.map((e) => e[peer.uid]).filter((s) => s !== undefined);
    expect(states).toEqual([PeerOnlineState.ONLINE, PeerOnlineState.UNREACHABLE, PeerOnlineState.OFFLINE]);
    expect(await me.client.queryPeersOnlineStatus([peer.uid])).toEqual({ [peer.uid]: false });
  });

  it('OVERFLOW beyond 512 subscriptions: in one call (before any native call) and in all', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const ids = Array.from({ length: 513 }, (_, i) => `sub-${i}`);
    const tooMany = await rejectionOf(me.client.subscribePeersOnlineStatus(ids));
    expect(tooMany).toBeInstanceOf(RtmLimitExceededError);
    expect(tooMany).toMatchObject({ code: PeerSubscriptionStatusErrCode.OVERFLOW, codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW' });
    await me.client.subscribePeersOnlineStatus(ids.slice(0, 512));
    const overflow = await rejectionOf(me.client.subscribePeersOnlineStatus([ids[512]!]));
    expect(overflow).toBeInstanceOf(RtmLimitExceededError);
    expect(overflow).toMatchObject({ code: PeerSubscriptionStatusErrCode.OVERFLOW });
    const subscribed = await me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS);
    expect(subscribed).toHaveLength(512);
    // Making room lets one more in.
    await me.client.unsubscribePeersOnlineStatus([ids[0]!]);
    await me.client.subscribePeersOnlineStatus([ids[512]!]);
  });

  it('queryPeersBySubscriptionOption lists the subscribed peers; unsubscribe removes them', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    await expect(me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).resolves.toEqual([]);
    await me.client.subscribePeersOnlineStatus(['p1', 'p2', 'p3']);
    expect((await me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).sort()).toEqual(['p1', 'p2', 'p3']);
    await me.client.unsubscribePeersOnlineStatus(['p2']);
    expect((await me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).sort()).toEqual(['p1', 'p3']);
  });

  it('logout clears every subscription: no more events, none listed after the next login', async () => {
    const emu = await startEmulator();
    const me = await loggedIn(emu, 'me');
    const peerUid = uniqueId('peer');
    const events = recordPresence(me.client);
    await me.client.subscribePeersOnlineStatus([peerUid]);
    await until(() => events.length > 0, 3000, 'snapshot');
    await me.client.logout();
    await me.client.login({ uid: me.uid });
    await expect(me.client.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).resolves.toEqual([]);
    const before = events.length;
    const peer = clientOf(emu);
    await peer.login({ uid: peerUid });
    await sleep(300);
    expect(events.length).toBe(before);
  });

  it('subscribe, unsubscribe and the query need a login (USER_NOT_LOGGED_IN)', async () => {
    const emu = await startEmulator();
    const idle = clientOf(emu);
    await expect(idle.subscribePeersOnlineStatus(['p'])).rejects.toMatchObject({
      name: 'RtmInvalidStatusError',
      codeName: 'PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN',
    });
    await expect(idle.unsubscribePeersOnlineStatus(['p'])).rejects.toMatchObject({ code: 102 });
    await expect(idle.queryPeersBySubscriptionOption(PeerSubscriptionOption.ONLINE_STATUS)).rejects.toMatchObject({
      codeName: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN',
    });
  });
});

describe('Emulator faults', () => {
  it('dropConnection / restoreConnection are false for an unknown user', async () => {
    const emu = await startEmulator();
    expect(emu.dropConnection('nobody-here')).toBe(false);
    expect(emu.restoreConnection('nobody-here')).toBe(false);
  });

  it('limits: a profile name the emulator does not know is refused with a clear error', async () => {
    await expect(startEmulator({ profile: 'v9' as never })).rejects.toMatchObject({ codeName: 'ERR_RTM_EMULATOR' });
    await expect(startEmulator({ notALimit: 1 })).rejects.toMatchObject({ codeName: 'ERR_RTM_EMULATOR' });
  });
});
