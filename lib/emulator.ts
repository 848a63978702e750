/**
 * Start, control and stop emulated RTM services; find the drop-in emulator library.
 *
 * @module agora-rtm-node/emulator
 */
// Every service runs in this process (url 'inproc://NAME'); with `host` / `port` it is also
// served over TCP (url 'rtm://HOST:PORT') to clients in other processes, which control it with
// Emulator.connect(url).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { invalidArgument, LocalErrCode, localError } from './errors';
import { addonDirectory, native } from './native';
import { checkInteger, checkOptions, checkSizedString, checkString, checkUserId, describe, type CheckContext } from './validate';

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
  /**
   * Serve the service over TCP on this address (default '127.0.0.1' once `port` is given; another
   * address only when asked, e.g. '0.0.0.0'). Its `url` is then 'rtm://HOST:PORT'.
   */
  host?: string;
  /** Serve the service over TCP on this port (0: any free port; `url` tells which). */
  port?: number;
  /**
   * The project's App Certificate (32 hex characters): the service then verifies AccessToken
   * (006) and AccessToken2 (007) RTM tokens as Agora's does (login: INVALID_TOKEN /
   * TOKEN_EXPIRED; renewToken likewise) and lets them run out while connected (006: TokenExpired,
   * the session stays; 007: TokenExpired, then ABORTED / BANNED_BY_SERVER). Omitted: any token
   * is accepted.
   */
  appCertificate?: string;
  /** The limits profile and overrides, e.g. `{ profile: 'unlimited' }` or `{ rateLimits: false, offlineAfterMs: 500 }`. */
  limits?: EmulatorLimits;
}

let nextId = 0;

function uniqueServiceName(): string {
  nextId += 1;
  return `emu-${process.pid}-${nextId}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An App Certificate: 32 hexadecimal characters, as Agora's console shows it. */
function checkAppCertificate(value: unknown, ctx: CheckContext): string {
  const certificate = checkString(value, ctx, 'options.appCertificate');
  if (!/^[0-9a-fA-F]{32}$/.test(certificate)) {
    throw invalidArgument(
      ctx.operation,
      ctx.cppEnum,
      `options.appCertificate must be 32 hexadecimal characters (the project's App Certificate), got ${describe(certificate)}`,
    );
  }
  return certificate;
}

/**
 * What a service carries: `sessions` and `channels` (with members) now; `messages` (peer and
 * channel messages it accepted) and their payload `bytes` since it started; and the rates of both
 * per second since the previous `stats()` call on the same object (since the service started, on
 * the first call).
 */
export interface EmulatorStats {
  sessions: number;
  channels: number;
  messages: number;
  bytes: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
}

type StatsTotals = Pick<EmulatorStats, 'sessions' | 'channels' | 'messages' | 'bytes'>;

/** The arguments of setLatency: a user id or '*', and two delays of 0..600 000 ms. */
function checkLatency(operation: string, uid: string, ms: number, jitterMs: number) {
  const ctx: CheckContext = { operation };
  const id = uid === '*' ? '*' : checkUserId(uid, ctx);
  const latency = checkInteger(ms, ctx, 'ms', { min: 0, max: 600_000 });
  const jitter = checkInteger(jitterMs, ctx, 'jitterMs', { min: 0, max: 600_000 });
  return { id, latency, jitter };
}

/** Turns successive totals into per-second rates. */
class RateMeter {
  #last: { at: number; messages: number; bytes: number };
  constructor() {
    this.#last = { at: performance.now(), messages: 0, bytes: 0 };
  }
  next(totals: StatsTotals): EmulatorStats {
    const at = performance.now();
    const seconds = Math.max((at - this.#last.at) / 1000, 1e-3);
    const stats = {
      ...totals,
      messagesPerSecond: Math.round((totals.messages - this.#last.messages) / seconds),
      bytesPerSecond: Math.round((totals.bytes - this.#last.bytes) / seconds),
    };
    this.#last = { at, messages: totals.messages, bytes: totals.bytes };
    return stats;
  }
}

/** An emulated RTM service. */
export class Emulator {
  static #default: Emulator | undefined;

  /** The service's name ('default' for the always-present one). */
  readonly name: string;
  /** Pass as `emulator` to AgoraRTM.createInstance: 'inproc://emu-123-1-abc', or 'rtm://127.0.0.1:PORT' when served over TCP. */
  readonly url: string;
  readonly #stoppable: boolean;
  #stopped = false;
  readonly #meter = new RateMeter();

  /** The in-process url, 'inproc://NAME' (the same service as `url` when that is a TCP one). */
  readonly inprocUrl: string;

  private constructor(name: string, stoppable: boolean, url?: string) {
    this.name = name;
    this.inprocUrl = `inproc://${name}`;
    this.url = url ?? this.inprocUrl;
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
    const tcp = opts.host !== undefined || opts.port !== undefined;
    const host = opts.host === undefined ? '127.0.0.1' : checkSizedString(opts.host, ctx, 'options.host', { minBytes: 1, maxBytes: 253 });
    const port = opts.port === undefined ? 0 : checkInteger(opts.port, ctx, 'options.port', { min: 0, max: 65535 });
    const appCertificate = opts.appCertificate === undefined ? '' : checkAppCertificate(opts.appCertificate, ctx);
    const limits = checkOptions(opts.limits, ctx, 'limits', Object.keys(opts.limits ?? {}));
    const name = uniqueServiceName();
    try {
      native.emulatorCreate(name, JSON.stringify(limits), appCertificate);
    } catch (err) {
      throw localError(
        'Emulator.start',
        LocalErrCode.EMULATOR,
        `Emulator.start(): the emulator refused the service: ${(err as Error).message ?? String(err)}. Check the limits (${describe(limits)}) against the emulator's limits profile.`,
        err,
      );
    }
    if (!tcp) return new Emulator(name, true);
    try {
      const bound = native.emulatorListen(name, host, port);
      return new Emulator(name, true, `rtm://${host}:${bound}`);
    } catch (err) {
      native.emulatorDestroy(name);
      throw localError(
        'Emulator.start',
        LocalErrCode.EMULATOR,
        `Emulator.start(): cannot serve on ${host}:${port}: ${(err as Error).message ?? String(err)}`,
        err,
      );
    }
  }

  /**
   * Controls a service that runs elsewhere (another process, or the `agora-rtm-emulator` CLI) by
   * its url 'rtm://HOST:PORT'. Resolves once the service answered.
   */
  static async connect(url: string, options?: { timeoutMs?: number }): Promise<EmulatorConnection> {
    const ctx: CheckContext = { operation: 'Emulator.connect' };
    const target = checkSizedString(url, ctx, 'url', { minBytes: 1, maxBytes: 300 });
    if (!/^rtm:\/\/[A-Za-z0-9.-]+:\d{1,5}$/.test(target)) {
      throw localError('Emulator.connect', LocalErrCode.EMULATOR_URL, `Emulator.connect(): expected 'rtm://HOST:PORT', got ${JSON.stringify(target)}`);
    }
    const opts = checkOptions(options, ctx, 'options', ['timeoutMs']);
    const timeoutMs = opts.timeoutMs === undefined ? 2000 : checkInteger(opts.timeoutMs, ctx, 'options.timeoutMs', { min: 1, max: 60_000 });
    const connection = new EmulatorConnection(target, timeoutMs);
    await connection.users();
    return connection;
  }

  /**
   * A slow network: everything the service sends to `uid` (`'*'`: to every user, now and later,
   * replacing per-user settings) arrives `ms` plus up to `jitterMs` later, in order — answers,
   * messages, presence and channel events alike. `setLatency(uid, 0)` turns it off.
   */
  setLatency(uid: string, ms: number, jitterMs = 0): boolean {
    this.#assertRunning('setLatency');
    const { id, latency, jitter } = checkLatency('Emulator.setLatency', uid, ms, jitterMs);
    return native.emulatorSetLatency(this.name, id, latency, jitter);
  }

  /** Sessions, channels, messages and bytes, with per-second rates (see EmulatorStats). */
  stats(): EmulatorStats {
    this.#assertRunning('stats');
    return this.#meter.next(JSON.parse(native.emulatorStats(this.name)) as StatsTotals);
  }

  /** TCP counters of a served service (`null` when it is in-process only). */
  tcpStats(): EmulatorTcpStats | null {
    this.#assertRunning('tcpStats');
    return JSON.parse(native.emulatorTcpStats(this.name)) as EmulatorTcpStats | null;
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

/** What a TCP-served emulator has counted since it started. */
export interface EmulatorTcpStats {
  /** Open connections now. */
  connections: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * A service running elsewhere, controlled over its TCP port (Emulator.connect). The same
 * controls as an in-process Emulator, answered asynchronously.
 */
export class EmulatorConnection {
  readonly url: string;
  readonly #timeoutMs: number;

  /** @internal */
  constructor(url: string, timeoutMs: number) {
    this.url = url;
    this.#timeoutMs = timeoutMs;
  }

  readonly #meter = new RateMeter();

  /** The logged-in user ids. */
  async users(): Promise<string[]> {
    return JSON.parse(await this.#run('users', {})) as string[];
  }
  /** See Emulator.setLatency. */
  async setLatency(uid: string, ms: number, jitterMs = 0): Promise<boolean> {
    const { id, latency, jitter } = checkLatency('EmulatorConnection.setLatency', uid, ms, jitterMs);
    return JSON.parse(await this.#run('setLatency', { uid: id, ms: latency, jitterMs: jitter })) as boolean;
  }
  /** See Emulator.stats. */
  async stats(): Promise<EmulatorStats> {
    return this.#meter.next(JSON.parse(await this.#run('stats', {})) as StatsTotals);
  }
  /** See Emulator.kick. */
  kick(uid: string): Promise<boolean> {
    return this.#userCommand('kick', uid);
  }
  /** See Emulator.dropConnection. */
  dropConnection(uid: string): Promise<boolean> {
    return this.#userCommand('dropConnection', uid);
  }
  /** See Emulator.restoreConnection. */
  restoreConnection(uid: string): Promise<boolean> {
    return this.#userCommand('restoreConnection', uid);
  }
  /** See Emulator.expireToken. */
  expireToken(uid: string): Promise<boolean> {
    return this.#userCommand('expireToken', uid);
  }
  /** See Emulator.setInvitationAutoAck. */
  async setInvitationAutoAck(uid: string, enabled: boolean): Promise<boolean> {
    const id = checkUserId(uid, { operation: 'EmulatorConnection.setInvitationAutoAck' });
    if (typeof enabled !== 'boolean') {
      throw new TypeError(`EmulatorConnection.setInvitationAutoAck(): enabled must be a boolean, got ${describe(enabled)}`);
    }
    return JSON.parse(await this.#run('setInvitationAutoAck', { uid: id, enabled })) as boolean;
  }

  async #userCommand(command: string, uid: string): Promise<boolean> {
    const id = checkUserId(uid, { operation: `EmulatorConnection.${command}` });
    return JSON.parse(await this.#run(command, { uid: id })) as boolean;
  }

  async #run(command: string, args: Record<string, unknown>): Promise<string> {
    try {
      return await native.emulatorControl(this.url, command, JSON.stringify(args), this.#timeoutMs);
    } catch (err) {
      throw localError(
        `EmulatorConnection.${command}`,
        LocalErrCode.EMULATOR,
        `EmulatorConnection.${command}(): ${(err as Error).message ?? String(err)}`,
        err,
      );
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
