import AgoraRTM, { type RtmClient } from '../../lib/index';
import { uniqueId } from '../../lib/testing';

export const APP_ID = '0123456789abcdef0123456789abcdef';

/** Every client a test makes, released after it by releaseAll(). */
const made: RtmClient[] = [];

export function newClient(options: Parameters<typeof AgoraRTM.createInstance>[1] = {}): RtmClient {
  const client = AgoraRTM.createInstance(APP_ID, { backend: 'emulator', ...options });
  made.push(client);
  return client;
}

export async function releaseAll(): Promise<void> {
  await Promise.all(made.splice(0).map((c) => c.release()));
}

/** Records every ConnectionStateChanged as "STATE/REASON". */
export function recordStates(client: RtmClient): string[] {
  const seen: string[] = [];
  client.on('ConnectionStateChanged', (state, reason) => seen.push(`${state}/${reason}`));
  return seen;
}

export { uniqueId };
