"""Which tests run each line of the C files: a mutant needs only those.

A mutant's code executes only where its line does.  A test file that never runs
the line sees the unmutated program, and a line that no test able to kill the
mutant runs is a sure survivor (recorded `uncovered` by run.py --uncovered,
without a build or a run, and counted as a survivor: an untested line is a hole,
not an excuse).  A mutant whose line some of its test files run is tried
against those files only.  Survivors are what a full run of the core costs
(each ran every test file of its set); this map takes that down to the files
that can notice, for the price of one instrumented run of each test file.

How: gcc's --coverage at -O0 (optimised, gcov gave `if (n < 0)` in findings.c a
count of 0 while it ran for every finding: the compare was folded into another
line) in two builds of a scratch copy, the C tests (tests/c,
VARIANT=cov) and the extension (its own build-temp).  The C tests run once;
each pytest file of run.py's TESTS_FOR runs alone, with the extension's
counters zeroed before it; `gcov --json-format` gives each line's count.
Processes a test starts (the CLI's subprocesses) load the same instrumented
_core.so and add to its counts.  A line gcov does not list (a declaration, a
line the compiler folded into another) is never called uncovered and keeps the
whole set; so does every line of a file one of whose test files failed here.
A test file that builds C of its own (test_markup.py compiles a harness from
src/, test_threads.py compiles it to read its symbols) runs code this map
cannot see: it is never left out, and a file whose set holds one has no line
called uncovered.  Python files are not mapped: tracing them would miss the
code that the tests' subprocesses run, and call a killable line uncovered.

By tests (per_test): the map's pytest runs load pertest_plugin.py, which reads
the counters after each test's setup and after its body.  A line run only in
test bodies takes only the tests whose bodies ran it (node ids: a survivor on a
rarely run line then costs a few tests, not its files); a line a test file runs
in its collection, a fixture or a teardown keeps that file whole (a fixture's
result is reused by tests that do not run it again; tests/conftest.py's session
fixtures, shared by files, hand out paths and bytes, no parse).  Node ids that pytest cannot find
again, or a file whose run failed, leave that file whole.
"""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

COV_TEMP = "build/mutation-cov"  # the instrumented extension's objects, in the scratch copy
# compiled into the instrumented extension only (per_test), for pertest_plugin.py:
# libgcov's own functions are hidden inside the .so, this one is not
HOOK_C = "src/python/zz_mutation_gcov_hook.c"
HOOK = """void __gcov_dump(void);
void __gcov_reset(void);
__attribute__((visibility("default"))) void gd_mutation_gcov_flush(void)
{
    __gcov_dump();
    __gcov_reset();
}
"""
BUILDS_C = re.compile(r'which\("(cc|gcc|clang)"\)|"make"|environ\.get\("CC"')  # a test that compiles src/ itself


SPAWNS = re.compile(r"subprocess|sys\.executable|multiprocessing|ProcessPool|Popen")


def builds_own_c(test_file: Path) -> bool:
    return bool(BUILDS_C.search(test_file.read_text(encoding="utf-8", errors="replace")))


def starts_processes(test_file: Path) -> bool:
    """Python the map's tracer (coverage.py, in this process only) cannot see."""
    return bool(SPAWNS.search(test_file.read_text(encoding="utf-8", errors="replace")))


def _counts(gcda: Path, source: str, cwd: Path) -> dict:
    """{line: count} of source, from one object's counters."""
    p = subprocess.run(["gcov", "--json-format", "--stdout", str(gcda)], cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = {}
    for doc in p.stdout.splitlines():
        if doc.startswith("{"):
            for f in json.loads(doc)["files"]:
                if Path(f["file"]).as_posix().endswith(source):
                    for ln in f["lines"]:
                        out[ln["line_number"]] = out.get(ln["line_number"], 0) + ln["count"]
    return out


class CoverageMap:
    """Built once in a scratch copy (run.py's Scratch); then asked per mutant."""

    def __init__(self, per_test: bool = False):
        self.per_test = per_test
        self.calls = {}     # file: {test file: {node id: lines its body ran}} (per_test)
        self.shared = {}    # file: {test file: lines run outside its test bodies} (per_test)
        self.c_tests = {}   # file: {line: count} in the C tests
        self.by_test = {}   # file: {test file: {line: count}}
        self.unmapped = set()  # files one of whose test files failed: every line keeps its set
        self.opaque = {}       # file: its test files that run code the map cannot see: always run
        self.sets = {}         # file: its test files

    def build(self, sc, files, tests_for):
        c_files = [f for f in files if f.endswith(".c")] if shutil.which("gcov") else []
        py_files = [f for f in files if f.endswith(".py")] if self.per_test else []
        if py_files and importlib.util.find_spec("coverage") is None:
            print("mutation: no map of the Python files (pip install coverage)", flush=True)
            py_files = []
        if not c_files and not py_files:
            return self
        temp = sc.dir / COV_TEMP
        if c_files:
            self._build_c(sc, c_files)
        users = {}  # test file: the files whose set holds it
        for f in c_files + py_files:
            self.by_test[f] = {}
            self.sets[f] = tests_for(f)
            for t in tests_for(f):
                users.setdefault(t, []).append(f)
            # tests it cannot see run: C of their own (C), other processes (Python)
            hides = builds_own_c if f.endswith(".c") else starts_processes
            self.opaque[f] = {t for t in self.sets[f] if hides(sc.dir / "tests" / t)}
        for t, members in sorted(users.items()):
            members = [f for f in members if t not in self.opaque[f]]
            if not members:
                continue
            for old in temp.rglob("*.gcda"):
                old.unlink()
            if self.per_test:
                self._run_by_tests(sc, t, members, temp)
                continue
            if sc.pytest([t], timeout=1800).returncode:
                self.unmapped.update(members)  # cut short: its counts would be too low
                continue
            for f in members:
                gcda = temp / Path(f).with_suffix(".gcda")
                # (no counters: the file never loaded _core.so, so ran none of it)
                self.by_test[f][t] = _counts(gcda, f, sc.dir) if gcda.exists() else {}
        print(f"mutation: coverage of {len(c_files)} C and {len(py_files)} Python files by "
              f"{len(users)} test files" + (" (by tests)" if self.per_test else ""), flush=True)
        return self

    def _build_c(self, sc, c_files):
        """The C tests' counts, and the instrumented extension the test files load."""
        ctests = sc.dir / "tests/c"
        p = sc.run(["make", "-j2", "-C", "tests/c", "build", "VARIANT=cov", "CFLAGS=--coverage -O0",
                    f"CORPUS={sc.corpus}"])
        if p.returncode:
            sys.exit("mutation: the C tests' coverage build fails:\n" + p.stdout[-2000:])
        if sc.run([str(ctests / "build/cov/test_core"), "--corpus", str(sc.corpus)],
                  cwd=ctests).returncode:
            sys.exit("mutation: the C tests fail in their coverage build")
        for f in c_files:
            gcda = ctests / "build/cov/core" / Path(f).relative_to("src").with_suffix(".gcda")
            if gcda.exists():
                self.c_tests[f] = _counts(gcda, f, ctests)
        hook = sc.dir / HOOK_C
        if self.per_test:
            hook.write_text(HOOK, encoding="utf-8")
        p = sc.run([sys.executable, "setup.py", "build_ext", "--inplace", "--force",
                    "--build-temp", COV_TEMP], extra_env=dict(CFLAGS="--coverage -O0",
                                                              LDFLAGS="--coverage"))
        hook.unlink(missing_ok=True)
        if p.returncode:
            sys.exit("mutation: the extension's coverage build fails:\n" + p.stdout[-2000:])

    def _run_by_tests(self, sc, t, members, temp):
        """One test file under pertest_plugin.py: by_test as by files, and calls/shared."""
        out = sc.dir / "build" / "pertest.json"
        gcda = {f: str(temp / Path(f).with_suffix(".gcda")) for f in members if f.endswith(".c")}
        py = [str(sc.dir / f) for f in members if f.endswith(".py")]
        env = dict(GD_PERTEST_GCDA=json.dumps(gcda), GD_PERTEST_PY=json.dumps(py),
                   GD_PERTEST_OUT=str(out),
                   PYTHONPATH=f"{sc.dir}:{sc.dir / 'tests' / 'mutation'}")
        p = sc.pytest([t], timeout=1800, options=["-p", "pertest_plugin"], extra_env=env)
        if p.returncode or not out.exists():
            self.unmapped.update(members)  # cut short: its counts would be too low
            return
        seen = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        ids = {n.removeprefix("tests/"): ran for n, ran in seen["calls"].items()}
        # every id must name its test again, or the file stays whole (a mutant run
        # on an id pytest cannot find would fail: a false kill)
        found = not ids or sc.pytest(list(ids), timeout=600,
                                     options=["--collect-only"]).returncode == 0
        for f in members:
            shared = set(seen["shared"].get(f, ()))
            self.shared.setdefault(f, {})[t] = shared
            every = set(shared)
            for ran in ids.values():
                every.update(ran.get(f, ()))
            # as by files: every line gcov lists, its count 1 when the file ran it
            self.by_test[f][t] = {**dict.fromkeys(seen["listed"].get(f, ()), 0),
                                  **dict.fromkeys(every, 1)}
            if found:
                self.calls.setdefault(f, {})[t] = {n: set(ran.get(f, ())) for n, ran in ids.items()}

    def select(self, path, line, tests: list) -> list:
        """What to give pytest for a mutant of this line: tests(), and per_test the node
        ids of the tests whose bodies ran it, where nothing else ran it."""
        files = self.tests(path, line, tests)
        if not self.per_test or path not in self.calls or not self._mapped(path, line):
            return files
        out = []
        for t in files:
            by_id = self.calls[path].get(t)
            if t in self.opaque[path] or by_id is None or line in self.shared[path].get(t, ()):
                out.append(t)
            else:
                out += [n for n, lines in by_id.items() if line in lines]
        return out

    def _mapped(self, path, line) -> bool:
        """Every test file of path ran here, and gcov lists this line in the extension."""
        return path in self.by_test and path not in self.unmapped and \
            any(line in counts for counts in self.by_test[path].values())

    def uncovered(self, path, line) -> bool:
        """No test that could kill a mutant of this line runs it."""
        if self.opaque.get(path):
            return False
        return self._mapped(path, line) and not self.c_tests.get(path, {}).get(line) and \
            not any(counts.get(line) for counts in self.by_test[path].values())

    def tests(self, path, line, tests: list) -> list:
        """Of tests (the file's set), those that run this line; all of them when unsure."""
        if not self._mapped(path, line):
            return tests
        return [t for t in tests
                if t in self.opaque[path] or self.by_test[path].get(t, {}).get(line)]
