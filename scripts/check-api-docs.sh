#!/usr/bin/env bash
# Checks that every public declaration (a line with TM_API in
# include/techmatch/*.h) has a doc comment of its own: a comment that ends
# after the previous declaration and before this one.
#   scripts/check-api-docs.sh [HEADER...]      (default: include/techmatch/*.h)
# Prints FILE:LINE: name for each undocumented declaration; exit 1 if any.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
headers=("$@")
((${#headers[@]})) || headers=(include/techmatch/*.h)
awk '
FNR == 1 { commented = 0; in_comment = 0 }
{
    line = $0
    if (in_comment) {
        if (index(line, "*/")) { in_comment = 0; commented = 1 }
        next
    }
    if (line ~ /^[ \t]*\/\*/) {
        if (index(substr(line, index(line, "/*") + 2), "*/")) commented = 1
        else in_comment = 1
        next
    }
    if (line ~ /TM_API/ && line !~ /^[ \t]*#/) {
        if (!commented) {
            name = line
            sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
            printf "%s:%d: %s has no doc comment of its own\n", FILENAME, FNR, name
            bad++
        }
        commented = 0
    }
}
END { exit bad > 0 }' "${headers[@]}"
