// The registry of a client's pending calls: their promises, their safety timeouts, and the
// index by request id / message id through which result callbacks find them.
//
// Every entry settles exactly once: by its result (resolve / reject), when a cut-off (logout,
// failed login, release) rejects it, or when its safety timer fires. Settling removes it from
// every index, so a result that arrives later finds nothing and is ignored.
import type { CppEnumName } from './codes';
import { timeoutError } from './errors';

/** One pending call. */
export interface PendingCall {
  /** The API call, e.g. 'login' or 'sendMessageToPeer'. */
  readonly operation: string;
  /** The C++ enum of its result codes. */
  readonly cppEnum: CppEnumName;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
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

export class PendingRegistry {
  readonly #all = new Set<PendingCall>();
  readonly #byId = new Map<bigint, PendingCall>();
  readonly #onChange: () => void;

  /** `onChange` runs after every add and settle (the client updates its keep-alive there). */
  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Calls pending in all. */
  get size(): number {
    return this.#all.size;
  }

  /** Calls pending that wait for a result with their id. */
  get idCount(): number {
    return this.#byId.size;
  }

  /**
   * A new pending call with a safety timer of `timeoutMs`, after which it rejects with
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
      timer: undefined,
      detach: () => {},
    };
    entry.timer = setTimeout(() => this.settle(entry, timeoutError(operation, cppEnum, timeoutMs)), timeoutMs);
    entry.timer.unref();
    this.#all.add(entry);
    this.#onChange();
    return { promise, entry };
  }

  /** A new pending call whose result callback carries `id` (the Accepted id of the native call). */
  trackId<T>(id: bigint, operation: string, cppEnum: CppEnumName, timeoutMs: number): Promise<T> {
    const { promise, entry } = this.track<T>(operation, cppEnum, timeoutMs);
    entry.id = id;
    this.#byId.set(id, entry);
    entry.detach = () => {
      if (this.#byId.get(id) === entry) this.#byId.delete(id);
    };
    return promise;
  }

  /** The pending call waiting for `id`, if it is one of `operations`; undefined otherwise. */
  find(id: bigint, operations: readonly string[]): PendingCall | undefined {
    const entry = this.#byId.get(id);
    return entry !== undefined && operations.includes(entry.operation) ? entry : undefined;
  }

  /** Resolves (err undefined, with `value`) or rejects a pending call, once. */
  settle(entry: PendingCall, err?: Error, value?: unknown): void {
    if (!this.#all.delete(entry)) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.detach();
    if (err === undefined) entry.resolve(value);
    else entry.reject(err);
    this.#onChange();
  }

  /** Rejects every call that waits for an id-carrying result. */
  rejectIdCalls(makeError: (entry: PendingCall) => Error): void {
    for (const entry of [...this.#byId.values()]) this.settle(entry, makeError(entry));
  }

  /** Rejects every pending call. */
  rejectAll(makeError: (entry: PendingCall) => Error): void {
    for (const entry of [...this.#all]) this.settle(entry, makeError(entry));
  }
}
