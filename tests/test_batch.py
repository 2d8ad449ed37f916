"""parse_many's batches: _core.parse_reports (many parse_report calls, one GIL
release; run_cores and build_reports are its two halves) and the long-lived
workers of bulk._threaded.

A batch must give what parse gives, report for report (value and type), keep
each failure in its place, keep input order, and stop cleanly when its
consumer stops early.
"""
import gc
import random
import sys
import threading
import tracemalloc

import pytest

import govdisclose
from govdisclose import _core, _model, _read, bulk

import markup_inputs
from test_fast_report import assert_same, markup_reports


def corpus_inputs(corpus):
    """(name, data) for every report file of the corpus as bytes, the text
    ones also as str and in GB18030, and HTML pages and Word XML built from them."""
    out = []
    for p in sorted(corpus.iterdir()):
        if not p.is_file() or p.name in ("README.md", "MANIFEST.tsv"):
            continue
        data = p.read_bytes()
        out.append((p.name, data))
        if p.suffix in (".txt", ".md"):
            text = data.decode("utf-8")
            out.append((p.name + ":str", text))
            out.append((p.name + ":gb18030", text.encode("gb18030", errors="replace")))
    for r in markup_reports(corpus)[:4]:
        out.append((r.name + ".html", markup_inputs.html_page(r, "sloppy").encode("utf-8")))
        # as served: in the GB2312 the page declares (the core decodes it in the batch)
        out.append((r.name + ":gb.html", markup_inputs.html_page(r, "word").encode("gb18030")))
    return out


def worker_threads():
    return [t for t in threading.enumerate() if t.name.startswith("govdisclose-")]


@pytest.mark.parametrize("strict", [False, True])
def test_batch_equals_parse_on_every_corpus_file(corpus, strict):
    items = corpus_inputs(corpus)
    assert len(items) >= 60
    kinds = {n.rsplit(".", 1)[-1] for n, _ in items}
    assert {"txt", "pdf", "docx", "html", "txt:str"} <= kinds, kinds
    jobs = [(name, bulk._data_job(data, name, strict, name)) for name, data in items]
    got = bulk._run_batch(jobs)
    assert [name for name, _ in got] == [name for name, _ in items]
    for (name, data), (_, report) in zip(items, got):
        try:
            want = govdisclose.parse(data, strict=strict)
        except govdisclose.ParseError as e:  # the docx template: a failed report in place
            assert report.findings[0].code == "parse.failed", name
            assert str(e) in report.findings[0].message, name
            continue
        assert_same(report, bulk._with_source(want, name))
    agencies = {name: r.agency for name, r in got}
    assert agencies["dazu-gaj-2021.txt:str"] == "重庆市大足区公安局"
    assert agencies["dazu-gaj-2021.txt:gb18030"] == "重庆市大足区公安局"
    gb_pages = [(name, r) for name, r in got if name.endswith(":gb.html")]
    assert len(gb_pages) == len(markup_reports(corpus)[:4]) >= 2
    assert all(r.encoding == "gb18030" for _, r in gb_pages)


def test_plans_reach_the_core_in_one_call(corpus, dazu_bytes, dazu_text):
    """Text, HTML and Word XML are planned as core calls, a PDF as its Report."""
    assert _read._plan(dazu_text, True, "a") == (dazu_text, True, "text", "a", "text")
    call = _read._plan(dazu_bytes, False, None)
    assert isinstance(call, tuple) and call[2] == "text"
    # GB18030 bytes are first tried as UTF-8 (the core checks it, as in parse);
    # the batch redoes that report through parse, which reads it as GB18030
    gb = dazu_text.encode("gb18030")
    assert _read._plan(gb, False, None)[5] == "utf-8"
    page = markup_inputs.html_page(markup_reports(corpus)[0], "word")
    assert _read._plan(page.encode("gb18030"), False, None)[8] == "gb18030"  # decoded in the core
    [(_, r)] = bulk._run_batch([(None, bulk._data_job(gb, None, False, None))])
    assert r.encoding == "gb18030" and r.text == dazu_text and r == govdisclose.parse(gb)
    pytest.importorskip("pypdfium2")
    # a PDF's text layer is a core call too, batched like the others
    pdf_bytes = (corpus / "hongze-2023.pdf").read_bytes()
    pdf = _read._plan(pdf_bytes, False, "h.pdf")
    assert isinstance(pdf, tuple) and pdf[2:5] == ("text", "h.pdf", "pdf")
    [(_, r)] = bulk._run_batch([("h.pdf", bulk._data_job(pdf_bytes, "h.pdf", False, None))])
    assert_same(r, bulk._with_source(govdisclose.parse(pdf_bytes), "h.pdf"))


def test_parse_reports_keeps_each_error_in_its_place(dazu_text, dazu_bytes):
    at = len(dazu_text[:40].encode("utf-8"))  # a character boundary
    bad_utf8 = dazu_bytes[:at] + b"\xff" + dazu_bytes[at:]
    calls = [(dazu_text,), (5,), (dazu_bytes, True), (bad_utf8,), "not a tuple",
             (dazu_text, False, "pdf"), (), (dazu_text, False, "text", None, None, None, None, 7),
             (dazu_text, True, "text", "src.txt")]
    got = _core.parse_reports(calls)
    assert len(got) == len(calls)
    assert_same(got[0], _core.parse_report(dazu_text))
    assert isinstance(got[1], TypeError) and "not int" in str(got[1])
    assert_same(got[2], _core.parse_report(dazu_bytes, True))
    assert isinstance(got[3], govdisclose.ParseError) and got[3].offset == at
    assert isinstance(got[4], TypeError) and "not str" in str(got[4])
    assert isinstance(got[5], ValueError) and '"pdf"' in str(got[5])
    assert isinstance(got[6], TypeError)  # data is required
    assert isinstance(got[7], TypeError)  # findings must be a sequence of Findings
    assert got[8].source == "src.txt" and got[8] == _core.parse_report(dazu_text, True,
                                                                       "text", "src.txt")
    assert _core.parse_reports([]) == []
    assert _core.parse_reports(iter([(dazu_text,)])) == [_core.parse_report(dazu_text)]
    with pytest.raises(TypeError):
        _core.parse_reports(5)


def test_parse_many_keeps_failures_in_place(dazu_text, dazu_bytes):
    bad = b"abc\x80\xff" * 1000  # no encoding fits
    sources = [dazu_text, bad, 7, ("named", dazu_bytes), ("empty", b""), dazu_text] * 20
    serial = list(govdisclose.parse_many(sources, workers=1))
    threaded = list(govdisclose.parse_many(sources, workers=2))
    assert serial == threaded
    failed = [any(f.code == "parse.failed" for f in r.findings) for r in threaded]
    assert failed == [False, True, True, False, False, False] * 20
    assert threaded[0] == govdisclose.parse(dazu_text)
    assert threaded[3].source == "named" and threaded[3].agency == "重庆市大足区公安局"
    assert threaded[4].source == "empty" and threaded[4] == bulk._with_source(
        govdisclose.parse(b""), "empty")
    assert "input #1" in threaded[1].findings[0].message


def test_order_kept_from_a_generator(corpus):
    texts = [p.read_text(encoding="utf-8") for p in corpus.iterdir()
             if p.suffix in (".txt", ".md") and p.name != "README.md"]
    order = [random.Random(7).randrange(len(texts)) for _ in range(300)]
    pulled = []

    def gen():
        for i in order:
            pulled.append(i)
            yield texts[i]

    got = list(govdisclose.parse_many(gen(), workers=2))
    assert pulled == order
    want = {i: govdisclose.parse(texts[i]) for i in set(order)}
    assert got == [want[i] for i in order]
    assert {r.agency for r in got} == {r.agency for r in want.values()}


def test_early_close_stops_the_workers_and_frees_the_input(dazu_text):
    before = len(worker_threads())
    closed = []

    def gen():
        try:
            for _ in range(10_000):
                yield dazu_text
        finally:
            closed.append(True)

    it = govdisclose.parse_many(gen(), workers=2)
    first = [next(it) for _ in range(5)]
    assert len(worker_threads()) == before + 1  # and the consumer: two workers
    it.close()
    assert len(worker_threads()) == before
    del it
    gc.collect()
    assert closed == [True]
    assert all(r.agency == "重庆市大足区公安局" for r in first)


def test_an_interrupted_input_stops_the_batch(dazu_text):
    before = len(worker_threads())

    def gen():
        yield from [dazu_text] * 40
        raise KeyboardInterrupt

    got = []
    with pytest.raises(KeyboardInterrupt):
        for r in govdisclose.parse_many(gen(), workers=2):
            got.append(r)
    assert len(got) <= 40 and len(worker_threads()) == before


def test_a_worker_interrupted_raises_in_the_consumer():
    def stop():
        raise KeyboardInterrupt

    jobs = [("a", lambda: bulk.failed_report("a", "x")), ("b", stop)]
    with pytest.raises(KeyboardInterrupt):
        list(bulk._threaded(jobs, 2))


def test_refcounts_of_batch_inputs(dazu_text):
    extra = [_model.Finding("x.y", "info", None, None, None, None, "note")]
    source, text, data = "src.txt", "the text", dazu_text.encode("utf-8")
    objs = (dazu_text, extra[0], source, text, data)
    calls = [(dazu_text, False, "text", source, None, None, text, extra), (data, True),
             (dazu_text, False, "pdf", source), (data, False, "text", source, None, None, text, 5),
             (data[:50] + b"\xff",)]
    counts = [sys.getrefcount(x) for x in objs]
    for _ in range(50):
        got = _core.parse_reports(calls)
        assert [type(r).__name__ for r in got] == ["Report", "Report", "ValueError",
                                                   "TypeError", "ParseError"]
        del got
    assert [sys.getrefcount(x) for x in objs] == counts


def test_no_growth_over_many_batches(corpus):
    texts = [p.read_text(encoding="utf-8") for p in corpus.iterdir()
             if p.suffix in (".txt", ".md") and p.name != "README.md"]
    calls = [(t, i % 2 == 0) for i, t in enumerate(texts)] + [(b"\xff",), (3,)]
    for _ in range(3):
        _core.parse_reports(calls)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(20):
            for r in _core.parse_reports(calls):
                r.to_dict() if isinstance(r, govdisclose.Report) else str(r)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, grown


def test_cores_built_apart(dazu_text, dazu_bytes):
    """run_cores then build_reports (parse_many's workers, then its consumer)
    give parse_reports' list; built once; dropped unbuilt, they free all."""
    calls = [(dazu_text,), (7,), (dazu_bytes, True, "text", "s.txt")]
    got = _core.build_reports(_core.run_cores(calls))
    want = _core.parse_reports(calls)
    assert_same(got[0], want[0])
    assert_same(got[2], want[2])
    assert type(got[1]) is type(want[1]) is TypeError and str(got[1]) == str(want[1])
    cores = _core.run_cores(calls)
    _core.build_reports(cores)
    with pytest.raises(ValueError, match="built already"):
        _core.build_reports(cores)
    with pytest.raises(ValueError, match="PyCapsule"):
        _core.build_reports(object())
    counts = [sys.getrefcount(x) for x in (dazu_text, dazu_bytes)]
    for _ in range(50):
        del cores
        cores = _core.run_cores(calls)  # the last one's inputs: released unbuilt
    del cores
    assert [sys.getrefcount(x) for x in (dazu_text, dazu_bytes)] == counts
