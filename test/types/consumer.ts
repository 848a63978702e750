// A user's file, type-checked by test/types.test.ts against the built package (dist/ through
// package.json "exports" / "typesVersions") under each moduleResolution a user may have.
import AgoraRTM, { ConnectionState, Emulator as MainEmulator, type RtmClient } from 'agora-rtm-node';
import { Emulator } from 'agora-rtm-node/emulator';
import { TEST_APP_ID, uniqueId, waitForEvent } from 'agora-rtm-node/testing';

export async function usage(): Promise<void> {
  const emu: Emulator = await MainEmulator.start();
  const client: RtmClient = AgoraRTM.createInstance(TEST_APP_ID, { backend: 'emulator', emulator: emu.url });
  await client.login({ uid: uniqueId('u') });
  const [state] = await waitForEvent(client, 'ConnectionStateChanged', { filter: (s) => s === ConnectionState.CONNECTED });
  const s: ConnectionState | number = state;
  void s;
  // @ts-expect-error a misspelled event name does not type-check
  await waitForEvent(client, 'ConnectionStateChange');
  const [message, peerId] = await waitForEvent(client, 'MessageFromPeer');
  const text: string | undefined = message.messageType === 'TEXT' ? message.text : undefined;
  const peer: string = peerId;
  void text;
  void peer;
  await client.release();
  await emu.stop();
}
