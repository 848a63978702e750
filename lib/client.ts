// RtmClient: one native client (one IRtmService), its pending calls, their safety timeouts,
// keep-alive (ref/unref) and the one dispatcher for every SDK event.
//
// Promise rules (the real SDK leaves some calls unanswered: shared/rtm-abi.md §8.1):
// - arguments are validated before any native call;
// - a non-zero synchronous return rejects at once with errorFor(operation, enum, code);
// - 0 leaves the call pending until its callback, which the dispatcher matches in order;
// - every pending call also settles when logout or release cuts it off, or at its safety
//   timeout (the SDK's documented timeout plus a margin) with RtmTimeoutError.
import { EventEmitter } from 'node:events';
import { fromLogFilter, toConnectionChangeReason, toConnectionState, type CppEnumName } from './codes';
import { ConnectionChangeReason, ConnectionState, LogFilter, LoginErrCode } from './enums';
import {
  RtmError,
  RtmReleasedError,
  errorFor,
  fromNativeError,
  timeoutError,
} from './errors';
import { EventKind, native, type BackendSpec, type Dispatch, type NativeEvent, type RtmClient as NativeClient } from './native';
import {
  checkEnumMember,
  checkInteger,
  checkOptions,
  checkParameters,
  checkSizedString,
  checkToken,
  checkUserId,
  type CheckContext,
} from './validate';

/**
 * Safety timeouts in ms, per operation: the SDK's documented timeout plus a margin, after which
 * a call the SDK never answered rejects with RtmTimeoutError.
 */
export const SAFETY_TIMEOUTS_MS = {
  /** The SDK gives up after 6 s (LOGIN_ERR_TIMEOUT); + 4 s margin. */
  login: 10_000,
  /** No documented timeout; the SDK answers at once when it answers at all. */
  logout: 10_000,
  /** No documented timeout; observed unanswered while CONNECTING (rtm-abi.md §8.1). */
  renewToken: 10_000,
} as const;

export type SafetyTimeouts = { -readonly [K in keyof typeof SAFETY_TIMEOUTS_MS]: number };

/** Events of RtmClient, with their listener arguments. */
export interface RtmClientEvents {
  /**
   * Every onConnectionStateChanged. A value this package does not know (a newer SDK) arrives as
   * its number.
   */
  ConnectionStateChanged: [state: ConnectionState | number, reason: ConnectionChangeReason | number];
  /** The token expired (AccessToken 006: the session stays connected); renewToken() or log in again. */
  TokenExpired: [];
  /** A failure that belongs to no call. Emitted only when someone listens. */
  error: [err: RtmError];
  // Later slices: MessageFromPeer, PeersOnlineStatusChanged, RemoteInvitationReceived.
}

export interface LoginOptions {
  /** 1–64 bytes of a-z A-Z 0-9, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , ; not "null". */
  uid: string;
  /** Omit (or null) for a project without an App Certificate. */
  token?: string | null;
}

/**
 * What createInstance hands to the constructor. Not part of the public API: create clients
 * with AgoraRTM.createInstance().
 * @internal
 */
export interface RtmClientInit {
  spec: BackendSpec;
  appId: string;
  /** Test hook: shorter safety timeouts. */
  safetyTimeoutsMs?: Partial<SafetyTimeouts>;
}

type Operation = keyof SafetyTimeouts;

interface Pending {
  readonly operation: Operation;
  readonly cppEnum: CppEnumName;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
  /** Removes the entry from the queue that holds it. */
  detach: () => void;
  /** renewToken: the token it sent. */
  token?: string;
  /** logout: it cut off a pending login, whose late result must be dropped. */
  cutLogin?: boolean;
}

const KEEP_ALIVE_STATES: ReadonlySet<ConnectionState | number> = new Set([
  ConnectionState.CONNECTING,
  ConnectionState.CONNECTED,
  ConnectionState.RECONNECTING,
  ConnectionState.ABORTED,
]);

/** States in which the SDK answers a login with onLoginFailure(ALREADY_LOGGED_IN). */
const BUSY_LOGIN_STATES: ReadonlySet<ConnectionState | number> = new Set([
  ConnectionState.CONNECTING,
  ConnectionState.CONNECTED,
  ConnectionState.ABORTED,
]);

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/** An RTM client (Web SDK 1.x shape). Create it with AgoraRTM.createInstance(). */
export class RtmClient extends EventEmitter<RtmClientEvents> {
  readonly #native: NativeClient;
  readonly #timeouts: SafetyTimeouts;
  #state: ConnectionState | number = ConnectionState.DISCONNECTED;
  #released = false;
  #userUnref = false;
  #nativeRefd = false; // the native TSFN starts unref'd
  readonly #pending = new Set<Pending>();
  /** The login whose onLoginSuccess / onLoginFailure is awaited. */
  #primaryLogin: Pending | null = null;
  /** Logins made while another was pending or the client was connecting/connected/aborted:
   *  each awaits onLoginFailure(ALREADY_LOGGED_IN), oldest first. */
  readonly #busyLogins: Pending[] = [];
  readonly #logouts: Pending[] = [];
  readonly #renewals: Pending[] = [];

  /** @internal Use AgoraRTM.createInstance(). */
  constructor(init: RtmClientInit) {
    super();
    this.#timeouts = { ...SAFETY_TIMEOUTS_MS, ...init.safetyTimeoutsMs };
    const dispatch: Dispatch = (batch) => this.#dispatch(batch);
    try {
      this.#native = new native.RtmClient(init.spec, init.appId, dispatch);
    } catch (err) {
      throw fromNativeError(err, 'createInstance');
    }
  }

  /** The state of the last onConnectionStateChanged (DISCONNECTED before any, and after release()). */
  get connectionState(): ConnectionState | number {
    return this.#state;
  }

  /** Logs in. Resolves on onLoginSuccess; rejects with the SDK's code, or when logout()/release() cuts it off. */
  async login(options: LoginOptions): Promise<void> {
    const ctx: CheckContext = { operation: 'login', cppEnum: 'LOGIN_ERR_CODE' };
    this.#assertAlive('login');
    const opts = checkOptions(options, ctx, 'login options', ['uid', 'token']);
    const uid = checkUserId(opts.uid, ctx, 'uid');
    const token = checkToken(opts.token, ctx);
    const busy = this.#loginIsBusy();
    const rc = this.#call('login', () => this.#native.login(token, uid));
    if (rc !== 0) throw errorFor('login', 'LOGIN_ERR_CODE', rc);
    const { promise, entry } = this.#track('login', 'LOGIN_ERR_CODE');
    if (busy) {
      this.#busyLogins.push(entry);
      entry.detach = () => removeFrom(this.#busyLogins, entry);
    } else {
      this.#primaryLogin = entry;
      entry.detach = () => {
        if (this.#primaryLogin === entry) this.#primaryLogin = null;
      };
    }
    return promise;
  }

  /** Logs out. Resolves on onLogout(0); cuts off a pending login. */
  async logout(): Promise<void> {
    this.#assertAlive('logout');
    const rc = this.#call('logout', () => this.#native.logout());
    if (rc !== 0) throw errorFor('logout', 'LOGOUT_ERR_CODE', rc);
    const { promise, entry } = this.#track('logout', 'LOGOUT_ERR_CODE');
    this.#logouts.push(entry);
    entry.detach = () => removeFrom(this.#logouts, entry);
    const login = this.#primaryLogin;
    if (login !== null) {
      entry.cutLogin = true;
      this.#settle(
        login,
        new RtmError(
          'login() was cut off by logout() before the SDK answered it; call login() again to log in.',
          { code: LoginErrCode.UNKNOWN, codeName: 'LOGIN_ERR_UNKNOWN', operation: 'login' },
        ),
      );
    }
    return promise;
  }

  /** Renews the token. Resolves on onRenewTokenResult(token, 0). */
  async renewToken(token: string): Promise<void> {
    const ctx: CheckContext = { operation: 'renewToken', cppEnum: 'RENEW_TOKEN_ERR_CODE' };
    this.#assertAlive('renewToken');
    const t = checkSizedString(token, ctx, 'token', { minBytes: 1 });
    const rc = this.#call('renewToken', () => this.#native.renewToken(t));
    if (rc !== 0) throw errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', rc);
    const { promise, entry } = this.#track('renewToken', 'RENEW_TOKEN_ERR_CODE');
    entry.token = t;
    this.#renewals.push(entry);
    entry.detach = () => removeFrom(this.#renewals, entry);
    return promise;
  }

  /** IRtmService::setParameters with an object (sent as JSON) or a JSON string. Throws on a non-zero return. */
  setParameters(params: Record<string, unknown> | string): void {
    this.#assertAlive('setParameters');
    const json = checkParameters(params, { operation: 'setParameters' }, 'params');
    this.#syncResult('setParameters', this.#call('setParameters', () => this.#native.setParameters(json)));
  }

  /** IRtmService::setLogFile: an absolute path in an existing, writable directory. Throws on a non-zero return. */
  setLogFile(path: string): void {
    this.#assertAlive('setLogFile');
    const p = checkSizedString(path, { operation: 'setLogFile' }, 'path', { minBytes: 1 });
    this.#syncResult('setLogFile', this.#call('setLogFile', () => this.#native.setLogFile(p)));
  }

  /** IRtmService::setLogFilter. Throws on a non-zero return. */
  setLogFilter(filter: LogFilter): void {
    this.#assertAlive('setLogFilter');
    const f = checkEnumMember(filter, LogFilter, { operation: 'setLogFilter' }, 'filter', 'LogFilter');
    const value = fromLogFilter(f);
    this.#syncResult('setLogFilter', this.#call('setLogFilter', () => this.#native.setLogFilter(value)));
  }

  /** IRtmService::setLogFileSize in KB (the SDK ignores values outside 512..10240). Throws on a non-zero return. */
  setLogFileSize(kilobytes: number): void {
    this.#assertAlive('setLogFileSize');
    const kb = checkInteger(kilobytes, { operation: 'setLogFileSize' }, 'kilobytes', { min: 1 });
    this.#syncResult('setLogFileSize', this.#call('setLogFileSize', () => this.#native.setLogFileSize(kb)));
  }

  /**
   * Releases the service. Idempotent. Every pending call rejects with RtmReleasedError; every
   * later call rejects (async methods) or throws (sync methods) RtmReleasedError.
   */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    for (const entry of [...this.#pending]) {
      this.#settle(
        entry,
        new RtmReleasedError(entry.operation, `${entry.operation}() was cut off by release() before the SDK answered it.`),
      );
    }
    this.#state = ConnectionState.DISCONNECTED;
    try {
      this.#native.release();
    } catch (err) {
      throw fromNativeError(err, 'release');
    }
  }

  /** `await using client = AgoraRTM.createInstance(…)` releases it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  /** Lets a logged-in client (or one with calls pending) keep the process alive (the default). */
  ref(): this {
    this.#userUnref = false;
    this.#updateKeepAlive();
    return this;
  }

  /** A logged-in client no longer keeps the process alive (a pending call still does, until it settles). */
  unref(): this {
    this.#userUnref = true;
    this.#updateKeepAlive();
    return this;
  }

  // -------------------------------------------------------------------------------------------
  // Pending calls
  // -------------------------------------------------------------------------------------------

  #track(operation: Operation, cppEnum: CppEnumName): { promise: Promise<void>; entry: Pending } {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: Pending = { operation, cppEnum, resolve, reject, timer: undefined, detach: () => {} };
    const ms = this.#timeouts[operation];
    entry.timer = setTimeout(() => this.#settle(entry, timeoutError(operation, cppEnum, ms)), ms);
    entry.timer.unref();
    this.#pending.add(entry);
    this.#updateKeepAlive();
    return { promise, entry };
  }

  /** Resolves (no error) or rejects a pending call, once. */
  #settle(entry: Pending, err?: Error): void {
    if (!this.#pending.delete(entry)) return;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.detach();
    if (err === undefined) entry.resolve();
    else entry.reject(err);
    this.#updateKeepAlive();
  }

  #settleWithCode(entry: Pending, code: number): void {
    this.#settle(entry, code === 0 ? undefined : errorFor(entry.operation, entry.cppEnum, code));
  }

  /** Whether the SDK will answer a login now with onLoginFailure(ALREADY_LOGGED_IN). */
  #loginIsBusy(): boolean {
    if (this.#primaryLogin !== null) return true;
    // A logout the SDK accepted comes first: the SDK is DISCONNECTED when it reaches this login.
    if (this.#logouts.length > 0) return false;
    return BUSY_LOGIN_STATES.has(this.#state);
  }

  // -------------------------------------------------------------------------------------------
  // The dispatcher: every SDK event, in arrival order
  // -------------------------------------------------------------------------------------------

  #dispatch(batch: NativeEvent[]): void {
    for (const event of batch) {
      if (this.#released) return; // a listener may have released the client
      try {
        this.#handle(event);
      } catch (err) {
        // A listener threw: report it as Node does for any emitter, without losing the rest of
        // the batch or leaving the dispatcher's bookkeeping half done.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }

  #handle(event: NativeEvent): void {
    switch (event[0]) {
      case EventKind.LoginSuccess:
        this.#onLoginResult(0);
        break;
      case EventKind.LoginFailure:
        this.#onLoginResult(event[1]);
        break;
      case EventKind.RenewTokenResult:
        this.#onRenewTokenResult(event[1], event[2]);
        break;
      case EventKind.TokenExpired:
        this.emit('TokenExpired');
        break;
      case EventKind.Logout:
        this.#onLogout(event[1]);
        break;
      case EventKind.ConnectionStateChanged: {
        const state = toConnectionState(event[1]);
        const reason = toConnectionChangeReason(event[2]);
        this.#state = state;
        this.#updateKeepAlive();
        this.emit('ConnectionStateChanged', state, reason);
        break;
      }
      default:
        break; // a kind of a later slice
    }
  }

  #onLoginResult(code: number): void {
    if (code === LoginErrCode.ALREADY_LOGGED_IN && this.#busyLogins.length > 0) {
      this.#settleWithCode(this.#busyLogins[0]!, code);
      return;
    }
    // The result of a login that a logout cut off (it was answered before the logout was).
    if (this.#logouts.some((l) => l.cutLogin === true)) return;
    const login = this.#primaryLogin;
    if (login !== null) this.#settleWithCode(login, code);
    else if (code !== 0) this.#emitError(errorFor('login', 'LOGIN_ERR_CODE', code, 'No login() call was waiting for this result.'));
  }

  #onLogout(code: number): void {
    const logout = this.#logouts[0];
    if (logout !== undefined) this.#settleWithCode(logout, code);
    else if (code !== 0) this.#emitError(errorFor('logout', 'LOGOUT_ERR_CODE', code, 'No logout() call was waiting for this result.'));
  }

  #onRenewTokenResult(token: string, code: number): void {
    const renewal = this.#renewals.find((r) => r.token === token) ?? this.#renewals[0];
    if (renewal !== undefined) this.#settleWithCode(renewal, code);
    else if (code !== 0) {
      this.#emitError(errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', code, 'No renewToken() call was waiting for this result.'));
    }
  }

  #emitError(err: RtmError): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------

  /**
   * Like a socket: logged in (CONNECTING … ABORTED) or with calls pending, the client keeps the
   * process alive, unless unref()'d; an unref'd client never does.
   */
  #updateKeepAlive(): void {
    if (this.#released) return;
    const want = !this.#userUnref && (this.#pending.size > 0 || KEEP_ALIVE_STATES.has(this.#state));
    if (want === this.#nativeRefd) return;
    this.#nativeRefd = want;
    if (want) this.#native.ref();
    else this.#native.unref();
  }

  #assertAlive(operation: string): void {
    if (this.#released) throw new RtmReleasedError(operation);
  }

  #call<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw fromNativeError(err, operation);
    }
  }

  #syncResult(operation: string, rc: number): void {
    if (rc === 0) return;
    throw new RtmError(
      `${operation}() failed: the SDK returned ${rc}; check the argument against the SDK's documentation and the SDK log.`,
      { code: rc, codeName: `ERR_RTM_${operation.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, operation },
    );
  }
}
