"""``show``: what Jupyter draws for a Report, many Reports, a DataFrame or
the results of ``reconcile_years`` (the drawing itself is ``_display``'s).

Kept apart from ``_display`` so that the model (which draws a Report with
``_display``) and the bulk layer (which reads sources) import in one
direction only: _show -> bulk -> _model -> _display.
"""
from __future__ import annotations

from typing import Any, Iterable, List

from ._display import SortableTable
from ._model import Report
from .bulk import _sourced

__all__ = ["show"]

_SUMMARY_COLUMNS = ("source", "agency", "year", "template", "tables", "errors", "warnings",
                    "first error")


def _report_rows(items: Iterable[Any]) -> List[List[Any]]:
    rows = []
    for source, r in _sourced(items):
        tables = "".join(n for t, n in (("active", "二"), ("requests", "三"), ("reviews", "四"))
                         if getattr(r, t) is not None)
        first = next((f for f in r.findings if f.severity == "error"), None)
        rows.append([source, r.agency, r.year, r.template, tables or "-",
                     sum(f.severity == "error" for f in r.findings),
                     sum(f.severity == "warning" for f in r.findings),
                     "" if first is None else f"{first.code}: {first.message}"])
    return rows


def show(obj: Any, max_rows: int = 1000) -> Any:
    """Something Jupyter displays well: a Report as itself; Reports (or
    ``(source, Report)`` pairs) as a sortable table, one row per report; a
    DataFrame (``findings_frame``, ``read_reports``) as a sortable table;
    results of ``reconcile_years`` as a sortable table of findings."""
    if isinstance(obj, Report):
        return obj
    if hasattr(obj, "columns") and hasattr(obj, "itertuples"):  # a DataFrame
        return SortableTable([str(c) for c in obj.columns],
                             (list(t) for t in obj.itertuples(index=False, name=None)),
                             max_rows=max_rows)
    items = list(obj)
    if items and all(hasattr(x, "finding") and hasattr(x, "later") for x in items):
        cols = ["body", "earlier", "later", "severity", "code", "cell", "expected", "actual",
                "message"]
        return SortableTable(cols, ([x.body, x.earlier_source or x.earlier.year,
                                     x.later_source or x.later.year, x.severity, x.code, x.cell,
                                     x.expected, x.actual, x.message] for x in items),
                             max_rows=max_rows)
    return SortableTable(_SUMMARY_COLUMNS, _report_rows(items), max_rows=max_rows)
