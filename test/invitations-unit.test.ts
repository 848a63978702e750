// LocalInvitation / RemoteInvitation and the client's invitation bookkeeping against a scripted
// fake of the native client (lib/native.ts is mocked, so no addon is needed): event dispatch by
// id, state mapping, release after the final event, cached values afterwards, keep-alive, and
// release with the client. Events are fed as the binding delivers them: batches of [kind, ...args].
import { afterEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  type Batch = unknown[][];
  const released = (what: string) => Object.assign(new Error(`The ${what} has been released`), { code: 'ERR_RTM_RELEASED' });

  class FakeLocal {
    content_ = '';
    channelId_ = '';
    response_ = '';
    state_ = 0;
    sendRc = 0;
    cancelRc = 0;
    releaseCalls = 0;
    live = true;
    constructor(
      readonly owner: FakeNativeClient,
      readonly id: number,
      readonly callee: string,
    ) {}
    #check(): void {
      if (!this.live || this.owner.releaseCalls > 0) throw released('LocalInvitation');
    }
    calleeId(): string {
      this.#check();
      return this.callee;
    }
    content(): string {
      this.#check();
      return this.content_;
    }
    setContent(c: string): void {
      this.#check();
      this.content_ = c;
    }
    channelId(): string {
      this.#check();
      return this.channelId_;
    }
    setChannelId(c: string): void {
      this.#check();
      this.channelId_ = c;
    }
    response(): string {
      this.#check();
      return this.response_;
    }
    state(): number {
      this.#check();
      return this.state_;
    }
    sendCalls = 0;
    send(): number {
      this.#check();
      this.sendCalls += 1;
      if (this.sendRc === 0) this.state_ = 1;
      return this.sendRc;
    }
    cancel(): number {
      this.#check();
      if (this.cancelRc === 0) this.state_ = 5;
      return this.cancelRc;
    }
    release(): void {
      this.releaseCalls += 1;
      this.live = false;
    }
  }

  class FakeRemote {
    response_ = '';
    state_ = 1;
    acceptRc = 0;
    refuseRc = 0;
    releaseCalls = 0;
    live = true;
    constructor(
      readonly owner: FakeNativeClient,
      readonly id: number,
      readonly caller: string,
      readonly content_: string,
      readonly channelId_: string,
    ) {}
    #check(): void {
      if (!this.live || this.owner.releaseCalls > 0) throw released('RemoteInvitation');
    }
    callerId(): string {
      this.#check();
      return this.caller;
    }
    content(): string {
      this.#check();
      return this.content_;
    }
    channelId(): string {
      this.#check();
      return this.channelId_;
    }
    response(): string {
      this.#check();
      return this.response_;
    }
    setResponse(r: string): void {
      this.#check();
      this.response_ = r;
    }
    state(): number {
      this.#check();
      return this.state_;
    }
    accept(): number {
      this.#check();
      if (this.acceptRc === 0) this.state_ = 2;
      return this.acceptRc;
    }
    refuse(): number {
      this.#check();
      if (this.refuseRc === 0) this.state_ = 3;
      return this.refuseRc;
    }
    release(): void {
      this.releaseCalls += 1;
      this.live = false;
    }
  }

  class FakeNativeClient {
    static instances: FakeNativeClient[] = [];
    /** test/helpers/encode-events.ts' deliver, set once the imports ran (hoisted code cannot import). */
    static deliver: (dispatch: never, events: Batch) => void;
    readonly dispatch: (batch: Batch) => void;
    refd = false;
    releaseCalls = 0;
    nextId = 1;
    readonly locals: FakeLocal[] = [];
    readonly remotes = new Map<number, FakeRemote>();
    remoteCalls = 0;
    constructor(_spec: unknown, _appId: string, dispatch: (slice: ArrayBuffer, stillQueued: number, byteLength: number) => void) {
      // Like the addon with nothing else queued: the whole batch in one call.
      // Like the addon with nothing else queued: the events encoded as the binding encodes them, in
      // slices, through the one dispatch path production has.
      this.dispatch = (batch) => FakeNativeClient.deliver(dispatch as never, batch);
      FakeNativeClient.instances.push(this);
    }
    login(): number {
      return 0;
    }
    logout(): number {
      return 0;
    }
    createLocalInvitation(calleeId: string): FakeLocal | null {
      if (this.releaseCalls > 0) throw released('RtmClient');
      const inv = new FakeLocal(this, this.nextId++, calleeId);
      this.locals.push(inv);
      return inv;
    }
    /** What the binding does in onRemoteInvitationReceived: register, then queue the event. */
    receive(callerId: string, content: string, channelId: string): FakeRemote {
      const inv = new FakeRemote(this, this.nextId++, callerId, content, channelId);
      this.remotes.set(inv.id, inv);
      return inv;
    }
    remoteInvitation(id: number): FakeRemote | null {
      if (this.releaseCalls > 0) throw released('RtmClient');
      this.remoteCalls += 1;
      const inv = this.remotes.get(id);
      return inv !== undefined && inv.live ? inv : null;
    }
    ref(): void {
      this.refd = true;
    }
    unref(): void {
      this.refd = false;
    }
    release(): void {
      this.releaseCalls += 1;
    }
  }
  return { FakeNativeClient, FakeLocal, FakeRemote };
});

vi.mock('../lib/native', async (importOriginal) =>
  (await import('./helpers/fake-native')).fakeNativeModule(await importOriginal(), fake.FakeNativeClient),
);
import { deliver } from './helpers/encode-events';
fake.FakeNativeClient.deliver = deliver as never;

import { RtmClient } from '../lib/client';
import {
  InvitationApiCallErrCode,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from '../lib/enums';
import { RtmInvitationError, RtmReleasedError } from '../lib/errors';
import type { RemoteInvitation } from '../lib/invitation';
import { recordLocal, recordRemote } from './helpers/invitations';

type Fake = InstanceType<typeof fake.FakeNativeClient>;

/** C++ CONNECTION_STATE / CONNECTION_CHANGE_REASON values used below. */
const CONNECTED_EVENT: Batch[number] = [6, 3, 2];
const LOGGED_OUT_EVENT: Batch[number] = [6, 1, 6];

/** A client; `loggedIn`: its session is CONNECTED (LocalInvitation.send reaches the SDK only then or while connecting). */
function make(loggedIn = true): { client: RtmClient; nat: Fake } {
  const client = new RtmClient({ spec: { backend: 'emulator' }, appId: 'x'.repeat(32), safetyTimeoutsMs: { invitation: 200 } });
  const nat = fake.FakeNativeClient.instances.at(-1)!;
  if (loggedIn) nat.dispatch([CONNECTED_EVENT]);
  return { client, nat };
}

/** A remote invitation delivered to `client` through the dispatcher. */
function deliverRemote(client: RtmClient, nat: Fake, content = 'c'): { inv: RemoteInvitation; fakeInv: InstanceType<typeof fake.FakeRemote> } {
  const fakeInv = nat.receive('alice', content, 'chan');
  let got: RemoteInvitation | undefined;
  client.once('RemoteInvitationReceived', (inv) => (got = inv));
  nat.dispatch([[47, fakeInv.id, 'alice', content, 'chan', 1]]);
  expect(got).toBeDefined();
  return { inv: got!, fakeInv };
}

afterEach(() => {
  fake.FakeNativeClient.instances.length = 0;
});

describe('LocalInvitation', () => {
  it('maps states, dispatches by id, releases the native object after the final event and keeps its values', () => {
    const { client, nat } = make();
    const inv = client.createLocalInvitation('bob');
    const other = client.createLocalInvitation('carol');
    const fakeInv = nat.locals[0]!;
    expect(inv.calleeId).toBe('bob');
    expect(inv.state).toBe(LocalInvitationState.IDLE);
    inv.content = 'hi';
    inv.channelId = 'ch';
    expect([fakeInv.content_, fakeInv.channelId_]).toEqual(['hi', 'ch']);
    const seen = recordLocal(inv);
    const otherSeen = recordLocal(other);

    expect(nat.refd).toBe(true); // logged in
    inv.send();
    expect(inv.state).toBe(LocalInvitationState.SENT_TO_REMOTE);
    nat.dispatch([LOGGED_OUT_EVENT]); // sent while connected: not cut off by the logout
    expect(nat.refd).toBe(true); // an invitation in progress keeps the process alive

    fakeInv.state_ = 2;
    nat.dispatch([[40, fakeInv.id]]);
    fakeInv.state_ = 3;
    fakeInv.response_ = 'ok';
    nat.dispatch([[43, fakeInv.id, 'ok'], [40, fakeInv.id]]); // a late event after the final one is dropped
    expect(seen).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE', 'Accepted(ok)@ACCEPTED_BY_REMOTE']);
    expect(otherSeen).toEqual([]); // never sent: no events, by id
    expect(fakeInv.releaseCalls).toBe(1);
    expect(nat.refd).toBe(false);
    // Values stay readable after the native object is gone.
    expect([inv.state, inv.response, inv.content, inv.channelId, inv.calleeId]).toEqual([
      LocalInvitationState.ACCEPTED_BY_REMOTE,
      'ok',
      'hi',
      'ch',
      'bob',
    ]);
    // send() on an ended invitation answers as the SDK does; cancel() after the callee's answer
    // lost a race the caller could not see: false.
    const err = (() => {
      try {
        inv.send();
      } catch (e) {
        return e as RtmInvitationError;
      }
      throw new Error('no throw');
    })();
    expect(err).toBeInstanceOf(RtmInvitationError);
    expect(err.code).toBe(InvitationApiCallErrCode.ALREADY_END);
    expect(inv.cancel()).toBe(false);
    expect(() => (inv.content = 'x')).toThrow(expect.objectContaining({ codeName: 'INVITATION_API_CALL_ERR_ALREADY_SENT' }));
  });

  it('throws RtmInvitationError with the native code; setters only before send()', () => {
    const { client, nat } = make();
    const inv = client.createLocalInvitation('bob');
    const fakeInv = nat.locals[0]!;
    fakeInv.cancelRc = InvitationApiCallErrCode.NOT_STARTED;
    expect(() => inv.cancel()).toThrow(
      expect.objectContaining({ name: 'RtmInvitationError', code: 2, codeName: 'INVITATION_API_CALL_ERR_NOT_STARTED', operation: 'LocalInvitation.cancel' }),
    );
    inv.send();
    expect(() => (inv.channelId = 'late')).toThrow(expect.objectContaining({ code: InvitationApiCallErrCode.ALREADY_SENT }));
    expect(fakeInv.channelId_).toBe('');
    fakeInv.sendRc = InvitationApiCallErrCode.ALREADY_SENT;
    expect(() => inv.send()).toThrow(expect.objectContaining({ code: 5, codeName: 'INVITATION_API_CALL_ERR_ALREADY_SENT' }));
  });

  it('validates content: a string of at most 8192 UTF-8 bytes without NUL', () => {
    const { client, nat } = make();
    const inv = client.createLocalInvitation('bob');
    inv.content = 'é'.repeat(4096); // 8192 bytes
    expect(nat.locals[0]!.content_.length).toBe(4096);
    expect(() => (inv.content = `${'é'.repeat(4096)}x`)).toThrow(
      expect.objectContaining({ name: 'RtmInvitationError', code: InvitationApiCallErrCode.INVALID_ARGUMENT }),
    );
    expect(() => (inv.content = 'a\0b')).toThrow(RtmInvitationError);
    expect(() => (inv.content = 42 as unknown as string)).toThrow(TypeError);
    expect(nat.locals[0]!.content_.length).toBe(4096);
  });

  it('rejects a bad callee id with RtmInvitationError(INVALID_ARGUMENT) and a non-string with TypeError', () => {
    const { client } = make();
    for (const bad of ['', 'null', 'a'.repeat(65), 'tab\there']) {
      expect(() => client.createLocalInvitation(bad)).toThrow(
        expect.objectContaining({ name: 'RtmInvitationError', codeName: 'INVITATION_API_CALL_ERR_INVALID_ARGUMENT' }),
      );
    }
    expect(() => client.createLocalInvitation(undefined as unknown as string)).toThrow(TypeError);
  });

  it('maps every failure reason; an unknown one arrives as its number', () => {
    const { client, nat } = make();
    const reasons: unknown[] = [];
    for (const code of [1, 2, 3, 4, 99]) {
      const inv = client.createLocalInvitation('bob');
      inv.on('LocalInvitationFailure', (r) => reasons.push(r));
      inv.send();
      const f = nat.locals.at(-1)!;
      f.state_ = 6;
      nat.dispatch([[42, f.id, code]]);
      expect(inv.state).toBe(LocalInvitationState.FAILURE);
    }
    expect(reasons).toEqual([
      LocalInvitationFailureReason.PEER_OFFLINE,
      LocalInvitationFailureReason.PEER_NO_RESPONSE,
      LocalInvitationFailureReason.INVITATION_EXPIRE,
      LocalInvitationFailureReason.NOT_LOGGEDIN,
      99,
    ]);
  });

  it('releases the native object even when a listener of the final event throws', async () => {
    const { client, nat } = make();
    const inv = client.createLocalInvitation('bob');
    inv.send();
    const f = nat.locals[0]!;
    inv.on('LocalInvitationCanceled', () => {
      throw new Error('listener failure');
    });
    const uncaught = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    f.state_ = 5;
    nat.dispatch([[41, f.id]]);
    expect((await uncaught as Error).message).toBe('listener failure');
    expect(f.releaseCalls).toBe(1);
    expect(inv.state).toBe(LocalInvitationState.CANCELED);
    nat.dispatch([LOGGED_OUT_EVENT]);
    expect(nat.refd).toBe(false);
  });

  it("uses the event's final state if the native one is not final yet", () => {
    const { client, nat } = make();
    const inv = client.createLocalInvitation('bob');
    inv.send();
    const f = nat.locals[0]!;
    nat.dispatch([[44, f.id, 'no']]); // native still says SENT_TO_REMOTE
    expect(inv.state).toBe(LocalInvitationState.REFUSED_BY_REMOTE);
    expect(inv.response).toBe('no');
  });

  it('not logged in: send() reaches no SDK call and fails with NOT_LOGGEDIN on a later tick, state FAILURE', async () => {
    const { client, nat } = make(false);
    const inv = client.createLocalInvitation('bob');
    const f = nat.locals[0]!;
    const seen = recordLocal(inv);
    inv.send();
    expect(f.sendCalls).toBe(0); // the real SDK may free the object itself here (rtm-abi.md §8.2)
    expect(inv.state).toBe(LocalInvitationState.IDLE);
    expect(nat.refd).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['Failure(NOT_LOGGEDIN)@FAILURE']);
    expect(f.releaseCalls).toBe(1);
    expect(nat.refd).toBe(false);
    expect(() => inv.send()).toThrow(expect.objectContaining({ code: InvitationApiCallErrCode.ALREADY_END }));
    expect(inv.cancel()).toBe(false); // it failed without the caller's doing
  });

  it('sent while the login is pending: the failed login cuts it off with NOT_LOGGEDIN; one already answered is not', async () => {
    const { client, nat } = make(false);
    const login = client.login({ uid: 'alice' });
    const unanswered = client.createLocalInvitation('bob');
    const answered = client.createLocalInvitation('carol');
    const seenU = recordLocal(unanswered);
    const seenA = recordLocal(answered);
    unanswered.send();
    answered.send();
    expect(nat.locals.map((l) => l.sendCalls)).toEqual([1, 1]);
    nat.dispatch([[6, 2, 1]]); // CONNECTING
    unanswered.cancel(); // the real SDK returns 0 and never answers
    nat.locals[1]!.state_ = 2;
    nat.dispatch([[40, nat.locals[1]!.id]]);
    nat.dispatch([[2, 9], [6, 1, 4]]); // onLoginFailure(TIMEOUT), DISCONNECTED / LOGIN_TIMEOUT
    await expect(login).rejects.toMatchObject({ codeName: 'LOGIN_ERR_TIMEOUT' });
    expect(seenU).toEqual(['Failure(NOT_LOGGEDIN)@FAILURE']);
    expect(seenA).toEqual(['ReceivedByPeer@RECEIVED_BY_REMOTE']);
    expect(nat.locals[0]!.releaseCalls).toBe(1);
    await client.release();
  });

  it('an invitation the SDK never ends fails with INVITATION_EXPIRE at the safety timeout', async () => {
    const { client, nat } = make(true);
    const inv = client.createLocalInvitation('bob');
    const seen = recordLocal(inv);
    inv.send();
    await new Promise((r) => setTimeout(r, 300)); // safetyTimeoutsMs.invitation: 200
    expect(seen).toEqual(['Failure(INVITATION_EXPIRE)@FAILURE']);
    expect(nat.locals[0]!.releaseCalls).toBe(1);
    await client.release();
  });
});

describe('RemoteInvitation', () => {
  it('is handed by RemoteInvitationReceived, answers, and is released after its final event', () => {
    const { client, nat } = make(false);
    const { inv, fakeInv } = deliverRemote(client, nat, 'call me');
    expect(nat.refd).toBe(true);
    expect([inv.callerId, inv.content, inv.channelId, inv.state]).toEqual([
      'alice',
      'call me',
      'chan',
      RemoteInvitationState.INVITATION_RECEIVED,
    ]);
    const seen = recordRemote(inv);
    inv.response = 'sure';
    expect(fakeInv.response_).toBe('sure');
    inv.accept();
    expect(inv.state).toBe(RemoteInvitationState.ACCEPT_SENT_TO_LOCAL);
    fakeInv.state_ = 4;
    nat.dispatch([[46, fakeInv.id]]);
    expect(seen).toEqual(['Accepted@ACCEPTED']);
    expect(fakeInv.releaseCalls).toBe(1);
    expect(nat.refd).toBe(false);
    expect([inv.state, inv.response, inv.content]).toEqual([RemoteInvitationState.ACCEPTED, 'sure', 'call me']);
    expect(() => inv.accept()).toThrow(expect.objectContaining({ code: InvitationApiCallErrCode.ALREADY_ACCEPT }));
    expect(() => inv.refuse()).toThrow(expect.objectContaining({ code: InvitationApiCallErrCode.ALREADY_ACCEPT }));
    expect(() => (inv.response = 'late')).toThrow(RtmInvitationError);
  });

  it('canceled (with content) and failures; answers afterwards return false (lost races), not throw', () => {
    const { client, nat } = make();
    const a = deliverRemote(client, nat, 'first');
    const b = deliverRemote(client, nat, 'second');
    const seenA = recordRemote(a.inv);
    const seenB = recordRemote(b.inv);
    a.fakeInv.state_ = 5;
    b.fakeInv.state_ = 6;
    nat.dispatch([
      [49, a.fakeInv.id, 'first'],
      [48, b.fakeInv.id, 2],
    ]);
    expect(seenA).toEqual(['Canceled(first)@CANCELED']);
    expect(seenB).toEqual([`Failure(${RemoteInvitationFailureReason.ACCEPT_FAILURE})@FAILURE`]);
    expect(a.inv.accept()).toBe(false);
    expect(b.inv.refuse()).toBe(false);
    a.inv.response = 'late';
    expect(a.inv.response).toBe('late');
  });

  it('no RemoteInvitationReceived for an invitation already ended when its event is dispatched', () => {
    const { client, nat } = make(false);
    const seen: string[] = [];
    client.on('RemoteInvitationReceived', (inv) => seen.push(inv.content));
    const canceled = nat.receive('alice', 'too late', 'chan');
    canceled.state_ = 5; // CANCELED natively before the event reached JS
    nat.dispatch([
      [47, canceled.id, 'alice', 'too late', 'chan', 1],
      [49, canceled.id, 'too late'],
    ]);
    expect(seen).toEqual([]);
    expect(canceled.releaseCalls).toBe(1);
    expect(nat.refd).toBe(false);
  });

  it('validates the response like content', () => {
    const { client, nat } = make();
    const { inv } = deliverRemote(client, nat);
    expect(() => (inv.response = 'x'.repeat(8193))).toThrow(
      expect.objectContaining({ name: 'RtmInvitationError', code: InvitationApiCallErrCode.INVALID_ARGUMENT }),
    );
    expect(() => (inv.response = null as unknown as string)).toThrow(TypeError);
    inv.response = 'x'.repeat(8192);
  });

  it('a received id the binding no longer has is dropped', () => {
    const { client, nat } = make(false);
    const listener = vi.fn();
    client.on('RemoteInvitationReceived', listener);
    nat.dispatch([[47, 12345, 'alice', '', '', 1]]);
    expect(listener).not.toHaveBeenCalled();
    expect(nat.refd).toBe(false);
  });
});

describe('with the client', () => {
  it("release() keeps every invitation's last values; calls then throw RtmReleasedError", async () => {
    const { client, nat } = make();
    const idle = client.createLocalInvitation('bob');
    idle.content = 'draft';
    const sent = client.createLocalInvitation('carol');
    sent.send();
    const f = nat.locals[1]!;
    f.state_ = 2;
    nat.dispatch([[40, f.id]]);
    const { inv: remote } = deliverRemote(client, nat, 'hello');
    await client.release();
    expect(nat.releaseCalls).toBe(1);
    expect(f.releaseCalls).toBe(1);
    expect([idle.state, idle.content]).toEqual([LocalInvitationState.IDLE, 'draft']);
    expect(sent.state).toBe(LocalInvitationState.RECEIVED_BY_REMOTE);
    expect([remote.state, remote.content]).toEqual([RemoteInvitationState.INVITATION_RECEIVED, 'hello']);
    expect(() => idle.send()).toThrow(RtmReleasedError);
    expect(() => (idle.content = 'x')).toThrow(RtmReleasedError);
    expect(() => sent.cancel()).toThrow(RtmReleasedError);
    expect(() => remote.accept()).toThrow(RtmReleasedError);
    expect(() => client.createLocalInvitation('bob')).toThrow(RtmReleasedError);
  });

  it('a listener may release the client from inside RemoteInvitationReceived', async () => {
    const { client, nat } = make();
    const f = nat.receive('alice', 'c', '');
    const g = nat.receive('alice', 'd', '');
    const got: RemoteInvitation[] = [];
    client.on('RemoteInvitationReceived', (inv) => {
      got.push(inv);
      void client.release();
    });
    nat.dispatch([
      [47, f.id, 'alice', 'c', '', 1],
      [47, g.id, 'alice', 'd', '', 1],
    ]);
    await Promise.resolve();
    expect(got.length).toBe(1);
    expect(got[0]!.state).toBe(RemoteInvitationState.INVITATION_RECEIVED);
    expect(() => got[0]!.refuse()).toThrow(RtmReleasedError);
  });
});
