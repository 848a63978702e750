// RtmClient's peer messages: sendMessageToPeer's checks and native call, and the two events that
// concern them (the send result, matched by message id; a message from a peer). Kept with the
// rule of which result codes resolve rather than reject.
import type { EventEmitter } from 'node:events';
import type { RtmClientEvents } from './client-events';
import type { RequestContext } from './client-requests';
import { PeerMessageErrCode } from './enums';
import { errorFor } from './errors';
import {
  checkMessage,
  checkSendOptions,
  fromNativeMessage,
  type PeerMessageSendResult,
  type RtmMessage,
  type SendMessageOptions,
} from './messages';
import { EventKind, type NativeEvent } from './native';
import type { PendingRegistry } from './pending';
import { checkUserId, type CheckContext } from './validate';

/** PEER_MESSAGE_ERR codes with which sendMessageToPeer resolves: OK, PEER_UNREACHABLE, CACHED_BY_SERVER. */
const PEER_MESSAGE_RESOLVING_CODES: ReadonlySet<number> = new Set([
  PeerMessageErrCode.OK,
  PeerMessageErrCode.PEER_UNREACHABLE,
  PeerMessageErrCode.CACHED_BY_SERVER,
]);

/** RtmClient.sendMessageToPeer. */
export function sendMessageToPeer(
  c: RequestContext,
  message: RtmMessage,
  peerId: string,
  options?: SendMessageOptions,
): Promise<PeerMessageSendResult> {
  const op = 'sendMessageToPeer';
  const ctx: CheckContext = { operation: op, cppEnum: 'PEER_MESSAGE_ERR_CODE' };
  c.assertAlive(op);
  const msg = checkMessage(message, ctx);
  const peer = checkUserId(peerId, ctx, 'peerId', 'INVALID_USERID');
  const opts = checkSendOptions(options, ctx);
  return c.request(op, 'PEER_MESSAGE_ERR_CODE', () => c.native.sendMessageToPeer(peer, msg, opts));
}

/** Handles a peer-message event; false for any other kind. */
export function handlePeerMessageEvent(
  event: NativeEvent,
  pending: PendingRegistry,
  client: EventEmitter<RtmClientEvents>,
): boolean {
  switch (event[0]) {
    case EventKind.SendMessageResult:
      onSendMessageResult(pending, event[1], event[2]);
      return true;
    case EventKind.MessageFromPeer: {
      const { message, props } = fromNativeMessage(event[2]);
      client.emit('MessageFromPeer', message, event[1], props);
      return true;
    }
    default:
      return false;
  }
}

function onSendMessageResult(pending: PendingRegistry, messageId: bigint, code: number): void {
  const entry = pending.find(messageId, ['sendMessageToPeer']);
  if (entry === undefined) return;
  if (PEER_MESSAGE_RESOLVING_CODES.has(code)) {
    const result: PeerMessageSendResult = { hasPeerReceived: code === PeerMessageErrCode.OK, code, messageId };
    pending.settle(entry, undefined, result);
  } else {
    pending.settle(entry, errorFor(entry.operation, entry.cppEnum, code));
  }
}
