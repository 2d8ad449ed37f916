#!/usr/bin/env bash
# The whole pytest suite against an ASan + UBSan build of the extension, then the
# C unit tests under valgrind.  Fails on any sanitizer report, any valgrind error or
# leak, and any test failure.
#
#   bash tests/sanitize.sh            (from anywhere; needs gcc, python3 -m venv, valgrind)
#
# 1. `GOVDISCLOSE_SANITIZE=1 pip install '.[test]'` into a separate venv
#    (build/sanitize-venv), so the ordinary install is left alone.
# 2. pytest (the venv's, run plainly so that the installed build is imported) with the
#    sanitizer runtime preloaded into the (uninstrumented) python:
#      LD_PRELOAD=$(gcc -print-file-name=libasan.so)  (libubsan comes with the extension)
#      PYTHONMALLOC=malloc       every Python allocation goes through ASan
#      ASAN_OPTIONS=detect_leaks=0  CPython itself leaks at exit; leaks are the business
#                                of tests/test_leaks.py, the fuzzers and valgrind
#    Reports go to files (log_path), from pytest and from every child process it starts;
#    any such file fails the run.  halt_on_error makes the first report end its process.
# 3. `make -C tests/c valgrind`: the C unit tests, leaks are errors.
#
# Environment: SANITIZE_VENV (default build/sanitize-venv), SANITIZE_PYTEST_ARGS (extra
# pytest arguments, e.g. "-k leaks"), SKIP_VALGRIND=1 (only the pytest part).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

VENV="${SANITIZE_VENV:-$ROOT/build/sanitize-venv}"
LOGS="$ROOT/build/sanitize-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"

step() { printf '\n== sanitize: %s (%s)\n' "$1" "$(date +%T)"; }

step "build the extension with ASan + UBSan into $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip uninstall --yes --quiet govdisclose >/dev/null 2>&1 || true
# one build, with the toggle set, of the package and its test extra
GOVDISCLOSE_SANITIZE=1 "$VENV/bin/python" -m pip install --quiet --no-cache-dir "$ROOT[test]" \
    >"$LOGS/pip.log" 2>&1 ||
    { tail -n 40 "$LOGS/pip.log"; echo "sanitize: the sanitizer build failed"; exit 1; }
# the extension must really be instrumented
so=$(ls "$VENV"/lib/python*/site-packages/govdisclose/_core*.so 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "sanitize: no govdisclose/_core*.so in $VENV"; exit 1; }
if ! ldd "$so" | grep libasan >/dev/null; then  # not -q: an early exit would SIGPIPE ldd under pipefail
    echo "sanitize: $so is not linked with libasan: GOVDISCLOSE_SANITIZE=1 had no effect"
    exit 1
fi

step "pytest under ASan + UBSan"
LIBASAN="$(gcc -print-file-name=libasan.so)"
[ -f "$LIBASAN" ] || { echo "sanitize: no libasan.so from gcc ($LIBASAN)"; exit 1; }
start=$(date +%s)
set +e
env \
    LD_PRELOAD="$LIBASAN" \
    PYTHONMALLOC=malloc \
    ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:quarantine_size_mb=64:log_path=$LOGS/asan:print_summary=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$LOGS/ubsan" \
    GOVDISCLOSE_TIMEOUT_SCALE="${GOVDISCLOSE_TIMEOUT_SCALE:-4}" \
    GOVDISCLOSE_RSS_TOLERANCE_MB="${GOVDISCLOSE_RSS_TOLERANCE_MB:-96}" \
    "$VENV/bin/pytest" -p no:cacheprovider -q ${SANITIZE_PYTEST_ARGS:-} \
    2>&1 | tee "$LOGS/pytest.log"
rc=${PIPESTATUS[0]}
set -e
echo "sanitize: pytest under ASan + UBSan took $(( $(date +%s) - start )) s, exit $rc"

status=0
reports=$(find "$LOGS" -name 'asan.*' -o -name 'ubsan.*' | sort)
if [ -n "$reports" ]; then
    for f in $reports; do
        echo "---- $f"
        head -n 80 "$f"
    done
    echo "sanitize: FAILED: $(echo "$reports" | wc -l) sanitizer report(s)"
    status=1
fi
if [ "$rc" -ne 0 ]; then
    echo "sanitize: FAILED: pytest under ASan + UBSan exited $rc"
    status=1
fi

# valgrind runs whatever pytest said: both results are worth having
if [ "${SKIP_VALGRIND:-0}" != 1 ]; then
    step "C unit tests under valgrind"
    if ! command -v valgrind >/dev/null; then
        echo "sanitize: valgrind is not installed"
        status=1
    elif ! make -C "$ROOT/tests/c" valgrind; then
        echo "sanitize: FAILED: the C unit tests under valgrind"
        status=1
    fi
fi
if [ "$status" -eq 0 ]; then
    step "done: no sanitizer report, no valgrind error"
fi
exit "$status"
