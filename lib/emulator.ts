/**
 * Start, control and stop emulated RTM services; find the drop-in emulator library.
 *
 * @module agora-rtm-node/emulator
 */
// For now every service runs in-process (url 'inproc://NAME'); the TCP server (host/port) is a
// later issue.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { LocalErrCode, localError, RtmError } from './errors';
import { addonDirectory, native } from './native';
import { checkOptions, checkUserId, describe, type CheckContext } from './validate';

/**
 * One rate limit: `{ count, windowMs }` (at most `count` calls in any `windowMs`), a number (that
 * many calls per the profile's window), or `0` / `false` / `null` (no limit).
 */
export type EmulatorRateLimit = { count: number; windowMs?: number } | number | false | null;

/** The emulator's built-in limits profiles. */
export type EmulatorProfile = 'v1.2' | 'linux-1.4' | 'unlimited';

/**
 * The emulator's limits: a profile plus overrides by the emulator's names (emulator/src/common/limits.h;
 * the README has the table). Passed to the emulator as JSON, unchanged; it refuses unknown keys,
 * so a typo does not silently leave a limit in force.
 */
export interface EmulatorLimits {
  /** The base table: 'v1.2' (the v1.2.x C++ header, default), 'linux-1.4' (the Linux SDK ≥ 1.4) or 'unlimited'. */
  profile?: EmulatorProfile;
  /** false switches every rate limit off. */
  rateLimits?: boolean;
  // Rate limits (per client instance).
  login?: EmulatorRateLimit;
  renewToken?: EmulatorRateLimit;
  join?: EmulatorRateLimit;
  joinSameChannel?: EmulatorRateLimit;
  /** Peer and channel messages together. */
  sendMessage?: EmulatorRateLimit;
  getMembers?: EmulatorRateLimit;
  queryPeersOnlineStatus?: EmulatorRateLimit;
  subscribePeersOnlineStatus?: EmulatorRateLimit;
  unsubscribePeersOnlineStatus?: EmulatorRateLimit;
  queryPeersBySubscriptionOption?: EmulatorRateLimit;
  userAttributeWrites?: EmulatorRateLimit;
  userAttributeReads?: EmulatorRateLimit;
  channelAttributeWrites?: EmulatorRateLimit;
  channelAttributeReads?: EmulatorRateLimit;
  getChannelMemberCount?: EmulatorRateLimit;
  // Timeouts and thresholds, in ms.
  loginTimeoutMs?: number;
  /** Link lost this long → RECONNECTING (INTERRUPTED). */
  interruptedAfterMs?: number;
  /** Nothing heard from a user this long → UNREACHABLE to its subscribers. */
  unreachableAfterMs?: number;
  /** Nothing heard from a user this long → OFFLINE (and out of its channels). */
  offlineAfterMs?: number;
  peerMessageTimeoutMs?: number;
  channelMessageTimeoutMs?: number;
  joinTimeoutMs?: number;
  getMembersTimeoutMs?: number;
  queryPeersOnlineStatusTimeoutMs?: number;
  subscribeTimeoutMs?: number;
  queryPeersBySubscriptionOptionTimeoutMs?: number;
  attributeTimeoutMs?: number;
  getChannelMemberCountTimeoutMs?: number;
  /** Above this many members a channel sends no MemberJoined / MemberLeft (512). */
  memberEventsMaxMembers?: number;
  /** At most one MemberCountUpdated per this many ms while ≤ memberEventsMaxMembers (1000)… */
  memberCountIntervalMs?: number;
  /** …and per this many ms above it (3000). */
  memberCountLargeIntervalMs?: number;
  invitationAckTimeoutMs?: number;
  invitationExpireMs?: number;
  invitationAcceptAckTimeoutMs?: number;
  /** Any other key of the emulator's table (checked by the emulator). */
  [key: string]: EmulatorRateLimit | string | boolean | undefined;
}

export interface EmulatorStartOptions {
  /** TCP server: not implemented yet. */
  host?: string;
  /** TCP server: not implemented yet. */
  port?: number;
  /** Token verification: not implemented yet. */
  appCertificate?: string;
  /** The limits profile and overrides, e.g. `{ profile: 'unlimited' }` or `{ rateLimits: false, offlineAfterMs: 500 }`. */
  limits?: EmulatorLimits;
}

let nextId = 0;

function uniqueServiceName(): string {
  nextId += 1;
  return `emu-${process.pid}-${nextId}-${Math.random().toString(36).slice(2, 8)}`;
}

function notImplemented(what: string): RtmError {
  return localError(
    'Emulator.start',
    LocalErrCode.NOT_IMPLEMENTED,
    `Emulator.start(): ${what} is not implemented yet; omit it to get an in-process service ('inproc://NAME'), which clients reach with createInstance(appId, { backend: 'emulator', emulator: emu.url }).`,
  );
}

/** An emulated RTM service. */
export class Emulator {
  static #default: Emulator | undefined;

  /** The service's name ('default' for the always-present one). */
  readonly name: string;
  /** Pass as `emulator` to AgoraRTM.createInstance, e.g. 'inproc://emu-123-1-abc'. */
  readonly url: string;
  readonly #stoppable: boolean;
  #stopped = false;

  private constructor(name: string, stoppable: boolean) {
    this.name = name;
    this.url = `inproc://${name}`;
    this.#stoppable = stoppable;
  }

  /** The always-present in-process service that clients use when no `emulator` URL is given. */
  static get default(): Emulator {
    Emulator.#default ??= new Emulator('default', false);
    return Emulator.#default;
  }

  /** Starts a new, independent in-process service (its own users, channels and limits). */
  static async start(options?: EmulatorStartOptions): Promise<Emulator> {
    const ctx: CheckContext = { operation: 'Emulator.start' };
    const opts = checkOptions(options, ctx, 'options', ['host', 'port', 'appCertificate', 'limits']);
    if (opts.host !== undefined || opts.port !== undefined) throw notImplemented('the TCP server (host/port)');
    if (opts.appCertificate !== undefined) throw notImplemented('token verification (appCertificate)');
    const limits = checkOptions(opts.limits, ctx, 'limits', Object.keys(opts.limits ?? {}));
    const name = uniqueServiceName();
    try {
      native.emulatorCreate(name, JSON.stringify(limits));
    } catch (err) {
      throw localError(
        'Emulator.start',
        LocalErrCode.EMULATOR,
        `Emulator.start(): the emulator refused the service: ${(err as Error).message ?? String(err)}. Check the limits (${describe(limits)}) against the emulator's limits profile.`,
        err,
      );
    }
    return new Emulator(name, true);
  }

  /** Objects the emulator has handed out and not freed yet (0 once every client is released). */
  static liveObjectCount(): number {
    return native.emulatorLiveObjects();
  }

  /** The logged-in user ids. */
  users(): string[] {
    this.#assertRunning('users');
    return native.emulatorUsers(this.name);
  }

  /** Ends the user's session as a remote login would (ABORTED, REMOTE_LOGIN). False when no such session. */
  kick(uid: string): boolean {
    this.#assertRunning('kick');
    const id = checkUserId(uid, { operation: 'Emulator.kick' });
    return native.emulatorKick(this.name, id);
  }

  /**
   * Cuts the user's link to the service without a logout, as a network failure would: the client
   * goes RECONNECTING after `interruptedAfterMs`; subscribers see the user UNREACHABLE after
   * `unreachableAfterMs`, then OFFLINE after `offlineAfterMs`. False when no such session.
   */
  dropConnection(uid: string): boolean {
    this.#assertRunning('dropConnection');
    const id = checkUserId(uid, { operation: 'Emulator.dropConnection' });
    return native.emulatorDropConnection(this.name, id);
  }

  /** Restores a link cut by dropConnection: the client reconnects (CONNECTED). False when no such session. */
  restoreConnection(uid: string): boolean {
    this.#assertRunning('restoreConnection');
    const id = checkUserId(uid, { operation: 'Emulator.restoreConnection' });
    return native.emulatorRestoreConnection(this.name, id);
  }

  /**
   * Fault injection for call invitations. With `enabled` false, the acknowledgements the user's
   * client sends are lost on the way (the user need not be logged in; the setting stays until
   * changed): as callee, the caller never learns the invitation arrived and fails with
   * PEER_NO_RESPONSE after `invitationAckTimeoutMs`; as caller, the callee never learns its accept
   * arrived and fails with ACCEPT_FAILURE after `invitationAcceptAckTimeoutMs`. False when the
   * service does not exist.
   */
  setInvitationAutoAck(uid: string, enabled: boolean): boolean {
    this.#assertRunning('setInvitationAutoAck');
    const ctx: CheckContext = { operation: 'Emulator.setInvitationAutoAck' };
    const id = checkUserId(uid, ctx);
    if (typeof enabled !== 'boolean') {
      throw new TypeError(`Emulator.setInvitationAutoAck(): enabled must be a boolean, got ${describe(enabled)}`);
    }
    return native.emulatorSetInvitationAutoAck(this.name, id, enabled);
  }

  /** Expires the user's token (AccessToken 006: stays connected, gets TokenExpired). False when no such session. */
  expireToken(uid: string): boolean {
    this.#assertRunning('expireToken');
    const id = checkUserId(uid, { operation: 'Emulator.expireToken' });
    return native.emulatorExpireToken(this.name, id);
  }

  /** Stops the service: every session is kicked. Idempotent. The default service cannot be stopped. */
  async stop(): Promise<void> {
    if (!this.#stoppable) {
      throw localError('Emulator.stop', LocalErrCode.EMULATOR, "Emulator.stop(): the 'default' service always exists and cannot be stopped.");
    }
    if (this.#stopped) return;
    this.#stopped = true;
    native.emulatorDestroy(this.name);
  }

  /** `await using emu = await Emulator.start()` stops it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#stoppable ? this.stop() : Promise.resolve();
  }

  #assertRunning(operation: string): void {
    if (this.#stopped) {
      throw localError(`Emulator.${operation}`, LocalErrCode.EMULATOR, `Emulator.${operation}(): the service ${this.url} was stopped.`);
    }
  }
}

/** The file name of the drop-in library: the emulator behind the SDK's two C entry points. */
export const EMULATOR_LIBRARY = 'libagora_rtm_emulator.so';

/**
 * The path of the drop-in emulator library, wherever the install put it (beside the addon): a
 * replacement for libagora_rtm_sdk.so, for `backend: 'agora', sdkPath: emulatorLibraryPath()`
 * (the real SDK's loading path, offline) or for C++ programs and other bindings of the SDK.
 * Throws an RtmError (ERR_RTM_NATIVE) when it is not there.
 */
export function emulatorLibraryPath(): string {
  const op = 'emulatorLibraryPath';
  let dir: string;
  try {
    dir = addonDirectory();
  } catch (cause) {
    const why = `${op}(): the native addon is not built, so neither is the drop-in library`;
    throw localError(op, LocalErrCode.NATIVE, `${why}; run \`npm rebuild agora-rtm-node\`.`, cause);
  }
  const file = path.join(dir, EMULATOR_LIBRARY);
  if (!existsSync(file)) {
    const why = `${op}(): ${EMULATOR_LIBRARY} is not beside the addon (${dir})`;
    throw localError(op, LocalErrCode.NATIVE, `${why}; run \`npm rebuild agora-rtm-node\`.`);
  }
  return file;
}

export default Emulator;
