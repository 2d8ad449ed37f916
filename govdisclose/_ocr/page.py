"""One page image -> text rows, each character with its reading's confidence.

The page is turned level, its text lines found and read, its ruled tables
found; each box goes to its table cell (a box across a cell wall is cut at
it; a cell the detector missed but that holds ink is read on its own), and
the rows are written as text: cells of a table row separated by tabs, pieces
of a line outside tables by spaces, rows by line breaks, as the core reads
any text.
"""
from __future__ import annotations

from typing import Any, List, NamedTuple, Tuple

from . import geometry
from .engine import Char, Engine, Reading

__all__ = ["PageText", "read_page", "UNREADABLE"]

# Text taller than this share of the page is no text line (a frame, a stamp).
MAX_TEXT_SHARE = 0.2
# Readings whose mean probability is below this outside tables are noise
# (speckles read as characters) and are dropped.
MIN_LOOSE_SCORE = 0.5
# What a table cell holding ink that reads as nothing becomes: a character
# that is no number, with probability 0, so that the cell is named and never
# silently blank.
UNREADABLE = "?"
# Letters the engine reads for digits, in a cell that is otherwise a number.
DIGIT_LOOKALIKES = {"o": "0", "O": "0", "Q": "0", "D": "0", "〇": "0", "l": "1", "I": "1",
                    "|": "1", "丨": "1", "S": "5", "B": "8", "Z": "2"}
# Marks a speck beside a number is read as; they are dropped from the ends of
# a number (a decimal point inside it stays).
SPECK_MARKS = set(".,，。·°'`:;、‘’\"-_~")
# A character read with less than this probability is uncertain.
UNCERTAIN = 0.5

Row = Tuple[bool, List[List[Char]]]


class PageText(NamedTuple):
    """A page's text rows, each (in a table?, cells), each cell the characters
    read in it; and how it was read."""

    rows: List[Row]
    width: int
    height: int
    skew: float
    boxes: int
    mean_confidence: float


def _crop(grey: Any, x0: float, y0: float, x1: float, y1: float, pad: int = 3) -> Any:
    h, w = grey.shape
    a, b = max(0, int(x0) - pad), min(w, int(x1 + 0.999) + pad)
    c, d = max(0, int(y0) - pad), min(h, int(y1 + 0.999) + pad)
    return grey[c:d, a:b]


def _inside(r: Tuple[float, float, float, float], cells: List[geometry.Cell]) -> bool:
    cx, cy = (r[0] + r[2]) / 2, (r[1] + r[3]) / 2
    return any(c.x0 <= cx <= c.x1 and c.y0 <= cy <= c.y1 for c in cells)


def _digit(char: str) -> str:
    """The digit a character is the shape of ("" for none): ASCII and
    full-width digits, and the letters the engine reads for digits."""
    if char.isdigit() and char.isascii():
        return char
    if "０" <= char <= "９":
        return chr(ord(char) - ord("０") + ord("0"))
    return DIGIT_LOOKALIKES.get(char, "")


def _as_digit(c: Char) -> Char:
    """A character of a number as its digit: the probabilities of the engine's
    candidates that are the same digit (0, ０) are added up; when the engine's
    first reading was a letter, the result is capped below UNCERTAIN, so that
    the cell is named."""
    votes: dict = {}
    for char, p in ((c.char, c.prob),) + c.alternatives:
        d = _digit(char)
        if d:
            votes[d] = votes.get(d, 0.0) + p
    best = max(votes, key=votes.get)
    prob = min(1.0, votes.pop(best))
    if not (c.char.isdigit() or "０" <= c.char <= "９"):
        prob = min(prob, UNCERTAIN * 0.99)
    rest = tuple(sorted(votes.items(), key=lambda kv: -kv[1]))
    return Char(best, prob, rest)


def as_number(chars: List[Char]) -> List[Char]:
    """A cell's characters, read as a number when they are one but for
    full-width digits, look-alike letters and specks: each character becomes
    its digit (see _as_digit), specks at the ends are dropped.  Anything else
    is returned as it is."""
    if not chars or len(chars) > 16:
        return chars
    if not any(_digit(c.char) for c in chars) or \
            any(not (_digit(c.char) or c.char in SPECK_MARKS) for c in chars):
        return chars
    out = list(chars)
    while out and out[0].char in SPECK_MARKS:
        out.pop(0)
    while out and out[-1].char in SPECK_MARKS:
        out.pop()
    return [c if c.char in SPECK_MARKS else _as_digit(c) for c in out] or chars


def _numbers_line(cells: List[List[Char]]) -> bool:
    """A line outside tables with at least two pieces that are numbers (a
    table row whose cell walls were not found)."""
    return sum(1 for c in cells if c and all(_digit(x.char) for x in c)) >= 2


def read_page(eng: Engine, grey: Any) -> PageText:
    """A grey page (numpy uint8) read into text rows (see the module's docs)."""
    np, cv2 = eng.np, eng.cv2
    level, angle = geometry.deskew(np, cv2, grey)
    h, w = level.shape
    rects = []
    for q in eng.detect(level):
        x0, y0 = float(q[:, 0].min()), float(q[:, 1].min())
        x1, y1 = float(q[:, 0].max()), float(q[:, 1].max())
        if y1 - y0 < h * MAX_TEXT_SHARE and x1 > x0 and y1 > y0:
            rects.append((x0, y0, x1, y1))
    heights = sorted(r[3] - r[1] for r in rects)
    text_height = heights[len(heights) // 2] if heights else h / 60
    cells, text_ink = geometry.table_cells(np, cv2, level, text_height)

    crops, boxes = [], []
    for r in geometry.split_by_cells(rects, cells):
        boxes.append(geometry.Box(*r, len(crops)))
        crops.append(_crop(level, *r, pad=0 if _inside(r, cells) else 3))
    for c in cells:  # cells the detector found nothing in but that hold ink
        if any(c.x0 <= b.cx <= c.x1 and c.y0 <= b.cy <= c.y1 for b in boxes):
            continue
        found = geometry.ink_box(np, cv2, text_ink, c, text_height)
        if found is not None:
            boxes.append(geometry.Box(*found, len(crops)))
            crops.append(_crop(level, *found))
    readings: List[Reading] = eng.recognize(crops) if crops else []

    in_table = {b.reading for b in boxes
                if any(c.x0 <= b.cx <= c.x1 and c.y0 <= b.cy <= c.y1 for c in cells)}
    kept = []
    for b in boxes:
        chars = readings[b.reading].chars
        if b.reading in in_table:
            if not chars:  # ink that reads as nothing: said, never left blank
                readings[b.reading] = Reading((Char(UNREADABLE, 0.0, ()),))
            kept.append(b)
        elif chars and sum(c.prob for c in chars) / len(chars) >= MIN_LOOSE_SCORE:
            kept.append(b)
    rows: List[Row] = []
    for table, row in geometry.layout(kept, cells):
        cells_chars = [[ch for b in cell for ch in readings[b.reading].chars] for cell in row]
        if table or _numbers_line(cells_chars):
            cells_chars = [as_number(c) for c in cells_chars]
        rows.append((table, cells_chars))
    probs = [ch.prob for _, row in rows for cell in row for ch in cell]
    return PageText(rows, w, h, angle, len(kept), sum(probs) / len(probs) if probs else 0.0)
