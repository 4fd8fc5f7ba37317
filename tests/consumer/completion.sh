#!/usr/bin/env bash
# completion.sh TECHMATCH SOURCE_DIR
#
# scripts/techmatch.bash-completion registers _techmatch for techmatch and
# completes the commands, every long option each command's --help lists,
# and the fixed option values.  Calls the function with COMP_WORDS and
# COMP_CWORD as bash would.  Run by ctest.
set -uo pipefail
bin=$1 src=$2
fail() { echo "consumer.completion: FAIL: $*" >&2; exit 1; }

# shellcheck source=/dev/null
source "$src/scripts/techmatch.bash-completion" || fail "cannot source the script"
complete -p techmatch | grep -qF -- "-F _techmatch" || fail "complete -p techmatch: $(complete -p techmatch)"

# completes WORD... (the last one is the word under the cursor) and checks
# the replies are exactly EXPECTED (space separated, sorted)
expect() {
  local expected=$1; shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _techmatch techmatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
  got=${got% }
  [[ "$got" == "$expected" ]] || fail "'$*<TAB>': got '$got', expected '$expected'"
}

expect "run run-many" techmatch r
expect "sweep" techmatch sw
expect "check explain help run run-many solve sweep" techmatch ""
expect "run run-many" techmatch help r
expect "" techmatch help run ""
expect "--help --version" techmatch --
expect "--quota --quota-counts" techmatch run --quot
expect "balanced demand-optimal egalitarian max-weight min-regret supply-optimal" \
  techmatch solve --objective ""
expect "strong super" techmatch check --stability = s
expect "commissioner site" techmatch explain --side ""
expect "assignments people" techmatch run --quota-counts ""
expect "" techmatch run --k ""
expect "" techmatch sweep --jobs ""
expect "--grid" techmatch sweep --gr
expect "--jobs" techmatch run-many --jo

# every long option of every command's --help is offered after 'COMMAND --'
for cmd in run solve check explain run-many sweep; do
  COMP_WORDS=(techmatch "$cmd" --)
  COMP_CWORD=2
  COMPREPLY=()
  _techmatch techmatch -- "$cmd"
  opts=$("$bin" "$cmd" --help | grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+')
  [[ -n "$opts" ]] || fail "no options read from 'techmatch $cmd --help'"
  for opt in $opts; do
    printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$opt" || fail "'techmatch $cmd --<TAB>' lacks $opt"
  done
  for reply in "${COMPREPLY[@]}"; do
    [[ $reply == --* ]] || continue
    grep -qxF -- "$reply" <<<"$opts" || fail "'techmatch $cmd --<TAB>' offers $reply, which $cmd lacks"
  done
done
echo "consumer.completion: OK"
