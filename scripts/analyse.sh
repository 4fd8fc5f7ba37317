#!/usr/bin/env bash
# Static analysis of src/ with the checked-in configurations; fails (exit 1)
# on any finding.  What CI runs (scripts/test.sh, step "static analysis").
#   scripts/analyse.sh [BUILD_DIR]      (default build-analyse; configured here)
#   cppcheck   warning, performance, portability; suppressions in
#              scripts/cppcheck-suppressions.txt (each with its reason)
#   clang-tidy .clang-tidy at the top of the tree, over compile_commands.json
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build-analyse}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
status=0

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_C_COMPILER="${CC:-gcc}" -DTM_BUILD_TESTS=OFF -DTM_BUILD_BENCH=OFF >/dev/null
# version.h is generated at configure time; nothing else needs building

echo "== cppcheck $(cppcheck --version | sed 's/Cppcheck //')"
# GLib's function-like macros that cppcheck cannot see (no system headers):
# defined as what they expand to, near enough for the analysis.
if ! cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
  --enable=warning,performance,portability \
  --suppressions-list=scripts/cppcheck-suppressions.txt \
  -D'G_GNUC_PRINTF(a,b)=' -D'G_GNUC_INTERNAL=' -D'G_BEGIN_DECLS=' -D'G_END_DECLS=' \
  -D'G_STRINGIFY(x)=#x' \
  -I include -I "$build/include" -I src -j "$jobs" src/; then
  echo "cppcheck: findings above" >&2
  status=1
fi

echo "== clang-tidy $(clang-tidy --version | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)"
mapfile -t sources < <(find src -name '*.c' | sort)
if ! printf '%s\n' "${sources[@]}" |
  xargs -P "$jobs" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null; then
  echo "clang-tidy: findings above" >&2
  status=1
fi
((status == 0)) && echo "analyse: clean (${#sources[@]} files)"
exit $status
