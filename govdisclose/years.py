"""Checks across years: one body's reports of consecutive years must agree.

    >>> reports = list(govdisclose.parse_many("pingtan/"))
    >>> for f in govdisclose.reconcile_years(reports):
    ...     print(f.severity, f.code, f.cell, f.expected, f.actual, f.message)

``reconcile_years(reports, key=None, strict=False)`` groups the reports by
body, sorts each body's reports by year and, for each pair of consecutive
years Y-1 and Y, checks:

* ``requests.carry_link`` (warning), per applicant column: the 上年结转 of Y
  (``requests.carried_over.<col>``) equals the 结转下年度继续办理 of Y-1
  (``requests.carried_forward.<col>``);
* ``active.in_force_flow`` (info), for 规章 and 行政规范性文件 when both
  reports have the 2021 cells: 现行有效件数(Y) = 现行有效件数(Y-1) +
  本年制发件数(Y) - 本年废止件数(Y).  Info, not warning: bodies often
  re-count what is in force (a clean-up of old documents), so a break is a
  question to ask, not an error.

Blank and na cells count as 0 (the message says when a result rests on one),
as in the report's own checks; ``strict=True`` makes such a link not
checkable.  A cell the report lacks, or holds as words, makes the link not
checkable: it gives no finding.

It also says where it could not check:

* ``years.gap`` (info): a body's consecutive reports are more than a year
  apart (平潭 2023 then 2025): nothing is checked across the gap — a gap is
  not a break;
* ``years.duplicate`` (warning): two reports of one body for one year; the
  first in input order is used.

Only links that break (and gaps, duplicates) give findings; links that hold
give none.  Reports with no year, with a ``parse.failed`` finding, or with
no body (no agency and no key) are left out.

Grouping: by default the body is the agency name normalised (Unicode NFKC,
white space removed, a trailing parenthesised part such as （管委会） dropped).
``key`` is a function Report -> hashable (or None to leave the report out)
for bodies that were renamed or whose name is printed differently.

Each result is a ``YearFinding``: the ``Finding`` itself (``.finding``; its
fields are also readable directly: ``.code``, ``.severity``, ``.cell``,
``.expected``, ``.actual``, ``.message``), the body, and both reports
(``.earlier``, ``.later``) with their sources and years.  The finding's
``expected`` is what the earlier report implies, ``actual`` what the later
one prints, and ``cell`` the later report's cell.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from decimal import Decimal
from typing import Any, Callable, Dict, Hashable, Iterable, List, Optional, Tuple, Union

from . import _core
from ._model import Cell, Finding, Report
from .bulk import _sourced

__all__ = ["reconcile_years", "YearFinding", "body_key"]

_COLUMNS = (("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
            ("public_interest", "社会公益组织"), ("legal_services", "法律服务机构"),
            ("other_org", "其他"), ("total", "总计"))
_DOCS = (("rules", "规章"), ("normative_documents", "行政规范性文件"))
_TRAILING_PAREN = re.compile(r"\([^()]*\)$")

Number = Union[int, Decimal]


@dataclasses.dataclass(frozen=True)
class YearFinding:
    """A finding across two reports of one body (or one report, for a gap's
    later side and a duplicate)."""

    finding: Finding
    body: Hashable
    earlier: Report
    later: Report
    earlier_source: Optional[str]
    later_source: Optional[str]

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def table(self) -> Optional[str]:
        return self.finding.table

    @property
    def cell(self) -> Optional[str]:
        return self.finding.cell

    @property
    def expected(self) -> Optional[int]:
        return self.finding.expected

    @property
    def actual(self) -> Optional[int]:
        return self.finding.actual

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def years(self) -> Tuple[Optional[int], Optional[int]]:
        return (self.earlier.year, self.later.year)

    @property
    def sources(self) -> Tuple[Optional[str], Optional[str]]:
        return (self.earlier_source, self.later_source)

    def to_dict(self) -> Dict[str, Any]:
        """The finding's fields plus body, sources and years (plain data)."""
        d = self.finding.to_dict()
        d.update(body=self.body if isinstance(self.body, (str, int)) else str(self.body),
                 earlier_source=self.earlier_source, earlier_year=self.earlier.year,
                 later_source=self.later_source, later_year=self.later.year)
        return d


def body_key(report: Report) -> Optional[str]:
    """The default grouping key: the agency name, normalised; None without one."""
    if not report.agency:
        return None
    name = "".join(unicodedata.normalize("NFKC", report.agency).split())
    stripped = _TRAILING_PAREN.sub("", name)
    return stripped or name


def _name(source: Optional[str], r: Report) -> str:
    if source:
        return f"{source} ({r.year})"
    return f"the {r.year} report of {r.agency or 'an unnamed body'}"


def _value(cell: Optional[Cell], strict: bool) -> Tuple[Optional[Number], bool]:
    """(value, assumed): the cell's number, or 0 for blank/na (assumed=True);
    None when not checkable."""
    if cell is None:
        return None, False
    if cell.kind == "number":
        return cell.value, False
    if cell.kind not in _core.BLANK_AS_ZERO or strict:
        return None, False
    return 0, True  # the core's blank policy (check.c), not a copy of it


def _get(obj: Any, *names: str) -> Any:
    for n in names:
        if obj is None:
            return None
        obj = getattr(obj, n, None)
    return obj


def _blank_note(assumed: List[str]) -> str:
    if not assumed:
        return ""
    return " (counting the blank or dash in " + ", ".join(assumed) + " as 0)"


def _carry_links(prev: Tuple[Optional[str], Report], cur: Tuple[Optional[str], Report],
                 strict: bool) -> List[Finding]:
    (ps, p), (cs, c) = prev, cur
    out = []
    for col, label in _COLUMNS:
        fwd_cell = _get(p.requests, "carried_forward", col)
        over_cell = _get(c.requests, "carried_over", col)
        fwd, a1 = _value(fwd_cell, strict)
        over, a2 = _value(over_cell, strict)
        if fwd is None or over is None or fwd == over:
            continue
        assumed = ([f"{_name(ps, p)} 结转下年度继续办理·{label}"] if a1 else []) + \
                  ([f"{_name(cs, c)} 上年结转·{label}"] if a2 else [])
        out.append(Finding(
            code="requests.carry_link", severity="warning", table="requests",
            cell=f"requests.carried_over.{col}", expected=_int(fwd), actual=_int(over),
            message=(f"{_name(cs, c)} carries over {over} application(s) in column {label} "
                     f"(二、上年结转) but {_name(ps, p)} carried forward {fwd} "
                     f"(四、结转下年度继续办理){_blank_note(assumed)}"
                     " [上年结转 = 上年度结转下年度继续办理]")))
    return out


def _in_force_flow(prev: Tuple[Optional[str], Report], cur: Tuple[Optional[str], Report],
                   strict: bool) -> List[Finding]:
    (ps, p), (cs, c) = prev, cur
    out = []
    for row, label in _DOCS:
        before, a0 = _value(_get(p.active, row, "in_force"), strict)
        issued, a1 = _value(_get(c.active, row, "issued"), strict)
        repealed, a2 = _value(_get(c.active, row, "repealed"), strict)
        now, a3 = _value(_get(c.active, row, "in_force"), strict)
        if None in (before, issued, repealed, now):
            continue
        assert before is not None and issued is not None and repealed is not None
        expected = before + issued - repealed
        if expected == now:
            continue
        assumed = [n for n, a in ((f"{_name(ps, p)} 现行有效件数", a0),
                                  (f"{_name(cs, c)} 本年制发件数", a1),
                                  (f"{_name(cs, c)} 本年废止件数", a2),
                                  (f"{_name(cs, c)} 现行有效件数", a3)) if a]
        out.append(Finding(
            code="active.in_force_flow", severity="info", table="active",
            cell=f"active.{row}.in_force", expected=_int(expected), actual=_int(now),
            message=(f"{_name(cs, c)} has {now} {label} in force, but {_name(ps, p)} had "
                     f"{before} in force, and {issued} issued minus {repealed} repealed "
                     f"since makes {expected}{_blank_note(assumed)}"
                     " [现行有效 = 上年现行有效 + 本年制发 - 本年废止]")))
    return out


def _int(v: Number) -> Any:
    return int(v) if isinstance(v, int) or v == int(v) else v


def _failed(r: Report) -> bool:
    return any(f.code == "parse.failed" for f in r.findings)


def reconcile_years(reports: Iterable[Any],
                    key: Optional[Callable[[Report], Optional[Hashable]]] = None,
                    strict: bool = False) -> List[YearFinding]:
    """Check consecutive years of each body; return the YearFindings, grouped
    by body (in order of first appearance), then by year.  reports: Reports
    or ``(source, Report)`` pairs.  See the module's doc for the checks."""
    keyfn = key or body_key
    groups: Dict[Hashable, List[Tuple[Optional[str], Report]]] = {}
    for source, r in _sourced(reports):
        if r.year is None or _failed(r):
            continue
        k = keyfn(r)
        if k is None:
            continue
        groups.setdefault(k, []).append((source, r))

    out: List[YearFinding] = []
    for body, members in groups.items():
        by_year: Dict[int, Tuple[Optional[str], Report]] = {}
        for source, r in members:  # input order: the first of a year wins
            assert r.year is not None
            first = by_year.get(r.year)
            if first is None:
                by_year[r.year] = (source, r)
                continue
            f = Finding("years.duplicate", "warning", None, None, None, None,
                        f"{_name(source, r)} is a second report of {body} for {r.year} "
                        f"beside {_name(*first)}; the cross-year checks use the latter")
            out.append(YearFinding(f, body, first[1], r, first[0], source))
        years = sorted(by_year)
        for y0, y1 in zip(years, years[1:]):
            prev, cur = by_year[y0], by_year[y1]
            if y1 - y0 > 1:
                missing = ", ".join(str(y) for y in range(y0 + 1, y1))
                f = Finding("years.gap", "info", None, None, None, None,
                            f"no report of {body} for {missing} between {_name(*prev)} and "
                            f"{_name(*cur)}: nothing is checked across the gap")
                out.append(YearFinding(f, body, prev[1], cur[1], prev[0], cur[0]))
                continue
            for f in _carry_links(prev, cur, strict) + _in_force_flow(prev, cur, strict):
                out.append(YearFinding(f, body, prev[1], cur[1], prev[0], cur[0]))
    return out
