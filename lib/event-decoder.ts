// Decodes a slice of events handed over by the binding: one ArrayBuffer holding the records of up
// to 1024 events as binding/event_log.h encodes them (the format is described there), turned into
// the NativeEvent arrays the dispatcher reads. Building JS values here, rather than with one
// Node-API call per value in C++, is what makes the inbound path cheap.
//
// The busiest events have paths of their own for the dispatcher (decodeForDispatch): a
// MessageFromPeer record is read straight into the listener's three arguments (message, peer id,
// properties), without the NativeEvent / NativeMessage arrays and fromNativeMessage's wrapper,
// giving exactly what the general path plus fromNativeMessage give (a ChannelMessage likewise,
// with its channel's reference before them); a SendMessageResult into the
// key of its id in the pending calls' index and its code. A record of any other layout takes the
// general path.
//
// Every read is bounds-checked. A malformed record (a bug, never expected) is skipped by its
// length prefix, or ends the slice when even that is unusable; it can neither hang nor crash.
import { EventKind, type NativeEvent } from './native';
import { MESSAGE_TYPE_RAW, type ReceivedMessageProperties, type ReceivedRtmMessage } from './messages';

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Number = 3,
  BigInt = 4,
  Utf8 = 5,
  Bytes = 6,
  Array = 7,
  Ascii = 8,
}

/** The header of a record: byteLength, kind, argc. */
const RECORD_HEADER = 12;
/** Nested arrays deeper than this are malformed (the deepest event has 2 levels). */
const MAX_DEPTH = 8;
/** Top-level ASCII strings up to this many bytes are compared with the previous one (peer ids). */
const CACHED_MAX = 64;

class MalformedRecord extends Error {}

interface BufferSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

let malformed = 0;
let warned = false;

/** Records skipped as malformed since the process started (tests read it). @internal */
export function malformedRecords(): number {
  return malformed;
}

// The state of one decode, module-level so a slice allocates nothing beyond its values. Not
// re-entrant, and need not be: decodeSlice calls nothing outside this module.
const EMPTY = new ArrayBuffer(0);
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_TEXT = Buffer.alloc(0) as Buffer & BufferSlices;
let view = new DataView(EMPTY);
let bytes = EMPTY_BYTES;
let text = EMPTY_TEXT;
let at = 0;
let recordEnd = 0;

// The last top-level ASCII string (a peer id, most of the time) and its bytes: the same id as in
// the previous event gives the same string, without making a new one.
const cachedBytes = new Uint8Array(CACHED_MAX);
let cachedLength = -1;
let cachedString = '';

function need(n: number): void {
  if (n < 0 || at + n > recordEnd) throw new MalformedRecord();
}

function length(): number {
  need(4);
  const n = view.getUint32(at, true);
  at += 4;
  need(n);
  return n;
}

// Short ASCII strings (message texts, mostly) are made in JS: String.fromCharCode with one argument
// per byte makes the one-byte string directly, in about half the time of Buffer's latin1Slice,
// whose cost is mostly that of any call into C++ (measured: 24 bytes ~60 vs ~120 ns). Beyond
// SHORT_MAX bytes latin1Slice is the faster. The functions, one per length, are generated once;
// where code generation from strings is disallowed (--disallow-code-generation-from-strings),
// latin1Slice makes every string.
const SHORT_MAX = 32;
type ShortString = (b: Uint8Array, start: number) => string;
const shortStrings: ShortString[] = makeShortStrings();

function makeShortStrings(): ShortString[] {
  const made: ShortString[] = [];
  try {
    for (let n = 0; n <= SHORT_MAX; n++) {
      const args = Array.from({ length: n }, (_, i) => `b[s + ${i}]`).join(', ');
      // String.fromCharCode as it is now, not as the global may later be replaced.
      made.push(new Function('f', `return (b, s) => f(${args});`)(String.fromCharCode) as ShortString);
    }
  } catch {
    return [];
  }
  return made;
}

/** The ASCII (or Latin-1) string of bytes [start, start + n). */
function ascii(start: number, n: number): string {
  return n < shortStrings.length ? shortStrings[n](bytes, start) : text.latin1Slice(start, start + n);
}

function asciiCached(start: number, n: number): string {
  if (n === cachedLength) {
    let i = 0;
    while (i < n && bytes[start + i] === cachedBytes[i]) i++;
    if (i === n) return cachedString;
  }
  const s = ascii(start, n);
  if (n <= CACHED_MAX) {
    cachedBytes.set(bytes.subarray(start, start + n));
    cachedLength = n;
    cachedString = s;
  }
  return s;
}

function value(depth: number, topLevel: boolean): unknown {
  need(1);
  const tag = bytes[at++];
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Number: {
      need(8);
      const v = view.getFloat64(at, true);
      at += 8;
      return v;
    }
    case Tag.BigInt: {
      need(8);
      const v = view.getBigInt64(at, true);
      at += 8;
      return v;
    }
    case Tag.Ascii: {
      const n = length();
      const start = at;
      at += n;
      if (topLevel) return asciiCached(start, n);
      return ascii(start, n);
    }
    case Tag.Utf8: {
      const n = length();
      const start = at;
      at += n;
      return text.utf8Slice(start, at);
    }
    case Tag.Bytes: {
      const n = length();
      // A Buffer of its own (a copy), never a view that would keep the whole slice alive.
      const out = Buffer.allocUnsafeSlow(n);
      out.set(bytes.subarray(at, at + n));
      at += n;
      return out;
    }
    case Tag.Array: {
      need(4);
      const count = view.getUint32(at, true);
      at += 4;
      // Every value takes at least one byte: a count beyond what is left is malformed.
      if (depth >= MAX_DEPTH || count > recordEnd - at) throw new MalformedRecord();
      const out = new Array<unknown>(count);
      for (let i = 0; i < count; i++) out[i] = value(depth + 1, false);
      return out;
    }
    default:
      throw new MalformedRecord();
  }
}

function reportMalformed(): void {
  malformed += 1;
  if (warned) return;
  warned = true;
  process.emitWarning('agora-rtm-node: the binding handed over a malformed event record; it was dropped', {
    code: 'ERR_RTM_EVENT_RECORD',
  });
}

/** The kinds decodeForDispatch reads on paths of their own. */
const MESSAGE_FROM_PEER = EventKind.MessageFromPeer;
const SEND_MESSAGE_RESULT = EventKind.SendMessageResult;
const CHANNEL_MESSAGE = EventKind.ChannelMessage;

/**
 * In decodeForDispatch's list, the entry before a MessageFromPeer's three listener arguments
 * (message, peerId, props). Every other entry is a NativeEvent (an array).
 */
export const PEER_MESSAGE = 0;
/**
 * In decodeForDispatch's list, the entry before a SendMessageResult's message id, as its key in
 * the pending calls' index (lib/pending.ts keyOf: a number for a safe integer, else the bigint),
 * and its code.
 */
export const SEND_RESULT = 1;
/**
 * In decodeForDispatch's list, the entry before a ChannelMessage's channel reference and its
 * listener's three arguments (message, memberId, props).
 */
export const CHANNEL_MESSAGE_ENTRY = 2;

/**
 * A SendMessageResult record whose header was read: pushes SEND_RESULT, the id's key and the
 * code. False, with nothing pushed, for any other layout.
 */
function sendResultInto(out: unknown[]): boolean {
  if (recordEnd - at !== 18 || bytes[at] !== Tag.BigInt || bytes[at + 9] !== Tag.Number) return false;
  const low = view.getUint32(at + 1, true);
  const high = view.getUint32(at + 5, true);
  let key: number | bigint;
  if (high < 0x200000) {
    key = high * 0x100000000 + low; // below 2^53: exactly the number keyOf gives, with no bigint
  } else {
    const id = view.getBigInt64(at + 1, true);
    const n = Number(id);
    key = Number.isSafeInteger(n) ? n : id;
  }
  const code = view.getFloat64(at + 10, true);
  at = recordEnd;
  let w = written;
  out[w++] = SEND_RESULT;
  out[w++] = key;
  out[w++] = code;
  written = w;
  return true;
}

/** A string value at `at` (tag Ascii or Utf8); undefined (nothing read) for any other tag. */
function stringAt(topLevel: boolean): string | undefined {
  need(1);
  const tag = bytes[at];
  if (tag !== Tag.Ascii && tag !== Tag.Utf8) return undefined;
  at += 1;
  const n = length();
  const start = at;
  at += n;
  if (tag === Tag.Utf8) return text.utf8Slice(start, at);
  if (topLevel) return asciiCached(start, n);
  return ascii(start, n);
}

/**
 * A MessageFromPeer record whose header was read (`at` after argc): pushes PEER_MESSAGE and the
 * listener's arguments, as fromNativeMessage makes them from the general path's NativeMessage.
 * False, with nothing pushed, for any other layout or a short record (the caller then decodes it
 * generally, which decides). Bounds are checked here per fixed part, not per read.
 */
function peerMessageInto(out: unknown[]): boolean {
  const peerId = stringAt(true);
  if (peerId === undefined) return false;
  const message = messageAt();
  if (message === undefined) return false;
  let w = written;
  out[w++] = PEER_MESSAGE;
  out[w++] = message;
  out[w++] = peerId;
  out[w++] = lastProps;
  written = w;
  return true;
}

/**
 * A ChannelMessage record whose header was read: pushes CHANNEL_MESSAGE_ENTRY, the channel's
 * reference and the listener's arguments, as peerMessageInto does. False, with nothing pushed, for
 * any other layout or a short record.
 */
function channelMessageInto(out: unknown[]): boolean {
  if (recordEnd - at < 9 || bytes[at] !== Tag.Number) return false;
  const ref = view.getFloat64(at + 1, true);
  at += 9;
  const memberId = stringAt(true);
  if (memberId === undefined) return false;
  const message = messageAt();
  if (message === undefined) return false;
  let w = written;
  out[w++] = CHANNEL_MESSAGE_ENTRY;
  out[w++] = ref;
  out[w++] = message;
  out[w++] = memberId;
  out[w++] = lastProps;
  written = w;
  return true;
}

/** messageAt's properties of the message it returned. */
let lastProps: ReceivedMessageProperties = { serverReceivedTs: 0, isOfflineMessage: false, messageId: 0n };

/**
 * The NativeMessage at `at`, the last value of its record, as fromNativeMessage makes it (its
 * properties in lastProps). Undefined for any other layout.
 */
function messageAt(): ReceivedRtmMessage | undefined {
  const b = bytes;
  const v = view;
  let p = at;
  // [ array of 6: type (number), id (bigint), text, raw bytes | null, serverReceivedTs, isOfflineMessage ]
  if (recordEnd - p < 23 || b[p] !== Tag.Array || v.getUint32(p + 1, true) !== 6 || b[p + 5] !== Tag.Number || b[p + 14] !== Tag.BigInt) {
    return undefined;
  }
  const type = v.getFloat64(p + 6, true);
  const messageId = v.getBigInt64(p + 15, true);
  at = p + 23;
  const body = stringAt(false);
  if (body === undefined) return undefined;
  p = at;
  if (p >= recordEnd) return undefined;
  let raw: Uint8Array | null = null;
  if (b[p] === Tag.Bytes) {
    if (recordEnd - p < 5) return undefined;
    const n = v.getUint32(p + 1, true);
    if (n > recordEnd - p - 5) return undefined;
    // A buffer of its own (a copy), as fromNativeMessage hands out.
    raw = new Uint8Array(n);
    raw.set(b.subarray(p + 5, p + 5 + n));
    p += 5 + n;
  } else if (b[p] === Tag.Null) {
    p += 1;
  } else {
    return undefined;
  }
  if (recordEnd - p !== 10 || b[p] !== Tag.Number) return undefined;
  const flag = b[p + 9];
  if (flag !== Tag.False && flag !== Tag.True) return undefined;
  const serverReceivedTs = v.getFloat64(p + 1, true);
  at = recordEnd;
  lastProps = { serverReceivedTs, isOfflineMessage: flag === Tag.True, messageId };
  if (raw !== null || type === MESSAGE_TYPE_RAW) {
    return { messageType: 'RAW', rawMessage: raw ?? new Uint8Array(0), description: body };
  }
  return { messageType: 'TEXT', text: body };
}

/** Slices up to this size keep their views for the next slice (the addon reuses one such buffer). */
const REUSED_MAX = 256 * 1024;
let viewed: ArrayBuffer | null = null;

/**
 * The events of the first `byteLength` bytes of `slice` (all of it by default), oldest first.
 * Malformed records are dropped (see malformedRecords).
 */
export function decodeSlice(slice: ArrayBuffer, byteLength = slice.byteLength): NativeEvent[] {
  const events: NativeEvent[] = [];
  written = 0;
  decodeInto(slice, byteLength, events, false);
  return events;
}

/**
 * As decodeSlice, for the dispatcher: appends each event to `out`, as PEER_MESSAGE followed by the
 * listener's three arguments for a MessageFromPeer, as its NativeEvent for any other kind.
 * Returns the number of events.
 */
export function decodeForDispatch(slice: ArrayBuffer, byteLength: number, out: unknown[], start = out.length): number {
  written = start;
  return decodeInto(slice, byteLength, out, true);
}

/** Where decodeForDispatch's last entry ended in its `out`: entries [start, dispatchEnd()) are this slice's. */
export function dispatchEnd(): number {
  return written;
}

/**
 * Where the next entry goes in the list being written (indexed writes rather than push: the
 * dispatcher reuses one list, whose length is then that of its longest slice so far).
 */
let written = 0;

function decodeInto(slice: ArrayBuffer, byteLength: number, events: unknown[], dispatch: boolean): number {
  let count = 0;
  if (slice !== viewed) {
    view = new DataView(slice);
    bytes = new Uint8Array(slice);
    text = Buffer.from(slice) as Buffer & BufferSlices;
    viewed = slice;
  }
  const end = Math.min(Math.max(0, Math.floor(byteLength) || 0), slice.byteLength);
  let record = 0;
  try {
    while (record + 4 <= end) {
      const byteLength = view.getUint32(record, true);
      // Without a usable length nothing after it can be found: the rest of the slice is lost.
      if (byteLength < RECORD_HEADER || record + byteLength > end) {
        reportMalformed();
        break;
      }
      recordEnd = record + byteLength;
      at = record + 4;
      try {
        const kind = view.getInt32(at, true);
        const argc = view.getUint32(at + 4, true);
        at += 8;
        if (argc > recordEnd - at) throw new MalformedRecord();
        if (dispatch && kind === MESSAGE_FROM_PEER && argc === 2) {
          if (peerMessageInto(events)) {
            count += 1;
            record = recordEnd;
            continue;
          }
          at = record + RECORD_HEADER; // another layout: read it again, generally
        } else if (dispatch && kind === CHANNEL_MESSAGE && argc === 3) {
          if (channelMessageInto(events)) {
            count += 1;
            record = recordEnd;
            continue;
          }
          at = record + RECORD_HEADER; // another layout: read it again, generally
        } else if (dispatch && kind === SEND_MESSAGE_RESULT && argc === 2 && sendResultInto(events)) {
          count += 1;
          record = recordEnd;
          continue;
        }
        const event = new Array<unknown>(argc + 1);
        event[0] = kind;
        for (let i = 1; i <= argc; i++) event[i] = value(0, true);
        if (at !== recordEnd) throw new MalformedRecord();
        events[written++] = event;
        count += 1;
      } catch (err) {
        if (!(err instanceof MalformedRecord)) throw err;
        reportMalformed();
      }
      record = recordEnd;
    }
    if (record !== end && record + 4 > end) reportMalformed();
  } finally {
    // The addon's shared buffer keeps its views for the next slice; a larger one is let go, so the
    // module state does not keep its memory alive until the next one.
    if (slice.byteLength > REUSED_MAX) {
      view = new DataView(EMPTY);
      bytes = EMPTY_BYTES;
      text = EMPTY_TEXT;
      viewed = null;
    }
  }
  return count;
}
