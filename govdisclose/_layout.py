"""Runs of text with positions on a page -> lines and cells, the way the page
shows them: the placement step of a fixed-layout format's text.

A fixed-layout document (OFD; a PDF's text layer is the same problem) gives
each run of text where it stands, not where it belongs in the reading order.
``place(runs)`` groups the runs of one page into lines by their baselines and
orders each line left to right; a wide gap between two runs of a line (a
table's column, or a tab stop) becomes a tab, which the core reads as a cell
border (the layout of a PDF copied as text: one table row per line).  Runs
that stand at the same place keep the order they were given in (a writer that
puts every run of a line in one box, as easyofd does, still reads right).

Units do not matter: every threshold is a share of the runs' own height.
"""
from __future__ import annotations

from typing import List, NamedTuple, Sequence

__all__ = ["Run", "place"]

# Runs whose baselines differ by less than this share of their height stand
# on one line (superscripts and a cell's number set a little lower than its
# label still do).
SAME_LINE = 0.5
# A gap wider than this many heights between two runs of a line is a column
# border (a tab); a narrower one wider than SPACE_GAP is a word space.
CELL_GAP = 1.5
SPACE_GAP = 0.25


class Run(NamedTuple):
    """A run of text: its left edge, baseline, width and height (any unit,
    y growing down the page), and its text."""

    x: float
    y: float
    width: float
    height: float
    text: str


def place(runs: Sequence[Run]) -> str:
    """The page's text: one line per baseline, top to bottom; runs left to
    right, a tab where a gap is wider than CELL_GAP heights."""
    order = sorted(range(len(runs)), key=lambda i: runs[i].y)  # stable: ties keep their order
    lines: List[List[Run]] = []
    line_y = line_h = 0.0
    for i in order:
        r = runs[i]
        h = max(r.height, 1e-6)
        if lines and abs(r.y - line_y) <= SAME_LINE * min(h, line_h):
            lines[-1].append(r)
            continue
        lines.append([r])
        line_y, line_h = r.y, h
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x)  # stable: runs in one box keep their order
        parts: List[str] = []
        right = None
        for r in line:
            if right is not None:
                gap = r.x - right
                h = max(r.height, 1e-6)
                if gap > CELL_GAP * h:
                    parts.append("\t")
                elif gap > SPACE_GAP * h and not parts[-1].endswith(" ") and \
                        not r.text.startswith(" "):
                    parts.append(" ")
            parts.append(r.text)
            right = r.x + r.width if right is None else max(right, r.x + r.width)
        text = "".join(parts).strip()
        if text:
            out.append(text)
    return "\n".join(out)
