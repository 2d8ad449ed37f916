"""Command line: ``python -m govdisclose FILE...`` (also the ``govdisclose`` script).

For each report file it prints the metadata, the three tables (a line per
row: label, then the values), the findings and the numbers it could not place.
Exit status: 0 when no report has an error finding, 1 when some report has one
(or a file cannot be read as UTF-8 text), 2 on usage errors.
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Any, Iterable, List, Mapping, Optional, Sequence

from . import _core, parse
from ._model import Cell, Report

_TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
}


def _width(s: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _show(cell: Optional[Cell]) -> str:
    """A cell as a short token: the number, "" for empty, — for na, [text]."""
    if cell is None:
        return "·"
    if cell.kind == "number":
        s = str(cell.value)
    elif cell.kind == "empty":
        s = '""'
    elif cell.kind == "na":
        s = "—"
    else:
        s = "[" + cell.raw + "]"
    if cell.note:
        s += "（" + cell.note + "）"
    return s


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


# Captions of the row groups of table 三 (template "group" numbers).
_GROUP_CAPTIONS = {3: "（三）不予公开", 4: "（四）无法提供", 5: "（五）不予处理", 6: "（六）其他处理"}
_LABEL_MAX = 26  # display columns; longer official labels are cut with …


def _short(label: str) -> str:
    if _width(label) <= _LABEL_MAX:
        return label
    out = ""
    for ch in label:
        if _width(out + ch) > _LABEL_MAX - 1:
            break
        out += ch
    return out + "…"


def _table_lines(report: Report, table_id: str, tdef: Mapping[str, Any]) -> Iterable[str]:
    table = getattr(report, table_id)
    yield _TABLE_TITLES.get(table_id, tdef["label"])
    if table is None:
        yield "  (table not found)"
        return
    rows = [(rd, _get(table, rd["id"])) for rd in tdef["rows"]]
    rows = [(rd, row) for rd, row in rows if row is not None]
    if not rows:
        yield "  (no rows found)"
        return

    # Labels, with the group captions of table 三 as lines of their own.
    labels = []
    group = 0
    for rd, _ in rows:
        caption = _GROUP_CAPTIONS.get(rd["group"])
        if rd["group"] != group and caption and not rd["label"].startswith(caption[:3]):
            labels.append((caption, None))
        group = rd["group"]
        indent = "  " if caption and not rd["label"].startswith(caption[:3]) else ""
        labels.append((indent + _short(rd["label"]), rd))
    label_w = max(_width(text) for text, _ in labels) + 2
    by_id = {rd["id"]: row for rd, row in rows}

    same_cols = len({tuple(c["id"] for c in rd["columns"]) for rd, _ in rows}) == 1
    if same_cols:
        cols = rows[0][0]["columns"]
        tokens = {rd["id"]: [_show(getattr(row, c["id"])) for c in cols] for rd, row in rows}
        col_w = [max([_width(c["label"])] + [_width(t[i]) for t in tokens.values()]) + 1
                 for i, c in enumerate(cols)]
        yield "  " + _pad("", label_w) + "".join(
            _pad(c["label"], w) for c, w in zip(cols, col_w)).rstrip()
        for text, rd in labels:
            values = "" if rd is None else "".join(
                _pad(t, w) for t, w in zip(tokens[rd["id"]], col_w))
            yield ("  " + _pad(text, label_w) + values).rstrip()
    else:
        for text, rd in labels:
            parts: List[str] = []
            if rd is not None:
                for c in rd["columns"]:
                    cell = getattr(by_id[rd["id"]], c["id"])
                    if cell is not None:
                        parts.append(c["label"] + " " + _show(cell))
            yield ("  " + _pad(text, label_w) + "  ".join(parts)).rstrip()
    for extra in getattr(table, "extra", ()):
        yield "  " + _pad(_short(extra.label), label_w) + " ".join(_show(c) for c in extra.cells)


def format_report(report: Report, name: str) -> str:
    """The report as readable text (the output of the command line)."""
    template = _core.template()
    lines: List[str] = [f"== {name}"]
    lines.append(f"agency:    {report.agency if report.agency is not None else '(unknown)'}")
    lines.append(f"year:      {report.year if report.year is not None else '(unknown)'}")
    published = report.published.isoformat() if report.published else "(unknown)"
    lines.append(f"published: {published}")
    lines.append(f"template:  {report.template}")
    for table_id in ("active", "requests", "reviews"):
        lines.append("")
        lines.extend(_table_lines(report, table_id, template[table_id]))
    lines.append("")
    if report.findings:
        lines.append(f"findings ({len(report.findings)}):")
        for f in report.findings:
            where = f.cell or f.table or "-"
            numbers = ""
            if f.expected is not None or f.actual is not None:
                numbers = f" expected {f.expected} actual {f.actual}"
            lines.append(f"  {f.severity:<7} {f.code}  {where}{numbers}: {f.message}")
    else:
        lines.append("findings: none")
    if report.unplaced:
        lines.append(f"unplaced numbers ({len(report.unplaced)}):")
        for u in report.unplaced:
            lines.append(f"  {u.text} at bytes {u.span[0]}-{u.span[1]} in {u.table or '-'}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="govdisclose",
        description="Parse 政府信息公开工作年度报告 text files and check their tables.",
        epilog="Exit status: 0 when no report has an error finding, 1 when some does "
               "(or a file cannot be read as UTF-8), 2 on usage errors.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="report as UTF-8 text")
    parser.add_argument("--strict", action="store_true",
                        help="blank and na cells make an identity not checkable")
    args = parser.parse_args(argv)

    status = 0
    for i, path in enumerate(args.files):
        if i:
            print()
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            print(f"govdisclose: {path}: cannot read: {e.strerror or e}", file=sys.stderr)
            status = 1
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            print(f"govdisclose: {path}: not UTF-8 text (bad byte at offset {e.start}); "
                  "other encodings are not supported yet", file=sys.stderr)
            status = 1
            continue
        report = parse(text, strict=args.strict)
        print(format_report(report, path))
        if not report.ok:
            status = 1
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
