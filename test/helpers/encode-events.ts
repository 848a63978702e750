// The binding's event encoding and slicing (binding/event_log.*, EventQueue::Deliver), written
// again in TypeScript for the unit tests whose fake native client has no addon: their events reach
// the dispatcher exactly as the addon hands them over, as slices of encoded records, through the
// one path production has (lib/event-decoder.ts). test/event-decoder.test.ts holds this encoder
// to the binding's own (native.encodeEventSlices), byte for byte.
import type { Dispatch } from '../../lib/native';

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

/** EventQueue::kSliceEvents and kSliceBytes. */
const SLICE_EVENTS = 1024;
const SLICE_BYTES = 256 * 1024;

class Writer {
  bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.bytes.push(x);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.raw(b);
  }
  i32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    this.raw(b);
  }
}

function encodeValue(value: unknown, w: Writer): void {
  if (value === null) return w.u8(Tag.Null);
  if (typeof value === 'boolean') return w.u8(value ? Tag.True : Tag.False);
  if (typeof value === 'number') {
    w.u8(Tag.Number);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    return w.raw(b);
  }
  if (typeof value === 'bigint') {
    // As the binding's encoder: ids are C++ long long; nothing beyond int64 can come from the SDK.
    if (BigInt.asIntN(64, value) !== value) throw new RangeError('encode-events: a bigint beyond int64');
    w.u8(Tag.BigInt);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, value, true);
    return w.raw(b);
  }
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    w.u8(b.every((x) => x < 0x80) ? Tag.Ascii : Tag.Utf8);
    w.u32(b.length);
    return w.raw(b);
  }
  if (value instanceof Uint8Array) {
    w.u8(Tag.Bytes);
    w.u32(value.byteLength);
    return w.raw(value);
  }
  if (Array.isArray(value)) {
    w.u8(Tag.Array);
    w.u32(value.length);
    for (const item of value) encodeValue(item, w);
    return;
  }
  throw new TypeError(`encode-events: unsupported value ${String(value)}`);
}

/** One event's record (event_log.h): u32 byteLength · i32 kind · u32 argc · values. */
function encodeEvent(event: readonly unknown[]): Uint8Array {
  const w = new Writer();
  w.u32(0);
  w.i32(event[0] as number);
  w.u32(event.length - 1);
  for (let i = 1; i < event.length; i++) encodeValue(event[i], w);
  const out = Uint8Array.from(w.bytes);
  new DataView(out.buffer).setUint32(0, out.length, true);
  return out;
}

/** The slices the binding would hand a dispatcher for these events ([kind, ...args]), in order. */
export function encodeEventSlices(events: readonly (readonly unknown[])[]): ArrayBuffer[] {
  const records = events.map(encodeEvent);
  const slices: ArrayBuffer[] = [];
  let i = 0;
  while (i < records.length) {
    let n = 0;
    let bytes = 0;
    while (i + n < records.length && n < SLICE_EVENTS) {
      const length = records[i + n]!.length;
      if (n > 0 && bytes + length > SLICE_BYTES) break; // at least one event per slice
      bytes += length;
      n += 1;
    }
    const slice = new Uint8Array(bytes);
    let at = 0;
    for (const record of records.slice(i, i + n)) {
      slice.set(record, at);
      at += record.length;
    }
    slices.push(slice.buffer);
    i += n;
  }
  return slices;
}

/**
 * Hands `events` to `dispatch` as the addon does: slice by slice, each with the count of events
 * still queued after it (plus `alsoQueued`, events the test says wait behind them) and its length.
 */
export function deliver(dispatch: Dispatch, events: readonly (readonly unknown[])[], alsoQueued = 0): void {
  let left = events.length;
  for (const slice of encodeEventSlices(events)) {
    const count = countRecords(slice);
    left -= count;
    dispatch(slice, left + alsoQueued, slice.byteLength);
  }
}

function countRecords(slice: ArrayBuffer): number {
  const view = new DataView(slice);
  let n = 0;
  for (let at = 0; at < slice.byteLength; at += view.getUint32(at, true)) n += 1;
  return n;
}
