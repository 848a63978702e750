// LocalInvitation: a call invitation this client sends (caller side), an EventEmitter over one
// native invitation; the life cycle of that object is described in invitation.ts. Its own module
// so that the caller's rules (send() depends on the session, cancel() can lose a race, an
// invitation the SDK never answers fails at its safety timeout) read apart from the callee's.
import { EventEmitter } from 'node:events';
import { toLocalInvitationFailureReason, toLocalInvitationState } from './codes';
import { InvitationApiCallErrCode, LocalInvitationState } from './enums';
import { RtmReleasedError } from './errors';
import type { InvitationSet } from './invitation';
import type { LocalInvitationEvents } from './invitation-events';
import {
  FINAL_LOCAL_STATES,
  NATIVE_INVITATION_EXPIRE,
  NATIVE_NOT_LOGGEDIN,
  apiError,
  callNative,
  checkInvitationText,
  emitThenDetach,
  raceableCall,
  readNative,
  releaseQuietly,
  snapshot,
} from './invitation-shared';
import { EventKind, type LocalInvitation as NativeLocalInvitation, type NativeEvent } from './native';

// Module-private access to the class's private members, for InvitationSet (set in the static block).
/** @internal */
export let handleLocal!: (inv: LocalInvitation, event: NativeEvent) => void;
/** @internal A failure the binding reports for the SDK (reason: a C++ LOCAL_INVITATION_ERR_CODE). */
export let failLocal!: (inv: LocalInvitation, reason: number, onlyUnanswered: boolean) => void;
/** @internal */
export let detachLocal!: (inv: LocalInvitation) => void;
/** @internal */
export let localId!: (inv: LocalInvitation) => number;

/**
 * A call invitation this client sends (caller side). Create it with
 * RtmClient.createLocalInvitation(calleeId); set `content` / `channelId`, then send().
 */
export class LocalInvitation extends EventEmitter<LocalInvitationEvents> {
  #native: NativeLocalInvitation | null;
  readonly #set: InvitationSet;
  readonly #id: number;
  readonly #calleeId: string;
  #content = '';
  #channelId = '';
  #response = '';
  #state: LocalInvitationState | number = LocalInvitationState.IDLE;
  /** send() was accepted: content and channelId are fixed. */
  #sent = false;
  /** The native object was released because the invitation ended (not because the client was released). */
  #ended = false;
  /** cancel() was taken by the SDK. */
  #canceled = false;
  /** Sent while the login was pending and nothing heard since: the real SDK never answers it. */
  #unanswered = false;
  /** Settles an invitation the SDK never answers (InvitationSet's safety timeout). */
  #safetyTimer: NodeJS.Timeout | undefined;

  static {
    handleLocal = (inv, event) => inv.#handle(event);
    detachLocal = (inv) => inv.#detach(false);
    localId = (inv) => inv.#id;
    failLocal = (inv, reason, onlyUnanswered) => {
      if (inv.#native === null || (onlyUnanswered && !inv.#unanswered)) return;
      // The SDK's object never reaches FAILURE here: keep its last values and let go of it first,
      // so that the getters answer FAILURE (the cached values) inside the listener and after.
      snapshot(inv);
      inv.#detach(true);
      inv.#state = LocalInvitationState.FAILURE;
      inv.emit('LocalInvitationFailure', toLocalInvitationFailureReason(reason));
    };
  }

  /** @internal Use RtmClient.createLocalInvitation(). */
  constructor(nativeInvitation: NativeLocalInvitation, set: InvitationSet, calleeId: string) {
    super();
    this.#native = nativeInvitation;
    this.#set = set;
    this.#id = nativeInvitation.id;
    this.#calleeId = calleeId;
  }

  /** The user id of the callee. */
  get calleeId(): string {
    return this.#calleeId;
  }

  /** The content sent with the invitation (≤ 8 KB UTF-8). Writable until send(). */
  get content(): string {
    this.#content = this.#read((n) => n.content(), this.#content);
    return this.#content;
  }

  set content(value: string) {
    const op = 'LocalInvitation.content';
    const text = checkInvitationText(value, op, 'content');
    const n = this.#writable(op);
    this.#call(op, () => n.setContent(text));
    this.#content = text;
  }

  /** The channel id sent with the invitation (legacy Signaling interop; never joined). Writable until send(). */
  get channelId(): string {
    this.#channelId = this.#read((n) => n.channelId(), this.#channelId);
    return this.#channelId;
  }

  set channelId(value: string) {
    const op = 'LocalInvitation.channelId';
    const text = checkInvitationText(value, op, 'channelId');
    const n = this.#writable(op);
    this.#call(op, () => n.setChannelId(text));
    this.#channelId = text;
  }

  /** The callee's response (after LocalInvitationAccepted / LocalInvitationRefused). */
  get response(): string {
    this.#response = this.#read((n) => n.response(), this.#response);
    return this.#response;
  }

  /** The native state; an unknown value (newer SDK) as its number. */
  get state(): LocalInvitationState | number {
    this.#state = this.#read((n) => toLocalInvitationState(n.state()), this.#state);
    return this.#state;
  }

  /**
   * Sends the invitation. Throws RtmInvitationError with the SDK's InvitationApiCallErrCode
   * (ALREADY_SENT, ALREADY_END, …) when the SDK refuses; progress arrives as events.
   */
  send(): void {
    const op = 'LocalInvitation.send';
    const n = this.#live(op);
    const session = this.#set.session();
    if (session === 'none') {
      // A second send() before that answer: the SDK never saw a send, and must not now.
      if (this.#sent) throw apiError(op, InvitationApiCallErrCode.ALREADY_SENT);
      // Not logged in: the real SDK returns 0, then either reports NOT_LOGGEDIN from its thread or
      // frees the invitation object itself and never answers (rtm-abi.md §8.2). The binding gives
      // that answer itself and keeps the object, which stays ours to read and release.
      this.#sent = true;
      this.#set.activateLocal(this);
      setImmediate(() => failLocal(this, NATIVE_NOT_LOGGEDIN, false));
      return;
    }
    const rc = this.#call(op, () => n.send());
    if (rc !== 0) throw apiError(op, rc);
    this.#sent = true;
    // While CONNECTING the real SDK accepts it and never answers, not even when the login fails.
    this.#unanswered = session === 'connecting';
    this.#safetyTimer = this.#set.safetyTimer(() => failLocal(this, NATIVE_INVITATION_EXPIRE, false));
    this.#set.activateLocal(this);
    void this.state; // refresh the cache
  }

  /**
   * Cancels a sent invitation: true when the SDK took the cancel. False when the invitation had
   * already ended without this client's doing (the callee answered, it failed or expired): a race
   * the caller cannot see, whose final event has come or is on its way. Throws RtmInvitationError
   * for a misuse: NOT_STARTED before send(), ALREADY_END after this client's own cancel().
   */
  cancel(): boolean {
    const op = 'LocalInvitation.cancel';
    const endedByOthers = this.#ended && !this.#canceled && !this.#set.released;
    const taken = raceableCall(op, endedByOthers, this.#canceled, () => {
      const n = this.#live(op);
      return this.#call(op, () => n.cancel());
    });
    if (taken) this.#canceled = true;
    void this.state;
    return taken;
  }

  // --- internals ------------------------------------------------------------------------------

  #handle(event: NativeEvent): void {
    this.#unanswered = false;
    switch (event[0]) {
      case EventKind.LocalInvitationReceivedByPeer:
        void this.state;
        this.emit('LocalInvitationReceivedByPeer');
        break;
      case EventKind.LocalInvitationAccepted: {
        const response = event[2];
        this.#finish(LocalInvitationState.ACCEPTED_BY_REMOTE, response, () => this.emit('LocalInvitationAccepted', response));
        break;
      }
      case EventKind.LocalInvitationRefused: {
        const response = event[2];
        this.#finish(LocalInvitationState.REFUSED_BY_REMOTE, response, () => this.emit('LocalInvitationRefused', response));
        break;
      }
      case EventKind.LocalInvitationCanceled:
        this.#finish(LocalInvitationState.CANCELED, undefined, () => this.emit('LocalInvitationCanceled'));
        break;
      case EventKind.LocalInvitationFailure: {
        const reason = toLocalInvitationFailureReason(event[2]);
        this.#finish(LocalInvitationState.FAILURE, undefined, () => this.emit('LocalInvitationFailure', reason));
        break;
      }
      default:
        break;
    }
  }

  /** A final event: refresh the cache, emit, then release the native object (even if a listener throws). */
  #finish(finalState: LocalInvitationState, response: string | undefined, emit: () => void): void {
    snapshot(this);
    if (!FINAL_LOCAL_STATES.has(this.#state)) this.#state = finalState;
    if (response !== undefined) this.#response = response;
    emitThenDetach(emit, () => this.#detach(true));
  }

  /** Releases the native object and leaves the client's set. `ended`: because it reached a final state. */
  #detach(ended: boolean): void {
    const n = this.#native;
    if (n === null) return;
    if (!ended) snapshot(this);
    this.#native = null;
    this.#ended = ended;
    clearTimeout(this.#safetyTimer);
    releaseQuietly(n);
    this.#set.deactivateLocal(this);
  }

  #read<T>(fn: (n: NativeLocalInvitation) => T, cached: T): T {
    return readNative(this.#native, fn, cached, () => (this.#native = null), 'LocalInvitation');
  }

  /** The native object for a call; an ended invitation answers as the SDK does, a released client with RtmReleasedError. */
  #live(op: string): NativeLocalInvitation {
    if (this.#native === null || this.#set.released) {
      if (this.#ended) throw apiError(op, InvitationApiCallErrCode.ALREADY_END);
      throw new RtmReleasedError(op);
    }
    return this.#native;
  }

  /** For the setters: only before send(). */
  #writable(op: string): NativeLocalInvitation {
    if (this.#sent || this.#ended) {
      throw apiError(op, InvitationApiCallErrCode.ALREADY_SENT, '(content and channelId can be set only before send().)');
    }
    return this.#live(op);
  }

  #call<T>(op: string, fn: () => T): T {
    return callNative(op, fn, () => (this.#native = null));
  }
}
