#!/usr/bin/env bash
# cli.memory_limit: under an address-space limit, `techmatch solve` on a
# 19 MB instance either succeeds or fails with TM_ERROR_NO_MEMORY's message
# ("cannot allocate N bytes", exit 2) — never dies on a signal (issue 7: a
# large instance under a memory limit died with SIGABRT inside GSlice).  The
# limits sweep 24..96 MiB so that, whatever this machine's baseline, some
# run must hit the limit inside the loader or the market build.
#   memory_limit.sh TECHMATCH SCRATCH_DIR
set -u
bin=$1
dir=$2
mkdir -p "$dir"
json="$dir/limit.json"
awk 'BEGIN{n=100000; nd=10000; k=20; printf "{\"supply\": [";
  for(a=0;a<n;a++){ printf "%s{\"name\": \"c%d\", \"prefs\": [", (a?",":""), a;
    for(i=0;i<k;i++) printf "%s\"s%d\"", (i?",":""), (a+i*7)%nd; printf "]}" }
  printf "], \"demand\": [";
  for(d=0;d<nd;d++) printf "%s{\"name\": \"s%d\", \"capacity\": 10}", (d?",":""), d;
  printf "]}\n" }' > "$json" || exit 1
refused=0 solved=0
# (a limit below what the dynamic loader needs to map the libraries -- the
# library links libxml2 and so ICU -- cannot start the program: skipped)
for mib in 24 32 40 48 56 64 80 96 128; do
  ( ulimit -v $((mib * 1024)); exec "$bin" solve "$json" ) >"$dir/out" 2>"$dir/err"
  rc=$?
  if ((rc == 127)) && grep -q "error while loading shared libraries" "$dir/err"; then
    echo "limit ${mib} MiB: below the loader's needs, skipped"
    continue
  elif ((rc == 0)); then
    solved=$((solved + 1))
  elif ((rc == 2)) && grep -q "cannot allocate [0-9]* bytes" "$dir/err"; then
    refused=$((refused + 1))
  else
    echo "limit ${mib} MiB: exit $rc (signal or wrong error):"; head -c 400 "$dir/err"
    exit 1
  fi
  echo "limit ${mib} MiB: exit $rc $(head -c 120 "$dir/err")"
done
rm -rf "$dir"
if ((refused == 0)); then
  echo "no run hit the limit: the test proves nothing on this machine" >&2
  exit 1
fi
echo "memory_limit: $refused refused cleanly, $solved solved"
