#!/usr/bin/env bash
# Runs the benchmark set reported in bench/RESULTS.md.
#   bench/run.sh [BUILD_DIR]      (default build-bench; configured here as Release)
# Prints the machine, then each command and its output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${1:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTM_BUILD_BENCH=ON \
  -DTM_BUILD_TESTS=OFF -DTM_BUILD_CLI=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target tm_bench tm_bench_lattice >/dev/null
bench="$build/bench/tm_bench"
lattice="$build/bench/tm_bench_lattice"

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
  "$(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)," \
  "THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo '?')"
echo "compiler: $(cc --version | head -1); loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"

run() {
  echo
  echo "\$ $bench $*"
  "$bench" "$@"
}
run_lattice() {
  echo
  echo "\$ $lattice $*"
  "$lattice" "$@"
}
for model in uniform master; do
  run --supply 10000 --demand 1000 --capacity 10 --k 50 --model "$model" --repeat 5
done
for model in uniform master; do
  run --supply 100000 --demand 10000 --capacity 10 --k 50 --model "$model" --repeat 3
done
for model in uniform master; do
  run --supply 1000000 --demand 100000 --capacity 10 --k 50 --model "$model" --repeat 3 \
    --chase 2000000
done
for model in uniform master; do
  run --supply 1000000 --demand 100000 --capacity 10 --k 50 --model "$model" --side demand
done
# the lattice of stable matchings against one DA solve (section "Lattice")
for n in 1000 5000; do
  run_lattice --shape one --n "$n" --repeat 5
done
run_lattice --shape many --supply 100000 --demand 10000 --capacity 10 --k 50 --repeat 5
echo
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
