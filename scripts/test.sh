#!/usr/bin/env bash
# The full test run (what CI runs after scripts/install-deps.sh):
#   1. build/       RelWithDebInfo, with the benchmark, ctest
#   2. build-asan/  Debug with AddressSanitizer + UBSan, with the benchmark, ctest
#   3. build-tsan/  ThreadSanitizer: the tests labelled threads (threads.concurrent,
#      core.market_workers)
#   4. build-fuzz/  the libFuzzer harnesses, FUZZ_SECONDS (30) each, from their
#      seed corpora (scripts/fuzz.sh); any finding fails
#   5. the techmatch command under valgrind (solve examples/market.json, run); any
#      definite or indirect leak or memory error fails
#   6. static analysis: cppcheck and clang-tidy over src/ (scripts/analyse.sh in
#      build-analyse/); any finding fails
# (ctest includes the consumer tests against a fresh install, small
# benchmark runs with a stability check, bench.smoke.*, and -- in build/ only,
# where the bindings are built -- the Python tier python.*: pytest, the
# notebook, the README's Python blocks and the venv install.)
#
#   scripts/test.sh [--no-asan] [--no-tsan] [--no-fuzz] [--no-valgrind] [--no-analyse]
# Environment: BUILD_DIR (build), ASAN_BUILD_DIR (build-asan), TSAN_BUILD_DIR
# (build-tsan), FUZZ_BUILD_DIR (build-fuzz), FUZZ_SECONDS (30 per harness),
# JOBS (nproc), CMAKE_ARGS (extra configure arguments for the ctest builds).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

asan=1 tsan=1 fuzz=1 valgrind=1 analyse=1
for arg in "$@"; do
  case "$arg" in
  --no-asan) asan=0 ;;
  --no-tsan) tsan=0 ;;
  --no-fuzz) fuzz=0 ;;
  --no-valgrind) valgrind=0 ;;
  --no-analyse) analyse=0 ;;
  -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
  *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
TSAN_BUILD_DIR=${TSAN_BUILD_DIR:-build-tsan}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
read -r -a extra <<<"${CMAKE_ARGS:-}"
# Python (bindings) is always Debian's interpreter, never the first on PATH.
export PYTHON=/usr/bin/python3

step() { printf '\n==== %s  [%ds]\n' "$*" "$SECONDS"; }

step "configure + build $BUILD_DIR (RelWithDebInfo, bench on)"
cmake -S "$root" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTM_BUILD_BENCH=ON \
  "${extra[@]}"
cmake --build "$BUILD_DIR" -j "$JOBS"

step "ctest $BUILD_DIR"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS"

if ((asan)); then
  step "configure + build $ASAN_BUILD_DIR (Debug, ASan + UBSan)"
  cmake -S "$root" -B "$ASAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DTM_SANITIZE=ON -DTM_BUILD_BENCH=ON \
    "${extra[@]}"
  cmake --build "$ASAN_BUILD_DIR" -j "$JOBS"
  step "ctest $ASAN_BUILD_DIR"
  ctest --test-dir "$ASAN_BUILD_DIR" --output-on-failure -j "$JOBS"
fi

if ((tsan)); then
  step "configure + build $TSAN_BUILD_DIR (ThreadSanitizer, the concurrency test)"
  cmake -S "$root" -B "$TSAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTM_SANITIZE_THREAD=ON \
    -DTM_BUILD_CLI=OFF "${extra[@]}"
  cmake --build "$TSAN_BUILD_DIR" -j "$JOBS" --target test_threads test_market_workers
  step "ctest $TSAN_BUILD_DIR -L threads (TSan)"
  # GLib's slab allocator recycles memory TSan cannot follow: plain malloc
  G_SLICE=always-malloc TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} \
    ctest --test-dir "$TSAN_BUILD_DIR" -L threads --output-on-failure
fi

if ((fuzz)); then
  step "fuzz: every harness ${FUZZ_SECONDS}s (scripts/fuzz.sh)"
  FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz} JOBS=$JOBS scripts/fuzz.sh "$FUZZ_SECONDS"
fi

if ((valgrind)); then
  step "valgrind: techmatch solve examples/market.json"
  valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
    "$BUILD_DIR/src/techmatch" solve examples/market.json
  step "valgrind: techmatch run (the Jinshui example)"
  vg_out=$(mktemp -d)
  valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
    "$BUILD_DIR/src/techmatch" run --out "$vg_out" >/dev/null
  rm -rf "$vg_out"
fi

if ((analyse)); then
  step "static analysis (scripts/analyse.sh: cppcheck + clang-tidy)"
  JOBS=$JOBS scripts/analyse.sh build-analyse
fi

step "all tests passed"
