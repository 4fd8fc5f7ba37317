#!/usr/bin/env bash
# cli.manners (issue 11, item 6): "-" for standard input and output in solve
# and check, "--" ending the options, "techmatch help COMMAND".
# Usage: manners.sh TECHMATCH DATA_DIR
set -u
tm=$1 data=$2
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { # NAME COMMAND...: the command must succeed
  if ! "${@:2}" >"$work/out" 2>"$work/err"; then
    echo "FAIL $1: exit $? ($(cat "$work/err"))"; fail=1
  fi
}
refuse() { # NAME WANT COMMAND...: the command must fail with exit 2 and WANT on stderr
  "${@:3}" >"$work/out" 2>"$work/err"; rc=$?
  if [[ $rc != 2 ]] || ! grep -qF -- "$2" "$work/err"; then
    echo "FAIL $1: exit $rc, stderr: $(cat "$work/err")"; fail=1
  fi
}
good=$data/good.json
"$tm" solve "$good" --out "$work/want.json" || { echo "FAIL: solve to a file"; exit 1; }
# solve from standard input: the same document
check solve-stdin bash -c "'$tm' solve - < '$good' > '$work/stdin.json'"
cmp -s "$work/want.json" "$work/stdin.json" || { echo "FAIL solve-stdin: documents differ"; fail=1; }
# --out - is standard output
check solve-out-dash bash -c "'$tm' solve '$good' --out - > '$work/dash.json'"
cmp -s "$work/want.json" "$work/dash.json" || { echo "FAIL solve-out-dash: documents differ"; fail=1; }
# check with the matching, then the instance, from standard input
check check-matching-stdin bash -c "'$tm' check '$good' - < '$work/want.json'"
grep -q '"stable" : true' "$work/out" || { echo "FAIL check-matching-stdin: not stable"; fail=1; }
check check-instance-stdin bash -c "'$tm' check - '$work/want.json' < '$good'"
refuse check-both-stdin "only one of INSTANCE.json and MATCHING.json" "$tm" check - -
# a bad document on standard input is named <stdin>
refuse solve-stdin-bad "<stdin>" bash -c "echo '{' | '$tm' solve -"
# "--" ends the options: a file whose name starts with "-"
cp "$good" "$work/-instance.json"
check double-dash bash -c "cd '$work' && '$tm' solve -- -instance.json"
cmp -s "$work/want.json" "$work/out" || { echo "FAIL double-dash: documents differ"; fail=1; }
# techmatch help COMMAND: that command's help
for c in solve check run explain; do
  check "help-$c" "$tm" help "$c"
  grep -q "techmatch $c" "$work/out" || { echo "FAIL help-$c: no usage line"; fail=1; }
done
refuse help-unknown 'unknown command "nope"' "$tm" help nope
exit $fail
