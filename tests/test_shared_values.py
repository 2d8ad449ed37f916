"""The fast paths parse_report builds a Report with (src/python/objects.c and
values.c): ints and digit strings shared between Reports (offsets below 65536,
raw text "0" to "999"), finding cell paths and codes shared, str made from
UTF-8 at its final width.  Each is checked against values computed here from
the input itself (a text cell's raw is its span's text with white space
folded), against the dict route (Report.from_dict of _core.parse), and for
being the str Python's own decoder makes (same kind: a str of a wider kind
than its characters need compares unequal to the canonical one)."""
import dataclasses
import sys
from decimal import Decimal

import pytest

from govdisclose import Report, _core, _model

SHARED_OFFSETS = 65536


def corpus_texts(corpus):
    return sorted(p for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


def dict_route(data, strict=False):
    d = dict(_core.parse(data, strict))
    d.update(source=None, format="text", encoding=None)
    return Report.from_dict(d)


def folded(data: bytes, span) -> str:
    return " ".join(data[span[0]:span[1]].decode("utf-8").split())


def cells_of(report):
    """(path, Cell) of every cell of the three tables and the added rows."""
    out = []

    def walk(obj, path):
        if isinstance(obj, _model.Cell):
            out.append((path, obj))
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), f"{path}.{f.name}")
        elif isinstance(obj, tuple):
            for i, x in enumerate(obj):
                walk(x, f"{path}[{i}]")

    for name in ("active", "requests", "reviews", "statistics"):
        walk(getattr(report, name), name)
    return out


def strs_of(obj, out):
    """Every str anywhere in a Report."""
    if isinstance(obj, str):
        out.append(obj)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name != "text":
                strs_of(getattr(obj, f.name), out)
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            strs_of(x, out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            strs_of(k, out)
            strs_of(v, out)
    return out


def assert_canonical(s):
    """s is the str Python's decoder makes of its UTF-8: same characters,
    same kind (equality compares kinds first), same size, same ASCII flag."""
    again = s.encode("utf-8").decode("utf-8")
    assert type(s) is str
    assert s == again, (s, again)
    assert sys.getsizeof(s) == sys.getsizeof(again), s
    assert s.isascii() == again.isascii(), s


def check_report(data: bytes, strict=False):
    """parse_report of data against its input, the dict route and Python's decoder;
    returns the Report."""
    fast = _core.parse_report(data, strict)
    slow = dict_route(data, strict)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert fast.to_dict() == slow.to_dict()
    for s in strs_of(fast, []):
        assert_canonical(s)
    for path, c in cells_of(fast):
        start, end = c.span
        assert type(start) is int and type(end) is int and 0 <= start <= end <= len(data), path
        assert c.raw == folded(data, c.span), (path, c)
        raw = c.raw
        if c.kind == "number" and raw.isascii() and raw.isdigit():
            assert type(c.value) in (int, Decimal), path
            assert c.value == int(raw), (path, c)
        if type(c.value) is Decimal and raw.isascii() and raw.replace(".", "", 1).isdigit():
            assert str(c.value) == raw, (path, c)  # the digits as written, trailing zeros kept
    return fast


def test_corpus_cells_against_their_input(corpus):
    paths = corpus_texts(corpus)
    assert len(paths) >= 15
    n_cells = n_digits = 0
    for p in paths:
        data = p.read_bytes()
        for strict in (False, True):
            r = check_report(data, strict)
            cells = cells_of(r)
            n_cells += len(cells)
            n_digits += sum(c.raw.isdigit() and len(c.raw) <= 3 for _, c in cells)
            # the str input gives the same Report
            assert _core.parse_report(data.decode("utf-8"), strict) == r
    # the corpus holds cells of both kinds the shared strings tell apart
    assert n_cells > 3000 and 0 < n_digits < n_cells


def test_offsets_and_digits_are_shared_between_reports(dazu_bytes):
    a = _core.parse_report(dazu_bytes)
    b = _core.parse_report(dazu_bytes.decode("utf-8"))
    pairs = list(zip(cells_of(a), cells_of(b)))
    assert len(pairs) > 50
    for (path, x), (_, y) in pairs:
        assert x == y and x is not y, path
        assert x.span is not y.span  # each Cell has its own tuple
        assert x.span[0] is y.span[0] and x.span[1] is y.span[1], path
        if x.raw.isdigit() and x.raw.isascii() and len(x.raw) <= 3:
            assert x.raw is y.raw, path
    assert a.requests.granted.natural_person.raw == "2"
    assert a.active.fees.amount.value == Decimal("221.67")
    assert a.active.fees.amount.raw == "221.67"


def substitute(data: bytes, span, new: str) -> bytes:
    return data[:span[0]] + new.encode("utf-8") + data[span[1]:]


# Raw texts at and around the edges of the shared digit strings ("0" to "999",
# no leading zeros), and cells whose notes take each path of the str decoder:
# one Latin-1 character, U+0100 (two bytes, two-byte kind), astral, mixed.
@pytest.mark.parametrize("new", [
    "0", "9", "10", "99", "100", "999", "1000", "65536", "00", "007", "0999", "１２",
    "12（a）", "12（é）", "12（ÿ）", "12（Ā）", "12（😀）", "12（é说明😀x）", "12（说明abcdefghijklmn）",
    "221.67", "0.50",
])
def test_cell_text_variants(dazu_bytes, new):
    base = _core.parse_report(dazu_bytes)
    span = base.requests.granted.natural_person.span
    data = substitute(dazu_bytes, span, new)
    r = check_report(data)
    c = r.requests.granted.natural_person
    assert c.span[0] == span[0]
    assert c.raw == new
    assert c.kind == "number"
    if new.isascii() and new.isdigit():
        assert c.value == int(new) and c.note is None
    if "（" in new:
        note = new[new.index("（") + 1:-1]
        assert c.note == note and c.value == 12
        assert_canonical(c.note)


def test_money_cells_are_decimal(dazu_bytes):
    base = _core.parse_report(dazu_bytes)
    span = base.active.fees.amount.span
    for new in ("0", "7", "999", "1000", "0.00", "12.5", "221.670"):
        r = check_report(substitute(dazu_bytes, span, new))
        c = r.active.fees.amount
        assert type(c.value) is Decimal and str(c.value) == new and c.raw == new


@pytest.mark.parametrize("shift", [-2, -1, 0, 1, 2])
def test_offsets_across_the_shared_limit(dazu_bytes, shift):
    """A report moved down by a preamble, so that one cell's span starts just
    below, at and just above 65536 (the last offset shared is 65535)."""
    base = _core.parse_report(dazu_bytes)
    start = base.requests.granted.natural_person.span[0]
    line = "本页为说明文字，不含表格。\n".encode("utf-8")
    pad = SHARED_OFFSETS + shift - start
    preamble = line * (pad // len(line))
    preamble += b"\n" * (pad - len(preamble))
    data = preamble + dazu_bytes
    r = check_report(data)
    c = r.requests.granted.natural_person
    assert c.span == (SHARED_OFFSETS + shift, SHARED_OFFSETS + shift + 1)
    moved = [(p, (x.span[0] - pad, x.span[1] - pad)) for p, x in cells_of(r)]
    assert moved == [(p, x.span) for p, x in cells_of(base)]
    # and again: the shared ints made by the first parse give the same Report
    assert _core.parse_report(data) == r


def test_findings_cells_and_codes_repeat(corpus):
    """The shared finding paths and codes: the same findings on every parse,
    each as the dict route gives it, names of real cells and rows."""
    seen = 0
    for p in corpus_texts(corpus):
        data = p.read_bytes()
        first = _core.parse_report(data, True).findings
        again = _core.parse_report(data, True).findings
        assert first == again == dict_route(data, True).findings
        for f in first:
            assert_canonical(f.code)
            assert_canonical(f.message)
            if f.cell is not None:
                assert_canonical(f.cell)
                assert f.cell.split(".")[0] == f.table
                seen += 1
    assert seen > 20
