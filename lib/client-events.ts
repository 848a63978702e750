// RtmClient's event map: what each event hands its listeners. Apart from the class so that the
// events read as one list, and so that helper modules can type the emitter without the class.
import type { ConnectionChangeReason, ConnectionState, PeerOnlineState } from './enums';
import type { RtmError } from './errors';
import type { RemoteInvitation } from './invitation';
import type { ReceivedMessageProperties, ReceivedRtmMessage } from './messages';

/** Events of RtmClient, with their listener arguments. */
export interface RtmClientEvents {
  /**
   * Every onConnectionStateChanged. A value this package does not know (a newer SDK) arrives as
   * its number.
   */
  ConnectionStateChanged: [state: ConnectionState | number, reason: ConnectionChangeReason | number];
  /** The token expired (AccessToken 006: the session stays connected); renewToken() or log in again. */
  TokenExpired: [];
  /**
   * A peer sent this client a message (onMessageReceivedFromPeer). `message` is normalised to
   * `{ messageType: 'TEXT', text }` or `{ messageType: 'RAW', rawMessage, description }`, its bytes
   * copied out of the SDK; messages cached while this user was offline arrive at login with
   * `props.isOfflineMessage`.
   */
  MessageFromPeer: [message: ReceivedRtmMessage, peerId: string, props: ReceivedMessageProperties];
  /**
   * Presence of subscribed peers (onPeersOnlineStatusChanged): a snapshot right after
   * subscribePeersOnlineStatus(), then every change. A value this package does not know arrives
   * as its number.
   */
  PeersOnlineStatusChanged: [status: Record<string, PeerOnlineState | number>];
  /** A failure that belongs to no call. Emitted only when someone listens. */
  error: [err: RtmError];
  /**
   * A peer's call invitation (onRemoteInvitationReceived). Answer it with accept() / refuse();
   * it is released once it reaches a final state or the client is released.
   */
  RemoteInvitationReceived: [invitation: RemoteInvitation];
  /**
   * The listeners are not keeping up: `pendingEvents` events (messages, state changes, results…)
   * wait for them, at least createInstance's `backlogHighWaterMark`. Nothing is dropped; the
   * events keep coming in order. Emitted again only after the backlog has drained to half the mark.
   */
  Backlog: [pendingEvents: number];
}
