// The compiled-in emulator holds the routing of the messages a client sends while its pump is
// idle until the client's flushRequests() (binding/rtm_client.cpp, `rtm.emulator.hold_requests`).
// One flush per tick that sent, from a microtask: a burst of sends in one tick then costs the
// emulator one wake-up of a pool thread, not one each time its pump drained between two sends
// (a futex wake-up costs the calling thread microseconds). The real SDK holds nothing: no flush.
import type { RtmClient as NativeClient } from './native';

/** @internal */
export class SendFlush {
  readonly #native: NativeClient | null;
  #armed = false;
  readonly #run = (): void => {
    this.#armed = false;
    this.#native!.flushRequests(); // a no-op once the client is released
  };

  /** `holds`: the backend is the compiled-in emulator. */
  constructor(nativeClient: NativeClient, holds: boolean) {
    this.#native = holds ? nativeClient : null;
  }

  /** A message went to the native client in this tick (accepted or not). */
  sent(): void {
    if (this.#armed || this.#native === null) return;
    this.#armed = true;
    queueMicrotask(this.#run);
  }
}
