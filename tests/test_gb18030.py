"""The core's GB18030 decoder (src/read/gb18030.c, ``_core.decode_gb18030``) is
Python's gb18030 codec: the same text, or the same error start, for every
two-byte sequence, every four-byte sequence of the BMP, every supplementary
one, invalid and truncated forms at every offset around the 16-byte blocks,
and random bytes -- in both errors="strict" (what _formats uses) and
errors="replace".  A GB2312/GBK/GB18030 input is decoded in the core, never by
Python's codec, and parses to the Report of its text, spans and all."""
import codecs
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import govdisclose
from govdisclose import _core, _formats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import markup_inputs  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TRAILS = list(range(0x40, 0x7F)) + list(range(0x80, 0xFF))


def python(data, errors="strict"):
    try:
        return data.decode("gb18030", errors), None
    except UnicodeDecodeError as e:
        return None, e.start


def core(data, errors="strict"):
    try:
        return _core.decode_gb18030(data, errors), None
    except _core.ParseError as e:
        return None, e.offset


def check(data):
    """The core and Python agree on data, strict and replace; 1 when they do."""
    for errors in ("strict", "replace"):
        assert core(data, errors) == python(data, errors), (data, errors)
    return 1


def four(index):
    b1, r = divmod(index, 12600)
    b2, r = divmod(r, 1260)
    b3, b4 = divmod(r, 10)
    return bytes([0x81 + b1, 0x30 + b2, 0x81 + b3, 0x30 + b4])


def test_generated_table_is_up_to_date():
    out = subprocess.run([sys.executable, str(REPO / "tools" / "gen_gb18030.py")],
                         capture_output=True, check=True, text=True).stdout
    assert out == (REPO / "src" / "read" / "gb18030_table.c").read_text(), \
        "src/read/gb18030_table.c is stale: python3 tools/gen_gb18030.py > src/read/gb18030_table.c"


def test_every_two_byte_sequence():
    """All 256 x 256 byte pairs (the 126 x 190 valid ones among them), alone, and
    straddling a block edge with text around them."""
    n = 0
    for lead in range(256):
        for trail in range(256):
            pair = bytes([lead, trail])
            n += check(pair)
            n += check(b"x" * 15 + pair + "中文".encode("gb18030") + b"y" * 14)
    assert n == 2 * 65536
    valid = b"".join(bytes([lead, t]) for lead in range(0x81, 0xFF) for t in TRAILS)
    assert len(valid) == 2 * 126 * 190
    assert python(valid)[1] is None
    check(valid)


def test_every_four_byte_bmp_sequence():
    n = 0
    for index in range(39420 + 200):  # and the first 200 past U+FFFF's
        n += check(four(index))
    assert n == 39620
    check(b"".join(four(i) for i in range(39420)))


def test_every_supplementary_sequence():
    """U+10000..U+10FFFF: all of them in one text, the edges and a sample alone."""
    base = 189000  # the index of 0x90308130
    whole = b"".join(four(base + i) for i in range(0x100000))
    text, bad = core(whole)
    assert bad is None and text == whole.decode("gb18030")
    assert [ord(c) for c in text[:2]] == [0x10000, 0x10001] and ord(text[-1]) == 0x10FFFF
    rng = random.Random(18030)
    sample = list(range(-20, 20)) + list(range(0xFFFF0, 0x100010)) + \
        [rng.randrange(0x100000) for _ in range(3000)]
    for i in sample:
        check(four(base + i))


def test_four_byte_forms_out_of_range():
    """Every first byte and second (digit) byte with third and fourth bytes in and
    out of range: 0x80, 0x85..0x8F, 0xE3329A36 on, a bad third or fourth byte."""
    n = 0
    for b1 in range(0x80, 0x100):
        for b2 in range(0x30, 0x3A):
            for b3 in (0x20, 0x30, 0x80, 0x81, 0x9A, 0xA5, 0xFE, 0xFF):
                for b4 in (0x20, 0x2F, 0x30, 0x35, 0x36, 0x39, 0x3A, 0x81):
                    n += check(bytes([b1, b2, b3, b4]))
    assert n == 128 * 10 * 8 * 8


BAD_FORMS = [b"\x80", b"\xff", b"\x81", b"\xfe", b"\x81\x30", b"\x81\x30\x81", b"\x81\x7f",
             b"\x81\xff", b"\x81\x20", b"\x81\x0a", b"\x80\x41", b"\xff\x41", b"\x80\x30\x81\x30",
             b"\x81\x30\x20\x30", b"\x81\x30\x81\x20", b"\x81\x30\xff\x30", b"\x84\x31\xa5\x30",
             b"\x85\x30\x81\x30", b"\x8f\x39\xfe\x39", b"\xe3\x32\x9a\x36", b"\xfe\x39\xfe\x39",
             b"\xd6\x30\xd0"]
PADS = [lambda k: b"a" * k,
        lambda k: "中".encode("gb18030") * (k // 2) + b"b" * (k % 2),
        lambda k: b"c" * (k % 4) + "\U00020000".encode("gb18030") * (k // 4)]
TAILS = [b"", b"z", b"xyz" * 7, "中文".encode("gb18030"), b"\x81", b"\xd6\xd0\x81\x30"]


def test_bad_forms_around_block_edges():
    """Each bad form at every offset 0..48 (after ASCII, two-byte and four-byte
    text), at the end and before more text (good and bad)."""
    n = 0
    for bad in BAD_FORMS:
        for pad in PADS:
            for k in range(49):
                for tail in TAILS:
                    n += check(pad(k) + bad + tail)
    assert n == len(BAD_FORMS) * len(PADS) * 49 * len(TAILS)


def test_random_bytes():
    rng = random.Random(2005)
    alphabet = [0x00, 0x0A, 0x20, 0x30, 0x35, 0x39, 0x3A, 0x40, 0x41, 0x7E, 0x7F, 0x80, 0x81,
                0x84, 0x85, 0x8F, 0x90, 0x95, 0xA1, 0xA5, 0xB0, 0xD6, 0xE3, 0xFE, 0xFF]
    for _ in range(30000):
        n = rng.randrange(64)
        if rng.random() < 0.5:
            data = bytes(rng.choice(alphabet) for _ in range(n))
        else:
            data = bytes(rng.randrange(256) for _ in range(n))
        check(data)


def test_buffers_and_arguments():
    data = "一、总体情况 2021年\U00020000".encode("gb18030")
    want = data.decode("gb18030")
    for given in (data, bytearray(data), memoryview(data), memoryview(bytearray(data))):
        assert _core.decode_gb18030(given) == want
    assert _core.decode_gb18030(b"") == ""
    for text in ("abc", "é", "ÿ", "Ā", "中", "\uffff", "\U00020000", "a" * 40 + "é"):
        got = _core.decode_gb18030(text.encode("gb18030"))  # the narrowest str kind
        # doubled: a string's size also counts a cached UTF-8 copy, which CPython 3.12+
        # keeps for its one-character Latin-1 strings ("é"); a concatenation keeps the
        # kind of its parts and caches none
        assert got == text and sys.getsizeof(got + got) == sys.getsizeof(text + text), text
    with pytest.raises(TypeError):
        _core.decode_gb18030("str")
    with pytest.raises(ValueError):
        _core.decode_gb18030(data, "ignore")
    with pytest.raises(ValueError):
        _core.parse_report(data, charset="latin-1")
    with pytest.raises(TypeError):
        _core.parse_report(want, charset="gb18030")


# ---- The parse: no Python codec on the way, the same Report ------------------------


@pytest.fixture
def no_python_gb18030(monkeypatch):
    """_formats with a codecs module whose decode refuses GB18030."""
    real = codecs.decode

    class Codecs:
        def __getattr__(self, name):
            return getattr(codecs, name)

        @staticmethod
        def decode(data, codec="utf-8", errors="strict"):
            assert codecs.lookup(codec).name not in ("gb18030", "gbk", "gb2312"), \
                "Python's gb18030 codec was called"
            return real(data, codec, errors)

    monkeypatch.setattr(_formats, "codecs", Codecs())


def plain(report):
    d = report.to_dict()
    d.pop("encoding")
    return d


def corpus_texts(corpus):
    return sorted(p for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


def test_corpus_reports_in_gb18030(corpus, no_python_gb18030):
    """Every corpus report in GB18030: given as such, detected, with a U+FEFF at
    the start, as a bytearray -- the Report of its text, spans and all, and its
    text is the decoded text."""
    paths = corpus_texts(corpus)
    assert len(paths) >= 15
    for p in paths:
        text = p.read_text(encoding="utf-8")
        gb = text.encode("gb18030")
        want = govdisclose.parse(text)
        for given, kw in ((gb, {"encoding": "gb2312"}), (gb, {"encoding": "GBK"}),
                          (bytearray(gb), {"encoding": "gb18030"}),
                          ("\ufeff".encode("gb18030") + gb, {"encoding": "gb18030"}),
                          (gb, {})):
            r = govdisclose.parse(given, **kw)
            assert r.encoding == "gb18030"
            if gb.isascii():
                continue
            assert r.text == text.lstrip("\ufeff"), p.name
            assert plain(r) == plain(want), (p.name, kw)


def test_html_pages_that_declare_gb2312(corpus, no_python_gb18030):
    """The pages of markup_inputs declare charset=gb2312: in GB18030 bytes they
    parse to the Report of the page as a str, Report.text the page."""
    n = 0
    for gold in sorted((corpus / "gold").glob("*.json")):
        try:
            rep = markup_inputs.Report(corpus, gold.stem)
        except (StopIteration, UnicodeDecodeError, KeyError, IndexError):
            continue
        for variant in ("word", "sloppy", "layout"):
            page = markup_inputs.html_page(rep, variant)
            assert "charset=gb2312" in page
            for strict in (False, True):
                r = govdisclose.parse(page.encode("gb18030"), strict=strict)
                want = govdisclose.parse(page, format="html", strict=strict)
                assert (r.format, r.encoding, r.text) == ("html", "gb18030", page)
                assert plain(r) == plain(want)
                for cell in (r.requests.total.total, r.requests.granted.natural_person):
                    if cell.span is not None:
                        assert page.encode()[slice(*cell.span)].decode()
            n += 1
    assert n >= 6


def page_with(corpus, junk_at=None, junk=b"\x81\x20"):
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    page = markup_inputs.html_page(markup_inputs.Report(corpus, "dazu-gaj-2021"), "word") \
        if (corpus / "gold" / "dazu-gaj-2021.json").exists() else text
    data = page.encode("gb18030")
    if junk_at is not None:
        data = data[:junk_at] + junk + data[junk_at:]
    return data


@pytest.mark.parametrize("junk", [b"\x81\x20", b"\xff", b"\x81\x30\x81\x20", b"\x80"])
def test_a_bad_byte_is_named_as_before(corpus, junk):
    """A page that declares GB2312 with a bad byte: the same ParseError, message and
    offset, as when Python's codec decoded it."""
    good = page_with(corpus)
    for at in (len(good) // 2, len(good)):
        data = page_with(corpus, at, junk)
        gb_bad = python(data)[1]
        utf8_bad = _formats._first_bad(data, "utf-8")
        assert gb_bad is not None and gb_bad <= at
        with pytest.raises(govdisclose.ParseError) as e:
            govdisclose.parse(data)
        assert e.value.offset == gb_bad
        assert str(e.value) == (f"the page declares charset=gb2312 but is not valid gb18030 "
                                f"(byte {gb_bad}), nor UTF-8 (byte {utf8_bad}) nor GB18030: "
                                "pass the right encoding=")
        with pytest.raises(govdisclose.ParseError) as e:
            govdisclose.parse(data, encoding="gbk")
        assert e.value.offset == gb_bad
        assert str(e.value) == (f"the input is not valid gb18030 (byte {gb_bad}): pass the right "
                                "encoding=, or leave it out to detect it")


def test_threads_decode_alike(corpus):
    """GB18030 pages parsed on four threads at once (the decode runs without the
    GIL) give each the Report of one thread."""
    pages = [markup_inputs.html_page(markup_inputs.Report(corpus, "dazu-gaj-2021"), v)
             .encode("gb18030") for v in ("word", "sloppy", "layout")]
    want = [govdisclose.parse(p) for p in pages]
    errors = []

    def work():
        try:
            for _ in range(20):
                for p, w in zip(pages, want):
                    assert govdisclose.parse(p) == w
        except BaseException as e:  # noqa: BLE001 -- reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_the_core_decodes_a_declared_page(corpus, monkeypatch, no_python_gb18030):
    """parse(bytes of a page that declares GB2312) calls the core once, with the
    bytes and charset="gb18030" (no str decoded first, no second try)."""
    with pytest.raises(AssertionError):  # the fixture does refuse the codec
        _formats.codecs.decode(b"", "gb2312")
    calls = []
    real = _core.parse_report

    def spy(payload, *args, **kwargs):  # charset: the ninth argument, or by keyword
        calls.append((type(payload), kwargs.get("charset", args[7] if len(args) > 7 else None)))
        return real(payload, *args, **kwargs)

    monkeypatch.setattr(_core, "parse_report", spy)
    data = page_with(corpus)
    r = govdisclose.parse(data)
    assert calls == [(bytes, "gb18030")]
    assert r.encoding == "gb18030" and r.text == data.decode("gb18030")
    calls.clear()
    govdisclose.parse(data, format="text", encoding="gb2312")
    assert calls == [(bytes, "gb18030")]


def test_decode_errors_keep_nothing():
    """3,000 ParseErrors of bytes that are not GB18030 (a lead byte, then a space):
    each error's message is freed with it, so the blocks Python holds do not grow
    (a leaked message would be 3,000 of them)."""
    import gc
    bad = "政府信息公开".encode("gb18030") + b"\x81\x20"

    def fail(times):
        for _ in range(times):
            with pytest.raises(govdisclose.ParseError):
                _core.decode_gb18030(bad)
        gc.collect()
        return sys.getallocatedblocks()

    before = fail(100)
    assert fail(3000) - before < 300
