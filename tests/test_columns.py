"""read_reports' frames straight from the core (issue 17) against the Report path.

frames.read_reports_via_reports builds the frame from a Report per report, as
read_reports did before; read_reports now has the core fill the columns.  The
two must give the same frame bit for bit: columns, dtypes (and Arrow's string
type under them), every value, and every Decimal's digits.  Checked on the
whole corpus (every format) and on 10,000 inputs made from the corpus's text
reports: copies, variants that take other roads (other encodings, byte order
marks, '<' in the text, fractions in count cells, cut files), and inputs that
cannot be read at all, in one batch.
"""
import codecs
import random
import sys
import zipfile

import pandas as pd
import pyarrow as pa
import pytest

import govdisclose
from govdisclose import _columns, _core, bulk, frames


def assert_same(new, old):
    assert list(new.columns) == list(old.columns)
    assert [str(t) for t in new.dtypes] == [str(t) for t in old.dtypes]
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    for name in new.columns:
        if new[name].dtype == object:
            a, b = new[name].tolist(), old[name].tolist()
            assert [type(v) for v in a] == [type(v) for v in b], name
            assert [str(v) for v in a] == [str(v) for v in b], name  # the digits as written
        elif isinstance(new[name].dtype, pd.StringDtype):
            assert pa.array(new[name].array).type == pa.array(old[name].array).type


def both(sources, **kw):
    return govdisclose.read_reports(sources, **kw), frames.read_reports_via_reports(sources, **kw)


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_corpus_every_format(corpus, shape):
    """The corpus folder (text, markdown, HTML, DOCX, PDF, .doc, OFD, scans),
    on 1 and 2 workers, strict or not.  The scans (read by OCR, seconds a page,
    their rows made from Reports on both paths) are compared once, in the wide
    frame on 1 worker: CI time."""
    no_scans = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in bulk.REPORT_SUFFIXES
                      and not p.name.endswith(".scan.pdf"))
    for workers, strict in ((1, False), (2, True)):
        with_scans = shape == "wide" and workers == 1
        new, old = both([corpus] if with_scans else no_scans, workers=workers, strict=strict,
                        shape=shape)
        assert len(new) >= (30 if shape == "wide" else 3000)
        assert_same(new, old)


def test_a_file_that_is_only_a_magic_number(tmp_path):
    """Files of exactly a format's magic bytes (a zip's PK 03 04, a PNG's eight) are
    that format to the core's file lane as to _formats, not plain text: the same rows
    as from Reports (a file that cannot be read)."""
    files = []
    for name, magic in (("zip.txt", b"PK\x03\x04"), ("png.txt", b"\x89PNG\r\n\x1a\n")):
        files.append(tmp_path / name)
        files[-1].write_bytes(magic)
    new, old = both(files)
    assert_same(new, old)
    assert new["n_errors"].tolist() == [1, 1]



def test_utf16_without_a_nul_byte(tmp_path):
    """UTF-16 of Chinese characters only has no NUL byte to tell it from text: its
    byte order mark does, big- and little-endian alike (the same rows as from Reports,
    the title read)."""
    title = "大足区公安局政府信息公示年度报告"  # no character with a 00 byte (开 is 5F00)
    files = []
    for codec in ("utf-16-be", "utf-16-le"):
        data = ("\ufeff" + title).encode(codec)
        assert b"\0" not in data
        files.append(tmp_path / f"{codec}.txt")
        files[-1].write_bytes(data)
    new, old = both(files)
    assert_same(new, old)
    assert new["n_errors"].tolist() == [0, 0]


def test_a_count_written_with_decimals(corpus, tmp_path):
    """A count cell written 2.0 is the count 2; written 2.5 it is no count (missing):
    the core's columns as the frame from Reports."""
    row = "\t（一）予以公开\n\t2\n"
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    assert text.count(row) == 1
    files = []
    for written in ("2.0", "2.5"):
        files.append(tmp_path / f"{written}.txt")
        files[-1].write_text(text.replace(row, f"\t（一）予以公开\n\t{written}\n"), encoding="utf-8")
    new, old = both(files)
    assert_same(new, old)
    cell = new["requests.granted.natural_person"]
    assert cell.tolist()[0] == 2 and cell.isna().tolist() == [False, True]


def test_findings_made_before_the_core_are_counted(corpus, tmp_path):
    """A file whose reader adds its own finding before the core runs (an OFD with a
    page of glyphs only: parse.needs_ocr, a warning): the core's columns count it
    with the core's own findings, as the frame from Reports does."""
    import ofd_inputs as oi
    ofd = tmp_path / "glyphs.ofd"
    ofd.write_bytes(oi.ofd(oi.REPORT_PAGES, glyph_pages=[1]))
    r = govdisclose.parse_file(ofd)
    assert "parse.needs_ocr" in [f.code for f in r.findings]
    # and one whose every page is glyphs: its reader makes the whole Report itself
    none = tmp_path / "all-glyphs.ofd"
    none.write_bytes(oi.ofd(oi.REPORT_PAGES, glyph_pages=[0, 1]))
    new, old = both([ofd, corpus / "dazu-gaj-2021.txt", none])
    assert_same(new, old)
    assert new["n_warnings"].tolist()[0] == sum(f.severity == "warning" for f in r.findings)
    assert new["n_warnings"].tolist()[2] == 1  # parse.needs_ocr alone


def test_a_report_made_before_the_core_is_read_once(tmp_path, monkeypatch):
    """A file whose reader makes its whole Report (an OFD of glyphs only) is read
    once: the Report its plan gave is the one put in the frame, not made again
    (a scan's OCR, which takes minutes, would run twice)."""
    import ofd_inputs as oi
    from govdisclose import _ofd
    none = tmp_path / "all-glyphs.ofd"
    none.write_bytes(oi.ofd(oi.REPORT_PAGES, glyph_pages=[0, 1]))
    calls = []
    extract = _ofd.extract
    monkeypatch.setattr(_ofd, "extract", lambda data: calls.append(1) or extract(data))
    df = govdisclose.read_reports([none], workers=1)
    assert df["n_warnings"].tolist() == [1] and len(calls) == 1

def test_the_core_fills_the_columns(corpus, tmp_path, monkeypatch):
    """Not a Report path in disguise: both shapes have core columns; plain
    texts, and GB18030 bytes the core refused as UTF-8 (decoded again, as
    parse does), never reach a Report."""
    for shape in ("wide", "long"):
        assert _columns.layout(shape) is not None
        assert_same(*both([], shape=shape))
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(_columns, "_put_report", None)  # called: TypeError
    sources = [tmp_path / "gbk.txt", tmp_path / "utf8.txt", text, text.encode("gb18030")]
    df = govdisclose.read_reports(sources, workers=1)
    assert df["requests.new.total"].tolist() == [3, 3, 3, 3]
    chunk = _core.columns_like(_columns.layout("wide"))
    call = ("二、主动公开政府信息情况\n", False, "text", "a", "text")
    assert _core.columns_fill(chunk, [("a", call), ("b", None)]) == [(1, None)]
    assert _core.columns_len(chunk) == 1


# ---- 10,000 inputs ---------------------------------------------------------------


def _texts(corpus):
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())
            if p.suffix in (".txt", ".md") and p.name != "README.md"]


def _variant(rng, text):
    """A report text changed the way real files differ: digits, a fraction in
    a count cell, full-width spaces, '<' for 《, a cut-off end."""
    kind = rng.randrange(6)
    if kind == 0:  # other numbers
        digits = list("0123456789")
        rng.shuffle(digits)
        return text.translate(str.maketrans("0123456789", "".join(digits)))
    if kind == 1:  # a fraction (or .0) after some whole numbers
        return "\t".join(part + (rng.choice([".5", ".0", ".25"]) if part.isdigit() and
                                 rng.random() < 0.1 else "")
                         for part in text.split("\t"))
    if kind == 2:
        return text.replace(" ", "\u3000").replace("\t", " \t ")
    if kind == 3:
        return text.replace("《", "<").replace("》", ">")
    if kind == 4:
        return text[: rng.randrange(len(text))]
    return text


def _inputs(corpus, root, n):
    """n sources of every kind read_reports takes, made from the corpus."""
    rng = random.Random(17)
    texts = _texts(corpus)
    sources = []
    folder = root / "folder"
    for d in range(3):  # a folder given whole: its files, recursively
        (folder / f"d{d}").mkdir(parents=True)
        for k in range(20):
            (folder / f"d{d}" / f"{k:02d}.txt").write_text(rng.choice(texts), encoding="utf-8")
    (folder / "d0" / "notes.json").write_text("{}")
    sources.append(str(folder))
    with zipfile.ZipFile(root / "some.zip", "w") as zf:
        for k in range(5):
            zf.writestr(f"r/{k}.txt", rng.choice(texts).encode("utf-8"))
        zf.writestr("r/empty.txt", b"")
    sources.append(root / "some.zip")
    i = 0
    while len(sources) < n:
        i += 1
        text = _variant(rng, rng.choice(texts))
        road = rng.randrange(14)
        path = root / f"{i:05d}.txt"
        if road <= 4:  # a UTF-8 file: the core's file lane
            path.write_bytes(text.encode("utf-8"))
            sources.append(str(path))
        elif road == 5:  # GB18030 without a declaration: refused as UTF-8, then decoded
            path.write_bytes(text.encode("gb18030"))
            sources.append(str(path))
        elif road == 6:  # byte order marks: planned in Python
            bom, enc = rng.choice([(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
            path.write_bytes(bom + text.encode(enc))
            sources.append(path)
        elif road == 7:
            sources.append(text)
        elif road == 8:
            sources.append(text.encode("utf-8"))
        elif road == 9:
            sources.append((f"pair-{i}", rng.choice([text, text.encode("utf-8")])))
        elif road == 10:  # cut inside a character: no UTF-8, maybe no GB18030
            data = text.encode("utf-8")
            path.write_bytes(data[: rng.randrange(1, len(data) + 1)])
            sources.append(str(path))
        elif road == 11:  # unreadable: empty, an image, binary noise, nothing there
            what = rng.randrange(4)
            if what == 0:
                path.write_bytes(b"")
            elif what == 1:
                path.write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(64))
            elif what == 2:
                path.write_bytes(rng.randbytes(rng.randrange(1, 3000)))
            sources.append(str(path))
        elif road == 12:  # an HTML page (small: the report's text in <pre>)
            page = f"<html><head><meta charset=\"utf-8\"></head><body><pre>{text}</pre></body></html>"
            path.with_suffix(".html").write_text(page, encoding="utf-8")
            sources.append(str(path.with_suffix(".html")))
        else:  # a text in a markdown file with a heading
            path.with_suffix(".md").write_text("# 年度报告\n\n" + text, encoding="utf-8")
            sources.append(str(path.with_suffix(".md")))
    return sources


@pytest.fixture(scope="module")
def ten_thousand(corpus, tmp_path_factory):
    return _inputs(corpus, tmp_path_factory.mktemp("inputs"), 10_000)


def test_ten_thousand_inputs_wide(ten_thousand):
    new, old = both(ten_thousand, workers=2)
    assert len(new) == 10_000 + 60 - 1 + 6 - 1  # the folder's 60 files, the zip's 6
    failed = int(new["format"].isna().sum())  # parse.failed rows have no format
    assert 300 < failed < 3000, failed  # the unreadable ones cost their own rows
    assert int(new["requests.new.total"].notna().sum()) > 3000
    assert set(new["format"].dropna()) == {"text", "html"}
    assert_same(new, old)


def test_ten_thousand_inputs_long(ten_thousand):
    new, old = both(ten_thousand, workers=2, shape="long")
    assert len(new) > 500_000
    assert_same(new, old)


def test_one_worker_and_two_agree(ten_thousand):
    sample = ten_thousand[::10]
    assert_same(govdisclose.read_reports(sample, workers=1),
                govdisclose.read_reports(sample, workers=2))


# ---- What read_reports keeps ---------------------------------------------------------


def test_progress_bar_counts_every_report(corpus, monkeypatch):
    counted = []

    class Bar:
        def __init__(self, total, **kw):
            self.total = total

        def update(self, k):
            counted.append(k)

        def close(self):
            counted.append("closed")

    import tqdm.auto

    monkeypatch.setattr(bulk, "_want_bar", lambda progress: progress)
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    files = sorted(str(p) for p in corpus.glob("*.txt"))
    df = govdisclose.read_reports(files, workers=2, progress=True)
    assert len(df) == len(files)
    assert sum(k for k in counted if k != "closed") == len(files) and counted[-1] == "closed"


def test_a_column_the_core_does_not_fill_goes_through_reports(corpus, monkeypatch):
    """A column added on the Python side only (META_COLUMNS and _wide_row): the
    core does not fill it, so read_reports builds the frame from Reports."""
    monkeypatch.setattr(frames, "META_COLUMNS", frames.META_COLUMNS + ("pages",))
    real_row, real_dtypes = frames._wide_row, frames._wide_dtypes
    n = len(frames.META_COLUMNS)
    monkeypatch.setattr(frames, "_wide_row", lambda s, r: (lambda v: v[:n - 1] + [7] + v[n - 1:])(
        real_row(s, r)))
    monkeypatch.setattr(frames, "_wide_dtypes", lambda pd: {**real_dtypes(pd), "pages": "int64"})
    monkeypatch.setattr(_columns, "_LAYOUTS", {})
    df = govdisclose.read_reports([corpus / "pingtan-2021.txt"])
    assert df["pages"].tolist() == [7]
    assert df["requests.new.total"].tolist() == [70]


def test_columns_calls_refuse_misuse(corpus):
    with pytest.raises(ValueError, match="no column"):
        _core.columns_new("wide", ["source", "requests.new.nobody"])
    with pytest.raises(ValueError, match="no column"):
        _core.columns_new("long", ["published"])  # a wide column only
    with pytest.raises(ValueError, match="shape"):
        _core.columns_new("tall", [])
    proto = _columns.layout("wide")
    chunk = _core.columns_like(proto)
    text = (corpus / "pingtan-2021.txt").read_text(encoding="utf-8")
    pending = _core.columns_fill(chunk, [("a", (text, False, "text", "a", "text")),
                                         ("b", ("x", False, "nonsense", "b", "text")),
                                         ("c", None)])
    assert [i for i, _ in pending] == [1, 2]
    assert isinstance(pending[0][1], ValueError) and pending[1][1] is None
    with pytest.raises(ValueError, match="fresh"):
        _core.columns_fill(chunk, [])
    main = _core.columns_like(proto)
    with pytest.raises(ValueError, match="missing"):
        _core.columns_extend(main, chunk)  # items 1 and 2 have no rows yet
    with pytest.raises(ValueError, match="not pending"):
        _core.columns_put_rows(chunk, 0, [])
    with pytest.raises(ValueError, match="values for"):
        _core.columns_put_rows(chunk, 1, [[None]])
    _core.columns_put_rows(chunk, 1, [])  # no rows is a valid answer
    row = _columns.rows("wide", "c", bulk.failed_report("c", "stand-in"))
    _core.columns_put_rows(chunk, 2, row)
    _core.columns_extend(main, chunk)
    assert _core.columns_len(main) == 2
    _core.columns_take(main)
    with pytest.raises(ValueError, match="taken"):
        _core.columns_take(main)
    with pytest.raises(ValueError, match="layout"):
        _core.columns_extend(_core.columns_like(_columns.layout("long")), chunk)
    # columns_clear: no rows and no items, as fresh as columns_like's, and filled again
    _core.columns_clear(chunk)
    assert _core.columns_len(chunk) == 0
    with pytest.raises(ValueError, match="not pending"):
        _core.columns_put_rows(chunk, 0, [])  # no item 0 any more
    again = _core.columns_like(proto)
    _core.columns_extend(again, chunk)
    assert _core.columns_len(again) == 0
    assert _core.columns_fill(chunk, [("a", (text, False, "text", "a", "text"))]) == []
    _core.columns_extend(again, chunk)
    assert _core.columns_len(again) == 1


def test_columns_calls_refuse_malformed_arguments(corpus):
    """Names, magic numbers, items, slots and values that are not what the
    columns take are refused with their error; what was refused leaves the
    columns as they were."""
    good = _core.columns_new("wide", ["source", "requests.new.total"])
    assert _core.columns_len(good) == 0
    for name in ("requests", "requests.", "requests.new", "requests.new.", "requestsx.new.total",
                 "requests.newx.total", "requests.new.totalx", "requests.new.total.x"):
        with pytest.raises(ValueError, match="no column"):
            _core.columns_new("wide", [name])
    with pytest.raises(ValueError, match="no column"):
        _core.columns_new("long", ["requests.new.total"])  # a wide cell only
    with pytest.raises(TypeError):
        _core.columns_new("wide", ["source", 7])
    with pytest.raises(TypeError, match="names must be a sequence"):
        _core.columns_new("wide", 7)
    _core.columns_new("wide", [], [b"x" * 16] * 64)  # the most magic numbers it keeps
    for magic in ([b""], [b"x" * 17], [b"x"] * 65, ["PK"]):
        with pytest.raises(ValueError, match="at most 64 bytes objects of 1 to 16 bytes"):
            _core.columns_new("wide", [], magic)
    with pytest.raises(TypeError, match="magic must be a sequence"):
        _core.columns_new("wide", [], 7)

    proto = _columns.layout("wide")
    text = (corpus / "pingtan-2021.txt").read_text(encoding="utf-8")
    call = (text, False, "text", "a", "text")
    chunk = _core.columns_like(proto)
    with pytest.raises(TypeError, match="each item is a .source, call. tuple"):
        _core.columns_fill(chunk, [("a", call, None)])
    chunk = _core.columns_like(proto)
    pending = _core.columns_fill(chunk, [(7, call), ("b", None), ("c", None)])
    assert [i for i, _ in pending] == [0, 1, 2]
    assert isinstance(pending[0][1], TypeError) and "a source must be str" in str(pending[0][1])
    assert _core.columns_len(chunk) == 0
    for slots, match in (([1], "one slot per item"), ([1, 1], "slot 1 is not a pending"),
                         ([3, 1], "slot 3 is not"), ([-1, 1], "slot -1 is not"),
                         (["1", 2], "integer")):
        with pytest.raises((ValueError, TypeError), match=match):
            _core.columns_fill(chunk, [("b", call), ("c", call)], False, slots)
    # nothing claimed stays claimed: the two fill now
    assert _core.columns_fill(chunk, [("b", call), ("c", call)], False, [1, 2]) == []
    assert _core.columns_len(chunk) == 2
    with pytest.raises(ValueError, match="slot 1 is not a pending"):  # filled: no more
        _core.columns_fill(chunk, [("b", call)], False, [1])
    for index in (-1, 3):
        with pytest.raises(ValueError, match="not pending"):
            _core.columns_put_rows(chunk, index, [])
    row = _columns.rows("wide", "a", bulk.failed_report("a", "stand-in"))[0]
    k = _columns.names("wide").index("agency")
    for at, value, match in ((0, 7, "string column takes str or None, not int"),
                             (k, b"x", "string column takes str or None, not bytes"),
                             (_columns.names("wide").index("year"), "2021",
                              "int column takes int or None, not str")):
        bad = list(row)
        bad[at] = value
        with pytest.raises(TypeError, match=match):
            _core.columns_put_rows(chunk, 0, [row, bad])
    with pytest.raises(TypeError, match="a row must be a sequence"):
        _core.columns_put_rows(chunk, 0, [row, 7])
    with pytest.raises(TypeError, match="rows must be a sequence"):
        _core.columns_put_rows(chunk, 0, 7)
    assert _core.columns_len(chunk) == 2  # every refused row dropped
    _core.columns_put_rows(chunk, 0, [row])
    with pytest.raises(ValueError, match="another layout"):
        _core.columns_extend(chunk, chunk)
    main = _core.columns_like(proto)
    _core.columns_extend(main, chunk)
    assert _core.columns_len(main) == 3
    taken = _core.columns_take(main)
    assert bytes(taken[0][2]) == b"a" + b"b" + b"c"  # the sources, in item order


def test_put_rows_runs_no_python_code_while_it_writes():
    """columns_put_rows writes no half row around Python code: a value with
    __index__ in an int column is refused, never called (it could empty the row
    being read: a crash); a row that is some other iterable runs its code while
    the columns are written, and a call back into them from there is refused."""
    chunk = _core.columns_like(_columns.layout("wide"))
    assert _core.columns_fill(chunk, [("a", None)]) == [(0, None)]
    row = _columns.rows("wide", "a", bulk.failed_report("a", "stand-in"))[0]
    k = _columns.names("wide").index("n_errors")
    assert row[k] == 1
    bad = list(row)

    class Index:
        def __index__(self):
            bad.clear()
            return 1

    bad[k] = Index()
    with pytest.raises(TypeError, match="int column takes int"):
        _core.columns_put_rows(chunk, 0, [bad])
    assert _core.columns_len(chunk) == 0
    refused = []

    class Row:
        def __iter__(self):
            try:
                _core.columns_len(chunk)
            except RuntimeError as e:
                refused.append(str(e))
            return iter(row)

    _core.columns_put_rows(chunk, 0, [Row()])
    assert len(refused) == 1 and "being filled" in refused[0]
    main = _core.columns_like(_columns.layout("wide"))
    _core.columns_extend(main, chunk)
    taken = _core.columns_take(main)
    assert bytes(taken[k][1]) == (1).to_bytes(8, sys.byteorder)  # ("int", values)


def test_file_lane_declines_what_python_must_read(tmp_path, corpus):
    """Files the lane does not take are planned in Python: the same frame."""
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    cases = {
        "bom.txt": codecs.BOM_UTF8 + text.encode(),
        "tag.txt": ("<p>" + text).encode(),
        "pdfish.txt": b"junk %PDF-1.4 " + text.encode(),
        "png.txt": b"\x89PNG\r\n\x1a\n" + text.encode(),
        "gbk.txt": text.encode("gb18030"),
        "empty.txt": b"",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    files = [str(tmp_path / n) for n in list(cases) + ["gone.txt"]]
    for shape in ("wide", "long"):
        assert_same(*both(files, workers=1, shape=shape))
    df = govdisclose.read_reports(files)
    assert df["format"].tolist()[:5] == ["text", "html", pd.NA, pd.NA, "text"]
    assert df["requests.new.total"].tolist() == [3, 3, pd.NA, pd.NA, 3, pd.NA, pd.NA]
    assert df["n_errors"].tolist() == [0, 0, 1, 1, 0, 1, 1]  # each failure its own row


def test_a_name_with_a_nul_byte_leaks_nothing():
    """A path holding a NUL byte is no file name: the file lane declines it
    (Python gives its parse.failed row) and releases the name it encoded."""
    import gc
    import tracemalloc

    paths = [f"/nowhere/report\0{i}.txt" for i in range(2000)]
    assert govdisclose.read_reports(paths[:3])["n_errors"].tolist() == [1, 1, 1]
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        govdisclose.read_reports(paths)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 20_000  # a leaked name each would be about 100 KB
