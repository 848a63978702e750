// The contract with the C++ addon: exactly what binding/*.cpp exports, nothing more.
// Every other module reaches native code through this file.
import * as path from 'node:path';
import load = require('node-gyp-build');

/** Which library provides createRtmService / getRtmSdkVersion. */
export type BackendSpec =
  | { backend: 'agora'; candidates: string[] } // tried in order with dlopen
  | { backend: 'emulator' }; // the emulator compiled into the addon

/** One failed attempt to load the real SDK. */
export interface SdkAttempt {
  path: string;
  reason: string;
}

/**
 * Thrown (as a plain Error) by getSdkVersion / the RtmClient constructor when no candidate
 * could be loaded: `code === 'ERR_RTM_SDK_NOT_FOUND'`, with every attempt listed.
 */
export interface NativeSdkNotFound extends Error {
  code: 'ERR_RTM_SDK_NOT_FOUND';
  attempts: SdkAttempt[];
}

/** Thrown by the RtmClient constructor when IRtmService::initialize returns non-zero. */
export interface NativeInitError extends Error {
  code: 'ERR_RTM_INIT';
  initCode: number;
}

/**
 * Events from SDK callbacks, in arrival order. Each is an array whose first element is the
 * kind; the rest are the callback's arguments, copied out of SDK memory.
 * 64-bit ids arrive as bigint.
 */
export const EventKind = {
  LoginSuccess: 1, // []
  LoginFailure: 2, // [code]
  RenewTokenResult: 3, // [token, code]
  TokenExpired: 4, // []
  Logout: 5, // [code]
  ConnectionStateChanged: 6, // [state, reason]
  SendMessageResult: 7, // [messageId: bigint, code]
  MessageFromPeer: 8, // [peerId, message: NativeMessage]
  QueryPeersOnlineStatusResult: 9, // [requestId: bigint, statuses: NativePeerStatus[], code]
  SubscriptionRequestResult: 10, // [requestId: bigint, code]
  QueryPeersBySubscriptionOptionResult: 11, // [requestId: bigint, peerIds: string[], code]
  PeersOnlineStatusChanged: 12, // [statuses: NativePeerStatus[]]
  SetLocalUserAttributesResult: 13, // [requestId: bigint, code]
  AddOrUpdateLocalUserAttributesResult: 14, // [requestId: bigint, code]
  DeleteLocalUserAttributesResult: 15, // [requestId: bigint, code]
  ClearLocalUserAttributesResult: 16, // [requestId: bigint, code]
  GetUserAttributesResult: 17, // [requestId: bigint, userId, attributes: [key, value][], code]
  // IChannelEventHandler of one channel, named by its RtmChannel's numeric `ref` (below).
  JoinSuccess: 18, // [channelRef]
  JoinFailure: 19, // [channelRef, JOIN_CHANNEL_ERR]
  Leave: 20, // [channelRef, LEAVE_CHANNEL_ERR]
  ChannelMessage: 21, // [channelRef, userId, message: NativeMessage]
  ChannelSendMessageResult: 22, // [channelRef, messageId: bigint, CHANNEL_MESSAGE_ERR_CODE]
  MemberJoined: 23, // [channelRef, userId]
  MemberLeft: 24, // [channelRef, userId]
  GetMembers: 25, // [channelRef, userIds: string[], GET_MEMBERS_ERR]
  AttributesUpdated: 26, // [channelRef, attributes: NativeChannelAttribute[]]
  MemberCountUpdated: 27, // [channelRef, count]
  // IRtmServiceEventHandler: channel attributes and member counts.
  SetChannelAttributesResult: 28, // [requestId: bigint, code]
  AddOrUpdateChannelAttributesResult: 29, // [requestId: bigint, code]
  DeleteChannelAttributesResult: 30, // [requestId: bigint, code]
  ClearChannelAttributesResult: 31, // [requestId: bigint, code]
  GetChannelAttributesResult: 32, // [requestId: bigint, attributes: NativeChannelAttribute[], code]
  GetChannelMemberCountResult: 33, // [requestId: bigint, counts: [channelId, count][], code]
  // 34–39: free.
  // IRtmCallEventHandler. Invitations are named by the numeric ids of the LocalInvitation /
  // RemoteInvitation objects below.
  LocalInvitationReceivedByPeer: 40, // [localId]
  LocalInvitationCanceled: 41, // [localId]
  LocalInvitationFailure: 42, // [localId, LOCAL_INVITATION_ERR_CODE]
  LocalInvitationAccepted: 43, // [localId, response]
  LocalInvitationRefused: 44, // [localId, response]
  RemoteInvitationRefused: 45, // [remoteId]
  RemoteInvitationAccepted: 46, // [remoteId]
  RemoteInvitationReceived: 47, // [remoteId, callerId, content, channelId, REMOTE_INVITATION_STATE]
  RemoteInvitationFailure: 48, // [remoteId, REMOTE_INVITATION_ERR_CODE]
  RemoteInvitationCanceled: 49, // [remoteId, content]
} as const;
export type EventKindValue = (typeof EventKind)[keyof typeof EventKind];

export type NativeEvent =
  | [typeof EventKind.LoginSuccess]
  | [typeof EventKind.LoginFailure, number]
  | [typeof EventKind.RenewTokenResult, string, number]
  | [typeof EventKind.TokenExpired]
  | [typeof EventKind.Logout, number]
  | [typeof EventKind.ConnectionStateChanged, number, number]
  | [typeof EventKind.SendMessageResult, bigint, number]
  | [typeof EventKind.MessageFromPeer, string, NativeMessage]
  | [typeof EventKind.QueryPeersOnlineStatusResult, bigint, NativePeerStatus[], number]
  | [typeof EventKind.SubscriptionRequestResult, bigint, number]
  | [typeof EventKind.QueryPeersBySubscriptionOptionResult, bigint, string[], number]
  | [typeof EventKind.PeersOnlineStatusChanged, NativePeerStatus[]]
  | [typeof EventKind.SetLocalUserAttributesResult, bigint, number]
  | [typeof EventKind.AddOrUpdateLocalUserAttributesResult, bigint, number]
  | [typeof EventKind.DeleteLocalUserAttributesResult, bigint, number]
  | [typeof EventKind.ClearLocalUserAttributesResult, bigint, number]
  | [typeof EventKind.GetUserAttributesResult, bigint, string, [string, string][], number]
  | [typeof EventKind.JoinSuccess, number]
  | [typeof EventKind.JoinFailure, number, number]
  | [typeof EventKind.Leave, number, number]
  | [typeof EventKind.ChannelMessage, number, string, NativeMessage]
  | [typeof EventKind.ChannelSendMessageResult, number, bigint, number]
  | [typeof EventKind.MemberJoined, number, string]
  | [typeof EventKind.MemberLeft, number, string]
  | [typeof EventKind.GetMembers, number, string[], number]
  | [typeof EventKind.AttributesUpdated, number, NativeChannelAttribute[]]
  | [typeof EventKind.MemberCountUpdated, number, number]
  | [typeof EventKind.SetChannelAttributesResult, bigint, number]
  | [typeof EventKind.AddOrUpdateChannelAttributesResult, bigint, number]
  | [typeof EventKind.DeleteChannelAttributesResult, bigint, number]
  | [typeof EventKind.ClearChannelAttributesResult, bigint, number]
  | [typeof EventKind.GetChannelAttributesResult, bigint, NativeChannelAttribute[], number]
  | [typeof EventKind.GetChannelMemberCountResult, bigint, [string, number][], number]
  | [typeof EventKind.LocalInvitationReceivedByPeer, number]
  | [typeof EventKind.LocalInvitationCanceled, number]
  | [typeof EventKind.LocalInvitationFailure, number, number]
  | [typeof EventKind.LocalInvitationAccepted, number, string]
  | [typeof EventKind.LocalInvitationRefused, number, string]
  | [typeof EventKind.RemoteInvitationRefused, number]
  | [typeof EventKind.RemoteInvitationAccepted, number]
  | [typeof EventKind.RemoteInvitationReceived, number, string, string, string, number]
  | [typeof EventKind.RemoteInvitationFailure, number, number]
  | [typeof EventKind.RemoteInvitationCanceled, number, string];

/**
 * A received IMessage, copied inside the callback (the SDK frees it when the callback returns):
 * [MESSAGE_TYPE, messageId, text (the description for RAW), raw bytes (null for TEXT),
 *  serverReceivedTs in ms, isOfflineMessage].
 */
export type NativeMessage = [number, bigint, string, Buffer | null, number, boolean];

/** One IRtmChannelAttribute, copied: [key, value, lastUpdateUserId, lastUpdateTs in ms]. */
export type NativeChannelAttribute = [string, string, string, number];

/** One PeerOnlineStatus: [peerId, PEER_ONLINE_STATE]. */
export type NativePeerStatus = [string, number];

/** A message to send: TEXT with its text, or RAW with its bytes and description. */
export type NativeOutgoingMessage = { text: string } | { rawMessage: Uint8Array; description: string };

/** SendMessageOptions: [enableOfflineMessaging, enableHistoricalMessaging]. */
export type NativeSendOptions = [boolean, boolean];

/** A request method's synchronous answer: [the SDK's int result, the id it wrote (0n if none)]. */
export type Accepted = [number, bigint];

/**
 * An IChannel of this client (IRtmService::createChannel), with its IChannelEventHandler whose
 * events carry `ref`. Request methods return the SDK's int unchanged (sendMessage: Accepted with
 * the message id). release() calls IChannel::release (idempotent); afterwards every method throws
 * Error{code:'ERR_RTM_RELEASED'}. The client's release() releases every channel it still has.
 */
export declare class RtmChannel {
  private constructor();
  readonly ref: number;
  channelId(): string; // IChannel::getId
  join(): number;
  leave(): number;
  sendMessage(message: NativeOutgoingMessage, options: NativeSendOptions | null): Accepted;
  getMembers(): number;
  release(): void;
}

/**
 * An ILocalCallInvitation of this client (IRtmCallManager::createLocalCallInvitation). Getters
 * read the native object. send/cancel return the INVITATION_API_CALL_ERR_CODE unchanged.
 * release() frees the native object (idempotent); afterwards every method throws
 * Error{code:'ERR_RTM_RELEASED'}. The client's release() frees every invitation it still has.
 */
export declare class LocalInvitation {
  private constructor();
  readonly id: number;
  calleeId(): string;
  content(): string;
  setContent(content: string): void;
  channelId(): string;
  setChannelId(channelId: string): void;
  response(): string;
  state(): number; // LOCAL_INVITATION_STATE
  send(): number; // IRtmCallManager::sendLocalInvitation
  cancel(): number; // IRtmCallManager::cancelLocalInvitation
  release(): void;
}

/**
 * An IRemoteCallInvitation handed to onRemoteInvitationReceived. The binding keeps the native
 * object alive after the callback (accept/refuse need it later) until release().
 */
export declare class RemoteInvitation {
  private constructor();
  readonly id: number;
  callerId(): string;
  content(): string;
  channelId(): string;
  response(): string;
  setResponse(response: string): void;
  state(): number; // REMOTE_INVITATION_STATE
  accept(): number; // IRtmCallManager::acceptRemoteInvitation
  refuse(): number; // IRtmCallManager::refuseRemoteInvitation
  release(): void;
}

/**
 * Called on the JS thread with the events queued since the previous call, oldest first, at most
 * 1024 per call (a longer backlog comes in several calls), and how many are still queued after them.
 * The addon hands over a slice as encoded records (binding/event_log.h) in the first `byteLength`
 * bytes of an ArrayBuffer that it reuses for the next slice (read it before returning, keep
 * nothing of it), which lib/event-decoder.ts turns into NativeEvent arrays. (The unit tests' fake
 * native clients encode their events the same way: test/helpers/encode-events.ts.)
 */
export type Dispatch = (slice: ArrayBuffer, stillQueued: number, byteLength: number) => void;

/**
 * One IRtmService plus its event handler, its event queue and its thread-safe function.
 * Methods return the SDK's synchronous int result unchanged. After release() every method
 * throws an Error with code 'ERR_RTM_RELEASED'.
 */
export declare class RtmClient {
  constructor(spec: BackendSpec, appId: string, dispatch: Dispatch);
  /** `token` null passes NULL (projects without an App Certificate). */
  login(token: string | null, userId: string): number;
  logout(): number;
  renewToken(token: string): number;
  setParameters(json: string): number;

  /**
   * createMessage (text, or raw + description) → sendMessageToPeer (the 3-argument overload when
   * options are given) → IMessage::release. `message` is a text message's string itself (the
   * fast form: no object to read) or a NativeOutgoingMessage. Returns the message's id as a
   * number when the SDK returned 0 and the id is a safe integer (every id in practice), else
   * [result, the message's id]; the result callback carries that id. Throws
   * Error{code:'ERR_RTM_NO_MESSAGE'} if createMessage returns NULL.
   */
  sendMessageToPeer(peerId: string, message: string | NativeOutgoingMessage, options: NativeSendOptions | null): number | Accepted;
  queryPeersOnlineStatus(peerIds: string[]): Accepted;
  subscribePeersOnlineStatus(peerIds: string[]): Accepted;
  unsubscribePeersOnlineStatus(peerIds: string[]): Accepted;
  queryPeersBySubscriptionOption(option: number): Accepted;
  setLocalUserAttributes(attributes: [string, string][]): Accepted;
  addOrUpdateLocalUserAttributes(attributes: [string, string][]): Accepted;
  deleteLocalUserAttributesByKeys(keys: string[]): Accepted;
  clearLocalUserAttributes(): Accepted;
  getUserAttributes(userId: string): Accepted;
  getUserAttributesByKeys(userId: string, keys: string[]): Accepted;

  /** IRtmService::createChannel with a new channel handler; null when the SDK returns NULL. */
  createChannel(channelId: string): RtmChannel | null;
  /** Channel-attribute writers: attributes as [key, value] (createChannelAttribute for each). */
  setChannelAttributes(channelId: string, attributes: [string, string][], notifyMembers: boolean): Accepted;
  addOrUpdateChannelAttributes(channelId: string, attributes: [string, string][], notifyMembers: boolean): Accepted;
  deleteChannelAttributesByKeys(channelId: string, keys: string[], notifyMembers: boolean): Accepted;
  clearChannelAttributes(channelId: string, notifyMembers: boolean): Accepted;
  getChannelAttributes(channelId: string): Accepted;
  getChannelAttributesByKeys(channelId: string, keys: string[]): Accepted;
  getChannelMemberCount(channelIds: string[]): Accepted;

  /** getRtmCallManager (made once, with the client) → createLocalCallInvitation; null if NULL. */
  createLocalInvitation(calleeId: string): LocalInvitation | null;
  /** The object for the remoteId of a RemoteInvitationReceived event (same object every time). */
  remoteInvitation(remoteId: number): RemoteInvitation | null;
  setLogFile(path: string): number;
  setLogFilter(filter: number): number;
  setLogFileSize(kilobytes: number): number;
  /**
   * The compiled-in emulator holds the routing of the messages sent while its pump is idle
   * until this is called (once at the end of each tick that sent); a no-op once released.
   * Never called for the real SDK.
   */
  flushRequests(): void;
  /** Whether the thread-safe function keeps the event loop alive. Starts unref'd. */
  ref(): void;
  unref(): void;
  /** Events queued for the dispatcher and not yet handed to it. */
  pendingEvents(): number;
  /** closing flag → detach handler, release the service → release the TSFN. Idempotent. */
  release(): void;
}

export interface NativeBinding {
  RtmClient: typeof RtmClient;
  /** getRtmSdkVersion() of the backend (loads it if needed). */
  getSdkVersion(spec: BackendSpec): string;

  // Control of the emulated service (emulator/include/rtm_emulator/emulator.h).
  /** Throws on a duplicate name, bad JSON or an App Certificate that is not 32 hex characters ('' or absent: none). */
  emulatorCreate(name: string, limitsJson: string, appCertificate?: string): void;
  emulatorDestroy(name: string): boolean;
  emulatorKick(name: string, userId: string): boolean;
  emulatorExpireToken(name: string, userId: string): boolean;
  emulatorDropConnection(name: string, userId: string): boolean;
  emulatorRestoreConnection(name: string, userId: string): boolean;
  /** Fault injection: with false, the invitation acknowledgements the user's client sends are lost. */
  emulatorSetInvitationAutoAck(name: string, userId: string, enabled: boolean): boolean;
  emulatorUsers(name: string): string[];
  emulatorLiveObjects(): number;
  /** Serves the named service over TCP; returns the port (throws when it cannot listen). */
  emulatorListen(name: string, host: string, port: number): number;
  emulatorStopListening(name: string): boolean;
  /** Fault injection: what the service sends to userId ('*': everyone) is delayed. */
  emulatorSetLatency(name: string, userId: string, latencyMs: number, jitterMs: number): boolean;
  /** JSON: {sessions, channels, messages, bytes} (totals), or "null" when no such service. */
  emulatorStats(name: string): string;
  /** JSON: {connections, framesIn, framesOut, bytesIn, bytesOut}, or "null" when not served. */
  emulatorTcpStats(name: string): string;
  /** A control command on the service at an rtm:// URL (any process); resolves with its JSON answer. */
  emulatorControl(url: string, command: string, argsJson: string, timeoutMs: number): Promise<string>;
  /**
   * Benchmarks only (lib/bench-load.ts): a C++ sender on a worker thread logs in as senderId on
   * the in-process service serviceUrl and sends `count` texts of textBytes bytes to the user (or
   * into the channel) `target`, at most `window` awaiting their result, paced at ratePerSecond
   * when > 0, each text starting with its CLOCK_MONOTONIC send time in ns when stampTime.
   */
  emulatorFlood(
    serviceUrl: string,
    senderId: string,
    target: string,
    channel: boolean,
    count: number,
    textBytes: number,
    window: number,
    ratePerSecond: number,
    stampTime: boolean,
    cppReceiver?: boolean,
  ): Promise<FloodResult>;
  /**
   * Tests only (test/event-decoder.test.ts): the binding's encoder and slicing run on the given
   * events ([kind, ...args]: null, boolean, number, bigint, string, Uint8Array, nested arrays);
   * the slices CallJs would hand a dispatcher, in order.
   */
  encodeEventSlices(events: unknown[][]): ArrayBuffer[];
}

/**
 * What emulatorFlood's sender counted: accepted sends, OK results, other results, first send →
 * last result; with cppReceiver, what the C++ receiver got and first send → its last message.
 */
export interface FloodResult {
  sent: number;
  delivered: number;
  failed: number;
  elapsedMs: number;
  received: number;
  receiveMs: number;
  /** cppReceiver with stampTime: send → the C++ handler, µs, after a 10 % warm-up (else 0). */
  latencyP50Us: number;
  latencyP99Us: number;
}

let loaded: NativeBinding | undefined;

/**
 * The addon, loaded on first use rather than at import, so that importing the package (for its
 * types, enums or errors) works even where the addon is not built, and a missing build is
 * reported with what to do.
 */
function loadNative(): NativeBinding {
  if (loaded) return loaded;
  try {
    loaded = load(path.resolve(__dirname, '..')) as NativeBinding;
  } catch (cause) {
    throw new Error(
      'agora-rtm-node: the native addon is not built for this platform. Run `npm rebuild agora-rtm-node` ' +
        '(it needs a C++17 compiler and CMake ≥ 3.15). ' +
        (cause instanceof Error ? cause.message : String(cause)),
      { cause },
    );
  }
  return loaded;
}

/** The directory of the addon that loads here (build/Release, or prebuilds/<platform>-<arch>). */
export function addonDirectory(): string {
  return path.dirname(load.path(path.resolve(__dirname, '..')));
}

export const native: NativeBinding = new Proxy({} as NativeBinding, {
  get: (_target, key) => Reflect.get(loadNative(), key),
});
