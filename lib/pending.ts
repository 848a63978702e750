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
  /** The request id or message id the SDK wrote (calls matched by id). */
  id?: bigint;
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

/**
 * The key of an id in the index: a number while it is a safe integer (every id the SDK hands out
 * in practice; cheaper to hash than a bigint), the bigint itself beyond 2^53, so that no two ids
 * ever share a key.
 */
function keyOf(id: bigint): number | bigint {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

export class PendingRegistry {
  readonly #byId = new Map<number | bigint, PendingCall>();
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
    return this.#byId.size;
  }

  /**
   * A new pending call with a safety timeout of `timeoutMs`, after which it rejects with
   * RtmTimeoutError (the enum's TIMEOUT-like code).
   */
  track<T>(operation: string, cppEnum: CppEnumName, timeoutMs: number): Tracked<T> {
    let resolve!: (value: T) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: PendingCall = {
      operation,
      cppEnum,
      resolve: resolve as (value: unknown) => void,
      reject,
      timeoutMs,
      detach: noDetach,
      id: undefined,
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
    // A second call under the same id (never expected of the SDK) replaces the first in the index,
    // as it always has; the first still settles by a cut-off or its timeout.
    this.#byId.set(keyOf(id), entry);
    return promise;
  }

  /** The pending call waiting for `id`, if it is one of `operations`; undefined otherwise. */
  find(id: bigint, operations: readonly string[]): PendingCall | undefined {
    const entry = this.#byId.get(keyOf(id));
    return entry !== undefined && operations.includes(entry.operation) ? entry : undefined;
  }

  /** Resolves (err undefined, with `value`) or rejects a pending call, once. */
  settle(entry: PendingCall, err?: Error, value?: unknown): void {
    if (entry.settled) return;
    this.#deadlines.remove(entry);
    if (entry.id !== undefined) {
      const key = keyOf(entry.id);
      if (this.#byId.get(key) === entry) this.#byId.delete(key);
    }
    entry.detach();
    if (err === undefined) entry.resolve(value);
    else entry.reject(err);
    if (--this.#size === 0) this.#onChange();
  }

  /** Rejects every call that waits for an id-carrying result. */
  rejectIdCalls(makeError: (entry: PendingCall) => Error): void {
    for (const entry of [...this.#byId.values()]) this.settle(entry, makeError(entry));
  }

  /** Rejects every pending call, oldest first. */
  rejectAll(makeError: (entry: PendingCall) => Error): void {
    for (const entry of this.#deadlines.pending()) this.settle(entry, makeError(entry));
  }
}
