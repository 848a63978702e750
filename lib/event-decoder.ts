// Decodes a slice of events handed over by the binding: one ArrayBuffer holding the records of up
// to 1024 events as binding/event_log.h encodes them (the format is described there), turned into
// the NativeEvent arrays the dispatcher reads. Building JS values here, rather than with one
// Node-API call per value in C++, is what makes the inbound path cheap.
//
// Every read is bounds-checked. A malformed record (a bug, never expected) is skipped by its
// length prefix, or ends the slice when even that is unusable; it can neither hang nor crash.
import type { NativeEvent } from './native';

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

function asciiCached(start: number, n: number): string {
  if (n === cachedLength) {
    let i = 0;
    while (i < n && bytes[start + i] === cachedBytes[i]) i++;
    if (i === n) return cachedString;
  }
  const s = text.latin1Slice(start, start + n);
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
      return n === 0 ? '' : text.latin1Slice(start, at);
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

/** Slices up to this size keep their views for the next slice (the addon reuses one such buffer). */
const REUSED_MAX = 256 * 1024;
let viewed: ArrayBuffer | null = null;

/**
 * The events of the first `byteLength` bytes of `slice` (all of it by default), oldest first.
 * Malformed records are dropped (see malformedRecords).
 */
export function decodeSlice(slice: ArrayBuffer, byteLength = slice.byteLength): NativeEvent[] {
  if (slice !== viewed) {
    view = new DataView(slice);
    bytes = new Uint8Array(slice);
    text = Buffer.from(slice) as Buffer & BufferSlices;
    viewed = slice;
  }
  const end = Math.min(Math.max(0, Math.floor(byteLength) || 0), slice.byteLength);
  const events: NativeEvent[] = [];
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
        const event = new Array<unknown>(argc + 1);
        event[0] = kind;
        for (let i = 1; i <= argc; i++) event[i] = value(0, true);
        if (at !== recordEnd) throw new MalformedRecord();
        events.push(event as NativeEvent);
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
  return events;
}
