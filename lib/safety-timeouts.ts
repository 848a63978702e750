// The safety timeouts of RtmClient's calls: how long a promise waits for an SDK that may never
// answer. A table of its own, read by the client, by createInstance (its option) and by tests.
import { INVITATION_SAFETY_TIMEOUT_MS } from './invitation-shared';

/**
 * Safety timeouts in ms, per operation: the SDK's documented timeout plus a margin, after which
 * a call the SDK never answered rejects with RtmTimeoutError.
 */
export const SAFETY_TIMEOUTS_MS = {
  /** The SDK gives up after 6 s (LOGIN_ERR_TIMEOUT); + 4 s margin. */
  login: 10_000,
  /** No documented timeout; the SDK answers at once when it answers at all. */
  logout: 10_000,
  /** No documented timeout; observed unanswered while CONNECTING (rtm-abi.md §8.1). */
  renewToken: 10_000,
  /** The SDK gives up after 10 s (PEER_MESSAGE_ERR_SENT_TIMEOUT); + 5 s margin. */
  sendMessageToPeer: 15_000,
  /** 10 s (QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT) + 5 s. */
  queryPeersOnlineStatus: 15_000,
  /** 10 s (PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT) + 5 s. */
  subscribePeersOnlineStatus: 15_000,
  /** 10 s (PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT) + 5 s. */
  unsubscribePeersOnlineStatus: 15_000,
  /** 5 s (QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT) + 5 s. */
  queryPeersBySubscriptionOption: 10_000,
  /** User attributes: 5 s (ATTRIBUTE_OPERATION_ERR_TIMEOUT) + 5 s each. */
  setLocalUserAttributes: 10_000,
  addOrUpdateLocalUserAttributes: 10_000,
  deleteLocalUserAttributesByKeys: 10_000,
  clearLocalUserAttributes: 10_000,
  getUserAttributes: 10_000,
  getUserAttributesByKeys: 10_000,
  /** RtmChannel.join: 5 s (JOIN_CHANNEL_TIMEOUT) + 5 s. */
  join: 10_000,
  /** RtmChannel.leave: no documented timeout; the SDK answers at once when it answers at all. */
  leave: 10_000,
  /** RtmChannel.sendMessage: 5 s (CHANNEL_MESSAGE_ERR_SENT_TIMEOUT; 10 s in later docs) + 5 s. */
  sendMessage: 10_000,
  /** RtmChannel.getMembers: 5 s (GET_MEMBERS_ERR_TIMEOUT) + 5 s. */
  getMembers: 10_000,
  /** Channel attributes: 5 s (ATTRIBUTE_OPERATION_ERR_TIMEOUT) + 5 s each. */
  setChannelAttributes: 10_000,
  addOrUpdateChannelAttributes: 10_000,
  deleteChannelAttributesByKeys: 10_000,
  clearChannelAttributes: 10_000,
  getChannelAttributes: 10_000,
  getChannelAttributesByKeys: 10_000,
  /** 5 s (GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT) + 5 s. */
  getChannelMemberCount: 10_000,
  /** A sent LocalInvitation: 30 s for the callee's ACK + 60 s of life after it + 10 s. */
  invitation: INVITATION_SAFETY_TIMEOUT_MS,
} as const;

export type SafetyTimeouts = { -readonly [K in keyof typeof SAFETY_TIMEOUTS_MS]: number };
