// RtmClient's session calls: login, logout and renewToken, which the SDK answers in order (by
// callbacks that carry no request id), kept in the queues that match each answer to its call, with
// the rules of which login a result belongs to. The client owns the connection state and the
// cut-offs; this file owns only these calls.
import { ConnectionState, LoginErrCode } from './enums';
import { RtmError, errorFor } from './errors';
import { settleWithCode } from './client-requests';
import type { PendingCall, PendingRegistry } from './pending';
import type { SafetyTimeouts } from './safety-timeouts';

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

/** What the session calls need of their client. */
export interface SessionCallsHost {
  readonly pending: PendingRegistry;
  readonly timeouts: SafetyTimeouts;
  /** Rejects the calls the SDK will not answer after a failed login / a logout. */
  cutOff(why: 'loginFailure' | 'logout'): void;
  /** A failure that belongs to no call. */
  emitError(err: RtmError): void;
}

export class SessionCalls {
  readonly #host: SessionCallsHost;
  /** The login whose onLoginSuccess / onLoginFailure is awaited. */
  #primaryLogin: PendingCall | null = null;
  /** Logins made while another was pending or the client was connecting/connected/aborted:
   *  each awaits onLoginFailure(ALREADY_LOGGED_IN), oldest first. */
  readonly #busyLogins: PendingCall[] = [];
  readonly #logouts: PendingCall[] = [];
  readonly #renewals: PendingCall[] = [];

  constructor(host: SessionCallsHost) {
    this.#host = host;
  }

  /** A login is waiting for its result. */
  get loginPending(): boolean {
    return this.#primaryLogin !== null;
  }

  /** Whether the SDK will answer a login now (in `state`) with onLoginFailure(ALREADY_LOGGED_IN). */
  loginIsBusy(state: ConnectionState | number): boolean {
    if (this.#primaryLogin !== null) return true;
    // A logout the SDK accepted comes first: the SDK is DISCONNECTED when it reaches this login.
    if (this.#logouts.length > 0) return false;
    return BUSY_LOGIN_STATES.has(state);
  }

  /** A login the SDK accepted; `busy` as loginIsBusy said before the native call. */
  trackLogin(busy: boolean): Promise<void> {
    const { promise, entry } = this.#host.pending.track<void>('login', 'LOGIN_ERR_CODE', this.#host.timeouts.login);
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

  /** A logout the SDK accepted: it cuts off the pending login. */
  trackLogout(): Promise<void> {
    const pending = this.#host.pending;
    const { promise, entry } = pending.track<void>('logout', 'LOGOUT_ERR_CODE', this.#host.timeouts.logout);
    this.#logouts.push(entry);
    entry.detach = () => removeFrom(this.#logouts, entry);
    const login = this.#primaryLogin;
    if (login !== null) {
      entry.cutLogin = true;
      pending.settle(
        login,
        new RtmError('login() was cut off by logout() before the SDK answered it; call login() again to log in.', {
          code: LoginErrCode.UNKNOWN,
          codeName: 'LOGIN_ERR_UNKNOWN',
          operation: 'login',
        }),
      );
    }
    return promise;
  }

  /** A renewToken the SDK accepted, with the token it sent. */
  trackRenewal(token: string): Promise<void> {
    const { promise, entry } = this.#host.pending.track<void>('renewToken', 'RENEW_TOKEN_ERR_CODE', this.#host.timeouts.renewToken);
    entry.token = token;
    this.#renewals.push(entry);
    entry.detach = () => removeFrom(this.#renewals, entry);
    return promise;
  }

  /** Rejects every renewToken (made while CONNECTING, the real SDK never answers it: rtm-abi.md §8.1). */
  cutOffRenewals(why: string): void {
    for (const renewal of [...this.#renewals]) {
      this.#host.pending.settle(renewal, errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', 102, why));
    }
  }

  /** onLoginSuccess (0) / onLoginFailure(code). */
  onLoginResult(code: number): void {
    const pending = this.#host.pending;
    if (code === LoginErrCode.ALREADY_LOGGED_IN && this.#busyLogins.length > 0) {
      settleWithCode(pending, this.#busyLogins[0]!, code);
      return;
    }
    // The result of a login that a logout cut off (it was answered before the logout was).
    if (this.#logouts.some((l) => l.cutLogin === true)) return;
    const login = this.#primaryLogin;
    if (code !== 0) this.#host.cutOff('loginFailure');
    if (login !== null) settleWithCode(pending, login, code);
    else if (code !== 0) this.#host.emitError(errorFor('login', 'LOGIN_ERR_CODE', code, 'No login() call was waiting for this result.'));
  }

  /** onLogout(code). */
  onLogout(code: number): void {
    if (code === 0) this.#host.cutOff('logout');
    const logout = this.#logouts[0];
    if (logout !== undefined) settleWithCode(this.#host.pending, logout, code);
    else if (code !== 0) this.#host.emitError(errorFor('logout', 'LOGOUT_ERR_CODE', code, 'No logout() call was waiting for this result.'));
  }

  /** onRenewTokenResult(token, code): the renewal of that token, else the oldest. */
  onRenewTokenResult(token: string, code: number): void {
    const renewal = this.#renewals.find((r) => r.token === token) ?? this.#renewals[0];
    if (renewal !== undefined) settleWithCode(this.#host.pending, renewal, code);
    else if (code !== 0) {
      this.#host.emitError(errorFor('renewToken', 'RENEW_TOKEN_ERR_CODE', code, 'No renewToken() call was waiting for this result.'));
    }
  }
}
