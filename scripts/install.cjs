#!/usr/bin/env node
// npm's install step. A prebuilt addon that loads here (prebuilds/, or an earlier build/) is used
// as it is; otherwise the addon and the drop-in emulator library are compiled with cmake-js, which
// is said in one plain line (node-gyp-build-test printed a stack trace that read as a failure).
// cmake-js is not a dependency, so an install that finds a prebuild pulls none of the build
// toolchain's packages: it is used where it is installed (our own checkout has it as a dev
// dependency), else fetched from the npm registry for this one compile by `npm exec`.
// Nothing else is downloaded: cmake-js uses the node-addon-api headers and binary.napi_versions.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const CMAKE_JS = 'cmake-js@^8.0.0';
const root = path.resolve(__dirname, '..');
try {
  require('node-gyp-build')(root);
  process.exit(0);
} catch {
  // no prebuilt addon fits: compile below
}

function cmakeJsCommand() {
  try {
    return [process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'compile'], 'cmake-js'];
  } catch {
    // npm sets npm_execpath for lifecycle scripts; run that same npm, not whatever is on PATH.
    const npm = process.env.npm_execpath;
    const exec = ['exec', '--yes', `--package=${CMAKE_JS}`, '--', 'cmake-js', 'compile'];
    return npm ? [process.execPath, [npm, ...exec], CMAKE_JS] : ['npm', exec, CMAKE_JS];
  }
}

const [command, args, builder] = cmakeJsCommand();
console.log(
  `agora-rtm-node: no prebuilt addon for ${process.platform}-${process.arch} loads here; compiling it with ${builder} (needs a C++17 compiler and CMake >= 3.15)`,
);
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
if (result.error) console.error(`agora-rtm-node: could not run ${builder}: ${result.error.message}`);
process.exit(result.status ?? 1);
