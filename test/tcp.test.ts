// The emulator served over TCP: clients in this process and in other OS processes, control from
// another process, a closed port, and the service killed and restarted under its clients.
// (Every other suite also runs over TCP: npm run test:tcp.)
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import AgoraRTM, { type RtmClient } from '../lib/index';
import { Emulator } from '../lib/emulator';
import { uniqueId } from '../lib/testing';
import { APP_ID, cleanup, clientOf, sleep, until } from './helpers/emu';
import { buildDir } from './helpers/paths';
import { Worker } from 'node:worker_threads';

const ROOT = path.resolve(__dirname, '..');
const PEER = path.join(__dirname, 'fixtures', 'tcp-peer.cjs');
const children: ChildProcessWithoutNullStreams[] = [];
const extraClients: RtmClient[] = [];

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build:ts'], { cwd: ROOT, stdio: 'ignore' });
});

afterEach(async () => {
  await Promise.allSettled(extraClients.splice(0).map((c) => c.release()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await cleanup();
});

/** Starts the fixture; resolves with the child and a function that waits for a line matching re. */
function peer(args: string[]) {
  const child = spawn(process.execPath, [PEER, ...args], { cwd: ROOT });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const line = async (re: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> => {
    await until(() => re.test(out), timeoutMs, `${re} from the child (stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)})`);
    return out.match(re)!;
  };
  return { child, line, output: () => out };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function tcpClient(url: string): RtmClient {
  const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: url });
  extraClients.push(client);
  return client;
}

describe('an emulator served over TCP', () => {
  it('gives an rtm:// url on 127.0.0.1 and carries a session end to end in one process', async () => {
    const emu = await Emulator.start({ port: 0 });
    try {
      expect(emu.url).toMatch(/^rtm:\/\/127\.0\.0\.1:\d+$/);
      const a = tcpClient(emu.url);
      const b = tcpClient(emu.url);
      const [ua, ub] = [uniqueId('a'), uniqueId('b')];
      await a.login({ uid: ua });
      await b.login({ uid: ub });
      expect(emu.users().sort()).toEqual([ua, ub].sort());
      const got = new Promise<string>((resolve) => b.on('MessageFromPeer', (m, from) => resolve(`${from}:${m.text}`)));
      expect(await a.sendMessageToPeer({ text: 'over tcp' }, ub)).toMatchObject({ hasPeerReceived: true });
      expect(await got).toBe(`${ua}:over tcp`);
      expect((emu.tcpStats()?.connections ?? 0) >= 2).toBe(true);
      // A channel, its members and attributes cross the socket too.
      const cha = a.createChannel('tcp-room');
      const chb = b.createChannel('tcp-room');
      await cha.join();
      const joined = new Promise<string>((resolve) => cha.on('MemberJoined', resolve));
      await chb.join();
      expect(await joined).toBe(ub);
      expect((await cha.getMembers()).sort()).toEqual([ua, ub].sort());
      const channelMessage = new Promise<string>((resolve) => chb.on('ChannelMessage', (m) => resolve(m.text ?? '')));
      await cha.sendMessage({ text: 'to the room' });
      expect(await channelMessage).toBe('to the room');
      const st = emu.stats();
      expect(st).toMatchObject({ sessions: 2, channels: 1, messages: 2, bytes: 'over tcp'.length + 'to the room'.length });
      expect(st.messagesPerSecond).toBeGreaterThan(0);
      await a.addOrUpdateChannelAttributes('tcp-room', { topic: 'tcp' });
      expect((await b.getChannelAttributes('tcp-room')).topic.value).toBe('tcp');
      await a.logout();
      await until(() => !emu.users().includes(ua), 2000, 'logout seen by the service');
    } finally {
      await emu.stop();
    }
  });

  it('connects a bot and a client in two OS processes', async () => {
    const server = peer(['serve']);
    const url = (await server.line(/URL (\S+)/))[1];
    const botId = uniqueId('bot');
    const bot = peer(['echo', url, botId]);
    await bot.line(/READY/);
    const client = tcpClient(url);
    const uid = uniqueId('c');
    await client.login({ uid });
    const replies: string[] = [];
    client.on('MessageFromPeer', (m) => replies.push(m.text ?? ''));
    for (let i = 0; i < 20; i++) await client.sendMessageToPeer({ text: `m${i}` }, botId);
    await until(() => replies.length === 20, 5000, '20 echoes');
    expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `echo:m${i}`));
    // Controlled from this process, though the service runs in another one.
    const remote = await Emulator.connect(url);
    expect((await remote.users()).sort()).toEqual([botId, uid].sort());
    // 20 messages and 20 echoes ("m0".."m19" and "echo:m0"..).
    expect(await remote.stats()).toMatchObject({ sessions: 2, channels: 0, messages: 40 });
    expect(await remote.kick('nobody-here')).toBe(false);
    const aborted = new Promise<string>((resolve) =>
      client.on('ConnectionStateChanged', (state, reason) => state === 'ABORTED' && resolve(reason)),
    );
    expect(await remote.kick(uid)).toBe(true);
    expect(await aborted).toBe('REMOTE_LOGIN');
  });

  it('a control command from a third process reaches the service', async () => {
    const server = peer(['serve']);
    const url = (await server.line(/URL (\S+)/))[1];
    const client = tcpClient(url);
    const uid = uniqueId('c');
    await client.login({ uid });
    const control = peer(['control', url, 'users']);
    expect(JSON.parse((await control.line(/^\[.*\]$/m))[0])).toEqual([uid]);
  });

  it('Emulator.connect to a closed port rejects with ERR_RTM_EMULATOR; a bad url with ERR_RTM_EMULATOR_URL', async () => {
    const port = await freePort();
    await expect(Emulator.connect(`rtm://127.0.0.1:${port}`, { timeoutMs: 300 })).rejects.toMatchObject({
      codeName: 'ERR_RTM_EMULATOR',
    });
    await expect(Emulator.connect('http://127.0.0.1:1')).rejects.toMatchObject({ codeName: 'ERR_RTM_EMULATOR_URL' });
  });

  it('a client pointed at a closed port gives the real SDK offline sequence: CONNECTING, then LOGIN_TIMEOUT at 6 s', async () => {
    const port = await freePort();
    const client = tcpClient(`rtm://127.0.0.1:${port}`);
    const states: string[] = [];
    client.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    const started = Date.now();
    await expect(client.login({ uid: uniqueId('off') })).rejects.toMatchObject({ codeName: 'LOGIN_ERR_TIMEOUT' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(5900);
    expect(elapsed).toBeLessThan(8000);
    // As on the real SDK, the failure comes first, then the state change.
    await until(() => states.length === 2, 1000, 'the state change after the failure');
    expect(states).toEqual(['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_TIMEOUT']);
  }, 15_000);

  it('survives the service being killed (SIGKILL) and restarted: clients reconnect, rejoin and exchange messages', async () => {
    const port = await freePort();
    const limits = JSON.stringify({ profile: 'unlimited', interruptedAfterMs: 300 });
    let server = peer(['serve', '--port', String(port), limits]);
    const url = (await server.line(/URL (\S+)/))[1];
    const a = tcpClient(url);
    const b = tcpClient(url);
    const [ua, ub] = [uniqueId('a'), uniqueId('b')];
    const statesA: string[] = [];
    a.on('ConnectionStateChanged', (state, reason) => statesA.push(`${state}/${reason}`));
    await a.login({ uid: ua });
    await b.login({ uid: ub });
    const chA = a.createChannel('survivors');
    const chB = b.createChannel('survivors');
    await chA.join();
    await chB.join();
    const received: string[] = [];
    b.on('MessageFromPeer', (m) => received.push(m.text ?? ''));
    for (let i = 0; i < 10; i++) {
      const r = await a.sendMessageToPeer({ text: `before${i}` }, ub);
      expect(r.hasPeerReceived).toBe(true);
    }
    server.child.kill('SIGKILL');
    await until(() => statesA.includes('RECONNECTING/INTERRUPTED'), 6000, 'RECONNECTING after the kill');
    server = peer(['serve', '--port', String(port), limits]);
    await server.line(/URL/);
    await until(() => statesA.at(-1) === 'CONNECTED/LOGIN_SUCCESS', 8000, 'CONNECTED again');
    await until(() => b.connectionState === 'CONNECTED', 8000, 'b CONNECTED again');
    // Everything reported as received before the kill arrived; the session works again.
    await until(() => received.length >= 10, 2000, 'the messages sent before the kill');
    expect(received.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `before${i}`));
    expect((await a.sendMessageToPeer({ text: 'after' }, ub)).hasPeerReceived).toBe(true);
    await until(() => received.includes('after'), 2000, 'the message sent after the restart');
    expect((await chA.getMembers()).sort()).toEqual([ua, ub].sort());
    const roomMessage = new Promise<string>((resolve) => chB.on('ChannelMessage', (m) => resolve(m.text ?? '')));
    await chA.sendMessage({ text: 'still here' });
    expect(await roomMessage).toBe('still here');
  }, 30_000);

  it('the CLI prints its url, logs JSON lines, serves clients and exits cleanly on SIGTERM', async () => {
    const cli = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--port', '0', '--json', '--profile', 'unlimited'], {
      cwd: ROOT,
    });
    children.push(cli);
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => /"event":"listening"/.test(out), 10_000, 'the listening line');
    const first = JSON.parse(out.split('\n')[0]) as { event: string; url: string };
    expect(first.url).toMatch(/^rtm:\/\/127\.0\.0\.1:\d+$/);
    const client = tcpClient(first.url);
    const uid = uniqueId('cli');
    await client.login({ uid });
    await until(() => /"event":"status"/.test(out) && out.includes('"sessions":1'), 5000, 'a status line with the session');
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; signal?: string });
    expect(lines.at(-1)).toMatchObject({ event: 'stopped', signal: 'SIGTERM' });
  });

  it('the CLI explains a bad argument and exits with 2', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--port', 'x'], { cwd: ROOT, stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/--port: expected 0\.\.65535/);
    expect(stderr).toMatch(/Usage: agora-rtm-emulator/);
  });

  it('a plain C++ program on the drop-in library joins the service through AGORA_RTM_EMULATOR', async () => {
    const emu = await Emulator.start({ port: 0 });
    try {
      const before = emu.tcpStats()!.framesIn;
      const uid = uniqueId('native');
      // Asynchronous: the service runs on this process's threads, the program in another process.
      const child = spawn(path.join(buildDir, 'dropin_login'), [uid], { env: { ...process.env, AGORA_RTM_EMULATOR: emu.url } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(out).toMatch(/onLoginSuccess/);
      expect(out).toMatch(/OK/);
      expect(status).toBe(0);
      expect(emu.tcpStats()!.framesIn - before).toBeGreaterThanOrEqual(3); // its hello, login, logout
    } finally {
      await emu.stop();
    }
  });

  it('a client in a worker thread and one on the main thread talk over TCP', async () => {
    const emu = await Emulator.start({ port: 0 });
    try {
      const botId = uniqueId('wbot');
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const { default: AgoraRTM } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
        const c = AgoraRTM.createInstance(workerData.appId, { backend: 'emulator', emulator: workerData.url });
        c.on('MessageFromPeer', (m, from) => c.sendMessageToPeer({ text: 'worker:' + m.text }, from).catch(() => {}));
        c.login({ uid: workerData.uid }).then(() => parentPort.postMessage('ready'));
        parentPort.on('message', () => c.release().then(() => parentPort.close()));
      `;
      const worker = new Worker(code, { eval: true, workerData: { appId: APP_ID, url: emu.url, uid: botId } });
      await new Promise((resolve) => worker.once('message', resolve));
      const main = tcpClient(emu.url);
      await main.login({ uid: uniqueId('main') });
      const reply = new Promise<string>((resolve) => main.on('MessageFromPeer', (m) => resolve(m.text ?? '')));
      await main.sendMessageToPeer({ text: 'hi' }, botId);
      expect(await reply).toBe('worker:hi');
      worker.postMessage('stop');
      expect(await new Promise((resolve) => worker.once('exit', resolve))).toBe(0);
    } finally {
      await emu.stop();
    }
  });

  it('refuses a port that is taken, and a bad host', async () => {
    const emu = await Emulator.start({ port: 0 });
    const port = Number(emu.url.split(':').at(-1));
    await expect(Emulator.start({ port })).rejects.toMatchObject({ codeName: 'ERR_RTM_EMULATOR' });
    await expect(Emulator.start({ port: 70000 })).rejects.toBeInstanceOf(Error);
    await expect(Emulator.start({ host: 'no such host!', port: 0 })).rejects.toMatchObject({ codeName: 'ERR_RTM_EMULATOR' });
    await emu.stop();
  });

  it('a client of a stopped TCP emulator is kicked, like an in-process one', async () => {
    const emu = await Emulator.start({ port: 0 });
    const client = clientOf(emu);
    await client.login({ uid: uniqueId('k') });
    const aborted = new Promise<string>((resolve) =>
      client.on('ConnectionStateChanged', (state, reason) => state === 'ABORTED' && resolve(reason)),
    );
    await emu.stop();
    expect(typeof (await aborted)).toBe('string');
    await sleep(10);
  });
});
