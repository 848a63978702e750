// The benchmarks' load generator (bench/inbound.cjs): a flood of messages sent by a C++ client
// inside this process's emulator, so that what is measured on the JS side is the receiving path
// alone. Not part of the public API (not exported by index.ts / emulator.ts).
import { native, type FloodResult } from './native';

/** @internal */
export interface FloodOptions {
  /** The in-process service: an Emulator's `inprocUrl` ('inproc://NAME'); its limits profile should be 'unlimited'. */
  serviceUrl: string;
  /** The sender's user id (logged in for the flood, logged out after it). */
  senderId: string;
  /** Peer flood: the receiving user id. Channel flood: the channel id (the sender joins it). */
  target: string;
  channel?: boolean;
  count: number;
  /** Text size in bytes (default 16). */
  textBytes?: number;
  /** Sends awaiting their result at most (default 4096). */
  window?: number;
  /** Sends per second; 0 (default): back to back. */
  ratePerSecond?: number;
  /** Each text starts with its send time: CLOCK_MONOTONIC ns (process.hrtime.bigint()) and a space. */
  stampTime?: boolean;
  /** Peer floods: `target` is a C++ client logged in by the flood itself, whose handler only counts. */
  cppReceiver?: boolean;
}

export type { FloodResult };

/** @internal Resolves when the sender has its last result and has logged out. */
export function flood(options: FloodOptions): Promise<FloodResult> {
  return native.emulatorFlood(
    options.serviceUrl,
    options.senderId,
    options.target,
    options.channel ?? false,
    options.count,
    options.textBytes ?? 16,
    options.window ?? 4096,
    options.ratePerSecond ?? 0,
    options.stampTime ?? false,
    options.cppReceiver ?? false,
  );
}
