// The clients of one environment share one thread-safe function (binding/event_hub.h): one
// wake-up of the JS thread carries the events of many clients. What must hold: each client gets
// its own events, all of them, once, in its own order, however they interleave with the others';
// a listener may release another client (or the last one) while that client's events wait in the
// same wake-up; after the last client went, a new one gets a new function and its events.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, loggedIn, recordMessages, sleep, startEmulator, until } from './helpers/emu';

afterEach(cleanup);

describe('one event hub per environment', () => {
  it('8 receivers × 2 senders, 500 messages each way at once: every receiver gets every message once, in order per sender', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const senders = [await loggedIn(emu, 's'), await loggedIn(emu, 's')];
    const receivers = [];
    for (let i = 0; i < 8; i++) receivers.push(await loggedIn(emu, 'r'));
    const got = receivers.map((r) => recordMessages(r.client));
    const N = 500;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      for (const s of senders) for (const r of receivers) sends.push(s.client.sendMessageToPeer({ text: String(i) }, r.uid));
    }
    await Promise.all(sends);
    await until(() => got.every((g) => g.length === N * senders.length), 20_000, 'every message received');
    for (const g of got) {
      for (const s of senders) {
        const texts = g.filter((m) => m.peerId === s.uid).map((m) => (m.message.messageType === 'TEXT' ? m.message.text : ''));
        expect(texts).toEqual(Array.from({ length: N }, (_, i) => String(i)));
      }
    }
  });

  it("a listener releases another client whose events wait in the same wake-up: no event of it after, the first one's keep coming", async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const sender = await loggedIn(emu, 's');
    const a = await loggedIn(emu, 'a');
    const b = await loggedIn(emu, 'b');
    let bAfterRelease = 0;
    let bReleased = false;
    b.client.on('MessageFromPeer', () => {
      if (bReleased) bAfterRelease += 1;
    });
    const gotA = recordMessages(a.client);
    a.client.on('MessageFromPeer', () => {
      if (!bReleased) {
        bReleased = true;
        void b.client.release();
      }
    });
    const N = 2000;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      // Interleaved: b's events are queued beside a's.
      sends.push(sender.client.sendMessageToPeer({ text: String(i) }, a.uid));
      sends.push(sender.client.sendMessageToPeer({ text: String(i) }, b.uid).catch(() => undefined));
    }
    await Promise.all(sends);
    await until(() => gotA.length === N, 20_000, "a's messages");
    await sleep(50);
    expect(bReleased).toBe(true);
    expect(bAfterRelease).toBe(0);
    expect(b.client.pendingEvents).toBe(0);
  });

  it('a listener releases the last client; a client made afterwards (a new thread-safe function) gets its events', async () => {
    const emu = await startEmulator();
    const sender = await loggedIn(emu, 's');
    const first = await loggedIn(emu, 'r');
    let released = false;
    first.client.on('MessageFromPeer', () => {
      if (released) return;
      released = true;
      void first.client.release();
      void sender.client.release();
    });
    // Its result may come after the sender's release (RtmReleasedError then).
    await sender.client.sendMessageToPeer({ text: 'x' }, first.uid).catch(() => undefined);
    await until(() => released, 5000, 'the release');
    await sleep(20);
    // Every client of this environment is released now (the helpers' own are released above).
    const again = await loggedIn(emu, 's2');
    const receiver = await loggedIn(emu, 'r2');
    const got = recordMessages(receiver.client);
    await again.client.sendMessageToPeer({ text: 'after' }, receiver.uid);
    await until(() => got.length === 1, 5000, 'the message after');
    expect(got[0]!.message).toEqual({ messageType: 'TEXT', text: 'after' });
  });
});
