"""Page geometry: skew, ruling lines, table cells, and boxes -> text rows.

Everything here works on a grey page (numpy uint8, dark ink on light paper):

- ``deskew``: the page turned so that the table's ruling lines are level (the
  angle comes from the long horizontal lines; a page without any keeps its
  angle);
- ``table_cells``: the cells of every ruled table, as the connected regions
  the ruling lines enclose (so a merged cell is one region), with the grid
  row each starts in;
- ``layout``: recognised boxes placed in those cells, or grouped into lines by
  their vertical overlap outside tables; the result is a list of text rows,
  each a list of cells, each cell a list of the boxes it holds in reading order.
"""
from __future__ import annotations

import math
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

__all__ = ["Box", "Cell", "deskew", "table_cells", "layout", "ink_box"]

# Skews beyond this are not corrected (a page turned that far is misfed, and
# the lines found are no longer the table's).
MAX_SKEW_DEGREES = 8.0
# Skews below this are left alone: rows stay rows.
MIN_SKEW_DEGREES = 0.05
# A horizontal ruling line is at least this share of the page width.
MIN_HLINE_SHARE = 0.12
# A vertical ruling line is longer than this many text heights (a character's
# stroke is shorter than one).
VLINE_TEXT_HEIGHTS = 1.3
# A table cell is at least this many pixels each way (a gap between two
# drawn lines is not a cell).
MIN_CELL_PIXELS = 8
# Ink in an empty-looking cell counts when a blob is at least this share of
# the text height tall (speckles are smaller).
MIN_INK_HEIGHT_SHARE = 0.35


class Box(NamedTuple):
    """A recognised piece of text on the deskewed page: left, top, right, bottom
    in pixels, and the index of its reading."""

    x0: float
    y0: float
    x1: float
    y1: float
    reading: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


class Cell(NamedTuple):
    """A table cell: its bounds in pixels and the grid row it starts in."""

    x0: int
    y0: int
    x1: int
    y1: int
    table: int
    row: int


def _binary(np: Any, cv2: Any, grey: Any) -> Any:
    """Ink as 255, paper as 0 (Otsu's threshold)."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _hlines(np: Any, cv2: Any, ink: Any, length: int) -> Any:
    """Horizontal ruling lines: ink runs at least length long (after closing
    one-pixel steps, which a slight skew makes)."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, length), 1)))


def skew_angle(np: Any, cv2: Any, grey: Any) -> float:
    """The page's skew in degrees, from its long horizontal lines (0.0 when it
    has none): each line's slope is fitted to its pixels, and the median of
    the slopes, weighted by length, is the page's."""
    small = cv2.resize(grey, (grey.shape[1] // 2, grey.shape[0] // 2), interpolation=cv2.INTER_AREA)
    ink = _binary(np, cv2, small)
    h, w = ink.shape
    # thickened, a slanted line has long level runs; a character's strokes do not
    thick = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    runs = cv2.morphologyEx(thick, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (max(8, w // 25), 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    slopes, weights = [], []
    limit = math.tan(math.radians(MAX_SKEW_DEGREES))
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        if bw < w * MIN_HLINE_SHARE * 2 or bh > bw * limit + 12:
            continue
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == k)
        if len(xs) < 10:
            continue
        slope = float(np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0])
        if abs(slope) <= limit:
            slopes.append(slope)
            weights.append(float(bw))
    if not slopes:
        return 0.0
    order = sorted(range(len(slopes)), key=lambda i: slopes[i])
    half, acc = sum(weights) / 2, 0.0
    for i in order:  # the weighted median: one stray line does not tilt the page
        acc += weights[i]
        if acc >= half:
            return math.degrees(math.atan(slopes[i]))
    return 0.0


def deskew(np: Any, cv2: Any, grey: Any) -> Tuple[Any, float]:
    """The page turned level, and the angle it was turned by (degrees)."""
    angle = skew_angle(np, cv2, grey)
    if abs(angle) < MIN_SKEW_DEGREES:
        return grey, 0.0
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), angle


def table_cells(np: Any, cv2: Any, grey: Any, text_height: float) -> Tuple[List[Cell], Any]:
    """The cells of the ruled tables of a level page, in reading order, and
    the ink without its ruling lines (for finding text in empty-looking cells)."""
    ink = _binary(np, cv2, grey)
    h, w = ink.shape
    hl = _hlines(np, cv2, ink, int(w * MIN_HLINE_SHARE))
    vlen = max(10, int(text_height * VLINE_TEXT_HEIGHTS))
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    vl = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vlen)))
    grid = cv2.dilate(cv2.bitwise_or(hl, vl), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    text_ink = cv2.bitwise_and(ink, cv2.bitwise_not(grid))

    cells: List[Cell] = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    table = 0
    for k in range(1, n):
        x, y, bw, bh, _ = stats[k]
        if bw < w * 0.25 or bh < text_height * 1.5:
            continue  # a lone line or a box around a word, not a table
        region = np.ascontiguousarray(labels[y:y + bh, x:x + bw] == k).astype(np.uint8)
        # the frame closed: a table cut by a page break has no line under its last row
        region[0, :] = region[-1, :] = region[:, 0] = region[:, -1] = 1
        holes = (1 - region).astype(np.uint8)
        m, _, cstats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
        found = []
        for j in range(1, m):
            cx, cy, cw, ch, _ = cstats[j]
            if cw < MIN_CELL_PIXELS or ch < MIN_CELL_PIXELS:
                continue
            found.append((int(x + cx), int(y + cy), int(x + cx + cw), int(y + cy + ch)))
        if len(found) < 2:
            continue
        cells.extend(_rows(found, table, text_height))
        table += 1
    cells.sort(key=lambda c: (c.table, c.row, c.x0))
    return cells, text_ink


def _rows(found: List[Tuple[int, int, int, int]], table: int, text_height: float) -> List[Cell]:
    """Cells numbered by the grid row they start in (tops within a third of a
    text height are one row)."""
    tops = sorted({c[1] for c in found})
    rows: List[int] = []
    for t in tops:
        if not rows or t - rows[-1] > text_height / 3:
            rows.append(t)
    out = []
    for x0, y0, x1, y1 in found:
        row = max(i for i, t in enumerate(rows) if t <= y0 + text_height / 3)
        out.append(Cell(x0, y0, x1, y1, table, row))
    return out


def ink_box(np: Any, cv2: Any, text_ink: Any, cell: Cell, text_height: float
            ) -> Optional[Tuple[int, int, int, int]]:
    """The bounds of the text in a cell that the detector found nothing in, or
    None when it holds only speckles."""
    pad = 2
    sub = text_ink[cell.y0 + pad:cell.y1 - pad, cell.x0 + pad:cell.x1 - pad]
    if sub.size == 0:
        return None
    # strokes a noisy scan broke apart joined again (specks stay small)
    joined = cv2.morphologyEx(sub, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    least = text_height * MIN_INK_HEIGHT_SHARE
    keep = [stats[k] for k in range(1, n)
            if stats[k][3] >= least or stats[k][2] >= 1.5 * least]  # tall, or a dash
    if not keep:
        return None
    x0 = min(s[0] for s in keep)
    y0 = min(s[1] for s in keep)
    x1 = max(s[0] + s[2] for s in keep)
    y1 = max(s[1] + s[3] for s in keep)
    return cell.x0 + pad + x0, cell.y0 + pad + y0, cell.x0 + pad + x1, cell.y0 + pad + y1


def split_by_cells(rects: Sequence[Tuple[float, float, float, float]], cells: Sequence[Cell]
                   ) -> List[Tuple[float, float, float, float]]:
    """Detected boxes cut at the table's cell walls: a box that runs over two
    or more cells (the detector joins "0 0" across a thin line) becomes one
    box per cell, each inside its cell; a box in one cell is trimmed to it, so
    that no ruling line is read as a character."""
    out = []
    for x0, y0, x1, y1 in rects:
        height = y1 - y0
        parts = []
        for c in cells:
            a, b = max(x0, c.x0 + 1), min(x1, c.x1 - 1)
            top, bottom = max(y0, c.y0 + 1), min(y1, c.y1 - 1)
            if b - a >= 0.4 * height and bottom - top >= 0.5 * height:
                parts.append((a, top, b, bottom))
        out.extend(parts if parts else [(x0, y0, x1, y1)])
    return out


def _in_cell(box: Box, cell: Cell) -> bool:
    return cell.x0 <= box.cx <= cell.x1 and cell.y0 <= box.cy <= cell.y1


def _lines(boxes: Sequence[Box]) -> List[List[Box]]:
    """Boxes grouped into lines: a box joins the line it overlaps most
    vertically (by more than half the smaller height), each line left to right."""
    lines: List[List[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        best, best_overlap = None, 0.0
        for line in lines[-3:]:
            top = sum(x.y0 for x in line) / len(line)
            bottom = sum(x.y1 for x in line) / len(line)
            overlap = min(bottom, b.y1) - max(top, b.y0)
            if overlap > 0.5 * min(bottom - top, b.height) and overlap > best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            lines.append([b])
        else:
            best.append(b)
    for line in lines:
        line.sort(key=lambda b: b.x0)
    return lines


def layout(boxes: Sequence[Box], cells: Sequence[Cell]) -> List[Tuple[bool, List[List[Box]]]]:
    """Text rows in reading order, each (in a table?, cells), each cell the
    boxes it holds.  Boxes inside a table cell go to that cell (a cell's lines
    top to bottom, each left to right); a table row holds every cell that
    starts in it, empty ones too (so that numbers keep their columns); boxes
    outside tables form lines, one cell per box."""
    placed = {id(c): [] for c in cells}  # type: dict
    loose: List[Box] = []
    for b in boxes:
        home = next((c for c in cells if _in_cell(b, c)), None)
        if home is None:
            loose.append(b)
        else:
            placed[id(home)].append(b)

    units: List[Tuple[float, bool, List[List[Box]]]] = []
    for line in _lines(loose):
        units.append((min(b.y0 for b in line), False, [[b] for b in line]))
    rows = {}  # type: dict
    for c in cells:
        content = [b for line in _lines(placed[id(c)]) for b in line]
        rows.setdefault((c.table, c.row), []).append((c.x0, c.y0, content))
    for parts in rows.values():
        if not any(p[2] for p in parts):
            continue  # a row with nothing in it (a frame's gap)
        parts.sort(key=lambda p: p[0])
        units.append((min(p[1] for p in parts), True, [p[2] for p in parts]))
    units.sort(key=lambda u: u[0])
    return [(u[1], u[2]) for u in units]
