// Safety timeouts without a timer per call (lib/deadline-queue.ts, used by lib/pending.ts): every
// entry expires exactly once, never before its timeout, in deadline order; a removed entry never
// expires; one timer serves a whole burst of calls.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueues, type Deadlined } from '../lib/deadline-queue';
import { PendingRegistry } from '../lib/pending';
import { RtmTimeoutError } from '../lib/errors';

interface Item extends Deadlined {
  name: string;
  added: number;
}

function item(name: string): Item {
  return { name, added: performance.now(), settled: false, bucket: undefined, seq: 0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('DeadlineQueues', () => {
  it('expires every entry once, not before its timeout, in deadline order', async () => {
    const expired: { name: string; after: number }[] = [];
    const queues: DeadlineQueues<Item> = new DeadlineQueues<Item>((e) => {
      expect(queues.remove(e)).toBe(true);
      expired.push({ name: e.name, after: performance.now() - e.added });
    });
    const timeouts: Record<string, number> = { a: 60, b: 20, c: 40 };
    for (const name of ['a', 'b', 'c']) queues.add(item(name), timeouts[name]!);
    await sleep(5);
    const late = item('d');
    queues.add(late, 20); // a later tick: a bucket of its own, after b's
    await sleep(120);
    expect(expired.map((e) => e.name)).toEqual(['b', 'd', 'c', 'a']);
    for (const e of expired) expect(e.after).toBeGreaterThanOrEqual(e.name === 'd' ? 20 : timeouts[e.name]!);
    expect(queues.pending()).toEqual([]);
  });

  it('a removed entry never expires; the others of its bucket still do', async () => {
    const expired: string[] = [];
    const queues: DeadlineQueues<Item> = new DeadlineQueues<Item>((e) => {
      queues.remove(e);
      expired.push(e.name);
    });
    const items = ['x', 'y', 'z'].map(item);
    for (const i of items) queues.add(i, 20);
    expect(queues.remove(items[1]!)).toBe(true);
    expect(queues.remove(items[1]!)).toBe(false);
    expect(queues.pending().map((i) => i.name)).toEqual(['x', 'z']);
    await sleep(60);
    expect(expired).toEqual(['x', 'z']);
  });

  it('a burst of entries in one tick arms one timer, not one each', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    let expired = 0;
    const queues: DeadlineQueues<Item> = new DeadlineQueues<Item>((e) => {
      queues.remove(e);
      expired += 1;
    });
    for (let i = 0; i < 10_000; i++) queues.add(item(String(i)), 30);
    await Promise.resolve(); // the tick's bucket closes in a microtask
    const armed = spy.mock.calls.length;
    spy.mockRestore();
    expect(armed).toBe(1);
    await sleep(80);
    expect(expired).toBe(10_000);
  });

  it('nothing expires when every entry was removed first', async () => {
    const expire = vi.fn();
    const queues = new DeadlineQueues<Item>(expire);
    const items = Array.from({ length: 100 }, (_, i) => item(String(i)));
    for (const i of items) queues.add(i, 10);
    await sleep(2);
    for (const i of items) queues.remove(i);
    await sleep(40);
    expect(expire).not.toHaveBeenCalled();
  });
});

describe('PendingRegistry with deadline queues', () => {
  it('each call settles exactly once: by result, by cut-off or at its timeout', async () => {
    const changes: number[] = [];
    const registry: PendingRegistry = new PendingRegistry(() => changes.push(registry.size));
    const outcomes: string[] = [];
    const track = (id: bigint, timeoutMs: number) =>
      registry.trackId<string>(id, 'sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', timeoutMs).then(
        (v) => outcomes.push(`${id}:ok:${v}`),
        (e: Error) => outcomes.push(`${id}:${e instanceof RtmTimeoutError ? 'timeout' : e.message}`),
      );
    const all = [track(2n, 30), track(3n, 30), track(2n ** 60n, 30), track(5n, 10_000)];
    const answered = registry.find(3n, ['sendMessageToPeer'])!;
    registry.settle(answered, undefined, 'yes');
    registry.settle(answered, new Error('twice')); // ignored
    expect(registry.find(3n, ['sendMessageToPeer'])).toBeUndefined();
    expect(registry.find(2n ** 60n, ['sendMessageToPeer'])?.id).toBe(2n ** 60n);
    expect(registry.find(2n ** 60n + 1n, ['sendMessageToPeer'])).toBeUndefined();
    await sleep(70);
    expect(registry.find(2n, ['sendMessageToPeer'])).toBeUndefined(); // timed out: out of the index
    registry.rejectAll(() => new Error('cut'));
    await Promise.all(all);
    expect(outcomes.sort()).toEqual(['1152921504606846976:timeout', '2:timeout', '3:ok:yes', '5:cut'].sort());
    expect(registry.size).toBe(0);
    expect(registry.idCount).toBe(0);
    // Keep-alive notifications only when the registry becomes busy or idle.
    expect(changes).toEqual([1, 0]);
  });

  it('rejectAll settles the oldest first', async () => {
    const registry = new PendingRegistry(() => {});
    const order: string[] = [];
    // Two timeout lengths, interleaved: two queues, one order.
    const calls = ['first', 'second', 'third', 'fourth'].map((name, i) => {
      const { promise } = registry.track<void>(name, 'LOGIN_ERR_CODE', i % 2 === 0 ? 10_000 : 20_000);
      return promise.catch(() => order.push(name));
    });
    registry.rejectAll(() => new Error('released'));
    await Promise.all(calls);
    expect(order).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('the index by id: ids that share low bits, a stuck old id, ids as numbers and as bigints all find their own call', async () => {
    const registry = new PendingRegistry(() => {});
    const outcomes = new Map<number, string>();
    const track = (id: number, asBigInt = false) => {
      const p = asBigInt
        ? registry.trackId<string>(BigInt(id), 'sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', 10_000)
        : registry.trackNumber<string>(id, 'sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', 10_000);
      void p.then(
        (v) => outcomes.set(id, `ok:${v}`),
        (e: Error) => outcomes.set(id, e.message),
      );
    };
    // A stuck call, then 100 000 consecutive ids: every 2^k-th shares its low bits, far beyond
    // the ring's largest size, so some wait in the overflow map.
    track(2);
    const ids: number[] = [];
    for (let id = 3; id < 100_003; id++) {
      track(id, id % 7 === 0);
      ids.push(id);
    }
    track(2 ** 40 + 2); // same low bits as 2
    expect(registry.idCount).toBe(ids.length + 2);
    for (const id of [...ids].reverse()) {
      const entry = registry.find(BigInt(id), ['sendMessageToPeer'])!;
      expect(entry).toBeDefined();
      registry.settle(entry, undefined, String(id));
      expect(registry.find(BigInt(id), ['sendMessageToPeer'])).toBeUndefined();
    }
    expect(registry.find(4n, ['queryPeersOnlineStatus'])).toBeUndefined();
    expect(registry.idCount).toBe(2);
    registry.settle(registry.find(2n ** 40n + 2n, ['sendMessageToPeer'])!, undefined, 'big');
    registry.rejectIdCalls(() => new Error('cut'));
    expect(registry.idCount).toBe(0);
    expect(registry.size).toBe(0);
    await sleep(0);
    expect(outcomes.get(2)).toBe('cut');
    expect(outcomes.get(2 ** 40 + 2)).toBe('ok:big');
    expect(outcomes.get(99_999)).toBe('ok:99999');
    expect(outcomes.size).toBe(ids.length + 2);
  });

  it('a second call under the same id replaces the first in the index; the first still settles at a cut-off of all', async () => {
    const registry = new PendingRegistry(() => {});
    const first = registry.trackNumber<string>(5, 'sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', 10_000).catch((e: Error) => e.message);
    const second = registry.trackNumber<string>(5, 'sendMessageToPeer', 'PEER_MESSAGE_ERR_CODE', 10_000);
    expect(registry.idCount).toBe(1);
    registry.settle(registry.find(5n, ['sendMessageToPeer'])!, undefined, 'second');
    await expect(second).resolves.toBe('second');
    expect(registry.find(5n, ['sendMessageToPeer'])).toBeUndefined();
    registry.rejectAll(() => new Error('released'));
    await expect(first).resolves.toBe('released');
  });
});
