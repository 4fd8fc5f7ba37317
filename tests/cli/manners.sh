#!/usr/bin/env bash
# cli.manners (issue 11, item 6): "-" for standard input and output in solve
# and check, "--" ending the options, "techmatch help COMMAND".
# Also: run writes a draft agreement per assignment into OUT/agreements/,
# from --agreement-template FILE when given; a bad template writes nothing.
# Usage: manners.sh TECHMATCH DATA_DIR SEED_DIR
set -u
tm=$1 data=$2 seed=$3
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
# agreements: one per row of assignments.csv, the default template's title
check run-agreements "$tm" run "$seed" --out "$work/run"
rows=$(($(wc -l < "$work/run/assignments.csv") - 1))
drafts=$(ls "$work/run/agreements" | wc -l)
[[ $rows -gt 0 && $rows == "$drafts" ]] || { echo "FAIL run-agreements: $rows rows, $drafts drafts"; fail=1; }
grep -q "合作协议" "$work/run/agreements/001-"* || { echo "FAIL run-agreements: no title"; fail=1; }
printf '{{number}}: {{commissioner}} @ {{site}}\n' > "$work/tmpl.md"
check run-template "$tm" run "$seed" --out "$work/run" --agreement-template "$work/tmpl.md"
grep -q '^001: .* @ ' "$work/run/agreements/001-"* || { echo "FAIL run-template: not filled"; fail=1; }
printf 'x\n{{nope}}\n' > "$work/bad.md"
refuse run-bad-template "bad.md:2:1: unknown placeholder {{nope}}" \
  "$tm" run "$seed" --out "$work/run2" --agreement-template "$work/bad.md"
[[ ! -e $work/run2 ]] || { echo "FAIL run-bad-template: wrote $work/run2"; fail=1; }
exit $fail
