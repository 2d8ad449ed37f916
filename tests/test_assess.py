"""_formats.assess and readability: how much of a text reads as a Chinese
report (the check that decides whether bytes that are not UTF-8 are GB18030
text, and whether a PDF's text layer is usable).

They count with regular expressions; reference() below is the rule written out
one character at a time, and the two must agree on every code point, on real
reports and on text mixed at random."""
import random

import pytest

from govdisclose import _formats


def reference(text):
    """(readable, unreadable, Chinese) counted one character at a time."""
    cid = sum(len(m.group()) for m in _formats._CID.finditer(text))
    readable = bad = cjk = 0
    for ch in text:
        if ch.isspace():
            continue
        cp = ord(ch)
        expected = (cp < 0x80 or 0xA0 <= cp < 0xC0 or cp in (0xD7, 0xF7)
                    or 0x2000 <= cp < 0x2C00 or 0x2E80 <= cp < 0xA000 or 0xF900 <= cp < 0xFB00
                    or 0xFE30 <= cp < 0xFE50 or 0xFF00 <= cp < 0xFFF0 or 0x20000 <= cp < 0x32000)
        if (cp < 0x20 or 0x7F <= cp < 0xA0 or cp in (0xFFFD, 0xFFFE, 0xFFFF)
                or 0xE000 <= cp < 0xF900 or cp >= 0xF0000 or not expected):
            bad += 1
        else:
            readable += 1
            cjk += 0x3400 <= cp < 0xA000 or 0xF900 <= cp < 0xFB00 or 0x20000 <= cp < 0x32000
    return readable - cid, bad + cid, cjk


def test_every_code_point_alone_and_in_text():
    for start in range(0, 0x110000, 0x1000):
        block = "".join(chr(c) for c in range(start, start + 0x1000) if not 0xD800 <= c < 0xE000)
        assert _formats.assess(block) == reference(block), hex(start)
    for cp in list(range(0x3000)) + list(range(0x9FF0, 0xA010)) + list(range(0xFE20, 0x10000)) \
            + [0x1FFFF, 0x20000, 0x31FFF, 0x32000, 0xEFFFF, 0xF0000, 0x10FFFF]:
        text = f"表{chr(cp)}1 "
        assert _formats.assess(text) == reference(text), hex(cp)


def test_real_reports(corpus):
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        got = _formats.assess(text)
        assert got == reference(text), path.name
        assert got[1] == 0 and got[2] > 0.5 * got[0], (path.name, got)  # real reports read as such
        # the same report read in the wrong encoding does not
        wrong = text.encode("utf-8").decode("latin-1")
        assert _formats.assess(wrong) == reference(wrong)
        assert _formats.readability(wrong) == reference(wrong)[:2]
        assert reference(wrong)[1] > reference(wrong)[0]


def test_random_mixes():
    rng = random.Random(20261128)
    pieces = ["表", "一、", " ", "\u3000", "\t", "\n", "\x1c", "\x85", "\xa0", "(cid:12)", "(cid:",
              "12", "\ufffd", "\ue000", "Ω", "é", "\U00020000", "\U000F0000", "x", "\x00", "，",
              "\u2028", "\u200b", "\ufeff"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        assert _formats.assess(text) == reference(text), repr(text)
        assert _formats.readability(text) == reference(text)[:2], repr(text)


@pytest.mark.parametrize("text", ["", " \t\n", "(cid:1)(cid:22)", "中文(cid:3) 报告"])
def test_edges(text):
    assert _formats.assess(text) == reference(text)
