// RtmClient: one native client (one IRtmService), its pending calls, their safety timeouts,
// keep-alive (ref/unref) and the one dispatcher for every SDK event.
//
// Promise rules (the real SDK leaves some calls unanswered: shared/rtm-abi.md §8.1):
// - arguments are validated before any native call;
// - a non-zero synchronous return rejects at once with errorFor(operation, enum, code);
// - 0 leaves the call pending until its callback, which the dispatcher matches: login, logout
//   and renewToken in order, every other call by the request id / message id the SDK wrote;
// - every pending call also settles when a cut-off rejects it — logout (onLogout(0) or the
//   DISCONNECTED state), a failed login, an ABORTED session (id-matched calls: the SDK never
//   answers them) or release (every call) — or at its safety timeout (the SDK's documented
//   timeout plus a margin) with RtmTimeoutError;
// - a result for an id no call waits for (cut off, timed out) is ignored.
import { EventEmitter } from 'node:events';
import {
  fromLogFilter,
  fromPeerSubscriptionOption,
  toConnectionChangeReason,
  toConnectionState,
  toPeerOnlineState,
  type CppEnumName,
} from './codes';
import {
  ConnectionChangeReason,
  ConnectionState,
  LogFilter,
  LoginErrCode,
  PeerMessageErrCode,
  PeerOnlineState,
  PeerSubscriptionOption,
} from './enums';
import { LocalErrCode, RtmError, RtmReleasedError, errorFor, fromNativeError, localCodeName } from './errors';
import {
  checkMessage,
  checkSendOptions,
  fromNativeMessage,
  type PeerMessageSendResult,
  type ReceivedMessageProperties,
  type ReceivedRtmMessage,
  type RtmMessage,
  type SendMessageOptions,
} from './messages';
import {
  EventKind,
  native,
  type Accepted,
  type BackendSpec,
  type Dispatch,
  type NativeEvent,
  type NativePeerStatus,
  type RtmClient as NativeClient,
} from './native';
import { PendingRegistry, type PendingCall } from './pending';
import {
  INVITATION_SAFETY_TIMEOUT_MS,
  InvitationSet,
  type LocalInvitation,
  type RemoteInvitation,
  type SessionState,
} from './invitation';
import { ChannelSet, type RtmChannel } from './channel';
import {
  checkChannelAttributeOptions,
  checkChannelId,
  checkMemberCountChannelIds,
  toChannelAttributes,
  toMemberCounts,
  type ChannelAttributeOptions,
  type ChannelAttributes,
} from './channel-attributes';
import {
  checkAttributeKeys,
  checkAttributeMap,
  checkEnumMember,
  checkInteger,
  checkOptions,
  checkParameters,
  checkSizedString,
  checkToken,
  checkUserId,
  checkUserIdArray,
  type CheckContext,
} from './validate';

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

/** Events of RtmClient, with their listener arguments. */
export interface RtmClientEvents {
  /**
   * Every onConnectionStateChanged. A value this package does not know (a newer SDK) arrives as
   * its number.
   */
  ConnectionStateChanged: [state: ConnectionState | number, reason: ConnectionChangeReason | number];
  /** The token expired (AccessToken 006: the session stays connected); renewToken() or log in again. */
  TokenExpired: [];
  /**
   * A peer sent this client a message (onMessageReceivedFromPeer). `message` is normalised to
   * `{ messageType: 'TEXT', text }` or `{ messageType: 'RAW', rawMessage, description }`, its bytes
   * copied out of the SDK; messages cached while this user was offline arrive at login with
   * `props.isOfflineMessage`.
   */
  MessageFromPeer: [message: ReceivedRtmMessage, peerId: string, props: ReceivedMessageProperties];
  /**
   * Presence of subscribed peers (onPeersOnlineStatusChanged): a snapshot right after
   * subscribePeersOnlineStatus(), then every change. A value this package does not know arrives
   * as its number.
   */
  PeersOnlineStatusChanged: [status: Record<string, PeerOnlineState | number>];
  /** A failure that belongs to no call. Emitted only when someone listens. */
  error: [err: RtmError];
  /**
   * A peer's call invitation (onRemoteInvitationReceived). Answer it with accept() / refuse();
   * it is released once it reaches a final state or the client is released.
   */
  RemoteInvitationReceived: [invitation: RemoteInvitation];
  /**
   * The listeners are not keeping up: `pendingEvents` events (messages, state changes, results…)
   * wait for them, at least createInstance's `backlogHighWaterMark`. Nothing is dropped; the
   * events keep coming in order. Emitted again only after the backlog has drained to half the mark.
   */
  Backlog: [pendingEvents: number];
}

export interface LoginOptions {
  /** 1–64 bytes of a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , ; not "null". */
  uid: string;
  /** Omit (or null) for a project without an App Certificate. */
  token?: string | null;
}

/**
 * What createInstance hands to the constructor. Not part of the public API: create clients
 * with AgoraRTM.createInstance().
 * @internal
 */
export interface RtmClientInit {
  spec: BackendSpec;
  appId: string;
  /** Test hook: shorter safety timeouts. */
  safetyTimeoutsMs?: Partial<SafetyTimeouts>;
  /** createInstance's backlogHighWaterMark. */
  backlogHighWaterMark?: number;
}

/** Events waiting for the listeners before 'Backlog' is emitted, unless createInstance says otherwise. */
export const DEFAULT_BACKLOG_HIGH_WATER_MARK = 10_000;

type Operation = keyof SafetyTimeouts;

const KEEP_ALIVE_STATES: ReadonlySet<ConnectionState | number> = new Set([
  ConnectionState.CONNECTING,
  ConnectionState.CONNECTED,
  ConnectionState.RECONNECTING,
  ConnectionState.ABORTED,
]);

/**
 * Clients that live on without a reference from the application, as a connected socket does:
 * logged in (or logging in, or ABORTED until logout), or with a call or invitation in progress.
 */
const HELD = new Set<RtmClient>();

/**
 * A client the application dropped while not HELD is released once it is collected: its service,
 * thread and emulator objects go with it. The callback runs as an ordinary task on the JS thread,
 * after the collection, never inside it. Nothing native refers back to the RtmClient: the event
 * dispatcher reaches it through a WeakRef (weakDispatcher).
 */
const COLLECTED = new FinalizationRegistry<NativeClient>((n) => {
  try {
    n.release();
  } catch {
    // the environment is going away: its teardown releases the client
  }
});

let dispatchTo: (client: RtmClient, batch: NativeEvent[], stillQueued: number) => void;

// A module-level function, so that the closure's context holds the WeakRef and nothing else.
function weakDispatcher(client: WeakRef<RtmClient>): Dispatch {
  return (batch, stillQueued) => {
    const target = client.deref();
    if (target !== undefined) dispatchTo(target, batch, stillQueued);
  };
}

/**
 * Runs `emitting`; a listener that throws is reported as Node does for any emitter (on the next
 * tick), without losing the rest of the batch or leaving the dispatcher's bookkeeping half done.
 */
function guardListeners(emitting: () => void): void {
  try {
    emitting();
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}

/** States in which the SDK answers a login with onLoginFailure(ALREADY_LOGGED_IN). */
const BUSY_LOGIN_STATES: ReadonlySet<ConnectionState | number> = new Set([
  ConnectionState.CONNECTING,
  ConnectionState.CONNECTED,
  ConnectionState.ABORTED,
]);

/** PEER_MESSAGE_ERR codes with which sendMessageToPeer resolves: OK, PEER_UNREACHABLE, CACHED_BY_SERVER. */
const PEER_MESSAGE_RESOLVING_CODES: ReadonlySet<number> = new Set([
  PeerMessageErrCode.OK,
  PeerMessageErrCode.PEER_UNREACHABLE,
  PeerMessageErrCode.CACHED_BY_SERVER,
]);

/** C++ PEER_ONLINE_STATE_ONLINE. */
const NATIVE_PEER_ONLINE = 0;

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** A plain object from entries; a key such as "__proto__" becomes an own property like any other. */
function toRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of entries) {
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

/** Why id-matched calls are cut off. */
type CutOff = 'logout' | 'loginFailure' | 'aborted';

const CUT_OFF_TEXT: Record<CutOff, string> = {
  logout: 'It was cut off by logout() before the SDK answered it (the SDK never answers calls pending at logout).',
  loginFailure:
    'It was made while login() was pending and cut off when the login failed (the SDK never answers such calls).',
  aborted: 'It was cut off when the session was ABORTED (remote login or banned) before the SDK answered it.',
};

/** An RTM client (Web SDK 1.x shape). Create it with AgoraRTM.createInstance(). */
export class RtmClient extends EventEmitter<RtmClientEvents> {
  readonly #native: NativeClient;
  readonly #timeouts: SafetyTimeouts;
  #state: ConnectionState | number = ConnectionState.DISCONNECTED;
  #released = false;
  #userUnref = false;
  #nativeRefd = false; // the native TSFN starts unref'd
  readonly #pending = new PendingRegistry(() => this.#updateKeepAlive());
  /** The login whose onLoginSuccess / onLoginFailure is awaited. */
  #primaryLogin: PendingCall | null = null;
  /** Logins made while another was pending or the client was connecting/connected/aborted:
   *  each awaits onLoginFailure(ALREADY_LOGGED_IN), oldest first. */
  readonly #busyLogins: PendingCall[] = [];
  readonly #logouts: PendingCall[] = [];
  readonly #renewals: PendingCall[] = [];
  /** Call invitations in progress: their events, and keep-alive while any is. */
  readonly #invitations: InvitationSet;
  /** Channel objects: their events, their calls (in #pending) and their release. */
  readonly #channels: ChannelSet;
  readonly #backlogHighWaterMark: number;
  /** 'Backlog' was emitted and the backlog has not drained to half the mark since. */
  #backlogWarned = false;
  /** Events of the slice being dispatched that are still to come. */
  #inSlice = 0;

  static {
    dispatchTo = (client, batch, stillQueued) => client.#dispatch(batch, stillQueued);
  }

  /** @internal Use AgoraRTM.createInstance(). */
  constructor(init: RtmClientInit) {
    super();
    this.#timeouts = { ...SAFETY_TIMEOUTS_MS, ...init.safetyTimeoutsMs };
    this.#backlogHighWaterMark = init.backlogHighWaterMark ?? DEFAULT_BACKLOG_HIGH_WATER_MARK;
    try {
      this.#native = new native.RtmClient(init.spec, init.appId, weakDispatcher(new WeakRef(this)));
    } catch (err) {
      throw fromNativeError(err, 'createInstance');
    }
    COLLECTED.register(this, this.#native, this);
    this.#invitations = new InvitationSet(
      this.#native,
      () => this.#updateKeepAlive(),
      (invitation) => this.emit('RemoteInvitationReceived', invitation),
      () => this.#session(),
      this.#timeouts.invitation,
    );
    this.#channels = new ChannelSet(this.#native, this.#pending, this.#timeouts);
  }

  /** The state of the last onConnectionStateChanged (DISCONNECTED before any, and after release()). */
  get connectionState(): ConnectionState | number {
    return this.#state;
  }

  /**
   * Events received from the SDK that the listeners have not yet been handed (0 after release()).
   * Each is a few dozen bytes plus its strings while it waits; see the 'Backlog' event.
   */
  get pendingEvents(): number {
    if (this.#released) return 0;
    return this.#native.pendingEvents() + this.#inSlice;
  }

  // -------------------------------------------------------------------------------------------
  // Login, logout, token
  // -------------------------------------------------------------------------------------------

  /** Logs in. Resolves on onLoginSuccess; rejects with the SDK's code, or when logout()/release() cuts it off. */
  async login(options: LoginOptions): Promise<void> {
    const ctx: CheckContext = { operation: 'login', cppEnum: 'LOGIN_ERR_CODE' };
    this.#assertAlive('login');
    const opts = checkOptions(options, ctx, 'login options', ['uid', 'token']);
    const uid = checkUserId(opts.uid, ctx, 'uid');
    const token = checkToken(opts.token, ctx);
    const busy = this.#loginIsBusy();
    const rc = this.#call('login', () => this.#native.login(token, uid));
    if (rc !== 0) throw errorFor('login', 'LOGIN_ERR_CODE', rc);
    const { promise, entry } = this.#pending.track<void>('login', 'LOGIN_ERR_CODE', this.#timeouts.login);
    if (busy) {
      this.#busyLogins.push(entry);
      entry.detach = () => removeFrom(this.#busyLogins, entry);
    } else {
      this.#primaryLogin = entry;
      entry.detach = () => {
        if (this.#primaryLogin === entry) this.#primaryLogin = null;
      };
    }
    return promise;
  }

  /** Logs out. Resolves on onLogout(0); cuts off a pending login and every call still waiting for its result. */
  async logout(): Promise<void> {
    this.#assertAlive('logout');
    const rc = this.#call('logout', () => this.#native.logout());
    if (rc !== 0) throw errorFor('logout', 'LOGOUT_ERR_CODE', rc);
    const { promise, entry } = this.#pending.track<void>('logout', 'LOGOUT_ERR_CODE', this.#timeouts.logout);
    this.#logouts.push(entry);
    entry.detach = () => removeFrom(this.#logouts, entry);
    const login = this.#primaryLogin;
    if (login !== null) {
      entry.cutLogin = true;
      this.#pending.settle(
        login,
        new RtmError(
          'login() was cut off by logout() before the SDK answered it; call login() again to log in.',
          { code: LoginErrCode.UNKNOWN, codeName: 'LOGIN_ERR_UNKNOWN', operation: 'login' },
        ),
      );
    }
    return promise;
  }

  /** Renews the token. Resolves on onRenewTokenResult(token, 0). */
  async renewToken(token: string): Promise<void> {
    const ctx: CheckContext = { operation: 'renewToken', cppEnum: 'RENEW_TOKEN_ERR_CODE' };
    this.#assertAlive('renewToken');
    const t = checkSizedString(token, ctx, 'token', { minBytes: 1 });
    const rc = this.#call('renewToken', () => this.#native.renewToken(t));
    if (rc !== 0) throw errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', rc);
    const { promise, entry } = this.#pending.track<void>('renewToken', 'RENEW_TOKEN_ERR_CODE', this.#timeouts.renewToken);
    entry.token = t;
    this.#renewals.push(entry);
    entry.detach = () => removeFrom(this.#renewals, entry);
    return promise;
  }

  // -------------------------------------------------------------------------------------------
  // Peer messages
  // -------------------------------------------------------------------------------------------

  /**
   * Sends a message to a peer (createMessage → sendMessageToPeer → onSendMessageResult).
   * Resolves with `{ hasPeerReceived, code, messageId }` for OK (0, the peer got it),
   * PEER_UNREACHABLE (3, offline) and CACHED_BY_SERVER (4, offline; kept for its next login when
   * `options.enableOfflineMessaging`); rejects with an RtmError for every other code
   * (e.g. TOO_OFTEN, INVALID_USERID, INVALID_MESSAGE, USER_NOT_LOGGED_IN, SENT_TIMEOUT).
   */
  async sendMessageToPeer(message: RtmMessage, peerId: string, options?: SendMessageOptions): Promise<PeerMessageSendResult> {
    const op = 'sendMessageToPeer';
    const ctx: CheckContext = { operation: op, cppEnum: 'PEER_MESSAGE_ERR_CODE' };
    this.#assertAlive(op);
    const msg = checkMessage(message, ctx);
    const peer = checkUserId(peerId, ctx, 'peerId', 'INVALID_USERID');
    const opts = checkSendOptions(options, ctx);
    return this.#request(op, 'PEER_MESSAGE_ERR_CODE', () => this.#native.sendMessageToPeer(peer, msg, opts));
  }

  // -------------------------------------------------------------------------------------------
  // Presence
  // -------------------------------------------------------------------------------------------

  /** Whether each peer is online (at most 256 ids). Only ONLINE counts: the query never reports UNREACHABLE. */
  async queryPeersOnlineStatus(peerIds: string[]): Promise<Record<string, boolean>> {
    const op = 'queryPeersOnlineStatus';
    const ctx: CheckContext = { operation: op, cppEnum: 'QUERY_PEERS_ONLINE_STATUS_ERR' };
    this.#assertAlive(op);
    const ids = checkUserIdArray(peerIds, ctx, 'peerIds', { maxCount: 256 });
    return this.#request(op, 'QUERY_PEERS_ONLINE_STATUS_ERR', () => this.#native.queryPeersOnlineStatus(ids));
  }

  /**
   * Subscribes to the online status of peers (at most 512 per call and 512 in all: OVERFLOW,
   * RtmLimitExceededError). PeersOnlineStatusChanged then reports their current state, and every
   * change. Subscriptions end at logout.
   */
  async subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    const op = 'subscribePeersOnlineStatus';
    const ctx: CheckContext = { operation: op, cppEnum: 'PEER_SUBSCRIPTION_STATUS_ERR' };
    this.#assertAlive(op);
    const ids = checkUserIdArray(peerIds, ctx, 'peerIds', { maxCount: 512, overflowKey: 'OVERFLOW' });
    return this.#request(op, 'PEER_SUBSCRIPTION_STATUS_ERR', () => this.#native.subscribePeersOnlineStatus(ids));
  }

  /** Ends subscriptions made with subscribePeersOnlineStatus. */
  async unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    const op = 'unsubscribePeersOnlineStatus';
    const ctx: CheckContext = { operation: op, cppEnum: 'PEER_SUBSCRIPTION_STATUS_ERR' };
    this.#assertAlive(op);
    const ids = checkUserIdArray(peerIds, ctx, 'peerIds');
    return this.#request(op, 'PEER_SUBSCRIPTION_STATUS_ERR', () => this.#native.unsubscribePeersOnlineStatus(ids));
  }

  /** The peers this client subscribes to with `option` (ONLINE_STATUS). */
  async queryPeersBySubscriptionOption(option: PeerSubscriptionOption): Promise<string[]> {
    const op = 'queryPeersBySubscriptionOption';
    const ctx: CheckContext = { operation: op, cppEnum: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR' };
    this.#assertAlive(op);
    const o = checkEnumMember(option, PeerSubscriptionOption, ctx, 'option', 'PeerSubscriptionOption');
    const value = fromPeerSubscriptionOption(o);
    return this.#request(op, 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR', () => this.#native.queryPeersBySubscriptionOption(value));
  }

  // -------------------------------------------------------------------------------------------
  // User attributes
  // -------------------------------------------------------------------------------------------

  /**
   * Replaces all of this user's attributes. Keys: 1–32 visible ASCII characters; values: 1–8 192
   * bytes; at most 32 attributes and 16 KB in all (SIZE_OVERFLOW beyond). Cleared at logout.
   */
  async setLocalUserAttributes(attributes: Record<string, string>): Promise<void> {
    const op = 'setLocalUserAttributes';
    this.#assertAlive(op);
    const attrs = checkAttributeMap(attributes, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.setLocalUserAttributes(attrs));
  }

  /** Adds attributes of this user, or updates the values of existing keys. Limits as setLocalUserAttributes. */
  async addOrUpdateLocalUserAttributes(attributes: Record<string, string>): Promise<void> {
    const op = 'addOrUpdateLocalUserAttributes';
    this.#assertAlive(op);
    const attrs = checkAttributeMap(attributes, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.addOrUpdateLocalUserAttributes(attrs));
  }

  /** Deletes attributes of this user by key. */
  async deleteLocalUserAttributesByKeys(keys: string[]): Promise<void> {
    const op = 'deleteLocalUserAttributesByKeys';
    this.#assertAlive(op);
    const k = checkAttributeKeys(keys, { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' });
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.deleteLocalUserAttributesByKeys(k));
  }

  /** Deletes every attribute of this user. */
  async clearLocalUserAttributes(): Promise<void> {
    const op = 'clearLocalUserAttributes';
    this.#assertAlive(op);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.clearLocalUserAttributes());
  }

  /** Every attribute of a user (oneself or another online user; USER_NOT_FOUND when offline). */
  async getUserAttributes(userId: string): Promise<Record<string, string>> {
    const op = 'getUserAttributes';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const uid = checkUserId(userId, ctx, 'userId');
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.getUserAttributes(uid));
  }

  /** The attributes of a user with these keys (keys it does not have are left out). */
  async getUserAttributesByKeys(userId: string, keys: string[]): Promise<Record<string, string>> {
    const op = 'getUserAttributesByKeys';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const uid = checkUserId(userId, ctx, 'userId');
    const k = checkAttributeKeys(keys, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.getUserAttributesByKeys(uid, k));
  }

  // -------------------------------------------------------------------------------------------
  // Channels (lib/channel.ts), channel attributes and member counts (lib/channel-attributes.ts)
  // -------------------------------------------------------------------------------------------

  /**
   * A channel object for `channelId` (IRtmService::createChannel); join() it to take part. Ids:
   * 1–64 bytes of a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , ; not
   * "null". A bad id, or the id of a channel object of this client not yet released, throws
   * RtmInvalidArgumentError (JOIN_CHANNEL_ERR_INVALID_ARGUMENT).
   */
  createChannel(channelId: string): RtmChannel {
    this.#assertAlive('createChannel');
    return this.#channels.create(channelId);
  }

  /**
   * Replaces all attributes of a channel (joined or not). Keys: 1–32 visible ASCII characters;
   * values: 1–8 192 bytes; at most 32 attributes and 32 KB per channel (SIZE_OVERFLOW,
   * RtmLimitExceededError). `options.enableNotificationToChannelMembers` sends every member
   * AttributesUpdated with the full set.
   */
  async setChannelAttributes(channelId: string, attributes: Record<string, string>, options?: ChannelAttributeOptions): Promise<void> {
    const op = 'setChannelAttributes';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    const attrs = checkAttributeMap(attributes, ctx);
    const notify = checkChannelAttributeOptions(options, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.setChannelAttributes(id, attrs, notify));
  }

  /** Adds attributes to a channel, or updates the values of existing keys. Limits and options as setChannelAttributes. */
  async addOrUpdateChannelAttributes(
    channelId: string,
    attributes: Record<string, string>,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    const op = 'addOrUpdateChannelAttributes';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    const attrs = checkAttributeMap(attributes, ctx);
    const notify = checkChannelAttributeOptions(options, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.addOrUpdateChannelAttributes(id, attrs, notify));
  }

  /** Deletes attributes of a channel by key (missing keys are no error). */
  async deleteChannelAttributesByKeys(channelId: string, keys: string[], options?: ChannelAttributeOptions): Promise<void> {
    const op = 'deleteChannelAttributesByKeys';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    const k = checkAttributeKeys(keys, ctx);
    const notify = checkChannelAttributeOptions(options, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.deleteChannelAttributesByKeys(id, k, notify));
  }

  /** Deletes every attribute of a channel. */
  async clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    const op = 'clearChannelAttributes';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    const notify = checkChannelAttributeOptions(options, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.clearChannelAttributes(id, notify));
  }

  /** Every attribute of a channel: `{ key: { value, lastUpdateUserId, lastUpdateTs } }`. */
  async getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    const op = 'getChannelAttributes';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.getChannelAttributes(id));
  }

  /** The attributes of a channel with these keys (keys it does not have are left out). */
  async getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes> {
    const op = 'getChannelAttributesByKeys';
    const ctx: CheckContext = { operation: op, cppEnum: 'ATTRIBUTE_OPERATION_ERR' };
    this.#assertAlive(op);
    const id = checkChannelId(channelId, ctx);
    const k = checkAttributeKeys(keys, ctx);
    return this.#request(op, 'ATTRIBUTE_OPERATION_ERR', () => this.#native.getChannelAttributesByKeys(id, k));
  }

  /**
   * The number of members of each channel (joined or not; 0 for a channel nobody is in). At most
   * 32 ids per call (more: EXCEED_LIMIT, RtmLimitExceededError); rate-limited by the SDK (TOO_OFTEN).
   */
  async getChannelMemberCount(channelIds: string[]): Promise<Record<string, number>> {
    const op = 'getChannelMemberCount';
    const ctx: CheckContext = { operation: op, cppEnum: 'GET_CHANNEL_MEMBER_COUNT_ERR_CODE' };
    this.#assertAlive(op);
    const ids = checkMemberCountChannelIds(channelIds, ctx);
    return this.#request(op, 'GET_CHANNEL_MEMBER_COUNT_ERR_CODE', () => this.#native.getChannelMemberCount(ids));
  }

  // -------------------------------------------------------------------------------------------
  // Call invitations (lib/invitation.ts)
  // -------------------------------------------------------------------------------------------

  /**
   * A new call invitation to `calleeId` (IRtmCallManager::createLocalCallInvitation). Set its
   * `content` / `channelId`, then send() it. A bad callee id throws RtmInvitationError
   * (INVALID_ARGUMENT).
   */
  createLocalInvitation(calleeId: string): LocalInvitation {
    this.#assertAlive('createLocalInvitation');
    return this.#invitations.createLocal(calleeId);
  }

  // -------------------------------------------------------------------------------------------
  // Settings
  // -------------------------------------------------------------------------------------------

  /** IRtmService::setParameters with an object (sent as JSON) or a JSON string. Throws on a non-zero return. */
  setParameters(params: Record<string, unknown> | string): void {
    this.#assertAlive('setParameters');
    const json = checkParameters(params, { operation: 'setParameters' }, 'params');
    this.#syncResult('setParameters', this.#call('setParameters', () => this.#native.setParameters(json)));
  }

  /** IRtmService::setLogFile: an absolute path in an existing, writable directory. Throws on a non-zero return. */
  setLogFile(path: string): void {
    this.#assertAlive('setLogFile');
    const p = checkSizedString(path, { operation: 'setLogFile' }, 'path', { minBytes: 1 });
    this.#syncResult('setLogFile', this.#call('setLogFile', () => this.#native.setLogFile(p)));
  }

  /** IRtmService::setLogFilter. Throws on a non-zero return. */
  setLogFilter(filter: LogFilter): void {
    this.#assertAlive('setLogFilter');
    const f = checkEnumMember(filter, LogFilter, { operation: 'setLogFilter' }, 'filter', 'LogFilter');
    const value = fromLogFilter(f);
    this.#syncResult('setLogFilter', this.#call('setLogFilter', () => this.#native.setLogFilter(value)));
  }

  /** IRtmService::setLogFileSize in KB (the SDK ignores values outside 512..10240). Throws on a non-zero return. */
  setLogFileSize(kilobytes: number): void {
    this.#assertAlive('setLogFileSize');
    const kb = checkInteger(kilobytes, { operation: 'setLogFileSize' }, 'kilobytes', { min: 1 });
    this.#syncResult('setLogFileSize', this.#call('setLogFileSize', () => this.#native.setLogFileSize(kb)));
  }

  // -------------------------------------------------------------------------------------------
  // Lifetime
  // -------------------------------------------------------------------------------------------

  /**
   * Releases the service. Idempotent. Every pending call rejects with RtmReleasedError; every
   * later call rejects (async methods) or throws (sync methods) RtmReleasedError.
   */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    HELD.delete(this);
    COLLECTED.unregister(this);
    this.#pending.rejectAll(
      (entry) => new RtmReleasedError(entry.operation, `${entry.operation}() was cut off by release() before the SDK answered it.`),
    );
    this.#state = ConnectionState.DISCONNECTED;
    this.#channels.releaseAll();
    this.#invitations.releaseAll();
    try {
      this.#native.release();
    } catch (err) {
      throw fromNativeError(err, 'release');
    }
  }

  /** `await using client = AgoraRTM.createInstance(…)` releases it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  /** Lets a logged-in client (or one with calls pending) keep the process alive (the default). */
  ref(): this {
    this.#assertAlive('ref');
    this.#userUnref = false;
    this.#updateKeepAlive();
    return this;
  }

  /** A logged-in client no longer keeps the process alive (a pending call still does, until it settles). */
  unref(): this {
    this.#assertAlive('unref');
    this.#userUnref = true;
    this.#updateKeepAlive();
    return this;
  }

  // -------------------------------------------------------------------------------------------
  // Pending calls
  // -------------------------------------------------------------------------------------------

  /**
   * Makes a request whose result callback carries the id the SDK wrote: a non-zero synchronous
   * result rejects at once; 0 leaves the call pending under that id.
   */
  #request<T>(operation: Operation, cppEnum: CppEnumName, fn: () => Accepted): Promise<T> {
    const [rc, id] = this.#call(operation, fn);
    if (rc !== 0) throw errorFor(operation, cppEnum, rc);
    return this.#pending.trackId<T>(id, operation, cppEnum, this.#timeouts[operation]);
  }

  /** Settles with `value` for code 0, else rejects with the code's error. */
  #settleWithCode(entry: PendingCall, code: number, value?: unknown): void {
    this.#pending.settle(entry, code === 0 ? undefined : errorFor(entry.operation, entry.cppEnum, code), value);
  }

  /**
   * Rejects every call that waits for an id-carrying result, and every renewToken: the SDK will
   * not answer them now.
   */
  #cutOffIdCalls(why: CutOff): void {
    this.#channels.cutOff(CUT_OFF_TEXT[why]); // channel calls too (matched in order or by message id)
    // renewToken too: made while CONNECTING, the real SDK never answers it (rtm-abi.md §8.1).
    for (const renewal of [...this.#renewals]) {
      this.#pending.settle(renewal, errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', 102, CUT_OFF_TEXT[why]));
    }
    if (this.#pending.idCount === 0) return;
    this.#pending.rejectIdCalls((entry) => {
      const code = 102; // USER_NOT_LOGGED_IN in every enum of these calls
      return errorFor(entry.operation, entry.cppEnum, code, CUT_OFF_TEXT[why]);
    });
  }

  /** Where the session is, as the SDK sees it: LocalInvitation.send depends on it. */
  #session(): SessionState {
    if (this.#state === ConnectionState.CONNECTING || this.#primaryLogin !== null) return 'connecting';
    return this.#state === ConnectionState.DISCONNECTED ? 'none' : 'connected';
  }

  /** Whether the SDK will answer a login now with onLoginFailure(ALREADY_LOGGED_IN). */
  #loginIsBusy(): boolean {
    if (this.#primaryLogin !== null) return true;
    // A logout the SDK accepted comes first: the SDK is DISCONNECTED when it reaches this login.
    if (this.#logouts.length > 0) return false;
    return BUSY_LOGIN_STATES.has(this.#state);
  }

  // -------------------------------------------------------------------------------------------
  // The dispatcher: every SDK event, in arrival order
  // -------------------------------------------------------------------------------------------

  #dispatch(batch: NativeEvent[], stillQueued: number): void {
    const waiting = batch.length + stillQueued;
    this.#inSlice = batch.length;
    if (this.#backlogToAnnounce(waiting)) guardListeners(() => this.emit('Backlog', waiting));
    for (const event of batch) {
      if (this.#released) return; // a listener may have released the client
      this.#inSlice -= 1;
      guardListeners(() => this.#handle(event));
    }
  }

  /** True once the events waiting reach the high-water mark; again after a drain to half of it. */
  #backlogToAnnounce(waiting: number): boolean {
    if (this.#backlogWarned) {
      if (waiting <= this.#backlogHighWaterMark / 2) this.#backlogWarned = false;
      return false;
    }
    if (waiting < this.#backlogHighWaterMark) return false;
    this.#backlogWarned = true;
    return true;
  }

  #handle(event: NativeEvent): void {
    switch (event[0]) {
      case EventKind.LoginSuccess:
        this.#onLoginResult(0);
        break;
      case EventKind.LoginFailure:
        this.#onLoginResult(event[1]);
        break;
      case EventKind.RenewTokenResult:
        this.#onRenewTokenResult(event[1], event[2]);
        break;
      case EventKind.TokenExpired:
        this.emit('TokenExpired');
        break;
      case EventKind.Logout:
        this.#onLogout(event[1]);
        break;
      case EventKind.ConnectionStateChanged: {
        const state = toConnectionState(event[1]);
        const reason = toConnectionChangeReason(event[2]);
        this.#state = state;
        if (state === ConnectionState.DISCONNECTED) {
          this.#cutOffIdCalls(reason === ConnectionChangeReason.LOGOUT ? 'logout' : 'loginFailure');
          this.#invitations.cutOff();
        } else if (state === ConnectionState.ABORTED) {
          this.#cutOffIdCalls('aborted');
          this.#invitations.cutOff();
        }
        this.#updateKeepAlive();
        this.emit('ConnectionStateChanged', state, reason);
        break;
      }
      case EventKind.SendMessageResult:
        this.#onSendMessageResult(event[1], event[2]);
        break;
      case EventKind.MessageFromPeer: {
        const { message, props } = fromNativeMessage(event[2]);
        this.emit('MessageFromPeer', message, event[1], props);
        break;
      }
      case EventKind.QueryPeersOnlineStatusResult: {
        const entry = this.#pending.find(event[1], ['queryPeersOnlineStatus']);
        if (entry === undefined) break;
        const code = event[3];
        this.#settleWithCode(entry, code, code === 0 ? toRecord(event[2].map(([peer, s]) => [peer, s === NATIVE_PEER_ONLINE] as const)) : undefined);
        break;
      }
      case EventKind.SubscriptionRequestResult:
        this.#onResult(event[1], ['subscribePeersOnlineStatus', 'unsubscribePeersOnlineStatus'], event[2]);
        break;
      case EventKind.QueryPeersBySubscriptionOptionResult: {
        const entry = this.#pending.find(event[1], ['queryPeersBySubscriptionOption']);
        if (entry !== undefined) this.#settleWithCode(entry, event[3], event[3] === 0 ? [...event[2]] : undefined);
        break;
      }
      case EventKind.PeersOnlineStatusChanged:
        this.emit('PeersOnlineStatusChanged', peerStates(event[1]));
        break;
      case EventKind.SetLocalUserAttributesResult:
        this.#onResult(event[1], ['setLocalUserAttributes'], event[2]);
        break;
      case EventKind.AddOrUpdateLocalUserAttributesResult:
        this.#onResult(event[1], ['addOrUpdateLocalUserAttributes'], event[2]);
        break;
      case EventKind.DeleteLocalUserAttributesResult:
        this.#onResult(event[1], ['deleteLocalUserAttributesByKeys'], event[2]);
        break;
      case EventKind.ClearLocalUserAttributesResult:
        this.#onResult(event[1], ['clearLocalUserAttributes'], event[2]);
        break;
      case EventKind.GetUserAttributesResult: {
        const entry = this.#pending.find(event[1], ['getUserAttributes', 'getUserAttributesByKeys']);
        if (entry !== undefined) this.#settleWithCode(entry, event[4], event[4] === 0 ? toRecord(event[3]) : undefined);
        break;
      }
      case EventKind.SetChannelAttributesResult:
        this.#onResult(event[1], ['setChannelAttributes'], event[2]);
        break;
      case EventKind.AddOrUpdateChannelAttributesResult:
        this.#onResult(event[1], ['addOrUpdateChannelAttributes'], event[2]);
        break;
      case EventKind.DeleteChannelAttributesResult:
        this.#onResult(event[1], ['deleteChannelAttributesByKeys'], event[2]);
        break;
      case EventKind.ClearChannelAttributesResult:
        this.#onResult(event[1], ['clearChannelAttributes'], event[2]);
        break;
      case EventKind.GetChannelAttributesResult: {
        const entry = this.#pending.find(event[1], ['getChannelAttributes', 'getChannelAttributesByKeys']);
        if (entry !== undefined) this.#settleWithCode(entry, event[3], event[3] === 0 ? toChannelAttributes(event[2]) : undefined);
        break;
      }
      case EventKind.GetChannelMemberCountResult: {
        const entry = this.#pending.find(event[1], ['getChannelMemberCount']);
        if (entry !== undefined) this.#settleWithCode(entry, event[3], event[3] === 0 ? toMemberCounts(event[2]) : undefined);
        break;
      }
      default:
        // 18–27 by channel ref; 40–49 invitations; false (ignored) for a kind of a later slice
        if (!this.#channels.handle(event)) this.#invitations.handle(event);
        break;
    }
  }

  /** A result that carries only an id and a code (0 resolves with undefined). */
  #onResult(id: bigint, operations: readonly Operation[], code: number): void {
    const entry = this.#pending.find(id, operations);
    if (entry !== undefined) this.#settleWithCode(entry, code);
  }

  #onSendMessageResult(messageId: bigint, code: number): void {
    const entry = this.#pending.find(messageId, ['sendMessageToPeer']);
    if (entry === undefined) return;
    if (PEER_MESSAGE_RESOLVING_CODES.has(code)) {
      const result: PeerMessageSendResult = { hasPeerReceived: code === PeerMessageErrCode.OK, code, messageId };
      this.#pending.settle(entry, undefined, result);
    } else {
      this.#pending.settle(entry, errorFor(entry.operation, entry.cppEnum, code));
    }
  }

  #onLoginResult(code: number): void {
    if (code === LoginErrCode.ALREADY_LOGGED_IN && this.#busyLogins.length > 0) {
      this.#settleWithCode(this.#busyLogins[0]!, code);
      return;
    }
    // The result of a login that a logout cut off (it was answered before the logout was).
    if (this.#logouts.some((l) => l.cutLogin === true)) return;
    const login = this.#primaryLogin;
    if (code !== 0) this.#cutOffIdCalls('loginFailure');
    if (login !== null) this.#settleWithCode(login, code);
    else if (code !== 0) this.#emitError(errorFor('login', 'LOGIN_ERR_CODE', code, 'No login() call was waiting for this result.'));
  }

  #onLogout(code: number): void {
    if (code === 0) this.#cutOffIdCalls('logout');
    const logout = this.#logouts[0];
    if (logout !== undefined) this.#settleWithCode(logout, code);
    else if (code !== 0) this.#emitError(errorFor('logout', 'LOGOUT_ERR_CODE', code, 'No logout() call was waiting for this result.'));
  }

  #onRenewTokenResult(token: string, code: number): void {
    const renewal = this.#renewals.find((r) => r.token === token) ?? this.#renewals[0];
    if (renewal !== undefined) this.#settleWithCode(renewal, code);
    else if (code !== 0) {
      this.#emitError(errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', code, 'No renewToken() call was waiting for this result.'));
    }
  }

  #emitError(err: RtmError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------

  /**
   * Like a socket: logged in (CONNECTING … ABORTED), with calls pending or with invitations in
   * progress, the client keeps the process alive, unless unref()'d; an unref'd client never does.
   */
  #updateKeepAlive(): void {
    if (this.#released) return;
    const busy = this.#pending.size > 0 || this.#invitations.active > 0 || KEEP_ALIVE_STATES.has(this.#state);
    if (busy) HELD.add(this);
    else HELD.delete(this);
    const want = !this.#userUnref && busy;
    if (want === this.#nativeRefd) return;
    this.#nativeRefd = want;
    if (want) this.#native.ref();
    else this.#native.unref();
  }

  #assertAlive(operation: string): void {
    if (this.#released) throw new RtmReleasedError(operation);
  }

  #call<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw fromNativeError(err, operation);
    }
  }

  #syncResult(operation: string, rc: number): void {
    if (rc === 0) return;
    throw new RtmError(
      `${operation}() failed: the SDK returned ${rc}; check the argument against the SDK's documentation and the SDK log.`,
      { code: LocalErrCode.SDK_CALL_FAILED, codeName: localCodeName(LocalErrCode.SDK_CALL_FAILED), operation, sdkResult: rc },
    );
  }
}

/** NativePeerStatus[] → { peerId: PeerOnlineState } (unknown values stay numbers). */
function peerStates(statuses: NativePeerStatus[]): Record<string, PeerOnlineState | number> {
  return toRecord(statuses.map(([peer, state]) => [peer, toPeerOnlineState(state)] as const));
}
