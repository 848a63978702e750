// The registry of a client's pending calls: their promises, their safety timeouts, and the
// index by request id / message id through which result callbacks find them.
//
// Every entry settles exactly once: by its result (resolve / reject), when a cut-off (logout,
// failed login, release) rejects it, or at its safety timeout. Settling removes it from every
// index, so a result that arrives later finds nothing and is ignored.
//
// Safety timeouts cost no timer per call (a client may have 10 000 calls in flight): calls are
// kept in deadline queues (deadline-queue.ts), one per timeout length, and one timer per client is
// armed for the earliest deadline.
//
// The index by id costs no Map entry per call in the common case: ids come from one counter, so
// the calls in flight hold nearly consecutive ids, and a ring of slots indexed by the id's low bits
// (grown to at most 32 768 slots) holds them; an id whose slot is taken by another waits in a Map.
import type { CppEnumName } from './codes';
import { DeadlineQueues, type Deadlined } from './deadline-queue';
import { timeoutError } from './errors';

/** One pending call. */
export interface PendingCall extends Deadlined {
  /** The API call, e.g. 'login' or 'sendMessageToPeer'. */
  readonly operation: string;
  /** The C++ enum of its result codes. */
  readonly cppEnum: CppEnumName;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  /** Its safety timeout in ms. */
  readonly timeoutMs: number;
  /** Removes the entry from the queue that holds it (calls matched in order). */
  detach: () => void;
  /** The request id or message id the SDK wrote, when it was handed over as a bigint. */
  id?: bigint;
  /** Its key in the index by id (calls matched by id; see keyOf). */
  key: number | bigint | undefined;
  /** renewToken: the token it sent. */
  token?: string;
  /** logout: it cut off a pending login, whose late result must be dropped. */
  cutLogin?: boolean;
}

export interface Tracked<T> {
  promise: Promise<T>;
  entry: PendingCall;
}

function noDetach(): void {}

// One executor for every promise, so that making one allocates no closure of ours: it hands its
// functions over through these two.
let nextResolve: (value: unknown) => void = noDetach;
let nextReject: (err: Error) => void = noDetach;
function takeFunctions(resolve: (value: unknown) => void, reject: (err: Error) => void): void {
  nextResolve = resolve;
  nextReject = reject;
}

const MIN_RING = 16;
const MAX_RING = 32_768;

/**
 * The key of an id in the index: a number while it is a safe integer (every id the SDK hands out
 * in practice; cheaper to hash than a bigint), the bigint itself beyond 2^53, so that no two ids
 * ever share a key.
 */
export function keyOf(id: bigint): number | bigint {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

export class PendingRegistry {
  /** Calls whose id found its ring slot taken, and ids beyond 2^53. */
  readonly #byId = new Map<number | bigint, PendingCall>();
  /** Slot `key & (length - 1)`: the call with that key, if any. */
  #ring: (PendingCall | undefined)[] = new Array<PendingCall | undefined>(MIN_RING).fill(undefined);
  #idCount = 0;
  readonly #deadlines: DeadlineQueues<PendingCall>;
  readonly #onChange: () => void;
  #size = 0;

  /** `onChange` runs when the registry becomes empty or stops being empty (the client's keep-alive). */
  constructor(onChange: () => void) {
    this.#onChange = onChange;
    this.#deadlines = new DeadlineQueues<PendingCall>((entry) =>
      this.settle(entry, timeoutError(entry.operation, entry.cppEnum, entry.timeoutMs)),
    );
  }

  /** Calls pending in all. */
  get size(): number {
    return this.#size;
  }

  /** Calls pending that wait for a result with their id. */
  get idCount(): number {
    return this.#idCount;
  }

  /**
   * A new pending call with a safety timeout of `timeoutMs`, after which it rejects with
   * RtmTimeoutError (the enum's TIMEOUT-like code).
   */
  track<T>(operation: string, cppEnum: CppEnumName, timeoutMs: number): Tracked<T> {
    const promise = new Promise<T>(takeFunctions as (resolve: (value: T) => void, reject: (err: Error) => void) => void);
    const entry: PendingCall = {
      operation,
      cppEnum,
      resolve: nextResolve,
      reject: nextReject,
      timeoutMs,
      detach: noDetach,
      id: undefined,
      key: undefined,
      settled: false,
      bucket: undefined,
      seq: 0,
    };
    this.#deadlines.add(entry, timeoutMs);
    if (++this.#size === 1) this.#onChange();
    return { promise, entry };
  }

  /** A new pending call whose result callback carries `id` (the Accepted id of the native call). */
  trackId<T>(id: bigint, operation: string, cppEnum: CppEnumName, timeoutMs: number): Promise<T> {
    const { promise, entry } = this.track<T>(operation, cppEnum, timeoutMs);
    entry.id = id;
    this.#index(entry, keyOf(id));
    return promise;
  }

  /** As trackId, for an id the native call answered as a number (a safe integer). */
  trackNumber<T>(id: number, operation: string, cppEnum: CppEnumName, timeoutMs: number): Promise<T> {
    const { promise, entry } = this.track<T>(operation, cppEnum, timeoutMs);
    this.#index(entry, id);
    return promise;
  }

  /** The pending call waiting for `id`, if it is one of `operations`; undefined otherwise. */
  find(id: bigint, operations: readonly string[]): PendingCall | undefined {
    return this.findKey(keyOf(id), operations);
  }

  /** As find, by the id's key (keyOf), which the dispatcher's decode may have made without a bigint. */
  findKey(key: number | bigint, operations: readonly string[]): PendingCall | undefined {
    const entry = this.#lookup(key);
    return entry !== undefined && operations.includes(entry.operation) ? entry : undefined;
  }

  /** Resolves (err undefined, with `value`) or rejects a pending call, once. */
  settle(entry: PendingCall, err?: Error, value?: unknown): void {
    if (entry.settled) return;
    this.#deadlines.remove(entry);
    if (entry.key !== undefined) this.#unindex(entry);
    entry.detach();
    if (err === undefined) entry.resolve(value);
    else entry.reject(err);
    if (--this.#size === 0) this.#onChange();
  }

  /** Rejects every call that waits for an id-carrying result. */
  rejectIdCalls(makeError: (entry: PendingCall) => Error): void {
    const entries: PendingCall[] = [];
    for (const entry of this.#ring) if (entry !== undefined) entries.push(entry);
    for (const entry of this.#byId.values()) entries.push(entry);
    for (const entry of entries) this.settle(entry, makeError(entry));
  }

  /** Rejects every pending call, oldest first. */
  rejectAll(makeError: (entry: PendingCall) => Error): void {
    for (const entry of this.#deadlines.pending()) this.settle(entry, makeError(entry));
  }

  // A second call under the same key (never expected of the SDK) replaces the first in the index,
  // as it always has; the first still settles by a cut-off or its timeout.
  #index(entry: PendingCall, key: number | bigint): void {
    entry.key = key;
    if (typeof key === 'number') {
      for (;;) {
        const ring: (PendingCall | undefined)[] = this.#ring;
        const slot: number = key & (ring.length - 1);
        const there: PendingCall | undefined = ring[slot];
        if (there === undefined || there.key === key) {
          // A replaced entry leaves the index (it is still pending).
          const replaced = there ?? (this.#byId.size > 0 ? this.#byId.get(key) : undefined);
          if (replaced !== undefined) this.#unindex(replaced);
          ring[slot] = entry;
          this.#idCount += 1;
          return;
        }
        if (ring.length >= MAX_RING) break;
        this.#grow();
      }
    }
    const there = this.#byId.get(key);
    if (there !== undefined) this.#unindex(there);
    this.#byId.set(key, entry);
    this.#idCount += 1;
  }

  #lookup(key: number | bigint): PendingCall | undefined {
    if (typeof key === 'number') {
      const ring = this.#ring;
      const there = ring[key & (ring.length - 1)];
      if (there !== undefined && there.key === key) return there;
    }
    return this.#byId.size > 0 ? this.#byId.get(key) : undefined;
  }

  /** Takes a settling entry out of the index. */
  #unindex(entry: PendingCall): void {
    const key = entry.key!;
    entry.key = undefined;
    if (typeof key === 'number') {
      const ring = this.#ring;
      const slot = key & (ring.length - 1);
      if (ring[slot] === entry) {
        ring[slot] = undefined;
        this.#idCount -= 1;
        return;
      }
    }
    if (this.#byId.get(key) === entry) {
      this.#byId.delete(key);
      this.#idCount -= 1;
    }
  }

  /** Twice the slots; every entry keeps a slot of its own (distinct low bits stay distinct). */
  #grow(): void {
    const old = this.#ring;
    const ring = new Array<PendingCall | undefined>(old.length * 2).fill(undefined);
    const mask = ring.length - 1;
    for (const entry of old) if (entry !== undefined) ring[(entry.key as number) & mask] = entry;
    this.#ring = ring;
  }
}
