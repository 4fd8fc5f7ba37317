#!/usr/bin/env bash
# snippets.sh MARKDOWN ROOT WORK CC "CFLAGS" "LIBS"
#
# Compiles every ```c fenced block of MARKDOWN, as shown, with
#   CC -std=c11 -Wall -Wextra -Werror CFLAGS
# A block that defines main() is linked with LIBS and run; it must exit 0.
# It runs in WORK/run, where seeds/ and examples/ are links to ROOT's, so
# relative paths such as "seeds/jinshui-2011" work as they do from the
# repository root while the files a snippet writes stay out of the tree.
# Any other block is compiled only (-c).
#
# A block that cannot compile on its own (a fragment) is skipped only when
# the last non-blank line before its opening fence is exactly
#   <!-- snippet: fragment -->
# Prefer whole programs that check every return value.
#
# Fails when a block fails (compile, link, run), and when MARKDOWN has no
# ```c block that is not a fragment.  Run by ctest (docs.readme_snippets;
# docs.snippets_self_test runs it on a fixture with broken blocks).
set -euo pipefail

(($# == 6)) || { echo "usage: $0 MARKDOWN ROOT WORK CC CFLAGS LIBS" >&2; exit 2; }
md=$1 root=$2 work=$3 cc=$4 cflags=$5 libs=$6
[[ -f "$md" ]] || { echo "snippets: $md: no such file" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work/run"
for d in seeds examples; do
  [[ -e "$root/$d" ]] && ln -s "$root/$d" "$work/run/$d"
done

# Splits the blocks into WORK/block-N.c; writes "N LINE KIND" lines (KIND is
# code or fragment; LINE is the line of the opening fence) to WORK/index.
awk -v work="$work" '
  !inside && /^```c[[:space:]]*$/ {
    n++; inside = 1
    file = sprintf("%s/block-%d.c", work, n)
    printf "" > file
    printf "%d %d %s\n", n, NR, (marker ? "fragment" : "code") > (work "/index")
    marker = 0; next
  }
  inside && /^```[[:space:]]*$/ { inside = 0; close(file); next }
  inside { print > file; next }
  /^[[:space:]]*$/ { next }
  { marker = ($0 == "<!-- snippet: fragment -->") }
  END { if (inside) { print "snippets: unterminated ```c block" > "/dev/stderr"; exit 1 } }
' "$md"
touch "$work/index"

failed=0 total=0 compiled=0
# shellcheck disable=SC2086  # CFLAGS and LIBS are word lists
while read -r n line kind; do
  total=$((total + 1))
  src="$work/block-$n.c"
  what="$md:$line: block $n"
  if [[ "$kind" == fragment ]]; then
    echo "skip $what (marked fragment)"
    continue
  fi
  compiled=$((compiled + 1))
  if grep -qE '(^|[^[:alnum:]_])main[[:space:]]*\(' "$src"; then
    if ! $cc -std=c11 -Wall -Wextra -Werror $cflags "$src" -o "$work/block-$n" $libs \
      >"$work/block-$n.log" 2>&1; then
      cat "$work/block-$n.log" >&2
      echo "FAIL $what: does not compile and link" >&2
      failed=$((failed + 1)); continue
    fi
    if ! (cd "$work/run" && timeout 120 "$work/block-$n") >"$work/block-$n.out" 2>&1; then
      cat "$work/block-$n.out" >&2
      echo "FAIL $what: the program exits non-zero" >&2
      failed=$((failed + 1)); continue
    fi
    sed 's/^/    /' "$work/block-$n.out"
    echo "ok   $what (compiled, linked, ran)"
  else
    if ! $cc -std=c11 -Wall -Wextra -Werror $cflags -c "$src" -o "$work/block-$n.o" \
      >"$work/block-$n.log" 2>&1; then
      cat "$work/block-$n.log" >&2
      echo "FAIL $what: does not compile" >&2
      failed=$((failed + 1)); continue
    fi
    echo "ok   $what (compiled)"
  fi
done <"$work/index"

if ((compiled == 0)); then
  echo "snippets: $md has no \`\`\`c block to compile" >&2
  exit 1
fi
if ((failed > 0)); then
  echo "snippets: $failed of $compiled blocks failed ($total blocks, $((total - compiled)) fragments)" >&2
  exit 1
fi
echo "snippets: $compiled blocks ok ($total blocks, $((total - compiled)) fragments)"
