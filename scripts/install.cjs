#!/usr/bin/env node
// npm's install step. A prebuilt addon that loads here (prebuilds/, or an earlier build/) is used
// as it is; otherwise the addon and the drop-in emulator library are compiled with cmake-js, which
// is said in one plain line (node-gyp-build-test printed a stack trace that read as a failure).
// Nothing is downloaded: cmake-js uses the node-addon-api headers and binary.napi_versions.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
try {
  require('node-gyp-build')(root);
  process.exit(0);
} catch {
  // no prebuilt addon fits: compile below
}
console.log(
  `agora-rtm-node: no prebuilt addon for ${process.platform}-${process.arch} loads here; compiling it with cmake-js (needs a C++17 compiler and CMake >= 3.15)`,
);
const result = spawnSync(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'compile'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
