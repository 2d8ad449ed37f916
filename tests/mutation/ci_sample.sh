#!/usr/bin/env bash
# CI's mutation sample (tests/ci_extra.sh runs it): MUTATION_SAMPLE mutants (default 24)
# drawn by the commit hash, so each commit tries others, within MUTATION_SECONDS
# (default 200) on one core.  Half come from killed.txt (killed at the last full
# run): one of those surviving means a test got weaker, and fails the step.  The
# others are new ground: their survivors are printed for RESULTS.md, not failed.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
seed=$(git rev-parse HEAD 2>/dev/null || date +%F)
exec python3 tests/mutation/run.py --ratchet --sample "${MUTATION_SAMPLE:-24}" --seed "$seed" \
    --budget "${MUTATION_SECONDS:-200}" --out "${TMPDIR:-/tmp}/mutation-ci.jsonl"
