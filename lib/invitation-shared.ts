// What LocalInvitation, RemoteInvitation and InvitationSet share: the text limit and its check,
// the final states, the error of a refused call, and the rules for reading and calling a native
// invitation that may be gone (released at the invitation's end or with the client). One place,
// so that the caller's and the callee's side answer alike.
import { InvitationApiCallErrCode, LocalInvitationState, RemoteInvitationState } from './enums';
import { RtmInvitationError, RtmReleasedError, errorFor, fromNativeError, isReleasedError } from './errors';
import { describe, utf8Bytes } from './validate';

/** Invitation content and response: at most 8 KB (UTF-8). */
export const MAX_INVITATION_TEXT_BYTES = 8192;

export const FINAL_LOCAL_STATES: ReadonlySet<LocalInvitationState | number> = new Set([
  LocalInvitationState.ACCEPTED_BY_REMOTE,
  LocalInvitationState.REFUSED_BY_REMOTE,
  LocalInvitationState.CANCELED,
  LocalInvitationState.FAILURE,
]);

export const FINAL_REMOTE_STATES: ReadonlySet<RemoteInvitationState | number> = new Set([
  RemoteInvitationState.ACCEPTED,
  RemoteInvitationState.REFUSED,
  RemoteInvitationState.CANCELED,
  RemoteInvitationState.FAILURE,
]);

export const API_ENUM = 'INVITATION_API_CALL_ERR_CODE';

/** C++ LOCAL_INVITATION_ERR_INVITATION_EXPIRE and LOCAL_INVITATION_ERR_NOT_LOGGEDIN. */
export const NATIVE_INVITATION_EXPIRE = 3;
export const NATIVE_NOT_LOGGEDIN = 4;

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
export function apiError(operation: string, code: number, detail?: string): RtmInvitationError {
  return errorFor(operation, API_ENUM, code, detail) as RtmInvitationError;
}

/** A string of at most 8 KB (UTF-8) without NUL bytes: TypeError, else RtmInvitationError(INVALID_ARGUMENT). */
export function checkInvitationText(value: unknown, operation: string, name: string): string {
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
export function snapshot(inv: InvitationValues): void {
  void inv.content;
  void inv.channelId;
  void inv.response;
  void inv.state;
}

/** Releases a native object, ignoring one already released with the client. */
export function releaseQuietly(n: { release(): void }): void {
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
export function readNative<N, T>(n: N | null, fn: (n: N) => T, cached: T, drop: () => void, className: string): T {
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
export function callNative<T>(op: string, fn: () => T, drop: () => void): T {
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
export function raceableCall(op: string, endedByOthers: boolean, ownEnd: boolean, call: () => number): boolean {
  if (endedByOthers) return false;
  const rc = call();
  if (rc === InvitationApiCallErrCode.ALREADY_END && !ownEnd) return false;
  if (rc !== 0) throw apiError(op, rc);
  return true;
}

/** A final event: emit, then `detach` (even if a listener throws). */
export function emitThenDetach(emit: () => void, detach: () => void): void {
  try {
    emit();
  } finally {
    detach();
  }
}
