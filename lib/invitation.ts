// Call invitations: LocalInvitation (caller side) and RemoteInvitation (callee side), each an
// EventEmitter wrapping one native invitation, and InvitationSet, a client's bookkeeping of its
// invitations (event dispatch by id, keep-alive count, release).
//
// Life cycle of the native object: an invitation releases it right after emitting its final
// event (accepted, refused, canceled, failure), and the client's release() releases every one
// still held. Getters keep working afterwards: they answer the values last read (every read of
// the native object refreshes them). Calls that need the native object answer as the SDK does
// for an invitation that has ended (RtmInvitationError), or RtmReleasedError once the client
// was released.
import { EventEmitter } from 'node:events';
import {
  toLocalInvitationFailureReason,
  toLocalInvitationState,
  toRemoteInvitationFailureReason,
  toRemoteInvitationState,
} from './codes';
import {
  InvitationApiCallErrCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from './enums';
import { LocalErrCode, RtmError, RtmInvitationError, RtmReleasedError, errorFor, fromNativeError, isReleasedError, localError } from './errors';
import {
  EventKind,
  type LocalInvitation as NativeLocalInvitation,
  type NativeEvent,
  type RemoteInvitation as NativeRemoteInvitation,
  type RtmClient as NativeClient,
} from './native';
import { checkUserId, describe, utf8Bytes } from './validate';

/** Invitation content and response: at most 8 KB (UTF-8). */
export const MAX_INVITATION_TEXT_BYTES = 8192;

/** Events of LocalInvitation, with their listener arguments. */
export interface LocalInvitationEvents {
  /** The callee's client received the invitation (state RECEIVED_BY_REMOTE). */
  LocalInvitationReceivedByPeer: [];
  /** The callee accepted (final; state ACCEPTED_BY_REMOTE). */
  LocalInvitationAccepted: [response: string];
  /** The callee refused (final; state REFUSED_BY_REMOTE). */
  LocalInvitationRefused: [response: string];
  /** cancel() took effect (final; state CANCELED). */
  LocalInvitationCanceled: [];
  /** The invitation failed (final; state FAILURE). An unknown reason (newer SDK) arrives as its number. */
  LocalInvitationFailure: [reason: LocalInvitationFailureReason | number];
}

/** Events of RemoteInvitation, with their listener arguments. */
export interface RemoteInvitationEvents {
  /** accept() reached the caller (final; state ACCEPTED). */
  RemoteInvitationAccepted: [];
  /** refuse() took effect (final; state REFUSED). */
  RemoteInvitationRefused: [];
  /** The caller canceled (final; state CANCELED). */
  RemoteInvitationCanceled: [content: string];
  /** The invitation failed (final; state FAILURE). An unknown reason (newer SDK) arrives as its number. */
  RemoteInvitationFailure: [reason: RemoteInvitationFailureReason | number];
}

const FINAL_LOCAL_STATES: ReadonlySet<LocalInvitationState | number> = new Set([
  LocalInvitationState.ACCEPTED_BY_REMOTE,
  LocalInvitationState.REFUSED_BY_REMOTE,
  LocalInvitationState.CANCELED,
  LocalInvitationState.FAILURE,
]);

const FINAL_REMOTE_STATES: ReadonlySet<RemoteInvitationState | number> = new Set([
  RemoteInvitationState.ACCEPTED,
  RemoteInvitationState.REFUSED,
  RemoteInvitationState.CANCELED,
  RemoteInvitationState.FAILURE,
]);

const API_ENUM = 'INVITATION_API_CALL_ERR_CODE';

/** C++ LOCAL_INVITATION_ERR_INVITATION_EXPIRE and LOCAL_INVITATION_ERR_NOT_LOGGEDIN. */
const NATIVE_INVITATION_EXPIRE = 3;
const NATIVE_NOT_LOGGEDIN = 4;

/**
 * Where the client's session is, for LocalInvitation.send: 'none' (not logged in, no login
 * pending), 'connecting' (a login pending or CONNECTING) or 'connected' (any later state).
 */
export type SessionState = 'none' | 'connecting' | 'connected';

/**
 * A sent invitation the SDK has not ended by then fails with INVITATION_EXPIRE: the callee's
 * ACK may take 30 s and the invitation lives 60 s after it (rtm-semantics.md §3), + 10 s margin.
 */
export const INVITATION_SAFETY_TIMEOUT_MS = 100_000;

/** An invitation call rejected with an INVITATION_API_CALL_ERR_CODE (always RtmInvitationError). */
function apiError(operation: string, code: number, detail?: string): RtmInvitationError {
  return errorFor(operation, API_ENUM, code, detail) as RtmInvitationError;
}

/** A string of at most 8 KB (UTF-8) without NUL bytes: TypeError, else RtmInvitationError(INVALID_ARGUMENT). */
function checkInvitationText(value: unknown, operation: string, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${operation}(): ${name} must be a string, got ${describe(value)}`);
  if (value.includes('\0')) {
    throw apiError(operation, InvitationApiCallErrCode.INVALID_ARGUMENT, `(${name} must not contain NUL bytes.)`);
  }
  const bytes = utf8Bytes(value);
  if (bytes > MAX_INVITATION_TEXT_BYTES) {
    throw apiError(
      operation,
      InvitationApiCallErrCode.INVALID_ARGUMENT,
      `(${name} must be at most ${MAX_INVITATION_TEXT_BYTES} bytes (UTF-8), got ${bytes}.)`,
    );
  }
  return value;
}

// --- Shared by LocalInvitation and RemoteInvitation ---------------------------------------------

/** What both invitation classes cache from their native object. */
interface InvitationValues {
  readonly content: string;
  readonly channelId: string;
  readonly response: string;
  readonly state: unknown;
}

/** Reads every native value into the invitation's cache (through its getters). */
function snapshot(inv: InvitationValues): void {
  void inv.content;
  void inv.channelId;
  void inv.response;
  void inv.state;
}

/** Releases a native object, ignoring one already released with the client. */
function releaseQuietly(n: { release(): void }): void {
  try {
    n.release();
  } catch {
    // already released with the client
  }
}

/**
 * A read of the native object `n` (null: released), answering `cached` without one. A client
 * released meanwhile calls `drop` (forget the native object) and answers `cached`.
 */
function readNative<N, T>(n: N | null, fn: (n: N) => T, cached: T, drop: () => void, className: string): T {
  if (n === null) return cached;
  try {
    return fn(n);
  } catch (err) {
    if (isReleasedError(err)) {
      drop(); // the client was released
      return cached;
    }
    throw fromNativeError(err, className);
  }
}

/** A call of the native object for `op`; a client released meanwhile calls `drop` and throws RtmReleasedError. */
function callNative<T>(op: string, fn: () => T, drop: () => void): T {
  try {
    return fn();
  } catch (err) {
    if (isReleasedError(err)) {
      drop();
      throw new RtmReleasedError(op);
    }
    throw fromNativeError(err, op);
  }
}

/**
 * cancel() / accept() / refuse(), which can lose a race the caller cannot see: false when the
 * invitation had already ended without this client's doing (`endedByOthers`, or the SDK's
 * ALREADY_END before this client ended it itself: `ownEnd`); any other refusal throws.
 */
function raceableCall(op: string, endedByOthers: boolean, ownEnd: boolean, call: () => number): boolean {
  if (endedByOthers) return false;
  const rc = call();
  if (rc === InvitationApiCallErrCode.ALREADY_END && !ownEnd) return false;
  if (rc !== 0) throw apiError(op, rc);
  return true;
}

/** A final event: emit, then `detach` (even if a listener throws). */
function emitThenDetach(emit: () => void, detach: () => void): void {
  try {
    emit();
  } finally {
    detach();
  }
}

// Module-private access to the classes' private members, for InvitationSet (set in static blocks).
let handleLocal!: (inv: LocalInvitation, event: NativeEvent) => void;
/** A failure the binding reports for the SDK (reason: a C++ LOCAL_INVITATION_ERR_CODE). */
let failLocal!: (inv: LocalInvitation, reason: number, onlyUnanswered: boolean) => void;
let detachLocal!: (inv: LocalInvitation) => void;
let localId!: (inv: LocalInvitation) => number;
let handleRemote!: (inv: RemoteInvitation, event: NativeEvent) => void;
let detachRemote!: (inv: RemoteInvitation) => void;

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
