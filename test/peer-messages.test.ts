// Peer messages through the public API on in-process emulators: every result code, the offline
// cache, received messages and their properties, content fidelity, and a burst of 10 000 messages
// in each direction. Needs the addon.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from './helpers/paths';
import {
  PeerMessageErrCode,
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmInvokeTooOftenError,
  type PeerMessageSendResult,
} from '../lib/index';
import { cleanup, clientOf, loggedIn, recordMessages, rejectionOf, sleep, startEmulator, uniqueId, until } from './helpers/emu';

afterEach(cleanup);

describe('results', () => {
  it('RECEIVED_BY_PEER (0): the peer gets the text message, with serverReceivedTs and a 64-bit id', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const got = recordMessages(bob.client);
    const before = Date.now();
    const result = await alice.client.sendMessageToPeer({ text: 'hello' }, bob.uid);
    expect(result).toEqual({ hasPeerReceived: true, code: PeerMessageErrCode.OK, messageId: expect.any(BigInt) });
    expect(result.messageId).toBeGreaterThan(0n);
    await until(() => got.length === 1);
    const [{ message, peerId, props }] = got as [(typeof got)[0]];
    expect(message).toEqual({ messageType: 'TEXT', text: 'hello' });
    expect(peerId).toBe(alice.uid);
    expect(props.isOfflineMessage).toBe(false);
    expect(typeof props.serverReceivedTs).toBe('number');
    expect(props.serverReceivedTs).toBeGreaterThanOrEqual(before - 1000);
    expect(props.serverReceivedTs).toBeLessThanOrEqual(Date.now() + 1000);
    expect(typeof props.messageId).toBe('bigint');
  });

  it('sends with and without SendMessageOptions; a raw message arrives with its description', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const got = recordMessages(bob.client);
    const bytes = new Uint8Array([1, 2, 3, 250]);
    await expect(alice.client.sendMessageToPeer({ rawMessage: bytes, description: 'a blob' }, bob.uid, {})).resolves.toMatchObject({
      hasPeerReceived: true,
      code: 0,
    });
    await expect(
      alice.client.sendMessageToPeer({ messageType: 'RAW', rawMessage: bytes }, bob.uid, {
        enableOfflineMessaging: true,
        enableHistoricalMessaging: true,
      }),
    ).resolves.toMatchObject({ hasPeerReceived: true, code: 0 });
    await expect(alice.client.sendMessageToPeer({ messageType: 'TEXT', text: 't' }, bob.uid, { enableOfflineMessaging: false })).resolves.toMatchObject({
      code: 0,
    });
    await until(() => got.length === 3);
    expect(got.map((g) => g.message)).toEqual([
      { messageType: 'RAW', rawMessage: bytes, description: 'a blob' },
      { messageType: 'RAW', rawMessage: bytes, description: '' },
      { messageType: 'TEXT', text: 't' },
    ]);
    const raw = got[0]!.message;
    expect(raw.messageType === 'RAW' && raw.rawMessage instanceof Uint8Array && !Buffer.isBuffer(raw.rawMessage)).toBe(true);
  });

  it('a received message can be sent on as is', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const carol = await loggedIn(emu, 'carol');
    const atBob = recordMessages(bob.client);
    const atCarol = recordMessages(carol.client);
    await alice.client.sendMessageToPeer({ rawMessage: new Uint8Array([7, 8]), description: 'fwd' }, bob.uid);
    await until(() => atBob.length === 1);
    await bob.client.sendMessageToPeer(atBob[0]!.message, carol.uid);
    await until(() => atCarol.length === 1);
    expect(atCarol[0]!.message).toEqual(atBob[0]!.message);
  });

  it('PEER_UNREACHABLE (3) for an offline peer: resolves with hasPeerReceived false', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    await expect(alice.client.sendMessageToPeer({ text: 'anyone?' }, uniqueId('nobody'))).resolves.toMatchObject({
      hasPeerReceived: false,
      code: PeerMessageErrCode.PEER_UNREACHABLE,
    });
    // a peer that logged out is offline too
    const bob = await loggedIn(emu, 'bob');
    await bob.client.logout();
    await expect(alice.client.sendMessageToPeer({ text: 'gone?' }, bob.uid)).resolves.toMatchObject({
      hasPeerReceived: false,
      code: PeerMessageErrCode.PEER_UNREACHABLE,
    });
  });

  it('CACHED_BY_SERVER (4) with enableOfflineMessaging; delivered once at login, flagged isOfflineMessage', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bobUid = uniqueId('bob');
    const r1 = await alice.client.sendMessageToPeer({ text: 'while you were out' }, bobUid, { enableOfflineMessaging: true });
    expect(r1).toMatchObject({ hasPeerReceived: false, code: PeerMessageErrCode.CACHED_BY_SERVER });
    const r2 = await alice.client.sendMessageToPeer({ rawMessage: new Uint8Array([0, 255]), description: 'r' }, bobUid, {
      enableOfflineMessaging: true,
    });
    expect(r2.code).toBe(PeerMessageErrCode.CACHED_BY_SERVER);

    const bob = clientOf(emu);
    const got = recordMessages(bob);
    await bob.login({ uid: bobUid });
    await until(() => got.length === 2);
    expect(got.map((g) => [g.message, g.peerId, g.props.isOfflineMessage])).toEqual([
      [{ messageType: 'TEXT', text: 'while you were out' }, alice.uid, true],
      [{ messageType: 'RAW', rawMessage: new Uint8Array([0, 255]), description: 'r' }, alice.uid, true],
    ]);
    for (const g of got) expect(typeof g.props.serverReceivedTs).toBe('number');

    // Online messages now are not offline ones; the cache is not delivered a second time.
    await alice.client.sendMessageToPeer({ text: 'live' }, bobUid, { enableOfflineMessaging: true });
    await bob.logout();
    await bob.login({ uid: bobUid });
    await sleep(200);
    expect(got.map((g) => [g.message, g.props.isOfflineMessage])).toEqual([
      [{ messageType: 'TEXT', text: 'while you were out' }, true],
      [{ messageType: 'RAW', rawMessage: new Uint8Array([0, 255]), description: 'r' }, true],
      [{ messageType: 'TEXT', text: 'live' }, false],
    ]);
  });

  it('the offline cache keeps the newest 200 messages per receiver', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const alice = await loggedIn(emu, 'alice');
    const bobUid = uniqueId('bob');
    const results = await Promise.all(
      Array.from({ length: 205 }, (_, i) => alice.client.sendMessageToPeer({ text: `m${i}` }, bobUid, { enableOfflineMessaging: true })),
    );
    expect(results.every((r) => r.code === PeerMessageErrCode.CACHED_BY_SERVER)).toBe(true);
    const bob = clientOf(emu);
    const got = recordMessages(bob);
    await bob.login({ uid: bobUid });
    await until(() => got.length >= 200);
    await sleep(200); // nothing more comes
    expect(got).toHaveLength(200);
    expect(got.map((g) => (g.message.messageType === 'TEXT' ? g.message.text : '?'))).toEqual(
      Array.from({ length: 200 }, (_, i) => `m${i + 5}`),
    );
    expect(got.every((g) => g.props.isOfflineMessage && g.peerId === alice.uid)).toBe(true);
  });

  it('TOO_OFTEN (5) beyond the default profile’s message rate', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) => alice.client.sendMessageToPeer({ text: `${i}` }, bob.uid)),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThanOrEqual(60);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    for (const o of refused) {
      expect(o.reason).toBeInstanceOf(RtmInvokeTooOftenError);
      expect(o.reason).toMatchObject({ code: PeerMessageErrCode.TOO_OFTEN, codeName: 'PEER_MESSAGE_ERR_TOO_OFTEN' });
    }
  });

  it('USER_NOT_LOGGED_IN (102) before login and after logout', async () => {
    const emu = await startEmulator();
    const client = clientOf(emu);
    const err = await rejectionOf(client.sendMessageToPeer({ text: 'x' }, 'bob'));
    expect(err).toBeInstanceOf(RtmInvalidStatusError);
    expect(err).toMatchObject({ code: PeerMessageErrCode.USER_NOT_LOGGED_IN, codeName: 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN' });
    await client.login({ uid: uniqueId('a') });
    await client.logout();
    await expect(client.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toMatchObject({ code: 102 });
  });

  it('INVALID_USERID (6) and INVALID_MESSAGE (7) carry the SDK codes', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    for (const bad of ['', 'null', 'x'.repeat(65), 'tab\there', 'ünïcode']) {
      const err = await rejectionOf(alice.client.sendMessageToPeer({ text: 'x' }, bad));
      expect(err).toBeInstanceOf(RtmInvalidArgumentError);
      expect(err).toMatchObject({ code: PeerMessageErrCode.INVALID_USERID, codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' });
    }
    for (const msg of [{ text: 'x'.repeat(32 * 1024 + 1) }, { rawMessage: new Uint8Array(32 * 1024), description: '!' }]) {
      const err = await rejectionOf(alice.client.sendMessageToPeer(msg, 'bob'));
      expect(err).toBeInstanceOf(RtmInvalidArgumentError);
      expect(err).toMatchObject({ code: PeerMessageErrCode.INVALID_MESSAGE, codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' });
    }
  });

  it('pending sends are cut off by logout and by release, never left hanging', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const sends = Array.from({ length: 50 }, () => alice.client.sendMessageToPeer({ text: 'x' }, bob.uid));
    // Handlers attached before awaiting: the cut-off (at the DISCONNECTED state change) may be
    // dispatched in an earlier batch of events than logout's own result.
    const settled = Promise.allSettled(sends);
    await alice.client.logout();
    for (const o of await settled) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(RtmInvalidStatusError);
      else expect(o.value.code).toBe(0);
    }
    await alice.client.login({ uid: alice.uid });
    const more = Array.from({ length: 50 }, () => alice.client.sendMessageToPeer({ text: 'y' }, bob.uid));
    const settledMore = Promise.allSettled(more);
    await alice.client.release();
    for (const o of await settledMore) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(RtmError);
      else expect(o.value.code).toBe(0);
    }
  });
});

describe('content fidelity', () => {
  it('a raw message with every byte value 0–255 arrives unchanged', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const got = recordMessages(bob.client);
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const twice = Uint8Array.from({ length: 512 }, (_, i) => 255 - (i % 256));
    await alice.client.sendMessageToPeer({ rawMessage: every }, bob.uid);
    await alice.client.sendMessageToPeer({ rawMessage: twice, description: 'bytes\u00ff\u{1F600}' }, bob.uid);
    await alice.client.sendMessageToPeer({ rawMessage: new Uint8Array(0), description: 'empty' }, bob.uid);
    await until(() => got.length === 3);
    expect(got[0]!.message).toEqual({ messageType: 'RAW', rawMessage: every, description: '' });
    expect(got[1]!.message).toEqual({ messageType: 'RAW', rawMessage: twice, description: 'bytes\u00ff\u{1F600}' });
    expect(got[2]!.message).toEqual({ messageType: 'RAW', rawMessage: new Uint8Array(0), description: 'empty' });
  });

  it('multi-byte UTF-8 text (emoji, CJK, combining marks) arrives unchanged, up to exactly 32 KB', async () => {
    const emu = await startEmulator();
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const got = recordMessages(bob.client);
    const texts = [
      '😀👍🏽👨‍👩‍👧‍👦🏳️‍🌈', // surrogate pairs, skin tone, ZWJ sequences
      '中文字符 日本語 한국어 𠜎𠜱', // CJK, incl. outside the BMP
      'e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0353', // combining marks
      'mixed: ASCII, Ελληνικά, русский, עברית, العربية, हिन्दी',
      '€'.repeat(10_922) + 'ab', // 32 768 bytes
    ];
    for (const text of texts) await alice.client.sendMessageToPeer({ text }, bob.uid);
    await until(() => got.length === texts.length);
    expect(got.map((g) => g.message)).toEqual(texts.map((text) => ({ messageType: 'TEXT', text })));
    expect(Buffer.byteLength(texts.at(-1)!, 'utf8')).toBe(32 * 1024);
  });

  it('texts whose last characters straddle any byte position near 4 KB and 32 KB arrive whole (the addon reads them into reused buffers)', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const alice = await loggedIn(emu, 'alice');
    const bob = await loggedIn(emu, 'bob');
    const got = recordMessages(bob.client);
    const texts: string[] = [];
    for (const tail of ['é', '€', '😀']) {
      for (let ascii = 4080; ascii <= 4100; ascii++) texts.push('a'.repeat(ascii) + tail + tail);
    }
    // Longer than any text before: read another way once, then into a grown buffer.
    texts.push('x'.repeat(32_760) + '😀', '😀'.repeat(8192), 'short é', 'y'.repeat(32_761) + '€');
    for (const text of texts) await alice.client.sendMessageToPeer({ text }, bob.uid);
    await until(() => got.length === texts.length, 10_000);
    got.forEach((g, i) => expect(g.message).toEqual({ messageType: 'TEXT', text: texts[i] }));
  });
});

describe('burst', () => {
  it('two clients exchange 10 000 messages in each direction at once: each arrives once, in order, intact', { timeout: 120_000 }, async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const a = await loggedIn(emu, 'burst-a');
    const b = await loggedIn(emu, 'burst-b');
    const atA = recordMessages(a.client);
    const atB = recordMessages(b.client);
    const N = 10_000;

    /** Message i from `tag`: text for even i, raw (with the index in its bytes) for odd i. */
    const make = (tag: string, i: number) =>
      i % 2 === 0
        ? { text: `${tag}#${i} ✓ 漢字` }
        : { rawMessage: Uint8Array.from([i & 0xff, (i >> 8) & 0xff, 0, 255, ...Buffer.from(tag)]), description: `${tag}#${i}` };

    const sends: Promise<PeerMessageSendResult>[] = [];
    for (let i = 0; i < N; i += 1) {
      sends.push(a.client.sendMessageToPeer(make('a', i), b.uid));
      sends.push(b.client.sendMessageToPeer(make('b', i), a.uid));
    }
    const results = await Promise.all(sends);
    expect(results.every((r) => r.code === PeerMessageErrCode.OK && r.hasPeerReceived)).toBe(true);
    expect(new Set(results.map((r) => r.messageId)).size).toBeGreaterThanOrEqual(N); // ids per client

    await until(() => atA.length >= N && atB.length >= N, 60_000, 'all messages');
    await sleep(100); // no duplicates trail behind
    for (const [got, from, tag] of [
      [atB, a.uid, 'a'],
      [atA, b.uid, 'b'],
    ] as const) {
      expect(got).toHaveLength(N);
      for (let i = 0; i < N; i += 1) {
        const g = got[i]!;
        const want = make(tag, i);
        if (g.peerId !== from) throw new Error(`message ${i} from ${g.peerId}, expected ${from}`);
        const same =
          'text' in want
            ? g.message.messageType === 'TEXT' && g.message.text === want.text
            : g.message.messageType === 'RAW' &&
              g.message.description === want.description &&
              Buffer.from(g.message.rawMessage).equals(Buffer.from(want.rawMessage));
        if (!same) throw new Error(`message ${i} from ${tag} differs: ${JSON.stringify(g.message)}`);
        if (g.props.isOfflineMessage) throw new Error(`message ${i} flagged offline`);
      }
    }
  });
});

describe('a receiver logging out while messages are on their way', () => {
  it('every message reported received (hasPeerReceived) reaches it; the others resolve PEER_UNREACHABLE', () => {
    // Found by the soak: the service answered RECEIVED for messages the logging-out client dropped.
    const r = spawnSync(process.execPath, [path.join(fixtures, 'logout-race.cjs'), '20'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/, 0 of them never reached the receiver/);
    expect(r.status).toBe(0);
  });
});
