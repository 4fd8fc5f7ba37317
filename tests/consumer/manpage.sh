#!/usr/bin/env bash
# manpage.sh TECHMATCH SOURCE_DIR
#
# docs/techmatch.1 renders without a warning (groff -man -ww, man -l) and
# names every long option each command's --help lists, so the page cannot
# fall behind the tool.  Exits 77 (skipped) without groff.  Run by ctest.
set -euo pipefail
bin=$1 src=$2
page="$src/docs/techmatch.1"
fail() { echo "consumer.manpage: FAIL: $*" >&2; exit 1; }

command -v groff >/dev/null || { echo "groff not installed: skipped"; exit 77; }
export LC_ALL=C.UTF-8
err=$(groff -man -ww -z -Tutf8 "$page" 2>&1) || fail "groff exited non-zero: $err"
[[ -z "$err" ]] || fail "groff warns: $err"
if command -v man >/dev/null; then
  out=$(MANWIDTH=80 man -l "$page" 2>"${TMPDIR:-/tmp}/manpage.$$.err") || fail "man -l failed"
  err=$(cat "${TMPDIR:-/tmp}/manpage.$$.err"); rm -f "${TMPDIR:-/tmp}/manpage.$$.err"
  [[ -z "$err" ]] || fail "man -l warns: $err"
  for section in NAME SYNOPSIS COMMANDS OPTIONS "EXIT STATUS" FILES; do
    grep -qx "$section" <<<"$out" || fail "rendered page lacks section $section"
  done
fi

# every long option of every command, as the roff source spells it (\-\-name)
for cmd in run solve check explain run-many sweep; do
  opts=$("$bin" "$cmd" --help | grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+')
  [[ -n "$opts" ]] || fail "no options read from 'techmatch $cmd --help'"
  for opt in $opts; do
    grep -qF -- "${opt//-/\\-}" "$page" || fail "the man page does not name $cmd's $opt"
  done
done
for code in 0 1 2 3; do
  grep -qx "\.B $code" "$page" || fail "exit status $code not described"
done
echo "consumer.manpage: OK"
