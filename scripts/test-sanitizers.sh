#!/usr/bin/env bash
# Runs the whole suite with the addon, the emulator and the native test programs built with
# AddressSanitizer + UndefinedBehaviorSanitizer, in a scratch copy so build/ is left alone.
# Node itself is not instrumented, so leak detection is off for the Node runs and on for the
# native programs. Any sanitizer report fails the run. Last, a short run of the libFuzzer targets
# (test/libfuzzer/run.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work")
ln -s "$root/node_modules" "$work/node_modules"
cd "$work"
npx cmake-js build --CDRTM_SANITIZE=ON --CDRTM_BUILD_TESTS=ON
npm run build:ts
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
log="$work/sanitized.log"
status=0
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 RTM_TEST_TIME_SCALE=3 \
  npx vitest run --testTimeout=120000 2>&1 | tee "$log" || status=$?
for program in abi_check emulator_semantics channel_semantics invitation_semantics callback_pool_check pipeline_check containers_check token_check dropin_login; do
  ASAN_OPTIONS=detect_leaks=1 LD_LIBRARY_PATH=build/Release "build/Release/$program" 2>&1 | tail -n 3 | tee -a "$log" || status=$?
done
# libFuzzer (test/libfuzzer): the emulator's parsers and the local argument checks of its C++
# interface, built with clang (installed from Debian's archive when missing, as root), each target
# run for 20 s over a scratch copy of its corpus. Any crash, sanitizer report or failed check
# fails the run; the reproducers are kept in build-libfuzzer-crashes/ of the repository.
RTM_FUZZ_CRASH_DIR="$root/build-libfuzzer-crashes" bash test/libfuzzer/run.sh 20 "$work/build-libfuzzer" 2>&1 |
  tee -a "$log" || status=$?
if grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error" "$log"; then
  echo "sanitizer reports found"
  status=1
fi
exit "$status"
