// Integration-test helpers: started in-process emulators, clients of them, recorders of events.
// Every emulator and client made here is released by cleanup() (call it in afterEach/afterAll).
import AgoraRTM, {
  type PeerOnlineState,
  type ReceivedMessageProperties,
  type ReceivedRtmMessage,
  type RtmClient,
} from '../../lib/index';
import { Emulator, type EmulatorLimits } from '../../lib/emulator';
import { uniqueId } from '../../lib/testing';

export const APP_ID = '0123456789abcdef0123456789abcdef';

const emulators: Emulator[] = [];
const clients: RtmClient[] = [];

/**
 * The transport the suites run on: 'inproc' (default) or 'tcp' (RTM_TEST_TRANSPORT=tcp, `npm run
 * test:tcp`): every emulator is then also served on a loopback port and every client reaches it
 * through its rtm:// url, so the same scenarios cover both.
 */
export const TRANSPORT: 'inproc' | 'tcp' = process.env.RTM_TEST_TRANSPORT === 'tcp' ? 'tcp' : 'inproc';

export async function startEmulator(limits?: EmulatorLimits): Promise<Emulator> {
  const emu = await Emulator.start({ ...(limits === undefined ? {} : { limits }), ...(TRANSPORT === 'tcp' ? { port: 0 } : {}) });
  if (TRANSPORT === 'tcp' && !emu.url.startsWith('rtm://')) throw new Error(`expected a TCP emulator, got ${emu.url}`);
  emulators.push(emu);
  return emu;
}

export function clientOf(emu: Emulator, options: Parameters<typeof AgoraRTM.createInstance>[1] = {}): RtmClient {
  const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', emulator: emu.url, ...options });
  clients.push(client);
  return client;
}

/** A client of `emu` logged in as a fresh uid. */
export async function loggedIn(emu: Emulator, prefix = 'u'): Promise<{ client: RtmClient; uid: string }> {
  const client = clientOf(emu);
  const uid = uniqueId(prefix);
  await client.login({ uid });
  return { client, uid };
}

/** Releases every client, then stops every emulator made by these helpers. */
export async function cleanup(): Promise<void> {
  // Over TCP, every client that logged in did so through the socket: its frames were counted.
  if (TRANSPORT === 'tcp') {
    for (const emu of emulators) {
      if (emu.users().length > 0 && (emu.tcpStats()?.framesIn ?? 0) === 0) throw new Error(`${emu.url}: no TCP traffic`);
    }
  }
  await Promise.allSettled(clients.splice(0).map((c) => c.release()));
  await Promise.allSettled(emulators.splice(0).map((e) => e.stop()));
}

export interface Received {
  message: ReceivedRtmMessage;
  peerId: string;
  props: ReceivedMessageProperties;
}

/** Records every MessageFromPeer of `client`. */
export function recordMessages(client: RtmClient): Received[] {
  const seen: Received[] = [];
  client.on('MessageFromPeer', (message, peerId, props) => seen.push({ message, peerId, props }));
  return seen;
}

/** Records every PeersOnlineStatusChanged of `client`. */
export function recordPresence(client: RtmClient): Record<string, PeerOnlineState | number>[] {
  const seen: Record<string, PeerOnlineState | number>[] = [];
  client.on('PeersOnlineStatusChanged', (status) => seen.push(status));
  return seen;
}

/** Waits until `predicate()` holds (polling), failing after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The rejection of `p` (fails when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { code?: number; codeName?: string }> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${String(v)}`);
    },
    (e: unknown) => e as Error,
  );
}

export { uniqueId };
