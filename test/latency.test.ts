// Emulator#setLatency: a slow network towards one user, or every user, on both transports.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, loggedIn, recordMessages, startEmulator, until } from './helpers/emu';

afterEach(cleanup);

describe('setLatency', () => {
  it('delays what one user receives, in order even with jitter, until turned off', async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    const a = await loggedIn(emu, 'a');
    const b = await loggedIn(emu, 'b');
    const got = recordMessages(b.client);
    expect(emu.setLatency(b.uid, 250)).toBe(true);

    let started = performance.now();
    // RECEIVED needs b to have it, so the sender's answer waits for the delayed delivery too.
    expect((await a.client.sendMessageToPeer({ text: 'slow' }, b.uid)).hasPeerReceived).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    await until(() => got.length === 1, 3000, 'the delayed message');
    // a itself is not slowed: its own answers come at once.
    started = performance.now();
    await a.client.queryPeersOnlineStatus([b.uid]);
    expect(performance.now() - started).toBeLessThan(200);

    // b's own answers come late too.
    started = performance.now();
    await b.client.queryPeersOnlineStatus([a.uid]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);

    emu.setLatency(b.uid, 5, 60);
    for (let i = 0; i < 40; i++) void a.client.sendMessageToPeer({ text: `j${i}` }, b.uid);
    await until(() => got.length === 41, 5000, '40 jittered messages');
    expect(got.slice(1).map((r) => r.message.text)).toEqual(Array.from({ length: 40 }, (_, i) => `j${i}`));

    emu.setLatency(b.uid, 0);
    started = performance.now();
    await b.client.queryPeersOnlineStatus([a.uid]);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("'*' slows every user, also those who log in later", async () => {
    const emu = await startEmulator({ profile: 'unlimited' });
    emu.setLatency('*', 200);
    const a = await loggedIn(emu, 'a');
    const started = performance.now();
    await a.client.queryPeersOnlineStatus([a.uid]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    emu.setLatency('*', 0);
  });

  it('checks its arguments', async () => {
    const emu = await startEmulator();
    expect(() => emu.setLatency('u', -1)).toThrow();
    expect(() => emu.setLatency('u', 1.5)).toThrow();
    expect(() => emu.setLatency('u', 10, 700_000)).toThrow();
    expect(() => emu.setLatency('', 10)).toThrow();
    expect(emu.setLatency('nobody-yet', 10)).toBe(true); // applies when that user logs in
  });
});
