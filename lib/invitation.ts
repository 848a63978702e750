// Call invitations: InvitationSet, a client's bookkeeping of its invitations (event dispatch by
// id, keep-alive count, release), and the module the rest of the package imports invitations
// from: LocalInvitation (caller side, local-invitation.ts) and RemoteInvitation (callee side,
// remote-invitation.ts), each an EventEmitter wrapping one native invitation.
//
// Life cycle of the native object: an invitation releases it right after emitting its final
// event (accepted, refused, canceled, failure), and the client's release() releases every one
// still held. Getters keep working afterwards: they answer the values last read (every read of
// the native object refreshes them). Calls that need the native object answer as the SDK does
// for an invitation that has ended (RtmInvitationError), or RtmReleasedError once the client
// was released.
import { toRemoteInvitationState } from './codes';
import { LocalErrCode, RtmError, RtmInvitationError, RtmReleasedError, fromNativeError, isReleasedError, localError } from './errors';
import {
  API_ENUM,
  FINAL_REMOTE_STATES,
  INVITATION_SAFETY_TIMEOUT_MS,
  NATIVE_NOT_LOGGEDIN,
  releaseQuietly,
  type SessionState,
} from './invitation-shared';
import { LocalInvitation, detachLocal, failLocal, handleLocal, localId } from './local-invitation';
import {
  EventKind,
  type LocalInvitation as NativeLocalInvitation,
  type NativeEvent,
  type RemoteInvitation as NativeRemoteInvitation,
  type RtmClient as NativeClient,
} from './native';
import { RemoteInvitation, detachRemote, handleRemote } from './remote-invitation';
import { checkUserId } from './validate';

export { LocalInvitation } from './local-invitation';
export { RemoteInvitation } from './remote-invitation';
export type { LocalInvitationEvents, RemoteInvitationEvents } from './invitation-events';
export { INVITATION_SAFETY_TIMEOUT_MS, MAX_INVITATION_TEXT_BYTES, type SessionState } from './invitation-shared';

/**
 * @internal A client's invitations in progress (a local one from send() until its final event,
 * a remote one from RemoteInvitationReceived until its final event): event dispatch by id, the
 * count that keeps the client alive, and release with the client.
 */
export class InvitationSet {
  readonly #locals = new Map<number, LocalInvitation>();
  readonly #remotes = new Map<number, RemoteInvitation>();
  readonly #native: NativeClient;
  readonly #onChange: () => void;
  readonly #onReceived: (invitation: RemoteInvitation) => void;
  readonly #session: () => SessionState;
  readonly #safetyTimeoutMs: number;
  #released = false;
  /**
   * A LocalInvitation the application dropped without sending it (or after it ended) releases its
   * native object when collected; one in progress is held by #locals until its final event. The
   * callback runs as an ordinary task on the JS thread, not inside the garbage collector.
   */
  readonly #dropped = new FinalizationRegistry<NativeLocalInvitation>((n) => releaseQuietly(n)); // released client: nothing left to free

  /**
   * `onChange` runs whenever the number of invitations in progress changes (keep-alive);
   * `onReceived` hands a new RemoteInvitation to the client's listeners.
   */
  constructor(
    nativeClient: NativeClient,
    onChange: () => void,
    onReceived: (invitation: RemoteInvitation) => void,
    session: () => SessionState,
    safetyTimeoutMs = INVITATION_SAFETY_TIMEOUT_MS,
  ) {
    this.#native = nativeClient;
    this.#onChange = onChange;
    this.#onReceived = onReceived;
    this.#session = session;
    this.#safetyTimeoutMs = safetyTimeoutMs;
  }

  /** @internal The client's session, for send(). */
  session(): SessionState {
    return this.#session();
  }

  /** @internal The safety timer of a sent invitation (it does not itself keep the process alive). */
  safetyTimer(fire: () => void): NodeJS.Timeout {
    return setTimeout(fire, this.#safetyTimeoutMs).unref();
  }

  /**
   * The login failed, the client logged out or its session was aborted: invitations sent while
   * the login was pending, and not heard of since, fail with NOT_LOGGEDIN (the real SDK never
   * answers them: rtm-abi.md §8.2).
   */
  cutOff(): void {
    for (const invitation of [...this.#locals.values()]) failLocal(invitation, NATIVE_NOT_LOGGEDIN, true);
  }

  /** Invitations in progress. */
  get active(): number {
    return this.#locals.size + this.#remotes.size;
  }

  /** The client was released. */
  get released(): boolean {
    return this.#released;
  }

  /** RtmClient.createLocalInvitation. */
  createLocal(calleeId: unknown): LocalInvitation {
    const op = 'createLocalInvitation';
    let callee: string;
    try {
      callee = checkUserId(calleeId, { operation: op, cppEnum: API_ENUM }, 'calleeId');
    } catch (err) {
      // One class for every rejected invitation argument: RtmInvitationError(INVALID_ARGUMENT).
      if (err instanceof RtmError && !(err instanceof RtmInvitationError)) {
        throw new RtmInvitationError(err.message, { code: err.code, codeName: err.codeName, operation: op });
      }
      throw err;
    }
    if (this.#released) throw new RtmReleasedError(op);
    let n: NativeLocalInvitation | null;
    try {
      n = this.#native.createLocalInvitation(callee);
    } catch (err) {
      throw fromNativeError(err, op);
    }
    if (n === null) {
      throw localError(op, LocalErrCode.NATIVE, `${op}() failed: the SDK returned no invitation (IRtmCallManager unavailable).`);
    }
    const invitation = new LocalInvitation(n, this, callee);
    this.#dropped.register(invitation, n);
    return invitation;
  }

  /** @internal send() was accepted: the invitation gets its events and counts as in progress. */
  activateLocal(invitation: LocalInvitation): void {
    if (this.#released) return;
    this.#locals.set(localId(invitation), invitation);
    this.#onChange();
  }

  /** @internal */
  deactivateLocal(invitation: LocalInvitation): void {
    const id = localId(invitation);
    if (this.#locals.get(id) === invitation) {
      this.#locals.delete(id);
      this.#onChange();
    }
  }

  /** @internal */
  deactivateRemote(invitation: RemoteInvitation, id: number): void {
    if (this.#remotes.get(id) === invitation) {
      this.#remotes.delete(id);
      this.#onChange();
    }
  }

  /** Handles an invitation event (kinds 40–49); false for any other kind. */
  handle(event: NativeEvent): boolean {
    switch (event[0]) {
      case EventKind.LocalInvitationReceivedByPeer:
      case EventKind.LocalInvitationCanceled:
      case EventKind.LocalInvitationFailure:
      case EventKind.LocalInvitationAccepted:
      case EventKind.LocalInvitationRefused: {
        const invitation = this.#locals.get(event[1]);
        if (invitation !== undefined) handleLocal(invitation, event);
        return true;
      }
      case EventKind.RemoteInvitationRefused:
      case EventKind.RemoteInvitationAccepted:
      case EventKind.RemoteInvitationFailure:
      case EventKind.RemoteInvitationCanceled: {
        const invitation = this.#remotes.get(event[1]);
        if (invitation !== undefined) handleRemote(invitation, event);
        return true;
      }
      case EventKind.RemoteInvitationReceived: {
        const [, id, callerId, content, channelId, state] = event;
        if (this.#released || this.#remotes.has(id)) return true;
        let n: NativeRemoteInvitation | null;
        try {
          n = this.#native.remoteInvitation(id);
        } catch (err) {
          if (isReleasedError(err)) return true;
          throw err;
        }
        if (n === null) return true; // released meanwhile
        // Already ended (the caller canceled before this event could be dispatched): nobody can
        // answer it, so no listener sees it, and its final event finds no invitation.
        let now: number;
        try {
          now = n.state();
        } catch (err) {
          if (isReleasedError(err)) return true;
          throw err;
        }
        if (FINAL_REMOTE_STATES.has(toRemoteInvitationState(now))) {
          releaseQuietly(n);
          return true;
        }
        const invitation = new RemoteInvitation(n, this, { callerId, content, channelId, state: now });
        this.#remotes.set(id, invitation);
        this.#onChange();
        this.#onReceived(invitation);
        return true;
      }
      default:
        return false;
    }
  }

  /** The client's release(): every invitation in progress keeps its last values and lets go of its native object. */
  releaseAll(): void {
    if (this.#released) return;
    this.#released = true;
    for (const invitation of [...this.#locals.values()]) detachLocal(invitation);
    for (const invitation of [...this.#remotes.values()]) detachRemote(invitation);
    this.#locals.clear();
    this.#remotes.clear();
  }
}
