// The event maps of LocalInvitation and RemoteInvitation: what each event hands its listeners.
// Apart from the classes, so that each side's events read as one list.
import type { LocalInvitationFailureReason, RemoteInvitationFailureReason } from './enums';

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
