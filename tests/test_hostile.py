"""Hostile inputs: each gives a clear exception or a Report with findings, never a
crash or a hang.

Every case parses in a child process under a generous time bound (tests/bounded.py):
a crash or a hang fails that one test, with what the child printed.  The bound is
not a speed requirement: a healthy parse of each input takes a small fraction of
it.  The figures (each child's wall time) are printed at the end of the module.

The limits the core enforces are the GD_MAX_* constants of src/govdisclose.h,
each with its reason there; test_limits_* read them from the header and check that
they hold at their boundaries.
"""
import contextlib
import re
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclose
from govdisclose import _core

from bounded import TIMINGS, report_timings, run_child, scale

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "src" / "govdisclose.h"

# The bound for a child parsing a few hundred kilobytes (bounded.py scales it).
QUICK = 60
# The bound for a child parsing 100 MB (about 20 s on this machine without sanitizers).
LARGE = 300


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    report_timings(request, "time-bounded children (hostile inputs and others): wall time, slowest first")


def header_limits():
    """GD_MAX_* of the public header: name -> (value, the comment above it)."""
    text = HEADER.read_text(encoding="utf-8")
    limits = {}
    for m in re.finditer(r"((?:/\*(?:[^*]|\*(?!/))*\*/\s*)?)#define (GD_MAX_\w+) (.+)", text):
        comment, name, expr = m.group(1), m.group(2), m.group(3)
        expr = re.sub(r"/\*.*?\*/", "", expr).replace("(size_t)", "").strip()
        assert re.fullmatch(r"[\d\s()<>+*-]+", expr), f"{name}: cannot read {expr!r}"
        limits[name] = (eval(expr), comment.strip())  # noqa: S307 - digits and operators only
    return limits


# ---- Empty and blank input ----------------------------------------------------------


def test_empty_input(corpus):
    got = run_child("empty input", """
        out = []
        for x in ["", b"", bytearray(), memoryview(b""), " \\n\\t\\u3000\\r\\n", "\\n" * 1000]:
            r = govdisclose.parse(x)
            out.append([r.active, r.requests, r.reviews, [f.code for f in r.findings],
                        len(r.unplaced), r.agency, r.year])
        result(out=out)
    """, corpus, QUICK)
    for active, requests, reviews, codes, unplaced, agency, year in got["out"]:
        assert (active, requests, reviews, unplaced, agency, year) == (None,) * 3 + (0, None, None)
        assert codes == ["parse.not_a_report"]


# ---- 100 MB -------------------------------------------------------------------------


def test_100mb_of_a_real_report_repeated(corpus):
    """The dazu report repeated to 100 MB: the same tables as the report alone (the
    first of equally good regions wins), in bounded time and memory."""
    got = run_child("100 MB: dazu report repeated", """
        import resource
        b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        one = govdisclose.parse(b).to_dict()
        big = (b + b"\\n") * (100_000_000 // (len(b) + 1) + 1)
        t = time.monotonic()
        r = govdisclose.parse(big)
        secs = time.monotonic() - t
        d = r.to_dict()
        result(size=len(big), secs=secs,
               same=[d[k] == one[k] for k in ("agency", "year", "published", "template",
                                                "active", "requests", "reviews")],
               findings=[f["code"] for f in d["findings"]], unplaced=len(d["unplaced"]),
               maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    """, corpus, LARGE)
    assert got["size"] >= 100_000_000
    assert got["same"] == [True] * 7
    assert got["findings"] == [] and got["unplaced"] == 0
    TIMINGS["  (100 MB repeated report: the parse alone)"] = got["secs"]


@pytest.mark.parametrize("name,unit,code", [
    ("one line of CJK", "政", "parse.not_a_report"),
    ("one number of 10^8 digits", "9", "parse.not_a_report"),
    ("blank lines", "\n", "parse.not_a_report"),
    ("separators", "|\t", "parse.not_a_report"),
])
def test_100mb_degenerate(corpus, name, unit, code):
    got = run_child(f"100 MB: {name}", f"""
        unit = {unit!r}
        x = unit * (100_000_000 // len(unit.encode()))
        r = govdisclose.parse(x)
        result(size=len(x.encode()), codes=sorted({{f.code for f in r.findings}}),
               tables=[r.active is None, r.requests is None, r.reviews is None])
    """, corpus, LARGE)
    assert got["size"] >= 99_999_990
    assert got["codes"] == [code]
    assert got["tables"] == [True, True, True]


# ---- Huge and overflowing numbers ---------------------------------------------------

# A child-side helper: the dazu report with the cell at `path` (dotted) rewritten.
REWRITE = """
    b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
    base = govdisclose.parse(b)
    def cell(r, path):
        x = r
        for part in path.split("."):
            x = getattr(x, part)
        return x
    def rewrite(paths, new):
        out = b
        for s, e in sorted((cell(base, p).span for p in paths), reverse=True):
            out = out[:s] + new + out[e:]
        return out
    def result_rows_natural_person():
        # the 自然人 cell of each result row of table 三 (the rows （七）总计 adds up)
        rows = [k for k, v in base.requests.to_dict().items()
                if k not in ("new", "carried_over", "total", "carried_forward")]
        paths = []
        for k in rows:
            v = getattr(base.requests, k)
            if hasattr(v, "natural_person"):
                paths.append(f"requests.{k}.natural_person")
            else:
                for sub in type(v).__slots__:
                    if getattr(v, sub) is not None:
                        paths.append(f"requests.{k}.{sub}.natural_person")
        return paths
    def summary(r, path):
        c = cell(r, path)
        return dict(kind=c.kind, value=None if c.value is None else str(c.value),
                    raw_len=len(c.raw.encode()),
                    findings=[[f.code, f.cell, f.severity, f.expected, f.actual]
                              for f in r.findings])
"""


def test_million_digit_number_in_a_cell(corpus):
    """A 10^6-digit number where 予以公开/自然人 is: a text cell with a finding naming it,
    the rest of the report read as before, no identity broken by it."""
    got = run_child("10^6-digit number in a table cell", (REWRITE, """
        r = govdisclose.parse(rewrite(["requests.granted.natural_person"], b"9" * 10**6))
        s = summary(r, "requests.granted.natural_person")
        s["others_same"] = (r.to_dict()["active"] == base.to_dict()["active"]
                            and r.requests.new.to_dict() == base.requests.new.to_dict())
        result(**s)
    """), corpus, QUICK)
    assert got["kind"] == "text" and got["value"] is None
    assert got["raw_len"] == 10**6
    assert [f[:3] for f in got["findings"]] == [
        ["parse.number_too_large", "requests.granted.natural_person", "warning"]]
    assert got["others_same"]


def test_million_digit_number_in_prose(corpus):
    got = run_child("10^6-digit number in prose", (REWRITE, """
        i = b.index("一、总体情况".encode())
        r = govdisclose.parse(b[:i] + b"9" * 10**6 + b"\\n" + b[i:])
        result(tables=[r.to_dict(cells="value")[k] == base.to_dict(cells="value")[k]
                       for k in ("active", "requests", "reviews")],
               findings=[f.code for f in r.findings])
    """), corpus, QUICK)
    assert got["tables"] == [True, True, True]
    assert got["findings"] == []


@pytest.mark.parametrize("digits", [
    "9223372036854775807",       # INT64_MAX
    "9223372036854775808",       # INT64_MAX + 1
    "18446744073709551615",      # UINT64_MAX
    "18446744073709551616",      # 2^64
    "-9223372036854775809",      # below INT64_MIN
    "340282366920938463463374607431768211456",  # 2^128
    "1000000000000000000",       # 10^18: 19 digits
])
def test_counts_beyond_64_bits_are_text_with_a_finding(corpus, digits):
    got = run_child(f"count {digits[:12]}…", (REWRITE, f"""
        r = govdisclose.parse(rewrite(["requests.granted.natural_person"], {digits!r}.encode()))
        result(**summary(r, "requests.granted.natural_person"))
    """), corpus, QUICK)
    assert (got["kind"], got["value"]) == ("text", None)
    assert ["parse.number_too_large", "requests.granted.natural_person", "warning"] in [
        f[:3] for f in got["findings"]]
    assert all(f[2] != "error" for f in got["findings"]), got["findings"]


def test_sum_beyond_64_bits_still_breaks_the_identity(corpus):
    """Each of the 21 result rows of 自然人 at the largest count the core accepts
    (999999999999999999): their sum, 2.1e19, is beyond int64, and (七)总计 says 0.
    requests.column_total for that column is broken, and a finding must say so --
    an identity that cannot be computed in 64 bits is not an identity that holds."""
    got = run_child("sum of counts beyond int64", (REWRITE, """
        paths = result_rows_natural_person()
        r = govdisclose.parse(rewrite(paths, b"999999999999999999"))
        result(n=len(paths), **summary(r, "requests.total.natural_person"))
    """), corpus, QUICK)
    assert got["n"] == 21
    assert ["requests.column_total", "requests.total.natural_person", "error"] in [
        f[:3] for f in got["findings"]]


def test_sum_of_exactly_int64_max_is_computed(corpus):
    """The 21 result rows of 自然人 rewritten to sum to exactly 2^63 - 1: nine rows at
    999999999999999999, one at 223372036854775816, eleven at 0.  The sum still fits
    in 64 bits, so requests.column_total names it as expected (not "beyond 64 bits")
    against the 3 that (七)总计 says."""
    got = run_child("sum of counts of exactly INT64_MAX", (REWRITE, """
        paths = result_rows_natural_person()
        values = [b"999999999999999999"] * 9 + [b"223372036854775816"] + [b"0"] * 11
        out = b
        for (s, e), new in sorted(zip((cell(base, p).span for p in paths), values),
                                  reverse=True):
            out = out[:s] + new + out[e:]
        result(n=len(paths), **summary(govdisclose.parse(out), "requests.total.natural_person"))
    """), corpus, QUICK)
    assert got["n"] == 21 and 9 * 999999999999999999 + 223372036854775816 == 2**63 - 1
    assert ["requests.column_total", "requests.total.natural_person", "error", 2**63 - 1, 3] in \
        got["findings"]


def _dazu_with(corpus, values):
    """大足 2021 with the cells at these SCHEMA paths rewritten (path -> digits)."""
    data = (corpus / "dazu-gaj-2021.txt").read_bytes()
    base = govdisclose.parse(data)

    def cell(path):
        x = base
        for part in path.split("."):
            x = getattr(x, part)
        return x
    for path in sorted(values, key=lambda p: cell(p).span, reverse=True):
        s, e = cell(path).span
        data = data[:s] + values[path].encode() + data[e:]
    return govdisclose.parse(data)


def _natural_person_results(corpus):
    """The 自然人 cells (七)总计 adds up in 大足's report, in the identity's order."""
    (ident,) = [i for i in _core.identities() if i["code"] == "requests.column_total"]
    r = govdisclose.parse_file(corpus / "dazu-gaj-2021.txt")
    paths = []
    for term in ident["terms"]:
        x = r.requests
        for part in term.split("."):
            x = getattr(x, part, None) if x is not None else None
        if x is not None:
            paths.append(f"requests.{term}.natural_person")
    return paths


@pytest.mark.parametrize("values", [
    ["999999999999999999"] * 21,                        # 21 * (10^18 - 1)
    ["999999999999999999", "1"] * 10 + ["0"],           # exactly 10^19, a 0 last
    ["950000000000000000"] * 10 + ["0"] * 11,           # 9.5 * 10^18: just past INT64_MAX
])
def test_a_sum_beyond_64_bits_is_named_exactly(corpus, values):
    """Sums of 自然人's result rows past what int64 holds: (七)总计 is broken, and the
    finding gives the sum in full, as Python's integers add it."""
    paths = _natural_person_results(corpus)
    assert len(paths) == len(values) == 21
    r = _dazu_with(corpus, dict(zip(paths, values)))
    total = sum(int(v) for v in values)
    assert total > 2 ** 63 - 1
    (f,) = [f for f in r.findings if f.code == "requests.column_total"]
    assert (f.cell, f.severity, f.expected, f.actual) == (
        "requests.total.natural_person", "error", None, 3)
    assert f.message.startswith(f"requests.total.natural_person should be {total}, beyond what "
                                "a 64-bit count holds")


def test_a_balance_that_goes_below_zero(corpus):
    """结转下年度继续办理 自然人 rewritten to 999999999999999999: the balance (新收 3 +
    上年结转 1 - 结转下年度) wants a total of 4 - 999999999999999999, below zero."""
    r = _dazu_with(corpus, {"requests.carried_forward.natural_person": "999999999999999999"})
    want = 3 + 1 - 999999999999999999
    (f,) = [f for f in r.findings if f.code == "requests.balance"]
    assert (f.cell, f.expected, f.actual) == ("requests.total.natural_person", want, 3)
    assert f"is 3 but should be {want} " in f.message


# ---- NUL bytes ----------------------------------------------------------------------


def test_nul_bytes(corpus):
    """NUL is valid UTF-8: a report with NULs is parsed, never cut short at the first
    one (strings travel as pointer and length)."""
    got = run_child("NUL bytes", """
        b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        base = govdisclose.parse(b)
        values = lambda r: {k: r.to_dict(cells="value")[k] for k in ("active", "requests", "reviews")}
        out = {}
        # after the text and before it: the same cells (spans move by one byte)
        out["end"] = govdisclose.parse(b + b"\\0").to_dict() == base.to_dict()
        out["start"] = values(govdisclose.parse(b"\\0" + b)) == values(base)
        # a NUL at the start of every line: no crash, a Report
        r = govdisclose.parse(b"\\0" + b.replace(b"\\n", b"\\n\\0"))
        out["lines"] = len(r.findings)
        # a NUL before the first table heading: everything after it is still read
        i = b.index("二、主动公开".encode())
        out["middle"] = values(govdisclose.parse(b[:i] + b"\\0\\n" + b[i:])) == values(base)
        # only NULs, and NULs between every byte of the report
        out["only"] = [f.code for f in govdisclose.parse(b"\\0" * 100_000).findings]
        s = b.decode()
        out["interleaved"] = len(govdisclose.parse("\\0".join(s)).findings) >= 1
        result(**out)
    """, corpus, QUICK)
    assert got["end"] and got["start"] and got["middle"]
    assert got["only"] == ["parse.not_a_report"]
    assert got["interleaved"]


# ---- Invalid UTF-8 ------------------------------------------------------------------


def test_invalid_utf8_at_every_position(corpus):
    """Each kind of invalid UTF-8, put at every byte position of a real report (and
    each byte replaced by 0xFF): ParseError whose offset is the first bad byte, as
    Python's own decoder finds it, also named in the message."""
    got = run_child("invalid UTF-8 at every position", """
        b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        bads = [b"\\xff", b"\\x80", b"\\xc0\\x80", b"\\xed\\xa0\\x80", b"\\xf4\\x90\\x80\\x80",
                b"\\xe4\\xb8"]
        wrong, n = [], 0
        def check(x):
            global n
            n += 1
            try:
                x.decode("utf-8")
                return
            except UnicodeDecodeError as e:
                want = e.start
            try:
                govdisclose.parse(x)
            except govdisclose.ParseError as e:
                if e.offset != want or f"byte {want}" not in str(e):
                    wrong.append([len(x), want, e.offset, str(e)[:80]])
                return
            wrong.append([len(x), want, "no error"])
        for i in range(len(b) + 1):
            for bad in bads:
                check(b[:i] + bad + b[i:])
            if i < len(b):
                check(b[:i] + b"\\xff" + b[i + 1:])
        result(n=n, wrong=wrong[:20], nwrong=len(wrong), size=len(b))
    """, corpus, QUICK * 3)
    assert got["n"] == (got["size"] + 1) * 6 + got["size"]
    assert got["nwrong"] == 0, got["wrong"]


# ---- Truncation ---------------------------------------------------------------------


def test_every_prefix_of_a_real_report(corpus):
    """Every prefix of dazu-gaj-2021.txt at a character boundary gives a Report whose
    spans lie inside that prefix and whose cells are the text at their spans; every
    prefix that cuts a character gives ParseError at the cut character.  The bytes
    are said to be UTF-8 text: left to detection, a short prefix cut inside a
    character may well be valid GB18030."""
    got = run_child("every prefix of dazu-gaj-2021.txt", """
        b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        s = b.decode()
        bad, n, nchars = [], 0, 0
        full = govdisclose.parse(b, format="text", encoding="utf-8").to_dict()
        for k in range(len(b) + 1):
            x = b[:k]
            try:
                x.decode("utf-8")
                whole = True
            except UnicodeDecodeError as e:
                whole, start = False, e.start
            if not whole:
                try:
                    govdisclose.parse(x, format="text", encoding="utf-8")
                    bad.append([k, "no ParseError"])
                except govdisclose.ParseError as e:
                    if e.offset != start:
                        bad.append([k, "offset", e.offset, start])
                continue
            nchars += 1
            d = govdisclose.parse(x, format="text", encoding="utf-8").to_dict()
            n += 1
            def walk(v):
                if isinstance(v, dict):
                    if set(v) == {"value", "kind", "raw", "note", "span"}:
                        s0, s1 = v["span"]
                        if not (0 <= s0 <= s1 <= k):
                            bad.append([k, "cell span", s0, s1])
                        elif "".join(x[s0:s1].decode().split()) != "".join(v["raw"].split()):
                            bad.append([k, "raw", v["raw"][:30], x[s0:s1].decode()[:30]])
                        return
                    for w in v.values():
                        walk(w)
                elif isinstance(v, list):
                    for w in v:
                        walk(w)
            walk({k2: d[k2] for k2 in ("active", "requests", "reviews")})
            for u in d["unplaced"]:
                if not (0 <= u["span"][0] <= u["span"][1] <= k):
                    bad.append([k, "unplaced span", u["span"]])
        result(n=n, nchars=nchars, nbytes=len(b), bad=bad[:20], nbad=len(bad),
               last_same=(d == full))
    """, corpus, QUICK * 3)
    assert got["nchars"] == got["n"] and got["n"] > 2000
    assert got["nbad"] == 0, got["bad"]
    assert got["last_same"]


# ---- Markup -------------------------------------------------------------------------


@pytest.mark.parametrize("name,page", [pytest.param(n, p, id=n) for n, p in [
    ("10^5 nested div", '"<div>" * 10**5 + "二、主动公开政府信息情况" + "</div>" * 10**5'),
    ("10^5 unclosed td", '"<table><tr>" + "<td>1" * 10**5'),
    ("10^5 nested tables", '"<table><tr><td>" * 10**5 + "3"'),
    ("10^5 unclosed comments and tags", '"<!--<p" * 10**5'),
    ("10^5 unclosed attributes", '"<td class=\\"" * 10**5'),
    ("10^5 entities", '"&#12288;&amp;&nbsp;&#x0;" * 10**5'),
]])
def test_html_with_1e5_nested_or_unclosed_tags(corpus, name, page):
    got = run_child(f"HTML: {name}", f"""
        r = govdisclose.parse({page}, format="html")
        result(findings=[f.code for f in r.findings])
    """, corpus, QUICK)
    assert got["findings"], "a page that is no report says so"


# ---- Pathological but well-formed tables --------------------------------------------


def test_many_rows_of_run_together_digits(corpus):
    """1 MB of rows whose cells ran together into one run of digits (what a scraper
    makes of a table): 40 to 69 fives cannot be split into the row's seven cells
    one way only, so no cell is read; every run is said (parse.glued_cells) and
    kept, whole, in unplaced -- none is lost.  (Its speed is benchmarks' business;
    the child's time bound only stops a hang.)"""
    got = run_child("1 MB of run-together digit rows", """
        row = "一、本年新收政府信息公开申请数量"
        x = "三、收到和处理政府信息公开申请情况\\n" + "".join(
            row + "5" * (40 + i % 30) + "\\n" for i in range(10_000))
        r = govdisclose.parse(x)
        result(requests=r.requests is not None,
               glued=sum(f.code == "parse.glued_cells" for f in r.findings),
               unplaced=[[u.table, len(u.text), set(u.text) == {"5"}] for u in r.unplaced])
    """, corpus, 20)
    assert got["requests"] is False
    assert got["glued"] == 10_000
    assert got["unplaced"] == [["requests", 40 + i % 30, True] for i in range(10_000)]


# ---- Random input -------------------------------------------------------------------


class _Alarm(Exception):
    pass


@contextlib.contextmanager
def time_bound(seconds):
    """A time bound for the in-process property tests: SIGALRM raises between two
    examples (each is small: a parse of at most a few kilobytes)."""
    def on_alarm(signum, frame):
        raise _Alarm(f"property test took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(max(1, int(seconds * scale())))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _check_report(r, nbytes):
    d = r.to_dict()
    for u in d["unplaced"]:
        assert 0 <= u["span"][0] <= u["span"][1] <= nbytes
    for f in d["findings"]:
        assert f["severity"] in ("info", "warning", "error") and f["message"]
    return d


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def _random_bytes(data):
    try:
        want = None
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        want = e.start
    try:
        r = govdisclose.parse(data, format="text", encoding="utf-8")
    except govdisclose.ParseError as e:
        assert want is not None and e.offset == want
        return
    assert want is None
    _check_report(r, len(data))


def test_random_bytes():
    """Random bytes as UTF-8 text: ParseError at the first bad byte, or a Report
    whose spans lie in the input.  (Random bytes left to format and encoding
    detection: tests/test_api.py.)"""
    with time_bound(300):
        _random_bytes()


TOKENS = None


def _tokens():
    global TOKENS
    if TOKENS is None:
        words = set()
        for table in _core.template().values():
            words.add(table["label"])
            for row in table["rows"]:
                words.add(row["label"])
                words.update(row["keys"])
                words.update(c["label"] for c in row["columns"])
        TOKENS = sorted(words) + ["0", "1", "12", "999999999999999999", "10000000000000000000",
                                  "—", "/", "无", "（含3件）", "221.67", "１２", "1,234", "-3",
                                  "\t", "\n", " ", "|", "\u3000", "2021年", "年度报告", "信息公开"]
    return TOKENS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def _random_reports_from_template_words(data):
    parts = data.draw(st.lists(st.sampled_from(_tokens()), max_size=400))
    text = "".join(parts)
    r = govdisclose.parse(text)
    d = _check_report(r, len(text.encode()))
    assert govdisclose.Report.from_dict(d).to_dict() == d


def test_random_reports_from_template_words():
    """Text made of the template's own labels, numbers, markers and separators: the
    kind of input that reaches deep into the table reader."""
    with time_bound(300):
        _random_reports_from_template_words()


# ---- The named limits ---------------------------------------------------------------


def test_limits_are_named_with_a_reason():
    limits = header_limits()
    assert {"GD_MAX_INPUT", "GD_MAX_DIGITS", "GD_MAX_LABEL_BYTES", "GD_MAX_ROWS",
            "GD_MAX_COLS"} <= set(limits)
    for name, (value, reason) in limits.items():
        assert value > 0, name
        assert reason.startswith("/*") and len(reason) > 20, f"{name} has no reason beside it"
    assert _core.MAX_INPUT == limits["GD_MAX_INPUT"][0]


def test_limit_table_geometry():
    """GD_MAX_ROWS and GD_MAX_COLS are the union of both templates: exactly the largest
    table and row of the template the core uses."""
    limits = header_limits()
    tables = _core.template()
    assert max(len(t["rows"]) for t in tables.values()) == limits["GD_MAX_ROWS"][0]
    assert max(len(r["columns"]) for t in tables.values() for r in t["rows"]) == \
        limits["GD_MAX_COLS"][0]


def test_limit_max_input(corpus):
    """GD_MAX_INPUT bytes pass the size check (the UTF-8 check then refuses the first
    byte: cheap, and proof that size was not the reason); one byte more is refused
    as too large, before anything else is looked at."""
    got = run_child("GD_MAX_INPUT boundary", """
        n = _core.MAX_INPUT
        out = []
        for size in (n, n + 1):
            x = bytearray(size)
            x[0] = 0xFF
            try:
                govdisclose.parse(memoryview(x).toreadonly())
                out.append("parsed")
            except govdisclose.ParseError as e:
                out.append([getattr(e, "offset", None), str(e)])
            del x
        result(out=out)
    """, corpus, QUICK)
    at, over = got["out"]
    assert at[0] == 0 and "UTF-8" in at[1]
    assert "too large" in over[1] and str(header_limits()["GD_MAX_INPUT"][0]) in over[1]


def test_limit_max_digits(corpus):
    """GD_MAX_DIGITS significant digits are read exactly; one more is text with a
    finding; leading zeros do not count."""
    n = header_limits()["GD_MAX_DIGITS"][0]
    got = run_child("GD_MAX_DIGITS boundary", (REWRITE, f"""
        p = "requests.granted.natural_person"
        out = {{}}
        for name, new in [("at", "9" * {n}), ("over", "1" + "0" * {n}),
                          ("zeros", "0" * 40 + "7" * {n}), ("decimal_at", "1" * ({n} - 2) + ".25"),
                          ("decimal_over", "1" * ({n} - 1) + ".25")]:
            out[name] = summary(govdisclose.parse(rewrite([p], new.encode())), p)
        result(**out)
    """), corpus, QUICK)
    assert (got["at"]["kind"], got["at"]["value"]) == ("number", "9" * n)
    assert (got["zeros"]["kind"], got["zeros"]["value"]) == ("number", "7" * n)
    assert got["decimal_at"]["kind"] == "number"
    for k in ("over", "decimal_over"):
        assert got[k]["kind"] == "text", k
        assert ["parse.number_too_large", "requests.granted.natural_person", "warning"] in [
            f[:3] for f in got[k]["findings"]]
    for k in ("at", "zeros", "decimal_at"):
        assert "parse.number_too_large" not in [f[0] for f in got[k]["findings"]], k


def test_limit_max_label_bytes(corpus):
    """A label of GD_MAX_LABEL_BYTES bytes still opens its row; a longer one is prose
    (the row is then missing, and a finding says so) -- unless its values follow at
    once, as when a scraper ran the label into the text before it."""
    limit = header_limits()["GD_MAX_LABEL_BYTES"][0]
    got = run_child("GD_MAX_LABEL_BYTES boundary", f"""
        b = open(CORPUS + "/dazu-gaj-2021.txt", "rb").read()
        label = "\\t行政规范性文件".encode()  # the table's row label, not the prose's
        assert b.count(label) == 1
        out = {{}}
        note = "\\n\\t注".encode()
        cases = [("at", {limit}, note), ("over", {limit} + 3, note)]
        cases.append(("over_then_values", {limit} + 3, b""))
        for name, size, after in cases:
            pad = (size - len(label)) // 3
            new = label + "的".encode() * pad + b"x" * ((size - len(label)) % 3)
            assert len(new) == size
            r = govdisclose.parse(b.replace(label, new + after))
            out[name] = [r.active.normative_documents is not None,
                         [[f.code, f.cell] for f in r.findings]]
        result(**out)
    """, corpus, QUICK)
    assert got["at"][0] is True and got["at"][1] == []
    assert got["over"][0] is False
    assert ["parse.missing_row", "active.normative_documents"] in got["over"][1]
    assert got["over_then_values"][0] is True


@pytest.mark.parametrize("title, start", [
    ("标题:\x00\x00\x00 平潭综合实验区2021年度政府信息公开工作年度报告\n", 11),
    ("平潭综合\x00实验区2021年度政府信息公开工作年度报告\n", 0),
])
def test_control_bytes_in_the_agency_are_left_out(title, start):
    """NUL bytes before or inside the name once made the agency an empty C
    string (found by fuzz_text; tests/fuzz/regressions/LOG.md)."""
    r = govdisclose.parse(title)
    assert r.agency == "平潭综合实验区"
    assert r.metadata_spans["agency"][0] == start
