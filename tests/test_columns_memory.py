"""read_reports' columns (src/python/columns*.c) own what they take, exactly once.

Rows Python gives (columns_put_rows: a scan's, a file that failed, any call
that raised) put their Decimals in the columns' own dict; a columns object
dropped without columns_take (a read_reports that raised half-way, a chunk
that is emptied and used again) must let them go.  Every call is also run
with allocations failing, one by one (CPython's _testcapi.set_nomemory): each
raises MemoryError or succeeds, never crashes, and nothing it took stays.
"""
import decimal
import gc
import sys
import tracemalloc

import pytest

import govdisclose
from govdisclose import _columns, _core

# Three text reports: 2021's template (wide money columns, fees) and two others.
NAMES = ("dazu-gaj-2021.txt", "pingtan-2021.txt", "pingtan-2013.txt")


@pytest.fixture(scope="module")
def given(corpus):
    """Each shape's rows of the three reports, as the Report path gives them."""
    reports = [(name, govdisclose.parse_file(corpus / name)) for name in NAMES]
    return {shape: [(name, _columns.rows(shape, name, r)) for name, r in reports]
            for shape in ("wide", "long")}


def _chunk(shape, rows):
    """A worker's columns with every item's rows given by Python."""
    chunk = _core.columns_like(_columns.layout(shape))
    pending = _core.columns_fill(chunk, [(name, None) for name, _ in rows])
    assert [i for i, _ in pending] == list(range(len(rows)))
    for (i, _), (_, item_rows) in zip(pending, rows):
        _core.columns_put_rows(chunk, i, item_rows)
    return chunk


def _grown(build, times):
    """Bytes Python holds more after build() ran times times (after warming up)."""
    for _ in range(3):
        build()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(times):
            build()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_rows_given_by_python_are_released(given, shape):
    """Columns dropped untaken, and a chunk emptied into the frame's columns (as
    read_reports does), release every object of the rows Python gave."""
    rows = given[shape]
    values = [v for _, item_rows in rows for row in item_rows for v in row
              if isinstance(v, decimal.Decimal)]
    if shape == "long":  # every number cell of the three reports is a Decimal here
        assert len(values) > 200
    else:  # the fee columns: money
        assert values and all(v >= 0 for v in values)
    chunk = _chunk(shape, rows)
    taken = _core.columns_take(chunk)
    decs = [part[1] for part in taken if part[0] == "dec"]
    assert sum(v is not None for col in decs for v in col) == len(values)

    def dropped():
        _chunk(shape, rows)

    def emptied():
        main = _core.columns_like(_columns.layout(shape))
        chunk = _chunk(shape, rows)
        _core.columns_extend(main, chunk)
        _core.columns_clear(chunk)
        _core.columns_take(main)

    # nothing grows (0 bytes measured); the dict of a chunk's objects leaked
    # is over 200 bytes a call with the two Decimals of the wide rows, some
    # 20 KB with the long rows' 397
    for build in (dropped, emptied):
        assert _grown(build, 40) < 3_000, build.__name__


# ---- every allocation failing in turn ----------------------------------------------


@pytest.fixture(scope="module")
def nomem():
    """CPython's hook that fails allocations (not in every build: Debian ships
    _testcapi apart), with a Decimal context made first (CPython 3.11's _decimal
    crashes when it makes a thread's context under it)."""
    testcapi = pytest.importorskip("_testcapi")
    if not hasattr(testcapi, "set_nomemory"):
        pytest.skip("this Python's _testcapi has no set_nomemory")
    decimal.getcontext()
    return testcapi


def _sweep(testcapi, setup, call, check):
    """call(*setup()) with the Nth allocation and all later ones failing, for
    N = 0, 1, ... until it succeeds; then with only the Nth failing, for each N
    it reached.  check(args, result) after each (result MemoryError when it
    raised that; any other exception fails the test).  The allocations reached."""
    def once(start, stop):
        args = setup()
        testcapi.set_nomemory(start, stop)
        try:
            out = call(*args)
        except MemoryError:
            out = MemoryError
        finally:
            testcapi.remove_mem_hooks()
        check(args, out)
        return out

    reached = 0
    while once(reached, 0) is MemoryError:
        reached += 1
    for n in range(reached):
        once(n, n + 1)
    return reached


def _blocks_kept(run, given=None, items=()):
    """Blocks Python holds more after a second run() than after the first; the
    references to the rows' lists and Decimals, and to items, the same."""
    watch = list(items)
    for rows in (given or {}).values():
        for _, item_rows in rows:
            watch += item_rows + [v for row in item_rows for v in row
                                  if isinstance(v, decimal.Decimal)]
    run()
    gc.collect()
    before, refs = sys.getallocatedblocks(), [sys.getrefcount(o) for o in watch]
    run()
    gc.collect()
    assert [sys.getrefcount(o) for o in watch] == refs
    return sys.getallocatedblocks() - before


def _items(corpus):
    """The three reports as columns_fill's items: a core call, the file lane,
    and one whose rows Python gives."""
    first = corpus / NAMES[0]
    return [(NAMES[0], (first.read_text(encoding="utf-8"), False, "text", NAMES[0], "text")),
            (NAMES[1], str(corpus / NAMES[1])),
            (NAMES[2], None)]


def _give(chunk, pending, rows):
    for i, _ in pending:
        _core.columns_put_rows(chunk, i, rows[i][1])


def _in_order(chunk, proto):
    """A chunk's columns in the order of its items (as the frame's are)."""
    main = _core.columns_like(proto)
    _core.columns_extend(main, chunk)
    return _core.columns_take(main)


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_fill_with_allocations_failing(nomem, given, corpus, shape):
    """columns_fill raises MemoryError, or leaves the item whose rows could not
    be written pending (with its MemoryError), none of its rows kept: with the
    Report path's rows given then, the columns are those of a good run."""
    rows, items, proto = given[shape], _items(corpus), _columns.layout(shape)
    want = _core.columns_take(_chunk(shape, rows))
    seen = []

    def check(args, out):
        if out is MemoryError:
            return
        chunk = args[0]
        assert all(exc is None or isinstance(exc, MemoryError) for _, exc in out)
        seen.append(len(out))
        _give(chunk, out, rows)
        assert _in_order(chunk, proto) == want

    def run():
        return _sweep(nomem, lambda: (_core.columns_like(proto), items), _core.columns_fill, check)

    assert _blocks_kept(run, given, items + [i[1] for i in items]) < 30
    # item 2 always pends; item 0 or 1 with it when its rows could not be written
    assert run() > 100 and min(seen) == 1 and max(seen) == 2


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_put_rows_with_allocations_failing(nomem, given, shape):
    """A columns_put_rows that fails keeps none of its rows (nor their objects):
    given again, the columns are those of a good run."""
    rows, proto = given[shape], _columns.layout(shape)
    want = _core.columns_take(_chunk(shape, rows))

    def setup():
        chunk = _core.columns_like(proto)
        pending = _core.columns_fill(chunk, [(name, None) for name, _ in rows])
        _give(chunk, pending[:2], rows)
        return chunk, 2, rows[2][1]

    def check(args, out):
        chunk = args[0]
        if out is MemoryError:
            assert _core.columns_len(chunk) == sum(len(r) for _, r in rows[:2])
            _core.columns_put_rows(*args)
        assert _core.columns_take(chunk) == want

    def run():
        return _sweep(nomem, setup, _core.columns_put_rows, check)

    assert _blocks_kept(run, given) < 30


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_extend_with_allocations_failing(nomem, given, shape):
    """A columns_extend that fails leaves the frame's columns as they were:
    extended again, they hold both batches."""
    rows, proto = given[shape], _columns.layout(shape)
    one = _core.columns_take(_chunk(shape, rows))

    def setup():
        main = _core.columns_like(proto)
        _core.columns_extend(main, _chunk(shape, rows))
        return main, _chunk(shape, rows)

    def check(args, out):
        main, chunk = args
        if out is MemoryError:
            assert _core.columns_len(main) == _core.columns_len(chunk)
            _core.columns_extend(main, chunk)
        got = _core.columns_take(main)
        for (kind, *a), (_, *b) in zip(got, one):
            if kind == "str":  # offsets, data, missing
                n = len(b[0]) // 8 - 1
                end = int.from_bytes(b[0][-8:], sys.byteorder)
                assert a[0][:len(b[0])] == b[0] and a[1] == b[1] + b[1] and a[2] == b[2] + b[2]
                assert len(a[0]) == 8 * (2 * n + 1)
                assert int.from_bytes(a[0][-8:], sys.byteorder) == 2 * end
            else:
                assert all(x == y + y for x, y in zip(a, b)), kind

    def run():
        return _sweep(nomem, setup, _core.columns_extend, check)

    assert _blocks_kept(run, given) < 30


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_take_and_clear_with_allocations_failing(nomem, given, shape):
    """columns_take gives the columns or raises MemoryError (and is spent
    then, but when it failed before its first column); columns_clear under failing allocations leaves columns that
    fill as fresh ones."""
    rows, proto = given[shape], _columns.layout(shape)
    want = _core.columns_take(_chunk(shape, rows))

    def taken(args, out):
        if out is MemoryError:
            try:
                out = _core.columns_take(*args)
            except ValueError as e:
                assert "taken" in str(e)
                return
        assert out == want

    def cleared(args, out):
        chunk, = args
        assert out is None and _core.columns_len(chunk) == 0
        pending = _core.columns_fill(chunk, [(name, None) for name, _ in rows])
        _give(chunk, pending, rows)
        assert _core.columns_take(chunk) == want

    def run():
        _sweep(nomem, lambda: (_chunk(shape, rows),), _core.columns_take, taken)
        _sweep(nomem, lambda: (_chunk(shape, rows),), _core.columns_clear, cleared)

    assert _blocks_kept(run, given) < 30


def test_new_and_like_with_allocations_failing(nomem):
    """columns_new and columns_like give usable columns or raise MemoryError."""
    names = _columns.names("wide")
    magic = _columns._magic()

    def check(args, out):
        if out is not MemoryError:
            assert _core.columns_len(out) == 0
            assert len(_core.columns_take(out)) in (len(names), len(_columns.names("long")))

    def run():
        _sweep(nomem, lambda: ("wide", names, magic), _core.columns_new, check)
        _sweep(nomem, lambda: (_columns.layout("long"),), _core.columns_like, check)

    assert _blocks_kept(run) < 30
