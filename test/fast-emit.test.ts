// lib/fast-emit.ts calls a MessageFromPeer / ChannelMessage listener itself when it is the only
// one; what listeners see must be exactly what EventEmitter.emit gives them. Each case is run
// twice on identically prepared emitters, once through emit and once through the fast path, and
// the two recordings compared; then the same through a client's dispatcher (a fake native client
// delivering encoded slices, as the binding does).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  // Only the constructor's dispatcher matters here; every native method answers 0.
  class FakeNativeClient {
    static last: { dispatch: (slice: ArrayBuffer, stillQueued: number, byteLength: number) => void } | undefined;
    constructor(_spec: unknown, _appId: string, dispatch: (slice: ArrayBuffer, stillQueued: number, byteLength: number) => void) {
      FakeNativeClient.last = { dispatch };
      return new Proxy(this, { get: (target, key) => (key in target ? Reflect.get(target, key) : () => 0) });
    }
  }
  return { FakeNativeClient };
});

vi.mock('../lib/native', async (importOriginal) =>
  (await import('./helpers/fake-native')).fakeNativeModule(await importOriginal(), fake.FakeNativeClient),
);

import { RtmClient } from '../lib/client';
import { emitChannelMessage, emitMessageFromPeer } from '../lib/fast-emit';
import { deliver } from './helpers/encode-events';

type Emit = (e: EventEmitter, a: unknown, b: unknown, c: unknown) => void;
const viaEmit =
  (type: string): Emit =>
  (e, a, b, c) =>
    e.emit(type, a, b, c);

/** Runs `scenario` through emit and through `fast`; both recordings must be equal (and non-empty). */
function same(type: string, fast: Emit, scenario: (e: EventEmitter, emit: Emit, log: unknown[]) => void): unknown[] {
  const run = (emit: Emit) => {
    const log: unknown[] = [];
    scenario(new EventEmitter(), emit, log);
    return log;
  };
  const expected = run(viaEmit(type));
  expect(expected.length).toBeGreaterThan(0);
  expect(run(fast)).toEqual(expected);
  return expected;
}

const CASES: [string, Emit][] = [
  ['MessageFromPeer', emitMessageFromPeer],
  ['ChannelMessage', emitChannelMessage],
];

describe.each(CASES)('%s: the fast path behaves as emit', (type, fast) => {
  it('one listener: its arguments, `this`, called once per event; no listener: nothing', () => {
    same(type, fast, (e, emit, log) => {
      emit(e, 'x', 'y', 'z'); // no listener yet
      e.on(type, function (this: unknown, ...args: unknown[]) {
        log.push(this === e, args);
      });
      emit(e, 1, 'peer', { p: 1 });
      emit(e, 2, 'peer', { p: 2 });
    });
  });

  it('once(): called for the first event only, and removed before it runs', () => {
    const log = same(type, fast, (e, emit, log) => {
      e.once(type, (a) => log.push('once', a, e.listenerCount(type)));
      emit(e, 1, 'p', {});
      emit(e, 2, 'p', {});
      log.push('after', e.listenerCount(type));
    });
    expect(log).toEqual(['once', 1, 0, 'after', 0]);
  });

  it('a listener removing itself and adding another: the new one hears only later events', () => {
    same(type, fast, (e, emit, log) => {
      const second = (a: unknown) => log.push('second', a);
      const first = (a: unknown) => {
        log.push('first', a);
        e.off(type, first);
        e.on(type, second);
      };
      e.on(type, first);
      emit(e, 1, 'p', {});
      emit(e, 2, 'p', {});
    });
  });

  it('several listeners (prepend, removal during the emit): emit’s own order and snapshot', () => {
    const log = same(type, fast, (e, emit, log) => {
      const c = (a: unknown) => log.push('c', a);
      e.on(type, (a) => {
        log.push('b', a);
        e.off(type, c); // still called for this event: emit called a copy of the list
      });
      e.on(type, c);
      e.prependListener(type, (a) => log.push('a', a));
      emit(e, 1, 'p', {});
      emit(e, 2, 'p', {});
    });
    expect(log).toEqual(['a', 1, 'b', 1, 'c', 1, 'a', 2, 'b', 2]);
  });

  it("a throwing listener: the same error reaches the caller, no 'error' event", () => {
    same(type, fast, (e, emit, log) => {
      const bug = new Error('listener bug');
      e.on('error', (err) => log.push('error event', err));
      e.on(type, () => {
        throw bug;
      });
      try {
        emit(e, 1, 'p', {});
      } catch (err) {
        log.push('thrown', err === bug);
      }
    });
  });

  it('an emit replaced on the instance is the one called', () => {
    same(type, fast, (e, emit, log) => {
      e.on(type, () => log.push('listener'));
      const original = e.emit.bind(e);
      e.emit = ((name: string, ...args: unknown[]) => {
        log.push('wrapped', name, args);
        return original(name, ...args);
      }) as typeof e.emit;
      emit(e, 1, 'p', {});
    });
  });

  it("captureRejections: a listener's rejected promise becomes an 'error' event", async () => {
    for (const emit of [viaEmit(type), fast]) {
      const e = new EventEmitter({ captureRejections: true });
      const errors: unknown[] = [];
      e.on('error', (err) => errors.push(err));
      e.on(type, async () => {
        throw new Error('async listener bug');
      });
      emit(e, 1, 'p', {});
      await new Promise((r) => setImmediate(r));
      expect(errors).toHaveLength(1);
      expect((errors[0] as Error).message).toBe('async listener bug');
    }
  });
});

describe("a client's dispatcher (fast path, reused list)", () => {
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.release()));
    vi.restoreAllMocks();
  });

  function make() {
    const client = new RtmClient({ spec: { backend: 'emulator' }, appId: 'app' });
    clients.push(client);
    const { dispatch } = fake.FakeNativeClient.last!;
    const messages = (n: number) =>
      Array.from({ length: n }, (_, i) => [8, `peer${i % 2}`, [1, BigInt(100 + i), `text ${i}`, null, 1_700_000_000_000 + i, i === 1]]);
    return { client, send: (n: number, from = 0) => deliver(dispatch as never, messages(n + from).slice(from)) };
  }

  it('delivers the values decode gives, with the client as `this`', () => {
    const { client, send } = make();
    const seen: unknown[] = [];
    client.on('MessageFromPeer', function (this: unknown, message, peerId, props) {
      seen.push([this === client, message, peerId, props]);
    });
    send(2);
    expect(seen).toEqual([
      [true, { messageType: 'TEXT', text: 'text 0' }, 'peer0', { serverReceivedTs: 1_700_000_000_000, isOfflineMessage: false, messageId: 100n }],
      [true, { messageType: 'TEXT', text: 'text 1' }, 'peer1', { serverReceivedTs: 1_700_000_000_001, isOfflineMessage: true, messageId: 101n }],
    ]);
  });

  it('once() and removal inside one slice: later events of the slice see the change', () => {
    const { client, send } = make();
    const log: string[] = [];
    client.once('MessageFromPeer', (m) => log.push(`once ${(m as { text: string }).text}`));
    send(2);
    const until2 = (m: unknown) => {
      log.push(`until2 ${(m as { text: string }).text}`);
      if ((m as { text: string }).text === 'text 1') client.off('MessageFromPeer', until2);
    };
    client.on('MessageFromPeer', until2);
    send(4);
    expect(log).toEqual(['once text 0', 'until2 text 0', 'until2 text 1']);
    expect(client.listenerCount('MessageFromPeer')).toBe(0);
  });

  it("a throwing listener: every event still delivered, each error rethrown on the next tick, not as 'error'", () => {
    const { client, send } = make();
    const ticks: (() => void)[] = [];
    vi.spyOn(process, 'nextTick').mockImplementation(((fn: () => void) => {
      ticks.push(fn);
    }) as typeof process.nextTick);
    const errorEvents: unknown[] = [];
    client.on('error', (err) => errorEvents.push(err));
    let calls = 0;
    client.on('MessageFromPeer', (m) => {
      calls += 1;
      throw new Error(`bug on ${(m as { text: string }).text}`);
    });
    send(3);
    vi.restoreAllMocks();
    expect(calls).toBe(3);
    expect(errorEvents).toEqual([]);
    expect(ticks).toHaveLength(3);
    expect(() => ticks[2]!()).toThrow('bug on text 2');
  });

  it('a long slice then a short one: the short one delivers its own events only', () => {
    const { client, send } = make();
    const texts: string[] = [];
    client.on('MessageFromPeer', (m) => texts.push((m as { text: string }).text));
    send(5);
    send(2, 5);
    expect(texts).toEqual(['text 0', 'text 1', 'text 2', 'text 3', 'text 4', 'text 5', 'text 6']);
  });

  it('a slice delivered from inside a listener (a nested event loop) leaves the outer slice intact', () => {
    const { client, send } = make();
    const texts: string[] = [];
    client.on('MessageFromPeer', (m) => {
      const text = (m as { text: string }).text;
      texts.push(text);
      if (text === 'text 1') send(3, 10); // nested: text 10, 11, 12
    });
    send(4);
    expect(texts).toEqual(['text 0', 'text 1', 'text 10', 'text 11', 'text 12', 'text 2', 'text 3']);
  });
});
