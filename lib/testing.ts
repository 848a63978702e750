/**
 * Helpers for users' own test suites: an isolated emulator per test, typed event waits, unique ids.
 *
 * @module agora-rtm-node/testing
 */
import type { EventEmitter } from 'node:events';
import AgoraRTM, { type CreateInstanceOptions } from './agora-rtm';
import type { RtmChannel, RtmChannelEvents } from './channel';
import type { RtmClient, RtmClientEvents } from './client';
import type { LocalInvitation, LocalInvitationEvents, RemoteInvitation, RemoteInvitationEvents } from './invitation';
import { Emulator, type EmulatorStartOptions } from './emulator';
import { LocalErrCode, localCodeName, RtmTimeoutError } from './errors';

/** An App ID the emulator accepts (32 characters, like a real one). */
export const TEST_APP_ID = '0123456789abcdef0123456789abcdef';

let counter = 0;

/**
 * An id unique within this process and very likely across processes, valid as a user or channel
 * id (at most 63 bytes of [A-Za-z0-9_-]): `${prefix}-${pid}-${time}-${counter}-${random}`.
 */
export function uniqueId(prefix = 'id'): string {
  counter += 1;
  const safePrefix = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  const rest = [
    process.pid.toString(36),
    Date.now().toString(36),
    counter.toString(36),
    Math.random().toString(36).slice(2, 8),
  ].join('-');
  return `${safePrefix.slice(0, Math.max(0, 62 - rest.length))}-${rest}`;
}

export interface WaitForEventOptions<A extends unknown[]> {
  /** Reject after this many ms (default 10 000). */
  timeoutMs?: number;
  /** Only an emission whose arguments pass counts. */
  filter?: (...args: A) => boolean;
}

/**
 * The event map of an emitter: this package's classes by name (inferring it from
 * `EventEmitter<T>` gives `any` for every listener's arguments), any other typed EventEmitter by
 * inference (its event names are checked; their arguments may come out as `any`).
 */
export type EventMapOf<E> = E extends RtmClient
  ? RtmClientEvents
  : E extends RtmChannel
    ? RtmChannelEvents
    : E extends LocalInvitation
      ? LocalInvitationEvents
      : E extends RemoteInvitation
        ? RemoteInvitationEvents
        : E extends EventEmitter<infer T>
          ? T
          : never;

/** The listener arguments of event `K` of emitter `E`. */
export type EventArgs<E, K extends keyof EventMapOf<E>> = EventMapOf<E>[K] extends unknown[] ? EventMapOf<E>[K] : unknown[];

/**
 * Resolves with the listener arguments of the next `name` event (that passes `filter`); rejects
 * with RtmTimeoutError after `timeoutMs`. Its listener is removed either way. A name that is not
 * an event of the emitter does not type-check.
 */
// `EventEmitter<any>`: any emitter, typed or not (EventMapOf finds its events).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function waitForEvent<E extends EventEmitter<any>, K extends keyof EventMapOf<E> & (string | symbol)>(
  emitter: E,
  name: K,
  options?: WaitForEventOptions<EventArgs<E, K>>,
): Promise<EventArgs<E, K>>;
export function waitForEvent(
  emitter: EventEmitter,
  name: string | symbol,
  options: WaitForEventOptions<unknown[]> = {},
): Promise<unknown[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const filter = options.filter;
  return new Promise<unknown[]>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(name, listener);
    };
    const listener = (...args: unknown[]): void => {
      try {
        if (filter !== undefined && !filter(...args)) return;
      } catch (err) {
        done();
        reject(err);
        return;
      }
      done();
      resolve(args);
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new RtmTimeoutError(`waitForEvent(): no ${String(name)} event${filter ? ' passing the filter' : ''} within ${timeoutMs} ms`, {
          code: LocalErrCode.WAIT_TIMEOUT,
          codeName: localCodeName(LocalErrCode.WAIT_TIMEOUT),
          operation: 'waitForEvent',
        }),
      );
    }, timeoutMs);
    emitter.on(name, listener);
  });
}

/** What withEmulator hands to its callback besides the Emulator. */
export interface EmulatorFixture {
  emulator: Emulator;
  /** The App ID createClient uses. */
  appId: string;
  /** A client of this emulated service; released when the fixture ends. */
  createClient(options?: Omit<CreateInstanceOptions, 'backend' | 'emulator' | 'sdkPath'>): RtmClient;
}

/**
 * Runs `fn` with a fresh in-process emulated service; afterwards releases every client made with
 * `fixture.createClient` and stops the service, whether `fn` succeeded or not.
 */
export async function withEmulator<T>(
  fn: (emulator: Emulator, fixture: EmulatorFixture) => Promise<T> | T,
  options?: EmulatorStartOptions,
): Promise<T> {
  const emulator = await Emulator.start(options);
  const clients: RtmClient[] = [];
  const fixture: EmulatorFixture = {
    emulator,
    appId: TEST_APP_ID,
    createClient(clientOptions) {
      const client = AgoraRTM.createInstance(TEST_APP_ID, {
        ...clientOptions,
        backend: 'emulator',
        emulator: emulator.url,
      });
      clients.push(client);
      return client;
    },
  };
  try {
    return await fn(emulator, fixture);
  } finally {
    await Promise.allSettled(clients.map((c) => c.release()));
    await emulator.stop();
  }
}
