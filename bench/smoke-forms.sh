#!/usr/bin/env bash
# bench.smoke.forms: scripts/gen-forms.py and `techmatch run` on its forms at
# a small size, so bench/run-forms.sh cannot rot: the generator is
# deterministic (two calls, the same bytes), its forms read strictly (no bad
# row), and the run fills the quota with a stable matching.
#   smoke-forms.sh TECHMATCH SOURCE_DIR
set -euo pipefail
tm=$1
gen=$2/scripts/gen-forms.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$gen" "$work/a" --commissioners 3000 --sites 600 --seed 7
/usr/bin/python3 "$gen" "$work/b" --commissioners 3000 --sites 600 --seed 7
cmp "$work/a/sites.csv" "$work/b/sites.csv"
cmp "$work/a/commissioners.csv" "$work/b/commissioners.csv"
[[ $(wc -l < "$work/a/commissioners.csv") == 3001 && $(wc -l < "$work/a/sites.csv") == 601 ]]
"$tm" run "$work/a" --out "$work/out" --quota 500 > "$work/summary.txt"
grep -qx "Applicants: 3000 ([0-9]* eligible)" "$work/summary.txt"
grep -qx "Sent: 500 of a quota of 500 commissioners or teams" "$work/summary.txt"
grep -qx "Stable: yes" "$work/summary.txt"
echo "bench.smoke.forms: ok"
