"""The audit: what a transparency evaluator checks, one row per report.

    >>> rows = govdisclose.audit_rows(govdisclose.parse_many("reports/"))   # plain dicts
    >>> df = govdisclose.audit(govdisclose.parse_many("reports/"))          # a DataFrame

Four questions: was the report **published on time** (《条例》第四十九条), is it
**complete** (the six sections, 第五十条, the fee statement), does it **add
up** (its identities), and does it **agree with itself and with last year**
(section 一 against the tables, 结转 links across years).  Everything here
is read from the Reports' fields and findings; the only check made here is
across years (``reconcile_years``), since it needs all the reports.

Columns (``AUDIT_COLUMNS``, in order; a row is a dict with these keys)
-------------------------------------------------------------------
* ``source`` (str or None): the file, or None for a Report without one;
* ``agency`` (str or None), ``year`` (int or None: the year reported on),
  ``level`` (str or None: "province", "city", "county", "township", "zone",
  "department");
* ``published`` (date or None): the date the page or file says it was
  published; ``dated`` (date or None): the date at its end (落款);
* ``deadline`` (date or None): the statutory deadline, None when the law sets
  none for this body or its name does not tell; ``deadline_rule`` (str or
  None): the rule applied, or why there is none;
* ``days_late`` (int or None): days from the deadline to ``published``
  (else ``dated``), negative when early;
* ``on_time`` (bool or None): True when published by the deadline, False
  when published (or signed) after it, None when it cannot be told (no
  deadline, no date, or only a signature date before the deadline: a report
  signed in time may still be published late);
* ``sections_missing`` (str or None): the numerals of the template's six
  sections that are missing ("" none; None when the six-section template
  does not apply: reports on 2018 and before); ``sections_out_of_order``
  (str or None): the numerals of those that come too early;
* ``article50_missing`` (str or None): what of 工作考核、社会评议、责任追究 a
  government's report never mentions ("" all there; None when not asked:
  departments, unknown bodies, reports before 2019);
* ``fee_statement`` (bool or None): whether section 六 states the fees
  (None when not asked: reports before 2021, or no section 六);
* ``tables_missing`` (str or None): the numerals of tables 二 三 四 not found
  (None when the template does not apply);
* ``identities_broken`` (int): error findings on the identities (勾稽关系);
* ``prose_disagreements`` (int): section 一 against the tables (text.mismatch);
* ``carry_breaks`` (int): 结转 links to the previous year's report of the
  same body that break (requests.carry_link, counted on the later report);
* ``errors``, ``warnings`` (int): the report's findings of that severity;
* ``failed`` (bool): the file could not be read or parsed (parse.failed).

What it cannot judge: see the README ("What the audit cannot judge").
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Callable, Dict, Hashable, Iterable, List, Optional, Tuple

from ._model import Finding, Report
from .bulk import _sourced
from .messages import values

__all__ = ["audit", "audit_rows", "audit_entries", "AuditEntry", "AUDIT_COLUMNS"]

AUDIT_COLUMNS = (
    "source", "agency", "year", "level", "published", "dated", "deadline", "deadline_rule",
    "days_late", "on_time", "sections_missing", "sections_out_of_order", "article50_missing",
    "fee_statement", "tables_missing", "identities_broken", "prose_disagreements",
    "carry_breaks", "errors", "warnings", "failed",
)

NUMERALS = "一二三四五六"
_TABLES = (("active", "二"), ("requests", "三"), ("reviews", "四"))
IDENTITY_CODES = frozenset(
    ("requests.balance", "requests.column_total", "requests.row_total", "reviews.total"))
# The problems a row counts, each with the finding codes that show it (the
# HTML links each problem to the first such finding).
PROBLEM_CODES = {
    "days_late": ("published.late", "dated.late"),
    "sections_missing": ("structure.missing_section",),
    "sections_out_of_order": ("structure.section_order",),
    "article50_missing": ("structure.article50",),
    "fee_statement": ("structure.fee_statement",),
    "tables_missing": ("parse.missing_table",),
    "identities_broken": tuple(sorted(IDENTITY_CODES)),
    "prose_disagreements": ("text.mismatch",),
    "carry_breaks": ("requests.carry_link",),
}


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    """One report's row with the findings behind it: the report's own, then
    the cross-year ones that fall on it (their ``later`` report)."""

    row: Dict[str, Any]
    findings: Tuple[Finding, ...]


def _numeral(f: Finding) -> str:
    """The section numeral a structure finding names (its message in either
    language: govdisclose.messages)."""
    return values(f).get("numeral", "")


def _template_applies(r: Report) -> bool:
    return (r.year >= 2019) if r.year is not None else r.template != "unknown"


def _on_time(r: Report) -> Optional[bool]:
    late = r.days_late
    if late is None:
        return None
    if r.published is not None:
        return late <= 0
    return False if late > 0 else None  # only signed: late signing implies late publishing


def _article50(r: Report, codes: List[Finding]) -> Optional[str]:
    if r.level in (None, "department") or not _template_applies(r) or r.year is None:
        return None
    for f in codes:
        if f.code == "structure.article50":
            return values(f).get("missing", "")
    return ""


def _row(source: Optional[str], r: Report, carry: int) -> Dict[str, Any]:
    fs = r.findings
    applies = _template_applies(r)
    missing = "".join(_numeral(f) for f in fs if f.code == "structure.missing_section")
    order = "".join(_numeral(f) for f in fs if f.code == "structure.section_order")
    six_found = "六" not in missing
    asked_fees = applies and r.year is not None and r.year >= 2021 and six_found
    return {
        "source": source, "agency": r.agency, "year": r.year, "level": r.level,
        "published": r.published, "dated": r.dated, "deadline": r.deadline,
        "deadline_rule": r.deadline_rule, "days_late": r.days_late, "on_time": _on_time(r),
        "sections_missing": missing if applies else None,
        "sections_out_of_order": order if applies else None,
        "article50_missing": _article50(r, list(fs)),
        "fee_statement": (not any(f.code == "structure.fee_statement" for f in fs))
        if asked_fees else None,
        "tables_missing": "".join(n for t, n in _TABLES if getattr(r, t) is None)
        if applies else None,
        "identities_broken": sum(f.severity == "error" and f.code in IDENTITY_CODES for f in fs),
        "prose_disagreements": sum(f.code == "text.mismatch" for f in fs),
        "carry_breaks": carry,
        "errors": sum(f.severity == "error" for f in fs),
        "warnings": sum(f.severity == "warning" for f in fs),
        "failed": any(f.code == "parse.failed" for f in fs),
    }


KeyFn = Optional[Callable[[Report], Optional[Hashable]]]


def audit_entries(reports: Iterable[Any], strict: bool = False,
                  key: KeyFn = None) -> List[AuditEntry]:
    """The audit of reports (Reports or ``(source, Report)`` pairs, e.g. from
    ``parse_many``), in input order, each row with its findings.  Reports are
    held until the cross-year checks have run (they need every year of a
    body); the entries keep only rows and findings.  key groups reports by
    body for those checks, as in ``reconcile_years``."""
    from .years import reconcile_years

    pairs = list(_sourced(reports))
    across: Dict[int, List[Finding]] = {}
    for yf in reconcile_years(pairs, key=key, strict=strict):
        if yf.code == "requests.carry_link":
            across.setdefault(id(yf.later), []).append(yf.finding)
    entries = []
    for source, r in pairs:
        extra = across.get(id(r), [])
        entries.append(AuditEntry(_row(source, r, len(extra)), tuple(r.findings) + tuple(extra)))
    return entries


def audit_rows(reports: Iterable[Any], strict: bool = False,
               key: KeyFn = None) -> List[Dict[str, Any]]:
    """One dict per report with the keys of ``AUDIT_COLUMNS`` (see the module's
    doc), plain Python values: what ``audit`` makes a DataFrame of, and what
    other outputs (CSV, JSON, a spreadsheet) are built from."""
    return [e.row for e in audit_entries(reports, strict=strict, key=key)]


_DTYPES = {
    "year": "Int64", "days_late": "Int64", "on_time": "boolean", "fee_statement": "boolean",
    "identities_broken": "int64", "prose_disagreements": "int64", "carry_breaks": "int64",
    "errors": "int64", "warnings": "int64", "failed": "bool",
    "published": "datetime64[ns]", "dated": "datetime64[ns]", "deadline": "datetime64[ns]",
}


def frame_of_rows(rows: List[Dict[str, Any]]) -> Any:
    """The rows as a DataFrame with AUDIT_COLUMNS and their dtypes: dates as
    datetime64 (NaT unknown), counts int64, year and days_late Int64, on_time
    and fee_statement nullable booleans, the rest strings."""
    from .frames import _pandas

    pd = _pandas()
    cols = {}
    for name in AUDIT_COLUMNS:
        values = [row[name] for row in rows]
        dtype = _DTYPES.get(name, "string")
        if dtype == "datetime64[ns]":
            values = [None if v is None else datetime.datetime(v.year, v.month, v.day)
                      for v in values]
            cols[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)),
                                   dtype="datetime64[ns]")
        else:
            cols[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(cols, columns=list(AUDIT_COLUMNS))


def audit(reports: Iterable[Any], strict: bool = False, key: KeyFn = None) -> Any:
    """The audit table as a pandas DataFrame, one row per report (columns:
    ``AUDIT_COLUMNS``; see the module's doc).  Needs the ``pandas`` extra."""
    return frame_of_rows(audit_rows(reports, strict=strict, key=key))


def summary(rows: List[Dict[str, Any]]) -> Dict[str, int]:
    """Counts over the rows, for the command line's last lines."""
    ok = [r for r in rows if not r["failed"]]
    return {
        "reports": len(rows),
        "failed": len(rows) - len(ok),
        "with_deadline": sum(r["deadline"] is not None for r in ok),
        "on_time": sum(r["on_time"] is True for r in ok),
        "late": sum(r["on_time"] is False for r in ok),
        "timeliness_unknown": sum(r["deadline"] is not None and r["on_time"] is None for r in ok),
        "sections_missing": sum(bool(r["sections_missing"]) for r in ok),
        "tables_missing": sum(bool(r["tables_missing"]) for r in ok),
        "identities_broken": sum(r["identities_broken"] > 0 for r in ok),
        "prose_disagreements": sum(r["prose_disagreements"] > 0 for r in ok),
        "carry_breaks": sum(r["carry_breaks"] > 0 for r in ok),
        "with_errors": sum(r["errors"] > 0 for r in rows),
    }
