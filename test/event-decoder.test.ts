// The inbound event path's format: events encoded by the binding (EventLog::Encode, sliced as
// EventQueue::CallJs slices them, through the internal encodeEventSlices hook) and decoded by
// lib/event-decoder.ts must come back exactly as they went in, for every event kind and every
// awkward value; malformed slices must be survived (records dropped, never a hang or a throw).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_MESSAGE_ENTRY, PEER_MESSAGE, SEND_RESULT, decodeForDispatch, decodeSlice, malformedRecords } from '../lib/event-decoder';
import { keyOf } from '../lib/pending';
import { fromNativeMessage } from '../lib/messages';
import { EventKind, native, type NativeEvent } from '../lib/native';
import { encodeEventSlices as encodeForTests } from './helpers/encode-events';

function roundTrip(events: unknown[][]): NativeEvent[] {
  return native.encodeEventSlices(events).flatMap((slice) => decodeSlice(slice));
}

const BIG = 2n ** 60n + 12345n; // above 2^53: must not lose a bit
const msg = (text: string, id = 7n): unknown[] => [1, id, text, null, 1_700_000_000_123, false];
const raw = (bytes: Uint8Array, description = ''): unknown[] => [2, BIG, description, Buffer.from(bytes), 0, true];

// One event of every kind, with the argument shapes lib/native.ts declares.
const EVERY_KIND: unknown[][] = [
  [EventKind.LoginSuccess],
  [EventKind.LoginFailure, 5],
  [EventKind.RenewTokenResult, 'token-006abc', 0],
  [EventKind.TokenExpired],
  [EventKind.Logout, 0],
  [EventKind.ConnectionStateChanged, 3, 1],
  [EventKind.SendMessageResult, BIG, 0],
  [EventKind.MessageFromPeer, 'alice', msg('hello')],
  [EventKind.QueryPeersOnlineStatusResult, 9n, [['a', 0], ['b', 1]], 0],
  [EventKind.SubscriptionRequestResult, 10n, 0],
  [EventKind.QueryPeersBySubscriptionOptionResult, 11n, ['x', 'y', ''], 0],
  [EventKind.PeersOnlineStatusChanged, [['p', 2]]],
  [EventKind.SetLocalUserAttributesResult, 13n, 0],
  [EventKind.AddOrUpdateLocalUserAttributesResult, 14n, 1],
  [EventKind.DeleteLocalUserAttributesResult, 15n, 0],
  [EventKind.ClearLocalUserAttributesResult, 16n, 0],
  [EventKind.GetUserAttributesResult, 17n, 'bob', [['k', 'v'], ['', '']], 0],
  [EventKind.JoinSuccess, 1],
  [EventKind.JoinFailure, 1, 5],
  [EventKind.Leave, 1, 0],
  [EventKind.ChannelMessage, 1, 'carol', msg('in the room')],
  [EventKind.ChannelSendMessageResult, 1, 2n ** 63n - 1n, 0],
  [EventKind.MemberJoined, 1, 'dave'],
  [EventKind.MemberLeft, 1, 'dave'],
  [EventKind.GetMembers, 1, ['a', 'b'], 0],
  [EventKind.AttributesUpdated, 1, [['k', 'v', 'who', 1_700_000_000_000]]],
  [EventKind.MemberCountUpdated, 1, 42],
  [EventKind.SetChannelAttributesResult, 28n, 0],
  [EventKind.AddOrUpdateChannelAttributesResult, 29n, 0],
  [EventKind.DeleteChannelAttributesResult, 30n, 0],
  [EventKind.ClearChannelAttributesResult, 31n, 0],
  [EventKind.GetChannelAttributesResult, 32n, [['k', 'v', 'u', 5]], 0],
  [EventKind.GetChannelMemberCountResult, 33n, [['room', 3], ['hall', 0]], 0],
  [EventKind.LocalInvitationReceivedByPeer, 4],
  [EventKind.LocalInvitationCanceled, 4],
  [EventKind.LocalInvitationFailure, 4, 3],
  [EventKind.LocalInvitationAccepted, 4, 'yes'],
  [EventKind.LocalInvitationRefused, 4, 'no'],
  [EventKind.RemoteInvitationRefused, 5],
  [EventKind.RemoteInvitationAccepted, 5],
  [EventKind.RemoteInvitationReceived, 5, 'eve', 'content', 'chan', 1],
  [EventKind.RemoteInvitationFailure, 5, 2],
  [EventKind.RemoteInvitationCanceled, 5, 'bye'],
];

describe('event records: binding encoder → TypeScript decoder', () => {
  it('every event kind round-trips', () => {
    const kinds = new Set(Object.values(EventKind));
    expect(new Set(EVERY_KIND.map((e) => e[0]))).toEqual(kinds);
    expect(roundTrip(EVERY_KIND)).toEqual(EVERY_KIND);
  });

  it('strings: NUL bytes, non-ASCII UTF-8, empty, 32 KB, ASCII next to UTF-8', () => {
    const texts = ['a\u0000b', '\u0000', '', 'héllo wörld', '日本語のテキスト', '😀 emoji 𝄞', 'x'.repeat(32 * 1024), 'é'.repeat(16 * 1024), '\u007f', 'plain'];
    const events = texts.flatMap((t) => [
      [EventKind.MessageFromPeer, t, msg(t)],
      [EventKind.RenewTokenResult, t, 0],
    ]);
    const back = roundTrip(events);
    expect(back).toEqual(events);
    for (const e of back) {
      if (e[0] === EventKind.MessageFromPeer) expect(e[2][2]).toHaveLength(e[1].length);
    }
  });

  it('ids: 64-bit values above 2^53 and negative ones stay exact', () => {
    const ids = [0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, BIG, 2n ** 63n - 1n, -1n, -(2n ** 63n)];
    const events = ids.map((id) => [EventKind.SendMessageResult, id, 0]);
    const back = roundTrip(events);
    expect(back).toEqual(events);
    for (const e of back) expect(typeof e[1]).toBe('bigint');
  });

  it('numbers: doubles, integers, NaN and infinities', () => {
    const values = [0, -0, 1.5, -7, 2 ** 40, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN];
    const events = values.map((v) => [EventKind.MemberCountUpdated, 1, v]);
    const back = roundTrip(events);
    back.forEach((e, i) => expect(Object.is(e[2], values[i])).toBe(true));
  });

  it('raw bytes become independent Buffers of their own (copies, not views of the slice)', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const events = [
      [EventKind.MessageFromPeer, 'p', raw(bytes, 'description')],
      [EventKind.MessageFromPeer, 'p', raw(new Uint8Array(0))],
      [EventKind.MessageFromPeer, 'p', raw(new Uint8Array(32 * 1024).fill(0xab))],
    ];
    const back = roundTrip(events);
    expect(back).toEqual(events);
    for (const e of back) {
      const b = (e as [number, string, [number, bigint, string, Buffer]])[2][3];
      expect(Buffer.isBuffer(b)).toBe(true);
      expect(b.byteOffset).toBe(0);
      expect(b.buffer.byteLength).toBe(b.length);
    }
  });

  it('nested lists, empty lists, mixed values', () => {
    const events = [
      [EventKind.QueryPeersOnlineStatusResult, 1n, [], 0],
      [EventKind.GetMembers, 1, [], 0],
      [EventKind.GetMembers, 1, Array.from({ length: 512 }, (_, i) => `member-${i}`), 0],
      [EventKind.GetUserAttributesResult, 2n, 'u\u0000', [['k\u0000', 'v€']], 0],
      [99, null, true, false, [[[['deep']]]], 'end'],
    ];
    expect(roundTrip(events)).toEqual(events);
  });

  it('a peer id repeated, then one of the same length, decodes each as it is', () => {
    const ids = ['alice', 'alice', 'alicf', 'alice', 'bob', 'bob', 'x'.repeat(64), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(65), 'y'.repeat(64)];
    const events = ids.map((id) => [EventKind.MessageFromPeer, id, msg('t')]);
    expect(roundTrip(events).map((e) => e[1])).toEqual(ids);
  });

  it('reads only the first byteLength bytes of a reused buffer, whatever follows them', () => {
    const first = new Uint8Array(native.encodeEventSlices([[EventKind.Logout, 0], [EventKind.MemberJoined, 3, 'zed']])[0]!);
    const second = new Uint8Array(native.encodeEventSlices([[EventKind.LoginFailure, 7]])[0]!);
    const shared = new Uint8Array(1024);
    shared.set(first);
    expect(decodeSlice(shared.buffer, first.length)).toEqual([[EventKind.Logout, 0], [EventKind.MemberJoined, 3, 'zed']]);
    shared.set(second); // the next slice overwrites the start; the old bytes behind it are stale
    expect(decodeSlice(shared.buffer, second.length)).toEqual([[EventKind.LoginFailure, 7]]);
    expect(decodeSlice(shared.buffer, 0)).toEqual([]);
    // Clamped to the buffer: the stale record behind is read, then the zeros end the slice.
    expect(decodeSlice(shared.buffer, 1e9)).toEqual([[EventKind.LoginFailure, 7], [EventKind.MemberJoined, 3, 'zed']]);
    expect(decodeSlice(shared.buffer, -5)).toEqual([]);
  });

  it('a backlog is cut into slices of at most 1024 events, in order, bounded in bytes', () => {
    const events = Array.from({ length: 3000 }, (_, i) => [EventKind.MessageFromPeer, `peer${i % 3}`, msg(`m${i}`, BigInt(i))]);
    const slices = native.encodeEventSlices(events);
    const decoded = slices.map((s) => decodeSlice(s));
    expect(decoded.map((d) => d.length)).toEqual([1024, 1024, 952]);
    expect(decoded.flat()).toEqual(events);
    // Big events: a slice stops at ~256 KB, but always holds at least one event.
    const big = Array.from({ length: 20 }, (_, i) => [EventKind.MessageFromPeer, 'p', msg(`${i}`.padEnd(32 * 1024, 'z'))]);
    const bigSlices = native.encodeEventSlices(big);
    expect(bigSlices.length).toBeGreaterThan(1);
    for (const s of bigSlices) expect(s.byteLength).toBeLessThanOrEqual(256 * 1024);
    expect(bigSlices.flatMap((s) => decodeSlice(s))).toEqual(big);
  });

  it("the unit tests' encoder (test/helpers/encode-events.ts) writes exactly the binding's bytes and slices", () => {
    const bytesOf = (slices: ArrayBuffer[]) => slices.map((s) => Buffer.from(s).toString('hex'));
    const backlog = Array.from({ length: 2100 }, (_, i) => [EventKind.MessageFromPeer, `peer${i % 3}`, msg(`m${i} ü`, BigInt(i))]);
    const big = Array.from({ length: 12 }, (_, i) => [EventKind.MessageFromPeer, 'p', msg(`${i}`.padEnd(32 * 1024, 'z'))]);
    for (const events of [EVERY_KIND, backlog, big, [[EventKind.ChannelSendMessageResult, 1, -(2n ** 63n), 0]]]) {
      expect(bytesOf(encodeForTests(events))).toEqual(bytesOf(native.encodeEventSlices(events)));
    }
  });
});

// What the dispatcher got before decodeForDispatch: the general decode, with a MessageFromPeer's
// and a ChannelMessage's listener arguments made by fromNativeMessage, and a SendMessageResult's
// id as the pending index looked it up (keyOf).
function generalDispatchList(events: unknown[][]): unknown[] {
  return roundTrip(events).flatMap((e) => {
    if (e[0] === EventKind.SendMessageResult) return [SEND_RESULT, keyOf(e[1]), e[2]];
    if (e[0] === EventKind.ChannelMessage) {
      const { message, props } = fromNativeMessage(e[3]);
      return [CHANNEL_MESSAGE_ENTRY, e[1], message, e[2], props];
    }
    if (e[0] !== EventKind.MessageFromPeer) return [e];
    const { message, props } = fromNativeMessage(e[2]);
    return [PEER_MESSAGE, message, e[1], props];
  });
}

function dispatchList(events: unknown[][]): { list: unknown[]; count: number } {
  const list: unknown[] = [];
  let count = 0;
  for (const slice of native.encodeEventSlices(events)) count += decodeForDispatch(slice, slice.byteLength, list);
  return { list, count };
}

describe("event records: the dispatcher's MessageFromPeer path", () => {
  it('gives exactly what the general decode and fromNativeMessage give: strings, bytes, ids, flags', () => {
    const texts = ['a\u0000b', '\u0000', '', 'héllo wörld', '日本語のテキスト', '😀 emoji 𝄞', 'x'.repeat(32 * 1024), 'é'.repeat(16 * 1024), 'plain'];
    const ids = [0n, 2n, 2n ** 53n - 1n, 2n ** 53n + 1n, BIG, 2n ** 63n - 1n, -1n];
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const events: unknown[][] = [
      ...texts.map((t, i) => [EventKind.MessageFromPeer, i % 2 === 0 ? t : 'peer', msg(t, BigInt(i))]),
      ...ids.map((id) => [EventKind.MessageFromPeer, 'p', [1, id, 'id', null, 5, true]]),
      [EventKind.MessageFromPeer, 'p', raw(bytes, 'description')],
      [EventKind.MessageFromPeer, 'p', raw(new Uint8Array(0))],
      [EventKind.MessageFromPeer, 'p', raw(new Uint8Array(32 * 1024).fill(0xab), 'ü\u0000')],
      [EventKind.MessageFromPeer, 'p', [2, 3n, 'raw type without bytes', null, 0, false]],
      [EventKind.MessageFromPeer, 'p', [0, 4n, 'undefined type', null, 0, false]],
      [EventKind.MessageFromPeer, 'p', [NaN, 6n, 'NaN type and time', null, NaN, false]],
      [EventKind.MessageFromPeer, 'p', [1, 5n, 'a text with bytes', Buffer.from([1, 2]), 0, false]],
      [EventKind.MessageFromPeer, '', msg('empty peer id')],
      [EventKind.MessageFromPeer, 'x'.repeat(64), msg('long id')],
      [EventKind.MessageFromPeer, 'x'.repeat(64), msg('long id again')],
      [EventKind.MessageFromPeer, 'ünïcode peer', msg('utf-8 peer id')],
    ];
    const { list, count } = dispatchList(events);
    expect(count).toBe(events.length);
    expect(list).toEqual(generalDispatchList(events));
    for (let i = 0; i < list.length; i += 4) {
      expect(list[i]).toBe(PEER_MESSAGE);
      const message = list[i + 1] as { messageType: string; rawMessage?: Uint8Array; text?: string };
      const props = list[i + 3] as { messageId: unknown };
      expect(typeof props.messageId).toBe('bigint');
      if (message.messageType === 'RAW') {
        // Its own buffer, as fromNativeMessage hands out: a plain Uint8Array, no view of the slice.
        expect(Buffer.isBuffer(message.rawMessage)).toBe(false);
        expect(message.rawMessage!.byteOffset).toBe(0);
        expect(message.rawMessage!.buffer.byteLength).toBe(message.rawMessage!.byteLength);
      } else {
        expect(Object.keys(message)).toEqual(['messageType', 'text']);
      }
      expect(Object.keys(props)).toEqual(['serverReceivedTs', 'isOfflineMessage', 'messageId']);
    }
  });

  it('a ChannelMessage gives its channel reference and what the general decode and fromNativeMessage give', () => {
    const events: unknown[][] = [
      [EventKind.ChannelMessage, 1, 'member', msg('a\u0000b', 1n)],
      [EventKind.ChannelMessage, 2, 'member', msg('', 2n)],
      [EventKind.ChannelMessage, 3, 'ünïcode member', msg('日本語 😀', 2n ** 63n - 1n)],
      [EventKind.ChannelMessage, 2 ** 40, '', msg('x'.repeat(32 * 1024), -1n)],
      [EventKind.ChannelMessage, 4, 'm', raw(Uint8Array.from([0, 1, 255]), 'd')],
      [EventKind.ChannelMessage, 5, 'm', [2, 3n, 'raw type without bytes', null, 0, false]],
      [EventKind.ChannelMessage, 6, 'm', [NaN, 6n, 'NaN type and time', null, NaN, true]],
      [EventKind.MessageFromPeer, 'p', msg('between')],
      [EventKind.ChannelMessage, 7, 'm', [1, 2n ** 53n + 1n, 'after', null, 5, false]],
    ];
    const { list, count } = dispatchList(events);
    expect(count).toBe(events.length);
    expect(list).toEqual(generalDispatchList(events));
    expect(list[0]).toBe(CHANNEL_MESSAGE_ENTRY);
    expect(list[1]).toBe(1);
    expect((list[4] as { messageId: unknown }).messageId).toBe(1n);
    const rawMessage = (list[22] as { rawMessage: Uint8Array }).rawMessage;
    expect(Buffer.isBuffer(rawMessage)).toBe(false);
    expect(rawMessage.buffer.byteLength).toBe(3);
  });

  it('a SendMessageResult gives the key the pending index uses for its id: a number below 2^53, else the bigint', () => {
    const ids = [0n, 1n, 2n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, BIG, 2n ** 63n - 1n, -1n, -(2n ** 53n) + 1n, -(2n ** 63n)];
    const events = ids.map((id, i) => [EventKind.SendMessageResult, id, i % 5]);
    const { list, count } = dispatchList(events);
    expect(count).toBe(events.length);
    expect(list).toEqual(generalDispatchList(events));
    for (let i = 0; i < ids.length; i++) {
      const key = list[i * 3 + 1];
      expect(typeof key).toBe(Number.isSafeInteger(Number(ids[i])) ? 'number' : 'bigint');
      expect(BigInt(key as number | bigint)).toBe(ids[i]);
    }
  });

  it('keeps the order of a slice that mixes peer messages with other events', () => {
    const events: unknown[][] = [...EVERY_KIND, ...EVERY_KIND.slice().reverse()];
    const { list, count } = dispatchList(events);
    expect(count).toBe(events.length);
    expect(list).toEqual(generalDispatchList(events));
  });

  it('a MessageFromPeer record of another layout is handed over as its NativeEvent, as decodeSlice reads it', () => {
    const odd: unknown[][] = [
      [EventKind.MessageFromPeer, 'p', [1, 2n, 'five fields', null, 0]],
      [EventKind.MessageFromPeer, 'p', [1, 2n, 'seven fields', null, 0, false, 'x']],
      [EventKind.MessageFromPeer, 'p', msg('three arguments'), 'extra'],
      [EventKind.MessageFromPeer, 'p'],
      [EventKind.MessageFromPeer, 7, msg('a number for the peer id')],
      [EventKind.MessageFromPeer, 'p', [1, 2, 'a number for the id', null, 0, false]],
      [EventKind.MessageFromPeer, 'p', [1, 2n, 'a number for the flag', null, 0, 1]],
      [EventKind.MessageFromPeer, 'p', ['TEXT', 2n, 'a string type', null, 0, false]],
      [EventKind.MessageFromPeer, 'p', [1, 2n, ['nested'], null, 0, false]],
      [EventKind.ChannelMessage, 1, 'm', [1, 2n, 'five fields', null, 0]],
      [EventKind.ChannelMessage, '1', 'm', msg('a string for the reference')],
      [EventKind.ChannelMessage, 1, 7, msg('a number for the member id')],
      [EventKind.ChannelMessage, 1, 'm', msg('four arguments'), 'extra'],
      [EventKind.ChannelMessage, 1, 'm'],
      [EventKind.SendMessageResult, 5, 0],
      [EventKind.SendMessageResult, 5n, 0, 'extra'],
      [EventKind.SendMessageResult, 5n, 'code'],
      [EventKind.SendMessageResult, 5n],
    ];
    const { list, count } = dispatchList(odd);
    expect(count).toBe(odd.length);
    expect(list).toEqual(roundTrip(odd));
  });

  it('drops a malformed MessageFromPeer record as decodeSlice does, and keeps the rest', () => {
    const [good] = native.encodeEventSlices([[EventKind.MessageFromPeer, 'p', msg('kept')]]);
    const goodBytes = new Uint8Array(good!);
    // The same record cut inside its message: the length prefix says 6 bytes less.
    const cut = goodBytes.slice(0, goodBytes.length - 6);
    new DataView(cut.buffer).setUint32(0, cut.length, true);
    const joined = new Uint8Array(goodBytes.length * 2 + cut.length);
    joined.set(goodBytes, 0);
    joined.set(cut, goodBytes.length);
    joined.set(goodBytes, goodBytes.length + cut.length);
    const before = malformedRecords();
    const list: unknown[] = [];
    expect(decodeForDispatch(joined.buffer, joined.length, list)).toBe(2);
    expect(malformedRecords()).toBe(before + 1);
    expect(list).toHaveLength(8);
    expect(list[1]).toEqual({ messageType: 'TEXT', text: 'kept' });
    expect(list[5]).toEqual({ messageType: 'TEXT', text: 'kept' });
    expect(decodeSlice(joined.buffer, joined.length)).toHaveLength(2);
  });
});

// Every length around the decoder's short-string cut-off (32 bytes: String.fromCharCode per byte
// below, Buffer's latin1Slice above), every ASCII byte value, at top level (peer ids, compared
// with the previous one), in a message and nested in arrays.
function asciiTexts(): string[] {
  return Array.from({ length: 41 }, (_, n) => String.fromCharCode(...Array.from({ length: n }, (_, i) => (n * 7 + i * 13) % 128)));
}

function asciiEvents(texts: string[]): unknown[][] {
  return texts.flatMap((t, i) => [
    [EventKind.MessageFromPeer, t.slice(0, Math.min(t.length, 64)) || 'p', msg(t, BigInt(i))],
    [EventKind.ChannelMessage, 3, t, msg(t.split('').reverse().join(''))],
    [EventKind.GetUserAttributesResult, BigInt(i), t, [[t, t.toUpperCase()]], 0],
  ]);
}

describe('event records: ASCII strings of every short length', () => {
  it('come back exactly, on the general path and the dispatcher\'s', () => {
    const texts = asciiTexts();
    expect(texts.some((t) => t.includes('\u0000')) && texts.some((t) => t.includes('\u007f'))).toBe(true);
    const events = asciiEvents(texts);
    expect(roundTrip(events)).toEqual(events);
    expect(dispatchList(events).list).toEqual(generalDispatchList(events));
    const list = dispatchList(events).list;
    const received = list.filter((x): x is { text: string } => typeof x === 'object' && x !== null && 'text' in x).map((m) => m.text);
    expect(received.filter((_, i) => i % 2 === 0)).toEqual(texts);
  });

  it('come back exactly after String.fromCharCode was replaced', () => {
    const events = asciiEvents(asciiTexts());
    const original = String.fromCharCode;
    String.fromCharCode = () => 'replaced';
    try {
      expect(roundTrip(events)).toEqual(events);
    } finally {
      String.fromCharCode = original;
    }
  });

  it('come back exactly where code generation from strings is disallowed (latin1Slice for every length)', () => {
    const dist = path.resolve(__dirname, '../dist');
    const script = `
      const { decodeSlice } = require(${JSON.stringify(path.join(dist, 'event-decoder.js'))});
      const { native } = require(${JSON.stringify(path.join(dist, 'native.js'))});
      let generated = true;
      try { new Function('return 1'); } catch { generated = false; }
      const texts = JSON.parse(process.argv[1]);
      const events = texts.map((t, i) => [8, t || 'p', [1, BigInt(i), t, null, 0, false]]);
      const back = native.encodeEventSlices(events).flatMap((s) => decodeSlice(s));
      process.stdout.write(JSON.stringify({ generated, texts: back.map((e) => e[2][2]), ids: back.map((e) => e[1]) }));
    `;
    const texts = asciiTexts();
    const out = JSON.parse(
      execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script, JSON.stringify(texts)], { encoding: 'utf8' }),
    );
    expect(out.generated).toBe(false);
    expect(out.texts).toEqual(texts);
    expect(out.ids).toEqual(texts.map((t) => t || 'p'));
  });
});

describe('event records: malformed slices', () => {
  // One well-formed record, to build broken slices around.
  const good = native.encodeEventSlices([[EventKind.Logout, 0]])[0]!;
  const goodBytes = new Uint8Array(good);
  function slice(...parts: (Uint8Array | number[])[]): ArrayBuffer {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out.buffer;
  }
  function record(kind: number, argc: number, body: number[], lengthOverride?: number): number[] {
    const length = lengthOverride ?? 12 + body.length;
    const head = new DataView(new ArrayBuffer(12));
    head.setUint32(0, length, true);
    head.setInt32(4, kind, true);
    head.setUint32(8, argc, true);
    return [...new Uint8Array(head.buffer), ...body];
  }
  const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

  it('drops a bad record and keeps the good ones around it', () => {
    const before = malformedRecords();
    const cases = [
      record(EventKind.Logout, 1, [42]), // unknown tag
      record(EventKind.Logout, 1, [3, 1, 2]), // a number cut short
      record(EventKind.Logout, 1, [5, ...u32(1000), 65]), // a string longer than its record
      record(EventKind.Logout, 1, [7, ...u32(0xffffffff)]), // an array count beyond the record
      record(EventKind.Logout, 5, [0]), // argc beyond the record
      record(EventKind.Logout, 1, [0, 0]), // bytes left over
      record(EventKind.Logout, 1, [...Array(20).fill([7, ...u32(1)]).flat(), 0]), // nested too deep
    ];
    for (const bad of cases) {
      const events = decodeSlice(slice(goodBytes, bad, goodBytes));
      expect(events).toEqual([
        [EventKind.Logout, 0],
        [EventKind.Logout, 0],
      ]);
    }
    expect(malformedRecords()).toBe(before + cases.length);
  });

  it('an unusable length ends the slice without a throw', () => {
    expect(decodeSlice(slice(goodBytes, record(1, 0, [], 4)))).toEqual([[EventKind.Logout, 0]]); // shorter than a header
    expect(decodeSlice(slice(goodBytes, record(1, 0, [], 1 << 30)))).toEqual([[EventKind.Logout, 0]]); // past the end
    expect(decodeSlice(slice(goodBytes, [1, 2]))).toEqual([[EventKind.Logout, 0]]); // trailing bytes
    expect(decodeSlice(new ArrayBuffer(0))).toEqual([]);
  });

  it('random bytes never hang nor throw', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const valid = new Uint8Array(native.encodeEventSlices(EVERY_KIND)[0]!);
    for (let i = 0; i < 2000; i++) {
      // Flipped bytes of a valid slice, or pure noise.
      const bytes = i % 2 === 0 ? valid.slice() : Uint8Array.from({ length: random() % 200 }, () => random() & 0xff);
      if (i % 2 === 0) for (let k = 0; k < 1 + (random() % 4); k++) bytes[random() % bytes.length] = random() & 0xff;
      expect(() => decodeSlice(bytes.buffer)).not.toThrow();
    }
  });
});
