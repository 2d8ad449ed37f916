#!/usr/bin/env bash
# The checks of issue 6 that plain pytest cannot run: fuzzing, sanitizers, valgrind.
# CI runs it after pytest (README's test command); on a fresh machine it installs what it
# needs (Debian: clang, compiler-rt with libFuzzer, llvm-symbolizer, valgrind).
#
#   bash tests/ci_extra.sh
#
# Steps, each timed; the run fails when any fails:
#   1. tools          clang with libFuzzer, llvm-symbolizer, valgrind (apt-get when missing)
#   2. fuzz           build the targets; then, in the background: every regression input
#                     through every target, then each target for FUZZ_SECONDS (default 60)
#                     seeded with the corpus (make -C tests/fuzz run)
#   3. hostile markup 10^5 nested/unclosed tags and more through the HTML/DOCX path
#   4. sanitize       the pytest suite against an ASan+UBSan build, then the C unit tests
#                     under valgrind (tests/sanitize.sh), beside the fuzzers
# About 12 minutes on the 2-core CI machine; the last line says how many steps passed.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"

passed=0 failed=0 names=()
run_step() {
    local name=$1
    shift
    local start=$(date +%s)
    printf '\n==== ci_extra: %s (%s)\n' "$name" "$(date +%T)"
    if "$@"; then
        passed=$((passed + 1))
        names+=("ok     $name ($(( $(date +%s) - start )) s)")
    else
        failed=$((failed + 1))
        names+=("FAILED $name ($(( $(date +%s) - start )) s)")
    fi
}

have_libfuzzer() {
    command -v clang >/dev/null 2>&1 || return 1
    local tmp
    tmp=$(mktemp -d)
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$tmp/t.c"
    clang -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

tools() {
    if have_libfuzzer && command -v llvm-symbolizer >/dev/null && command -v valgrind >/dev/null; then
        echo "tools: clang with libFuzzer, llvm-symbolizer and valgrind are here"
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "tools: missing clang+libFuzzer, llvm-symbolizer or valgrind, and cannot apt-get them"
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null &&
        { apt-get install -y -qq --no-install-recommends clang llvm libclang-rt-dev valgrind >/dev/null ||
          apt-get install -y -qq --no-install-recommends clang llvm libclang-rt-14-dev valgrind >/dev/null; } ||
        return 1
    have_libfuzzer || { echo "tools: clang cannot link -fsanitize=fuzzer"; return 1; }
    echo "tools: installed $(clang --version | head -n 1), $(valgrind --version)"
}

build_fuzzers() {
    make --no-print-directory -j2 -C tests/fuzz build build/labels.dict seeds > tests/fuzz/build-log.txt 2>&1 ||
        { tail -n 40 tests/fuzz/build-log.txt; echo "fuzz: the targets do not build"; return 1; }
    echo "fuzz: targets built ($(clang --version | head -n 1))"
}

fuzz() {
    local stats=build/stats-ci.tsv
    rm -f "tests/fuzz/$stats"
    make --no-print-directory -C tests/fuzz run SECONDS="$FUZZ_SECONDS" STATS="$stats"
    local rc=$?
    make --no-print-directory -C tests/fuzz check-dict
    if [ -f "tests/fuzz/$stats" ]; then
        echo "fuzz: executions this run (target, seconds, executions):"
        awk -F'\t' '{printf "  %-6s %4s s %10d\n", $1, $2, $3; s += $3} END {printf "  total          %10d\n", s}' \
            "tests/fuzz/$stats"
    fi
    return $rc
}

run_step "tools" tools
run_step "build the fuzz targets" build_fuzzers
# The fuzzers use one core for FUZZ_SECONDS each while the sanitizer build and its
# pytest run use the other: the machine has two.
mkdir -p tests/fuzz/build
fuzz_log=tests/fuzz/build/ci-fuzz.log
fuzz_start=$(date +%s)
( fuzz > "$fuzz_log" 2>&1; echo $? > "$fuzz_log.rc" ) &
fuzz_pid=$!
run_step "hostile markup" make --no-print-directory -C tests/fuzz hostile
run_step "doc oracle (antiword)" bash tests/ci_doc_oracle.sh
run_step "sanitize (pytest under ASan+UBSan, C tests under valgrind)" bash tests/sanitize.sh
wait "$fuzz_pid"
printf '\n==== ci_extra: fuzz (replay, then %s s per target; ran beside the steps above)\n' "$FUZZ_SECONDS"
cat "$fuzz_log"
if [ "$(cat "$fuzz_log.rc" 2>/dev/null)" = 0 ]; then
    passed=$((passed + 1))
    names+=("ok     fuzz ($(( $(date +%s) - fuzz_start )) s, in the background)")
else
    failed=$((failed + 1))
    names+=("FAILED fuzz ($(( $(date +%s) - fuzz_start )) s, in the background)")
fi

printf '\n==== ci_extra summary\n'
printf '  %s\n' "${names[@]}"
echo "ci_extra: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
