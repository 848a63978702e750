// Recorders of an invitation's events, for the unit and the integration tests of invitations.
import type { LocalInvitation, RemoteInvitation } from '../../lib/invitation';

/** Every event of a local invitation as `Name(args)@state-at-that-moment`. */
export function recordLocal(inv: LocalInvitation): string[] {
  const seen: string[] = [];
  inv.on('LocalInvitationReceivedByPeer', () => seen.push(`ReceivedByPeer@${inv.state}`));
  inv.on('LocalInvitationAccepted', (r) => seen.push(`Accepted(${r})@${inv.state}`));
  inv.on('LocalInvitationRefused', (r) => seen.push(`Refused(${r})@${inv.state}`));
  inv.on('LocalInvitationCanceled', () => seen.push(`Canceled@${inv.state}`));
  inv.on('LocalInvitationFailure', (reason) => seen.push(`Failure(${reason})@${inv.state}`));
  return seen;
}

/** Every event of a remote invitation as `Name(args)@state-at-that-moment`. */
export function recordRemote(inv: RemoteInvitation): string[] {
  const seen: string[] = [];
  inv.on('RemoteInvitationAccepted', () => seen.push(`Accepted@${inv.state}`));
  inv.on('RemoteInvitationRefused', () => seen.push(`Refused@${inv.state}`));
  inv.on('RemoteInvitationCanceled', (c) => seen.push(`Canceled(${c})@${inv.state}`));
  inv.on('RemoteInvitationFailure', (reason) => seen.push(`Failure(${reason})@${inv.state}`));
  return seen;
}
