"""Reports as they are published (issue 3): format and encoding told by content,
HTML pages in any encoding, DOCX files, PDFs, and files that are none of these.

Inputs:
- the real reports of ../shared/corpus: their text files, their two PDFs and the
  blank official template as a Word file;
- HTML pages and DOCX files built from dazu-gaj-2021 and shuyang-2025 by
  tests/markup_inputs.py: **the markup is derived (Word pasted into a CMS, the
  official table layout of template-2021-blank.docx), the words and numbers are
  real**;
- PDFs that defeat text extraction, written by tests/pdf_inputs.py (the corpus
  has none).

Every check compares with the report's text file or gold file: the same cells
(value, kind, note), whatever the format or encoding the report arrives in.
"""
import codecs
import dataclasses
import html
import io
import random
import re
import sys
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

import govdisclose
import markup_inputs as mi
import pdf_inputs
from govdisclose import _docx, _formats
from test_gold import cells_of, compare_with_gold, load_gold

REPORTS = ["dazu-gaj-2021", "shuyang-2025"]


# ---- Helpers ------------------------------------------------------------------------


def table_cells(report: govdisclose.Report) -> Dict[str, Tuple[Any, str, Any, str]]:
    """path -> (value, kind, note, raw) of every cell of the three tables."""
    return {p: (c["value"], c["kind"], c["note"], c["raw"])
            for p, c in cells_of(report.to_dict()).items()}


def all_cells(report: govdisclose.Report):
    def walk(obj):
        if obj is None:
            return
        if isinstance(obj, govdisclose.Cell):
            yield obj
        elif isinstance(obj, tuple):
            for x in obj:
                yield from walk(x)
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                yield from walk(getattr(obj, f.name))
    for t in (report.active, report.requests, report.reviews):
        yield from walk(t)


def cited(report: govdisclose.Report, data: bytes) -> int:
    """Check that each cell's span, in the text the spans index (Report.text,
    else data), is the cell as written: its markup stripped and entities
    decoded, the cell's raw text.  Returns how many cells were checked."""
    base = data if report.text is None else report.text.encode("utf-8")
    n = 0
    for cell in all_cells(report):
        start, end = cell.span
        assert 0 <= start <= end <= len(base)
        shown = html.unescape(re.sub(r"<[^>]*>", "", base[start:end].decode("utf-8")))
        assert " ".join(shown.split()) == cell.raw, (cell, base[start:end][:200])
        n += 1
    return n


@pytest.fixture(scope="module")
def texts(corpus) -> Dict[str, str]:
    return {name: (corpus / load_gold(corpus, name)[0]["source"]).read_text(encoding="utf-8")
            for name in REPORTS}


@pytest.fixture(scope="module")
def plain(corpus) -> Dict[str, govdisclose.Report]:
    """Each report parsed from its UTF-8 text file: what every format must give."""
    return {name: govdisclose.parse_file(corpus / load_gold(corpus, name)[0]["source"])
            for name in REPORTS}


def page(corpus, name: str, variant: str = "word") -> str:
    return mi.html_page(mi.Report(corpus, name), variant)


def docx_file(corpus: Path, document: bytes, name: str = "word/document.xml",
              rels: bytes = b"") -> bytes:
    """template-2021-blank.docx with its word/document.xml replaced (and, if
    given, stored under another name with its _rels/.rels)."""
    src = zipfile.ZipFile(corpus / "template-2021-blank.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                z.writestr(name, document)
            elif info.filename == "_rels/.rels" and rels:
                z.writestr(info, rels)
            else:
                z.writestr(info, src.read(info))
    return out.getvalue()


def zip_of(entries: Dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


# ---- Sniffing: by content, never by name -------------------------------------------

W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("head, want", [
    (b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">', "html"),
    (codecs.BOM_UTF8 + b"\r\n   <HTML><head>", "html"),
    (b"\n\n<table border=1><tr><td>1</td></tr></table>", "html"),
    (b'<div class="TRS_Editor"><p>2021', "html"),
    (b"<p>\xd5\xfe\xb8\xae", "html"),
    (b"<meta charset=gbk>", "html"),
    ("<html><body>政府信息公开</body></html>".encode("utf-16"), "html"),
    (b"<!-- saved from url=(0047)http://www.example.gov.cn/ -->\n<html>", "html"),
    (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
    (b"\x00\x00junk before the header\n%PDF-1.4", "pdf"),
    # PDF 1.7 annex H: the header within the first 1024 bytes, or it is no PDF's
    (b"\n" * 1019 + b"%PDF-1.4", "pdf"),
    (b"\n" * 1020 + b"%PDF-1.4", "text"),
    (b"PK\x03\x04\x14\x00", "docx"),
    (b'<?xml version="1.0" encoding="UTF-8"?>\n<w:document ' + W_NS + b">", "docx"),
    ("平潭综合实验区<平潭时报>2021年政府信息公开".encode(), "text"),
    ("| 自然人 | 数量<5 | 总计 |".encode(), "text"),
    ("规章\t0\n<pre>".encode("gb18030"), "text"),
    (b"", "text"),
])
def test_sniff_by_content(head, want):
    assert _formats.sniff(head) == want


def test_file_names_play_no_part(corpus, tmp_path, plain):
    """A page saved as .txt is HTML, a text saved as .html is text, a PDF saved
    as .txt is a PDF, a DOCX saved as .bin is DOCX."""
    cases = {
        "page.txt": (page(corpus, "dazu-gaj-2021").encode("gb18030"), "html"),
        "report.html": ((corpus / "dazu-gaj-2021.txt").read_bytes(), "text"),
        "report.txt": ((corpus / "hongze-2023.pdf").read_bytes(), "pdf"),
        "report.bin": (docx_file(corpus, mi.docx_document(corpus, mi.Report(
            corpus, "dazu-gaj-2021"))), "docx"),
    }
    gold, _ = load_gold(corpus, "hongze-2023")
    for name, (data, fmt) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        r = govdisclose.parse_file(path)
        assert (r.format, r.source) == (fmt, str(path)), name
        if fmt == "pdf":
            assert compare_with_gold(r, gold) == []
        else:
            assert table_cells(r) == table_cells(plain["dazu-gaj-2021"]), name


def test_explicit_format_overrides_sniffing(corpus, texts):
    """format= wins: a page read as text keeps its tags as words (and finds no
    tables); a str is text unless format says otherwise."""
    p = page(corpus, "dazu-gaj-2021")
    as_html = govdisclose.parse(p, format="html")
    assert as_html.format == "html" and as_html.encoding is None
    assert table_cells(as_html) == table_cells(govdisclose.parse(p.encode("utf-8")))
    as_text = govdisclose.parse(p.encode("gb18030"), format="text")
    assert (as_text.format, as_text.encoding) == ("text", "gb18030")
    assert govdisclose.parse(p).format == "text"  # a str is not sniffed
    with pytest.raises(TypeError, match="bytes"):
        govdisclose.parse(texts["dazu-gaj-2021"], format="pdf")
    with pytest.raises(ValueError, match="encoding"):
        govdisclose.parse(texts["dazu-gaj-2021"], encoding="gbk")
    with pytest.raises(ValueError, match="format"):
        govdisclose.parse(b"x", format="rtf")


# ---- Encodings of real reports --------------------------------------------------------


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16-be+bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(how)


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("how, recorded, note", [
    ("gb18030", "gb18030", False),
    ("gbk", "gb18030", False),        # GBK is a subset: read as GB18030
    ("gb2312", "gb18030", False),
    ("utf-16", "utf-16-le", False),   # Python writes a byte order mark
    ("utf-16-be+bom", "utf-16-be", False),
    ("utf-16-le", "utf-16-le", True),  # no byte order mark: told by the NULs, said in a note
    ("utf-16-be", "utf-16-be", True),
    ("utf-32", "utf-32-le", False),
])
def test_encodings_of_real_reports(plain, texts, name, how, recorded, note):
    text = texts[name]
    try:
        data = _encode(text, how)
    except UnicodeEncodeError:
        pytest.fail(f"{name} has a character {how} cannot encode", pytrace=False)
    r = govdisclose.parse(data)
    base = plain[name]
    assert (r.format, r.encoding) == ("text", recorded)
    assert table_cells(r) == table_cells(base)
    assert (r.agency, r.year, r.published, r.template, r.level, r.region) == (
        base.agency, base.year, base.published, base.template, base.level, base.region)
    # the spans index the decoded text, which the report keeps
    assert r.text == text.lstrip("\ufeff")
    assert cited(r, data) == len(table_cells(base)) > 100
    notes = [f for f in r.findings if f.code == "parse.encoding"]
    assert [(f.severity, f.table) for f in notes] == ([("info", None)] if note else [])
    assert [f for f in r.findings if f.code != "parse.encoding"] == list(base.findings)


@pytest.mark.parametrize("name", REPORTS)
def test_utf8_with_byte_order_mark_keeps_offsets(corpus, plain, name):
    """A UTF-8 byte order mark is read as white space: spans stay offsets into
    the file's own bytes, shifted by its three bytes."""
    data = codecs.BOM_UTF8 + (corpus / load_gold(corpus, name)[0]["source"]).read_bytes()
    r = govdisclose.parse(data)
    assert (r.encoding, r.text) == ("utf-8", None)
    assert r.agency == plain[name].agency  # no U+FEFF glued to the title
    base = {p: (v, k, n, raw) for p, (v, k, n, raw) in table_cells(plain[name]).items()}
    assert table_cells(r) == base
    assert cited(r, data) == len(base)
    first = next(all_cells(r))
    assert first.span[0] == next(all_cells(plain[name])).span[0] + 3


def test_explicit_encoding(texts, plain):
    text = texts["dazu-gaj-2021"]
    gbk = text.encode("gbk")
    r = govdisclose.parse(gbk, encoding="GBK")
    assert r.encoding == "gb18030" and table_cells(r) == table_cells(plain["dazu-gaj-2021"])
    assert govdisclose.parse(gbk, encoding="cp936").encoding == "gb18030"
    with pytest.raises(govdisclose.ParseError) as info:
        govdisclose.parse(gbk, encoding="utf-8")
    first_bad = len(gbk) - len(gbk.lstrip(bytes(range(128))))
    assert info.value.offset == first_bad and f"byte {first_bad}" in str(info.value)
    with pytest.raises(govdisclose.ParseError, match="not valid big5hkscs"):
        govdisclose.parse(b"\xff\xff", encoding="big5")
    with pytest.raises(ValueError, match="unknown encoding"):
        govdisclose.parse(gbk, encoding="klingon")


@pytest.mark.parametrize("label, codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("GB_2312-80", "gb18030"),
    ("cp936", "gb18030"), ("GB18030", "gb18030"), ("UTF8", "utf-8"), ("utf-8-sig", "utf-8"),
    ("iso-8859-1", "cp1252"), ("Big5", "big5hkscs"), ("utf-16le", "utf-16-le"),
])
def test_encoding_names(label, codec):
    assert _formats.canonical_encoding(label) == codec


# ---- HTML pages -----------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("variant", ["word", "sloppy", "layout"])
@pytest.mark.parametrize("how, recorded", [
    ("gb18030", "gb18030"),  # as the page declares: charset=gb2312
    ("gbk", "gb18030"),
    ("utf-8", "utf-8"),      # declares gb2312 but is UTF-8: read as UTF-8, with a note
    ("utf-16", "utf-16-le"),
])
def test_html_pages_match_gold(corpus, name, variant, how, recorded):
    """Pages built from the real report, in the encodings sites use, parse
    through parse(bytes) to the report's gold: metadata, cells, notes and
    broken identities; every span is the cell's markup in the page."""
    p = page(corpus, name, variant)
    assert 'charset=gb2312' in p
    data = p.encode(how)
    r = govdisclose.parse(data)
    assert (r.format, r.encoding) == ("html", recorded)
    gold, _ = load_gold(corpus, name)
    assert compare_with_gold(r, gold) == []
    assert r.unplaced == ()
    assert cited(r, data) == len(gold["cells"])
    notes = [f.message for f in r.findings if f.code == "parse.encoding"]
    if how == "utf-8":
        assert notes == ["the page declares charset=gb2312 but its bytes are UTF-8: read as UTF-8"]
        assert r.text is None
    else:
        assert notes == [] and r.text == p


def test_html_page_declaring_utf8_but_gbk(corpus, plain):
    p = page(corpus, "dazu-gaj-2021").replace("charset=gb2312", "charset=utf-8")
    r = govdisclose.parse(p.encode("gbk"))
    assert r.encoding == "gb18030"
    assert table_cells(r) == table_cells(govdisclose.parse(p, format="html"))
    assert [f.code for f in r.findings] == ["parse.encoding"]
    assert "declares charset=utf-8" in r.findings[0].message
    # the core found the bad byte (the page is not decoded in Python first): the same one
    with pytest.raises(UnicodeDecodeError) as bad:
        p.encode("gbk").decode("utf-8")
    assert f"byte {bad.value.start} is not UTF-8" in r.findings[0].message


@pytest.mark.parametrize("declared, note", [
    ("iso-8859-1", "declares charset=iso-8859-1 but its bytes are GB18030 (GBK)"),
    ("x-klingon", "declares charset=x-klingon, which is unknown"),
])
def test_html_page_with_a_wrong_or_unknown_charset(corpus, declared, note):
    """A Chinese page that says Latin-1 is mislabelled; an unknown label is
    ignored: both are read as what their bytes are, with a note."""
    p = page(corpus, "dazu-gaj-2021").replace("charset=gb2312", f"charset={declared}")
    r = govdisclose.parse(p.encode("gbk"))
    assert r.encoding == "gb18030"
    assert compare_with_gold(r, load_gold(corpus, "dazu-gaj-2021")[0]) == []
    assert [f.code for f in r.findings] == ["parse.encoding"] and note in r.findings[0].message


def test_html_page_with_html5_meta_charset(corpus):
    p = page(corpus, "shuyang-2025").replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />',
        '<meta charset="GBK">')
    r = govdisclose.parse(p.encode("gbk"))
    assert r.encoding == "gb18030"
    assert [f.code for f in r.findings] == ["structure.article50"]  # as the text's own
    assert compare_with_gold(r, load_gold(corpus, "shuyang-2025")[0]) == []


def test_index_box_does_not_confuse_the_tables(corpus):
    """The 索引号/发布机构/发文日期 box many sites print above the article, with
    real-looking numbers in it (an index number, a document number, dates),
    moves no cell and leaves nothing unplaced; the publishing body in it is the
    report's agency."""
    p = page(corpus, "dazu-gaj-2021")
    box = ('<table class="xxgk-info" width="100%"><tr><td>索引号：</td>'
           "<td>11500111009398166Q/2022-00017</td><td>发布机构：</td><td>重庆市大足区公安局</td></tr>"
           "<tr><td>生成日期：</td><td>2022-01-20</td><td>文　　号：</td><td>大足公安〔2022〕3号</td></tr>"
           "<tr><td>主题分类：</td><td>政务公开 12 31</td><td>有效性：</td><td>有效</td></tr></table>")
    p2 = re.sub(r'<table class="xxgk-info".*?</table>', lambda m: box, p, count=1, flags=re.S)
    assert p2 != p and "11500111009398166Q" in p2
    for data in (p2.encode("gb18030"), p2.encode("utf-8")):
        r = govdisclose.parse(data)
        assert compare_with_gold(r, load_gold(corpus, "dazu-gaj-2021")[0]) == []
        assert r.unplaced == ()
        assert [f.code for f in r.findings if f.severity != "info"] == []
        assert r.agency == "重庆市大足区公安局"


def test_html_page_with_an_added_row(corpus):
    """A row the body added to table 二 is kept as active.extra, its label and
    cells cited in the page."""
    p = page(corpus, "dazu-gaj-2021")
    end = p.index("</tr>", p.index("行政规范性文件")) + len("</tr>")
    row = ('<tr><td width="140">' + mi._runs("其他主动公开文件") + "</td><td>5</td><td>&nbsp;</td>"
           "<td>12</td></tr>")
    data = (p[:end] + row + p[end:]).encode("gb18030")
    r = govdisclose.parse(data)
    (extra,) = r.active.extra
    assert extra.label == "其他主动公开文件"
    assert [(c.value, c.kind) for c in extra.cells] == [(5, "number"), (None, "empty"),
                                                       (12, "number")]
    base = r.text.encode("utf-8")
    label = base[extra.span[0]:extra.span[1]].decode()
    assert re.sub(r"<[^>]*>", "", label) == "其他主动公开文件"
    assert [base[c.span[0]:c.span[1]] for c in extra.cells if c.kind == "number"] == [b"5", b"12"]
    assert compare_with_gold(r, load_gold(corpus, "dazu-gaj-2021")[0]) == []


# ---- DOCX ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_docx_from_the_template_gives_the_report(corpus, plain, name):
    """template-2021-blank.docx with the report's values typed into its cells
    (its vMerge and gridSpan cells kept): the report's cells, each cited in
    word/document.xml."""
    xml = mi.docx_document(corpus, mi.Report(corpus, name))
    assert b"w:vMerge" in xml and b"w:gridSpan" in xml
    data = docx_file(corpus, xml)
    r = govdisclose.parse(data)
    assert (r.format, r.encoding) == ("docx", "utf-8")
    assert r.text == xml.decode("utf-8")
    gold, _ = load_gold(corpus, name)
    want = {p: (c[0], c[1], c[2]) for p, c in table_cells(plain[name]).items()}
    assert {p: (c[0], c[1], c[2]) for p, c in table_cells(r).items()} == want
    assert len(want) == len(gold["cells"])
    assert sorted(f.code for f in r.findings if f.severity == "error") == sorted(
        b.split(":")[0] for b in gold["broken"])
    assert cited(r, data) == len(want)


def test_docx_main_part_named_in_the_package(corpus, plain):
    """Word sometimes stores the document as word/document2.xml; _rels/.rels says so."""
    xml = mi.docx_document(corpus, mi.Report(corpus, "dazu-gaj-2021"))
    rels = zipfile.ZipFile(corpus / "template-2021-blank.docx").read("_rels/.rels")
    assert b'Target="word/document.xml"' in rels
    data = docx_file(corpus, xml, "word/document2.xml",
                     rels.replace(b"word/document.xml", b"/word/document2.xml"))
    r = govdisclose.parse(data)
    assert r.format == "docx"
    assert {p: c[:3] for p, c in table_cells(r).items()} == {
        p: c[:3] for p, c in table_cells(plain["dazu-gaj-2021"]).items()}


def test_package_relationships_up_to_one_mib(corpus):
    """_rels/.rels is read to find a main part named otherwise only up to 1 MiB (a
    real one is about 600 bytes): padded with spaces to 1 MiB it still names
    word/document2.xml, one byte more and the zip is named as no Word document."""
    xml = mi.docx_document(corpus, mi.Report(corpus, "dazu-gaj-2021"))
    rels = zipfile.ZipFile(corpus / "template-2021-blank.docx").read("_rels/.rels")
    rels = rels.replace(b"word/document.xml", b"/word/document2.xml")

    def padded(size):
        return rels.replace(b"</Relationships>",
                            b" " * (size - len(rels)) + b"</Relationships>")
    r = govdisclose.parse(docx_file(corpus, xml, "word/document2.xml", padded(1024 * 1024)))
    assert r.format == "docx" and r.requests is not None
    with pytest.raises(govdisclose.ParseError, match="without word/document.xml"):
        govdisclose.parse(docx_file(corpus, xml, "word/document2.xml", padded(1024 * 1024 + 1)))

def test_docx_pictures_go_to_ocr_only_without_tables(corpus, monkeypatch):
    """A DOCX goes the OCR way (its pictures read) only when it has pictures and no
    table, and OCR may run: not with ocr=False, not when it has a table (with
    pictures or with ocr=True), not without pictures.  OCR is a stand-in here."""
    from govdisclose import _ocr
    called = []

    def read_docx_pictures(data, xml, strict, source):
        called.append(xml)
        return govdisclose.parse("")
    monkeypatch.setattr(_ocr, "available", lambda: True)
    monkeypatch.setattr(_ocr, "read_docx_pictures", read_docx_pictures)
    picture = b'<w:p><w:r><w:drawing><a:blip r:embed="rId9"/></w:drawing></w:r></w:p>'
    tables = mi.docx_document(corpus, mi.Report(corpus, "dazu-gaj-2021"))
    assert b"<w:tbl" in tables and b"r:embed" not in tables
    both = tables.replace(b"</w:body>", picture + b"</w:body>", 1)
    words = re.sub(rb"<w:tbl>.*?</w:tbl>", b"", tables, flags=re.S)
    assert b"<w:tbl" not in words
    pictures = words.replace(b"</w:body>", picture + b"</w:body>", 1)
    for xml, ocr in [(pictures, "auto"), (pictures, False), (both, "auto"), (tables, True),
                     (words, "auto")]:
        govdisclose.parse(docx_file(corpus, xml), ocr=ocr)
    assert called == [pictures]

def test_bare_document_xml(corpus, plain):
    xml = mi.docx_document(corpus, mi.Report(corpus, "shuyang-2025"))
    r = govdisclose.parse(xml)
    assert (r.format, r.encoding) == ("docx", "utf-8")
    assert {p: c[:3] for p, c in table_cells(r).items()} == {
        p: c[:3] for p, c in table_cells(plain["shuyang-2025"]).items()}


def test_blank_template_invents_nothing(corpus):
    """The blank official skeleton: no number, nothing unplaced, no metadata."""
    r = govdisclose.parse_file(corpus / "template-2021-blank.docx")
    assert (r.format, r.encoding) == ("docx", "utf-8")
    assert (r.agency, r.year, r.published, r.level, r.region) == (None,) * 5
    assert r.unplaced == ()
    kinds = {c.kind for c in all_cells(r)}
    assert kinds <= {"empty"}
    assert "parse.missing_table" in [f.code for f in r.findings]


def test_blank_template_has_no_tables(corpus):
    r = govdisclose.parse_file(corpus / "template-2021-blank.docx")
    assert (r.active, r.requests, r.reviews) == (None, None, None)
    assert sorted(f.table for f in r.findings if f.code == "parse.missing_table") == [
        "active", "requests", "reviews"]


# ---- DOCX: zip limits and damaged files -------------------------------------------------


def test_zip_bomb_by_size(corpus):
    """A document part beyond MAX_DOCUMENT_BYTES is refused before it is read."""
    big = b"<w:document " + W_NS + b"><w:body>" + b" " * (_docx.MAX_DOCUMENT_BYTES + 1)
    data = zip_of({"word/document.xml": big})
    assert len(data) < len(big) // 500
    with pytest.raises(govdisclose.ParseError, match="zip bomb") as info:
        govdisclose.parse(data)
    assert "MAX_DOCUMENT_BYTES" in str(info.value)


def test_zip_bomb_by_ratio():
    doc = b"<w:document " + W_NS + b">" + b"<w:p/>" * (_docx.RATIO_FREE_BYTES // 5)
    data = zip_of({"word/document.xml": doc})
    with pytest.raises(govdisclose.ParseError, match="MAX_RATIO"):
        govdisclose.parse(data)


def _zip_at_ratio(excess: int) -> zipfile.ZipFile:
    """A zip whose part expands to exactly MAX_RATIO times its compressed size plus
    excess bytes, beyond RATIO_FREE_BYTES: seeded random bytes (which deflate does
    not shrink) then zeros, the zeros adjusted until the sizes meet."""
    head = random.Random(18).randbytes(_docx.RATIO_FREE_BYTES // _docx.MAX_RATIO + 1000)
    zeros = _docx.MAX_RATIO * len(head)
    for _ in range(60):
        zf = zipfile.ZipFile(io.BytesIO(zip_of({"word/document.xml": head + bytes(zeros)})))
        info = zf.getinfo("word/document.xml")
        off = info.file_size - _docx.MAX_RATIO * info.compress_size - excess
        if off == 0:
            assert info.file_size > _docx.RATIO_FREE_BYTES
            return zf
        zeros -= off
    raise AssertionError("no zip at the ratio was found")


def test_zip_ratio_at_the_limit():
    """MAX_RATIO refuses a part of more than RATIO_FREE_BYTES expanding *more* than 100 to
    1: exactly 100 to 1 is read, one byte more is refused."""
    part = _docx.read_part(_zip_at_ratio(0), "word/document.xml", "DOCX")
    assert len(part) > _docx.RATIO_FREE_BYTES
    with pytest.raises(govdisclose.ParseError, match="MAX_RATIO"):
        _docx.read_part(_zip_at_ratio(1), "word/document.xml", "DOCX")
    # up to RATIO_FREE_BYTES a part may expand as it likes (here zeros, about 1000 to 1)
    for size, refused in ((_docx.RATIO_FREE_BYTES, False), (_docx.RATIO_FREE_BYTES + 1, True)):
        zf = zipfile.ZipFile(io.BytesIO(zip_of({"word/document.xml": bytes(size)})))
        assert zf.getinfo("word/document.xml").file_size > _docx.MAX_RATIO * \
            zf.getinfo("word/document.xml").compress_size
        if refused:
            with pytest.raises(govdisclose.ParseError, match="MAX_RATIO"):
                _docx.read_part(zf, "word/document.xml", "DOCX")
        else:
            assert len(_docx.read_part(zf, "word/document.xml", "DOCX")) == size


def test_zip_bomb_that_lies_about_its_size():
    """Headers that say 1 KB for a part that inflates to 70 MB: the reader stops
    at the size it was told (and the CRC then fails), never inflating the rest."""
    big = b" " * (70 * 1024 * 1024)
    data = bytearray(zip_of({"word/document.xml": big}))
    declared = len(big).to_bytes(4, "little")
    assert data.count(declared) == 2  # local header and central directory
    data = bytes(data).replace(declared, (1024).to_bytes(4, "little"))
    with pytest.raises(govdisclose.ParseError, match="cannot be read"):
        govdisclose.parse(data)


def test_zip_with_too_many_entries():
    data = zip_of({f"x/{i:06d}": b"" for i in range(20_000)}, zipfile.ZIP_STORED)
    with pytest.raises(govdisclose.ParseError, match="MAX_DIRECTORY_BYTES"):
        govdisclose.parse(data)


def _docx_bytes(corpus) -> bytes:
    return docx_file(corpus, mi.docx_document(corpus, mi.Report(corpus, "dazu-gaj-2021")))


def _flip_in_document(data: bytes) -> bytes:
    """The DOCX with one byte of word/document.xml's compressed data changed."""
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo("word/document.xml")
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    b = bytearray(data)
    b[at] ^= 0x55
    return bytes(b)


def _encrypted_flag(data: bytes) -> bytes:
    """The DOCX with the 'encrypted' flag set on every entry."""
    b = bytearray(data)
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i >= 0:
            b[i + flag_at] |= 1
            i = b.find(sig, i + 4)
    return bytes(b)


@pytest.mark.parametrize("damage, message", [
    (lambda d: d[: len(d) // 2], "cannot be read"),
    (lambda d: d[:4] + bytes(200), "cannot be read"),
    (_flip_in_document, "cannot be read"),
    (_encrypted_flag, "encrypted"),
])
def test_damaged_docx(corpus, damage, message):
    with pytest.raises(govdisclose.ParseError, match=message):
        govdisclose.parse(damage(_docx_bytes(corpus)))


@pytest.mark.parametrize("entries, named", [
    ({"a.txt": b"1", "b.txt": b"2"}, "a zip archive of 2 files (a.txt, b.txt)"),
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},
     "an Excel workbook (.xlsx)"),
    ({"ppt/presentation.xml": b"<p/>"}, "a PowerPoint presentation"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
     "a application/vnd.oasis.opendocument.text file"),
    ({}, "a zip archive of 0 files (none)"),
])
def test_zip_without_a_word_document_is_named(entries, named):
    with pytest.raises(govdisclose.ParseError) as info:
        govdisclose.parse(zip_of(entries))
    assert named in str(info.value) and "does not read" in str(info.value)


# ---- PDF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hongze-2023", "huaian-2024"])
def test_corpus_pdfs(corpus, name):
    """The text layer, page by page: the gold, with every span cited in Report.text."""
    gold, data = load_gold(corpus, name)
    r = govdisclose.parse_file(corpus / gold["source"])
    assert (r.format, r.encoding, r.source) == ("pdf", None, str(corpus / gold["source"]))
    assert compare_with_gold(r, gold) == []
    assert r.text is not None and r.text.count("- 1 -") == 1
    assert cited(r, data) == len(gold["cells"])
    assert govdisclose.parse(data) == dataclasses.replace(r, source=None)
    assert "parse.needs_ocr" not in [f.code for f in r.findings]


@pytest.mark.parametrize("make, why", [
    (pdf_inputs.scanned_pdf, "scanned image"),
    (lambda: pdf_inputs.scanned_pdf(3, page_numbers=False), "scanned image"),
    (pdf_inputs.unmapped_glyph_pdf, "no Unicode mapping"),
    (pdf_inputs.identity_cid_pdf, "no Unicode mapping"),
    (pdf_inputs.cid_placeholder_pdf, "no Unicode mapping"),
])
def test_pdf_without_a_usable_text_layer_needs_ocr(make, why):
    """No number is ever read from such a PDF: a Report with no tables and one
    parse.needs_ocr warning that says why (OCR off: tests/test_ocr.py reads them by OCR)."""
    r = govdisclose.parse(make(), ocr=False)
    assert (r.format, r.active, r.requests, r.reviews, r.unplaced) == ("pdf", None, None, None, ())
    (f,) = r.findings
    assert (f.code, f.severity, f.table, f.cell) == ("parse.needs_ocr", "warning", None, None)
    assert "no usable text layer" in f.message and "OCR" in f.message and why in f.message
    assert r.agency is None and r.template == "unknown"


def test_pdf_with_a_scanned_page(corpus):
    """A real PDF with a scanned page appended: the real pages give the gold, and
    the warning names the page left out."""
    import pypdfium2 as pdfium  # the test extra installs it
    doc = pdfium.PdfDocument((corpus / "hongze-2023.pdf").read_bytes())
    doc.import_pages(pdfium.PdfDocument(pdf_inputs.scanned_pdf(1)))
    out = io.BytesIO()
    doc.save(out)
    r = govdisclose.parse(out.getvalue(), ocr=False)
    assert compare_with_gold(r, load_gold(corpus, "hongze-2023")[0]) == []
    (f,) = [f for f in r.findings if f.code == "parse.needs_ocr"]
    assert f.severity == "warning" and "1 of 6 pages" in f.message and "page 6" in f.message


def test_pdf_pages_handed_to_ocr(corpus, monkeypatch):
    """Which pages OCR reads (numbered from 1): every page of a PDF without a usable
    text layer, or of any PDF with ocr=True; else only the pages left out (hongze
    2023's five pages of text and a scan after them: page 6).  OCR itself is a
    stand-in here (tests/test_ocr.py runs the real one)."""
    import pypdfium2 as pdfium
    from govdisclose import _ocr
    asked = []

    def read_pdf_pages(data, texts, numbers, strict, source, extra=()):
        asked.append(list(numbers))
        return govdisclose.parse("")
    monkeypatch.setattr(_ocr, "available", lambda: True)
    monkeypatch.setattr(_ocr, "read_pdf_pages", read_pdf_pages)
    govdisclose.parse(pdf_inputs.scanned_pdf(3), ocr="auto")
    hongze = (corpus / "hongze-2023.pdf").read_bytes()
    govdisclose.parse(hongze, ocr=True)
    doc = pdfium.PdfDocument(hongze)
    doc.import_pages(pdfium.PdfDocument(pdf_inputs.scanned_pdf(1)))
    out = io.BytesIO()
    doc.save(out)
    govdisclose.parse(out.getvalue(), ocr="auto")
    govdisclose.parse(hongze, ocr="auto")  # every page has text: no OCR
    assert asked == [[1, 2, 3], [1, 2, 3, 4, 5], [6]]

def test_pdf_without_pypdfium2(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    monkeypatch.setitem(sys.modules, "pypdfium2.raw", None)
    with pytest.raises(govdisclose.ParseError) as info:
        govdisclose.parse_file(corpus / "hongze-2023.pdf")
    assert "pip install 'govdisclose[pdf]'" in str(info.value)
    assert isinstance(info.value.__cause__, ImportError)


@pytest.mark.parametrize("damage", [
    lambda d: d[:3000],
    lambda d: d[: len(d) // 2],
    lambda d: b"%PDF-1.4\n" + bytes(range(256)) * 10,
    lambda d: b"%PDF-",
])
def test_damaged_pdf(corpus, damage):
    data = damage((corpus / "huaian-2024.pdf").read_bytes())
    with pytest.raises(govdisclose.ParseError, match="a PDF that cannot be read"):
        govdisclose.parse(data)


def test_encrypted_pdf():
    """A PDF that needs a password: said so, nothing read."""
    data = pdf_inputs.scanned_pdf(1).replace(b"trailer\n<<", (
        b"trailer\n<< /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <00> /U <00> "
        b"/P -4 >> /ID [<00><00>]"), 1)
    with pytest.raises(govdisclose.ParseError, match=r"encrypted \(password protected\)"):
        govdisclose.parse(data)


def test_pdf_of_at_most_1000_pages():
    """A PDF of more than 1000 pages is no annual report (one is 5-40): refused
    unread; one of 1000 blank pages is read (and has no text layer)."""
    import pypdfium2 as pdfium

    def blank(n):
        doc = pdfium.PdfDocument.new()
        for _ in range(n):
            doc.new_page(595, 842)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    r = govdisclose.parse(blank(1000), ocr=False)
    assert [f.code for f in r.findings] == ["parse.needs_ocr"]
    with pytest.raises(govdisclose.ParseError, match="1001 pages"):
        govdisclose.parse(blank(1001), ocr=False)

def test_pdfs_from_threads(corpus):
    """pdfium must not run in two threads at once: parses from 6 threads give what
    one thread gives."""
    datas = [(corpus / n).read_bytes() for n in ("hongze-2023.pdf", "huaian-2024.pdf")]
    serial = [govdisclose.parse(d) for d in datas]
    results, errors = [], []
    barrier = threading.Barrier(6)

    def work(i):
        try:
            barrier.wait()
            results.append([govdisclose.parse(d) for d in datas * 2])
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 6
    assert all(got == serial * 2 for got in results)


# ---- Files that are no report format -------------------------------------------------------


@pytest.mark.parametrize("data, named", [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
    (b"\xff\xd8\xff\xe0" + bytes(64), "a JPEG image"),
    (b"GIF89a" + bytes(64), "a GIF image"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a WebP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "compound file"),
    (b"{\\rtf1\\ansi\\ansicpg936 ", "an RTF document"),
    (b"\x1f\x8b\x08\x00" + bytes(16), "gzip-compressed data"),
])
def test_files_of_other_kinds_are_named(data, named, tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    with pytest.raises(govdisclose.ParseError) as info:
        govdisclose.parse_file(path)
    assert named in str(info.value) and info.value.offset is None


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 16,                      # every byte value
    b"\x00\x9f\x00\xff" * 500,                   # NULs and bytes valid in no encoding
    bytes(zlib.compress(bytes(range(256)) * 64)),  # compressed noise
])
def test_binary_garbage_is_refused(data):
    with pytest.raises(govdisclose.ParseError) as info:
        govdisclose.parse(data)
    message = str(info.value)
    assert "not UTF-8 (byte" in message and info.value.offset is not None


def test_binary_that_decodes_as_gb18030_is_refused():
    """Bytes that happen to decode as GB18030 but read as control and rare
    characters are binary data, not a report."""
    data = b"\x81\x30\x81\x30\x00\x01\x02\x03" * 200  # GB18030 4-byte codes and controls
    assert data.decode("gb18030")
    with pytest.raises(govdisclose.ParseError, match="binary data"):
        govdisclose.parse(data)


# ---- What the Report records ----------------------------------------------------------------


@pytest.mark.parametrize("name, level, region", [
    ("dazu-gaj-2021", "department", "重庆市大足区"),
    ("shuyang-2025", "county", "沐阳县"),  # as the OCR'd text spells it
])
def test_level_and_region(corpus, name, level, region):
    r = govdisclose.parse_file(corpus / load_gold(corpus, name)[0]["source"])
    assert (r.level, r.region) == (level, region)
    d = r.to_dict()
    assert list(d)[:12] == ["source", "format", "encoding", "agency", "year", "published",
                            "dated", "template", "level", "region", "deadline", "deadline_rule"]
    assert (d["level"], d["region"], d["format"], d["encoding"]) == (level, region, "text",
                                                                     "utf-8")
    assert d["source"] == str(corpus / load_gold(corpus, name)[0]["source"])
    assert govdisclose.Report.from_dict(d) == r  # text is None: the file is the UTF-8 text


def test_parse_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        govdisclose.parse_file(tmp_path / "missing.pdf")
    with pytest.raises(IsADirectoryError):
        govdisclose.parse_file(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = govdisclose.parse_file(empty)
    assert [f.code for f in r.findings] == ["parse.not_a_report"] and r.source == str(empty)


@pytest.mark.parametrize("how", ["utf-8", "gb18030"])
def test_core_utf8_check_agrees_with_python(corpus, how):
    """_core.utf8_invalid_at (the check of a page that declares one charset and
    may be in another) finds the byte Python's decoder finds: on the real
    pages, and on them with bytes overwritten at random (a fixed seed)."""
    import random
    from govdisclose import _core

    def python_first_bad(b: bytes):
        try:
            b.decode("utf-8")
        except UnicodeDecodeError as e:
            return e.start
        return None

    rng = random.Random(20261128)
    for name in ("dazu-gaj-2021", "shuyang-2025"):
        data = page(corpus, name, "word").encode(how)
        first = python_first_bad(data)
        assert _core.utf8_invalid_at(data) == first
        assert (first is None) == (how == "utf-8")
        assert _core.utf8_invalid_at(bytearray(data)) == first
        assert _core.utf8_invalid_at(memoryview(data)[1000:]) == python_first_bad(data[1000:])
        for _ in range(300):
            b = bytearray(data[:6000])
            for _ in range(rng.randint(1, 3)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            assert _core.utf8_invalid_at(b) == python_first_bad(bytes(b)), bytes(b)
    assert _core.utf8_invalid_at(b"") is None
    with pytest.raises(TypeError):
        _core.utf8_invalid_at("not bytes")


def test_mislabelled_utf8_page_with_a_bad_byte(corpus):
    """A page that declares GB2312, is UTF-8, and has one bad byte deep inside
    (in （七）总计's bracket): neither encoding reads it, and the error names
    the byte where its UTF-8 breaks -- found by the core's check."""
    data = page(corpus, "dazu-gaj-2021", "word").encode("utf-8")
    at = data.index("（七）总计".encode()) + 2  # inside （ (EF BC 88)
    bad = data[:at] + b"\xff" + data[at:]
    with pytest.raises(govdisclose.ParseError) as e:
        govdisclose.parse(bad)
    assert f"nor UTF-8 (byte {at - 2})" in str(e.value)
    assert "declares charset=gb2312" in str(e.value)


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("variant", ["word", "sloppy", "layout"])
@pytest.mark.parametrize("mix", ["", "\U00020000", "é"])
def test_page_as_str_is_its_utf8_bytes(corpus, name, variant, mix):
    """A page given as a str is encoded by the binding (runs of ASCII markup,
    a Chinese font name in every style attribute) and not checked again by
    the core; given as its UTF-8 bytes, the core checks it.  Both give the
    same report, spans and all -- also with an astral character (a str of
    four-byte units) or a Latin-1 one (one-byte units) in every font name."""
    p = page(corpus, name, variant)
    if mix:
        p = p.replace("宋体", "宋" + mix + "体")
        assert p.count(mix) > 100
    s = govdisclose.parse(p, format="html")
    b = govdisclose.parse(p.encode("utf-8"), format="html", encoding="utf-8")
    assert s.to_dict() == dict(b.to_dict(), encoding=None)
    assert s.metadata_spans == b.metadata_spans
    assert compare_with_gold(s, load_gold(corpus, name)[0]) == []
    data = p.encode("utf-8")
    assert cited(s, data) == len(load_gold(corpus, name)[0]["cells"])
