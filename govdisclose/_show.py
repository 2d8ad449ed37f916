"""``show``: what Jupyter draws for a Report, many Reports, a DataFrame or
the results of ``reconcile_years`` (the drawing itself is ``_display``'s).

Kept apart from ``_display`` so that the model (which draws a Report with
``_display``) and the bulk layer (which reads sources) import in one
direction only: _show -> bulk -> _model -> _display.
"""
from __future__ import annotations

from typing import Any, Iterable, List, Optional, Sequence

from ._display import SortableTable, _t, report_html
from ._model import Report
from .bulk import _sourced
from .labels import zh_label
from .messages import _zh, message, resolve_lang

__all__ = ["show"]

_SUMMARY_COLUMNS = ("source", "agency", "year", "template", "tables", "errors", "warnings",
                    "first error")


def _report_rows(items: Iterable[Any], lang: str) -> List[List[Any]]:
    rows = []
    for source, r in _sourced(items):
        tables = "".join(n for t, n in (("active", "二"), ("requests", "三"), ("reviews", "四"))
                         if getattr(r, t) is not None)
        first = next((f for f in r.findings if f.severity == "error"), None)
        rows.append([source, r.agency, r.year, r.template, tables or "-",
                     sum(f.severity == "error" for f in r.findings),
                     sum(f.severity == "warning" for f in r.findings),
                     "" if first is None else f"{first.code}: {message(first, lang)}"])
    return rows


def _heads(columns: Sequence[str], lang: str) -> List[str]:
    """Column headings: in Chinese the labels of govdisclose.labels."""
    if lang != "zh":
        return list(columns)
    return [zh_label(c) if zh_label(c) != c else _t(c, lang) for c in columns]


def _frame_rows(df: Any, lang: str) -> Iterable[List[Any]]:
    """A DataFrame's rows; a findings frame's messages in lang."""
    cols = [str(c) for c in df.columns]
    translate = lang == "zh" and "code" in cols and "message" in cols
    ci, mi = (cols.index("code"), cols.index("message")) if translate else (0, 0)
    for t in df.itertuples(index=False, name=None):
        row = list(t)
        if translate and isinstance(row[mi], str):
            row[mi] = _zh(str(row[ci]), row[mi])
        yield row


def show(obj: Any, max_rows: int = 1000, lang: Optional[str] = None) -> Any:
    """Something Jupyter displays well: a Report as itself; Reports (or
    ``(source, Report)`` pairs) as a sortable table, one row per report; a
    DataFrame (``findings_frame``, ``read_reports``) as a sortable table;
    results of ``reconcile_years`` as a sortable table of findings.  With
    lang="zh" (default: $GOVDISCLOSE_LANG, else the locale) the headings are
    the Chinese labels of ``govdisclose.labels`` and messages are Chinese."""
    if isinstance(obj, Report):  # draws itself in the default language
        return obj if lang is None else _Shown(obj, resolve_lang(lang))
    lang = resolve_lang(lang)
    if hasattr(obj, "columns") and hasattr(obj, "itertuples"):  # a DataFrame
        return SortableTable(_heads([str(c) for c in obj.columns], lang), _frame_rows(obj, lang),
                             max_rows=max_rows)
    items = list(obj)
    if items and all(hasattr(x, "finding") and hasattr(x, "later") for x in items):
        cols = ["body", "earlier", "later", "severity", "code", "cell", "expected", "actual",
                "message"]
        return SortableTable(_heads(cols, lang),
                             ([x.body, x.earlier_source or x.earlier.year,
                               x.later_source or x.later.year, x.severity, x.code, x.cell,
                               x.expected, x.actual, message(x.finding, lang)] for x in items),
                             max_rows=max_rows)
    return SortableTable(_heads(_SUMMARY_COLUMNS, lang), _report_rows(items, lang),
                         max_rows=max_rows)


class _Shown:
    """A Report drawn in a chosen language."""

    def __init__(self, report: Report, lang: str) -> None:
        self.report, self.lang = report, lang

    def __repr__(self) -> str:
        return repr(self.report)

    def _repr_html_(self) -> str:
        return report_html(self.report, lang=self.lang)
