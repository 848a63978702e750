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
});
