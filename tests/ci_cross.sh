#!/usr/bin/env bash
# The C core on machines other than this one (issue 19). tests/ci_extra.sh runs it;
# on a fresh Debian machine it installs what it needs (apt-get, only what is missing).
#
#   bash tests/ci_cross.sh
#
# 1. tools      Debian's cross compilers for aarch64 and s390x, qemu-user, clang,
#               MinGW-w64 and Wine
# 2. pedantic   every core file (every .c under src/, subfolders too, that does not
#               include Python.h) compiled with -std=c11 -pedantic -Werror under gcc and
#               clang, with -Wvla (MSVC has none) and -Wcast-align (an integer read
#               through a cast byte pointer is refused); and no integer pointer cast
#               laundered through void * in src/ either
# 3. the C unit tests (tests/c), built and run for
#      x86-64, no SSE2   -U__SSE2__: every SSE2 path's plain twin (what MSVC builds)
#      aarch64           under qemu-aarch64: ARM, 64-bit
#      s390x             under qemu-s390x: big-endian, so every integer taken from
#                        bytes must be assembled from them
#      Windows x86-64    MinGW-w64 under Wine: long is 32 bits (LLP64)
# 4. pythons    the package at the ends of its CPython range: tests/ci_pythons.sh
#               (PYTHONS=0 leaves it out)
# Builds are static (qemu-user and Wine need no libraries). Steps 1-3: about a minute
# when the tools are there, plus ~60 s of apt-get on a fresh machine.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CORPUS="${GOVDISCLOSE_CORPUS:-$(cd "$ROOT/.." && pwd)/shared/corpus}"
BUILD="$ROOT/tests/c/build"

passed=0 failed=0 lines=()
note() { lines+=("$1"); }

# ---- 1. tools ----------------------------------------------------------------------

# command -> the Debian package that has it (and the cross libc it links with)
declare -A PACKAGES=(
    [aarch64-linux-gnu-gcc]="gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
    [s390x-linux-gnu-gcc]="gcc-s390x-linux-gnu libc6-dev-s390x-cross"
    [qemu-aarch64]="qemu-user"
    [qemu-s390x]="qemu-user"
    [clang]="clang"
    [x86_64-w64-mingw32-gcc]="gcc-mingw-w64-x86-64"
    [/usr/lib/wine/wine64]="wine64"
)

tools() {
    local want=() cmd
    for cmd in "${!PACKAGES[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || want+=(${PACKAGES[$cmd]})
    done
    if [ ${#want[@]} -eq 0 ]; then
        echo "cross: the tools are here"
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        echo "cross: missing ${want[*]}, and cannot apt-get them"
        return 1
    fi
    local start=$(date +%s)
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null &&
        apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
            $(printf '%s\n' "${want[@]}" | sort -u) >/dev/null || return 1
    echo "cross: installed $(printf '%s\n' "${want[@]}" | sort -u | tr '\n' ' ')($(( $(date +%s) - start )) s)"
}

# ---- 2. pedantic -------------------------------------------------------------------

core_sources() {
    find src -name '*.c' -exec grep -L 'Python\.h' {} + | sort
}

STRICT=(-std=c11 -pedantic -Werror -Wall -Wextra -Wshadow -Wvla -O2 -Isrc)

pedantic() {
    local cc=$1 ok=0 n=0 f align
    [ "$cc" = gcc ] && align=-Wcast-align=strict || align=-Wcast-align
    for f in $(core_sources); do
        n=$((n + 1))
        "$cc" "${STRICT[@]}" "$align" -c "$f" -o /dev/null || { echo "cross: $cc rejects $f"; ok=1; }
    done
    echo "cross: $n core files, $cc -std=c11 -pedantic -Werror $align: $([ $ok = 0 ] && echo clean || echo FAILED)"
    return $ok
}

# An integer read through a pointer cast, e.g. *(const uint32_t *)(const void *)p:
# -Wcast-align cannot see through void *, so the source is read for it. Byte
# pointers and SIMD vectors are fine.
no_cast_reads() {
    local hits
    hits=$(grep -rnE '\(\s*(const\s+)?(volatile\s+)?(u?int(16|32|64)_t|(unsigned\s+|signed\s+)?(short|int|long|long long)|unsigned|size_t)\s*\*\s*\)' src)
    if [ -n "$hits" ]; then
        echo "$hits"
        echo "cross: integers must be assembled from bytes (memcpy or shifts), not read through a cast pointer"
        return 1
    fi
    echo "cross: no integer read through a cast pointer in src/"
}

# ---- 3. the C unit tests on each machine ---------------------------------------------

# run_c_tests NAME CC CFLAGS EXE RUNNER...: build tests/c as VARIANT=NAME, run it
run_c_tests() {
    local name=$1 cc=$2 cflags=$3 exe=$4
    shift 4
    local start=$(date +%s) log="$BUILD/cross-$name.log" out
    mkdir -p "$BUILD"
    if ! make --no-print-directory -C tests/c build VARIANT="$name" CC="$cc" \
            CFLAGS="$cflags" EXE="$exe" >"$log" 2>&1; then
        tail -n 30 "$log"
        failed=$((failed + 1))
        note "FAILED $name: does not build ($log)"
        return
    fi
    local built=$(( $(date +%s) - start ))
    out=$("$@" "$BUILD/$name/test_core$exe" --corpus "$CORPUS" 2>&1 | tr -d '\r')
    local rc=$? summary
    summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    printf '%s\n' "$out" | grep -vE '^(ok|checks run)' | tail -n 20
    if [ $rc -eq 0 ] && [ -n "$summary" ] && [ "${summary#* passed, }" = "0 failed" ]; then
        passed=$((passed + 1))
        note "ok     $name: $summary (build $built s, run $(( $(date +%s) - start - built )) s)"
    else
        failed=$((failed + 1))
        note "FAILED $name: ${summary:-no summary line}, exit $rc"
    fi
}

wine_run() {
    WINEPREFIX="$BUILD/wine-prefix" WINEDEBUG=-all /usr/lib/wine/wine64 "$@"
}

step() { printf '\n== cross: %s (%s)\n' "$1" "$(date +%T)"; }

step "tools"
if ! tools; then
    echo "cross: FAILED: the tools are missing"
    exit 1
fi

step "pedantic"
for cc in gcc clang; do
    if pedantic "$cc"; then passed=$((passed + 1)); note "ok     $cc -std=c11 -pedantic"
    else failed=$((failed + 1)); note "FAILED $cc -std=c11 -pedantic"; fi
done
if no_cast_reads; then passed=$((passed + 1)); note "ok     no pointer-cast integer reads"
else failed=$((failed + 1)); note "FAILED pointer-cast integer reads"; fi

step "C unit tests: x86-64 without SSE2 (the plain twins)"
run_c_tests nosse2 gcc "-U__SSE2__" "" env
step "C unit tests: aarch64 under qemu"
run_c_tests aarch64 aarch64-linux-gnu-gcc "-static" "" qemu-aarch64
step "C unit tests: s390x (big-endian) under qemu"
run_c_tests s390x s390x-linux-gnu-gcc "-static" "" qemu-s390x
step "C unit tests: Windows x86-64 (MinGW-w64) under Wine"
# a new Wine prefix each run: its first start sets it up (a few seconds)
rm -rf "$BUILD/wine-prefix"
wine_run wineboot -i >/dev/null 2>&1
# C99 stdio (%zu) rather than msvcrt's, as the format attributes say
run_c_tests mingw x86_64-w64-mingw32-gcc "-static -D__USE_MINGW_ANSI_STDIO=1" .exe wine_run
# Wine keeps a server a few seconds after its last program: end it now
WINEPREFIX="$BUILD/wine-prefix" /usr/lib/wine/wineserver -k >/dev/null 2>&1

if [ "${PYTHONS:-1}" != 0 ]; then
    step "pythons: the ends of the supported CPython range"
    start=$(date +%s)
    if bash tests/ci_pythons.sh; then passed=$((passed + 1)); r=ok
    else failed=$((failed + 1)); r=FAILED; fi
    note "$(printf '%-6s' $r) CPython range ends, tests/ci_pythons.sh ($(( $(date +%s) - start )) s)"
fi

printf '\n== cross: summary\n'
printf '  %s\n' "${lines[@]}"
echo "cross: $passed ok, $failed failed"
[ "$failed" -eq 0 ]
