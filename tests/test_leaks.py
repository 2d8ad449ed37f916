"""Leaks and references: a batch of a million files must not grow.

- 10,000 parses of the corpus's text reports in all: 8,000 watched by the process's
  resident size (what the C core allocates is invisible to tracemalloc) and 2,000
  by tracemalloc (the Python objects the binding and the model layer make), each
  after a warm-up, with a tolerance; the figures are printed at the end.
- sys.getrefcount on everything the binding returns: each container is referenced
  by its parent only (none is shared, none leaks a reference), and parsing leaves
  the input's count as it was, on success and on every error path.
- MemoryError: the core's out-of-memory path and the binding's copy of a writable
  buffer, driven by an address-space limit in a child process; the process goes on
  parsing afterwards and does not grow from repeated failures.

GOVDISCLOSE_RSS_TOLERANCE_MB widens the RSS tolerance (tests/sanitize.sh sets it:
ASan keeps freed blocks in quarantine).
"""
import gc
import os
import sys
import tracemalloc
from pathlib import Path

import pytest

import govdisclose
from govdisclose import _core

from bounded import record_figures, run_child
from conftest import corpus_dir

RSS_PARSES = 8_000
TRACED_PARSES = 2_000
WARMUP = 300
RSS_TOLERANCE_MB = float(os.environ.get("GOVDISCLOSE_RSS_TOLERANCE_MB", "6"))
TRACED_TOLERANCE_KB = 256

FIGURES = []


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    record_figures(request, "leaks: memory before and after the parse loops", FIGURES)


def texts():
    d = corpus_dir()
    out = [p.read_bytes() for p in sorted(list(d.glob("*.txt")) + list(d.glob("*.md")))
           if p.name != "README.md"]
    assert len(out) >= 15, f"too few corpus reports in {d}"
    return out


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        resident = int(f.read().split()[1])
    return resident * os.sysconf("SC_PAGE_SIZE")


def parse_loop(data, n, start=0):
    for i in range(start, start + n):
        b = data[i % len(data)]
        r = govdisclose.parse(b if i % 3 else b.decode("utf-8"), strict=bool(i % 2))
        r.to_dict()


def test_rss_does_not_grow_over_8000_parses(corpus):
    data = texts()
    parse_loop(data, WARMUP)
    gc.collect()
    before = rss_bytes()
    parse_loop(data, RSS_PARSES // 2, WARMUP)
    gc.collect()
    middle = rss_bytes()
    parse_loop(data, RSS_PARSES - RSS_PARSES // 2, WARMUP + RSS_PARSES // 2)
    gc.collect()
    after = rss_bytes()
    mb = 1024 * 1024
    FIGURES.append(f"RSS: {before / mb:.1f} MB after {WARMUP} warm-up parses, "
                   f"{middle / mb:.1f} MB after {RSS_PARSES // 2} more, {after / mb:.1f} MB after "
                   f"{RSS_PARSES} (growth {(after - before) / mb:+.2f} MB, tolerance "
                   f"{RSS_TOLERANCE_MB:g} MB)")
    assert after - before <= RSS_TOLERANCE_MB * mb, FIGURES[-1]


def test_python_objects_do_not_grow_over_2000_parses(corpus):
    data = texts()
    parse_loop(data, WARMUP)
    gc.collect()
    tracemalloc.start()
    try:
        parse_loop(data, 50)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        snap0 = tracemalloc.take_snapshot()
        parse_loop(data, TRACED_PARSES, 50)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        snap1 = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    top = snap1.compare_to(snap0, "lineno")[:5]
    FIGURES.append(f"tracemalloc: {before / 1024:.1f} KiB traced before {TRACED_PARSES} parses, "
                   f"{after / 1024:.1f} KiB after (growth {(after - before) / 1024:+.1f} KiB, "
                   f"tolerance {TRACED_TOLERANCE_KB} KiB)")
    assert after - before <= TRACED_TOLERANCE_KB * 1024, \
        FIGURES[-1] + "\n" + "\n".join(str(s) for s in top)


def test_error_paths_do_not_grow(corpus):
    """ParseError (bad UTF-8) and TypeError, 3,000 times each: nothing kept."""
    bad = texts()[0][:500] + b"\xff" + texts()[0][500:]
    for _ in range(200):
        with pytest.raises(govdisclose.ParseError):
            govdisclose.parse(bad)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(3000):
            with pytest.raises(govdisclose.ParseError):
                govdisclose.parse(bad)
            with pytest.raises(TypeError):
                govdisclose.parse(12345)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    FIGURES.append(f"error paths: {after - before:+d} bytes traced over 6,000 errors")
    assert after - before <= 64 * 1024, FIGURES[-1]


# ---- References --------------------------------------------------------------------


def containers(v, out):
    if isinstance(v, (dict, list)):
        out.append(v)
        for w in (v.values() if isinstance(v, dict) else v):
            containers(w, out)
    return out


def assert_owned_once(root):
    """Every dict and list under root is referenced by exactly one parent."""
    objs = containers(root, [])
    bad = []
    for i in range(1, len(objs)):
        x = objs[i]
        # its parent, the list objs, the variable x, getrefcount's argument
        n = sys.getrefcount(x)
        if n != 4:
            bad.append((type(x).__name__, n, repr(x)[:60]))
    assert bad == [], f"containers with unexpected reference counts: {bad[:5]}"
    return len(objs)


def test_refcounts_of_parse_results(corpus):
    total = 0
    for b in texts():
        d = _core.parse(b)
        # d itself: the local and getrefcount's argument
        assert sys.getrefcount(d) == 2
        total += assert_owned_once(d)
        assert sys.getrefcount(d) == 2
    assert total > 2000


def test_refcounts_of_template_and_identities():
    for f in (_core.template, _core.identities):
        v = f()
        assert sys.getrefcount(v) == 2
        assert_owned_once(v)
        del v
        assert f() == f()


def test_input_refcounts_are_unchanged(corpus):
    good = texts()[0]
    bad = good[:100] + b"\xff" + good[100:]
    ba = bytearray(good)
    view_of_ba = memoryview(ba)
    inputs = [good, good.decode("utf-8"), ba, memoryview(good), view_of_ba,
              bad, bytearray(bad), object(), 3.5, ["not", "text"]]
    for x in inputs:
        before = sys.getrefcount(x)
        for strict in (False, True):
            for _ in range(50):
                try:
                    govdisclose.parse(x, strict=strict)
                except (govdisclose.ParseError, TypeError):
                    pass
        assert sys.getrefcount(x) == before, type(x).__name__
    # the binding released its buffer view: once ours is gone, the bytearray can be resized
    inputs.clear()
    view_of_ba.release()
    ba.extend(b"\n")
    mv = memoryview(good)
    _core.parse(mv)
    mv.release()


def test_parse_error_carries_no_extra_references(corpus):
    bad = b"ascii text " * 10 + b"\xff"
    try:
        _core.parse(bad)
    except govdisclose.ParseError as e:
        err = e
    assert err.offset == 110
    err.__traceback__ = None
    assert sys.getrefcount(err) == 2
    assert sys.getrefcount(err.offset) >= 2 and err.args


# ---- MemoryError --------------------------------------------------------------------

UNDER_ASAN = "libasan" in os.environ.get("LD_PRELOAD", "")


@pytest.mark.skipif(UNDER_ASAN, reason=(
    "an address-space limit cannot work beside ASan's shadow memory; this test runs in "
    "the plain suite (tests/sanitize.sh runs the rest under ASan)"))
def test_memory_error_paths(corpus):
    got = run_child("MemoryError under an address-space limit", """
        import gc, os, resource
        ok = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        first = govdisclose.parse(ok).to_dict()
        cells = "1\\t" * 5_000_000            # 10 MB of text: 5 million tokens, 160 MB of them
        writable = bytearray(150_000_000)     # the binding copies a writable buffer
        def vm():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        out = {}
        gc.collect()
        base = rss()
        resource.setrlimit(resource.RLIMIT_AS, (vm() + 100_000_000, hard))
        try:
            for name, x in (("core", cells), ("copy", writable)):
                kinds = set()
                for _ in range(10):
                    try:
                        govdisclose.parse(x)
                        kinds.add("parsed")
                    except MemoryError:
                        kinds.add("MemoryError")
                out[name] = sorted(kinds)
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        gc.collect()
        out["growth_mb"] = (rss() - base) / 2**20
        out["after"] = govdisclose.parse(ok).to_dict() == first
        result(**out)
    """, corpus_dir(), 300)
    assert got["core"] == ["MemoryError"], got
    assert got["copy"] == ["MemoryError"], got
    assert got["after"]
    FIGURES.append(f"MemoryError: 20 failed parses grew RSS by {got['growth_mb']:+.1f} MB")
    assert got["growth_mb"] < 20, got
