// Testing your own code against the emulator with vitest:
//   npx vitest run --config examples/vitest.config.mjs
// Each test gets its own emulated service (withEmulator), so tests may run in parallel; the
// emulator's fault helpers drive what the network would do.
import { expect, test } from 'vitest';
import { ConnectionState } from 'agora-rtm-node';
import { uniqueId, waitForEvent, withEmulator } from 'agora-rtm-node/testing';

/** The code under test: a bot that repeats every channel message in upper case. */
async function startShouter(client, channelId) {
  await client.login({ uid: 'shouter' });
  const channel = client.createChannel(channelId);
  channel.on('ChannelMessage', (message) => {
    if (message.messageType === 'TEXT') void channel.sendMessage({ text: message.text.toUpperCase() }).catch(() => {});
  });
  await channel.join();
  return channel;
}

test('the shouter repeats a channel message in upper case', () =>
  withEmulator(async (_emulator, { createClient }) => {
    const channelId = uniqueId('room');
    await startShouter(createClient(), channelId);
    const user = createClient();
    await user.login({ uid: uniqueId('user') });
    const channel = user.createChannel(channelId);
    await channel.join();
    const reply = waitForEvent(channel, 'ChannelMessage');
    await channel.sendMessage({ text: 'hello' });
    const [message, from] = await reply;
    expect([from, message.text]).toEqual(['shouter', 'HELLO']);
  }));

test('a dropped link is seen as RECONNECTING, and restoring it reconnects', () =>
  withEmulator(
    async (emulator, { createClient }) => {
      const client = createClient();
      const uid = uniqueId('user');
      await client.login({ uid });
      const reconnecting = waitForEvent(client, 'ConnectionStateChanged', { filter: (state) => state === ConnectionState.RECONNECTING });
      emulator.dropConnection(uid);
      expect((await reconnecting)[1]).toBe('INTERRUPTED');
      const connected = waitForEvent(client, 'ConnectionStateChanged', { filter: (state) => state === ConnectionState.CONNECTED });
      emulator.restoreConnection(uid);
      await connected;
    },
    { limits: { interruptedAfterMs: 50 } },
  ));
