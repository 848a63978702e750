// 'agora-rtm-node/emulator' and 'agora-rtm-node/testing' through their TS API, on in-process
// services. Needs the addon.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { ConnectionChangeReason, ConnectionState, LocalErrCode, RtmError, RtmTimeoutError } from '../lib/index';
import { Emulator } from '../lib/emulator';
import { TEST_APP_ID, uniqueId, waitForEvent, withEmulator } from '../lib/testing';
import type { RtmClient } from '../lib/client';

const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.release()));
});

describe('Emulator', () => {
  it('start() makes an independent service that clients reach by its url; stop() ends it', async () => {
    const emu = await Emulator.start();
    expect(emu.url).toMatch(/^inproc:\/\/\S+$/);
    expect(emu.url).toBe(`inproc://${emu.name}`);
    const client = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: emu.url });
    clients.push(client);
    const uid = uniqueId('emu');
    await client.login({ uid });
    expect(emu.users()).toEqual([uid]);
    expect(Emulator.default.users()).not.toContain(uid);

    const aborted = waitForEvent(client, 'ConnectionStateChanged', {
      filter: (state) => state === ConnectionState.ABORTED,
    });
    expect(emu.kick(uid)).toBe(true);
    expect(await aborted).toEqual([ConnectionState.ABORTED, ConnectionChangeReason.REMOTE_LOGIN]);
    expect(emu.kick('nobody-here')).toBe(false);
    expect(emu.expireToken('nobody-here')).toBe(false);

    await emu.stop();
    await emu.stop(); // idempotent
    expect(() => emu.users()).toThrow(RtmError);
  });

  it('two started services do not see each other', async () => {
    const [a, b] = await Promise.all([Emulator.start(), Emulator.start()]);
    try {
      expect(a.url).not.toBe(b.url);
      const ca = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: a.url });
      clients.push(ca);
      const uid = uniqueId('iso');
      await ca.login({ uid });
      expect(a.users()).toContain(uid);
      expect(b.users()).not.toContain(uid);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.release()));
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('the default service exists and cannot be stopped', async () => {
    expect(Emulator.default.url).toBe('inproc://default');
    expect(Emulator.default).toBe(Emulator.default);
    await expect(Emulator.default.stop()).rejects.toBeInstanceOf(RtmError);
  });

  it('serves over TCP when given a host or a port, and checks them', async () => {
    const emu = await Emulator.start({ host: '127.0.0.1', port: 0 });
    expect(emu.url).toMatch(/^rtm:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(emu.inprocUrl).toBe(`inproc://${emu.name}`);
    await emu.stop();
    await expect(Emulator.start({ port: -1 })).rejects.toBeInstanceOf(Error);
    await expect(Emulator.start({ port: 1.5 })).rejects.toBeInstanceOf(Error);
    await expect(Emulator.start({ host: '' })).rejects.toBeInstanceOf(Error);
  });
});

describe('createInstance with an emulator url', () => {
  it('refuses a url of another scheme, or a malformed rtm:// one, with a clear message', () => {
    for (const url of ['http://127.0.0.1:9600', 'rtm://127.0.0.1', 'rtm://127.0.0.1:70000', 'rtm://bad host:1']) {
      let caught: unknown;
      try {
        AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: url });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RtmError);
      expect((caught as RtmError).message).toMatch(/is not an emulator URL/);
      expect(caught).toMatchObject({ code: LocalErrCode.EMULATOR_URL, codeName: 'ERR_RTM_EMULATOR_URL' });
    }
  });

  it('takes an rtm:// url, even of a service that is not running (its login times out, as offline)', () => {
    const client = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: 'rtm://127.0.0.1:9' });
    expect(client.connectionState).toBe('DISCONNECTED');
    void client.release();
  });

  it('refuses an in-process name that is not running, with its own code', () => {
    expect(() =>
      AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: `inproc://${uniqueId('none')}` }),
    ).toThrow(expect.objectContaining({ code: LocalErrCode.EMULATOR_URL, codeName: 'ERR_RTM_EMULATOR_URL' }));
  });

  it('a client told its rtm:// service twice (AGORA_RTM_EMULATOR and the option) asks it for its limits once', async () => {
    const emu = await Emulator.start({ port: 0 });
    const saved = process.env.AGORA_RTM_EMULATOR;
    process.env.AGORA_RTM_EMULATOR = emu.url;
    try {
      const before = emu.tcpStats()!.framesIn;
      // The emulator's C++ client reads the variable when it is made; the option names the same
      // service. Each limits fetch is one request frame on a control connection.
      clients.push(AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: emu.url }));
      expect(emu.tcpStats()!.framesIn - before).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.AGORA_RTM_EMULATOR;
      else process.env.AGORA_RTM_EMULATOR = saved;
      await Promise.all(clients.splice(0).map((c) => c.release()));
      await emu.stop();
    }
  });

  it('reads AGORA_RTM_EMULATOR', async () => {
    const emu = await Emulator.start();
    const saved = process.env.AGORA_RTM_EMULATOR;
    process.env.AGORA_RTM_EMULATOR = emu.url;
    try {
      const client = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator' });
      clients.push(client);
      const uid = uniqueId('env');
      await client.login({ uid });
      expect(emu.users()).toEqual([uid]);
    } finally {
      if (saved === undefined) delete process.env.AGORA_RTM_EMULATOR;
      else process.env.AGORA_RTM_EMULATOR = saved;
      await Promise.all(clients.splice(0).map((c) => c.release()));
      await emu.stop();
    }
  });
});

describe('testing helpers', () => {
  it('withEmulator gives a fresh service and releases its clients afterwards', async () => {
    let kept: RtmClient | undefined;
    let url = '';
    const result = await withEmulator(async (emu, { createClient }) => {
      url = emu.url;
      kept = createClient();
      const uid = uniqueId('fixture');
      await kept.login({ uid });
      expect(emu.users()).toEqual([uid]);
      return 42;
    });
    expect(result).toBe(42);
    expect(url).toMatch(/^inproc:\/\//);
    await expect(kept!.login({ uid: 'x' })).rejects.toMatchObject({ name: 'RtmReleasedError' });
  });

  it('uniqueId makes distinct, valid user ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => uniqueId('user with spaces/and*stars')));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(uniqueId('x'.repeat(100)).length).toBeLessThanOrEqual(64);
  });

  it('waitForEvent filters, times out and removes its listener', async () => {
    const emitter = new EventEmitter<{ tick: [n: number] }>();
    const even = waitForEvent(emitter, 'tick', { filter: (n) => n % 2 === 0 });
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(await even).toEqual([2]);
    expect(emitter.listenerCount('tick')).toBe(0);

    const never = waitForEvent(emitter, 'tick', { timeoutMs: 20 });
    const err = await never.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmTimeoutError);
    expect((err as RtmTimeoutError).code).toBe(LocalErrCode.WAIT_TIMEOUT);
    expect(emitter.listenerCount('tick')).toBe(0);
  });
});
