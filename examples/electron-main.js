// An Electron main process that owns the RTM client and serves its renderers over IPC. Not run
// by this repository's suite: Electron cannot be installed where this package is built.
//   npx electron examples/electron-main.js     (AGORA_APP_ID, and the SDK beside the app)
// Native modules, the SDK and the emulator live in the main process only; a renderer calls
// window.rtm.* through a preload script's contextBridge (see the comment at the end).
'use strict';
const path = require('node:path');
const { app, BrowserWindow, ipcMain } = require('electron');
const { default: AgoraRTM } = require('agora-rtm-node');

// Packaged: the SDK shipped as an extra resource (it must not sit inside app.asar, which dlopen
// cannot read). Unpackaged, AGORA_RTM_SDK_PATH or the emulator are used.
function clientOptions() {
  if (!process.env.AGORA_APP_ID) return { backend: 'emulator' };
  if (app.isPackaged) return { sdkPath: path.join(process.resourcesPath, 'libagora_rtm_sdk.so') };
  return {};
}

let client;
let window;

function forward(channel, ...args) {
  if (window && !window.isDestroyed()) window.webContents.send(channel, ...args);
}

app.whenReady().then(() => {
  client = AgoraRTM.createInstance(process.env.AGORA_APP_ID ?? '0123456789abcdef0123456789abcdef', clientOptions());
  client.on('ConnectionStateChanged', (state, reason) => forward('rtm:state', state, reason));
  // Only plain data crosses IPC: the message's text and its 64-bit id as a string.
  client.on('MessageFromPeer', (message, peerId, properties) =>
    forward('rtm:message', { peerId, text: message.text, messageId: String(properties.messageId) }),
  );

  ipcMain.handle('rtm:login', (_event, uid, token) => client.login({ uid, token }));
  ipcMain.handle('rtm:logout', () => client.logout());
  ipcMain.handle('rtm:send', async (_event, peerId, text) => (await client.sendMessageToPeer({ text }, peerId)).hasPeerReceived);

  window = new BrowserWindow({
    webPreferences: { preload: path.join(__dirname, 'electron-preload.js'), contextIsolation: true, sandbox: true },
  });
  window.loadURL('data:text/html,<h1>agora-rtm-node</h1>');
});

// Release before quitting: the client's threads and connection end, and the process exits.
let released = false;
app.on('before-quit', (event) => {
  if (released || !client) return;
  event.preventDefault();
  client.release().finally(() => {
    released = true;
    app.quit();
  });
});

// electron-preload.js, for the renderer:
//   const { contextBridge, ipcRenderer } = require('electron');
//   contextBridge.exposeInMainWorld('rtm', {
//     login: (uid, token) => ipcRenderer.invoke('rtm:login', uid, token),
//     send: (peerId, text) => ipcRenderer.invoke('rtm:send', peerId, text),
//     onMessage: (fn) => ipcRenderer.on('rtm:message', (_e, m) => fn(m)),
//   });
