#!/usr/bin/env node
// prebuildify only knows node-gyp; it calls this in node-gyp's place, in the directory it builds.
// Its --target/--devdir mean a Node version and a headers dir, which a Node-API build does not
// need, and cmake-js would read --target as a CMake target, so only --arch and --debug count.
// With RTM_BUILD_ROOT (scripts/build-prebuilds.sh) the directory lies inside that build root and
// CMake runs there under chroot, with cmake-js's own definitions; otherwise cmake-js builds here.
'use strict';
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const path = require('node:path');

const debug = process.argv.includes('--debug');
const arch = process.argv.find((a) => a.startsWith('--arch='))?.slice('--arch='.length);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const root = process.env.RTM_BUILD_ROOT;
if (!root) {
  const args = ['rebuild', ...(arch ? ['--arch', arch] : []), ...(debug ? ['--debug'] : [])];
  run(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), ...args]);
  process.exit(0);
}

const inside = '/' + path.relative(path.resolve(root), process.cwd());
if (inside.startsWith('/..')) throw new Error(`${process.cwd()} is not inside RTM_BUILD_ROOT ${root}`);
const config = debug ? 'Debug' : 'Release';
rmSync(path.join(process.cwd(), 'build'), { recursive: true, force: true });
run('chroot', [
  root, 'cmake', '-S', inside, '-B', `${inside}/build`,
  '-DCMAKE_JS_VERSION=prebuildify',
  `-DCMAKE_BUILD_TYPE=${config}`,
  `-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=${inside}/build/${config}`,
  `-DCMAKE_JS_INC=${inside}/node_modules/node-api-headers/include;${inside}/node_modules/node-addon-api`,
  '-DCMAKE_CXX_FLAGS=-DBUILDING_NODE_EXTENSION',
  '-DRTM_PORTABLE=ON',
]);
run('chroot', [root, 'cmake', '--build', `${inside}/build`, '--parallel', '2']);
