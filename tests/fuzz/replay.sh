#!/usr/bin/env bash
# Replay every input of regressions/ through every fuzz target (an input is valid
# for all three), each within TIMEOUT seconds.  Called by `make replay`.
#
#   replay.sh TIMEOUT LOGDIR TARGET_BINARY...
#
# regressions/known-open.txt lists inputs whose bug is reported but not yet fixed
# in src/ ("path target [oracle]"): the named target must still fail on it (a
# strict expected failure: once it passes, the bug is fixed and the line must go),
# and every other target must pass on it like on any other input.
set -uo pipefail
cd "$(dirname "$0")"
timeout=$1 logdir=$2
shift 2
mkdir -p "$logdir"

declare -A open_target
if [ -f regressions/known-open.txt ]; then
    while read -r path target _; do
        case "$path" in ''|'#'*) continue ;; esac
        open_target[$path]=$target
    done < regressions/known-open.txt
fi
mapfile -t files < <(cd regressions && find . -type f ! -name '*.md' ! -name known-open.txt | sed 's|^\./||' | sort)

status=0
for bin in "$@"; do
    name=$(basename "$bin")
    passing=() open=()
    for f in "${files[@]}"; do
        if [ "${open_target[$f]:-}" = "$name" ]; then open+=("$f"); else passing+=("regressions/$f"); fi
    done
    echo "replay: $name: ${#passing[@]} inputs must pass, ${#open[@]} known open must still fail"
    if [ ${#passing[@]} -gt 0 ] &&
        ! "$bin" -runs=1 -timeout="$timeout" "${passing[@]}" > "$logdir/replay-$name.log" 2>&1; then
        grep -a -B2 -A30 -m1 -E 'ERROR|runtime error|invariant broken|Timeout' "$logdir/replay-$name.log" | head -60
        echo "replay FAILED: $name (log: $logdir/replay-$name.log)"
        status=1
    fi
    for f in "${open[@]}"; do
        if ("$bin" -runs=1 -timeout="$timeout" "regressions/$f"; exit $?) > "$logdir/replay-open.log" 2>&1; then
            echo "replay: $f now passes $name: its bug is fixed; take it off regressions/known-open.txt"
            status=1
        else
            echo "replay: $f still fails $name (known open, reported)"
        fi
    done
done
[ ${#files[@]} -gt 0 ] || { echo "replay: no regression inputs found"; status=1; }
exit $status
