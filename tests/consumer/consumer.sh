#!/usr/bin/env bash
# consumer.sh KIND BUILD_DIR SOURCE_DIR CMAKE CC "EXTRA_FLAGS" [CONFIG]
#
# Installs BUILD_DIR into BUILD_DIR/consumer-KIND/prefix and builds a program
# against the installed copy only:
#   KIND=pkgconfig  examples/solve_example.c with cc and pkg-config
#   KIND=cmake      tests/consumer/cmake_project with find_package(techmatch)
# EXTRA_FLAGS go to both compile and link (the sanitizer flags when the
# project itself is sanitized).  Run by ctest; see CMakeLists.txt here.
set -euo pipefail

if (($# < 6)); then
  echo "usage: $0 pkgconfig|cmake BUILD_DIR SOURCE_DIR CMAKE CC EXTRA_FLAGS [CONFIG]" >&2
  exit 2
fi
kind=$1 build=$2 src=$3 cmake=$4 cc=$5 extra=$6 config=${7:-}

work="$build/consumer-$kind"
prefix="$work/prefix"
rm -rf "$work"
mkdir -p "$work"

fail() { echo "consumer.$kind: FAIL: $*" >&2; exit 1; }

# ---- install --------------------------------------------------------------
install_args=(--install "$build" --prefix "$prefix")
[[ -n "$config" ]] && install_args+=(--config "$config")
"$cmake" "${install_args[@]}" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install"; }

[[ -f "$prefix/include/techmatch/techmatch.h" ]] || fail "header not installed"
[[ -f "$prefix/include/techmatch/version.h" ]] || fail "version.h not installed"
libdir=$(dirname "$(find "$prefix" -name 'libtechmatch.so' -print -quit)")
[[ -d "$libdir" && "$libdir" != . ]] || fail "libtechmatch.so not installed"
[[ -f "$libdir/libtechmatch.a" ]] || fail "libtechmatch.a not installed"
[[ -f "$libdir/pkgconfig/techmatch.pc" ]] || fail "techmatch.pc not installed"
[[ -f "$libdir/cmake/techmatch/techmatchConfig.cmake" ]] || fail "CMake package not installed"

# installed data: the bundled example, the documentation, man page, completion
example="$prefix/share/techmatch/examples/jinshui-2011"
for form in sites.csv commissioners.csv programme.ini; do
  cmp -s "$src/seeds/jinshui-2011/$form" "$example/$form" || fail "example $form not installed"
done
for form in sites.xlsx commissioners.xlsx programme.ini; do
  cmp -s "$src/examples/jinshui-2011-xlsx/$form" "$example-xlsx/$form" ||
    fail "example jinshui-2011-xlsx/$form not installed"
done
for doc in "$src"/docs/*.md; do
  cmp -s "$doc" "$prefix/share/doc/techmatch/${doc##*/}" || fail "docs/${doc##*/} not installed"
done
if [[ -d "$src/docs/schema" ]]; then
  diff -r "$src/docs/schema" "$prefix/share/doc/techmatch/schema" >/dev/null ||
    fail "docs/schema not installed"
fi
if [[ -x "$prefix/bin/techmatch" ]]; then
  cmp -s "$src/docs/techmatch.1" "$prefix/share/man/man1/techmatch.1" || fail "man page not installed"
  cmp -s "$src/scripts/techmatch.bash-completion" \
    "$prefix/share/bash-completion/completions/techmatch" || fail "bash completion not installed"
fi

export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The installed copy only: no build-tree paths may leak in.
unset CPATH C_INCLUDE_PATH LIBRARY_PATH CMAKE_PREFIX_PATH

# Checks that the output file holds every expected line.
expect() {
  local out=$1; shift
  local line
  for line in "$@"; do
    grep -qxF -- "$line" "$out" || { cat "$out" >&2; fail "missing output line: '$line'"; }
  done
}

# shellcheck disable=SC2086  # EXTRA_FLAGS and pkg-config output are word lists
case "$kind" in
pkgconfig)
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
  pkg-config --exists --print-errors techmatch || fail "pkg-config cannot find techmatch"
  cflags=$(pkg-config --cflags techmatch)
  libs=$(pkg-config --libs techmatch)
  case " $cflags " in *" -I$prefix/include "*) ;; *) fail "Cflags '$cflags' do not point into $prefix";; esac
  case " $libs " in *" -L$libdir "*) ;; *) fail "Libs '$libs' do not point into $libdir";; esac
  echo "pkg-config: cflags=$cflags libs=$libs"

  "$cc" -std=c11 -Wall -Wextra -Werror $extra $cflags \
    -o "$work/solve_example" "$src/examples/solve_example.c" $libs ||
    fail "compiling examples/solve_example.c"
  "$work/solve_example" >"$work/out.txt" || { cat "$work/out.txt" >&2; fail "solve_example exited $?"; }
  cat "$work/out.txt"
  expect "$work/out.txt" "3 pairs, 5 proposals" "  c1 -> food-lab" "  c2 -> food-lab" \
    "  c4 -> village" "  c3 unmatched" "  clinic unmatched" "stable: yes"
  # the installed command runs from the prefix without LD_LIBRARY_PATH (RUNPATH)
  if [[ -x "$prefix/bin/techmatch" ]]; then
    env -u LD_LIBRARY_PATH "$prefix/bin/techmatch" solve "$src/examples/market.json" \
      >"$work/cli.json" || fail "installed bin/techmatch solve examples/market.json"
    grep -qE '"stable" *: *true' "$work/cli.json" ||
      { cat "$work/cli.json" >&2; fail "installed bin/techmatch: no \"stable\": true"; }
  fi
  # the installed `techmatch run` without DIR, from an empty directory outside
  # the source tree, reads the installed example -- and only it: with the
  # example moved away it fails, naming where it looked, and never falls back
  # to the source tree (which still has seeds/jinshui-2011).
  if [[ -x "$prefix/bin/techmatch" ]]; then
    mkdir "$work/empty"
    (cd "$work/empty" && env -u LD_LIBRARY_PATH "$prefix/bin/techmatch" run --print --out "$work/run-out" \
      >"$work/run.md" 2>"$work/run.err") || { cat "$work/run.err" >&2; fail "installed run without DIR"; }
    for site in 郑州华信物联网科技有限公司 河南中原数码科技有限公司; do
      grep -qF "$site" "$work/run.md" || { cat "$work/run.md" >&2; fail "report does not name the seed's $site"; }
    done
    [[ -f "$work/run-out/assignments.csv" ]] || fail "installed run wrote no assignments.csv"
    [[ -z "$(ls -A "$work/empty")" ]] || fail "installed run wrote into the current directory"
    (cd "$work/empty" && env -u LD_LIBRARY_PATH "$prefix/bin/techmatch" explain \
      郑州华信物联网科技有限公司 >"$work/explain.txt" 2>&1) ||
      { cat "$work/explain.txt" >&2; fail "installed explain without DIR"; }
    mv "$prefix/share/techmatch/examples" "$prefix/share/techmatch/examples.off"
    rc=0
    (cd "$work/empty" && env -u LD_LIBRARY_PATH "$prefix/bin/techmatch" run --out "$work/run-out2" \
      >/dev/null 2>"$work/run2.err") || rc=$?
    mv "$prefix/share/techmatch/examples.off" "$prefix/share/techmatch/examples"
    [[ $rc == 2 ]] || { cat "$work/run2.err" >&2; fail "installed run without its example exited $rc, not 2"; }
    grep -qF "$prefix/share/techmatch/examples/jinshui-2011" "$work/run2.err" ||
      { cat "$work/run2.err" >&2; fail "the message does not name the installed example's place"; }
    if grep -qF "$src/seeds" "$work/run2.err"; then
      cat "$work/run2.err" >&2; fail "the installed run looked in the source tree"
    fi
  fi
  # the example must have used the installed library, not the build tree's
  if command -v ldd >/dev/null; then
    ldd "$work/solve_example" | grep -F "libtechmatch.so" | grep -qF "$libdir/" ||
      { ldd "$work/solve_example" >&2; fail "solve_example does not load $libdir/libtechmatch.so"; }
  fi
  ;;
cmake)
  "$cmake" -S "$src/tests/consumer/cmake_project" -B "$work/build" \
    -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_C_FLAGS="$extra" \
    -DCMAKE_EXE_LINKER_FLAGS="$extra" \
    -DCMAKE_BUILD_TYPE=Debug >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; fail "configuring the consumer project"; }
  grep -F "techmatch_DIR" "$work/build/CMakeCache.txt" | grep -qF "$prefix/" ||
    { grep -F techmatch_DIR "$work/build/CMakeCache.txt" >&2; fail "find_package did not find the installed copy"; }
  "$cmake" --build "$work/build" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "building the consumer project"; }
  for app in app app_static; do
    "$work/build/$app" "$src/examples/market.json" >"$work/$app.txt" ||
      { cat "$work/$app.txt" >&2; fail "$app exited non-zero"; }
    cat "$work/$app.txt"
    expect "$work/$app.txt" "pairs: 11" "c6 -> 庙李村" "张教授团队 -> 金水科技园" \
      "unmatched supply: c5" "stable: yes"
  done
  ;;
*)
  echo "unknown kind '$kind'" >&2
  exit 2
  ;;
esac
echo "consumer.$kind: OK"
