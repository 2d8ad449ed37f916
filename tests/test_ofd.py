"""The OFD reader (govdisclose/_ofd.py, _layout.py): the part structure in any
namespace, runs placed into lines and cells, glyph-only pages left out, and
the bad inputs of issue 12 (zip bombs, missing or circular parts, entity
expansion, 10^5 nested elements), each within a time bound.  The corpus's
.ofd files against their gold: tests/test_formats_gold.py."""
import re
import sys
import zipfile
from pathlib import Path

import pytest

import govdisclose
from govdisclose import _layout

sys.path.insert(0, str(Path(__file__).parent))
import ofd_inputs as oi  # noqa: E402
from bounded import run_child  # noqa: E402


@pytest.mark.parametrize("kw", [{}, {"prefix": None}, {"prefix": "x", "uri": "urn:other"},
                                {"prefix": "ofd", "uri": "http://www.ofdspec.org"}])
def test_any_namespace_or_none(kw):
    r = govdisclose.parse(oi.ofd(oi.REPORT_PAGES, **kw))
    assert (r.format, r.agency, r.year) == ("ofd", "某某县人民政府", 2023)
    assert r.requests.new.total.value == 3 and r.requests.carried_over.natural_person.value == 1
    start, end = r.requests.new.total.span
    assert r.text.encode()[start:end] == b"3"


def test_runs_are_placed_by_coordinates():
    """Runs given out of order come out in lines top to bottom, cells left to
    right with a tab between columns; runs in one box keep their order."""
    R = _layout.Run
    runs = [R(60, 20.1, 2, 2, "7"), R(10, 10, 40, 2, "标题"), R(10, 20, 20, 2, "行政许可"),
            R(10, 30, 50, 2, "本年"), R(10, 30, 50, 2, "共"), R(14, 30, 4, 2, "5件")]
    assert _layout.place(runs) == "标题\n行政许可\t7\n本年共5件"
    # runs that abut, each starting where the one before ends, are one run of text
    assert _layout.place([R(10, 10, 20, 2, "一、本年"), R(30, 10, 20, 2, "新收"),
                          R(50, 10, 4, 2, "3件")]) == "一、本年新收3件"
    # a gap wider than 1.5 heights is a cell border, wider than a quarter of one a word
    # space (_layout's CELL_GAP, SPACE_GAP): runs 2 high, gaps of 3 and 0.5 are just not
    assert _layout.place([R(0, 10, 10, 2, "本年"), R(13, 10, 2, 2, "3")]) == "本年 3"
    assert _layout.place([R(0, 10, 10, 2, "本年"), R(13.25, 10, 2, 2, "3")]) == "本年\t3"
    assert _layout.place([R(0, 10, 10, 2, "本年"), R(10.5, 10, 2, 2, "3")]) == "本年3"
    assert _layout.place([R(0, 10, 10, 2, "本年"), R(10.75, 10, 2, 2, "3")]) == "本年 3"
    # no second space after a run that ends with one: only the run just before counts
    assert _layout.place([R(0, 10, 10, 2, "本年 "), R(10.75, 10, 4, 2, "新收"),
                          R(15.5, 10, 2, 2, "3")]) == "本年 新收 3"


def test_glyph_only_pages_need_ocr():
    some = govdisclose.parse(oi.ofd(oi.REPORT_PAGES, glyph_pages=[1]))
    codes = [f.code for f in some.findings]
    assert "parse.needs_ocr" in codes and some.requests is None
    assert "page 2" in next(f.message for f in some.findings if f.code == "parse.needs_ocr")
    none = govdisclose.parse(oi.ofd(oi.REPORT_PAGES, glyph_pages=[0, 1]))
    assert [f.code for f in none.findings] == ["parse.needs_ocr"]
    assert (none.format, none.agency, none.requests) == ("ofd", None, None)


def test_empty_text_objects_count_as_glyph_only():
    """Text objects written empty (<ofd:TextObject .../>, their glyphs drawn as paths)
    hold no Unicode text either: page 2 made of its 16 objects so is left out, and
    the finding counts them."""
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    name = "Doc_0/Pages/Page_1/Content.xml"
    page = parts[name].decode()
    empty = re.sub(r"(<ofd:TextObject [^>]*)>.*?</ofd:TextObject>", r"\1/>", page)
    assert page.count("<ofd:TextObject ") == empty.count("/>") == 16
    parts[name] = empty.encode()
    r = govdisclose.parse(oi.zipped(parts))
    (f,) = [f for f in r.findings if f.code == "parse.needs_ocr"]
    assert "page 2: its 16 text objects hold glyph indices only" in f.message


def test_a_page_that_is_an_image_needs_ocr():
    """Page 2 holding one ImageObject and no text (a scan): left out, and said so."""
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    name = "Doc_0/Pages/Page_1/Content.xml"
    page = parts[name].decode()
    scan = re.sub(r'<ofd:Layer ID="1">.*</ofd:Layer>',
                  '<ofd:Layer ID="1"><ofd:ImageObject ID="9" ResourceID="5" '
                  'Boundary="0 0 100 100" CTM="100 0 0 100 0 0"/></ofd:Layer>', page, flags=re.S)
    assert scan != page
    parts[name] = scan.encode()
    (f,) = [f for f in govdisclose.parse(oi.zipped(parts)).findings if f.code == "parse.needs_ocr"]
    assert "page 2: it is a scanned image without text" in f.message


def test_text_without_a_chinese_character_needs_ocr():
    """Text runs of Latin letters only (a font's glyph codes read as characters, 240 of
    them): no usable report text, so the one finding is parse.needs_ocr, saying why."""
    pages = [[(10, 10 + 5 * k, "Qfgx Wzhv Rmkl Ptyu Jnbv Kcdx") for k in range(10)]]
    r = govdisclose.parse(oi.ofd(pages))
    (f,) = r.findings
    assert f.code == "parse.needs_ocr" and r.requests is None
    assert f.message.startswith("the OFD file's text holds no Chinese character")
    # judged from MIN_CHARS_FOR_SCRIPT_CHECK (200) readable characters on: 199 are too
    # few to tell, so the text is read (and is no report)
    for n, needs_ocr in ((200, True), (199, False)):
        letters = "Qfgxwzhvrm" * 20
        runs = [(10, 10 + 5 * k, letters[10 * k:min(10 * k + 10, n)]) for k in range((n + 9) // 10)]
        codes = [f.code for f in govdisclose.parse(oi.ofd([runs])).findings]
        assert (codes == ["parse.needs_ocr"]) == needs_ocr, (n, codes)
        assert ("parse.not_a_report" in codes) != needs_ocr, (n, codes)


def test_parts_share_one_size_budget(monkeypatch):
    """MAX_DOCUMENT_BYTES bounds all the parts read together, not each one: set to the
    parts' sum less one byte (above any one part) the file is refused; set to
    their sum it is read."""
    from govdisclose import _docx
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    total = sum(len(v) for v in parts.values())
    assert max(len(v) for v in parts.values()) < total - 1
    monkeypatch.setattr(_docx, "MAX_DOCUMENT_BYTES", total - 1)
    with pytest.raises(govdisclose.ParseError, match="beyond the limit"):
        govdisclose.parse(oi.zipped(parts))
    monkeypatch.setattr(_docx, "MAX_DOCUMENT_BYTES", total)
    assert govdisclose.parse(oi.zipped(parts)).requests.new.total.value == 3


def test_a_zip_that_is_no_ofd_is_named():
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    del parts["Doc_0/Document.xml"]
    with pytest.raises(govdisclose.ParseError, match="DocRoot Doc_0/Document.xml is missing"):
        govdisclose.parse(oi.zipped(parts))
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    parts["OFD.xml"] = parts["OFD.xml"].replace(b"Doc_0/Document.xml", b"")
    with pytest.raises(govdisclose.ParseError, match="names no DocRoot"):
        govdisclose.parse(oi.zipped(parts))


# ---- Bad input, each in a child within a bound --------------------------------------------


def _bomb() -> bytes:
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    out = __import__("io").BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name.endswith("Page_1/Content.xml"):
                data = data + b" " * (200 * 1024 * 1024)  # 200 MB of white space, 200 KB zipped
            zf.writestr(name, data)
    return out.getvalue()


def _laughs(part: str) -> bytes:
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b"]>\n")
    body = parts[part].split(b"?>", 1)[1]
    parts[part] = lol + body.replace(b"</", b"&lol9;</", 1)
    return oi.zipped(parts)


def _circular() -> bytes:
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    parts["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"].replace(
        b"Pages/Page_1/Content.xml", b"Pages/Page_0/Content.xml")
    return oi.zipped(parts)


def _loops_to_root() -> bytes:
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    parts["Doc_0/Document.xml"] = parts["Doc_0/Document.xml"].replace(
        b"Pages/Page_1/Content.xml", b"/Doc_0/Document.xml")
    return oi.zipped(parts)


def _missing_page() -> bytes:
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    del parts["Doc_0/Pages/Page_1/Content.xml"]
    return oi.zipped(parts)


REFUSED = {
    "zip bomb (200 MB page)": (_bomb, "zip bomb"),
    "billion laughs in OFD.xml": (lambda: _laughs("OFD.xml"), "entity expansion"),
    "billion laughs in a page": (lambda: _laughs("Doc_0/Pages/Page_1/Content.xml"),
                                 "entity expansion"),
    "a page listed twice": (_circular, "circular or repeated"),
    "a page that is the document": (_loops_to_root, "circular or repeated"),
    "a missing page": (_missing_page, "page 2 Doc_0/Pages/Page_1/Content.xml is missing"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_ofd_is_refused_quickly(corpus, case, tmp_path):
    make, words = REFUSED[case]
    path = tmp_path / "bad.ofd"
    path.write_bytes(make())
    got = run_child(f"ofd: {case}", f"""
        t = time.monotonic()
        try:
            govdisclose.parse_file({str(path)!r})
            result(error=None, secs=time.monotonic() - t)
        except govdisclose.ParseError as e:
            result(error=str(e), secs=time.monotonic() - t)
    """, corpus, 10)
    assert got["error"] is not None and words in got["error"], got
    assert got["secs"] < 1.0 * max(1.0, __import__("bounded").scale()), got


def test_100000_nested_elements(corpus, tmp_path):
    parts = oi.ofd_parts(oi.REPORT_PAGES)
    deep = 100_000
    for name in ("OFD.xml", "Doc_0/Pages/Page_1/Content.xml"):
        head, rest = parts[name].split(b"?>", 1)
        root_end = rest.index(b">") + 1
        parts[name] = (head + b"?>" + rest[:root_end] + b"<ofd:Layer>" * deep
                       + rest[root_end:-len(rest.rsplit(b"</", 1)[1]) - 2]
                       + b"</ofd:Layer>" * deep + b"</" + rest.rsplit(b"</", 1)[1])
    path = tmp_path / "deep.ofd"
    path.write_bytes(oi.zipped(parts))
    got = run_child("ofd: 10^5 nested elements", f"""
        t = time.monotonic()
        r = govdisclose.parse_file({str(path)!r})
        result(secs=time.monotonic() - t, total=r.requests.new.total.value)
    """, corpus, 10)
    assert got["total"] == 3
