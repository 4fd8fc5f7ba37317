#!/usr/bin/env bash
# forms.xlsx_cli: the .xlsx copy of the seed (examples/jinshui-2011-xlsx,
# scripts/forms-xlsx.py) gives `techmatch run` exactly the result of the CSV
# forms: the same assignments.csv, assignments.json and report.md bytes (none
# of them names the input files), the same agreements; and a CSV beside a
# workbook of the same form is refused, naming both.
# Usage: xlsx_cli.sh TECHMATCH SEED_DIR XLSX_DIR
set -u
tm=$1 seed=$2 xlsx=$3
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmp -s "$seed/programme.ini" "$xlsx/programme.ini" ||
  { echo "FAIL: $xlsx/programme.ini differs from the seed's (rerun scripts/forms-xlsx.py)"; fail=1; }
"$tm" run "$seed" --out "$work/csv" >"$work/csv.md" 2>"$work/csv.err" ||
  { echo "FAIL: run on the CSV forms: $(cat "$work/csv.err")"; exit 1; }
"$tm" run "$xlsx" --out "$work/xlsx" >"$work/xlsx.md" 2>"$work/xlsx.err" ||
  { echo "FAIL: run on the .xlsx forms: $(cat "$work/xlsx.err")"; exit 1; }
for f in assignments.csv assignments.json report.md; do
  cmp "$work/csv/$f" "$work/xlsx/$f" || { echo "FAIL: $f differs"; diff "$work/csv/$f" "$work/xlsx/$f" | head -20; fail=1; }
done
diff -r "$work/csv/agreements" "$work/xlsx/agreements" >/dev/null ||
  { echo "FAIL: the agreements differ"; fail=1; }
[[ -s "$work/csv/assignments.csv" && $(wc -l <"$work/csv/assignments.csv") -gt 10 ]] ||
  { echo "FAIL: too few assignments to compare"; fail=1; }
# no warning either way (one sheet per workbook)
[[ ! -s "$work/xlsx.err" ]] || { echo "FAIL: stderr on the .xlsx run: $(cat "$work/xlsx.err")"; fail=1; }

# both a CSV and a workbook of one form: refused, naming both
mkdir "$work/both"
cp "$xlsx"/*.xlsx "$xlsx/programme.ini" "$work/both/"
cp "$seed/sites.csv" "$work/both/"
"$tm" run "$work/both" --out "$work/both-out" >"$work/both.out" 2>"$work/both.err"
rc=$?
if [[ $rc == 0 ]] || ! grep -q "sites.csv and .*sites.xlsx exist" "$work/both.err"; then
  echo "FAIL both: exit $rc, stderr: $(cat "$work/both.err")"; fail=1
fi
[[ ! -e "$work/both-out" ]] || { echo "FAIL both: wrote $work/both-out"; fail=1; }
exit $fail
