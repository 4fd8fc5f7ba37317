#!/usr/bin/env bash
# The full test run (what CI runs after scripts/install-deps.sh):
#   1. build/       RelWithDebInfo, with the benchmark, ctest
#   2. build-asan/  Debug with AddressSanitizer + UBSan, with the benchmark, ctest
#   3. the techmatch command under valgrind (solve examples/market.json, run); any
#      definite or indirect leak or memory error fails
# (ctest includes the consumer tests against a fresh install and small
# benchmark runs with a stability check, bench.smoke.*.)
#
#   scripts/test.sh [--no-asan] [--no-valgrind]
# Environment: BUILD_DIR (build), ASAN_BUILD_DIR (build-asan), JOBS (nproc),
# CMAKE_ARGS (extra configure arguments for both builds).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

asan=1 valgrind=1
for arg in "$@"; do
  case "$arg" in
  --no-asan) asan=0 ;;
  --no-valgrind) valgrind=0 ;;
  -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

BUILD_DIR=${BUILD_DIR:-build}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
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

step "all tests passed"
