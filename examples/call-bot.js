// A call bot: it answers call invitations, accepting those that ask it to join and refusing the
// others with a response. A caller on the in-process emulator sends it two.
//   node examples/call-bot.js
'use strict';
const { default: AgoraRTM } = require('..');

const APP_ID = '0123456789abcdef0123456789abcdef';

function outcome(invitation) {
  return new Promise((resolve) => {
    invitation.once('LocalInvitationAccepted', (response) => resolve(`accepted: ${response}`));
    invitation.once('LocalInvitationRefused', (response) => resolve(`refused: ${response}`));
    invitation.once('LocalInvitationFailure', (reason) => resolve(`failed: ${reason}`));
  });
}

async function main() {
  const bot = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  bot.on('RemoteInvitationReceived', (invitation) => {
    // accept() / refuse() return false if the caller canceled meanwhile; they never throw for that.
    if (invitation.content === 'join me') {
      invitation.response = 'on my way';
      invitation.accept();
    } else {
      invitation.response = 'busy';
      invitation.refuse();
    }
  });
  await bot.login({ uid: 'call-bot' });

  const caller = AgoraRTM.createInstance(APP_ID, { backend: 'emulator' });
  await caller.login({ uid: 'caller' });
  for (const content of ['join me', 'sell me something']) {
    const invitation = caller.createLocalInvitation('call-bot');
    invitation.content = content;
    const done = outcome(invitation);
    invitation.send();
    console.log(`"${content}" → ${await done}`);
  }
  await Promise.all([caller.release(), bot.release()]);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
