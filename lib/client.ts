// RtmClient: one native client (one IRtmService), its pending calls, their safety timeouts,
// keep-alive (ref/unref) and the one dispatcher for every SDK event. The checks and native calls
// of the requests matched by id live in client-peer-messages.ts, client-presence.ts and
// client-attributes.ts, the calls answered in order (login, logout, renewToken) in
// client-session-calls.ts, the settings in client-settings.ts, so that this class keeps to the
// client's state and its order of events.
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
import { toConnectionChangeReason, toConnectionState, type CppEnumName } from './codes';
import * as attributeRequests from './client-attributes';
import type { RtmClientEvents } from './client-events';
import { handlePeerMessageEvent, sendMessageToPeer, settleSendMessageResult } from './client-peer-messages';
import * as presenceRequests from './client-presence';
import type { Operation, RequestContext } from './client-requests';
import { SessionCalls } from './client-session-calls';
import * as settings from './client-settings';
import { ConnectionChangeReason, ConnectionState, LogFilter, type PeerSubscriptionOption } from './enums';
import { RtmReleasedError, errorFor, fromNativeError, type RtmError } from './errors';
import type { PeerMessageSendResult, ReceivedMessageProperties, ReceivedRtmMessage, RtmMessage, SendMessageOptions } from './messages';
import { EventKind, native, type Accepted, type BackendSpec, type Dispatch, type NativeEvent, type RtmClient as NativeClient } from './native';
import { CHANNEL_MESSAGE_ENTRY, PEER_MESSAGE, SEND_RESULT, decodeForDispatch, dispatchEnd } from './event-decoder';
import { PendingRegistry } from './pending';
import { SendFlush } from './send-flush';
import { emitMessageFromPeer } from './fast-emit';
import { InvitationSet, type LocalInvitation, type SessionState } from './invitation';
import { ChannelSet, type RtmChannel } from './channel';
import type { ChannelAttributeOptions, ChannelAttributes } from './channel-attributes';
import { SAFETY_TIMEOUTS_MS, type SafetyTimeouts } from './safety-timeouts';
import { COLLECTED, HELD, KEEP_ALIVE_STATES, guardListeners } from './client-lifetime';
import { checkOptions, checkSizedString, checkToken, checkUserId, type CheckContext } from './validate';

export { SAFETY_TIMEOUTS_MS, type SafetyTimeouts } from './safety-timeouts';
export type { RtmClientEvents } from './client-events';

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

let dispatchTo: (client: RtmClient, list: unknown[], end: number, count: number, stillQueued: number) => void;

// The list a slice is decoded into, reused from slice to slice (no array grown per slice); null
// while in use, should a listener spin a nested event loop that delivers another slice.
let spareList: unknown[] | null = [];

// A module-level function, so that the closure's context holds the WeakRef and nothing else.
function weakDispatcher(client: WeakRef<RtmClient>): Dispatch {
  return (slice, stillQueued, byteLength) => {
    const target = client.deref();
    if (target === undefined) return;
    const list = spareList ?? [];
    spareList = null;
    const count = decodeForDispatch(slice, byteLength, list, 0);
    const end = dispatchEnd();
    try {
      dispatchTo(target, list, end, count, stillQueued);
    } finally {
      // Nothing of this slice is kept alive by the list until the next one.
      list.fill(undefined, 0, end);
      spareList = list;
    }
  };
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
  /** login, logout and renewToken: answered in order (client-session-calls.ts). */
  readonly #session: SessionCalls;
  /** Call invitations in progress: their events, and keep-alive while any is. */
  readonly #invitations: InvitationSet;
  /** Channel objects: their events, their calls (in #pending) and their release. */
  readonly #channels: ChannelSet;
  readonly #backlogHighWaterMark: number;
  /** 'Backlog' was emitted and the backlog has not drained to half the mark since. */
  #backlogWarned = false;
  /** Events of the slice being dispatched that are still to come. */
  #inSlice = 0;
  /** What the request helpers (client-peer-messages.ts, client-presence.ts, client-attributes.ts) use. */
  readonly #requests: RequestContext;

  static {
    dispatchTo = (client, list, end, count, stillQueued) => client.#dispatch(list, end, count, stillQueued);
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
      () => this.#sessionState(),
      this.#timeouts.invitation,
    );
    const sends = new SendFlush(this.#native, init.spec.backend === 'emulator');
    this.#channels = new ChannelSet(this.#native, this.#pending, this.#timeouts, sends);
    this.#session = new SessionCalls({
      pending: this.#pending,
      timeouts: this.#timeouts,
      cutOff: (why) => this.#cutOffIdCalls(why),
      emitError: (err) => this.#emitError(err),
    });
    this.#requests = {
      native: this.#native,
      sends,
      assertAlive: (operation) => this.#assertAlive(operation),
      request: (operation, cppEnum, fn) => this.#request(operation, cppEnum, fn),
      accepted: (operation, cppEnum, answer) => this.#accepted(operation, cppEnum, answer),
    };
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
    const busy = this.#session.loginIsBusy(this.#state);
    const rc = this.#call('login', () => this.#native.login(token, uid));
    if (rc !== 0) throw errorFor('login', 'LOGIN_ERR_CODE', rc);
    return this.#session.trackLogin(busy);
  }

  /** Logs out. Resolves on onLogout(0); cuts off a pending login and every call still waiting for its result. */
  async logout(): Promise<void> {
    this.#assertAlive('logout');
    const rc = this.#call('logout', () => this.#native.logout());
    if (rc !== 0) throw errorFor('logout', 'LOGOUT_ERR_CODE', rc);
    return this.#session.trackLogout();
  }

  /** Renews the token. Resolves on onRenewTokenResult(token, 0). */
  async renewToken(token: string): Promise<void> {
    const ctx: CheckContext = { operation: 'renewToken', cppEnum: 'RENEW_TOKEN_ERR_CODE' };
    this.#assertAlive('renewToken');
    const t = checkSizedString(token, ctx, 'token', { minBytes: 1 });
    const rc = this.#call('renewToken', () => this.#native.renewToken(t));
    if (rc !== 0) throw errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', rc);
    return this.#session.trackRenewal(t);
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
  sendMessageToPeer(message: RtmMessage, peerId: string, options?: SendMessageOptions): Promise<PeerMessageSendResult> {
    // Not an async function (whose promise would wrap this one): a failed check rejects as one would.
    try {
      return sendMessageToPeer(this.#requests, message, peerId, options);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Presence
  // -------------------------------------------------------------------------------------------

  /** Whether each peer is online (at most 256 ids). Only ONLINE counts: the query never reports UNREACHABLE. */
  async queryPeersOnlineStatus(peerIds: string[]): Promise<Record<string, boolean>> {
    return presenceRequests.queryPeersOnlineStatus(this.#requests, peerIds);
  }

  /**
   * Subscribes to the online status of peers (at most 512 per call and 512 in all: OVERFLOW,
   * RtmLimitExceededError). PeersOnlineStatusChanged then reports their current state, and every
   * change. Subscriptions end at logout.
   */
  async subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return presenceRequests.subscribePeersOnlineStatus(this.#requests, peerIds);
  }

  /** Ends subscriptions made with subscribePeersOnlineStatus. */
  async unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return presenceRequests.unsubscribePeersOnlineStatus(this.#requests, peerIds);
  }

  /** The peers this client subscribes to with `option` (ONLINE_STATUS). */
  async queryPeersBySubscriptionOption(option: PeerSubscriptionOption): Promise<string[]> {
    return presenceRequests.queryPeersBySubscriptionOption(this.#requests, option);
  }

  // -------------------------------------------------------------------------------------------
  // User attributes
  // -------------------------------------------------------------------------------------------

  /**
   * Replaces all of this user's attributes. Keys: 1–32 visible ASCII characters; values: 1–8 192
   * bytes; at most 32 attributes and 16 KB in all (SIZE_OVERFLOW beyond). Cleared at logout.
   */
  async setLocalUserAttributes(attributes: Record<string, string>): Promise<void> {
    return attributeRequests.setLocalUserAttributes(this.#requests, attributes);
  }

  /** Adds attributes of this user, or updates the values of existing keys. Limits as setLocalUserAttributes. */
  async addOrUpdateLocalUserAttributes(attributes: Record<string, string>): Promise<void> {
    return attributeRequests.addOrUpdateLocalUserAttributes(this.#requests, attributes);
  }

  /** Deletes attributes of this user by key. */
  async deleteLocalUserAttributesByKeys(keys: string[]): Promise<void> {
    return attributeRequests.deleteLocalUserAttributesByKeys(this.#requests, keys);
  }

  /** Deletes every attribute of this user. */
  async clearLocalUserAttributes(): Promise<void> {
    return attributeRequests.clearLocalUserAttributes(this.#requests);
  }

  /** Every attribute of a user (oneself or another online user; USER_NOT_FOUND when offline). */
  async getUserAttributes(userId: string): Promise<Record<string, string>> {
    return attributeRequests.getUserAttributes(this.#requests, userId);
  }

  /** The attributes of a user with these keys (keys it does not have are left out). */
  async getUserAttributesByKeys(userId: string, keys: string[]): Promise<Record<string, string>> {
    return attributeRequests.getUserAttributesByKeys(this.#requests, userId, keys);
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
    return attributeRequests.setChannelAttributes(this.#requests, channelId, attributes, options);
  }

  /** Adds attributes to a channel, or updates the values of existing keys. Limits and options as setChannelAttributes. */
  async addOrUpdateChannelAttributes(
    channelId: string,
    attributes: Record<string, string>,
    options?: ChannelAttributeOptions,
  ): Promise<void> {
    return attributeRequests.addOrUpdateChannelAttributes(this.#requests, channelId, attributes, options);
  }

  /** Deletes attributes of a channel by key (missing keys are no error). */
  async deleteChannelAttributesByKeys(channelId: string, keys: string[], options?: ChannelAttributeOptions): Promise<void> {
    return attributeRequests.deleteChannelAttributesByKeys(this.#requests, channelId, keys, options);
  }

  /** Deletes every attribute of a channel. */
  async clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    return attributeRequests.clearChannelAttributes(this.#requests, channelId, options);
  }

  /** Every attribute of a channel: `{ key: { value, lastUpdateUserId, lastUpdateTs } }`. */
  async getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    return attributeRequests.getChannelAttributes(this.#requests, channelId);
  }

  /** The attributes of a channel with these keys (keys it does not have are left out). */
  async getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes> {
    return attributeRequests.getChannelAttributesByKeys(this.#requests, channelId, keys);
  }

  /**
   * The number of members of each channel (joined or not; 0 for a channel nobody is in). At most
   * 32 ids per call (more: EXCEED_LIMIT, RtmLimitExceededError); rate-limited by the SDK (TOO_OFTEN).
   */
  async getChannelMemberCount(channelIds: string[]): Promise<Record<string, number>> {
    return attributeRequests.getChannelMemberCount(this.#requests, channelIds);
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
    settings.setParameters(this.#native, params);
  }

  /** IRtmService::setLogFile: an absolute path in an existing, writable directory. Throws on a non-zero return. */
  setLogFile(path: string): void {
    this.#assertAlive('setLogFile');
    settings.setLogFile(this.#native, path);
  }

  /** IRtmService::setLogFilter. Throws on a non-zero return. */
  setLogFilter(filter: LogFilter): void {
    this.#assertAlive('setLogFilter');
    settings.setLogFilter(this.#native, filter);
  }

  /** IRtmService::setLogFileSize in KB (the SDK ignores values outside 512..10240). Throws on a non-zero return. */
  setLogFileSize(kilobytes: number): void {
    this.#assertAlive('setLogFileSize');
    settings.setLogFileSize(this.#native, kilobytes);
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
    return this.#accepted(operation, cppEnum, this.#call(operation, fn));
  }

  /** A native call's answer: a number is an accepted call's id; an Accepted is [result, id]. */
  #accepted<T>(operation: Operation, cppEnum: CppEnumName, answer: number | Accepted): Promise<T> {
    if (typeof answer === 'number') return this.#pending.trackNumber<T>(answer, operation, cppEnum, this.#timeouts[operation]);
    const [rc, id] = answer;
    if (rc !== 0) throw errorFor(operation, cppEnum, rc);
    return this.#pending.trackId<T>(id, operation, cppEnum, this.#timeouts[operation]);
  }

  /**
   * Rejects every call that waits for an id-carrying result, and every renewToken: the SDK will
   * not answer them now.
   */
  #cutOffIdCalls(why: CutOff): void {
    this.#channels.cutOff(CUT_OFF_TEXT[why]); // channel calls too (matched in order or by message id)
    this.#session.cutOffRenewals(CUT_OFF_TEXT[why]);
    if (this.#pending.idCount === 0) return;
    this.#pending.rejectIdCalls((entry) => {
      const code = 102; // USER_NOT_LOGGED_IN in every enum of these calls
      return errorFor(entry.operation, entry.cppEnum, code, CUT_OFF_TEXT[why]);
    });
  }

  /** Where the session is, as the SDK sees it: LocalInvitation.send depends on it. */
  #sessionState(): SessionState {
    if (this.#state === ConnectionState.CONNECTING || this.#session.loginPending) return 'connecting';
    return this.#state === ConnectionState.DISCONNECTED ? 'none' : 'connected';
  }

  // -------------------------------------------------------------------------------------------
  // The dispatcher: every SDK event, in arrival order
  // -------------------------------------------------------------------------------------------

  /** `list` up to `end`: decodeForDispatch's `count` events (MessageFromPeer, ChannelMessage and SendMessageResult on paths of their own). */
  #dispatch(list: unknown[], end: number, count: number, stillQueued: number): void {
    const waiting = count + stillQueued;
    this.#inSlice = count;
    if (this.#backlogToAnnounce(waiting)) guardListeners(() => this.emit('Backlog', waiting));
    // As guardListeners does per event, without a closure per event: a listener that throws is
    // reported on the next tick and the rest of the slice still goes out.
    let i = 0;
    while (i < end) {
      try {
        while (i < end) {
          if (this.#released) return; // a listener may have released the client
          const item = list[i];
          this.#inSlice -= 1;
          if (item === PEER_MESSAGE) {
            const message = list[i + 1] as ReceivedRtmMessage;
            const peerId = list[i + 2] as string;
            const props = list[i + 3] as ReceivedMessageProperties;
            i += 4;
            emitMessageFromPeer(this, message, peerId, props);
          } else if (item === CHANNEL_MESSAGE_ENTRY) {
            const ref = list[i + 1] as number;
            const message = list[i + 2] as ReceivedRtmMessage;
            const memberId = list[i + 3] as string;
            const props = list[i + 4] as ReceivedMessageProperties;
            i += 5;
            this.#channels.emitMessage(ref, message, memberId, props);
          } else if (item === SEND_RESULT) {
            const key = list[i + 1] as number | bigint;
            const code = list[i + 2] as number;
            i += 3;
            settleSendMessageResult(this.#pending, key, code);
          } else {
            i += 1;
            this.#handle(item as NativeEvent);
          }
        }
      } catch (err) {
        process.nextTick(() => {
          throw err;
        });
      }
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
        this.#session.onLoginResult(0);
        break;
      case EventKind.LoginFailure:
        this.#session.onLoginResult(event[1]);
        break;
      case EventKind.RenewTokenResult:
        this.#session.onRenewTokenResult(event[1], event[2]);
        break;
      case EventKind.TokenExpired:
        this.emit('TokenExpired');
        break;
      case EventKind.Logout:
        this.#session.onLogout(event[1]);
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
      default:
        // Results matched by id and peer pushes (client-peer-messages.ts, client-presence.ts,
        // client-attributes.ts); 18–27 by channel ref; 40–49 invitations; false (ignored) for a
        // kind of a later slice
        if (handlePeerMessageEvent(event, this.#pending, this)) break;
        if (presenceRequests.handlePresenceEvent(event, this.#pending, this)) break;
        if (attributeRequests.handleAttributeEvent(event, this.#pending)) break;
        if (!this.#channels.handle(event)) this.#invitations.handle(event);
        break;
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
}

