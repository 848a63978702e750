// Peer messages: the shapes users send and receive (Web SDK 1.x), the checks done before a
// message crosses into native code, and the normalisation of a received IMessage.
// Pure: loads no native code.
import { types } from 'node:util';
import type { PeerMessageErrCode } from './enums';
import { invalidArgument } from './errors';
import type { NativeMessage, NativeOutgoingMessage, NativeSendOptions } from './native';
import { checkOptionalBoolean, checkOptions, describe, utf8Bytes, type CheckContext } from './validate';

/** Text, or raw bytes plus description: at most 32 KB (32 768 bytes, UTF-8) per message. */
export const MAX_MESSAGE_BYTES = 32 * 1024;

/** A text message to send. `text` is UTF-8 on the wire: at most 32 768 bytes, no NUL characters. */
export interface RtmTextMessage {
  messageType?: 'TEXT';
  text: string;
  rawMessage?: never;
  description?: never;
}

/** A raw (binary) message to send: bytes plus an optional description, together at most 32 768 bytes. */
export interface RtmRawMessage {
  messageType?: 'RAW';
  rawMessage: Uint8Array;
  /** Text that describes the bytes (UTF-8, no NUL characters). Default ''. */
  description?: string;
  text?: never;
}

/** What sendMessageToPeer (and later RtmChannel.sendMessage) takes. A received message can be sent on as is. */
export type RtmMessage = RtmTextMessage | RtmRawMessage;

/** A received text message. */
export interface ReceivedTextMessage {
  messageType: 'TEXT';
  text: string;
}

/** A received raw message: `rawMessage` is this message's own copy of the bytes. */
export interface ReceivedRawMessage {
  messageType: 'RAW';
  rawMessage: Uint8Array;
  description: string;
}

/** A message as MessageFromPeer (and later ChannelMessage) delivers it. */
export type ReceivedRtmMessage = ReceivedTextMessage | ReceivedRawMessage;

/** SendMessageOptions of the C++ SDK. */
export interface SendMessageOptions {
  /** When the peer is offline, the server keeps the message (at most 200 per receiver) and the result is CACHED_BY_SERVER. */
  enableOfflineMessaging?: boolean;
  /** A private-beta flag of the SDK; the emulator ignores it. */
  enableHistoricalMessaging?: boolean;
}

/** How sendMessageToPeer resolved: PEER_MESSAGE_ERR_OK (0), PEER_UNREACHABLE (3) or CACHED_BY_SERVER (4). */
export interface PeerMessageSendResult {
  /** True only for OK (0): the peer got the message. */
  hasPeerReceived: boolean;
  code: PeerMessageErrCode;
  /** The SDK's 64-bit id of the sent message (extra to the Web SDK shape). */
  messageId: bigint;
}

/** The third argument of MessageFromPeer. */
export interface ReceivedMessageProperties {
  /** When the server received the message, in ms since the epoch (not for strict ordering). */
  serverReceivedTs: number;
  /** True for a message the server cached while this user was offline (delivered at login). */
  isOfflineMessage: boolean;
  /** The SDK's 64-bit id of the message (extra to the Web SDK shape). */
  messageId: bigint;
}

const MESSAGE_KEYS = ['text', 'rawMessage', 'description', 'messageType'] as const;
/** Texts of at most this many UTF-16 code units are within MAX_MESSAGE_BYTES whatever they hold. */
const MAX_TEXT_UNITS_UNCOUNTED = Math.floor(MAX_MESSAGE_BYTES / 3);

function invalidMessage(ctx: CheckContext, why: string): Error {
  return invalidArgument(ctx.operation, ctx.cppEnum, why, 'INVALID_MESSAGE');
}

// %TypedArray%.prototype.byteLength: the view's real size, whatever own `byteLength` it was given.
const typedArrayByteLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'byteLength')!
  .get as (this: Uint8Array) => number;

/**
 * Checks a message to send and returns what the native call takes. A wrong shape or JS type
 * throws TypeError; a NUL character, an unknown messageType or more than 32 768 bytes throws
 * RtmInvalidArgumentError with the operation's INVALID_MESSAGE code. Keys other than text,
 * rawMessage, description and messageType are ignored (so a received message can be forwarded).
 * Each of those four is read exactly once (getters included), and only what was read is checked
 * and returned; `rawMessage` is returned as a copy of its bytes, so neither a getter nor a later
 * change to the bytes (a resizable buffer grown by another argument's getter) can change what is
 * sent after the check.
 */
export function checkMessage(value: unknown, ctx: CheckContext, name = 'message'): NativeOutgoingMessage {
  const checked = checkMessageForPeer(value, ctx, name);
  return typeof checked === 'string' ? { text: checked } : checked;
}

/**
 * As checkMessage, but a text message is returned as its string (the form sendMessageToPeer's
 * native call takes without reading an object).
 */
export function checkMessageForPeer(
  value: unknown,
  ctx: CheckContext,
  name = 'message',
): string | { rawMessage: Uint8Array; description: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${ctx.operation}(): ${name} must be an object: { text } or { rawMessage: Uint8Array, description? }; got ${describe(value)}`,
    );
  }
  const source = value as Partial<Record<(typeof MESSAGE_KEYS)[number], unknown>>;
  // Every field read once, here, in this order (MESSAGE_KEYS').
  const text = source.text;
  const rawMessage = source.rawMessage;
  const description = source.description;
  const messageType = source.messageType;
  let type: 'TEXT' | 'RAW';
  if (messageType !== undefined) {
    if (messageType !== 'TEXT' && messageType !== 'RAW') {
      if (typeof messageType !== 'string') {
        throw new TypeError(`${ctx.operation}(): ${name}.messageType must be 'TEXT' or 'RAW', got ${describe(messageType)}`);
      }
      throw invalidMessage(ctx, `${name}.messageType must be 'TEXT' or 'RAW' (this SDK version sends no other kind), got ${describe(messageType)}`);
    }
    type = messageType;
  } else if (rawMessage !== undefined) {
    if (text !== undefined) {
      throw new TypeError(`${ctx.operation}(): ${name} has both text and rawMessage; set messageType ('TEXT' or 'RAW') or pass only one`);
    }
    type = 'RAW';
  } else if (text !== undefined) {
    type = 'TEXT';
  } else {
    throw new TypeError(`${ctx.operation}(): ${name} must have text (a string) or rawMessage (a Uint8Array)`);
  }

  if (type === 'TEXT') {
    if (typeof text !== 'string') throw new TypeError(`${ctx.operation}(): ${name}.text must be a string, got ${describe(text)}`);
    if (text.includes('\0')) throw invalidMessage(ctx, `${name}.text must not contain NUL characters`);
    // A UTF-16 code unit is at most 3 bytes of UTF-8: short texts need no count.
    if (text.length > MAX_TEXT_UNITS_UNCOUNTED) {
      const bytes = utf8Bytes(text);
      if (bytes > MAX_MESSAGE_BYTES) {
        throw invalidMessage(ctx, `${name}.text must be at most ${MAX_MESSAGE_BYTES} bytes (UTF-8), got ${bytes}`);
      }
    }
    return text;
  }

  // A real Uint8Array (or Buffer): not a Proxy, an imitation or another typed array, which the
  // addon would refuse with a generic error.
  if (!types.isUint8Array(rawMessage)) {
    throw new TypeError(`${ctx.operation}(): ${name}.rawMessage must be a Uint8Array (or Buffer), got ${describe(rawMessage)}`);
  }
  const given = rawMessage;
  const byteLength = typedArrayByteLength.call(given);
  let desc = '';
  if (description !== undefined) {
    if (typeof description !== 'string') {
      throw new TypeError(`${ctx.operation}(): ${name}.description must be a string, got ${describe(description)}`);
    }
    desc = description;
  }
  if (desc.includes('\0')) throw invalidMessage(ctx, `${name}.description must not contain NUL characters`);
  const total = byteLength + utf8Bytes(desc);
  if (total > MAX_MESSAGE_BYTES) {
    throw invalidMessage(
      ctx,
      `${name}.rawMessage plus description must be at most ${MAX_MESSAGE_BYTES} bytes together, got ${byteLength} + ${total - byteLength}`,
    );
  }
  // The bytes as checked (at most 32 KB), in a buffer no one else holds.
  const copy = new Uint8Array(byteLength);
  if (byteLength > 0) copy.set(given); // (a detached buffer reads as 0 bytes)
  return { rawMessage: copy, description: desc };
}

/**
 * SendMessageOptions → the native pair; undefined → null (the SDK's 2-argument overload). Options
 * must be a plain object (TypeError otherwise); each flag is read once.
 */
export function checkSendOptions(value: unknown, ctx: CheckContext, name = 'options'): NativeSendOptions | null {
  if (value === undefined) return null;
  const opts = checkOptions(value, ctx, name, ['enableOfflineMessaging', 'enableHistoricalMessaging']);
  return [
    checkOptionalBoolean(opts.enableOfflineMessaging, ctx, `${name}.enableOfflineMessaging`, false),
    checkOptionalBoolean(opts.enableHistoricalMessaging, ctx, `${name}.enableHistoricalMessaging`, false),
  ];
}

/** NativeMessage's MESSAGE_TYPE of a raw message (C++ MESSAGE_TYPE_RAW). */
export const MESSAGE_TYPE_RAW = 2;

/** A received NativeMessage → the message and the listener's properties. */
export function fromNativeMessage(m: NativeMessage): { message: ReceivedRtmMessage; props: ReceivedMessageProperties } {
  const [type, messageId, text, raw, serverReceivedTs, isOfflineMessage] = m;
  const props: ReceivedMessageProperties = { serverReceivedTs, isOfflineMessage, messageId };
  if (raw !== null || type === MESSAGE_TYPE_RAW) {
    let bytes: Uint8Array;
    if (raw === null) bytes = new Uint8Array(0);
    // The binding copied the bytes into a Buffer of their own: a plain view of it is a copy
    // that no one else holds. A Buffer that shares its memory (a pool slice) is copied.
    else if (raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength) bytes = new Uint8Array(raw.buffer, 0, raw.byteLength);
    else bytes = new Uint8Array(raw);
    return { message: { messageType: 'RAW', rawMessage: bytes, description: text }, props };
  }
  return { message: { messageType: 'TEXT', text }, props };
}
