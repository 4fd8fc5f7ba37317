#!/usr/bin/env bash
# expect.sh CHECKER SRC_DIR WANT_STATUS [EXPECTED_FILE]
#
# Runs the layer checker on a fixture tree and fails unless it exits with
# WANT_STATUS and, when EXPECTED_FILE is given, its messages (stderr, the
# summary line excepted) are exactly the lines of EXPECTED_FILE, in order.
# Run by ctest (layers.fixture_good, layers.fixture_bad).
set -euo pipefail
(($# == 3 || $# == 4)) || { echo "usage: $0 CHECKER SRC_DIR WANT_STATUS [EXPECTED_FILE]" >&2; exit 2; }
checker=$1 src=$2 want=$3 expected=${4:-}

out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
status=0
"$checker" "$src" >"$out" 2>"$err" || status=$?
cat "$out" "$err"
if ((status != want)); then
  echo "FAIL: check-layers.sh exited $status, want $want" >&2
  exit 1
fi
if [[ -n "$expected" ]]; then
  if ! diff -u "$expected" <(grep -v '^check-layers: ' "$err"); then
    echo "FAIL: messages differ from $expected" >&2
    exit 1
  fi
fi
echo "ok: status $status${expected:+, messages as in $expected}"
