"""The Report the binding builds itself (_core.parse_report) is the Report of
the dicts (Report.from_dict of _core.parse): equal, same hash, same repr, same
to_dict(), and the same type of every value, for every input there is -- the
corpus's text and markdown reports (str and bytes), its PDFs (when pypdfium2 is
installed), the HTML pages and DOCX documents of tests/markup_inputs.py, strict
and not, and mutated texts.  Also: the model is checked when it is registered,
and building never leaks."""
import codecs
import dataclasses
import datetime
import gc
import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclose
from govdisclose import Report, _core, _model

sys.path.insert(0, str(Path(__file__).resolve().parent))
import markup_inputs  # noqa: E402


def dict_route(payload, strict=False, format="text", source=None, report_format=None,
               encoding=None, text=None, findings=(), charset=None):
    """_core.parse_report the way govdisclose.parse worked before it: the
    core's dicts, then Report.from_dict (and GB18030 bytes decoded by
    Python's codec, a U+FEFF at the start left out)."""
    if charset is not None:
        payload = codecs.decode(payload, charset)
        if payload.startswith("\ufeff"):
            payload = payload[1:]
        if text is None:
            text = payload
    d = dict(_core.parse(payload, strict, format))
    d.update(source=source, format=report_format or format, encoding=encoding)
    d["findings"] = list(d["findings"]) + [f.to_dict() for f in findings]
    return Report.from_dict(d, text=text)


def both(monkeypatch, fn, *args, **kwargs):
    """fn(*args) through the binding's objects, then through the dicts."""
    fast = fn(*args, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(_core, "parse_report", dict_route)
        slow = fn(*args, **kwargs)
    return fast, slow


def same_types(a, b, path="report"):
    """a and b hold the same types all the way down (int is not Decimal, a
    tuple is not a list) and every field is set."""
    assert type(a) is type(b), (path, type(a), type(b))
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same_types(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same_types(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            same_types(a[k], b[k], f"{path}[{k!r}]")
    else:
        assert isinstance(a, (str, int, Decimal, datetime.date, type(None))), (path, type(a))


def assert_same(fast, slow):
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert fast.to_dict() == slow.to_dict()
    assert fast.to_dict("value") == slow.to_dict("value")
    assert fast.text == slow.text
    same_types(fast, slow)


def corpus_texts(corpus):
    return sorted(p for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


@pytest.mark.parametrize("strict", [False, True])
def test_corpus_texts(corpus, monkeypatch, strict):
    paths = corpus_texts(corpus)
    assert len(paths) >= 15
    for p in paths:
        data = p.read_bytes()
        for given in (data, data.decode("utf-8"), bytearray(data)):
            assert_same(*both(monkeypatch, govdisclose.parse, given, strict=strict))
        assert_same(*both(monkeypatch, govdisclose.parse_file, p, strict=strict))
        # another encoding: Report.encoding, Report.text and an encoding note
        gb = data.decode("utf-8").encode("gb18030", errors="replace")
        assert_same(*both(monkeypatch, govdisclose.parse, gb, strict=strict))


def test_corpus_pdfs(corpus, monkeypatch):
    pytest.importorskip("pypdfium2")
    pdfs = sorted(corpus.glob("*.pdf"))
    assert pdfs
    for p in pdfs:
        for strict in (False, True):
            fast, slow = both(monkeypatch, govdisclose.parse_file, p, strict=strict)
            assert_same(fast, slow)
            assert fast.format == "pdf" and fast.text


def markup_reports(corpus):
    out = []
    for gold in sorted((corpus / "gold").glob("*.json")):
        try:
            out.append(markup_inputs.Report(corpus, gold.stem))
        except (StopIteration, UnicodeDecodeError, KeyError, IndexError):
            continue  # no text file with the section headings to build from
    assert out
    return out


@pytest.mark.parametrize("strict", [False, True])
def test_html_pages(corpus, monkeypatch, strict):
    for r in markup_reports(corpus):
        for variant in ("word", "sloppy", "layout"):
            page = markup_inputs.html_page(r, variant)
            for given, fmt in ((page, "html"), (page.encode("utf-8"), None),
                               (page.encode("gb18030"), "html")):
                fast, slow = both(monkeypatch, govdisclose.parse, given, strict=strict,
                                  format=fmt)
                assert_same(fast, slow)
                assert fast.format == "html" and fast.requests is not None


def test_docx_documents(corpus, monkeypatch):
    pytest.importorskip("lxml")
    for r in markup_reports(corpus):
        xml = markup_inputs.docx_document(corpus, r)
        for strict in (False, True):
            fast, slow = both(monkeypatch, govdisclose.parse, xml, strict=strict, format="docx")
            assert_same(fast, slow)
            assert fast.format == "docx" and fast.text is not None


@pytest.mark.parametrize("text", ["", "not a report", "二、主动公开政府信息情况\n规章 | 1 | 2 | 3"])
def test_small_inputs(monkeypatch, text):
    for strict in (False, True):
        assert_same(*both(monkeypatch, govdisclose.parse, text, strict=strict))


def test_direct_call_defaults(dazu_text):
    fast = _core.parse_report(dazu_text)
    assert_same(fast, dict_route(dazu_text))
    assert fast.format == "text" and fast.source is None and fast.text is None
    extra = (_model.Finding("x.y", "info", None, None, None, None, "note"),)
    fast = _core.parse_report(dazu_text, True, "text", "a.txt", "pdf", "gbk", "t", extra)
    assert_same(fast, dict_route(dazu_text, True, "text", "a.txt", "pdf", "gbk", "t", extra))
    assert fast.findings[-1] is extra[0]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_texts(dazu_text, data):
    """Cut, repeat and rewrite pieces of a real report: whatever the core makes
    of it, the two routes agree."""
    text = dazu_text
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 400)))
        how = data.draw(st.sampled_from(["cut", "repeat", "digits", "spaces", "dash"]))
        piece = {"cut": "", "repeat": text[i:j] * 2,
                 "digits": "".join("7.5" if c.isdigit() else c for c in text[i:j]),
                 "spaces": text[i:j].replace(" ", "\u3000 \t"),
                 "dash": text[i:j].replace("0", "—")}[how]
        text = text[:i] + piece + text[j:]
    for strict in (False, True):
        assert_same(_core.parse_report(text, strict), dict_route(text, strict))


# ---- the model is checked when it is registered ------------------------------------------


def _register(**changes):
    args = dict(report=Report, cell=_model.Cell, finding=_model.Finding,
                unplaced=_model.Unplaced, extra_row=_model.ExtraRow,
                tables=(_model.Active, _model.Requests, _model.Reviews),
                parts={cls: tuple((n, _model._part_class(cls, n)) for n in _model._fields(cls))
                       for cls in _model._PART_CLASSES.values() if cls is not _model.Cell})
    args.update(changes)
    _core._set_model(*args.values())


def test_model_that_differs_is_refused(dazu_text):
    @dataclasses.dataclass(frozen=True)
    class NoSlots:  # a __dict__, no slots
        value: object
        kind: str
        raw: str
        note: object
        span: tuple

    @_model._record  # dataclass(frozen=True, slots=True), also on 3.9
    class Reordered:
        kind: str
        value: object
        raw: str
        note: object
        span: tuple

    @_model._record  # dataclass(frozen=True, slots=True), also on 3.9
    class Longer:
        value: object
        kind: str
        raw: str
        note: object
        span: tuple
        more: int

    @_model._record  # dataclass(frozen=True, slots=True), also on 3.9
    class ShortRow:  # Reviews' rows have five cells
        upheld: object

    for cell in (NoSlots, Reordered, Longer, int):
        with pytest.raises(TypeError):
            _register(cell=cell)
    with pytest.raises(TypeError):
        _register(tables=(_model.Active, _model.Requests, ShortRow))
    with pytest.raises(TypeError):
        _register(parts={})
    # the model registered before is kept, and still works
    assert_same(_core.parse_report(dazu_text), dict_route(dazu_text))
    _register()
    assert_same(_core.parse_report(dazu_text), dict_route(dazu_text))


def test_an_error_reading_the_model_is_its_own(dazu_text):
    """A class whose __dataclass_fields__ can be read once and then raises (its
    metaclass says so): _set_model reads it again for each field's place, and the
    error it meets is the one raised, not a TypeError about the fields' order;
    for a cell class (a fixed one) and for a table class (a composite)."""
    class Flaky(type):
        reads = None  # None: not counting yet

        def __getattribute__(cls, name):
            if name == "__dataclass_fields__" and Flaky.reads is not None:
                Flaky.reads += 1
                if Flaky.reads > 1:
                    raise RuntimeError("__dataclass_fields__ read twice")
            return super().__getattribute__(name)

    @_model._record
    class FlakyCell(metaclass=Flaky):
        value: object
        kind: str
        raw: str
        note: object
        span: tuple

    @_model._record
    class FlakyReviews(metaclass=Flaky):
        review: object
        litigation_direct: object
        litigation_after_review: object

    parts = {cls: tuple((n, _model._part_class(cls, n)) for n in _model._fields(cls))
             for cls in _model._PART_CLASSES.values() if cls is not _model.Cell}
    parts[FlakyReviews] = parts[_model.Reviews]
    for change in (dict(cell=FlakyCell),
                   dict(tables=(_model.Active, _model.Requests, FlakyReviews), parts=parts)):
        Flaky.reads = 0
        with pytest.raises(RuntimeError, match="read twice"):
            _register(**change)
        assert Flaky.reads == 2
        Flaky.reads = None
    # the model registered before is kept
    assert_same(_core.parse_report(dazu_text), dict_route(dazu_text))


# ---- GC tracking and memory --------------------------------------------------------------


def test_only_the_report_is_tracked(dazu_text):
    r = govdisclose.parse(dazu_text)
    assert gc.is_tracked(r)  # it holds a dict, metadata_spans
    cell = r.requests.granted.natural_person
    for obj in (r.active, r.requests, r.requests.withheld, r.requests.granted, cell, cell.span,
                r.active.extra, govdisclose.parse("not a report").findings[0]):
        assert not gc.is_tracked(obj), obj
    gc.collect()
    assert r == govdisclose.parse(dazu_text)


def test_no_growth_over_many_reports(corpus):
    texts = [p.read_text(encoding="utf-8") for p in corpus_texts(corpus)]
    for t in texts * 5:
        _core.parse_report(t)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(20):
            for t in texts:
                _core.parse_report(t, True).to_dict()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, grown


def test_refcounts_of_inputs_and_extras(dazu_text):
    extra = [_model.Finding("x.y", "info", None, None, None, None, "note")]
    source, text = "src.txt", "the text"
    counts = [sys.getrefcount(x) for x in (dazu_text, extra[0], source, text)]
    for _ in range(50):
        r = _core.parse_report(dazu_text, False, "text", source, None, None, text, extra)
        del r
    with pytest.raises(TypeError):
        _core.parse_report(dazu_text, False, "text", source, None, None, text, 5)
    with pytest.raises(ValueError):
        _core.parse_report(dazu_text, False, "pdf", source, None, None, text, extra)
    assert [sys.getrefcount(x) for x in (dazu_text, extra[0], source, text)] == counts


# ---- a str's UTF-8 form, encoded by the binding without the GIL ---------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["", "é", "中", "😀"]), st.integers(0, 40))
def test_str_and_its_utf8_parse_alike(text, widen, at):
    """Every kind of str (ASCII, latin-1, UCS-2, UCS-4; ASCII runs of every
    length around the wide characters) gives what its UTF-8 bytes give."""
    s = text[:at] + widen + text[at:]
    try:
        data = s.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: Python's own error
        with pytest.raises(UnicodeEncodeError):
            _core.parse(s)
        with pytest.raises(UnicodeEncodeError):
            _core.parse_report(s)
        return
    assert _core.parse(s) == _core.parse(data)
    assert _core.parse_report(s) == _core.parse_report(data)


def test_real_reports_in_every_str_kind(dazu_text):
    for extra in ("", "\u00e9", "\u4e2d", "\U0001F600"):
        s = extra + dazu_text + extra
        data = s.encode("utf-8")
        assert _core.parse(s) == _core.parse(data)
        assert _core.parse(s, format="html") == _core.parse(data, format="html")
