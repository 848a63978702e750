// Testing your own code against the emulator with jest (CommonJS):
//   npx jest examples/jest.test.cjs
// Each test gets its own emulated service (withEmulator), released and stopped when it ends.
const { uniqueId, withEmulator } = require('agora-rtm-node/testing');

/** The code under test: a receptionist that accepts calls from staff and refuses the others. */
async function startReceptionist(client) {
  client.on('RemoteInvitationReceived', (invitation) => {
    if (invitation.callerId.startsWith('staff')) invitation.accept();
    else {
      invitation.response = 'closed';
      invitation.refuse();
    }
  });
  await client.login({ uid: 'reception' });
}

async function call(client, content) {
  const invitation = client.createLocalInvitation('reception');
  invitation.content = content;
  const answered = new Promise((resolve) => {
    invitation.once('LocalInvitationAccepted', () => resolve('accepted'));
    invitation.once('LocalInvitationRefused', (response) => resolve(`refused: ${response}`));
  });
  invitation.send();
  return answered;
}

test('staff calls are accepted, others refused with a response', () =>
  withEmulator(async (_emulator, { createClient }) => {
    await startReceptionist(createClient());
    const staff = createClient();
    await staff.login({ uid: uniqueId('staff') });
    const visitor = createClient();
    await visitor.login({ uid: uniqueId('visitor') });
    expect(await call(staff, 'meeting')).toBe('accepted');
    expect(await call(visitor, 'hello?')).toBe('refused: closed');
  }));
