// A channel moderator: it sets the channel's topic as a channel attribute, watches the messages,
// and answers one that breaks the rule with a warning in the channel and a warnings counter in
// the channel's attributes, which every member is told about.
//   node examples/channel-moderator.js
'use strict';
const { default: AgoraRTM } = require('..');

const APP_ID = '0123456789abcdef0123456789abcdef';
const CHANNEL = 'lobby';

async function main() {
  const moderator = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  await moderator.login({ uid: 'moderator' });
  const modChannel = moderator.createChannel(CHANNEL);
  await modChannel.join();
  await moderator.setChannelAttributes(CHANNEL, { topic: 'be nice' }, { enableNotificationToChannelMembers: true });

  let warnings = 0;
  const handled = [];
  modChannel.on('ChannelMessage', (message, memberId) => {
    handled.push(
      (async () => {
        if (message.messageType !== 'TEXT' || !/spam/i.test(message.text)) return;
        warnings += 1;
        await modChannel.sendMessage({ text: `${memberId}: no spam, please (warning ${warnings})` });
        await moderator.addOrUpdateChannelAttributes(
          CHANNEL,
          { warnings: String(warnings) },
          { enableNotificationToChannelMembers: true },
        );
      })(),
    );
  });

  const user = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  await user.login({ uid: 'user-1' });
  const channel = user.createChannel(CHANNEL);
  const attributes = await user.getChannelAttributes(CHANNEL);
  console.log(`topic: ${attributes.topic.value} (set by ${attributes.topic.lastUpdateUserId})`);
  await channel.join();
  const warned = new Promise((resolve) =>
    channel.on('ChannelMessage', (message, memberId) => {
      console.log(`${memberId} says: ${message.text}`);
      resolve();
    }),
  );
  const counted = new Promise((resolve) =>
    channel.on('AttributesUpdated', (attrs) => {
      if (attrs.warnings) {
        console.log(`warnings in ${CHANNEL}: ${attrs.warnings.value}`);
        resolve();
      }
    }),
  );
  await channel.sendMessage({ text: 'hello everyone' });
  await channel.sendMessage({ text: 'buy SPAM now' });
  await Promise.all([warned, counted]);
  await Promise.all(handled);
  console.log('members:', (await modChannel.getMembers()).sort().join(', '));
  await Promise.all([user.release(), moderator.release()]);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
