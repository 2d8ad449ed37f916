"""Pages read by OCR -> the text the core parses -> a Report whose findings
say what OCR did: the engine, resolution and mean confidence of each page
(``parse.ocr``), each number read with low confidence (``parse.ocr_uncertain``),
each number the identities corrected (``parse.ocr_corrected``), and, for a
table read by OCR, that a broken identity may be the reading's fault.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from .. import _core
from .._model import Finding, Report
from . import fix
from .engine import NAME, Char, engine
from .images import PageImage
from .page import UNREADABLE, read_page

__all__ = ["PageResult", "ocr_page", "assemble", "finish", "LOW_CONFIDENCE"]

# A number with a character read below this probability is named in a
# ``parse.ocr_uncertain`` finding.
LOW_CONFIDENCE = 0.8
# Characters below this probability get alternative readings in the identity check.
UNCERTAIN = 0.8

class PageResult(NamedTuple):
    """A page's text as OCR read it, the byte offset in that text of each
    character read (with its probabilities), and its findings."""

    number: int
    text: str
    chars: Tuple[Tuple[int, Char], ...]
    findings: Tuple[Finding, ...]


def _info(message: str, code: str = "parse.ocr", severity: str = "info") -> Finding:
    return Finding(code, severity, None, None, None, None, message)


def ocr_page(page: PageImage) -> PageResult:
    """One page image read into text rows."""
    notes = [_info(n, "parse.ocr_limit", "warning") for n in page.notes]
    h, w = page.grey.shape[:2]
    if min(h, w) < 16 or max(h, w) > 50 * min(h, w):
        notes.append(_info(f"page {page.number}: an image of {w} x {h} pixels holds no line of "
                           "text: nothing read from it", "parse.ocr_limit", "warning"))
        return PageResult(page.number, "", (), tuple(notes))
    read = read_page(engine(), page.grey)
    parts: List[str] = []
    chars: List[Tuple[int, Char]] = []
    size = 0
    for table, cells in read.rows:
        sep = "\t" if table else " "
        for k, cell in enumerate(cells):
            if k:
                parts.append(sep)
                size += 1
            for ch in cell:
                chars.append((size, ch))
                parts.append(ch.char)
                size += len(ch.char.encode("utf-8"))
        parts.append("\n")
        size += 1
    dpi = f"{page.dpi:.0f} dpi" if page.dpi else "resolution not recorded"
    turned = f", turned {read.skew:+.2f}°" if read.skew else ""
    notes.insert(0, _info(
        f"page {page.number}: read by OCR ({NAME}), {dpi}, {w} x {h} pixels{turned}, "
        f"{read.boxes} pieces of text, mean confidence {read.mean_confidence:.3f}"))
    return PageResult(page.number, "".join(parts), tuple(chars), tuple(notes))


def assemble(texts: Sequence[str], results: Sequence[PageResult]
             ) -> Tuple[str, Dict[int, Char], List[Tuple[int, int]], List[Finding]]:
    """The pages joined by line breaks (page n: texts[n-1], or its OCR text):
    the text, each OCR'd character by byte offset, the byte ranges read by
    OCR, and the pages' findings."""
    by_number = {r.number: r for r in results}
    parts: List[str] = []
    chars: Dict[int, Char] = {}
    ranges: List[Tuple[int, int]] = []
    findings: List[Finding] = []
    size = 0
    for number, text in enumerate(texts, 1):
        if number > 1:
            parts.append("\n")
            size += 1
        r = by_number.get(number)
        if r is not None:
            text = r.text
            for offset, ch in r.chars:
                chars[size + offset] = ch
            findings.extend(r.findings)
        n = len(text.encode("utf-8"))
        if r is not None:
            ranges.append((size, size + n))
        parts.append(text)
        size += n
    return "".join(parts), chars, ranges, findings


def _cells(report: Report) -> Dict[str, Dict[str, Any]]:
    """The report's cells by SCHEMA path (to_dict form)."""
    d = report.to_dict()
    out = {}
    for table_id, tdef in _core.template().items():
        table = d.get(table_id)
        if table is None:
            continue
        for row in tdef["rows"]:
            node = table
            for part in row["id"].split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                continue
            for col in row["columns"]:
                cell = node.get(col["id"])
                if isinstance(cell, dict) and "kind" in cell:
                    out[f"{table_id}.{row['id']}.{col['id']}"] = cell
    return out


def _cell_chars(cell: Dict[str, Any], chars: Dict[int, Char]) -> List[Tuple[int, Char]]:
    start, end = cell["span"]
    return [(o, chars[o]) for o in range(start, end) if o in chars]


def _known(cells: Dict[str, Dict[str, Any]], strict: bool) -> Dict[str, Optional[int]]:
    out: Dict[str, Optional[int]] = {}
    for path, cell in cells.items():
        if cell["kind"] == "number" and isinstance(cell["value"], int):
            out[path] = cell["value"]
        elif cell["kind"] in ("empty", "na") and not strict:
            out[path] = 0
        else:
            out[path] = None
    return out


def _corrections(report: Report, chars: Dict[int, Char], strict: bool
                 ) -> Tuple[List[fix.Change], List[str]]:
    """The changes the identities choose, table by table, and what was not
    fixed and why (for the findings)."""
    cells = _cells(report)
    known = _known(cells, strict)
    all_instances = fix.instances()
    changes: List[fix.Change] = []
    notes: List[str] = []
    for table in sorted({i.table for i in all_instances}):
        cands = []
        for path, cell in cells.items():
            if not path.startswith(table + ".") or cell["kind"] != "number" or \
                    not isinstance(cell["value"], int):
                continue
            own = _cell_chars(cell, chars)
            if not own or any(not (c.char.isdigit() or c.char == ",") for _, c in own):
                continue
            readings = fix.options([c for _, c in own], UNCERTAIN)
            if len(readings) > 1:
                cands.append(fix.Candidate(path, tuple(o for o, _ in own),
                                           tuple(c for _, c in own), readings))
        outcome, found = fix.solve(table, known, cands, all_instances)
        changes.extend(found)
        if outcome in ("several", "budget"):
            notes.append(f"table {table}: its identities do not all hold as read, and "
                         + ("more than one reading of its uncertain numbers makes them hold"
                            if outcome == "several" else
                            "too many readings of its uncertain numbers fit to choose one")
                         + ": nothing was changed")
    return changes, notes


def finish(text: str, chars: Dict[int, Char], ranges: List[Tuple[int, int]],
           page_findings: List[Finding], strict: bool, source: Optional[str], fmt: str,
           extra: Sequence[Finding] = ()) -> Report:
    """Parse the assembled text; let the identities choose among uncertain
    readings; add the findings that say what OCR did."""
    def parse(t: str) -> Report:
        return _core.parse_report(t, strict, "text", source, fmt, None, t, list(extra))

    report = parse(text)
    changes, notes = _corrections(report, chars, strict)
    added: List[Finding] = list(page_findings)
    if changes:
        buf = bytearray(text.encode("utf-8"))
        for ch in changes:
            for offset, old, new in zip(ch.offsets, ch.raw, ch.chosen):
                if old != new:
                    buf[offset:offset + 1] = new.encode("ascii")
                    c = chars[offset]
                    chars[offset] = Char(new, 1.0, ((old, c.prob),))
        text = buf.decode("utf-8")
        report = parse(text)
        for ch in changes:
            added.append(Finding(
                "parse.ocr_corrected", "warning", ch.path.split(".")[0], ch.path,
                _int(ch.chosen), _int(ch.raw),
                f"{ch.path}: OCR read {ch.raw!r} with uncertain digits, taken as {ch.chosen!r}: "
                "the only reading of the table's uncertain digits under which every identity "
                "of the table holds"))
    for n in notes:
        added.append(_info(n, "parse.ocr_uncertain", "warning"))

    cells = _cells(report)
    ocr_tables = set()
    for path, cell in cells.items():
        if not any(a <= cell["span"][0] < b for a, b in ranges):
            continue
        ocr_tables.add(path.split(".")[0])
        own = _cell_chars(cell, chars)
        if not own:
            continue
        low = min(own, key=lambda oc: oc[1].prob)[1]
        if low.prob < LOW_CONFIDENCE:
            what = "could not be read" if low.char == UNREADABLE else \
                f"was read with low confidence ({low.prob:.2f} for {low.char!r})"
            alts = ", ".join(a for a, _ in low.alternatives)
            added.append(Finding(
                "parse.ocr_uncertain", "warning", path.split(".")[0], path, None,
                cell["value"] if isinstance(cell["value"], int) else None,
                f"{path}: OCR read {cell['raw']!r}; the number {what}"
                + (f" (other readings of it: {alts})" if alts else "")
                + ": check it against the page"))
    findings = []
    for f in report.findings:
        if f.severity == "error" and f.table in ocr_tables:
            f = dataclasses.replace(f, message=(
                f"{f.message} -- this table was read by OCR: the reading may be wrong, not "
                "necessarily the report"))
        findings.append(f)
    return dataclasses.replace(report, findings=tuple(findings) + tuple(added))


def _int(raw: str) -> Optional[int]:
    digits = raw.replace(",", "")
    return int(digits) if digits.isdigit() else None
