// The emulator over TCP between OS processes, beside Redis pub/sub on the same machine in the
// same run. Prints figures; asserts nothing.
//
//   npm run build:ts && node bench/tcp.cjs [messages] [rate]
//
// Three processes: the service (this one, Emulator.start({ port: 0 })), a receiver and a sender
// (children, each an RtmClient over rtm://127.0.0.1:PORT). Throughput: the sender sends
// `messages` peer messages (at most 2 000 unanswered) as fast as it can; the receiver counts.
// Latency: `rate` messages per second paced for 3 s, each carrying its send time
// (performance.timeOrigin + now(), the same clock in every process); the receiver reports p50 /
// p99 of arrival − send. Then, when redis-server and redis-benchmark are installed (Debian's
// redis-server), a Redis on a free port and `redis-benchmark` PUBLISH with 1 and 50 clients.
'use strict';
const { spawn, spawnSync, execFileSync } = require("node:child_process");
const net = require('node:net');

const APP_ID = '0123456789abcdef0123456789abcdef';
const now = () => performance.timeOrigin + performance.now();

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function child(role, url, args) {
  const { default: AgoraRTM } = require('../dist/index.js');
  const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: url });
  await client.login({ uid: role });
  if (role === 'receiver') {
    let count = 0;
    let latencies = [];
    client.on('MessageFromPeer', (message) => {
      const text = message.text;
      if (text === 'reset') {
        count = 0;
        latencies = [];
        return;
      }
      if (text === 'report') {
        latencies.sort((a, b) => a - b);
        process.send({ count, p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length });
        return;
      }
      count += 1;
      if (text.startsWith('t')) latencies.push(now() - Number(text.slice(1)));
      if (count === Number(args.expect)) process.send({ done: count });
    });
  } else {
    const send = (text) => client.sendMessageToPeer({ text }, 'receiver');
    process.on('message', async (cmd) => {
      if (cmd.op === 'burst') {
        const started = now();
        let inFlight = 0;
        let sent = 0;
        await new Promise((resolve) => {
          const pump = () => {
            while (inFlight < 2000 && sent < cmd.count) {
              inFlight += 1;
              sent += 1;
              send(`m${sent}`).then(
                () => {
                  inFlight -= 1;
                  if (sent === cmd.count && inFlight === 0) resolve();
                  else pump();
                },
                () => {
                  inFlight -= 1;
                  pump();
                },
              );
            }
          };
          pump();
        });
        process.send({ burstMs: now() - started });
      } else if (cmd.op === 'paced') {
        const interval = 1000 / cmd.rate;
        const start = now();
        for (let i = 0; i < cmd.rate * cmd.seconds; i++) {
          const due = start + i * interval;
          while (now() < due) await new Promise((r) => setImmediate(r));
          send(`t${now()}`).catch(() => {});
        }
        process.send({ pacedDone: true });
      } else if (cmd.op === 'text') {
        await send(cmd.text);
        process.send({ sentText: cmd.text });
      }
    });
  }
  process.send({ ready: role });
}

function fork(role, url, extra = {}) {
  const c = spawn(process.execPath, [__filename, 'child', role, url, JSON.stringify(extra)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = [];
  c.on('message', (m) => {
    const i = waiters.findIndex((w) => w.match(m));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
  });
  c.next = (match) => new Promise((resolve) => waiters.push({ match, resolve }));
  return c;
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

async function redisFigures() {
  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  if (!has('redis-server') || !has('redis-benchmark')) return 'redis-server / redis-benchmark not installed (apt-get install redis-server)';
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const out = [];
  try {
    for (const clients of [1, 50]) {
      const text = execFileSync('redis-benchmark', ['-p', String(port), '-n', '200000', '-c', String(clients), '-q', 'PUBLISH', 'ch', 'm12345'], {
        encoding: 'utf8',
      });
      const m = /([\d.]+) requests per second(?:, p50=([\d.]+) msec)?/.exec(text);
      out.push(`redis PUBLISH, ${clients} client(s): ${m ? Math.round(Number(m[1])) : '?'} req/s${m && m[2] ? `, p50 ${m[2]} ms` : ''}`);
    }
  } finally {
    server.kill('SIGTERM');
  }
  return out.join('\n');
}

async function main() {
  const count = Number(process.argv[2] ?? 100_000);
  const rate = Number(process.argv[3] ?? 10_000);
  const { Emulator } = require('../dist/emulator.js');
  const emu = await Emulator.start({ port: 0, limits: { profile: 'unlimited' } });
  const receiver = fork('receiver', emu.url, { expect: count });
  await receiver.next((m) => m.ready);
  const sender = fork('sender', emu.url);
  await sender.next((m) => m.ready);

  const lines = [`emulator over TCP (${emu.url}), 3 processes, ${require('node:os').loadavg()[0].toFixed(2)} load at start`];
  const done = receiver.next((m) => m.done);
  sender.send({ op: 'burst', count });
  const { burstMs } = await sender.next((m) => m.burstMs !== undefined);
  await done;
  lines.push(`peer messages, sender → receiver: ${count} in ${burstMs.toFixed(0)} ms = ${Math.round((count / burstMs) * 1000)} msg/s (all answered RECEIVED or failed, all received)`);

  sender.send({ op: 'text', text: 'reset' });
  await sender.next((m) => m.sentText === 'reset');
  sender.send({ op: 'paced', rate, seconds: 3 });
  await sender.next((m) => m.pacedDone);
  await new Promise((r) => setTimeout(r, 500));
  sender.send({ op: 'text', text: 'report' });
  const report = await receiver.next((m) => m.p50 !== undefined);
  lines.push(`latency at ${rate} msg/s paced, sender process → receiver's listener: p50 ${report.p50.toFixed(3)} ms, p99 ${report.p99.toFixed(3)} ms (${report.samples} samples)`);
  const st = emu.tcpStats();
  lines.push(`service: ${st.framesIn} frames in, ${st.framesOut} out, ${(st.bytesIn / 1e6).toFixed(1)} MB in, ${(st.bytesOut / 1e6).toFixed(1)} MB out`);
  receiver.kill();
  sender.kill();
  await emu.stop();
  lines.push(await redisFigures());
  console.log(lines.join('\n'));
  process.exit(0);
}

if (process.argv[2] === 'child') {
  child(process.argv[3], process.argv[4], JSON.parse(process.argv[5] ?? '{}')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
