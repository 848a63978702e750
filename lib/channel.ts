// Channels: RtmChannel, an EventEmitter wrapping one native IChannel, and ChannelSet, a client's
// bookkeeping of its channels (creation rules, event dispatch by the channel's ref, cut-offs,
// release with the client).
//
// Promise rules (as RtmClient's, lib/client.ts):
// - arguments are validated before any native call; a non-zero synchronous return rejects at
//   once with the SDK's code;
// - join, leave and getMembers carry no request id: their results are matched to the calls in
//   order, per channel and per kind. A result that refuses a call because of the channel's state
//   (ALREADY_JOINED for join, NOT_IN_CHANNEL / REJECTED for leave and getMembers) goes to the
//   oldest call made when that refusal was to be expected (a join while another was pending or
//   the channel was joined…), any other result to the oldest call made when it was not, falling
//   back on the oldest call. So `join(); join()` settles the second with ALREADY_JOINED and the
//   first with the join's own result, whichever the SDK answers first;
// - sendMessage is matched by the message id the SDK wrote (several calls may wait for one id:
//   the oldest takes the first result);
// - every pending call also settles when a cut-off rejects it — the channel's leave completing
//   (its pending sends and getMembers), logout / a failed login / an ABORTED session (every
//   channel call; USER_NOT_LOGGED_IN, 102), release of the channel or of the client
//   (RtmReleasedError) — or at its safety timeout with RtmTimeoutError;
// - a result no call waits for is ignored.
import { EventEmitter } from 'node:events';
import type { CppEnumName } from './codes';
import { GetMembersErrCode, JoinChannelErrCode, LeaveChannelErrCode } from './enums';
import { LocalErrCode, RtmReleasedError, errorFor, fromNativeError, invalidArgument, isReleasedError, localError } from './errors';
import {
  checkMessage,
  checkSendOptions,
  fromNativeMessage,
  type ReceivedMessageProperties,
  type ReceivedRtmMessage,
  type RtmMessage,
  type SendMessageOptions,
} from './messages';
import {
  EventKind,
  type NativeEvent,
  type RtmChannel as NativeChannel,
  type RtmClient as NativeClient,
} from './native';
import type { PendingCall, PendingRegistry } from './pending';
import type { SendFlush } from './send-flush';
import { checkChannelId, toChannelAttributes, type ChannelAttributes } from './channel-attributes';
import type { CheckContext } from './validate';
import { emitChannelMessage } from './fast-emit';

/** Events of RtmChannel, with their listener arguments. */
export interface RtmChannelEvents {
  /**
   * A member sent a message to the channel (the sender gets no copy of its own). `message` is
   * normalised as for MessageFromPeer: `{ messageType: 'TEXT', text }` or
   * `{ messageType: 'RAW', rawMessage, description }`.
   */
  ChannelMessage: [message: ReceivedRtmMessage, memberId: string, props: ReceivedMessageProperties];
  /** Another user joined (not sent for oneself, nor once the channel has more than 512 members). */
  MemberJoined: [memberId: string];
  /** Another member left, logged out or was removed (not sent once the channel has more than 512 members). */
  MemberLeft: [memberId: string];
  /**
   * A call with `enableNotificationToChannelMembers` changed the channel's attributes: the full set
   * after the change.
   */
  AttributesUpdated: [attributes: ChannelAttributes];
  /** The number of members: right after joining, then on change (at most once a second; every 3 s above 512). */
  MemberCountUpdated: [count: number];
}

/** Safety timeouts of the channel calls, in ms. */
export interface ChannelTimeouts {
  join: number;
  leave: number;
  sendMessage: number;
  getMembers: number;
}

/** A pending call of a queue, and whether a refusal (ALREADY_JOINED, NOT_IN_CHANNEL) was to be expected for it. */
interface Queued {
  readonly entry: PendingCall;
  readonly expectsRefusal: boolean;
}

/** Calls of one kind on one channel, matched to their results in order. */
class ResultQueue {
  readonly #items: Queued[] = [];

  get length(): number {
    return this.#items.length;
  }

  add(entry: PendingCall, expectsRefusal: boolean): void {
    const item: Queued = { entry, expectsRefusal };
    this.#items.push(item);
    entry.detach = () => {
      const i = this.#items.indexOf(item);
      if (i >= 0) this.#items.splice(i, 1);
    };
  }

  /** The call a result belongs to: the oldest whose expectation matches, else the oldest. */
  take(refusal: boolean): PendingCall | undefined {
    return (this.#items.find((q) => q.expectsRefusal === refusal) ?? this.#items[0])?.entry;
  }

  entries(): PendingCall[] {
    return this.#items.map((q) => q.entry);
  }
}

function call<T>(operation: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromNativeError(err, operation);
  }
}

const CHANNEL_RELEASED = 'was called on a released channel; create a new one with client.createChannel().';

// Module-private access to RtmChannel's private members, for ChannelSet (set in a static block).
let handleEvent!: (channel: RtmChannel, event: NativeEvent) => void;
let cutOffCalls!: (channel: RtmChannel, detail: string) => void;
let detachChannel!: (channel: RtmChannel) => void;

/**
 * A channel of a client (Web SDK 1.x RtmChannel). Create it with RtmClient.createChannel(channelId),
 * then join() it. release() it when done: a client holds at most one unreleased channel object per id.
 */
export class RtmChannel extends EventEmitter<RtmChannelEvents> {
  /** The channel's id. */
  readonly channelId: string;
  #native: NativeChannel | null;
  readonly #set: ChannelSet;
  /** Whether this client believes it is in the channel (onJoinSuccess … onLeave / logout / removal). */
  #joined = false;
  readonly #joins = new ResultQueue();
  readonly #leaves = new ResultQueue();
  readonly #memberQueries = new ResultQueue();
  /** Pending sends by message id, oldest first. */
  readonly #sends = new Map<bigint, PendingCall[]>();

  static {
    handleEvent = (channel, event) => channel.#handle(event);
    cutOffCalls = (channel, detail) => channel.#cutOff(detail);
    detachChannel = (channel) => channel.#detach('release() of the client');
  }

  /** @internal Use RtmClient.createChannel(). */
  constructor(nativeChannel: NativeChannel, set: ChannelSet, channelId: string) {
    super();
    this.#native = nativeChannel;
    this.#set = set;
    this.channelId = channelId;
  }

  /**
   * Joins the channel. Resolves on onJoinSuccess; rejects with the SDK's code: ALREADY_JOINED
   * (joined or joining), EXCEED_LIMIT (already in 20 channels), TOO_OFTEN,
   * JOIN_SAME_CHANNEL_TOO_OFTEN, USER_NOT_LOGGED_IN, JOIN_CHANNEL_TIMEOUT…
   */
  async join(): Promise<void> {
    const op = 'join';
    const n = this.#alive(op);
    const expectsRefusal = this.#joined || this.#joins.length > 0;
    const rc = call(op, () => n.join());
    if (rc !== 0) throw errorFor(op, 'JOIN_CHANNEL_ERR', rc);
    return this.#track(op, 'JOIN_CHANNEL_ERR', this.#set.timeouts.join, this.#joins, expectsRefusal);
  }

  /**
   * Leaves the channel. Resolves on onLeave(0), after which pending sends and getMembers of this
   * channel are cut off; rejects with NOT_IN_CHANNEL when not in the channel.
   */
  async leave(): Promise<void> {
    const op = 'leave';
    const n = this.#alive(op);
    const expectsRefusal = (!this.#joined && this.#joins.length === 0) || this.#leaves.length > 0;
    const rc = call(op, () => n.leave());
    if (rc !== 0) throw errorFor(op, 'LEAVE_CHANNEL_ERR', rc);
    return this.#track(op, 'LEAVE_CHANNEL_ERR', this.#set.timeouts.leave, this.#leaves, expectsRefusal);
  }

  /**
   * Sends a message to the other members (limits as sendMessageToPeer: 32 KB). Resolves when the
   * server received it (CHANNEL_MESSAGE_ERR_OK); rejects otherwise: FAILURE (1, e.g. not joined —
   * the C++ enum has no NOT_IN_CHANNEL for messages), SENT_TIMEOUT, TOO_OFTEN (peer and channel
   * messages share one budget), INVALID_MESSAGE, USER_NOT_LOGGED_IN.
   */
  async sendMessage(message: RtmMessage, options?: SendMessageOptions): Promise<void> {
    const op = 'sendMessage';
    const cppEnum: CppEnumName = 'CHANNEL_MESSAGE_ERR_CODE';
    const ctx: CheckContext = { operation: op, cppEnum };
    const n = this.#alive(op);
    const msg = checkMessage(message, ctx);
    const opts = checkSendOptions(options, ctx);
    this.#set.sends.sent();
    const [rc, id] = call(op, () => n.sendMessage(msg, opts));
    if (rc !== 0) throw errorFor(op, cppEnum, rc);
    const { promise, entry } = this.#set.pending.track<void>(op, cppEnum, this.#set.timeouts.sendMessage);
    let list = this.#sends.get(id);
    if (list === undefined) {
      list = [];
      this.#sends.set(id, list);
    }
    list.push(entry);
    entry.id = id;
    entry.detach = () => {
      const waiting = this.#sends.get(id);
      if (waiting === undefined) return;
      const i = waiting.indexOf(entry);
      if (i >= 0) waiting.splice(i, 1);
      if (waiting.length === 0) this.#sends.delete(id);
    };
    return promise;
  }

  /**
   * The members' user ids (including oneself; at most 512, chosen at random above that). Rejects
   * with NOT_IN_CHANNEL when not joined, TOO_OFTEN, TIMEOUT…
   */
  async getMembers(): Promise<string[]> {
    const op = 'getMembers';
    const n = this.#alive(op);
    const expectsRefusal = !this.#joined;
    const rc = call(op, () => n.getMembers());
    if (rc !== 0) throw errorFor(op, 'GET_MEMBERS_ERR', rc);
    return this.#track(op, 'GET_MEMBERS_ERR', this.#set.timeouts.getMembers, this.#memberQueries, expectsRefusal);
  }

  /**
   * Releases the channel object (IChannel::release; the SDK leaves a joined channel). Idempotent.
   * Its pending calls reject with RtmReleasedError, and so does every later call; no more events
   * arrive. The id can then be used for a new channel object.
   */
  async release(): Promise<void> {
    const n = this.#native;
    if (n === null) return;
    this.#detach('release() of the channel');
    try {
      n.release();
    } catch (err) {
      if (!isReleasedError(err)) throw fromNativeError(err, 'release');
    }
  }

  /** `await using channel = client.createChannel(…)` releases it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  // -------------------------------------------------------------------------------------------

  #alive(operation: string): NativeChannel {
    if (this.#native === null) throw new RtmReleasedError(operation, `${operation}() ${CHANNEL_RELEASED}`);
    return this.#native;
  }

  #track<T>(operation: string, cppEnum: CppEnumName, timeoutMs: number, queue: ResultQueue, expectsRefusal: boolean): Promise<T> {
    const { promise, entry } = this.#set.pending.track<T>(operation, cppEnum, timeoutMs);
    queue.add(entry, expectsRefusal);
    return promise;
  }

  /** Settles with `value` for code 0, else rejects with the code's error. */
  #settle(entry: PendingCall | undefined, code: number, value?: unknown): void {
    if (entry === undefined) return;
    this.#set.pending.settle(entry, code === 0 ? undefined : errorFor(entry.operation, entry.cppEnum, code), value);
  }

  #pendingCalls(): PendingCall[] {
    return [
      ...this.#joins.entries(),
      ...this.#leaves.entries(),
      ...this.#memberQueries.entries(),
      ...[...this.#sends.values()].flat(),
    ];
  }

  /** Logout, a failed login or an ABORTED session: the SDK answers none of this channel's calls. */
  #cutOff(detail: string): void {
    this.#joined = false;
    for (const entry of this.#pendingCalls()) {
      this.#set.pending.settle(entry, errorFor(entry.operation, entry.cppEnum, 102, detail)); // USER_NOT_LOGGED_IN
    }
  }

  /** The channel is left: its pending sends and member queries will not be answered. */
  #cutOffByLeave(): void {
    const detail = 'It was cut off when the channel was left before the SDK answered it.';
    for (const entry of this.#memberQueries.entries()) {
      this.#set.pending.settle(entry, errorFor(entry.operation, entry.cppEnum, GetMembersErrCode.NOT_IN_CHANNEL, detail));
    }
    for (const entry of [...this.#sends.values()].flat()) {
      this.#set.pending.settle(entry, errorFor(entry.operation, entry.cppEnum, 1, detail)); // CHANNEL_MESSAGE_ERR_FAILURE
    }
  }

  /** Marks the channel released: its calls reject, it gets no more events, its id is free again. */
  #detach(by: string): void {
    if (this.#native === null) return;
    this.#native = null;
    this.#joined = false;
    for (const entry of this.#pendingCalls()) {
      this.#set.pending.settle(
        entry,
        new RtmReleasedError(entry.operation, `${entry.operation}() was cut off by ${by} before the SDK answered it.`),
      );
    }
    this.#set.forget(this);
  }

  #handle(event: NativeEvent): void {
    switch (event[0]) {
      case EventKind.JoinSuccess:
        this.#joined = true;
        this.#settle(this.#joins.take(false), 0);
        break;
      case EventKind.JoinFailure: {
        const code = event[2];
        this.#settle(this.#joins.take(code === JoinChannelErrCode.ALREADY_JOINED), code);
        break;
      }
      case EventKind.Leave: {
        const code = event[2];
        const refusal = code === LeaveChannelErrCode.NOT_IN_CHANNEL || code === LeaveChannelErrCode.REJECTED;
        if (code === 0 || code === LeaveChannelErrCode.NOT_IN_CHANNEL) this.#joined = false;
        if (code === 0) this.#cutOffByLeave();
        this.#settle(this.#leaves.take(refusal), code);
        break;
      }
      case EventKind.ChannelMessage: {
        const { message, props } = fromNativeMessage(event[3]);
        this.emit('ChannelMessage', message, event[2], props);
        break;
      }
      case EventKind.ChannelSendMessageResult: {
        const entry = this.#sends.get(event[2])?.[0];
        this.#settle(entry, event[3]);
        break;
      }
      case EventKind.MemberJoined:
        this.emit('MemberJoined', event[2]);
        break;
      case EventKind.MemberLeft:
        this.emit('MemberLeft', event[2]);
        break;
      case EventKind.GetMembers: {
        const code = event[3];
        const refusal = code === GetMembersErrCode.NOT_IN_CHANNEL || code === GetMembersErrCode.REJECTED;
        if (code === GetMembersErrCode.NOT_IN_CHANNEL) this.#joined = false;
        this.#settle(this.#memberQueries.take(refusal), code, code === 0 ? [...event[2]] : undefined);
        break;
      }
      case EventKind.AttributesUpdated:
        this.emit('AttributesUpdated', toChannelAttributes(event[2]));
        break;
      case EventKind.MemberCountUpdated:
        this.emit('MemberCountUpdated', event[2]);
        break;
      default:
        break;
    }
  }
}

/**
 * A client's channels: creation (ids checked, one unreleased object per id), events by the
 * channel's ref, cut-offs, and release with the client. Its calls live in the client's registry,
 * so they count for keep-alive and the client's release() rejects them.
 */
export class ChannelSet {
  readonly #native: NativeClient;
  /** @internal */
  readonly pending: PendingRegistry;
  /** @internal */
  readonly timeouts: ChannelTimeouts;
  /** @internal */
  readonly sends: SendFlush;
  readonly #byRef = new Map<number, RtmChannel>();
  readonly #byId = new Map<string, RtmChannel>();
  readonly #refs = new WeakMap<RtmChannel, number>();
  #released = false;

  constructor(nativeClient: NativeClient, pending: PendingRegistry, timeouts: ChannelTimeouts, sends: SendFlush) {
    this.#native = nativeClient;
    this.pending = pending;
    this.timeouts = timeouts;
    this.sends = sends;
  }

  /** Unreleased channel objects. */
  get size(): number {
    return this.#byRef.size;
  }

  /**
   * RtmClient.createChannel. A bad id throws RtmInvalidArgumentError (JOIN_CHANNEL_ERR_INVALID_ARGUMENT,
   * 3), and so does an id of a channel object of this client that is not released yet (the SDK
   * documents NULL for it).
   */
  create(channelId: unknown): RtmChannel {
    const op = 'createChannel';
    const ctx: CheckContext = { operation: op, cppEnum: 'JOIN_CHANNEL_ERR' };
    const id = checkChannelId(channelId, ctx);
    if (this.#released) throw new RtmReleasedError(op);
    if (this.#byId.has(id)) {
      throw invalidArgument(
        op,
        'JOIN_CHANNEL_ERR',
        `this client already has a channel object for ${JSON.stringify(id)}; use it, or release() it before creating another`,
      );
    }
    const n = call(op, () => this.#native.createChannel(id));
    if (n === null) {
      throw localError(
        op,
        LocalErrCode.NATIVE,
        `${op}() failed: the SDK returned no channel for ${JSON.stringify(id)} (IRtmService::createChannel returned NULL: an invalid id, or a channel of that id exists).`,
      );
    }
    const channel = new RtmChannel(n, this, id);
    const ref = n.ref;
    this.#byRef.set(ref, channel);
    this.#byId.set(id, channel);
    this.#refs.set(channel, ref);
    return channel;
  }

  /** @internal A channel was released. */
  forget(channel: RtmChannel): void {
    const ref = this.#refs.get(channel);
    if (ref !== undefined && this.#byRef.get(ref) === channel) this.#byRef.delete(ref);
    if (this.#byId.get(channel.channelId) === channel) this.#byId.delete(channel.channelId);
  }

  /** A ChannelMessage that decodeForDispatch read on its own path: to its channel's listeners. */
  emitMessage(ref: number, message: ReceivedRtmMessage, memberId: string, props: ReceivedMessageProperties): void {
    const channel = this.#byRef.get(ref);
    if (channel !== undefined) emitChannelMessage(channel, message, memberId, props);
  }

  /** Handles a channel event (kinds 18–27); false for any other kind. */
  handle(event: NativeEvent): boolean {
    switch (event[0]) {
      case EventKind.JoinSuccess:
      case EventKind.JoinFailure:
      case EventKind.Leave:
      case EventKind.ChannelMessage:
      case EventKind.ChannelSendMessageResult:
      case EventKind.MemberJoined:
      case EventKind.MemberLeft:
      case EventKind.GetMembers:
      case EventKind.AttributesUpdated:
      case EventKind.MemberCountUpdated: {
        const channel = this.#byRef.get(event[1]);
        if (channel !== undefined) handleEvent(channel, event);
        return true;
      }
      default:
        return false;
    }
  }

  /** Logout, a failed login or an ABORTED session: every channel call is rejected (102) and no channel is joined. */
  cutOff(detail: string): void {
    for (const channel of [...this.#byRef.values()]) cutOffCalls(channel, detail);
  }

  /** The client's release(): every channel is released with it (the native client frees them). */
  releaseAll(): void {
    if (this.#released) return;
    this.#released = true;
    for (const channel of [...this.#byRef.values()]) detachChannel(channel);
    this.#byRef.clear();
    this.#byId.clear();
  }
}
