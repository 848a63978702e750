#!/usr/bin/env bash
# Builds the native test programs with ThreadSanitizer (-DRTM_TSAN=ON, every emulator source
# instrumented) in build-tsan/ and runs each of them ROUNDS times (races show in some runs only).
# Any ThreadSanitizer report, or a failed run, fails the script; the logs stay in the printed
# directory. Usage: scripts/test-tsan.sh [ROUNDS] [program ...]
# (default: 10 rounds of callback_pool_check, pipeline_check, containers_check, channel_semantics). Not with
# --CDCMAKE_CXX_FLAGS: cmake-js overrides it, and a program only linked with TSan reports races
# that are not there (test/tsan/refcount_handoff.cpp).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-10}"
shift || true
programs=("$@")
[ "${#programs[@]}" -gt 0 ] || programs=(callback_pool_check pipeline_check containers_check channel_semantics)
npx cmake-js configure --out build-tsan --CDRTM_TSAN=ON --CDRTM_BUILD_TESTS=ON >/dev/null || exit 1
cmake --build build-tsan --target "${programs[@]}" -j2 >/dev/null || exit 1
logs="$(mktemp -d)"
status=0
for program in "${programs[@]}"; do
  for ((i = 1; i <= rounds; i++)); do
    TSAN_OPTIONS="log_path=$logs/$program.$i.tsan" "build-tsan/Release/$program" >"$logs/$program.$i.out" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "$program run $i: exit $rc"
      status=1
    fi
  done
done
reports="$(cat "$logs"/*.tsan.* 2>/dev/null | grep -c "WARNING: ThreadSanitizer" || true)"
echo "ThreadSanitizer reports: $reports (logs in $logs)"
[ "$reports" -eq 0 ] || status=1
exit "$status"
