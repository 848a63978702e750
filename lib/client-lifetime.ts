// How an RtmClient's life is tied to the process and to the garbage collector: the states and
// the set that keep a client alive as a connected socket is, the release of a dropped client once
// it is collected, and the guard that keeps a throwing listener from breaking the dispatcher.
import { ConnectionState } from './enums';
import type { RtmClient } from './client';
import type { RtmClient as NativeClient } from './native';

export const KEEP_ALIVE_STATES: ReadonlySet<ConnectionState | number> = new Set([
  ConnectionState.CONNECTING,
  ConnectionState.CONNECTED,
  ConnectionState.RECONNECTING,
  ConnectionState.ABORTED,
]);

/**
 * Clients that live on without a reference from the application, as a connected socket does:
 * logged in (or logging in, or ABORTED until logout), or with a call or invitation in progress.
 */
export const HELD = new Set<RtmClient>();

/**
 * A client the application dropped while not HELD is released once it is collected: its service,
 * thread and emulator objects go with it. The callback runs as an ordinary task on the JS thread,
 * after the collection, never inside it. Nothing native refers back to the RtmClient: the event
 * dispatcher reaches it through a WeakRef (weakDispatcher).
 */
export const COLLECTED = new FinalizationRegistry<NativeClient>((n) => {
  try {
    n.release();
  } catch {
    // the environment is going away: its teardown releases the client
  }
});

/**
 * Runs `emitting`; a listener that throws is reported as Node does for any emitter (on the next
 * tick), without losing the rest of the batch or leaving the dispatcher's bookkeeping half done.
 */
export function guardListeners(emitting: () => void): void {
  try {
    emitting();
  } catch (err) {
    process.nextTick(() => {
      throw err;
    });
  }
}
