"""The audit as one self-contained HTML page (``govdisclose audit --format html``).

No network and no dependency: the styles and the few lines that sort the
table are inline, and the two charts (per year: on-time publication, and
broken identities) are SVG drawn here as stacked bars -- a chart library would
add a dependency and a script to embed for two bar charts.  Every problem in
the table links to the first finding that shows it, listed under the table
with the report's other findings.
"""
from __future__ import annotations

import html
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ._display import _CSS, _SORT_JS
from .audit import PROBLEM_CODES, AuditEntry, summary

__all__ = ["audit_page"]

# (column, header) of the table, in order.
_SHOWN = (
    ("source", "source"), ("agency", "agency"), ("year", "year"), ("published", "published"),
    ("dated", "dated"), ("deadline", "deadline"), ("days_late", "days late"),
    ("sections_missing", "sections missing"), ("tables_missing", "tables missing"),
    ("identities_broken", "identities broken"), ("prose_disagreements", "prose ≠ tables"),
    ("carry_breaks", "结转 breaks"), ("errors", "errors"), ("warnings", "warnings"),
)

_PAGE_CSS = """
body{margin:16px}
h1{font-size:20px}h2{font-size:16px;margin-top:22px}
.gd-charts{display:flex;flex-wrap:wrap;gap:24px;margin:10px 0}
.gd-charts figure{margin:0}.gd-charts figcaption{font-size:13px;font-weight:bold}
table.gd-sortable td.gd-bad{background:#ffe0e0}
table.gd-sortable td.gd-late{background:#fff1cc}
table.gd-sortable a{color:#a00}
section.gd-rep{margin:10px 0}
section.gd-rep h3{font-size:13px;margin:8px 0 2px}
section.gd-rep tr:target{background:#ffef9e}
.gd-summary li{margin:2px 0}
"""

_ON_TIME = (("on time", "#3a3"), ("late", "#d33"), ("cannot tell", "#bbb"))
_IDENTITIES = (("all identities hold", "#3a3"), ("identities broken", "#d33"),
               ("no tables", "#bbb"))


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _text(name: str, v: Any) -> str:
    if v is None:
        return ""
    if name in ("published", "dated", "deadline"):
        return v.isoformat()
    return str(v)


def _first(findings: Sequence[Any], codes: Tuple[str, ...]) -> Optional[int]:
    return next((k for k, f in enumerate(findings) if f.code in codes), None)


def _is_problem(name: str, v: Any) -> bool:
    if name == "days_late":
        return v is not None and v > 0
    if name in ("sections_missing", "tables_missing"):
        return bool(v)
    return name in PROBLEM_CODES and isinstance(v, int) and v > 0


def _cell(i: int, e: AuditEntry, name: str) -> str:
    v = e.row[name]
    text = _e(_text(name, v))
    nowrap = " gd-nw" if name in ("published", "dated", "deadline", "days_late") else ""
    if not _is_problem(name, v):
        return f'<td class="{nowrap.strip()}">{text}</td>' if nowrap else f"<td>{text}</td>"
    k = _first(e.findings, PROBLEM_CODES[name])
    cls = ("gd-late" if name == "days_late" else "gd-bad") + nowrap
    if k is not None:
        text = f'<a href="#r{i}-f{k}">{text}</a>'
    return f'<td class="{cls}">{text}</td>'


def _table(entries: List[AuditEntry]) -> str:
    heads = "".join(f'<th onclick="{_e(_SORT_JS)}">{_e(h)}</th>' for _, h in _SHOWN)
    rows = []
    for i, e in enumerate(entries):
        rows.append(f'<tr id="row{i}">' + "".join(_cell(i, e, n) for n, _ in _SHOWN) + "</tr>")
    return (f'<table class="gd-sortable" id="gd-audit"><thead><tr>{heads}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _findings(entries: List[AuditEntry]) -> str:
    out = []
    for i, e in enumerate(entries):
        if not e.findings:
            continue
        r = e.row
        title = f"{r['agency'] or '(agency unknown)'} {r['year'] or ''} — {r['source'] or ''}"
        rows = "".join(
            f'<tr id="r{i}-f{k}"><td class="gd-sev-{_e(f.severity)}">{_e(f.severity)}</td>'
            f"<td>{_e(f.code)}</td><td>{_e(f.cell)}</td><td>{_e(f.expected)}</td>"
            f"<td>{_e(f.actual)}</td><td>{_e(f.message)}</td></tr>"
            for k, f in enumerate(e.findings))
        out.append(f'<section class="gd-rep" id="r{i}"><h3><a href="#row{i}">{_e(title)}</a>'
                   f'</h3><table class="gd-findings"><tr><th>severity</th><th>code</th>'
                   f"<th>cell</th><th>expected</th><th>actual</th><th>message</th></tr>{rows}"
                   "</table></section>")
    return "".join(out)


def stacked_bars(title: str, years: List[int], series: Sequence[Tuple[str, str]],
                 counts: Dict[int, List[int]]) -> str:
    """An SVG bar chart: one bar per year, stacked by series (label, colour)."""
    bar, gap, left, top, plot_h = 26, 12, 34, 10, 150
    width = left + len(years) * (bar + gap) + 10
    height = top + plot_h + 40 + 18 * len(series)
    most = max([sum(counts[y]) for y in years] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(width, 240)}" '
             f'height="{height}" role="img" aria-label="{_e(title)}" font-size="11" '
             'font-family="sans-serif">']
    for tick in sorted({0, most // 2, most}):
        y = top + plot_h - plot_h * tick / most
        parts.append(f'<line x1="{left - 4}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for n, year in enumerate(years):
        x = left + n * (bar + gap)
        base = top + plot_h
        for (label, colour), c in zip(series, counts[year]):
            if not c:
                continue
            h = plot_h * c / most
            base -= h
            parts.append(f'<rect x="{x}" y="{base:.1f}" width="{bar}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{year}: {c} {_e(label)}</title></rect>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + plot_h + 14}" '
                     f'text-anchor="middle">{year}</text>')
    for n, (label, colour) in enumerate(series):
        y = top + plot_h + 28 + 18 * n
        parts.append(f'<rect x="{left}" y="{y}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + 18}" y="{y + 10}">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(rows: List[Dict[str, Any]]) -> str:
    rows = [r for r in rows if r["year"] is not None and not r["failed"]]
    years = sorted({r["year"] for r in rows})
    if not years:
        return "<p>No report with a known year: no chart.</p>"
    timely: Dict[int, List[int]] = {y: [0, 0, 0] for y in years}
    broken: Dict[int, List[int]] = {y: [0, 0, 0] for y in years}
    for r in rows:
        t = r["on_time"]
        timely[r["year"]][0 if t is True else 1 if t is False else 2] += 1
        has_tables = r["tables_missing"] is not None and r["tables_missing"] != "二三四"
        broken[r["year"]][1 if r["identities_broken"] else 0 if has_tables else 2] += 1
    return ('<div class="gd-charts">'
            f"<figure><figcaption>Published by the statutory deadline, per year reported on"
            f"</figcaption>{stacked_bars('on-time publication', years, _ON_TIME, timely)}"
            "</figure>"
            f"<figure><figcaption>Reports with broken identities (勾稽关系), per year"
            f"</figcaption>{stacked_bars('broken identities', years, _IDENTITIES, broken)}"
            "</figure></div>")


def _summary(rows: List[Dict[str, Any]]) -> str:
    s = summary(rows)
    items = [
        f"{s['reports']} reports ({s['failed']} could not be read)",
        f"{s['late']} published late, {s['on_time']} on time, {s['timeliness_unknown']} with "
        f"a deadline but no date that tells; {s['reports'] - s['failed'] - s['with_deadline']} "
        "with no statutory deadline (see deadline_rule)",
        f"{s['sections_missing']} with sections missing, {s['tables_missing']} with tables "
        "missing",
        f"{s['identities_broken']} with broken identities, {s['prose_disagreements']} with "
        f"prose that disagrees with the tables, {s['carry_breaks']} with broken 结转 links",
    ]
    return '<ul class="gd-summary">' + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"


def audit_page(entries: List[AuditEntry], title: str = "govdisclose audit") -> str:
    """The whole page as a string."""
    rows = [e.row for e in entries]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{_CSS}{_PAGE_CSS}</style></head>"
            f'<body><div class="gd-report" style="max-width:none"><h1>{_e(title)}</h1>'
            f"{_summary(rows)}{_charts(rows)}<h2>Reports</h2>"
            "<p>Click a header to sort; a problem links to the finding that shows it.</p>"
            f"{_table(entries)}<h2>Findings</h2>{_findings(entries)}</div></body></html>\n")
