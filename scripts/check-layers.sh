#!/usr/bin/env bash
# check-layers.sh [SRC_DIR] — checks that no source crosses a layer boundary.
#
# The library's sources live in one folder per layer, lowest first:
#
#   util  <  core  <  programme  <  io  <  cli
#
# Every #include "..." in SRC_DIR/<layer>/**/*.c and *.h (default: src/ of
# this repository) is resolved the way the compiler resolves it — first
# relative to the including file's folder, else relative to SRC_DIR (the
# "<layer>/<file>.h" spelling the build's include roots provide) — and must
# obey:
#
#   1. A layer includes headers of its own layer or of lower layers only.
#   2. Headers named *_private.h or internal.h are private to their layer:
#      no other layer includes them.  Every other header in src/<layer>/ is
#      that layer's library-internal interface, usable by the layers above.
#   3. The cli links the shared library, which exports the public API only:
#      it includes no header of another layer (public headers, <...>, are
#      always fine).
#   4. Every folder under SRC_DIR is one of the layers above (a new layer
#      must be given its place in the order here, in src/CMakeLists.txt and
#      in TESTING.md), and every included "..." header lies in one.
#
# Angle-bracket includes (<glib.h>, <techmatch/error.h>) are not checked: the
# public headers in include/techmatch/ and GLib are usable by every layer,
# util included (util needs <techmatch/error.h> for the TM_ERROR domain).
#
# Output: one line per crossing on stderr,
#   src/core/x.c:12: core includes programme/foo.h of higher layer programme
# Exit status: 0 no crossing, 1 crossings found, 2 usage error.
# Needs only bash, grep, sed, find and sort (all in a bare Debian).  Run by
# ctest as layers.check; its own tests are layers.fixture_*.
set -euo pipefail
export LC_ALL=C # one sort order for files and messages

LAYERS=(util core programme io cli)

usage() { echo "usage: $0 [SRC_DIR]" >&2; exit 2; }
(($# <= 1)) || usage
case "${1:-}" in -h | --help) sed -n '2,32p' "$0"; exit 0 ;; esac

src=${1:-"$(dirname "${BASH_SOURCE[0]}")/../src"}
[[ -d "$src" ]] || { echo "check-layers: $src: not a folder" >&2; exit 2; }
src=$(cd "$src" && pwd -P)
shown=$(basename "$src") # messages name files as src/<layer>/...

declare -A rank=()
for i in "${!LAYERS[@]}"; do rank[${LAYERS[$i]}]=$i; done

errors=0 n_files=0 n_includes=0
report() { echo "$*" >&2; errors=$((errors + 1)); }

# Normalises a relative path: drops "." components, folds "dir/..".  A
# result starting with ".." lies outside SRC_DIR.
normalise() {
  local IFS=/ part out=()
  for part in $1; do
    case "$part" in
    '' | .) ;;
    ..) if ((${#out[@]} > 0)) && [[ "${out[-1]}" != .. ]]; then unset 'out[-1]'; else out+=(..); fi ;;
    *) out+=("$part") ;;
    esac
  done
  echo "${out[*]}"
}

is_private() {
  local base=${1##*/}
  [[ "$base" == *_private.h || "$base" == internal.h ]]
}

# Rule 4: every folder is a layer; files directly in SRC_DIR belong to none.
for entry in "$src"/*; do
  [[ -e "$entry" ]] || continue
  name=${entry##*/}
  if [[ -d "$entry" ]]; then
    [[ -n "${rank[$name]+x}" ]] ||
      report "$shown/$name: folder is not a layer (order: ${LAYERS[*]}); add it to scripts/check-layers.sh"
  elif [[ "$name" == *.c || "$name" == *.h ]]; then
    report "$shown/$name: source outside every layer folder"
  fi
done

for layer in "${LAYERS[@]}"; do
  [[ -d "$src/$layer" ]] || continue
  while IFS= read -r -d '' file; do
    n_files=$((n_files + 1))
    rel=${file#"$src"/}
    dir=$(dirname "$rel")
    # line numbers and the quoted names of every #include "..." line
    while IFS=: read -r line header; do
      [[ -n "$line" ]] || continue
      n_includes=$((n_includes + 1))
      where="$shown/$rel:$line"
      if [[ -e "$src/$dir/$header" ]]; then
        target=$(normalise "$dir/$header")
      else
        target=$(normalise "$header")
      fi
      to=${target%%/*}
      if [[ "$target" != */* || -z "${rank[$to]+x}" ]]; then
        report "$where: $layer includes $header, which is not in a layer folder of $shown/"
        continue
      fi
      [[ "$to" == "$layer" ]] && continue
      if ((rank[$to] > rank[$layer])); then
        report "$where: $layer includes $header of higher layer $to"
      elif [[ "$layer" == cli ]]; then
        report "$where: cli includes $header of layer $to; the cli uses the public API only"
      elif is_private "$target"; then
        report "$where: $layer includes $header, a private header of layer $to"
      fi
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' "$file" |
      sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/' || true)
  done < <(find "$src/$layer" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
done

if ((errors > 0)); then
  echo "check-layers: $errors crossing(s) in $n_files files ($n_includes includes)" >&2
  exit 1
fi
echo "check-layers: $n_files files, $n_includes includes, no crossing"
