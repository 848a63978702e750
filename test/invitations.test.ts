// Call invitations through the public API on in-process emulators with shortened timers: every
// life cycle with its exact state sequence and events on both sides, API misuse with the SDK's
// codes, and 200 concurrent invitations between 20 clients. Needs the addon.
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvitationApiCallErrCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
  RtmInvitationError,
  RtmReleasedError,
  type LocalInvitation,
  type RemoteInvitation,
  type RtmClient,
} from '../lib/index';
import { Emulator, type EmulatorLimits } from '../lib/emulator';
import { waitForEvent } from '../lib/testing';
import { cleanup, clientOf, loggedIn, sleep, startEmulator, uniqueId, until } from './helpers/emu';
import { recordLocal, recordRemote } from './helpers/invitations';

afterEach(cleanup);

/** Shortened timers: acknowledgement 400 ms, expiry 1200 ms, accept acknowledgement 300 ms. */
const TIMERS = { invitationAckTimeoutMs: 400, invitationExpireMs: 1200, invitationAcceptAckTimeoutMs: 300 };

/** The next RemoteInvitationReceived of `client`, with a recorder attached at once. */
async function nextRemote(client: RtmClient): Promise<{ inv: RemoteInvitation; seen: string[] }> {
  const [inv] = await waitForEvent(client, 'RemoteInvitationReceived', { timeoutMs: 5000 });
  return { inv, seen: recordRemote(inv) };
}

/** Sends `local` with a listener for its arrival at `callee` already in place: the callee's side of it. */
function sendAndReceive(local: LocalInvitation, callee: RtmClient): Promise<{ inv: RemoteInvitation; seen: string[] }> {
  const received = nextRemote(callee);
  local.send();
  return received;
}

/** The error `fn` throws (fails when it does not throw). */
function thrown(fn: () => unknown): RtmInvitationError {
  try {
    fn();
  } catch (err) {
    return err as RtmInvitationError;
  }
  throw new Error('expected a throw');
}

/** alice and bob logged in on a fresh emulator with shortened timers; alice's invitation to bob. */
async function pair(limits: EmulatorLimits = TIMERS) {
  const emu = await startEmulator(limits);
  const alice = await loggedIn(emu, 'alice');
  const bob = await loggedIn(emu, 'bob');
  const local = alice.client.createLocalInvitation(bob.uid);
  local.content = 'let us talk';
  local.channelId = 'room-1';
  return { emu, alice, bob, local, localSeen: recordLocal(local) };
}

describe('life cycles', () => {
  it('accept: both sides reach ACCEPTED with the response carried back', async () => {
    const { alice, bob, local, localSeen } = await pair();
    expect(local.state).toBe(LocalInvitationState.IDLE);
    const received = nextRemote(bob.client);
    local.send();
    // The callee's SDK may acknowledge before this line runs: state reads the native object.
    expect([LocalInvitationState.SENT_TO_REMOTE, LocalInvitationState.RECEIVED_BY_REMOTE]).toContain(local.state);
    const { inv, seen } = await received;
    expect([inv.callerId, inv.content, inv.channelId, inv.state]).toEqual([
      alice.uid,
      'let us talk',
      'room-1',
      RemoteInvitationState.INVITATION_RECEIVED,
    ]);
    await until(() => localSeen.length === 1);
    expect(localSeen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE']);
    inv.response = 'on my way';
    inv.accept();
    // ACCEPTED once the caller's receipt arrives (it may already have).
    expect([RemoteInvitationState.ACCEPT_SENT_TO_LOCAL, RemoteInvitationState.ACCEPTED]).toContain(inv.state);
    await until(() => localSeen.length === 2 && seen.length === 1);
    expect(localSeen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE', 'Accepted(on my way)@ACCEPTED_BY_REMOTE']);
    expect(seen).toEqual(['Accepted@ACCEPTED']);
    // Released after the final event, still readable.
    expect([local.state, local.response, local.content, local.channelId, local.calleeId]).toEqual([
      LocalInvitationState.ACCEPTED_BY_REMOTE,
      'on my way',
      'let us talk',
      'room-1',
      bob.uid,
    ]);
    expect([inv.state, inv.response, inv.content]).toEqual([RemoteInvitationState.ACCEPTED, 'on my way', 'let us talk']);
    await sleep(50);
    expect(localSeen.length).toBe(2);
    expect(seen.length).toBe(1);
  });

  it('refuse: REFUSED_BY_REMOTE with the response / REFUSED', async () => {
    const { bob, local, localSeen } = await pair();
    const { inv, seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    inv.response = 'busy';
    inv.refuse();
    expect(inv.state).toBe(RemoteInvitationState.REFUSED);
    await until(() => localSeen.length === 2 && seen.length === 1);
    expect(localSeen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE', 'Refused(busy)@REFUSED_BY_REMOTE']);
    expect(seen).toEqual(['Refused@REFUSED']);
  });

  it('cancel by the caller: CANCELED on both sides, the callee gets the content', async () => {
    const { bob, local, localSeen } = await pair();
    const { seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    local.cancel();
    expect(local.state).toBe(LocalInvitationState.CANCELED);
    await until(() => localSeen.length === 2 && seen.length === 1);
    expect(localSeen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE', 'Canceled@CANCELED']);
    expect(seen).toEqual(['Canceled(let us talk)@CANCELED']);
  });

  it('callee offline: PEER_OFFLINE after the acknowledgement timeout', async () => {
    const emu = await startEmulator(TIMERS);
    const alice = await loggedIn(emu, 'alice');
    const local = alice.client.createLocalInvitation(uniqueId('nobody'));
    const seen = recordLocal(local);
    const sentAt = Date.now();
    local.send();
    expect(local.state).toBe(LocalInvitationState.SENT_TO_REMOTE);
    await until(() => seen.length === 1, 5000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(TIMERS.invitationAckTimeoutMs - 20);
    expect(seen).toEqual([`Failure(${LocalInvitationFailureReason.PEER_OFFLINE})@FAILURE`]);
  });

  it("no response: the callee's acknowledgement is lost → PEER_NO_RESPONSE; the callee's copy expires", async () => {
    const { emu, bob, local, localSeen } = await pair();
    expect(emu.setInvitationAutoAck(bob.uid, false)).toBe(true);
    const { inv, seen } = await sendAndReceive(local, bob.client);
    expect(inv.state).toBe(RemoteInvitationState.INVITATION_RECEIVED);
    await until(() => localSeen.length === 1, 5000);
    expect(localSeen).toEqual([`Failure(${LocalInvitationFailureReason.PEER_NO_RESPONSE})@FAILURE`]);
    await until(() => seen.length === 1, 5000);
    expect(seen).toEqual([`Failure(${RemoteInvitationFailureReason.INVITATION_EXPIRE})@FAILURE`]);
  });

  it('expiry: nobody answers → INVITATION_EXPIRE on both sides', async () => {
    const { bob, local, localSeen } = await pair();
    const { seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 2 && seen.length === 1, 5000);
    expect(localSeen).toEqual([
      'ReceivedByPeer@RECEIVED_BY_REMOTE',
      `Failure(${LocalInvitationFailureReason.INVITATION_EXPIRE})@FAILURE`,
    ]);
    expect(seen).toEqual([`Failure(${RemoteInvitationFailureReason.INVITATION_EXPIRE})@FAILURE`]);
  });

  it("accept failure: the caller's receipt of the accept is lost → ACCEPT_FAILURE for the callee", async () => {
    const { emu, alice, bob, local, localSeen } = await pair();
    emu.setInvitationAutoAck(alice.uid, false);
    const { inv, seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    inv.accept();
    expect(inv.state).toBe(RemoteInvitationState.ACCEPT_SENT_TO_LOCAL);
    await until(() => localSeen.length === 2 && seen.length === 1, 5000);
    expect(localSeen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE', 'Accepted()@ACCEPTED_BY_REMOTE']);
    expect(seen).toEqual([`Failure(${RemoteInvitationFailureReason.ACCEPT_FAILURE})@FAILURE`]);
  });

  it('the caller logs out mid-invitation: NOT_LOGGEDIN at once; a later accept fails with ACCEPT_FAILURE', async () => {
    const { alice, bob, local, localSeen } = await pair();
    const { inv, seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    await alice.client.logout();
    await until(() => localSeen.length === 2);
    expect(localSeen).toEqual([
      'ReceivedByPeer@RECEIVED_BY_REMOTE',
      `Failure(${LocalInvitationFailureReason.NOT_LOGGEDIN})@FAILURE`,
    ]);
    expect(inv.state).toBe(RemoteInvitationState.INVITATION_RECEIVED); // the callee is not told
    inv.accept();
    await until(() => seen.length === 1, 5000);
    expect(seen).toEqual([`Failure(${RemoteInvitationFailureReason.ACCEPT_FAILURE})@FAILURE`]);
    expect(localSeen.length).toBe(2);
  });

  it('the caller logs out and the callee does nothing: INVITATION_EXPIRE for the callee', async () => {
    const { alice, bob, local, localSeen } = await pair();
    const { seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    await alice.client.logout();
    await until(() => seen.length === 1, 5000);
    expect(seen).toEqual([`Failure(${RemoteInvitationFailureReason.INVITATION_EXPIRE})@FAILURE`]);
    expect(localSeen.at(-1)).toBe(`Failure(${LocalInvitationFailureReason.NOT_LOGGEDIN})@FAILURE`);
  });

  it('sending while logged out: accepted, then NOT_LOGGEDIN', async () => {
    const emu = await startEmulator(TIMERS);
    const client = clientOf(emu);
    const local = client.createLocalInvitation('bob');
    const seen = recordLocal(local);
    local.send();
    await until(() => seen.length === 1);
    expect(seen).toEqual([`Failure(${LocalInvitationFailureReason.NOT_LOGGEDIN})@FAILURE`]);
    expect(thrown(() => local.send()).code).toBe(InvitationApiCallErrCode.ALREADY_END);
  });
});

describe('misuse', () => {
  it('send twice → ALREADY_SENT; setters after send → ALREADY_SENT; send after the end → ALREADY_END', async () => {
    const { bob, local, localSeen } = await pair();
    const received = nextRemote(bob.client);
    local.send();
    const err = thrown(() => local.send());
    expect(err).toBeInstanceOf(RtmInvitationError);
    expect([err.code, err.codeName, err.operation]).toEqual([
      InvitationApiCallErrCode.ALREADY_SENT,
      'INVITATION_API_CALL_ERR_ALREADY_SENT',
      'LocalInvitation.send',
    ]);
    expect(thrown(() => (local.content = 'changed')).code).toBe(InvitationApiCallErrCode.ALREADY_SENT);
    expect(thrown(() => (local.channelId = 'changed')).code).toBe(InvitationApiCallErrCode.ALREADY_SENT);
    expect(local.content).toBe('let us talk');
    const { inv } = await received;
    inv.refuse();
    await until(() => localSeen.length === 2);
    expect(thrown(() => local.send()).code).toBe(InvitationApiCallErrCode.ALREADY_END);
  });

  it('cancel before send → NOT_STARTED; cancel after the callee accepted → false (a lost race), before and after the event', async () => {
    const { bob, local, localSeen } = await pair();
    expect(thrown(() => local.cancel()).code).toBe(InvitationApiCallErrCode.NOT_STARTED);
    const { inv, seen } = await sendAndReceive(local, bob.client);
    expect(inv.accept()).toBe(true);
    await until(() => local.state === LocalInvitationState.ACCEPTED_BY_REMOTE); // native state, event maybe not yet
    expect(local.cancel()).toBe(false);
    await until(() => localSeen.length === 2 && seen.length === 1);
    expect(local.cancel()).toBe(false);
    expect(localSeen.at(-1)).toBe('Accepted()@ACCEPTED_BY_REMOTE');
  });

  it('cancel twice → ALREADY_END: the second cancel is the caller\'s own misuse, not a race', async () => {
    const { bob, local, localSeen } = await pair();
    await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    expect(local.cancel()).toBe(true);
    expect(thrown(() => local.cancel()).code).toBe(InvitationApiCallErrCode.ALREADY_END);
    await until(() => localSeen.length === 2);
    expect(thrown(() => local.cancel()).codeName).toBe('INVITATION_API_CALL_ERR_ALREADY_END');
  });

  it('accept twice → ALREADY_ACCEPT (while waiting for the caller, and after); refuse after accept → ALREADY_ACCEPT', async () => {
    const { bob, local } = await pair();
    const { inv, seen } = await sendAndReceive(local, bob.client);
    inv.accept();
    expect(thrown(() => inv.accept()).code).toBe(InvitationApiCallErrCode.ALREADY_ACCEPT);
    expect(thrown(() => inv.refuse()).code).toBe(InvitationApiCallErrCode.ALREADY_ACCEPT);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['Accepted@ACCEPTED']);
    const err = thrown(() => inv.accept());
    expect([err.name, err.code, err.codeName]).toEqual([
      'RtmInvitationError',
      InvitationApiCallErrCode.ALREADY_ACCEPT,
      'INVITATION_API_CALL_ERR_ALREADY_ACCEPT',
    ]);
  });

  it('accept or refuse after the caller canceled → false, and a response set then is kept, not thrown (a lost race)', async () => {
    const { bob, local, localSeen } = await pair();
    const { inv, seen } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    expect(local.cancel()).toBe(true);
    // Spin on the native state: the JS thread stays busy, so the Canceled event cannot be
    // dispatched yet, exactly the window a listener of RemoteInvitationReceived runs in.
    const deadline = Date.now() + 5000;
    while (inv.state !== RemoteInvitationState.CANCELED && Date.now() < deadline);
    expect([inv.state, seen]).toEqual([RemoteInvitationState.CANCELED, []]);
    inv.response = 'too late';
    expect(inv.accept()).toBe(false);
    expect(inv.refuse()).toBe(false);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['Canceled(let us talk)@CANCELED']);
    inv.response = 'still too late';
    expect([inv.accept(), inv.refuse(), inv.response]).toEqual([false, false, 'still too late']);
  });

  it("the README's callee listener survives the caller's quick cancels: no throw, no invitation seen after its end", async () => {
    const { alice, bob } = await pair();
    const answers: boolean[] = [];
    const statesSeen = new Set<string | number>();
    const listenerErrors: unknown[] = [];
    bob.client.on('RemoteInvitationReceived', (invitation) => {
      statesSeen.add(invitation.state);
      try {
        invitation.response = 'on my way';
        answers.push(invitation.accept());
      } catch (err) {
        listenerErrors.push(err);
      }
    });
    const ended: string[] = [];
    for (let i = 0; i < 50; i++) {
      const local = alice.client.createLocalInvitation('bob');
      local.on('LocalInvitationAccepted', () => ended.push('accepted'));
      local.on('LocalInvitationCanceled', () => ended.push('canceled'));
      local.on('LocalInvitationFailure', (r) => ended.push(`failure:${r}`));
      local.send();
      local.cancel();
    }
    await until(() => ended.length === 50);
    expect(listenerErrors).toEqual([]);
    expect([...statesSeen].filter((s) => s !== RemoteInvitationState.INVITATION_RECEIVED)).toEqual([]);
    expect(ended.filter((e) => e !== 'accepted' && e !== 'canceled')).toEqual([]);
  });

  it('content, channel id and response over 8 KB (UTF-8) → INVALID_ARGUMENT; exactly 8 KB is fine', async () => {
    const { bob, local, localSeen } = await pair();
    const exact = 'ü'.repeat(4096); // 8192 bytes
    const over = `${exact}!`;
    for (const set of [() => (local.content = over), () => (local.channelId = over)]) {
      const err = thrown(set);
      expect(err).toBeInstanceOf(RtmInvitationError);
      expect([err.code, err.codeName]).toEqual([InvitationApiCallErrCode.INVALID_ARGUMENT, 'INVITATION_API_CALL_ERR_INVALID_ARGUMENT']);
    }
    local.content = exact;
    const { inv } = await sendAndReceive(local, bob.client);
    expect(inv.content).toBe(exact);
    expect(thrown(() => (inv.response = over)).code).toBe(InvitationApiCallErrCode.INVALID_ARGUMENT);
    inv.response = exact;
    inv.accept();
    await until(() => localSeen.length === 2);
    expect(local.response).toBe(exact);
  });

  it('after the client is released: values stay readable, calls throw RtmReleasedError, nothing is left behind', async () => {
    const { alice, bob, local, localSeen } = await pair();
    const { inv } = await sendAndReceive(local, bob.client);
    await until(() => localSeen.length === 1);
    const idle = alice.client.createLocalInvitation(bob.uid);
    await alice.client.release();
    await bob.client.release();
    expect(local.state).toBe(LocalInvitationState.RECEIVED_BY_REMOTE);
    expect(inv.state).toBe(RemoteInvitationState.INVITATION_RECEIVED);
    expect(idle.state).toBe(LocalInvitationState.IDLE);
    expect(() => local.cancel()).toThrow(RtmReleasedError);
    expect(() => inv.accept()).toThrow(RtmReleasedError);
    expect(() => idle.send()).toThrow(RtmReleasedError);
    await cleanup();
    expect(Emulator.liveObjectCount()).toBe(0);
  });
});

describe('load', () => {
  it('200 concurrent invitations between 20 clients all reach a final state; no native object is left', async () => {
    // Expiry long enough that every accept, refuse and cancel lands first even on a slow machine
    // (an ASan build): a quarter of the invitations wait for it on purpose.
    const emu = await startEmulator({ ...TIMERS, invitationExpireMs: 6000, rateLimits: false });
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => loggedIn(emu, `u${i}`)));
    const finals = new Map<string, string>(); // `${caller}>${index}` → caller's final event
    const calleeFinals: string[] = [];
    let received = 0;
    // How each callee answers, by the invitation's content: accept, refuse, caller cancels, or nobody (expiry).
    for (const { client } of users) {
      client.on('RemoteInvitationReceived', (inv) => {
        received += 1;
        const plan = Number(inv.content.split(':')[1]) % 4;
        inv.on('RemoteInvitationAccepted', () => calleeFinals.push('accepted'));
        inv.on('RemoteInvitationRefused', () => calleeFinals.push('refused'));
        inv.on('RemoteInvitationCanceled', () => calleeFinals.push('canceled'));
        inv.on('RemoteInvitationFailure', (r) => calleeFinals.push(`failure:${r}`));
        if (plan === 0) {
          inv.response = 'yes';
          inv.accept();
        } else if (plan === 1) {
          inv.refuse();
        }
      });
    }
    const invitations: LocalInvitation[] = [];
    users.forEach(({ client, uid }, i) => {
      for (let k = 1; k <= 10; k++) {
        const n = invitations.length;
        const local = client.createLocalInvitation(users[(i + k) % 20]!.uid);
        local.content = `${uid}:${n}`;
        const key = `${uid}>${n}`;
        local.on('LocalInvitationReceivedByPeer', () => {
          if (n % 4 === 2) local.cancel();
        });
        local.on('LocalInvitationAccepted', () => finals.set(key, 'accepted'));
        local.on('LocalInvitationRefused', () => finals.set(key, 'refused'));
        local.on('LocalInvitationCanceled', () => finals.set(key, 'canceled'));
        local.on('LocalInvitationFailure', (r) => finals.set(key, `failure:${r}`));
        invitations.push(local);
      }
    });
    for (const local of invitations) local.send();
    // A callee does not see an invitation canceled before its RemoteInvitationReceived could be
    // dispatched: every one it saw ends, and only canceled ones may be missing.
    const notCanceled = () => calleeFinals.filter((f) => f !== 'canceled').length;
    await until(
      () => finals.size === 200 && notCanceled() === 150 && calleeFinals.length === received,
      20_000,
      'every invitation final',
    );
    const count = (values: Iterable<string>) => {
      const out: Record<string, number> = {};
      for (const v of values) out[v] = (out[v] ?? 0) + 1;
      return out;
    };
    const expiry = `failure:${LocalInvitationFailureReason.INVITATION_EXPIRE}`;
    expect(count(finals.values())).toEqual({ accepted: 50, refused: 50, canceled: 50, [expiry]: 50 });
    expect(count(calleeFinals.filter((f) => f !== 'canceled'))).toEqual({
      accepted: 50,
      refused: 50,
      [`failure:${RemoteInvitationFailureReason.INVITATION_EXPIRE}`]: 50,
    });
    expect(received - 150).toBeLessThanOrEqual(50);
    const finalStates = new Set<string | number>([
      LocalInvitationState.ACCEPTED_BY_REMOTE,
      LocalInvitationState.REFUSED_BY_REMOTE,
      LocalInvitationState.CANCELED,
      LocalInvitationState.FAILURE,
    ]);
    expect(invitations.every((inv) => finalStates.has(inv.state))).toBe(true);
    await cleanup();
    expect(Emulator.liveObjectCount()).toBe(0);
  }, 60_000);
});
