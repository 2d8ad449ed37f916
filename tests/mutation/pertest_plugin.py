"""A pytest plugin for coverage_map.py: which C lines each test's body runs.

Loaded with `-p pertest_plugin` in the map's instrumented run of one test file.
After each test's setup and after its call it flushes the extension's gcov
counters (a hook the map compiles into its build only: gd_mutation_gcov_flush,
__gcov_dump then __gcov_reset) and reads the lines that ran since the last
flush.  Lines that ran in a call belong to that test.  Everything else
(collection, fixtures, teardowns) is "shared": a fixture's result is cached and
reused by later tests, even in other files, so a mutant on such a line keeps
every test file that runs it (as with the map by files).

Python files (GD_PERTEST_PY) are traced by coverage.py in this process, its
context switched to the test's node id around each call (a test file that
starts processes is not run here: coverage_map.py always runs it whole).

Environment: GD_PERTEST_GCDA a JSON {source: its .gcda}, GD_PERTEST_PY a JSON
list of the Python files' absolute paths, GD_PERTEST_OUT where
to write {"shared": {source: [lines]}, "calls": {nodeid: {source: [lines]}},
"listed": {source: [every line gcov lists, run or not]}}.
"""
from __future__ import annotations

import ctypes
import json
import os
import subprocess

import pytest

_GCDA = json.loads(os.environ.get("GD_PERTEST_GCDA", "{}"))
_PY = json.loads(os.environ.get("GD_PERTEST_PY", "[]"))
_seen = {"shared": {}, "calls": {}, "listed": {}}
_flush = []
_SHARED = "shared"
_cov = None
if _PY:  # started before conftest and the test files import govdisclose
    import coverage
    _cov = coverage.Coverage(data_file=None, include=_PY)
    _cov.start()  # (its context is "" until the first test's call: shared)


def _ran() -> dict:
    """{C source: [lines run since the last call]}; the counters start again at 0."""
    if not _GCDA:
        return {}
    if not _flush:
        import govdisclose._core as core  # the instrumented build, with the hook
        _flush.append(ctypes.CDLL(core.__file__).gd_mutation_gcov_flush)
    _flush[0]()
    present = {src: g for src, g in _GCDA.items() if os.path.exists(g)}
    out = {}
    if present:
        p = subprocess.run(["gcov", "--json-format", "--stdout", *present.values()],
                           cwd=os.path.dirname(next(iter(present.values()))),
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for doc in p.stdout.splitlines():
            if doc.startswith("{"):
                for f in json.loads(doc)["files"]:
                    for src in present:
                        if f["file"].replace("\\", "/").endswith(src):
                            out.setdefault(src, set()).update(
                                ln["line_number"] for ln in f["lines"] if ln["count"])
                            _seen["listed"].setdefault(src, set()).update(
                                ln["line_number"] for ln in f["lines"])
        for g in present.values():
            os.unlink(g)  # (a process the test starts writes a fresh one at its exit)
    return out


def _add(into: dict, ran: dict):
    for src, lines in ran.items():
        into.setdefault(src, set()).update(lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield
    _add(_seen["shared"], _ran())  # collection, fixtures, the last test's teardown


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if _cov:
        _cov.switch_context(item.nodeid)
    yield
    if _cov:
        _cov.switch_context(_SHARED)
    _add(_seen["calls"].setdefault(item.nodeid, {}), _ran())


def _python_lines():
    """The traced Python files' lines, by context, into _seen (keyed as the C files are:
    by the path from the scratch copy's top, which is the tests folder's parent)."""
    _cov.stop()
    data = _cov.get_data()
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    top = os.path.dirname(top)  # tests/mutation -> tests -> the copy's top
    for path in _PY:
        src = os.path.relpath(path, top).replace(os.sep, "/")
        _seen["listed"].setdefault(src, set()).update(_cov.analysis2(path)[1])
        for line, contexts in data.contexts_by_lineno(path).items():
            for ctx in contexts:
                into = _seen["shared"] if ctx in (_SHARED, "") else \
                    _seen["calls"].setdefault(ctx, {})
                into.setdefault(src, set()).add(line)


def pytest_sessionfinish(session):
    _add(_seen["shared"], _ran())
    if _cov:
        _python_lines()
    out = {"shared": {s: sorted(v) for s, v in _seen["shared"].items()},
           "listed": {s: sorted(v) for s, v in _seen["listed"].items()},
           "calls": {n: {s: sorted(v) for s, v in d.items()} for n, d in _seen["calls"].items()}}
    with open(os.environ["GD_PERTEST_OUT"], "w", encoding="utf-8") as fh:
        json.dump(out, fh)
