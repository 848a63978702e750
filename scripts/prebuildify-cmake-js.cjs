#!/usr/bin/env node
// prebuildify only knows node-gyp; it calls this in node-gyp's place. Its --target/--devdir mean a
// Node version and a headers dir, which a Node-API build does not need, and cmake-js would read
// --target as a CMake target, so only --arch and --debug are passed on.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const args = ['rebuild'];
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--arch=')) args.push('--arch', arg.slice('--arch='.length));
  else if (arg === '--debug') args.push('--debug');
}
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cmakeJs, ...args], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
