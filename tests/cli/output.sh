#!/usr/bin/env bash
# cli.output (issue 11): what `techmatch run` prints where, on a terminal and
# off it.  The terminal is a pseudo-terminal from script(1) (util-linux);
# TECHMATCH_PROGRESS_DELAY_MS=0 shows every step's progress line at once, so
# nothing here depends on how fast the machine is.
#   - stderr a terminal: the progress lines ("\rSTEP: ...\033[K", with
#     "NN% ETA M:SS" while selecting) are drawn and erased;
#   - stderr a pipe or a file, or --quiet: never a progress line;
#   - stdout a terminal: a small report is printed whole, the seed's report
#     (over 200 lines) as the summary; stdout a pipe: the summary;
#   - --quiet on a terminal: nothing at all, the files still written.
#   output.sh TECHMATCH SEED_DIR
set -uo pipefail
tm=$1
seed=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
export LC_ALL=C.UTF-8 TECHMATCH_PROGRESS_DELAY_MS=0

bad() { echo "FAIL $1"; fail=1; }
# on_tty NAME CMD...: runs CMD on a pseudo-terminal (stdin, stdout and stderr);
# what the terminal showed goes to $work/NAME.tty, the exit status to $work/NAME.rc
on_tty() {
  local name=$1
  shift
  local cmd
  printf -v cmd '%q ' "$@"
  script -qec "$cmd; echo \"rc=\$?\" > $(printf %q "$work/$name.rc")" /dev/null \
    < /dev/null > "$work/$name.tty" 2>&1
}
has() { grep -qaF -- "$2" "$1"; }

command -v script > /dev/null || { echo "script(1) (util-linux) is missing"; exit 1; }

# 1. everything on a terminal: progress, then the summary (the seed's report
# is 202 lines, more than a terminal is shown whole)
on_tty seed "$tm" run "$seed" --out "$work/o1"
has "$work/seed.rc" "rc=0" || bad "seed on a tty: $(cat "$work/seed.rc")"
for step in "reading the forms: " "selecting: " "writing the report: " "writing the files: "; do
  has "$work/seed.tty" $'\r'"$step" || bad "tty: no progress line for '$step'"
done
grep -qaE $'\rselecting: [0-9]{1,3}% ETA [0-9]+:[0-9]{2}\033\\[K' "$work/seed.tty" ||
  bad "tty: no 'selecting: NN% ETA M:SS' line"
has "$work/seed.tty" $'\r\033[K' || bad "tty: the progress line is never erased"
has "$work/seed.tty" "Assignments: 41" || bad "tty: no summary"
has "$work/seed.tty" "## Stability certificate" && bad "tty: the seed's long report was printed"
[[ -f $work/o1/report.md ]] || bad "tty: no report.md"

# 2. stdout to a file, stderr still the terminal: the summary in the file,
# progress on the terminal only
on_tty redirected bash -c "$(printf '%q ' "$tm" run "$seed" --out "$work/o2") > $work/o2.out"
has "$work/redirected.tty" $'\rselecting: ' || bad "stderr a tty, stdout a file: no progress"
has "$work/o2.out" $'\r' && bad "stdout a file: a carriage return in it"
has "$work/o2.out" "Sent: 30 of a quota of 30 commissioners or teams" ||
  bad "stdout a file: no summary"

# 3. no terminal at all: stderr empty, stdout the summary, no control characters
"$tm" run "$seed" --out "$work/o3" > "$work/o3.out" 2> "$work/o3.err" || bad "pipe: exit $?"
[[ ! -s $work/o3.err ]] || bad "pipe: stderr not empty: $(cat -v "$work/o3.err")"
grep -qaP '[\r\x1b]' "$work/o3.out" && bad "pipe: control characters on stdout"
has "$work/o3.out" "Merit cutoff: 71.0, 罗敏 (the first applicant the quota cuts)" ||
  bad "pipe: no cutoff line"

# 4. --quiet on a terminal: nothing shown, the files written all the same
on_tty quiet "$tm" run "$seed" --out "$work/o4" --quiet
has "$work/quiet.rc" "rc=0" || bad "--quiet: $(cat "$work/quiet.rc")"
[[ ! -s $work/quiet.tty ]] || bad "--quiet on a tty showed: $(cat -v "$work/quiet.tty" | head -3)"
cmp -s "$work/o1/report.md" "$work/o4/report.md" || bad "--quiet: report.md differs"
[[ $(ls "$work/o4/agreements" | wc -l) == 41 ]] || bad "--quiet: not 41 drafts"

# 5. a small report on a terminal is printed whole; on a pipe, the summary
mkdir "$work/small"
printf 'name,kind,sector,capacity,ranked\ns1,high_tech,eit,1,c1\ns2,high_tech,eit,1,c2\n' \
  > "$work/small/sites.csv"
printf 'name,title,unit_kind,unit_support,expertise,merit,wishes\n%s\n%s\n' \
  "c1,senior,university,yes,eit:2,90,s1" "c2,senior,university,yes,eit:2,80,s2" \
  > "$work/small/commissioners.csv"
on_tty small "$tm" run "$work/small" --out "$work/o5" --quota none
has "$work/small.rc" "rc=0" || bad "small: $(cat "$work/small.rc" "$work/small.tty")"
has "$work/small.tty" "## Stability certificate" || bad "small on a tty: not the report"
has "$work/small.tty" "Written to " && bad "small on a tty: the summary instead of the report"
"$tm" run "$work/small" --out "$work/o6" --quota none > "$work/o6.out" 2>&1
has "$work/o6.out" "Written to $work/o6:" || bad "small on a pipe: not the summary"
# --print on a pipe: the report, byte for byte report.md
"$tm" run "$work/small" --out "$work/o7" --quota none --print > "$work/o7.out" 2>&1
cmp -s "$work/o7.out" "$work/o7/report.md" || bad "--print: stdout is not report.md"

exit $fail
