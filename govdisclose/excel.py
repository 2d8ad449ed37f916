"""Reports as an Excel workbook (the optional extra ``govdisclose[excel]``).

    >>> govdisclose.to_excel(govdisclose.parse_many("reports/"), "reports.xlsx")

Sheets:

* ``reports``: one row per report, its metadata and every cell of both
  templates.  Above the data, the official labels as the tables print them
  (the section heading, the captions 三、本年度办理结果 and （三）不予公开, the
  row label, the column label), merged where they group, and under them the
  SCHEMA id; the headings are frozen and the filters are on the id row.
  Counts are integers, money a number shown with the decimals and the unit
  the report wrote (``221.67`` under 本年收费金额（单位：万元）, ``251000元`` in
  采购总金额), ``published`` a date.  A blank cell stays blank and a dash or
  words stay as written: never 0.  The cells of a broken identity are red
  (the cell the finding names darker), a cell a warning names amber, each
  with the findings about it as the cell's comment.
* ``cells``: one row per cell the report holds: raw text, note, byte span
  (past Excel's 1,048,576 rows a sheet, on in ``cells (2)``, ...).
* ``findings``: one row per finding, every one (the per-cell detail), the
  message in ``lang``.
* ``audit``: one row per report, the columns of ``govdisclose.audit``
  (published on time, complete, adds up, agrees across years).
* more sheets from ``extra_sheets``: {name: DataFrame or (columns, rows)}.

The workbook is built in memory and written when closed (its merged
headings rule out XlsxWriter's row-by-row mode): for thousands of reports,
Parquet or CSV is the better store.

Written with XlsxWriter: it only writes, needs nothing else, and does the
formatting this needs (merged headings, frozen panes, filters, comments,
number formats) in one pass at a steady speed; openpyxl reads the files back
in the tests.
"""
from __future__ import annotations

import datetime
import os
import unicodedata
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._display import broken_cells
from ._model import Cell, Report
from .bulk import _sourced
from .frames import FINDING_COLUMNS, LONG_COLUMNS, META_COLUMNS, _cells, _long_rows
from .labels import FINDING_LABELS, LONG_LABELS, META_LABELS, label_path, zh_label
from .messages import localize_report, resolve_lang

__all__ = ["to_excel", "SHEETS"]

SHEETS = ("reports", "cells", "findings", "audit")
MAX_ROWS = 1_048_576  # Excel's rows per sheet
_DIGITS = 15  # what a spreadsheet number holds exactly; longer money stays text


def _xlsxwriter() -> Any:
    try:
        import xlsxwriter
    except ImportError as e:
        raise ImportError("govdisclose's workbooks need XlsxWriter: "
                          "pip install 'govdisclose[excel]'") from e
    return xlsxwriter


def _width(s: str) -> int:
    """Display width: CJK characters count two (columns are capped, so a long
    text is measured by its first 120 characters)."""
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s[:120])


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "Microsoft YaHei", "font_size": 10}
        self.wb = wb
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#E4E9F2", "border": 1,
                                   "align": "center", "valign": "vcenter", "text_wrap": True})
        self.ids = wb.add_format({**base, "font_size": 8, "font_color": "#555555",
                                  "bg_color": "#F3F3F3", "border": 1, "text_wrap": True,
                                  "valign": "top"})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.text = wb.add_format(base)
        self.na = wb.add_format({**base, "font_color": "#777777", "align": "center"})
        self._base = base
        self._cache: Dict[Tuple[str, str], Any] = {}

    def number(self, num_format: str, state: str) -> Any:
        """A number format with a fill for the cell's state ("", broken, target, warned)."""
        key = (num_format, state)
        if key not in self._cache:
            props: Dict[str, Any] = {**self._base, "num_format": num_format}
            props.update(_STATES.get(state, {}))
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


_STATES = {
    "target": {"bg_color": "#FFB3B3", "bold": True, "font_color": "#990000"},
    "broken": {"bg_color": "#FFE0E0"},
    "warned": {"bg_color": "#FFF1CC"},
}


def _money_format(value: Decimal, unit: str) -> str:
    places = max(0, -int(value.as_tuple().exponent))
    fmt = "0." + "0" * places if places else "0"
    return fmt + (f'"{unit}"' if unit else "")


def _unit(cell: Cell, money: bool, label: str) -> str:
    """The unit a money cell is shown with: its own (a note 元/万元) unless the
    heading prints one."""
    if not money or "单位" in label:
        return ""
    note = (cell.note or "").strip()
    return note if note in ("元", "万元", "亿元") else ""


# ---- The reports sheet ------------------------------------------------------------------


def _heading_paths() -> List[Tuple[str, Tuple[str, ...]]]:
    """(column id, label path) for every column of the reports sheet."""
    cols = [(name, (META_LABELS[name],)) for name in META_COLUMNS]
    for path, _table, _row, _col, money, _label in _cells():
        labels = label_path(path)
        if money and "单位" not in labels[-1]:  # 采购总金额: the unit is in each cell
            labels = labels[:-1] + (labels[-1] + "（单位：元或万元，见单元格）",)
        cols.append((path, labels))
    return cols


def _write_headings(ws: Any, fmt: _Formats, cols: List[Tuple[str, Tuple[str, ...]]]) -> int:
    """The label rows (merged where the labels group) and the id row; returns
    the index of the id row."""
    depth = max(len(p) for _, p in cols)  # label rows
    groups = [p[:-1] for _, p in cols]  # the levels above the column's own label
    for j, (_, path) in enumerate(cols):
        if len(path) == 1:  # metadata: one label over all the label rows
            _merge(ws, 0, j, depth - 1, j, path[0], fmt.head)
        else:
            ws.write(depth - 1, j, path[-1], fmt.head)
    for level in range(depth - 1):
        j = 0
        while j < len(cols):
            g = groups[j]
            if level >= len(g):
                j += 1
                continue
            last = level == len(g) - 1
            bottom = depth - 2 if last else level
            k = j
            while (k + 1 < len(cols) and groups[k + 1][:level + 1] == g[:level + 1]
                   and (len(groups[k + 1]) - 1 == level) == last):
                k += 1
            _merge(ws, level, j, bottom, k, g[level], fmt.head)
            j = k + 1
    id_row = depth
    for j, (name, _) in enumerate(cols):
        ws.write(id_row, j, name, fmt.ids)
    for r in range(depth):
        ws.set_row(r, 30)
    ws.set_row(id_row, 36)
    return id_row


def _merge(ws: Any, r0: int, c0: int, r1: int, c1: int, text: str, f: Any) -> None:
    if (r0, c0) == (r1, c1):
        ws.write(r0, c0, text, f)
    else:
        ws.merge_range(r0, c0, r1, c1, text, f)


_SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def _comments(report: Report, lang: str) -> Dict[str, List[str]]:
    """The findings about each cell, as its comment says them."""
    out: Dict[str, List[str]] = {}
    for f in report.findings:
        if f.cell and f.severity in _SEVERITY_ZH:
            sev = _SEVERITY_ZH[f.severity] if lang == "zh" else f.severity
            out.setdefault(f.cell, []).append(f"{sev} {f.code}: {f.message}")
    return out


def _write_report_row(ws: Any, fmt: _Formats, row: int, source: Optional[str],
                      r: Report, widths: List[int], lang: str) -> None:
    counts = {"n_errors": sum(f.severity == "error" for f in r.findings),
              "n_warnings": sum(f.severity == "warning" for f in r.findings), "source": source}
    meta = [counts[name] if name in counts else getattr(r, name, None) for name in META_COLUMNS]
    for j, v in enumerate(meta):
        if v is None:
            continue
        if isinstance(v, datetime.date):
            ws.write_datetime(row, j, datetime.datetime(v.year, v.month, v.day), fmt.date)
            widths[j] = max(widths[j], 10)
        elif isinstance(v, int):
            ws.write_number(row, j, v, fmt.text)
        else:
            ws.write_string(row, j, str(v), fmt.text)
            widths[j] = max(widths[j], _width(str(v)))
    targets, members, warned = broken_cells(r)
    comments = _comments(r, lang)
    base = len(meta)
    for k, (path, table, rid, col, money, _label) in enumerate(_cells()):
        obj: Any = getattr(r, table)
        for part in f"{rid}.{col}".split("."):
            obj = None if obj is None else getattr(obj, part, None)
        cell: Optional[Cell] = obj
        if cell is None:
            continue
        j = base + k
        state = ("target" if path in targets else "broken" if path in members
                 else "warned" if path in warned or path.rsplit(".", 1)[0] in warned else "")
        if cell.kind == "number" and cell.value is not None:
            v = cell.value
            if isinstance(v, Decimal) or money:
                d = Decimal(v)
                if len(d.as_tuple().digits) > _DIGITS:
                    ws.write_string(row, j, cell.raw, fmt.number("@", state))
                else:
                    f = fmt.number(_money_format(d, _unit(cell, money, _label_of(path))), state)
                    ws.write_number(row, j, float(d), f)
            else:
                ws.write_number(row, j, v, fmt.number("0", state))
            shown = str(v)
        elif cell.kind == "empty":
            if state:  # a blank in a broken identity: coloured, still blank
                ws.write_blank(row, j, None, fmt.number("General", state))
            shown = ""
        else:  # a dash, 无, or words: as written
            ws.write_string(row, j, cell.raw, fmt.number("@", state))
            shown = cell.raw
        widths[j] = max(widths[j], _width(shown))
        notes = comments.get(path) or (comments.get(path.rsplit(".", 1)[0]) if state else None)
        if notes:
            ws.write_comment(row, j, "\n".join(notes), {"x_scale": 2.5, "y_scale": 2})


def _label_of(path: str) -> str:
    return label_path(path)[-1]


def _reports_sheet(wb: Any, fmt: _Formats) -> Tuple[Any, List[int], int, int]:
    ws = wb.add_worksheet("reports")
    cols = _heading_paths()
    id_row = _write_headings(ws, fmt, cols)
    widths = [max(6, min(14, _width(p[-1]) // 2 + 2)) for _, p in cols]
    return ws, widths, id_row, len(cols)


# ---- The long sheets ------------------------------------------------------------------


class _Sheet:
    """A sheet of rows under two heading rows (Chinese label, id); past Excel's
    rows per sheet it goes on in a new sheet, ``cells (2)``, ..., so nothing is
    left out."""

    def __init__(self, wb: Any, fmt: _Formats, name: str, columns: Sequence[str],
                 labels: Mapping[str, str], cap: int = 60) -> None:
        self.wb, self.fmt, self.name, self.columns = wb, fmt, name, list(columns)
        self.labels, self.cap = labels, cap
        self.parts = 0
        self._start()

    def _start(self) -> None:
        self.parts += 1
        name = self.name if self.parts == 1 else f"{self.name} ({self.parts})"
        self.ws = ws = self.wb.add_worksheet(name)
        for j, c in enumerate(self.columns):
            ws.write(0, j, self.labels.get(c, c), self.fmt.head)
            ws.write(1, j, c, self.fmt.ids)
        ws.freeze_panes(2, 0)
        self.widths = [_width(self.labels.get(c, c)) for c in self.columns]
        self.row = 2

    def add(self, values: Sequence[Any]) -> None:
        if self.row >= MAX_ROWS:
            self.finish()
            self._start()
        for j, v in enumerate(values):
            self.widths[j] = max(self.widths[j], _put(self.ws, self.fmt, self.row, j, v))
        self.row += 1

    def finish(self) -> None:
        _finish(self.ws, self.widths, self.row - 2, len(self.columns), 1, self.cap)
        _print_setup(self.ws, 1)


def _print_setup(ws: Any, head: int) -> None:
    """Printed: landscape A4, the headings on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0, head)


def _put(ws: Any, fmt: _Formats, row: int, j: int, v: Any) -> int:
    """Write one value as its type; return its display width."""
    if v is None:
        return 0
    if isinstance(v, bool):
        ws.write_boolean(row, j, v)
        return 5
    if isinstance(v, (int, Decimal)):
        d = Decimal(v)
        if len(d.as_tuple().digits) > _DIGITS:
            ws.write_string(row, j, str(v), fmt.text)
        elif isinstance(v, Decimal):
            ws.write_number(row, j, float(d), fmt.number(_money_format(d, ""), ""))
        else:
            ws.write_number(row, j, v, fmt.number("0", ""))
        return len(str(v))
    if isinstance(v, float):
        ws.write_number(row, j, v, fmt.text)
        return len(repr(v))
    if isinstance(v, datetime.datetime):
        ws.write_datetime(row, j, v, fmt.date)
        return 10
    if isinstance(v, datetime.date):
        ws.write_datetime(row, j, datetime.datetime(v.year, v.month, v.day), fmt.date)
        return 10
    s = str(v)
    ws.write_string(row, j, s, fmt.text)
    return _width(s)


def _finish(ws: Any, widths: Sequence[int], rows: int, ncols: int, head: int,
            cap: int = 60) -> None:
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(cap, max(4, w) + 2))
    ws.autofilter(head, 0, max(head, head + rows), ncols - 1)


def _frame_rows(obj: Any) -> Tuple[List[str], Iterable[Sequence[Any]]]:
    if hasattr(obj, "columns") and hasattr(obj, "itertuples"):  # a DataFrame
        def clean(v: Any) -> Any:
            if v is None:
                return None
            if hasattr(v, "to_pydatetime"):
                return v.to_pydatetime()
            if hasattr(v, "item") and not isinstance(v, (str, Decimal)):
                v = v.item()  # a numpy number: the Python one
            if not isinstance(v, str) and str(v) in ("<NA>", "NaT", "nan"):  # pandas: missing
                return None
            return v

        return ([str(c) for c in obj.columns],
                ([clean(v) for v in row] for row in obj.itertuples(index=False, name=None)))
    columns, rows = obj
    return [str(c) for c in columns], rows


# ---- Public ---------------------------------------------------------------------------


def to_excel(reports: Iterable[Any], path: Any, lang: Optional[str] = None,
             extra_sheets: Optional[Mapping[str, Any]] = None, audit: bool = True,
             strict: bool = False) -> int:
    """Write reports (Reports or ``(source, Report)`` pairs) to the workbook
    at path (see the module's doc for its sheets); return the number of
    reports.  lang: the language of the findings' messages (default:
    $GOVDISCLOSE_LANG, else the locale).  audit: add the audit sheet (its
    checks across years need all the reports, so they are kept until the
    end); strict: as ``govdisclose.audit``.  extra_sheets: more sheets, each
    a DataFrame or ``(columns, rows)``, written after these, their columns
    headed by their Chinese label where one exists."""
    xlsxwriter = _xlsxwriter()
    lang = resolve_lang(lang)
    wb = xlsxwriter.Workbook(os.fspath(path), {"strings_to_numbers": False,
                                               "strings_to_formulas": False,
                                               "strings_to_urls": False})
    try:
        fmt = _Formats(wb)
        ws_r, widths_r, id_row, ncols = _reports_sheet(wb, fmt)
        cells = _Sheet(wb, fmt, "cells", LONG_COLUMNS, LONG_LABELS)
        found = _Sheet(wb, fmt, "findings", FINDING_COLUMNS, FINDING_LABELS, cap=100)
        n = 0
        kept: List[Tuple[Optional[str], Report]] = []
        for source, r in _sourced(reports):
            if id_row + 1 + n >= MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS - id_row - 1} reports do not fit in one "
                                 "sheet: write Parquet or CSV instead")
            r = localize_report(r, lang)
            if audit:
                kept.append((source, r))
            _write_report_row(ws_r, fmt, id_row + 1 + n, source, r, widths_r, lang)
            n += 1
            for row in _long_rows([(source, r)]):
                cells.add([row[c] for c in LONG_COLUMNS])
            for f in r.findings:
                found.add([source, r.agency, r.year, f.code, f.severity, f.table, f.cell,
                           f.expected, f.actual, f.message])
        ws_r.freeze_panes(id_row + 1, 3)
        _finish(ws_r, widths_r, n, ncols, id_row, cap=40)
        _print_setup(ws_r, id_row)
        ws_r.repeat_columns(0, 2)
        cells.finish()
        found.finish()
        sheets: Dict[str, Any] = {}
        if audit:
            from .audit import AUDIT_COLUMNS, audit_rows

            rows = audit_rows(kept, strict=strict)
            sheets["audit"] = (AUDIT_COLUMNS, ([row[c] for c in AUDIT_COLUMNS] for row in rows))
        sheets.update(extra_sheets or {})
        for name, obj in sheets.items():
            columns, rows = _frame_rows(obj)
            sheet = _Sheet(wb, fmt, name, columns, {c: zh_label(c) for c in columns}, cap=80)
            for values in rows:
                sheet.add(values)
            sheet.finish()
    finally:
        wb.close()
    return n
