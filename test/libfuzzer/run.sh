#!/usr/bin/env bash
# Builds the libFuzzer targets of test/libfuzzer (clang, ASan + UBSan) and runs each one for a
# while over a scratch copy of its corpus, so the corpus in the repository is never modified.
# Fails on any crash, sanitizer report, failed check, leak, timeout (> 5 s for one input) or
# memory blow-up (> 2 GB), and keeps the reproducers in RTM_FUZZ_CRASH_DIR (default
# BUILD_DIR/crashes/).
#
#   test/libfuzzer/run.sh [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 30, BUILD_DIR to build-libfuzzer/ (gitignored), the targets to
# all of them. The targets run side by side, at most RTM_FUZZ_JOBS at a time (default: the number
# of cores). clang comes from Debian's archive: installed when missing if this runs as root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-30}"
build="${2:-$root/build-libfuzzer}"
shift $(($# > 2 ? 2 : $#))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_json fuzz_limits fuzz_service fuzz_token fuzz_wire)
jobs="${RTM_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
crashes="${RTM_FUZZ_CRASH_DIR:-$build/crashes}"

if ! command -v clang++ >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "libfuzzer: clang++ not found; installing clang from Debian's archive"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
  else
    echo "libfuzzer: clang++ not found, and it can only be installed as root with apt-get" \
      "(apt-get install clang); the libFuzzer step cannot run" >&2
    exit 1
  fi
fi

mkdir -p "$build"
if ! { cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER=clang++ &&
       cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)"; } >"$build/build.log" 2>&1; then
  tail -n 40 "$build/build.log"
  echo "libfuzzer: the build failed (log: $build/build.log)" >&2
  exit 1
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

run_target() {
  local target="$1"
  cp -r "$here/corpus/$target" "$scratch/$target-corpus"
  mkdir -p "$scratch/$target-artifacts"
  local dict=()
  [ -f "$here/$target.dict" ] && dict=("-dict=$here/$target.dict")
  "$build/$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$scratch/$target-artifacts/" "$scratch/$target-corpus" \
    >"$scratch/$target.log" 2>&1
}

declare -A pids=()
status=0
finish() {
  local target="$1" rc=0
  wait "${pids[$target]}" || rc=$?
  unset "pids[$target]"
  local summary
  summary="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/$target.log" | tail -n 1 || true)"
  if [ "$rc" -ne 0 ] || grep -qE "ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error|FUZZ_CHECK failed" "$scratch/$target.log"; then
    status=1
    echo "libfuzzer: $target FAILED (exit $rc)"
    grep -E "FUZZ_CHECK failed|^  [^ ]|ERROR:|runtime error|SUMMARY|Test unit written" "$scratch/$target.log" |
      head -n 20 || true
    mkdir -p "$crashes/$target"
    cp "$scratch/$target-artifacts/"* "$crashes/$target/" 2>/dev/null || true
    cp "$scratch/$target.log" "$crashes/$target/" 2>/dev/null || true
    echo "libfuzzer: reproducers and the log are in $crashes/$target/ (replay one: $target FILE;" \
      "minimize: $target -minimize_crash=1 -runs=10000 FILE)"
  else
    echo "libfuzzer: $target ok, ${seconds}s: $(echo "${summary:-no summary}" | tr -s "[:space:]" " ")"
  fi
}

for target in "${targets[@]}"; do
  while [ "${#pids[@]}" -ge "$jobs" ]; do
    # Wait for the oldest running target.
    for running in "${!pids[@]}"; do finish "$running"; break; done
  done
  run_target "$target" &
  pids[$target]=$!
done
for running in "${!pids[@]}"; do finish "$running"; done
exit "$status"
