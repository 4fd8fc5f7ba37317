#!/usr/bin/env bash
# `techmatch run` at scale (bench/RESULTS.md, "techmatch run at scale"):
# generates the two forms with scripts/gen-forms.py (deterministic), builds
# the command (Release) and runs it ROUNDS times under /usr/bin/time -v,
# printing each round's wall time and peak RSS, then the summary run prints.
#   bench/run-forms.sh [BUILD_DIR] [COMMISSIONERS] [SITES] [QUOTA] [ROUNDS]
# defaults: build-bench-cli 100000 20000 20000 3.  The output folder is on
# the file system of $TMPDIR (default /tmp): writing one draft agreement per
# assignment is a file creation each, so the disk counts (RESULTS.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build-bench-cli}
nc=${2:-100000}
ns=${3:-20000}
quota=${4:-20000}
rounds=${5:-3}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTM_BUILD_TESTS=OFF -DTM_BUILD_BENCH=OFF \
  -DTM_BUILD_PYTHON=OFF > /dev/null
cmake --build "$build" -j 2 --target techmatch_cli > /dev/null
tm="$build/src/techmatch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
  "$(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo);" \
  "output on $(df -T "$work" | awk 'NR == 2 {print $2}')"
echo "compiler: $(cc --version | head -1); loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "\$ /usr/bin/python3 scripts/gen-forms.py FORMS --commissioners $nc --sites $ns"
/usr/bin/python3 scripts/gen-forms.py "$work/forms" --commissioners "$nc" --sites "$ns"
ls -l "$work/forms" | awk 'NR > 1 {print "  " $5 " bytes  " $9}'
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/out"
  echo
  echo "\$ /usr/bin/time -v $tm run FORMS --out OUT --quota $quota  # round $r"
  /usr/bin/time -v "$tm" run "$work/forms" --out "$work/out" --quota "$quota" \
    > "$work/summary.txt" 2> "$work/time.txt"
  grep -E 'Elapsed \(wall clock\)|Maximum resident set size|User time|System time' "$work/time.txt" |
    sed 's/^\t*/  /'
done
echo
echo "summary (stdout of the last round):"
sed "s|$work|TMP|g; s/^/  /" "$work/summary.txt"
echo "report.md: $(wc -c < "$work/out/report.md") bytes, $(wc -l < "$work/out/report.md") lines;" \
  "agreements: $(ls "$work/out/agreements" | wc -l) files; output $(du -sh "$work/out" | cut -f1)"
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
