// Testing your own code against the emulator with Node's built-in test runner:
//   node --test examples/node-test.test.mjs
// Each test gets its own emulated service (withEmulator): isolated users, channels and limits,
// released and stopped when the test ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uniqueId, waitForEvent, withEmulator } from 'agora-rtm-node/testing';

/** The code under test: a bot that greets everyone who writes to it. */
async function startGreeter(client) {
  client.on('MessageFromPeer', (message, peerId) => {
    void client.sendMessageToPeer({ text: `hello, ${peerId}` }, peerId).catch(() => {});
  });
  await client.login({ uid: 'greeter' });
}

test('the greeter answers a peer message', () =>
  withEmulator(async (emulator, { createClient }) => {
    await startGreeter(createClient());
    const user = createClient();
    const uid = uniqueId('user');
    await user.login({ uid });
    const reply = waitForEvent(user, 'MessageFromPeer');
    await user.sendMessageToPeer({ text: 'hi' }, 'greeter');
    const [message, from] = await reply;
    assert.equal(from, 'greeter');
    assert.equal(message.text, `hello, ${uid}`);
    assert.deepEqual(emulator.users().sort(), ['greeter', uid].sort());
  }));

test('a peer who is not logged in is reported as not received', () =>
  withEmulator(async (_emulator, { createClient }) => {
    const user = createClient();
    await user.login({ uid: uniqueId('user') });
    const { hasPeerReceived } = await user.sendMessageToPeer({ text: 'anyone?' }, 'nobody');
    assert.equal(hasPeerReceived, false);
  }));
