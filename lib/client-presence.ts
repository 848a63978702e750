// RtmClient's presence: the checks and native calls of its four presence requests, and the
// events that concern them (their results, matched by request id, and the status pushes of
// subscribed peers), with the conversion of native peer states.
import type { EventEmitter } from 'node:events';
import { fromPeerSubscriptionOption, toPeerOnlineState } from './codes';
import type { RtmClientEvents } from './client-events';
import { settleResult, settleWithCode, toRecord, type RequestContext } from './client-requests';
import { PeerSubscriptionOption, type PeerOnlineState } from './enums';
import { EventKind, type NativeEvent, type NativePeerStatus } from './native';
import type { PendingRegistry } from './pending';
import { checkEnumMember, checkUserIdArray, type CheckContext } from './validate';

/** C++ PEER_ONLINE_STATE_ONLINE. */
const NATIVE_PEER_ONLINE = 0;

/** RtmClient.queryPeersOnlineStatus. */
export function queryPeersOnlineStatus(c: RequestContext, peerIds: string[]): Promise<Record<string, boolean>> {
  const op = 'queryPeersOnlineStatus';
  const ctx: CheckContext = { operation: op, cppEnum: 'QUERY_PEERS_ONLINE_STATUS_ERR' };
  c.assertAlive(op);
  const ids = checkUserIdArray(peerIds, ctx, 'peerIds', { maxCount: 256 });
  return c.request(op, 'QUERY_PEERS_ONLINE_STATUS_ERR', () => c.native.queryPeersOnlineStatus(ids));
}

/** RtmClient.subscribePeersOnlineStatus. */
export function subscribePeersOnlineStatus(c: RequestContext, peerIds: string[]): Promise<void> {
  const op = 'subscribePeersOnlineStatus';
  const ctx: CheckContext = { operation: op, cppEnum: 'PEER_SUBSCRIPTION_STATUS_ERR' };
  c.assertAlive(op);
  const ids = checkUserIdArray(peerIds, ctx, 'peerIds', { maxCount: 512, overflowKey: 'OVERFLOW' });
  return c.request(op, 'PEER_SUBSCRIPTION_STATUS_ERR', () => c.native.subscribePeersOnlineStatus(ids));
}

/** RtmClient.unsubscribePeersOnlineStatus. */
export function unsubscribePeersOnlineStatus(c: RequestContext, peerIds: string[]): Promise<void> {
  const op = 'unsubscribePeersOnlineStatus';
  const ctx: CheckContext = { operation: op, cppEnum: 'PEER_SUBSCRIPTION_STATUS_ERR' };
  c.assertAlive(op);
  const ids = checkUserIdArray(peerIds, ctx, 'peerIds');
  return c.request(op, 'PEER_SUBSCRIPTION_STATUS_ERR', () => c.native.unsubscribePeersOnlineStatus(ids));
}

/** RtmClient.queryPeersBySubscriptionOption. */
export function queryPeersBySubscriptionOption(c: RequestContext, option: PeerSubscriptionOption): Promise<string[]> {
  const op = 'queryPeersBySubscriptionOption';
  const ctx: CheckContext = { operation: op, cppEnum: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR' };
  c.assertAlive(op);
  const o = checkEnumMember(option, PeerSubscriptionOption, ctx, 'option', 'PeerSubscriptionOption');
  const value = fromPeerSubscriptionOption(o);
  return c.request(op, 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR', () => c.native.queryPeersBySubscriptionOption(value));
}

/** Handles a presence event; false for any other kind. */
export function handlePresenceEvent(event: NativeEvent, pending: PendingRegistry, client: EventEmitter<RtmClientEvents>): boolean {
  switch (event[0]) {
    case EventKind.QueryPeersOnlineStatusResult: {
      const entry = pending.find(event[1], ['queryPeersOnlineStatus']);
      if (entry === undefined) return true;
      const code = event[3];
      settleWithCode(pending, entry, code, code === 0 ? toRecord(event[2].map(([peer, s]) => [peer, s === NATIVE_PEER_ONLINE] as const)) : undefined);
      return true;
    }
    case EventKind.SubscriptionRequestResult:
      settleResult(pending, event[1], ['subscribePeersOnlineStatus', 'unsubscribePeersOnlineStatus'], event[2]);
      return true;
    case EventKind.QueryPeersBySubscriptionOptionResult: {
      const entry = pending.find(event[1], ['queryPeersBySubscriptionOption']);
      if (entry !== undefined) settleWithCode(pending, entry, event[3], event[3] === 0 ? [...event[2]] : undefined);
      return true;
    }
    case EventKind.PeersOnlineStatusChanged:
      client.emit('PeersOnlineStatusChanged', peerStates(event[1]));
      return true;
    default:
      return false;
  }
}

/** NativePeerStatus[] → { peerId: PeerOnlineState } (unknown values stay numbers). */
function peerStates(statuses: NativePeerStatus[]): Record<string, PeerOnlineState | number> {
  return toRecord(statuses.map(([peer, state]) => [peer, toPeerOnlineState(state)] as const));
}
