"""The lines of the C files that no test which could kill their mutants ever runs.

A mutant on such a line cannot be killed: the mutated code never executes, so
every test sees the unmutated program.  run.py --uncovered records those
mutants as `uncovered` without building or running anything, and counts them
as survivors (an untested line is a hole, not an excuse).  What a full run of
the C core costs is mostly survivors running every test set they have; this
takes the sure ones out for the price of one instrumented run per test set.

How: gcc's --coverage in two builds of a scratch copy, the C tests
(tests/c, VARIANT=cov) and the extension (its own build-temp).  The C tests run
once; each pytest set of run.py's TESTS_FOR runs once, with the extension's
counters zeroed before it.  `gcov --json-format` gives each line's count.  A
line is uncovered when every build that compiles its file lists it with a count
of 0 (a line a build does not list, a declaration or a line the compiler folded
into another, is never called uncovered).  Processes the tests start (the CLI's
subprocesses) load the same instrumented _core.so and add their counts.
Python files are not mapped: tracing them would miss the code run in the
subprocesses the tests start, and call a killable line uncovered.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

COV_TEMP = "build/mutation-cov"  # the instrumented extension's objects, in the scratch copy


def _zero_lines(gcda: Path, source: str, cwd: Path) -> tuple[set, set]:
    """(lines with count 0, lines with a count) of source in one object's counters."""
    p = subprocess.run(["gcov", "--json-format", "--stdout", str(gcda)], cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    zero, listed = set(), set()
    for doc in p.stdout.splitlines():
        if not doc.startswith("{"):
            continue
        for f in json.loads(doc)["files"]:
            if Path(f["file"]).as_posix().endswith(source):
                for ln in f["lines"]:
                    listed.add(ln["line_number"])
                    if ln["count"] == 0:
                        zero.add(ln["line_number"])
    return zero, listed


def uncovered_lines(sc, files, tests_for) -> dict:
    """{C file: its uncovered line numbers} for those of files that are C files.
    sc is run.py's Scratch (its dir, corpus, run(), pytest())."""
    c_files = [f for f in files if f.endswith(".c")]
    if not c_files or not shutil.which("gcov"):
        return {}
    zero = {f: None for f in c_files}  # None: no build has counted this file yet

    def meet(f, z, listed):
        # uncovered in every build: lines zero here, and zero (or unlisted) in the others
        prev = zero[f]
        zero[f] = z if prev is None else (prev & z) | (prev - listed)

    # the C tests
    ctests = sc.dir / "tests/c"
    p = sc.run(["make", "-j2", "-C", "tests/c", "build", "VARIANT=cov", "CFLAGS=--coverage",
                f"CORPUS={sc.corpus}"])
    if p.returncode:
        sys.exit("mutation: the C tests' coverage build fails:\n" + p.stdout[-2000:])
    if sc.run([str(ctests / "build/cov/test_core"), "--corpus", str(sc.corpus)],
              cwd=ctests).returncode:
        sys.exit("mutation: the C tests fail in their coverage build")
    for f in c_files:
        gcda = ctests / "build/cov/core" / Path(f).relative_to("src").with_suffix(".gcda")
        if gcda.exists():
            meet(f, *_zero_lines(gcda, f, ctests))

    # the extension, once per pytest set
    env = dict(CFLAGS="--coverage", LDFLAGS="--coverage")
    p = sc.run([sys.executable, "setup.py", "build_ext", "--inplace", "--force",
                "--build-temp", COV_TEMP], extra_env=env)
    if p.returncode:
        sys.exit("mutation: the extension's coverage build fails:\n" + p.stdout[-2000:])
    temp = sc.dir / COV_TEMP
    sets = {}
    for f in c_files:
        sets.setdefault(tuple(tests_for(f)), []).append(f)
    for tests, members in sorted(sets.items()):
        for old in temp.rglob("*.gcda"):
            old.unlink()
        if sc.pytest(list(tests), timeout=1800).returncode:
            for f in members:  # cut short, counts are too low: map nothing of these files
                zero[f] = set()
            continue
        for f in members:
            gcda = temp / Path(f).with_suffix(".gcda")
            if gcda.exists():  # (absent: these tests never load _core.so)
                meet(f, *_zero_lines(gcda, f, sc.dir))
    return {f: z for f, z in zero.items() if z}
