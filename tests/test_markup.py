"""The markup stage of the core (src/read/markup.c): HTML pages and DOCX
word/document.xml turned into the text the lexer reads.

Until the binding takes formats, these tests drive the C code through a small
harness, tests/markup/markup_dump.c, compiled here with cc against the core
files of src/ (warnings are errors), once optimised and once with
-fsanitize=address,undefined for the contract, robustness and out-of-memory
checks.

Inputs: the corpus has no real HTML or DOCX report yet.  markup_inputs.py
builds them from dazu-gaj-2021 and shuyang-2025: **the markup is derived (Word
pasted into a CMS, as ../shared/corpus/README.md describes; the official 2021
table layout, from template-2021-blank.docx), the words and numbers are real**
(the report's text and its gold values).  The DOCX template itself is a real
file of the corpus.
"""
import random
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest

import markup_inputs as mi

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
HARNESS = HERE / "markup" / "markup_dump.c"

REPORTS = ["dazu-gaj-2021", "shuyang-2025"]
VARIANTS = ["word", "sloppy", "layout"]

WARNINGS = ["-std=c99", "-Wall", "-Wextra", "-Wshadow", "-Werror"]
SANITIZE = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
            "-fno-sanitize-recover=all"]

# Limits, each with its reason.
# A page of the corpus' size parses in well under a second; this bounds a
# sanitized run on a loaded machine, so a quadratic path shows as a failure.
RUN_TIMEOUT_S = 60
# The hostile page of issue 3: 50 MB of site navigation, through the whole parse
# (optimised build).  Linear code does it in a few seconds.
BIG_PAGE_BYTES = 50_000_000
BIG_PAGE_TIMEOUT_S = 60
# Nesting depth that recursion (or a fixed stack) could not survive.
DEEP = 100_000
# Random truncations and splices of each generated input (sanitized build).
FUZZ_CASES = 150


# ---- The harness -----------------------------------------------------------------


def _core_sources() -> List[str]:
    """Every C file below src/ (src/read/ too) but the binding's."""
    return [str(p) for p in sorted(SRC.rglob("*.c"))
            if "python" not in p.relative_to(SRC).parts and "Python.h" not in p.read_text("utf-8")]


def _build(out: Path, extra: List[str]) -> Path:
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        pytest.fail("no C compiler (cc) to build tests/markup/markup_dump.c", pytrace=False)
    cmd = [cc, *WARNINGS, *extra, f"-I{SRC}", "-o", str(out), str(HARNESS), *_core_sources()]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        pytest.fail(f"building the markup harness failed:\n{' '.join(cmd)}\n{res.stderr}",
                    pytrace=False)
    return out


@pytest.fixture(scope="session")
def harness(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("markup") / "markup_dump", ["-O2"])


@pytest.fixture(scope="session")
def harness_asan(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("markup_asan") / "markup_dump",
                  ["-g", "-O1", *SANITIZE])


def run(exe: Path, cmd: str, fmt: str, data: bytes, *args: str,
        timeout: float = RUN_TIMEOUT_S, ok: bool = True) -> str:
    res = subprocess.run([str(exe), cmd, fmt, "-", *args], input=data, capture_output=True,
                         timeout=timeout,
                         env={"ASAN_OPTIONS": "detect_leaks=1", "UBSAN_OPTIONS": "print_stacktrace=1"})
    out = res.stdout.decode("utf-8", "replace")
    if ok:
        assert res.returncode == 0, f"{cmd} {fmt}: exit {res.returncode}\n{out[-2000:]}\n" \
                                    f"{res.stderr.decode('utf-8', 'replace')[-4000:]}"
    return out


def text_of(exe: Path, fmt: str, data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return run(exe, "text", fmt, data)


def cells_of(exe: Path, fmt: str, data: bytes) -> Dict[str, str]:
    """path -> "kind value" for every cell the parse found."""
    out = {}
    for line in run(exe, "cells", fmt, data).splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].split(".")[0] in ("active", "requests", "reviews"):
            out[parts[0]] = f"{parts[1]} {parts[2]}" if parts[1] == "number" else parts[1]
        elif parts[0].startswith("meta.") or parts[0] in ("unplaced", "finding"):
            out.setdefault(parts[0], [])
            out[parts[0]].append("\t".join(parts[1:]))
    return out


def table_cells(cells: Dict[str, object]) -> Dict[str, object]:
    return {k: v for k, v in cells.items() if k.split(".")[0] in ("active", "requests", "reviews")}


def gold_cells(corpus: Path, name: str) -> Dict[str, str]:
    g = mi.Report(corpus, name).cells
    return {k: (f"number {v}" if not isinstance(v, str) or v[0].isdigit() else v)
            for k, v in g.items()}


# ---- The inputs --------------------------------------------------------------------


@pytest.fixture(scope="session")
def reports(corpus) -> Dict[str, "mi.Report"]:
    return {name: mi.Report(corpus, name) for name in REPORTS}


@pytest.fixture(scope="session")
def pages(reports) -> Dict[str, str]:
    """Every generated HTML page, by "name.variant"."""
    return {f"{name}.{v}": mi.html_page(r, v) for name, r in reports.items() for v in VARIANTS}


@pytest.fixture(scope="session")
def documents(corpus, reports) -> Dict[str, bytes]:
    """word/document.xml of the template filled with each report's values."""
    return {name: mi.docx_document(corpus, r) for name, r in reports.items()}


@pytest.fixture(scope="session")
def template_xml(corpus) -> bytes:
    with zipfile.ZipFile(corpus / "template-2021-blank.docx") as z:
        return z.read("word/document.xml")


# ---- Small cases: input and the text it must give, side by side ----------------------

HTML_CASES = [
    # inline markup adds no space; Word's <font> fragments stay one label
    ('<p><font face="Calibri">&nbsp;</font><font face="仿宋_GB2312">第二十条</font>'
     "<font>第（六）项</font></p>", "第二十条第（六）项\n"),
    # headings alone on their line
    ("<div>一、总体情况</div>正文<br>二、主动公开政府信息情况<h2>三、收到和处理</h2>尾",
     "一、总体情况\n正文\n二、主动公开政府信息情况\n三、收到和处理\n尾\n"),
    # white space runs collapse; none at line ends
    ("<p>  a \n\t b  </p>\n\n<p>c</p>", "a b\nc\n"),
    # rows and cells; blocks inside a cell are one space; blank cell
    ("<table><tr><td><p>商业</p><p>企业</p></td><td>1<br>2</td><td>&nbsp;</td><td></td></tr></table>",
     "|商业 企业|1 2| | |\n"),
    # '|' and tab inside a cell would split it
    ("<table><tr><td>a|b\tc&#124;d</td><td>｜</td></tr></table>", "|a b c d| |\n"),
    # unclosed td/tr, a new <tr> ends the row, </table> ends all
    ("<table><tr><td>a<td>b<tr><td>c<td>d</table>after", "|a|b|\n|c|d|\nafter\n"),
    # a td outside any row or table opens a row
    ("x<td>1<td>2", "x\n|1|2|\n"),
    # rowspan/colspan cells once, where they start
    ('<table><tr><td rowspan="22">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>'
     "<tr><td>2.其他法律行政法规禁止公开</td><td>0</td></tr>"
     '<tr><td colspan="4">第二十条第（一）项</td></tr></table>',
     "|（三）不予公开|1.属于国家秘密|0|\n|2.其他法律行政法规禁止公开|0|\n|第二十条第（一）项|\n"),
    # attributes: '>' inside quotes, unquoted, upper case, split by new lines
    ('<TABLE border=1><TR\nclass=x><TD title="a>b" width=5>1</TD><td\nstyle=\'x>y\'\n>2</td></TR></TABLE>',
     "|1|2|\n"),
    # character references
    ("<p>&lt;&amp;&gt;&quot;&apos;&ldquo;x&rdquo;&lsquo;&rsquo;&mdash;&ndash;&hellip;&middot;"
     "&times;&yen;&copy;&laquo;&raquo;</p>", "<&>\"'“x”‘’—–…·×¥©«»\n"),
    ("<p>a&emsp;b&ensp;c&thinsp;d&nbsp;&nbsp;e</p>", "a b c d e\n"),
    ("<p>&#20108;&#x4E09;&#X56DB;&#xD800;&#0;&#x110000;&#99999999999;&#150;</p>",
     "二三四\ufffd\ufffd\ufffd\ufffd–\n"),
    ("<p>&bogus; &amp &nbspx &#; &#x; & 5</p>", "&bogus; & &nbspx &#; &#x; & 5\n"),
    # skipped: script, style, noscript, comments, declarations; title kept as a line
    ("<!DOCTYPE html><?xml version='1.0'?><html><head><title>大足区&amp;2021年报</title>"
     "<style>td{x:1}</style><script>var s='<td>99</td>';</script></head><body>"
     "<!-- <td>77</td> --><![CDATA[ 55 ]]><noscript>66</noscript><p>正文<o:p></o:p></p>"
     "<![if !supportLists]>一、<![endif]>总体</body></html>",
     "大足区&2021年报\n正文\n一、总体\n"),
    ("<SCRIPT type=x>a</script >b</SCRIPT>c", "bc\n"),
    ("a<!-->b<!--->c<!-- x --!>d", "abcd\n"),
    # a literal '<' that opens no tag
    ("<p>a < b <3 </ x></p>", "a < b <3\n"),
    # nested table: the outer cell's line ends first, inner rows are lines of their own
    ("<table><tr><td>外</td><td>左<table><tr><td>1</td><td>2</td></tr></table>右</td>"
     "<td>3</td></tr></table>", "|外|\n左\n|1|2|\n右\n|3|\n"),
    # a layout cell (more text than a label): its paragraphs are lines
    ("<table><tr><td>导航</td><td><p>" + "很长的正文" * 20 + "</p><p>二、主动公开政府信息情况</p>"
     "</td></tr></table>",
     "|导航|\n" + "很长的正文" * 20 + "\n二、主动公开政府信息情况\n"),
    # zero-width characters vanish, literal NBSP is white space
    ("<p>1\u200b2\ufeff3\u00a04</p>", "123 4\n"),

    # fast paths of the tokenizer (markup.c): a tag cut by the end of the input
    ("<p>1<span", "1\n"),
    ('<p>1<span style="a:b', "1\n"),
    ("<p>1</spa", "1\n"),
    ("<p>1<td", "1\n"),
    # "</script" that is not the end tag (a longer name); the first real one ends it
    ("<script>s='</scriptx>';</script>b", "b\n"),
    ("<script>s='</script>';</script>b", "';b\n"),
    ("<STYLE>p{}</Style\n>c", "c\n"),
    # upper and mixed case tag names
    ("<P>a</P><Td>1<TD>2</tD><tR><TH>3", "a\n|1|2|\n|3|\n"),
    # '>' in attributes: an unquoted value ends at it; a quote opens a value only after '='
    ("<table><tr><td a=b>c>1</td></tr></table>", "|c>1|\n"),
    ('<table><tr><td a=b="x>y">1</td></tr></table>', '|y">1|\n'),
    ("<table><tr><td a\"b>1</td><td c = 'd>e' / >2</td></tr></table>", "|1|2|\n"),
    # names at and past the longest we tell apart, and with a NUL, are unknown tags
    ("<p>a<blockquote>b<blockquotexxxxx>c", "a\nbc\n"),
    ("<p>a<t\0d>b", "ab\n"),
    # characters a run of text copies whole, and those it must look at one by one
    ("<p>“引号”（１）×é\U0001F600\u3000x</p>", "“引号”（１）×é\U0001F600\u3000x\n"),
    ("<p>1\u20032\u202f3\u205f4\u00ad5\u20606｜7\u00a08</p>", "1 2 3 456 7 8\n"),
    ("<table><tr><td>a&amp;b\u2003c</td></tr></table>", "|a&b c|\n"),
    # a tag is read up to the input's last '>': a quote that never closes, or
    # closes after it, leaves the tag unfinished
    ('<p>1<span title="a>b', "1\n"),
    ('<p>1<span title="a>b"', "1\n"),
    ("<p>1<span title='a>b'>2</span>3</p>", "123\n"),
    # attributes glued to a closing quote, spaced around '=', empty, or a bare '='
    ('<table><tr><td a="b"c=d>1</td><td a = "x>y"/>2</td></tr></table>', "|1|2|\n"),
    ("<table><tr><td\tclass=x\nid='y'>1</td><td a=>2</td><td =x>3</td></tr></table>", "|1|2|3|\n"),
    # names of every length around the four bytes a round that tag runs are read
    ("<p>a<s>b<sp>c<spa>d<span>e<spanx>f<spanxyzw>g<spanxyzwv>h</p>", "abcdefgh\n"),
    ("<p>a<p\tx>b<p/>c<p\n>d</p>", "a\nb\nc\nd\n"),
    ("<title>标题</title\n>正文<p>", "标题\n正文\n"),
]

DOCX_CASES = [
    # vMerge continuation writes nothing, not even its separator; gridSpan is one cell
    ('<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>（三）不予公开'
     "</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>1.属于国家秘密"
     "</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>"
     "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>2.其他</w:t></w:r></w:p>"
     '</w:tc><w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>5'
     "</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
     "|（三）不予公开|1.属于国家秘密|0|\n|2.其他|5|\n"),
    # only w:t counts; w:tab a space (not w:tabs' stops); w:br breaks; paragraphs in a cell join
    ('<?xml version="1.0"?><w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs>'
     "</w:pPr><w:r><w:instrText> PAGE 12 </w:instrText></w:r><w:r><w:t>二、</w:t></w:r><w:r><w:t>主动"
     "</w:t></w:r><w:r><w:tab/><w:t>公开</w:t><w:br/><w:t>下一行</w:t></w:r><w:del><w:r><w:delText>88"
     "</w:delText></w:r></w:del></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>商业</w:t></w:r></w:p><w:p><w:r>"
     "<w:t>企业</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"
     "<w:p><mc:AlternateContent><mc:Choice><w:t>框</w:t></mc:Choice><mc:Fallback><w:t>框</w:t>"
     "</mc:Fallback></mc:AlternateContent></w:p></w:body>",
     "二、主动 公开\n下一行\n|商业 企业| |\n框\n"),
    # XML entities and white space inside w:t
    ('<w:p><w:r><w:t xml:space="preserve">a &amp; b  &lt;c&gt; </w:t></w:r></w:p>', "a & b <c>\n"),
    # a w:t cut by the end of the input; upper case names; a tag cut in its name;
    # '>' inside quoted attribute values
    ("<w:p><w:r><w:t>12</w:t><w:t>3", "123\n"),
    ("<W:P><W:R><W:T>4</W:T></W:R></W:P><w:p><w:t>5</w:t><w:tc", "4\n5\n"),
    ('<w:p><w:t a=">">6</w:t><w:tab w:val=">"/><w:t>7</w:t></w:p>', "6 7\n"),
    # w:val of merge tags in any case and spacing; its value compared as written
    ("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr>"
     "<w:vMerge w:val = 'continue' /></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p>"
     "</w:tc></w:tr></w:tbl>", "|甲|\n|乙|\n"),
    ('<w:tbl><w:tr><w:tc><w:tcPr><W:VMERGE W:VAL="continue"/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr>'
     '<w:vMerge w:val="CONTINUE"/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge w:val="a>b"/>'
     "</w:tcPr><w:p/></w:tc></w:tr></w:tbl>", "| | |\n"),
    # quoted values of every length around the four bytes a round they are read
    ('<w:p><w:r><w:t a="">1</w:t><w:t a="1234">2</w:t><w:t a="12345">3</w:t><w:t a="12345678">4'
     '</w:t><w:t a="123456789">5</w:t><w:t a=\'"x"\'>6</w:t></w:r></w:p>', "123456\n"),
    ('<w:p><w:r><w:t>1</w:t><w:t a="x>', "1\n"),
]


@pytest.mark.parametrize("src,want", HTML_CASES, ids=[f"html{i}" for i in range(len(HTML_CASES))])
def test_html_text(harness_asan, src, want):
    assert text_of(harness_asan, "html", src) == want


# ---- The tables of tag names in markup.c ---------------------------------------------

TAG_TABLE = re.compile(r"static const tag_def (html|docx)_([a-z])\[\] = \{(.*?)END\};", re.S)
TAG_ENTRY = re.compile(r'T\("([^"]+)", (K_[A-Z]+)\)')


def known_tags() -> Dict[tuple, List[tuple]]:
    """(format, letter) -> [(name, kind), ...] as markup.c files them."""
    src = (SRC / "read" / "markup.c").read_text(encoding="utf-8")
    return {(fmt, letter): TAG_ENTRY.findall(body) for fmt, letter, body in TAG_TABLE.findall(src)}


def test_tag_tables_are_filed_by_letter_shortest_first():
    # lookup() stops at the first name longer than the one it looks for
    tables = known_tags()
    assert len(tables) == 24
    for (fmt, letter), entries in tables.items():
        assert entries, (fmt, letter)
        lengths = [len(name) for name, _ in entries]
        assert lengths == sorted(lengths), (fmt, letter, entries)
        for name, _ in entries:
            assert name == name.lower() and len(name) <= 15, name
            filed = name[2] if fmt == "docx" and name.startswith("w:") else name[0]
            assert filed == letter, (fmt, letter, name)


def html_tag_case(name: str, kind: str):
    """An input that shows the tag does what its kind says, and the text it gives."""
    if kind in ("K_BLOCK", "K_BR", "K_RAWKEEP"):
        return f"a<{name}>b</{name}>c", "a\nb\nc\n"
    if kind == "K_RAWSKIP":
        return f"a<{name}>b</{name}>c", "ac\n"
    if kind == "K_CELL":
        return f"<table><tr><{name}>1<{name}>2</table>", "|1|2|\n"
    if kind == "K_ROW":
        return f"<table><{name}><td>1<{name}><td>2</table>", "|1|\n|2|\n"
    if kind == "K_TABLE":
        return f"a<{name}><tr><td>1</{name}>b", "a\n|1|\nb\n"
    assert kind == "K_ROWEND", kind
    return f"<table><tr><td>1<{name}><tr><td>2</table>", "|1|\n|2|\n"


def test_every_html_tag_name_is_known_in_any_case(harness):
    names = [e for (fmt, _), entries in known_tags().items() if fmt == "html" for e in entries]
    assert len(names) > 50
    for name, kind in names:
        for written in (name, name.upper(), name[0].upper() + name[1:]):
            src, want = html_tag_case(written, kind)
            assert text_of(harness, "html", src) == want, (written, kind)


@pytest.mark.parametrize("src,want", DOCX_CASES, ids=[f"docx{i}" for i in range(len(DOCX_CASES))])
def test_docx_text(harness_asan, src, want):
    assert text_of(harness_asan, "docx", src) == want


def test_small_cases_keep_the_contract(harness_asan):
    """The map of every small case: never decreasing, inside the input,
    map[len] == len(input), each character from where the map says."""
    for fmt, cases in (("html", HTML_CASES), ("docx", DOCX_CASES)):
        for src, _ in cases:
            assert run(harness_asan, "check", fmt, src.encode()).startswith("ok ")


# ---- Real reports as pages: the same cells as their text --------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", REPORTS)
def test_page_gives_the_cells_of_the_text(harness, corpus, pages, name, variant):
    text_cells = cells_of(harness, "text", (corpus / f"{name}.txt").read_bytes())
    html_cells = cells_of(harness, "html", pages[f"{name}.{variant}"].encode())
    assert table_cells(html_cells) == table_cells(text_cells)
    assert table_cells(html_cells) == gold_cells(corpus, name)
    for meta in ("meta.agency", "meta.year", "meta.published"):
        assert html_cells[meta] == text_cells[meta], meta
    assert html_cells.get("unplaced") is None


def cell_spans(exe: Path, fmt: str, data: bytes):
    """(path, kind, input slice of the cell's span, the cell as the parser read it)."""
    out = []
    for line in run(exe, "cells", fmt, data).splitlines():
        parts = line.split("\t")
        if len(parts) == 6 and parts[0].split(".")[0] in ("active", "requests", "reviews"):
            start, end = int(parts[3]), int(parts[4])
            out.append((parts[0], parts[1], data[start:end].decode("utf-8"), parts[5]))
    return out


@pytest.mark.parametrize("fmt,variant", [("html", v) for v in VARIANTS] + [("docx", None)])
def test_cell_spans_point_into_the_markup(harness, pages, documents, fmt, variant):
    """A cell's span is where the cell is in the page: its markup, stripped of
    tags and references, reads as the cell did."""
    import html as html_lib

    data = (pages[f"dazu-gaj-2021.{variant}"].encode() if fmt == "html"
            else documents["dazu-gaj-2021"])
    spans = cell_spans(harness, fmt, data)
    assert len(spans) == 200
    for path, kind, markup, raw in spans:
        if kind != "number":
            continue
        shown = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]*>", "", markup))).strip()
        assert shown == raw, (path, markup)
    penalties = next(s for s in spans if s[0] == "active.penalties.count")
    assert penalties[3] == "211184（含交通行政处罚实施数量209995）"


@pytest.mark.parametrize("variant", VARIANTS)
def test_page_layout_lines(harness, pages, variant):
    """Headings alone on their line, table rows one line each, chrome kept out of them."""
    lines = text_of(harness, "html", pages[f"dazu-gaj-2021.{variant}"]).splitlines()
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"):
        assert heading in lines
    assert "|行政处罚|211184（含交通行政处罚实施数量209995）|" in lines
    assert "|（三）不予公开|1.属于国家秘密|0|0|0|0|0|0|0|" in lines
    assert "|2.其他法律行政法规禁止公开|0|0|0|0|0|0|0|" in lines
    assert "|3.其他|1|0|0|0|0|0|1|" in lines
    assert "|第二十条第（六）项|" in lines
    assert "|商业 企业|科研 机构|社会公益组织|法律服务机构|其他|" in lines
    text = "\n".join(lines)
    assert "98761" not in text and "98762" not in text  # script and style skipped
    assert "您的浏览器不支持脚本" not in text       # noscript skipped


@pytest.mark.parametrize("name", REPORTS)
def test_page_through_the_sanitizers(harness_asan, pages, name):
    for variant in VARIANTS:
        assert run(harness_asan, "check", "html", pages[f"{name}.{variant}"].encode()).startswith("ok ")


# ---- lxml as the oracle: no number of a page is lost ------------------------------------

LXML_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
               "td", "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "br", "hr",
               "title", "body", "head", "html", "section", "article", "header", "footer", "nav",
               "blockquote", "pre", "center", "form", "option"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def lxml_numbers(page: str) -> Counter:
    """The numbers of a page's visible text as lxml reads it, taken block by
    block (lxml's text_content() runs adjacent cells together)."""
    import lxml.html
    from lxml import etree

    root = lxml.html.document_fromstring(page)
    for el in root.xpath("//script|//style|//noscript|//template"):
        el.drop_tree()
    chunks: List[str] = [""]
    # what a reader sees: zero-width characters join what is around them
    invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
    for event, el in etree.iterwalk(root, events=("start", "end")):
        is_block = isinstance(el.tag, str) and el.tag.lower() in LXML_BLOCKS
        if event == "start":
            if is_block:
                chunks.append("")
            if isinstance(el.tag, str) and el.text:
                chunks[-1] += el.text
        else:
            if is_block:
                chunks.append("")
            if el.tail:
                chunks[-1] += el.tail
    return Counter(n for c in chunks for n in NUMBER.findall(c.translate(invisible)))


def assert_numbers_kept(harness, page: str):
    want = lxml_numbers(page)
    got = Counter(NUMBER.findall(text_of(harness, "html", page)))
    lost = want - got
    assert not lost, f"numbers lxml shows that the extraction lost: {dict(lost)}"


def test_lxml_numbers_kept_in_pages(harness, pages):
    assert len(pages) == len(REPORTS) * len(VARIANTS)
    for key, page in pages.items():
        want = lxml_numbers(page)
        assert want["211184" if key.startswith("dazu") else "517645"] == 1, key
        assert_numbers_kept(harness, page)


def test_lxml_numbers_kept_in_small_cases(harness):
    for src, _ in HTML_CASES:
        if "<?xml" in src:  # lxml refuses a str with an XML declaration
            continue
        assert_numbers_kept(harness, "<html><body>" + src + "</body></html>")


def test_lxml_numbers_kept_in_truncated_pages(harness, pages):
    rnd = random.Random(3)
    page = pages["shuyang-2025.sloppy"]
    for _ in range(20):
        cut = page[: rnd.randrange(len(page))]
        if cut.rstrip().endswith("<") or re.search(r"<[^>]*$", cut):
            continue  # a tag cut in half: lxml keeps its text, a browser does not
        assert_numbers_kept(harness, cut)


# ---- DOCX ------------------------------------------------------------------------------


def test_template_docx_rows_and_no_numbers(harness_asan, template_xml):
    """The real blank template: every official row label of table 三 on a row line
    of its own, and a parse that invents nothing from it."""
    text = text_of(harness_asan, "docx", template_xml)
    rows = [ln for ln in text.splitlines() if ln.startswith("|")]
    for label in mi.REQUEST_ROW_LABELS:
        holding = [ln for ln in rows if label in ln.strip("|").split("|")]
        assert len(holding) == 1, (label, holding)
    labels_per_line = Counter(next(lab for lab in mi.REQUEST_ROW_LABELS
                                   if lab in ln.strip("|").split("|"))
                              for ln in rows if any(lab in ln.strip("|").split("|")
                                                    for lab in mi.REQUEST_ROW_LABELS))
    assert len(labels_per_line) == len(mi.REQUEST_ROW_LABELS)
    # the value cells of table 三 are blank cells, 7 a row
    assert "|（七）总计| | | | | | | |" in rows
    assert "|2.其他法律行政法规禁止公开| | | | | | | |" in rows
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况"):
        assert heading in text.splitlines()
    cells = cells_of(harness_asan, "docx", template_xml)
    assert not [k for k, v in table_cells(cells).items() if v.startswith("number")]
    assert cells.get("unplaced") is None


@pytest.mark.parametrize("name", REPORTS)
def test_filled_docx_gives_the_cells_of_the_text(harness, harness_asan, corpus, documents, name):
    doc = documents[name]
    assert b"w:vMerge" in doc and b"w:gridSpan" in doc
    text_cells = cells_of(harness, "text", (corpus / f"{name}.txt").read_bytes())
    docx_cells = cells_of(harness, "docx", doc)
    assert table_cells(docx_cells) == table_cells(text_cells)
    assert table_cells(docx_cells) == gold_cells(corpus, name)
    assert run(harness_asan, "check", "docx", doc).startswith("ok ")


def docx_numbers(xml: bytes) -> Counter:
    """Numbers of the w:t text, paragraph by paragraph, as lxml reads the XML."""
    from lxml import etree

    w = "{%s}" % mi.W
    root = etree.fromstring(xml)
    out: Counter = Counter()
    for p in root.iter(w + "p"):
        out.update(NUMBER.findall("".join(t.text or "" for t in p.iter(w + "t"))))
    return out


@pytest.mark.parametrize("name", REPORTS)
def test_lxml_numbers_kept_in_documents(harness, documents, name):
    doc = documents[name]
    lost = docx_numbers(doc) - Counter(NUMBER.findall(text_of(harness, "docx", doc)))
    assert not lost


# ---- Robustness (sanitized build) -----------------------------------------------------------


@pytest.mark.parametrize("key", [f"{n}.{v}" for n in REPORTS for v in ("word", "sloppy")])
def test_fuzz_truncations_and_splices(harness_asan, pages, key):
    out = run(harness_asan, "fuzz", "html", pages[key].encode(), "7", str(FUZZ_CASES))
    assert out.strip() == f"ok {FUZZ_CASES}"


def test_fuzz_docx(harness_asan, documents):
    out = run(harness_asan, "fuzz", "docx", documents["dazu-gaj-2021"], "11", str(FUZZ_CASES))
    assert out.strip() == f"ok {FUZZ_CASES}"


HOSTILE = {
    "nested div": "<div>" * DEEP + "x" + "</div>" * DEEP,
    "nested td": "<td>" * DEEP + "x",
    "nested table": "<table><tr><td>" * DEEP + "1" + "</td></tr></table>" * DEEP,
    "nested font": "<font>" * DEEP + "2",
    "unclosed tags": "<p><b><i><span>" * DEEP,
    "tags without end": "<td " * DEEP,
    "rows without cells": "<tr>" * DEEP,
    "comment at EOF": "<p>1</p><!-- <td>2</td>",
    "script at EOF": "<p>1</p><script>var x = '<td>2</td>';",
    "style at EOF": "<p>1</p><style>td{}",
    "title at EOF": "<title>年报 2021",
    "entity at EOF": "<p>1</p>&#x4E0",
    "named entity at EOF": "<p>1</p>&nbs",
    "amp at EOF": "<p>1</p>&",
    "lt at EOF": "<p>1</p><",
    "end tag at EOF": "<p>1</p></",
    "quote at EOF": '<p>1</p><td title="abc',
    "cdata at EOF": "<p>1</p><![CDATA[ 2",
    "declaration at EOF": "<p>1</p><!DOCTYPE",
    "many comments": "<!--" * DEEP,
    "many scripts": "<script>" * DEEP,
    "many entities": "&#" * DEEP + "&nbsp" * DEEP,
    "long tag name": "<" + "a" * DEEP + ">x",
    "long attribute": "<td " + "a=" * DEEP + ">x",
    "empty": "",
}

DOCX_HOSTILE = {
    "nested tc": "<w:tc>" * DEEP + "<w:t>1</w:t>",
    "nested tbl": "<w:tbl><w:tr><w:tc>" * DEEP,
    "vmerge everywhere": "<w:tr>" + "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" * DEEP,
    "text without w:t": "12345 " * DEEP,
    "w:t at EOF": "<w:p><w:r><w:t>12",
    "cdata at EOF": "<w:t><![CDATA[ 1",
    "pi at EOF": "<?xml version=",
    "fallback at EOF": "<mc:Fallback><w:t>1</w:t>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_html(harness_asan, name):
    out = run(harness_asan, "check", "html", HOSTILE[name].encode())
    assert out.startswith("ok ")
    if HOSTILE[name].startswith("<p>1</p>"):  # what came before the broken end is kept
        assert text_of(harness_asan, "html", HOSTILE[name]).startswith("1\n")


def test_lxml_numbers_kept_in_hostile_pages(harness):
    for page in HOSTILE.values():
        assert_numbers_kept(harness, "<html><body>" + page + "</body></html>")


@pytest.mark.parametrize("name", list(DOCX_HOSTILE))
def test_hostile_docx(harness_asan, name):
    assert run(harness_asan, "check", "docx", DOCX_HOSTILE[name].encode()).startswith("ok ")


def test_deep_nesting_keeps_its_text(harness_asan):
    assert text_of(harness_asan, "html", HOSTILE["nested div"]) == "x\n"
    assert text_of(harness_asan, "html", HOSTILE["nested font"]) == "2\n"
    assert "1" in text_of(harness_asan, "html", HOSTILE["nested table"])


def test_big_navigation_page(harness):
    """50 MB of site navigation through the whole parse: bounded time, no report."""
    nav = ('<div class="nav"><ul>' + "".join(
        f'<li><a href="/col/{i}/index.html" title="栏目{i}">栏目{i}</a></li>' for i in range(12))
        + "</ul></div>\n<table><tr><td>首页</td><td>政务公开</td></tr></table>\n")
    page = ("<html><body>" + nav * (BIG_PAGE_BYTES // len(nav.encode()))
            + "</body></html>").encode()
    out = run(harness, "cells", "html", page, timeout=BIG_PAGE_TIMEOUT_S)
    assert "\tnumber\t" not in out


def test_out_of_memory_everywhere(harness_asan, pages):
    """Fail every allocation in turn: the stage and the whole parse end in
    GD_ERR_NOMEM with nothing leaked, never a crash."""
    for data in (pages["dazu-gaj-2021.sloppy"].encode(),
                 ("正文" * 50_000).encode(),  # text longer than the first guess: the buffer grows
                 b"<table>" + b"<tr><td>1</td><td>2</td></tr>" * 20_000 + b"</table>"):
        out = run(harness_asan, "oom", "html", data)
        stage, whole = map(int, out.split()[1:3])
        assert stage >= 1 and whole > stage


def test_harness_builds_warning_clean(harness):
    """-std=c99 -Wall -Wextra -Wshadow -Werror: the build of the fixture is the check."""
    assert harness.exists()
