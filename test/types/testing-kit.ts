// Type-level checks of the testing kit, compiled with `tsc --noEmit` by test/types.test.ts (no code
// here runs). Each @ts-expect-error must be an error, or the compile fails.
import { EventEmitter } from 'node:events';
import AgoraRTM, { ConnectionState, type RtmClient } from '../../lib/index';
import { waitForEvent } from '../../lib/testing';

declare const client: RtmClient;

export async function typed(): Promise<void> {
  const [state, reason] = await waitForEvent(client, 'ConnectionStateChanged', {
    filter: (s) => s === ConnectionState.ABORTED,
  });
  const s: ConnectionState | number = state;
  const r: string | number = reason;
  void s;
  void r;
  // @ts-expect-error a misspelled event name
  await waitForEvent(client, 'ConnectionStateChange');
  // @ts-expect-error the listener arguments are typed: a state is not a Date
  const [d]: [Date] = await waitForEvent(client, 'ConnectionStateChanged');
  void d;
  const emitter = new EventEmitter<{ tick: [n: number] }>();
  const [n] = await waitForEvent(emitter, 'tick', { filter: (v) => v > 1 });
  const num: number = n;
  void num;
  // @ts-expect-error not an event of that emitter
  await waitForEvent(emitter, 'tock');
  void AgoraRTM;
}
