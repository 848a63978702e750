// RemoteInvitation: a call invitation this client received (callee side), an EventEmitter over
// one native invitation; the life cycle of that object is described in invitation.ts. Its own
// module so that the callee's rules (the response, accept() / refuse() and the race they can lose
// against the caller's cancel) read apart from the caller's.
import { EventEmitter } from 'node:events';
import { toRemoteInvitationFailureReason, toRemoteInvitationState } from './codes';
import { InvitationApiCallErrCode, RemoteInvitationState } from './enums';
import { RtmReleasedError } from './errors';
import type { InvitationSet } from './invitation';
import type { RemoteInvitationEvents } from './invitation-events';
import {
  FINAL_REMOTE_STATES,
  apiError,
  callNative,
  checkInvitationText,
  emitThenDetach,
  raceableCall,
  readNative,
  releaseQuietly,
  snapshot,
} from './invitation-shared';
import { EventKind, type NativeEvent, type RemoteInvitation as NativeRemoteInvitation } from './native';

// Module-private access to the class's private members, for InvitationSet (set in the static block).
/** @internal */
export let handleRemote!: (inv: RemoteInvitation, event: NativeEvent) => void;
/** @internal */
export let detachRemote!: (inv: RemoteInvitation) => void;

/**
 * A call invitation received by this client (callee side), handed by the client's
 * RemoteInvitationReceived event. Answer it with accept() or refuse().
 */
export class RemoteInvitation extends EventEmitter<RemoteInvitationEvents> {
  #native: NativeRemoteInvitation | null;
  readonly #set: InvitationSet;
  readonly #callerId: string;
  #content: string;
  #channelId: string;
  #response = '';
  #state: RemoteInvitationState | number;
  #ended = false;
  /** accept() or refuse() was taken by the SDK. */
  #answered = false;

  static {
    handleRemote = (inv, event) => inv.#handle(event);
    detachRemote = (inv) => inv.#detach(false);
  }

  /** @internal Handed by the client's RemoteInvitationReceived event. */
  constructor(
    nativeInvitation: NativeRemoteInvitation,
    set: InvitationSet,
    received: { callerId: string; content: string; channelId: string; state: number },
  ) {
    super();
    this.#native = nativeInvitation;
    this.#set = set;
    this.#callerId = received.callerId;
    this.#content = received.content;
    this.#channelId = received.channelId;
    this.#state = toRemoteInvitationState(received.state);
  }

  /** The user id of the caller. */
  get callerId(): string {
    return this.#callerId;
  }

  /** The caller's content. */
  get content(): string {
    this.#content = this.#read((n) => n.content(), this.#content);
    return this.#content;
  }

  /** The caller's channel id. */
  get channelId(): string {
    this.#channelId = this.#read((n) => n.channelId(), this.#channelId);
    return this.#channelId;
  }

  /** The response sent with accept() / refuse() (≤ 8 KB UTF-8). Set it before answering. */
  get response(): string {
    this.#response = this.#read((n) => n.response(), this.#response);
    return this.#response;
  }

  set response(value: string) {
    const op = 'RemoteInvitation.response';
    const text = checkInvitationText(value, op, 'response');
    if (this.#endedByOthers()) {
      // The caller canceled (or it failed) before this listener could see it: kept, sent nowhere.
      this.#response = text;
      return;
    }
    const n = this.#live(op);
    this.#call(op, () => n.setResponse(text));
    this.#response = text;
  }

  /** The native state; an unknown value (newer SDK) as its number. */
  get state(): RemoteInvitationState | number {
    this.#state = this.#read((n) => toRemoteInvitationState(n.state()), this.#state);
    return this.#state;
  }

  /**
   * Accepts: true when the SDK took the answer. False when the invitation had already ended
   * without this client's doing (the caller canceled, it failed or expired): a race the callee
   * cannot see, whose final event has come or is on its way. Throws RtmInvitationError for a
   * misuse: ALREADY_ACCEPT or ALREADY_END after this client's own accept() / refuse().
   */
  accept(): boolean {
    return this.#answer('RemoteInvitation.accept', (n) => n.accept());
  }

  /** Refuses: true, false or a throw exactly as accept(). */
  refuse(): boolean {
    return this.#answer('RemoteInvitation.refuse', (n) => n.refuse());
  }

  // --- internals ------------------------------------------------------------------------------

  /** Ended, and not by this client's accept() / refuse(); a released client does not count. */
  #endedByOthers(): boolean {
    return this.#ended && !this.#answered && !this.#set.released;
  }

  #answer(op: string, fn: (n: NativeRemoteInvitation) => number): boolean {
    const taken = raceableCall(op, this.#endedByOthers(), this.#answered, () => {
      const n = this.#live(op);
      return this.#call(op, () => fn(n));
    });
    if (taken) this.#answered = true;
    void this.state;
    return taken;
  }

  #handle(event: NativeEvent): void {
    switch (event[0]) {
      case EventKind.RemoteInvitationAccepted:
        this.#finish(RemoteInvitationState.ACCEPTED, () => this.emit('RemoteInvitationAccepted'));
        break;
      case EventKind.RemoteInvitationRefused:
        this.#finish(RemoteInvitationState.REFUSED, () => this.emit('RemoteInvitationRefused'));
        break;
      case EventKind.RemoteInvitationCanceled: {
        const content = event[2];
        this.#finish(RemoteInvitationState.CANCELED, () => this.emit('RemoteInvitationCanceled', content));
        break;
      }
      case EventKind.RemoteInvitationFailure: {
        const reason = toRemoteInvitationFailureReason(event[2]);
        this.#finish(RemoteInvitationState.FAILURE, () => this.emit('RemoteInvitationFailure', reason));
        break;
      }
      default:
        break;
    }
  }

  #finish(finalState: RemoteInvitationState, emit: () => void): void {
    snapshot(this);
    if (!FINAL_REMOTE_STATES.has(this.#state)) this.#state = finalState;
    emitThenDetach(emit, () => this.#detach(true));
  }

  #detach(ended: boolean): void {
    const n = this.#native;
    if (n === null) return;
    if (!ended) snapshot(this);
    this.#native = null;
    this.#ended = ended;
    releaseQuietly(n);
    this.#set.deactivateRemote(this, n.id);
  }

  #read<T>(fn: (n: NativeRemoteInvitation) => T, cached: T): T {
    return readNative(this.#native, fn, cached, () => (this.#native = null), 'RemoteInvitation');
  }

  /**
   * The native object for a call. An invitation that has ended answers as the SDK does for
   * one (ALREADY_ACCEPT once accepted, else ALREADY_END); a released client with RtmReleasedError.
   */
  #live(op: string): NativeRemoteInvitation {
    if (this.#native === null || this.#set.released) {
      if (this.#ended) {
        const code =
          this.#state === RemoteInvitationState.ACCEPTED
            ? InvitationApiCallErrCode.ALREADY_ACCEPT
            : InvitationApiCallErrCode.ALREADY_END;
        throw apiError(op, code);
      }
      throw new RtmReleasedError(op);
    }
    return this.#native;
  }

  #call<T>(op: string, fn: () => T): T {
    return callNative(op, fn, () => (this.#native = null));
  }
}
