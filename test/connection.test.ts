// Login, logout, renewToken and the connection state machine, through the public API on the
// in-process emulator.
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, {
  ConnectionChangeReason,
  ConnectionState,
  InitErrCode,
  LoginErrCode,
  LogoutErrCode,
  RenewTokenErrCode,
  RtmError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  RtmReleasedError,
} from '../lib/index';
import { Emulator } from '../lib/emulator';
import { waitForEvent } from '../lib/testing';
import { APP_ID, newClient, recordStates, releaseAll, uniqueId } from './helpers/clients';

afterEach(releaseAll);

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('connection state', () => {
  it('starts DISCONNECTED; login goes CONNECTING (LOGIN) then CONNECTED (LOGIN_SUCCESS)', async () => {
    const client = newClient();
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
    const states = recordStates(client);
    await client.login({ uid: uniqueId('login') });
    await until(() => states.length >= 2);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
    expect(client.connectionState).toBe(ConnectionState.CONNECTED);
  });

  it('logout goes DISCONNECTED (LOGOUT) and resolves', async () => {
    const client = newClient();
    const states = recordStates(client);
    await client.login({ uid: uniqueId('logout') });
    await client.logout();
    await until(() => states.length >= 3);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'DISCONNECTED/LOGOUT']);
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
  });

  it('a second login with the same uid moves the first client to ABORTED (REMOTE_LOGIN)', async () => {
    const uid = uniqueId('remote');
    const first = newClient();
    const second = newClient();
    await first.login({ uid });
    const aborted = waitForEvent(first, 'ConnectionStateChanged', {
      filter: (state) => state === ConnectionState.ABORTED,
    });
    await second.login({ uid });
    const [state, reason] = await aborted;
    expect(state).toBe(ConnectionState.ABORTED);
    expect(reason).toBe(ConnectionChangeReason.REMOTE_LOGIN);
    expect(first.connectionState).toBe(ConnectionState.ABORTED);
    expect(second.connectionState).toBe(ConnectionState.CONNECTED);

    // ABORTED needs logout() before login() again, as on the real SDK.
    await expect(first.login({ uid })).rejects.toMatchObject({ code: LoginErrCode.ALREADY_LOGGED_IN });
    await expect(first.renewToken('t')).rejects.toMatchObject({ code: RenewTokenErrCode.USER_NOT_LOGGED_IN });
    const states = recordStates(first);
    await first.logout();
    await until(() => states.length >= 1);
    expect(states).toEqual(['DISCONNECTED/LOGOUT']);
  });

  it('a login while one is pending gets ALREADY_LOGGED_IN; the first still succeeds', async () => {
    const client = newClient();
    const uid = uniqueId('double');
    const first = client.login({ uid });
    const second = client.login({ uid });
    const err = await second.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect(err).toMatchObject({
      code: LoginErrCode.ALREADY_LOGGED_IN,
      codeName: 'LOGIN_ERR_ALREADY_LOGGED_IN',
      operation: 'login',
    });
    await expect(first).resolves.toBeUndefined();
    // Logged in: a later login is refused the same way (after the 2-per-second login budget refills).
    await new Promise((r) => setTimeout(r, 1100));
    await expect(client.login({ uid })).rejects.toMatchObject({ code: LoginErrCode.ALREADY_LOGGED_IN });
  });

  it('calls that need a login reject with code 102 before login', async () => {
    const client = newClient();
    await expect(client.renewToken('token')).rejects.toMatchObject({
      code: 102,
      codeName: 'RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN',
    });
    await expect(client.logout()).rejects.toMatchObject({
      code: LogoutErrCode.USER_NOT_LOGGED_IN,
      codeName: 'LOGOUT_ERR_USER_NOT_LOGGED_IN',
      operation: 'logout',
    });
  });

  it('renewToken resolves once logged in', async () => {
    const client = newClient();
    await client.login({ uid: uniqueId('renew'), token: 'first-token' });
    await expect(client.renewToken('second-token')).resolves.toBeUndefined();
  });

  it('a third login call within a second is TOO_OFTEN', async () => {
    const client = newClient();
    const uid = uniqueId('often');
    await client.login({ uid });
    await client.logout();
    await client.login({ uid });
    await client.logout();
    const err = await client.login({ uid }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RtmInvokeTooOftenError);
    expect(err).toMatchObject({ code: LoginErrCode.TOO_OFTEN, codeName: 'LOGIN_ERR_TOO_OFTEN' });
    expect(client.connectionState).toBe(ConnectionState.DISCONNECTED);
  });

  it('TokenExpired is emitted when the service says the token ran out', async () => {
    const client = newClient();
    const uid = uniqueId('expire');
    await client.login({ uid, token: 'some-token' });
    const expired = waitForEvent(client, 'TokenExpired');
    expect(Emulator.default.expireToken(uid)).toBe(true);
    await expect(expired).resolves.toEqual([]);
    // AccessToken (006) semantics: still connected.
    expect(client.connectionState).toBe(ConnectionState.CONNECTED);
  });

  it('an App ID of the wrong length fails initialize with INVALID_APP_ID', () => {
    let caught: unknown;
    try {
      AgoraRTM.createInstance('not-an-app-id', { backend: 'emulator' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RtmError);
    expect(caught).toMatchObject({ code: InitErrCode.INVALID_APP_ID, codeName: 'INIT_ERR_INVALID_APP_ID' });
  });
});

describe('release', () => {
  it('is idempotent, rejects pending calls and makes every later call fail with RtmReleasedError', async () => {
    const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
    const pending = client.login({ uid: uniqueId('rel') });
    await Promise.all([client.release(), client.release()]);
    // The login was either answered before release or cut off by it: it never hangs.
    await pending.catch((e: unknown) => expect(e).toBeInstanceOf(RtmError));
    await expect(client.login({ uid: uniqueId('rel') })).rejects.toBeInstanceOf(RtmReleasedError);
    await expect(client.logout()).rejects.toBeInstanceOf(RtmReleasedError);
    expect(() => client.setLogFilter('INFO' as never)).toThrow(RtmReleasedError);
  });

  it('await using releases the client', async () => {
    let outside: { release(): Promise<void>; login(o: { uid: string }): Promise<void> } | undefined;
    {
      await using client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
      outside = client;
      await client.login({ uid: uniqueId('dispose') });
    }
    await expect(outside!.login({ uid: uniqueId('dispose') })).rejects.toBeInstanceOf(RtmReleasedError);
  });

  it('releasing a logged-in client takes its user offline', async () => {
    const uid = uniqueId('offline');
    const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
    await client.login({ uid });
    expect(Emulator.default.users()).toContain(uid);
    await client.release();
    expect(Emulator.default.users()).not.toContain(uid);
  });
});
