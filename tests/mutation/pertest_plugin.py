"""A pytest plugin for coverage_map.py: which C lines each test's body runs.

Loaded with `-p pertest_plugin` in the map's instrumented run of one test file.
After each test's setup and after its call it flushes the extension's gcov
counters (a hook the map compiles into its build only: gd_mutation_gcov_flush,
__gcov_dump then __gcov_reset) and reads the lines that ran since the last
flush.  Lines that ran in a call belong to that test.  Everything else
(collection, fixtures, teardowns) is "shared": a fixture's result is cached and
reused by later tests, even in other files, so a mutant on such a line keeps
every test file that runs it (as with the map by files).

Environment: GD_PERTEST_GCDA a JSON {source: its .gcda}, GD_PERTEST_OUT where
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
_seen = {"shared": {}, "calls": {}, "listed": {}}
_flush = []


def _ran() -> dict:
    """{source: [lines run since the last call]}; the counters start again at 0."""
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
    yield
    _add(_seen["calls"].setdefault(item.nodeid, {}), _ran())


def pytest_sessionfinish(session):
    _add(_seen["shared"], _ran())
    out = {"shared": {s: sorted(v) for s, v in _seen["shared"].items()},
           "listed": {s: sorted(v) for s, v in _seen["listed"].items()},
           "calls": {n: {s: sorted(v) for s, v in d.items()} for n, d in _seen["calls"].items()}}
    with open(os.environ["GD_PERTEST_OUT"], "w", encoding="utf-8") as fh:
        json.dump(out, fh)
