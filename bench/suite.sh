#!/usr/bin/env bash
# The benchmark suite of issue 12 (item 7): one command.
#
#   bench/suite.sh [--quick|--full|--huge] [--dry-run] [BUILD_DIR]
#
#   --quick   (default) 1e3 .. 1e6 list entries: every generator, shape and proposing side;
#             complete lists n = 32 .. 1000.  About a minute on 2 cores.
#   --full    adds 1e7 and 1e8 entries and the complete lists at n = 3162, 10000, 30000
#             (n = 30,000 is 9e8 pairs: ~15-22 GiB peak, see bench/bench_suite.c; run last).
#   --huge    adds 1e9 entries (10^7 applicants x 100 choices, many-to-one, capacity 10, and
#             the adversarial family): 16-24 GiB peak, see bench/bench_suite.c.
#   --dry-run prints the commands and writes nothing.
#   BUILD_DIR defaults to build-bench, configured here as Release (as bench/run.sh).
#
# Writes bench/results/suite.tsv (one row per run, columns documented in bench/bench_suite.c),
# bench/results/suite.png (bench/plot.py) and the generated section of bench/RESULTS.md
# between <!-- suite:begin --> and <!-- suite:end --> (bench/suite_section.py).  Every run is
# one process (tm_bench_suite), so each row's peak RSS is its own.  Seed 20110101 throughout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=quick
dry=0
build=build-bench
for a in "$@"; do
  case "$a" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --huge) mode=huge ;;
    --dry-run) dry=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "suite.sh: unknown option $a" >&2; exit 2 ;;
    *) build=$a ;;
  esac
done
py=/usr/bin/python3
# peak bytes per list entry assumed when deciding whether a run fits in MemAvailable:
# measured 28 with the builder of tm_market_new_take_arrays() that builds and then frees
# (input 8 + market 16 + scratch 4); set 16-20 once the builder reuses the taken arrays
bpe=${SUITE_BYTES_PER_ENTRY:-28}
out=bench/results
tsv=$out/suite.tsv
bin="$build/bench/tm_bench_suite"

# ---- the configurations ------------------------------------------------------
cmds=()
ents=()
# add L OPTIONS...: one run of L list entries
add() { ents+=("$1"); shift; cmds+=("$*"); }

sizes=(1000 10000 100000 1000000)
nsizes=(32 100 316 1000)
if [[ $mode != quick ]]; then
  sizes+=(10000000 100000000)
  nsizes+=(3162 10000 30000)
fi
# list length by size: short lists for the tiny markets, 50 from 1e5 on, 100 at 1e9
klen() { if (( $1 <= 1000 )); then echo 10; elif (( $1 <= 10000 )); then echo 20;
         elif (( $1 < 1000000000 )); then echo 50; else echo 100; fi; }
# repeats: best of 3 up to 1e7 entries, 1 beyond
reps() { if (( $1 <= 10000000 )); then echo 3; else echo 1; fi; }

for L in "${sizes[@]}"; do
  k=$(klen "$L"); r=$(reps "$L"); n=$(( L / k ))
  for gen in uniform master sector; do
    for side in supply demand; do
      add $(( n * k )) --gen $gen --supply $n --demand $n --k $k --side $side --repeat $r
      add $(( n * k )) --gen $gen --supply $n --demand $(( n / 10 )) --k $k --capacity 10 --side $side --repeat $r
      add $(( n * k )) --gen $gen --supply $n --demand $(( n / 2 )) --k $k --capacity 10 --supply-capacity 5 \
          --side $side --repeat $r
    done
  done
  ka=$(( k < 20 ? k : 20 )); na=$(( L / ka / ka * ka ))
  for side in supply demand; do
    add $(( na * ka )) --gen adversarial --n $na --k $ka --side $side --repeat $r
  done
done
for n in "${nsizes[@]}"; do
  r=$(reps $(( n * n )))
  for gen in congested noise solo; do
    for side in supply demand; do
      add $(( n * n )) --gen $gen --n "$n" --side $side --repeat $r
    done
  done
done
if [[ $mode == huge ]]; then
  for gen in uniform master sector; do
    for side in supply demand; do
      add 1000000000 --gen $gen --supply 10000000 --demand 1000000 --k 100 --capacity 10 --side $side --repeat 1
    done
  done
  for side in supply demand; do
    add 1000000000 --gen adversarial --n 50000000 --k 20 --side $side --repeat 1
  done
fi

machine="nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo), \
THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo '?')"

if (( dry )); then
  echo "# bench/suite.sh --$mode: ${#cmds[@]} runs; machine: $machine"
  echo "cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DTM_BUILD_BENCH=ON -DTM_BUILD_TESTS=OFF -DTM_BUILD_CLI=OFF"
  echo "cmake --build $build -j $(nproc) --target tm_bench_suite"
  for i in "${!cmds[@]}"; do
    echo "$bin ${cmds[$i]} --tsv $tsv   # L ${ents[$i]}, ~$(( ents[i] * bpe / 1048576 + 64 )) MiB"
  done
  echo "$py bench/plot.py $tsv $out/suite.png"
  echo "$py bench/suite_section.py $tsv bench/RESULTS.md ..."
  exit 0
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTM_BUILD_BENCH=ON \
  -DTM_BUILD_TESTS=OFF -DTM_BUILD_CLI=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target tm_bench_suite >/dev/null
mkdir -p "$out"
rm -f "$tsv"
echo "machine: $machine"
echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u +%FT%TZ)
for i in "${!cmds[@]}"; do
  c=${cmds[$i]}
  echo "[$(( i + 1 ))/${#cmds[@]}] $bin $c"
  # the peak the run needs at $bpe bytes per entry, against the memory available now
  need=$(( ents[i] * bpe / 1048576 + 64 ))
  avail=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
  if (( need > avail )); then
    echo "  skipped: needs ~$need MiB at $bpe bytes per entry, $avail MiB available" \
         "(SUITE_BYTES_PER_ENTRY overrides)"
    continue
  fi
  # shellcheck disable=SC2086  # the options are words
  if ! "$bin" $c --tsv "$tsv" 2>"$out/last.err" | tail -1 | cut -f1-13; then
    echo "  FAILED: $(tail -1 "$out/last.err")"
  fi
done
rm -f "$out/last.err"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "loadavg after: $load_after"
"$py" bench/plot.py "$tsv" "$out/suite.png"
"$py" bench/suite_section.py "$tsv" bench/RESULTS.md \
  --command "bench/suite.sh --$mode" \
  --machine "$machine; compiler $(cc --version | head -1); loadavg $load_before before, $load_after after" \
  --when "$start, tree $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src include || echo ' (modified)')" \
  --png results/suite.png
echo "wrote $tsv, $out/suite.png and the suite section of bench/RESULTS.md"
