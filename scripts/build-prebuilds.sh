#!/usr/bin/env bash
# `npm run build:prebuilds`: prebuildify the addon and the drop-in emulator library for
# linux-x64 glibc into prebuilds/linux-x64/, compiled inside the Debian bullseye build root
# (scripts/make-build-root.sh) with the C++ runtime linked statically, stripped, libc-tagged.
# The sources are staged inside the root; the checkout's build/ is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${RTM_BUILD_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/agora-rtm-node/bullseye-amd64}
bash scripts/make-build-root.sh "$root"

stage=$root/build-src
rm -rf "$stage"
mkdir -p "$stage/node_modules"
cp -r package.json CMakeLists.txt cmake include binding emulator scripts "$stage/"
cp -r node_modules/node-addon-api node_modules/node-api-headers "$stage/node_modules/"

RTM_BUILD_ROOT=$root node node_modules/prebuildify/bin.js --cwd "$stage" --napi --strip --tag-libc \
  --node-gyp "$PWD/scripts/prebuildify-cmake-js.cjs"

rm -rf prebuilds
cp -r "$stage/prebuilds" prebuilds
ls -l prebuilds/*/
