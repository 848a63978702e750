// Token verification by the emulator (shared/rtm-semantics.md §4, §5): with an App Certificate,
// 006 and 007 RTM tokens made by Agora's own builders (npm agora-token 2.0.x) are checked at login
// and renewToken and run out while connected; without one, any token is accepted. Through the
// public API only. Needs the addon.
import { createRequire } from 'node:module';
import { RtmTokenBuilder } from 'agora-token';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, {
  ConnectionChangeReason,
  ConnectionState,
  LoginErrCode,
  RenewTokenErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmUnauthenticatedError,
  type RtmClient,
} from '../lib/index';
import { Emulator, type EmulatorLimits } from '../lib/emulator';
import { uniqueId, waitForEvent } from '../lib/testing';
import { TRANSPORT, rejectionOf, sleep, until } from './helpers/emu';

const APP_ID = '0123456789abcdef0123456789abcdef';
const OTHER_APP_ID = 'fedcba9876543210fedcba9876543210';
const CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';
const OTHER_CERTIFICATE = '00112233445566778899aabbccddeeff';

// The package's legacy 006 builder and both token classes are not exported from its index.
interface AccessToken006 {
  ts: number;
  addPriviledge(privilege: number, expireTimestamp: number): void;
  build(): string;
}
interface AccessToken2 {
  add_service(service: unknown): void;
  build(): string;
}
const requireCjs = createRequire(import.meta.url);
const { AccessToken } = requireCjs('agora-token/src/AccessToken') as {
  AccessToken: new (appId: string, certificate: string, channel: string, uid: string) => AccessToken006;
};
const { RtmTokenBuilder: RtmTokenBuilder006 } = requireCjs('agora-token/src/RtmTokenBuilder') as {
  RtmTokenBuilder: { buildToken(appId: string, certificate: string, account: string, role: number, privilegeTs: number): string };
};
const { AccessToken2: AccessToken2Class, ServiceRtm } = requireCjs('agora-token/src/AccessToken2') as {
  AccessToken2: new (appId: string, certificate: string, issueTs: number, expire: number) => AccessToken2;
  ServiceRtm: (new (userId: string) => { add_privilege(privilege: number, value: number): void }) & { kPrivilegeLogin: number };
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** 007, valid `expire` seconds from now (RtmTokenBuilder.buildToken, the package's own entry). */
const token007 = (uid: string, expire = 3600, appId = APP_ID, certificate = CERTIFICATE): string =>
  RtmTokenBuilder.buildToken(appId, certificate, uid, expire);

/** 007 issued at `issueTs` for `expire` seconds. */
function token007At(uid: string, issueTs: number, expire: number): string {
  const token = new AccessToken2Class(APP_ID, CERTIFICATE, issueTs, expire);
  const rtm = new ServiceRtm(uid);
  rtm.add_privilege(ServiceRtm.kPrivilegeLogin, expire);
  token.add_service(rtm);
  return token.build();
}

/** 006 (RtmTokenBuilder of src/RtmTokenBuilder.js: valid 24 h from now), for `appId` / `certificate`. */
const token006 = (uid: string, appId = APP_ID, certificate = CERTIFICATE): string =>
  RtmTokenBuilder006.buildToken(appId, certificate, uid, 1, 0);

/** 006 whose own lifetime (`ts`) ends at `ts`, Unix seconds. */
function token006Until(uid: string, ts: number): string {
  const token = new AccessToken(APP_ID, CERTIFICATE, uid, '');
  token.addPriviledge(1000, 0); // kRtmLogin; its value has no effect for RTM
  token.ts = ts;
  return token.build();
}

const emulators: Emulator[] = [];
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.release()));
  await Promise.allSettled(emulators.splice(0).map((e) => e.stop()));
});

async function startEmulator(appCertificate?: string, limits?: EmulatorLimits): Promise<Emulator> {
  const emu = await Emulator.start({
    ...(appCertificate === undefined ? {} : { appCertificate }),
    ...(limits === undefined ? {} : { limits }),
    ...(TRANSPORT === 'tcp' ? { port: 0 } : {}),
  });
  emulators.push(emu);
  return emu;
}

function clientOf(emu: Emulator, appId = APP_ID): RtmClient {
  const client = AgoraRTM.createInstance(appId, { backend: 'emulator', emulator: emu.url });
  clients.push(client);
  return client;
}

/** Records every ConnectionStateChanged as "STATE/REASON" and every TokenExpired as "TokenExpired". */
function record(client: RtmClient): string[] {
  const seen: string[] = [];
  client.on('ConnectionStateChanged', (state, reason) => seen.push(`${state}/${reason}`));
  client.on('TokenExpired', () => seen.push('TokenExpired'));
  return seen;
}

async function loginError(client: RtmClient, uid: string, token: string | null): Promise<RtmError> {
  return (await rejectionOf(client.login({ uid, token }))) as RtmError;
}

describe('with an App Certificate', () => {
  it('accepts a 007 and a 006 token made for the user, the App ID and the certificate', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid7 = uniqueId('t7');
    const uid6 = uniqueId('t6');
    await clientOf(emu).login({ uid: uid7, token: token007(uid7) });
    await clientOf(emu).login({ uid: uid6, token: token006(uid6) });
    expect(emu.users().sort()).toEqual([uid6, uid7].sort());
  });

  it('refuses a token of another user, certificate or App ID, and garbage, with INVALID_TOKEN', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid = uniqueId('bad');
    const other = uniqueId('other');
    const cases: [string, string | null][] = [
      ['007 of another user', token007(other)],
      ['006 of another user', token006(other)],
      ['007 of another certificate', token007(uid, 3600, APP_ID, OTHER_CERTIFICATE)],
      ['006 of another certificate', token006(uid, APP_ID, OTHER_CERTIFICATE)],
      ['007 of another App ID', token007(uid, 3600, OTHER_APP_ID)],
      ['006 of another App ID', token006(uid, OTHER_APP_ID)],
      ['garbage', 'not a token'],
      ['a 007 prefix and garbage', '007eJxzdHJ2cXVz9/D08vbx9fMPCAwKDgkNC4+IjIqOiY2LT0hMSk5JTUvPyMzKzsnNyy8oLCouKS0rr6isqq6prauvb2hsam5pbWvv6OzqBgAkgOAR'],
      ['no token', null],
    ];
    for (const [what, token] of cases) {
      const client = clientOf(emu);
      const states = record(client);
      const err = await loginError(client, uid, token);
      expect(err, what).toBeInstanceOf(RtmUnauthenticatedError);
      expect(err.code, what).toBe(LoginErrCode.INVALID_TOKEN);
      // The state change is a separate event from the failed login's answer and may follow it.
      await until(() => states.length === 2, 2000, `${what}: the state change after the failure`);
      expect(states, what).toEqual([
        `${ConnectionState.CONNECTING}/${ConnectionChangeReason.LOGIN}`,
        `${ConnectionState.DISCONNECTED}/${ConnectionChangeReason.LOGIN_FAILURE}`,
      ]);
    }
    expect(emu.users()).toEqual([]);
  });

  it('refuses an expired 006 or 007 token with TOKEN_EXPIRED, and does not touch a live session of that user', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid = uniqueId('exp');
    const live = clientOf(emu);
    await live.login({ uid, token: token007(uid) });
    const liveStates = record(live);
    for (const token of [token007At(uid, nowSeconds() - 7200, 600), token006Until(uid, nowSeconds() - 10)]) {
      const err = await loginError(clientOf(emu), uid, token);
      expect(err).toBeInstanceOf(RtmUnauthenticatedError);
      expect(err.code).toBe(LoginErrCode.TOKEN_EXPIRED);
    }
    // A refused login is no remote login: the live session stays.
    expect(emu.users()).toEqual([uid]);
    expect(liveStates).toEqual([]);
  });

  it('006 running out while connected: TokenExpired, and the session stays connected', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid = uniqueId('s6');
    const client = clientOf(emu);
    await client.login({ uid, token: token006Until(uid, nowSeconds() + 1) });
    const seen = record(client);
    await waitForEvent(client, 'TokenExpired', { timeoutMs: 5000 });
    await sleep(100);
    expect(seen).toEqual(['TokenExpired']);
    expect(client.connectionState).toBe(ConnectionState.CONNECTED);
    expect(emu.users()).toEqual([uid]);
    // Still usable: a message to itself goes through.
    await client.sendMessageToPeer({ text: 'still here' }, uid);
  });

  it('007 running out while connected: TokenExpired, then ABORTED / BANNED_BY_SERVER; login again after logout', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid = uniqueId('s7');
    const client = clientOf(emu);
    await client.login({ uid, token: token007(uid, 1) });
    const seen = record(client);
    await waitForEvent(client, 'ConnectionStateChanged', {
      filter: (state) => state === ConnectionState.ABORTED,
      timeoutMs: 5000,
    });
    expect(seen).toEqual(['TokenExpired', `${ConnectionState.ABORTED}/${ConnectionChangeReason.BANNED_BY_SERVER}`]);
    expect(emu.users()).toEqual([]);
    await client.logout();
    await client.login({ uid, token: token007(uid) });
    expect(emu.users()).toEqual([uid]);
  });

  it('renewToken verifies the new token: INVALID_TOKEN, TOKEN_EXPIRED; a fresh one re-arms the expiry', async () => {
    // No renewToken rate limit (2 per second), so that the refusals take no time.
    const emu = await startEmulator(CERTIFICATE, { rateLimits: false });
    const uid = uniqueId('renew');
    const client = clientOf(emu);
    await client.login({ uid, token: token007(uid, 3) });
    const seen = record(client);

    for (const [token, code] of [
      [token007(uniqueId('other')), RenewTokenErrCode.INVALID_TOKEN],
      [token007(uid, 3600, APP_ID, OTHER_CERTIFICATE), RenewTokenErrCode.INVALID_TOKEN],
      ['garbage', RenewTokenErrCode.INVALID_TOKEN],
      [token007At(uid, nowSeconds() - 7200, 600), RenewTokenErrCode.TOKEN_EXPIRED],
      [token006Until(uid, nowSeconds() - 10), RenewTokenErrCode.TOKEN_EXPIRED],
    ] as const) {
      const err = (await rejectionOf(client.renewToken(token))) as RtmError;
      expect(err).toBeInstanceOf(RtmUnauthenticatedError);
      expect(err.code).toBe(code);
    }
    // Renewed before the first token (3 s) runs out: nothing happens when it would have.
    expect(seen).toEqual([]);
    await client.renewToken(token007(uid, 3600));
    await sleep(4500);
    expect(seen).toEqual([]);
    expect(client.connectionState).toBe(ConnectionState.CONNECTED);

    // A short one renewed in: it runs out at its own time.
    await client.renewToken(token007(uid, 1));
    await waitForEvent(client, 'ConnectionStateChanged', {
      filter: (state) => state === ConnectionState.ABORTED,
      timeoutMs: 5000,
    });
    expect(seen).toEqual(['TokenExpired', `${ConnectionState.ABORTED}/${ConnectionChangeReason.BANNED_BY_SERVER}`]);
  });

  it('a token keeps running out after the session comes back from a long link loss (a new session id)', async () => {
    const emu = await startEmulator(CERTIFICATE, { interruptedAfterMs: 100, unreachableAfterMs: 200, offlineAfterMs: 400 });
    const uid = uniqueId('limbo');
    const client = clientOf(emu);
    await client.login({ uid, token: token007(uid, 3) });
    const seen = record(client);
    expect(emu.dropConnection(uid)).toBe(true);
    // Past offlineAfterMs the service removes the session; restoring the link makes a new one.
    await until(() => !emu.users().includes(uid), 3000, 'the session removed while the link is down');
    expect(emu.restoreConnection(uid)).toBe(true);
    await until(() => emu.users().includes(uid), 3000, 'the session back');
    await waitForEvent(client, 'ConnectionStateChanged', {
      filter: (state) => state === ConnectionState.ABORTED,
      timeoutMs: 6000,
    });
    expect(seen.filter((e) => e === 'TokenExpired' || e.startsWith(ConnectionState.ABORTED))).toEqual([
      'TokenExpired',
      `${ConnectionState.ABORTED}/${ConnectionChangeReason.BANNED_BY_SERVER}`,
    ]);
    expect(emu.users()).toEqual([]);
  });

  it('expireToken(uid) ends a session as its token would: 006 stays connected, 007 is ended', async () => {
    const emu = await startEmulator(CERTIFICATE);
    const uid6 = uniqueId('f6');
    const uid7 = uniqueId('f7');
    const c6 = clientOf(emu);
    const c7 = clientOf(emu);
    await c6.login({ uid: uid6, token: token006(uid6) });
    await c7.login({ uid: uid7, token: token007(uid7) });
    const seen6 = record(c6);
    const seen7 = record(c7);
    const aborted = waitForEvent(c7, 'ConnectionStateChanged', { filter: (state) => state === ConnectionState.ABORTED });
    const expired = waitForEvent(c6, 'TokenExpired');
    expect(emu.expireToken(uid6)).toBe(true);
    expect(emu.expireToken(uid7)).toBe(true);
    await Promise.all([aborted, expired]);
    await sleep(100);
    expect(seen6).toEqual(['TokenExpired']);
    expect(seen7).toEqual(['TokenExpired', `${ConnectionState.ABORTED}/${ConnectionChangeReason.BANNED_BY_SERVER}`]);
    expect(emu.users()).toEqual([uid6]);
  });
});

describe('without an App Certificate', () => {
  it('accepts any token, or none, as before', async () => {
    const emu = await startEmulator();
    const uid = uniqueId('any');
    for (const token of ['not a token', token007(uniqueId('other')), token006Until(uid, nowSeconds() - 10), null]) {
      const client = clientOf(emu);
      await client.login({ uid, token });
      await client.renewToken('also not a token');
      await client.logout();
    }
    // A token that would run out at once does not end the session either.
    const client = clientOf(emu);
    const seen = record(client);
    await client.login({ uid, token: token007(uid, 1) });
    await sleep(2500);
    expect(seen.filter((e) => e === 'TokenExpired' || e.startsWith(ConnectionState.ABORTED))).toEqual([]);
  });
});

describe('Emulator.start({ appCertificate })', () => {
  it('takes 32 hex characters, and refuses anything else', async () => {
    for (const bad of ['', 'abc', '5CFd2fd1755d40ecb72977518be15d3', '5CFd2fd1755d40ecb72977518be15d3bX', 'zCFd2fd1755d40ecb72977518be15d3b']) {
      const err = await Emulator.start({ appCertificate: bad }).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(RtmInvalidArgumentError);
      expect((err as Error).message, bad).toMatch(/appCertificate/);
    }
    const notString = await Emulator.start({ appCertificate: 42 as unknown as string }).catch((e: unknown) => e);
    expect(notString).toBeInstanceOf(TypeError);
  });
});
