// RtmClient's peer messages: sendMessageToPeer's checks and native call, and the two events that
// concern them (the send result, matched by message id; a message from a peer). Kept with the
// rule of which result codes resolve rather than reject.
import type { EventEmitter } from 'node:events';
import type { RtmClientEvents } from './client-events';
import type { RequestContext } from './client-requests';
import { PeerMessageErrCode } from './enums';
import { errorFor, fromNativeError } from './errors';
import {
  checkMessageForPeer,
  checkSendOptions,
  fromNativeMessage,
  type PeerMessageSendResult,
  type RtmMessage,
  type SendMessageOptions,
} from './messages';
import { EventKind, type Accepted, type NativeEvent } from './native';
import { keyOf, type PendingRegistry } from './pending';
import { checkUserId, type CheckContext } from './validate';

/** The PEER_MESSAGE_ERR codes with which sendMessageToPeer resolves: OK, PEER_UNREACHABLE, CACHED_BY_SERVER. */
function resolves(code: number): boolean {
  return code === PeerMessageErrCode.OK || code === PeerMessageErrCode.PEER_UNREACHABLE || code === PeerMessageErrCode.CACHED_BY_SERVER;
}

const SEND: CheckContext = { operation: 'sendMessageToPeer', cppEnum: 'PEER_MESSAGE_ERR_CODE' };
const SEND_RESULT_OPERATIONS: readonly string[] = ['sendMessageToPeer'];

/**
 * RtmClient.sendMessageToPeer. The hot path of outbound traffic: no closure and no object of its
 * own per call; a text goes to the native call as its string, which answers the message id as a
 * number.
 */
export function sendMessageToPeer(
  c: RequestContext,
  message: RtmMessage,
  peerId: string,
  options?: SendMessageOptions,
): Promise<PeerMessageSendResult> {
  c.assertAlive('sendMessageToPeer');
  const msg = checkMessageForPeer(message, SEND);
  const peer = checkUserId(peerId, SEND, 'peerId', 'INVALID_USERID');
  const opts = options === undefined ? null : checkSendOptions(options, SEND);
  let answer: number | Accepted;
  c.sends.sent();
  try {
    answer = c.native.sendMessageToPeer(peer, msg, opts);
  } catch (err) {
    throw fromNativeError(err, 'sendMessageToPeer');
  }
  return c.accepted('sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', answer);
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
  settleSendMessageResult(pending, keyOf(messageId), code);
}

/**
 * A SendMessageResult by the key of its message id (keyOf), as the dispatcher's decode hands it
 * over (decodeForDispatch): the bigint is made only for a call that waits for it.
 */
export function settleSendMessageResult(pending: PendingRegistry, key: number | bigint, code: number): void {
  const entry = pending.findKey(key, SEND_RESULT_OPERATIONS);
  if (entry === undefined) return;
  const messageId = typeof key === 'bigint' ? key : BigInt(key);
  if (resolves(code)) {
    const result: PeerMessageSendResult = { hasPeerReceived: code === PeerMessageErrCode.OK, code, messageId };
    pending.settle(entry, undefined, result);
  } else {
    pending.settle(entry, errorFor(entry.operation, entry.cppEnum, code));
  }
}
