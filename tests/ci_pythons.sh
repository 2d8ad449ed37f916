#!/usr/bin/env bash
# The package at the ends of its CPython range (issue 19): the oldest and the newest
# CPython of pyproject.toml's classifiers, each in its own venv (build/ends/3.N) with
# `pip install '.[test]'` and the tests of the installed package: the test-command of
# [tool.cibuildwheel], as each wheel runs it (the whole suite but the tests that
# compile src/ with the machine's compiler, which no Python version changes).
# tests/ci_cross.sh runs it.
#
#   bash tests/ci_pythons.sh
#
# Interpreters come from what this machine has (pythonX.Y on PATH, or pyenv's
# versions): no registry this machine reaches ships CPython itself (Debian bookworm has
# 3.11 only; PyPI has no interpreters). An end that is missing is tested at the nearest
# version inside the range that is here, and the output says so; none at all fails.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# the range, from the classifiers ("3.9 3.10 ... 3.14"), and the wheels' test command
read_project() {
    python3 - "$1" <<'EOF'
import re, sys, tomllib
with open("pyproject.toml", "rb") as f:
    p = tomllib.load(f)
if sys.argv[1] == "range":
    found = (re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c)
             for c in p["project"]["classifiers"])
    print(" ".join(sorted({m.group(1) for m in found if m}, key=lambda v: int(v[2:]))))
else:
    print(p["tool"]["cibuildwheel"]["test-command"])
EOF
}
RANGE=$(read_project range)
TEST_COMMAND=$(read_project test-command)
[ -n "$RANGE" ] || { echo "pythons: no 'Programming Language :: Python :: 3.N' classifier"; exit 1; }
[ -n "$TEST_COMMAND" ] || { echo "pythons: no [tool.cibuildwheel] test-command"; exit 1; }

# An interpreter of version X.Y, or nothing.
interpreter() {
    local v=$1 p
    if p=$(command -v "python$v" 2>/dev/null) && "$p" -c 'import venv' 2>/dev/null; then
        echo "$p"
        return
    fi
    local root
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for p in "$root"/versions/"$v".*/bin/python"$v"; do
        [ -x "$p" ] && { echo "$p"; return; }
    done
}

# The first version of the list (in order) that has an interpreter: "version path".
first_found() {
    local v p
    for v in "$@"; do
        p=$(interpreter "$v")
        [ -n "$p" ] && { echo "$v $p"; return; }
    done
}

versions=($RANGE)
oldest=${versions[0]}
newest=${versions[${#versions[@]} - 1]}
reversed=$(printf '%s\n' "${versions[@]}" | tac | tr '\n' ' ')
lo=$(first_found "${versions[@]}")
hi=$(first_found $reversed)
[ -n "$lo" ] || { echo "pythons: no CPython of $RANGE on this machine"; exit 1; }

status=0 lines=()
test_at() {
    local v=$1 py=$2 end=$3 venv="$ROOT/build/ends/$1" start=$(date +%s)
    printf '\n== pythons: %s end, CPython %s (%s)\n' "$end" "$v" "$py"
    if [ "$v" != "$4" ]; then
        echo "pythons: NOTE: no CPython $4 on this machine; the $end end is tested at $v"
    fi
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" || { status=1; return; }
    # the pip an old CPython brings (23.0 with 3.9) backtracks for many minutes
    # over dask, pandas and pyarrow versions; a current one resolves them at once
    "$venv/bin/python" -m pip install --quiet --upgrade pip >"$venv.pip.log" 2>&1
    "$venv/bin/python" -m pip uninstall --yes --quiet govdisclose >/dev/null 2>&1
    if ! "$venv/bin/python" -m pip install --quiet "$ROOT[test]" >>"$venv.pip.log" 2>&1; then
        tail -n 30 "$venv.pip.log"
        lines+=("FAILED CPython $v: pip install '.[test]' ($venv.pip.log)")
        status=1
        return
    fi
    # OCR is left out at the ends (CI time: its tests read the corpus scans for minutes,
    # and its code is the same Python on every version): the main run covers it.
    "$venv/bin/python" -m pip uninstall --yes --quiet rapidocr-onnxruntime >/dev/null 2>&1
    local installed=$(( $(date +%s) - start ))
    # the venv's pytest, run plainly: the installed build is imported
    PATH="$venv/bin:$PATH" bash -c "${TEST_COMMAND//\{project\}/$ROOT} -q" >"$venv.pytest.log" 2>&1
    local rc=$?
    local summary=$(grep -E '(passed|failed|error)' "$venv.pytest.log" | tail -n 1)
    grep -E '^(FAILED|ERROR)' "$venv.pytest.log" | head -n 20
    if [ $rc -eq 0 ]; then
        lines+=("ok     CPython $v ($end end): $summary (install $installed s)")
    else
        lines+=("FAILED CPython $v ($end end): $summary ($venv.pytest.log)")
        status=1
    fi
}

test_at ${lo} oldest "$oldest"
if [ "${hi%% *}" != "${lo%% *}" ]; then
    test_at ${hi} newest "$newest"
fi

printf '\n== pythons: summary (the range: CPython %s to %s)\n' "$oldest" "$newest"
printf '  %s\n' "${lines[@]}"
exit "$status"
