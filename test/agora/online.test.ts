// The emulator suites' main scenarios, online, on the real SDK and Agora's service: runs only when
// AGORA_RTM_SDK_PATH and AGORA_APP_ID are set (and, for a project with an App Certificate,
// AGORA_APP_CERTIFICATE: tokens are built here, test/helpers/rtm-token.ts). Skips otherwise,
// saying why. Every uid is fresh, so runs do not disturb each other.
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, {
  ConnectionChangeReason,
  ConnectionState,
  LocalInvitationState,
  PeerOnlineState,
  RemoteInvitationState,
  type RemoteInvitation,
  type RtmClient,
} from '../../lib/index';
import { uniqueId, waitForEvent } from '../../lib/testing';
import { recordMessages, until } from '../helpers/emu';
import { buildRtmToken007 } from '../helpers/rtm-token';
import { sdkPath, skipReason as sdkSkipReason } from './real-sdk';

const appId = process.env.AGORA_APP_ID ?? '';
const certificate = process.env.AGORA_APP_CERTIFICATE ?? '';
const skipReason =
  sdkSkipReason !== ''
    ? sdkSkipReason
    : appId === ''
      ? 'AGORA_APP_ID is not set: the online scenarios need an Agora project (and AGORA_APP_CERTIFICATE if it has one) and network access'
      : '';
if (skipReason !== '' && sdkSkipReason === '') console.warn(`[test:agora] online scenarios skipped: ${skipReason}`);

const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.release()));
});

function client(): RtmClient {
  const c = AgoraRTM.createInstance(appId, { backend: 'agora', sdkPath });
  clients.push(c);
  return c;
}

function tokenFor(uid: string): string | null {
  return certificate === '' ? null : buildRtmToken007(appId, certificate, uid, { expireSeconds: 3600 });
}

async function loggedIn(prefix: string): Promise<{ c: RtmClient; uid: string }> {
  const c = client();
  const uid = uniqueId(prefix);
  await c.login({ uid, token: tokenFor(uid) });
  return { c, uid };
}

describe.skipIf(skipReason !== '')('online: the real SDK against Agora’s service', () => {
  it('login and logout report CONNECTING → CONNECTED → DISCONNECTED/LOGOUT', async () => {
    const c = client();
    const states: string[] = [];
    c.on('ConnectionStateChanged', (s, r) => states.push(`${s}/${r}`));
    const uid = uniqueId('online');
    await c.login({ uid, token: tokenFor(uid) });
    expect(c.connectionState).toBe(ConnectionState.CONNECTED);
    await c.logout();
    await until(() => states.length >= 3, 5000, 'DISCONNECTED');
    expect(states).toEqual([
      `${ConnectionState.CONNECTING}/${ConnectionChangeReason.LOGIN}`,
      `${ConnectionState.CONNECTED}/${ConnectionChangeReason.LOGIN_SUCCESS}`,
      `${ConnectionState.DISCONNECTED}/${ConnectionChangeReason.LOGOUT}`,
    ]);
  });

  it('a second login with the same uid aborts the first (REMOTE_LOGIN)', async () => {
    const first = await loggedIn('dup');
    const aborted = waitForEvent(first.c, 'ConnectionStateChanged', {
      filter: (s) => s === ConnectionState.ABORTED,
      timeoutMs: 15_000,
    });
    const second = client();
    await second.login({ uid: first.uid, token: tokenFor(first.uid) });
    expect(await aborted).toEqual([ConnectionState.ABORTED, ConnectionChangeReason.REMOTE_LOGIN]);
  });

  it('peer messages, text and raw, reach the peer; an offline peer is reported as not received', async () => {
    const a = await loggedIn('a');
    const b = await loggedIn('b');
    const got = recordMessages(b.c);
    const sent = await a.c.sendMessageToPeer({ text: 'hello' }, b.uid);
    expect(sent.hasPeerReceived).toBe(true);
    await a.c.sendMessageToPeer({ rawMessage: new Uint8Array([0, 1, 255]), description: 'bytes' }, b.uid);
    await until(() => got.length === 2, 10_000, 'two messages');
    expect(got[0]).toMatchObject({ peerId: a.uid, message: { messageType: 'TEXT', text: 'hello' } });
    expect(got[1]!.message).toMatchObject({ messageType: 'RAW', description: 'bytes' });
    expect([...(got[1]!.message as { rawMessage: Uint8Array }).rawMessage]).toEqual([0, 1, 255]);
    const offline = await a.c.sendMessageToPeer({ text: 'anyone?' }, uniqueId('nobody'));
    expect(offline.hasPeerReceived).toBe(false);
  });

  it('presence: query, subscribe, and OFFLINE when the peer logs out', async () => {
    const a = await loggedIn('a');
    const b = await loggedIn('b');
    await expect(a.c.queryPeersOnlineStatus([b.uid])).resolves.toEqual({ [b.uid]: true });
    const offline = waitForEvent(a.c, 'PeersOnlineStatusChanged', {
      filter: (status) => status[b.uid] === PeerOnlineState.OFFLINE,
      timeoutMs: 60_000,
    });
    await a.c.subscribePeersOnlineStatus([b.uid]);
    await b.c.logout();
    await offline;
  }, 90_000);

  it('user attributes: set by one user, read by another', async () => {
    const a = await loggedIn('a');
    const b = await loggedIn('b');
    await a.c.setLocalUserAttributes({ mood: 'fine', 'with space': 'yes' });
    await expect(b.c.getUserAttributes(a.uid)).resolves.toEqual({ mood: 'fine', 'with space': 'yes' });
    await a.c.clearLocalUserAttributes();
    await expect(b.c.getUserAttributesByKeys(a.uid, ['mood'])).resolves.toEqual({});
  });

  it('channels: join, member events, messages, members, attributes, counts, leave', async () => {
    const a = await loggedIn('a');
    const b = await loggedIn('b');
    const id = uniqueId('chan');
    const ca = a.c.createChannel(id);
    const cb = b.c.createChannel(id);
    await ca.join();
    const joined = waitForEvent(ca, 'MemberJoined', { timeoutMs: 15_000 });
    await cb.join();
    expect(await joined).toEqual([b.uid]);
    const message = waitForEvent(cb, 'ChannelMessage', { timeoutMs: 15_000 });
    await ca.sendMessage({ text: 'to all' });
    const [m, from] = await message;
    expect([m, from]).toMatchObject([{ messageType: 'TEXT', text: 'to all' }, a.uid]);
    expect((await ca.getMembers()).sort()).toEqual([a.uid, b.uid].sort());
    const updated = waitForEvent(cb, 'AttributesUpdated', { timeoutMs: 15_000 });
    await a.c.setChannelAttributes(id, { topic: 'tests' }, { enableNotificationToChannelMembers: true });
    expect((await updated)[0]).toMatchObject({ topic: { value: 'tests', lastUpdateUserId: a.uid } });
    await expect(b.c.getChannelMemberCount([id])).resolves.toEqual({ [id]: 2 });
    const left = waitForEvent(ca, 'MemberLeft', { timeoutMs: 15_000 });
    await cb.leave();
    expect(await left).toEqual([b.uid]);
    await ca.leave();
  }, 90_000);

  it('call invitations: sent, received, accepted with a response', async () => {
    const a = await loggedIn('caller');
    const b = await loggedIn('callee');
    const received = waitForEvent(b.c, 'RemoteInvitationReceived', { timeoutMs: 30_000 });
    const inv = a.c.createLocalInvitation(b.uid);
    inv.content = 'call me';
    const accepted = waitForEvent(inv, 'LocalInvitationAccepted', { timeoutMs: 30_000 });
    inv.send();
    const [remote] = (await received) as [RemoteInvitation];
    expect([remote.callerId, remote.content, remote.state]).toEqual([a.uid, 'call me', RemoteInvitationState.INVITATION_RECEIVED]);
    remote.response = 'on my way';
    remote.accept();
    expect(await accepted).toEqual(['on my way']);
    expect(inv.state).toBe(LocalInvitationState.ACCEPTED_BY_REMOTE);
  }, 60_000);
});
