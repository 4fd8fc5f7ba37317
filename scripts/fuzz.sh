#!/usr/bin/env bash
# Builds the libFuzzer harnesses (build-fuzz/, clang, ASan + UBSan) and runs
# each for a bounded time, starting from its seed corpus
# (tests/fuzz/corpus/<harness>/, never modified: new inputs go to a scratch
# corpus).  Any crash, property violation, leak, timeout or out-of-memory is
# a finding: its input is copied to the findings folder (printed at the end)
# and the script exits 1.  See TESTING.md for reproducing a finding.
#
#   scripts/fuzz.sh [SECONDS_EACH] [HARNESS...]    (default 30 s, every harness)
#
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_OUT (where findings and logs
# go; default build-fuzz/findings), JOBS (nproc), CC (clang).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

ALL=(fuzz_instance_json fuzz_matching_json fuzz_forms_sites fuzz_forms_commissioners
  fuzz_forms_xlsx fuzz_config fuzz_market fuzz_review fuzz_edges fuzz_sweep)

seconds=30
if (($# > 0)) && [[ $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
case "${1:-}" in -h | --help) sed -n '2,12p' "$0"; exit 0 ;; esac
harnesses=("$@")
((${#harnesses[@]})) || harnesses=("${ALL[@]}")
for h in "${harnesses[@]}"; do
  [[ " ${ALL[*]} " == *" $h "* ]] || { echo "fuzz.sh: unknown harness $h (known: ${ALL[*]})" >&2; exit 2; }
done

BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
OUT=${FUZZ_OUT:-$BUILD/findings}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

echo "fuzz.sh: building $BUILD (clang, libFuzzer + ASan + UBSan)"
CC=${CC:-clang} cmake -S "$root" -B "$BUILD" -DTM_BUILD_FUZZ=ON -DTM_BUILD_CLI=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j "$JOBS" >/dev/null

# GLib's slab allocator hides leaks from LeakSanitizer; UBSan reports abort.
export G_SLICE=always-malloc
# Known findings not fixed yet are skipped (tests/fuzz/findings/KNOWN,
# tests/fuzz/lsan.supp); each is listed in tests/fuzz/findings/README.md.
known=$(grep -v '^#' "$root/tests/fuzz/findings/KNOWN" 2>/dev/null | tr -s ' \n' ' ' || true)
export TM_FUZZ_KNOWN=${TM_FUZZ_KNOWN-$known}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
[[ -n "${TM_FUZZ_KNOWN// /}" ]] && echo "fuzz.sh: known findings skipped: $TM_FUZZ_KNOWN"
asan_options=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
for h in "${harnesses[@]}"; do
  bin="$BUILD/tests/fuzz/$h"
  seeds="$root/tests/fuzz/corpus/$h"
  work=$(mktemp -d "${TMPDIR:-/tmp}/tm-fuzz-$h.XXXXXX")
  artifacts="$work/artifacts/"
  mkdir -p "$artifacts"
  dict=()
  [[ -f "$root/tests/fuzz/dict/$h.dict" ]] && dict=(-dict="$root/tests/fuzz/dict/$h.dict")
  log="$OUT/$h.log"
  printf '==== %s: %ss\n' "$h" "$seconds"
  # the JSON harnesses unwind fully on malloc: GLib has no frame pointers
  # and the json-glib suppression matches frames below g_malloc (slower)
  opts=$asan_options
  [[ $h == fuzz_*_json && -z "${ASAN_OPTIONS:-}" ]] && opts+=:fast_unwind_on_malloc=0
  status=0
  ASAN_OPTIONS=$opts "$bin" "$work" "$seeds" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$artifacts" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  found=("$artifacts"*)
  if ((status != 0)) || [[ -e "${found[0]}" ]]; then
    mkdir -p "$OUT/$h"
    cp "$artifacts"* "$OUT/$h/" 2>/dev/null || true
    echo "fuzz.sh: $h FOUND A PROBLEM (exit $status); inputs in $OUT/$h/, log $log:"
    grep -E 'ERROR: |fuzz property violated|runtime error|^  ' "$log" | head -20 || true
    failed+=("$h")
  fi
  rm -rf "$work"
done

if ((${#failed[@]})); then
  echo "fuzz.sh: findings in: ${failed[*]} (see $OUT; reproduce with $BUILD/tests/fuzz/HARNESS FILE)"
  exit 1
fi
echo "fuzz.sh: no findings (${#harnesses[@]} harnesses, ${seconds}s each)"
