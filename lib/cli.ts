#!/usr/bin/env node
/**
 * `agora-rtm-emulator`: runs an emulated RTM service on a TCP port until SIGINT / SIGTERM.
 *
 * @module agora-rtm-node/cli
 */
import { readFileSync } from 'node:fs';
import { Emulator, type EmulatorLimits, type EmulatorProfile, type EmulatorStartOptions } from './emulator';

const USAGE = `Usage: agora-rtm-emulator [--port N] [--host H] [--app-certificate C] [--profile P]
                          [--limits file.json] [--json]

Runs an emulated Agora RTM service and prints the URL clients use:
  AgoraRTM.createInstance(appId, { backend: 'emulator', emulator: URL })
  or AGORA_RTM_EMULATOR=URL (also read by the drop-in library libagora_rtm_emulator.so).

  --port N              TCP port (default 0: any free port)
  --host H              address to listen on (default 127.0.0.1)
  --app-certificate C   verify 006/007 tokens signed with this App Certificate
  --profile P           limits profile: v1.2 (default), linux-1.4 or unlimited
  --limits FILE         JSON object of limits overrides (see the README's Limits table)
  --json                one JSON object per line (for CI) instead of text
  --help                this text`;

interface CliOptions {
  start: EmulatorStartOptions;
  json: boolean;
}

function fail(message: string): never {
  process.stderr.write(`agora-rtm-emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): CliOptions {
  const start: EmulatorStartOptions = { host: '127.0.0.1', port: 0 };
  let limits: EmulatorLimits = {};
  let profile: EmulatorProfile | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port': {
        const v = value();
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) fail(`--port: expected 0..65535, got ${v}`);
        start.port = Number(v);
        break;
      }
      case '--host':
        start.host = value();
        break;
      case '--app-certificate':
        start.appCertificate = value();
        break;
      case '--profile':
        profile = value() as EmulatorProfile;
        break;
      case '--limits': {
        const file = value();
        try {
          limits = JSON.parse(readFileSync(file, 'utf8')) as EmulatorLimits;
        } catch (err) {
          fail(`--limits ${file}: ${(err as Error).message}`);
        }
        break;
      }
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${arg}`);
    }
  }
  if (profile !== undefined || Object.keys(limits).length > 0) start.limits = { ...limits, ...(profile ? { profile } : {}) };
  return { start, json };
}

function log(json: boolean, event: string, fields: Record<string, unknown>, text: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
}

async function main(): Promise<void> {
  const { start, json } = parseArgs(process.argv.slice(2));
  let emu: Emulator;
  try {
    emu = await Emulator.start(start);
  } catch (err) {
    process.stderr.write(`agora-rtm-emulator: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log(json, 'listening', { url: emu.url }, `agora-rtm-emulator: listening on ${emu.url}\n  AGORA_RTM_EMULATOR=${emu.url}`);

  const live = !json && process.stdout.isTTY === true;
  emu.stats(); // starts the rates' clock
  let lastLine = '';
  const timer = setInterval(() => {
    const st = emu.stats();
    const status = {
      sessions: st.sessions,
      channels: st.channels,
      connections: emu.tcpStats()?.connections ?? 0,
      messagesPerSecond: st.messagesPerSecond,
      bytesPerSecond: st.bytesPerSecond,
    };
    const line =
      `sessions ${status.sessions}  channels ${status.channels}  connections ${status.connections}  ` +
      `msgs/s ${status.messagesPerSecond}  bytes/s ${status.bytesPerSecond}`;
    if (live) {
      process.stdout.write(`\r${line}\u001b[K`);
    } else if (line !== lastLine) {
      // Plain output: a line when something changed, not one per second of silence.
      log(json, 'status', status, line);
    }
    lastLine = line;
  }, 1000);

  const shutdown = (signal: string): void => {
    clearInterval(timer);
    if (live) process.stdout.write('\n');
    void emu.stop().then(() => {
      log(json, 'stopped', { signal }, `agora-rtm-emulator: stopped (${signal})`);
      process.exit(0);
    });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
