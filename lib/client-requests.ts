// What the request helpers of RtmClient (client-peer-messages.ts, client-presence.ts,
// client-attributes.ts) may use of their client, and the result handling they share. The client
// hands them a RequestContext rather than itself, so that its private state stays its own.
import type { CppEnumName } from './codes';
import { errorFor } from './errors';
import type { Accepted, RtmClient as NativeClient } from './native';
import type { PendingCall, PendingRegistry } from './pending';
import type { SafetyTimeouts } from './safety-timeouts';
import type { SendFlush } from './send-flush';

export type Operation = keyof SafetyTimeouts;

/** @internal An RtmClient as its request helpers see it. */
export interface RequestContext {
  readonly native: NativeClient;
  /** Told of every message sent (the emulator's end-of-tick flush). */
  readonly sends: SendFlush;
  /** Throws RtmReleasedError once the client is released. */
  assertAlive(operation: string): void;
  /**
   * Makes a request whose result callback carries the id the SDK wrote: a non-zero synchronous
   * result rejects at once; 0 leaves the call pending under that id.
   */
  request<T>(operation: Operation, cppEnum: CppEnumName, fn: () => Accepted): Promise<T>;
  /**
   * What `request` does with a native call's answer, for callers that made the call themselves:
   * a number is the id of an accepted call; an Accepted with a non-zero result rejects at once.
   */
  accepted<T>(operation: Operation, cppEnum: CppEnumName, answer: number | Accepted): Promise<T>;
}

/** Settles with `value` for code 0, else rejects with the code's error. */
export function settleWithCode(pending: PendingRegistry, entry: PendingCall, code: number, value?: unknown): void {
  pending.settle(entry, code === 0 ? undefined : errorFor(entry.operation, entry.cppEnum, code), value);
}

/** A result that carries only an id and a code (0 resolves with undefined). */
export function settleResult(pending: PendingRegistry, id: bigint, operations: readonly Operation[], code: number): void {
  const entry = pending.find(id, operations);
  if (entry !== undefined) settleWithCode(pending, entry, code);
}

/** A plain object from entries; a key such as "__proto__" becomes an own property like any other. */
export function toRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of entries) {
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
