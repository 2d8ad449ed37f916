"""The Word 97-2003 reader (src/read/doc.c and cfb.c, ``_core.doc_text``):
the corpus's .doc files against their gold and against two oracles, and the
bad inputs of issue 12, each within a time bound.

Oracles: olefile (the test extra) reads the container, and this file decodes
the piece table of its streams on its own (a second, independent reading of
the same bytes); antiword (Debian; tests/ci_doc_oracle.sh installs it in CI)
reads the whole document.  No number either finds in the main text may be
missing from ours.
"""
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclose
from govdisclose import _core

sys.path.insert(0, str(Path(__file__).parent))
import doc_inputs as di  # noqa: E402
from bounded import run_child  # noqa: E402

DOCS = ["hongze-2023.doc", "pingtan-2025.doc"]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(text: str) -> set:
    return set(NUMBER.findall(text))


# ---- Oracles -------------------------------------------------------------------------


def olefile_main_text(path: Path) -> str:
    """The main text (CPs 0..ccpText) through olefile and a piece table read here."""
    olefile = pytest.importorskip("olefile")
    with olefile.OleFileIO(str(path)) as ole:
        wd = ole.openstream("WordDocument").read()
        flags = struct.unpack_from("<H", wd, 0x0A)[0]
        table = ole.openstream("1Table" if flags & 0x0200 else "0Table").read()
    ccp_text = struct.unpack_from("<i", wd, 0x4C)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", wd, 0x1A2)
    clx = table[fc_clx:fc_clx + lcb_clx]
    i = 0
    while clx[i] == 1:
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + lcb]
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc)
    out = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        start, end = cps[k], min(cps[k + 1], ccp_text)
        if start >= end:
            break
        if fc & 0x40000000:
            at = (fc & 0x3FFFFFFF) // 2
            out.append(wd[at:at + end - start].decode("cp1252", "replace"))
        else:
            out.append(wd[fc:fc + 2 * (end - start)].decode("utf-16-le", "replace"))
    text = "".join(out)
    # field instructions are not text: 0x13 instruction 0x14 result 0x15
    return re.sub("\x13[^\x13\x14\x15]*\x14", "", text)


@pytest.mark.parametrize("name", DOCS)
def test_no_number_olefile_finds_is_lost(corpus, name):
    path = corpus / "formats" / name
    ours = govdisclose.parse_file(path)
    oracle = numbers(olefile_main_text(path))
    assert len(oracle) >= 15
    assert oracle - numbers(ours.text) == set()


@pytest.mark.parametrize("name", DOCS)
def test_no_number_antiword_finds_is_lost(corpus, name):
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed (apt-get install antiword)")
    path = corpus / "formats" / name
    out = subprocess.run(["antiword", "-m", "UTF-8.txt", str(path)], capture_output=True,
                         check=True).stdout.decode("utf-8", "replace")
    oracle = numbers(out)
    assert len(oracle) >= 15
    assert oracle - numbers(govdisclose.parse_file(path).text) == set()


# ---- What the reader writes ---------------------------------------------------------------


def test_rows_fields_and_marks():
    doc = di.word_doc(["2023年政府信息公开工作年度报告",
                       "总计\x13 PAGE \\* MERGEFORMAT \x14" + "7\x15件|共\t计",
                       [["一、本年新收政府信息公开申请数量", "3", "", "3"],
                        ["二、上年结转政府信息公开申请数量", "0", "1", "1"]]]).data
    text = _core.doc_text(doc)
    assert text.splitlines() == [
        "2023年政府信息公开工作年度报告",
        "总计7件 共 计",  # the field's result, not its instruction; no cell borders
        "|一、本年新收政府信息公开申请数量|3| |3|",
        "|二、上年结转政府信息公开申请数量|0|1|1|"]
    r = govdisclose.parse(doc)
    assert r.format == "doc" and r.text == text
    cell = r.requests.new.natural_person
    assert cell.value == 3 and r.text.encode()[cell.span[0]:cell.span[1]] == b"3"


def test_8bit_pieces_are_cp1252():
    text = _core.doc_text(di.word_doc(["Report \u201c2023\u201d \u20ac5"], compressed=True).data)
    assert text == "Report \u201c2023\u201d \u20ac5\n"
    # every character cp1252 gives to 80-9F (Python's codec as the reference)
    high = "".join(bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                   if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    assert _core.doc_text(di.word_doc([high], compressed=True).data) == high + "\n"


def _utf16_units(text: str) -> str:
    """text as its UTF-16 code units, one str character each (a pair for U+10000 and up)."""
    b = text.encode("utf-16-le")
    return "".join(chr(u) for u in struct.unpack(f"<{len(b) // 2}H", b))


def test_characters_beyond_the_bmp():
    """Surrogate pairs of the Word text become one 4-byte UTF-8 character: the first and
    last code points (every payload bit 0, then 1), rare hanzi of names and places
    (𠮷 U+20BB7, 𪚥 U+2A6A5, 𰻝 U+30EDD) and an emoji; Python's codec is the reference."""
    chars = "\U00010000𠮷𪚥𰻝\U0001F600\U0010FFFF"
    assert _core.doc_text(di.word_doc([_utf16_units(chars)]).data) == chars + "\n"
    assert _core.doc_text(di.word_doc(["姓名：" + _utf16_units("吉𠮷")]).data) == "姓名：吉𠮷\n"


def test_lone_surrogates_become_replacement_characters():
    """A surrogate without its pair is U+FFFD, as Python's UTF-16 decoder with errors=
    "replace" reads the same units: a high one before a letter, a paragraph mark or
    another high one or U+E000 (the first code unit past the low surrogates); a low
    one alone.  The units just outside the surrogates, U+D7FF and U+E000, are characters."""
    for units in ("\ud800x", "a\udc00b", "\ud800\ud801\udc00", "\ud83d", "\udbff\ue000",
                  "\ud7ff\ue000\udfff\ud800\udc00"):
        want = units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        assert _core.doc_text(di.word_doc([units]).data) == want + "\n", units


# ---- Containers that hold no Word 97 document: named -------------------------------------


def _encrypted() -> bytes:
    wd, table = di.word_streams(["x"])
    wd = wd[:0x0A] + struct.pack("<H", 0x0300) + wd[0x0C:]
    return di.compound_file({"WordDocument": wd, "1Table": table}).data


def _word95() -> bytes:
    wd, table = di.word_streams(["x"])
    return di.compound_file({"WordDocument": wd[:2] + struct.pack("<H", 0x65) + wd[4:],
                             "1Table": table}).data


@pytest.mark.parametrize("data, named", [
    (di.compound_file({"Workbook": bytes(4096)}).data, "Excel workbook (.xls)"),
    (di.compound_file({"PowerPoint Document": bytes(4096)}).data, "PowerPoint presentation"),
    (di.compound_file({"EncryptedPackage": bytes(4096)}).data, "password-protected"),
    (di.compound_file({"CONTENTS": bytes(4096)}).data, "WPS document in an older layout"),
    (_encrypted(), "encrypted (password protected)"),
    (_word95(), "Word 6.0/95 document"),
    (di.compound_file({"Other": bytes(4096)}).data, "without a WordDocument stream"),
])
def test_other_compound_files_are_named(data, named, tmp_path):
    path = tmp_path / "report.wps"
    path.write_bytes(data)
    with pytest.raises(govdisclose.ParseError, match=re.escape(named)):
        govdisclose.parse_file(path)
    [r] = govdisclose.parse_many([path])
    assert r.findings[0].code == "parse.failed" and named in r.findings[0].message


def test_streams_found_in_a_tree_of_ten_entries():
    """The directory's entries form a tree through left and right siblings, walked
    in any order: here entry 7 has WordDocument (8) as its left sibling and 1Table (9)
    as its right, so 9 is visited before 8; both are found (the visited marks are per
    entry, and 8 and up share a second byte of them)."""
    wd, table = di.word_streams(["一、总体情况 本年新收 3 件"])
    streams = {f"Other{k}": bytes(4096) for k in range(1, 8)}
    layout = di.compound_file({**streams, "WordDocument": wd, "1Table": table})
    data = bytearray(layout.data)
    struct.pack_into("<II", data, layout.entry_at(7) + 0x44, 8, 9)  # left, right
    struct.pack_into("<I", data, layout.entry_at(8) + 0x48, di.FREE)  # 8: no right
    assert _core.doc_text(bytes(data)) == "一、总体情况 本年新收 3 件\n"
    assert _core.doc_text(layout.data) == "一、总体情况 本年新收 3 件\n"  # the chain as made


# ---- Bad input: a ParseError or a report, within a second ----------------------------------

REFUSED = {
    "chain-loops": "loops",
    "chain-past-end": "past the end of the file",
    "fat-points-at-itself": "loops",
    "stream-larger-than-file": "larger than the file",
    "truncated-streams": "past the end of the file",
    "piece-table-past-stream": "piece table",
    "utf16-piece-odd-bytes": "past the end of the WordDocument stream",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_containers_are_refused(corpus, name):
    data = di.regressions()[name]
    got = run_child(f"doc: {name}", f"""
        try:
            govdisclose.parse({data!r})
            result(error=None)
        except govdisclose.ParseError as e:
            result(error=str(e))
    """, corpus, 10)
    assert got["error"] is not None and REFUSED[name] in got["error"], got


def test_a_million_empty_cells(corpus, tmp_path):
    path = tmp_path / "cells.doc"
    path.write_bytes(di.many_empty_cells(1000, 1000))
    got = run_child("doc: 10^6 empty cells", f"""
        t = time.monotonic()
        r = govdisclose.parse_file({str(path)!r})
        result(secs=time.monotonic() - t, rows=r.text.count("\\n"),
               cells=r.text.count("| "), tables=[r.active, r.requests, r.reviews])
    """, corpus, 30)
    assert got["rows"] == 1000 and got["cells"] == 10 ** 6
    assert got["tables"] == [None, None, None]


def test_text_after_the_main_document_is_not_read():
    """Headers, footers, footnotes and comments follow the main text (ccpText)
    in the piece table: none of it is body text."""
    wd, table = di.word_streams(["一、总体情况 本年 3 件", "第 99 页 页眉"])
    main = len("一、总体情况 本年 3 件\r")
    wd = wd[:64 + 12] + struct.pack("<i", main) + wd[64 + 16:]
    text = _core.doc_text(di.compound_file({"WordDocument": wd, "1Table": table}).data)
    assert text == "一、总体情况 本年 3 件\n"


def test_lone_surrogates_in_a_field_instruction_are_not_text():
    """A field's instruction is dropped whatever it holds: a high surrogate without its
    pair there (before a letter, another high one or the separator) leaves no U+FFFD."""
    for instr in (" X\ud800 Y", " X\ud800\ud800 Y", " X\ud800"):
        assert _core.doc_text(di.word_doc(["a\x13" + instr + "\x14r\x15b"]).data) == "arb\n"


def test_a_directory_tree_that_loops_at_entry_8(corpus):
    """Nine streams, none of them WordDocument, and entry 8 its own right sibling: the
    walk marks each entry once (entries 8 and up in a second byte of marks), so it ends,
    and the file is named for what it lacks."""
    got = run_child("doc: a directory tree that loops at entry 8", f"""
        import struct
        sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
        import doc_inputs as di
        layout = di.compound_file({{f"Other{{k}}": bytes(4096) for k in range(1, 10)}})
        data = bytearray(layout.data)
        struct.pack_into("<I", data, layout.entry_at(8) + 0x48, 8)
        try:
            govdisclose.parse(bytes(data))
            result(error=None)
        except govdisclose.ParseError as e:
            result(error=str(e))
    """, corpus, 10)
    assert got["error"] is not None and "without a WordDocument stream" in got["error"], got
