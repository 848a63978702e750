// The TCP transport under hostile input (docs/PROTOCOL.md): seeded streams of malformed,
// truncated and oversized frames at the service and at a client, a client that stops reading,
// and one that goes silent. Neither side may crash or stall; the service keeps serving the
// well-behaved clients meanwhile.
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '../lib/index';
import { Emulator } from '../lib/emulator';
import { uniqueId } from '../lib/testing';
import { APP_ID, sleep, until } from './helpers/emu';
import { connect, Frame, FrameReader, hello, KIND, login, prng } from './helpers/wire';

const SEED = Number(process.env.RTM_FUZZ_SEED ?? 11);
const emulators: Emulator[] = [];
const clients: RtmClient[] = [];

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.release()));
  await Promise.allSettled(emulators.splice(0).map((e) => e.stop()));
});

async function tcpEmulator(limits: Record<string, unknown> = { profile: 'unlimited' }): Promise<Emulator> {
  const emu = await Emulator.start({ port: 0, limits });
  emulators.push(emu);
  return emu;
}

function client(url: string): RtmClient {
  const c = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: url });
  clients.push(c);
  return c;
}

function portOf(url: string): number {
  return Number(url.split(':').at(-1));
}

/** A well-framed frame of `kind` with random fields (its body may still fail to parse). */
function randomFrame(rand: () => number, kind: number): Buffer {
  const f = new Frame(kind);
  const fields = Math.floor(rand() * 8);
  for (let i = 0; i < fields; i++) {
    const t = rand();
    if (t < 0.3) f.u32(Math.floor(rand() * 2 ** 32));
    else if (t < 0.5) f.u64(BigInt(Math.floor(rand() * 2 ** 32)));
    else if (t < 0.6) f.u8(Math.floor(rand() * 256));
    else if (t < 0.9) f.str(Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))));
    else f.u32(Math.floor(rand() * 4)); // a small count: a list that may or may not be there
  }
  return f.bytes();
}

/** A frame that breaks the stream: a lying length (often far over 1 MiB), an empty frame, or a truncated one. */
function fatalFrame(rand: () => number, kind: number): Buffer {
  const bytes = randomFrame(rand, kind);
  const t = rand();
  if (t < 0.4) bytes.writeUInt32LE(Math.floor(rand() * 2 ** 32), 0);
  else if (t < 0.6) bytes.writeUInt32LE(0, 0);
  else return bytes.subarray(0, 1 + Math.floor(rand() * (bytes.length - 1)));
  return bytes;
}

/** A request that parses, with random ids, sessions and strings (most name no live session). */
function plausibleRequest(rand: () => number, uids: string[]): Buffer {
  const uid = uids[Math.floor(rand() * uids.length)];
  const sid = BigInt(Math.floor(rand() * 4));
  const text = 'r'.repeat(Math.floor(rand() * 64));
  const id = Math.floor(rand() * 1000);
  switch (Math.floor(rand() * 6)) {
    case 0:
      return new Frame(KIND.Ping).bytes();
    case 1: // PeerMessage: id userId sessionId peerId message offline
      return new Frame(KIND.PeerMessage).u32(id).str(uid).u64(sid).str(uids[0]).u8(1).str(text).str('').u64(1n).u64(0n).u8(0).bytes();
    case 2: // Join
      return new Frame(KIND.Join).u32(id).str(uid).u64(sid).str(`room${Math.floor(rand() * 5)}`).bytes();
    case 3: // QueryPeers
      return new Frame(14).u32(id).str(uid).u64(sid).u32(1).str(uids[1]).bytes();
    case 4: // Logout of a random session
      return new Frame(KIND.Logout).u32(id).str(uid).u64(sid).bytes();
    default: // GetUserAttributes
      return new Frame(18).u32(id).str(uid).u64(sid).str(uids[1]).u8(1).u32(0).bytes();
  }
}

const REQUEST_KINDS = [3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 60];
const PUSH_KINDS = [3, 4, 100, 101, 102, 103, 104, 105, 106, 110, 111, 112, 113, 114, 120, 121, 122, 123, 124];

describe('hostile frames', () => {
  it('the service survives ≥ 100 000 malformed, truncated and oversized frames and keeps serving', async () => {
    const emu = await tcpEmulator();
    const port = portOf(emu.url);
    const a = client(emu.url);
    const b = client(emu.url);
    const [ua, ub] = [uniqueId('a'), uniqueId('b')];
    await a.login({ uid: ua });
    await b.login({ uid: ub });
    let received = 0;
    b.on('MessageFromPeer', () => (received += 1));
    const rand = prng(SEED);
    const framesAtStart = emu.tcpStats()!.framesIn;
    let processed = 0;
    let malformed = 0;
    let connections = 0;
    let sent = 0;
    const uids = [ua, ub, 'fz1', 'fz2'];
    // Each connection: a hello (sometimes a bad one), maybe a login, requests that parse with
    // random content, random frames of every kind, and one frame that breaks the stream.
    while (processed < 100_000) {
      const socket = await connect(port);
      connections += 1;
      socket.on('error', () => {});
      socket.resume(); // read (and drop) what the service says, so that its FIN is seen
      const parts: Buffer[] = [];
      parts.push(rand() < 0.97 ? hello(rand() < 0.9 ? 0 : 1) : randomFrame(rand, 1));
      if (rand() < 0.3) parts.push(login(1, APP_ID, uids[2 + Math.floor(rand() * 2)]));
      const n = Math.floor(rand() * 60);
      for (let i = 0; i < n; i++) parts.push(plausibleRequest(rand, uids));
      if (rand() < 0.5) parts.push(randomFrame(rand, REQUEST_KINDS[Math.floor(rand() * REQUEST_KINDS.length)]));
      else parts.push(randomFrame(rand, Math.floor(rand() * 256)));
      parts.push(fatalFrame(rand, Math.floor(rand() * 256)));
      malformed += 2;
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.end(Buffer.concat(parts));
      await closed;
      processed = emu.tcpStats()!.framesIn - framesAtStart;
      // The well-behaved pair is served all along.
      if (connections % 20 === 0) {
        const r = await a.sendMessageToPeer({ text: `m${sent}` }, ub);
        expect(r.hasPeerReceived).toBe(true);
        sent += 1;
      }
    }
    // Frames the service decoded (the well-behaved pair's among them, a small part).
    expect(processed).toBeGreaterThanOrEqual(100_000);
    expect(malformed).toBeGreaterThan(1000);
    await until(() => received === sent, 5000, 'every message of the pair');
    await until(() => emu.tcpStats()?.connections === 2, 5000, 'only the pair connected');
    expect((await a.sendMessageToPeer({ text: 'after' }, ub)).hasPeerReceived).toBe(true);
    expect(emu.users()).toEqual(expect.arrayContaining([ua, ub]));
  }, 120_000);

  it('a client survives ≥ 100 000 hostile frames from a fake service, reconnecting through it', async () => {
    const rand = prng(SEED + 1);
    let frames = 0;
    let logins = 0;
    let hellos = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
      const reader = new FrameReader();
      socket.on('data', (chunk: Buffer) => {
        for (const body of reader.push(chunk)) {
          const kind = body[0];
          if (kind === KIND.Hello) hellos += 1;
          if (kind === KIND.Hello) socket.write(new Frame(KIND.Welcome).u16(1).str('{}').bytes());
          if (kind === KIND.Resume) socket.write(new Frame(KIND.Response).u32(body.readUInt32LE(1)).u8(0).bytes());
          if (kind === KIND.Login) {
            logins += 1;
            const id = body.readUInt32LE(1);
            const parts = [new Frame(KIND.Response).u32(id).u32(0).u64(BigInt(logins)).bytes()];
            // Pushes of every kind with random fields (their bodies mostly fail to parse and are
            // ignored), then one frame that breaks the stream: the client drops it and reconnects.
            const n = 5000 + Math.floor(rand() * 10_000);
            for (let i = 0; i < n; i++) {
              parts.push(randomFrame(rand, rand() < 0.95 ? PUSH_KINDS[Math.floor(rand() * PUSH_KINDS.length)] : Math.floor(rand() * 256)));
            }
            parts.push(fatalFrame(rand, PUSH_KINDS[Math.floor(rand() * PUSH_KINDS.length)]));
            frames += n + 1;
            socket.write(Buffer.concat(parts));
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `rtm://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const c = client(url);
      const uid = uniqueId('victim');
      // A random push may end the session (Kicked, TokenExpired…): log in again, as an app would.
      c.on('ConnectionStateChanged', (state) => {
        if (state === 'ABORTED') void c.logout().then(() => c.login({ uid })).catch(() => {});
        if (state === 'DISCONNECTED') void c.login({ uid }).catch(() => {});
      });
      await c.login({ uid });
      // Each broken frame drops the socket; the client comes back (Resume, then Login) for more.
      await until(() => frames >= 100_000, 60_000, `100 000 frames sent to the client (${frames} so far, ${hellos} hellos, ${logins} logins, state ${c.connectionState})`);
      expect(logins).toBeGreaterThan(1);
      // Still a working client: it answers its API and releases cleanly.
      expect(['DISCONNECTED', 'CONNECTING', 'CONNECTED', 'RECONNECTING', 'ABORTED']).toContain(c.connectionState);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 120_000);

  it('a client that stops reading is disconnected; the service keeps serving the others', async () => {
    const emu = await tcpEmulator();
    const port = portOf(emu.url);
    const slow = await connect(port);
    slow.on('error', () => {});
    const slowId = uniqueId('slow');
    slow.write(Buffer.concat([hello(), login(1, APP_ID, slowId)]));
    await until(() => emu.users().includes(slowId), 5000, 'the slow client logged in');
    slow.pause(); // reads nothing from now on
    const sender = client(emu.url);
    const other = client(emu.url);
    const [us, uo] = [uniqueId('s'), uniqueId('o')];
    await sender.login({ uid: us });
    await other.login({ uid: uo });
    let otherGot = 0;
    other.on('MessageFromPeer', () => (otherGot += 1));
    // A paused socket sees no EOF: the service's own count tells when it cut the slow one off.
    const isClosed = () => emu.tcpStats()!.connections === 2;
    const big = 'x'.repeat(30_000);
    const started = Date.now();
    let toOther = 0;
    // ~16 MiB of messages for the slow one, interleaved with messages for the other client.
    for (let i = 0; i < 1200 && !isClosed(); i++) {
      void sender.sendMessageToPeer({ text: big }, slowId).catch(() => {});
      if (i % 50 === 0) {
        const r = await sender.sendMessageToPeer({ text: `o${i}` }, uo);
        expect(r.hasPeerReceived).toBe(true);
        toOther += 1;
      }
      if (i % 100 === 0) await sleep(1);
    }
    await until(isClosed, 10_000, 'the slow client disconnected');
    const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.resume();
    await closed;
    await until(() => otherGot === toOther, 5000, 'the other client served all along');
    expect(Date.now() - started).toBeLessThan(20_000);
    // For the service it was a lost link, not a logout: the session waits for a resume.
    expect(emu.users()).toContain(slowId);
  }, 60_000);

  it('a client that goes silent (no heartbeat) is taken as lost: its subscribers see UNREACHABLE', async () => {
    const emu = await tcpEmulator({ profile: 'unlimited', unreachableAfterMs: 200 });
    const port = portOf(emu.url);
    const silent = await connect(port);
    silent.on('error', () => {});
    const silentId = uniqueId('quiet');
    silent.write(Buffer.concat([hello(), login(1, APP_ID, silentId)]));
    await until(() => emu.users().includes(silentId), 5000, 'logged in');
    const watcher = client(emu.url);
    await watcher.login({ uid: uniqueId('w') });
    const states: string[] = [];
    watcher.on('PeersOnlineStatusChanged', (s) => states.push(String(s[silentId])));
    await watcher.subscribePeersOnlineStatus([silentId]);
    await until(() => states.includes('UNREACHABLE'), 8000, 'UNREACHABLE after the silence');
    silent.destroy();
  }, 20_000);
});
