// An echo bot: it answers every peer message with the same text. A user on the in-process
// emulator sends it three messages and prints the answers.
//   node examples/echo-bot.js
'use strict';
const { default: AgoraRTM } = require('..');

const APP_ID = '0123456789abcdef0123456789abcdef'; // any 32 characters do for the emulator

async function main() {
  const bot = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  const echoes = []; // the bot's sends: awaited before it is released, which would cut them off
  bot.on('MessageFromPeer', (message, peerId) => {
    const text = message.messageType === 'TEXT' ? message.text : `(${message.rawMessage.length} bytes)`;
    echoes.push(bot.sendMessageToPeer({ text: `echo: ${text}` }, peerId).catch((err) => console.error('echo failed:', err.message)));
  });
  await bot.login({ uid: 'echo-bot' });

  const user = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  await user.login({ uid: 'user-1' });
  const answers = [];
  const allAnswered = new Promise((resolve) =>
    user.on('MessageFromPeer', (message, peerId) => {
      answers.push(`${peerId}: ${message.text}`);
      if (answers.length === 3) resolve();
    }),
  );
  for (const text of ['hello', 'how are you?', 'bye']) {
    const { hasPeerReceived } = await user.sendMessageToPeer({ text }, 'echo-bot');
    console.log(`sent "${text}" (received: ${hasPeerReceived})`);
  }
  await allAnswered;
  await Promise.all(echoes);
  for (const line of answers) console.log(line);
  await Promise.all([user.release(), bot.release()]);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
