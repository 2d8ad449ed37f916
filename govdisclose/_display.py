"""HTML for notebooks: a Report drawn as its three tables, and sortable tables.

``Report._repr_html_`` calls ``report_html``: the tables in the template's own
shape (the captions of table 二, the three-row applicant header and the
row-spanning group cells of table 三, the two-level header of table 四),
every cell of a broken identity highlighted (the cell the finding names in a
stronger red), cells a warning names in amber, and the findings listed
underneath.  Each value cell carries ``data-cell="<SCHEMA path>"`` and a
tooltip with its raw text, kind, note and byte span.

``show(x)`` gives an object that Jupyter displays as a sortable table (click a
header; numbers sort as numbers): for a list of Reports one row per report,
for a DataFrame (e.g. ``findings_frame``) its rows.  A single Report shows
as itself.  The sorter is a few lines of inline JavaScript; without
JavaScript the table is still a plain table.

No Python object is touched by the HTML: it is a string, built without any
dependency.
"""
from __future__ import annotations

import html
import itertools
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

if TYPE_CHECKING:  # the model draws itself with this module: no import at run time
    from ._model import Cell, Finding, Report

__all__ = ["report_html", "show", "SortableTable", "broken_cells"]

_ids = itertools.count(1)

_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
}
# The 第二十条 item that introduces each row of table 二 (both templates).
_ITEMS = {
    "rules": "第二十条第（一）项", "normative_documents": "第二十条第（一）项",
    "licensing": "第二十条第（五）项", "other_services": "第二十条第（五）项",
    "penalties": "第二十条第（六）项", "enforcement": "第二十条第（六）项",
    "fees": "第二十条第（八）项", "procurement": "第二十条第（九）项",
}
_LABELS_2019 = {"normative_documents": "规范性文件"}  # 2021 says 行政规范性文件
_GROUPS = {3: "（三）不予公开", 4: "（四）无法提供", 5: "（五）不予处理", 6: "（六）其他处理"}
_RESULT_FIRST, _RESULT_LAST = "granted", "total"
_REQ_COLUMNS = ("natural_person", "commercial", "research", "public_interest",
                "legal_services", "other_org", "total")
_REVIEW_LEAVES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                  ("pending", "尚未审结"), ("total", "总计"))
_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_CSS = """
.gd-report{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
 font-size:13px;color:#222;max-width:1100px}
.gd-report h3{font-size:16px;margin:6px 0}
.gd-report h4{font-size:14px;margin:14px 0 4px}
.gd-meta{color:#555;margin-bottom:6px}
.gd-badge{display:inline-block;padding:1px 7px;border-radius:9px;margin-right:4px;font-size:12px}
.gd-badge.gd-e{background:#fdd;color:#a00}.gd-badge.gd-w{background:#fed;color:#960}
.gd-badge.gd-ok{background:#dfd;color:#060}
.gd-report table{border-collapse:collapse;margin:2px 0 8px}
.gd-report th,.gd-report td{border:1px solid #999;padding:2px 6px;vertical-align:middle}
.gd-report th{background:#f3f3f3;font-weight:normal;text-align:center}
.gd-report th.gd-row{text-align:left}
.gd-report th.gd-caption{background:#e4e9f2;font-weight:bold}
.gd-report th.gd-corner{font-size:11px;color:#555;max-width:260px}
.gd-report td.gd-v{text-align:right;min-width:2.5em;font-variant-numeric:tabular-nums}
.gd-report td.gd-empty{background:#fafafa}
.gd-report td.gd-na,.gd-report td.gd-text{color:#777;text-align:center}
.gd-report td.gd-missing{color:#bbb;text-align:center}
.gd-report td.gd-broken{background:#ffe0e0;outline:1px solid #e88}
.gd-report td.gd-target{background:#ffb3b3;outline:2px solid #c00;font-weight:bold}
.gd-report td.gd-warn{background:#fff1cc}
.gd-report .gd-note{display:block;font-size:10px;color:#777;text-align:left}
.gd-report .gd-absent{color:#999;font-style:italic}
.gd-findings td{font-size:12px}
.gd-sev-error{color:#a00;font-weight:bold}.gd-sev-warning{color:#960}.gd-sev-info{color:#357}
table.gd-sortable{border-collapse:collapse;font-size:12px}
table.gd-sortable th{cursor:pointer;background:#eef;border:1px solid #aab;padding:2px 6px;
 white-space:nowrap}
table.gd-sortable td{border:1px solid #ddd;padding:2px 6px}
table.gd-sortable td.gd-nw{white-space:nowrap}
table.gd-sortable th[data-dir=asc]::after{content:" \\25B2"}
table.gd-sortable th[data-dir=desc]::after{content:" \\25BC"}
"""

# Sort the rows of the clicked header's table by that column; numbers as numbers.
_SORT_JS = (
    "(function(th){var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,"
    "d=th.getAttribute('data-dir')==='asc'?'desc':'asc';"
    "Array.prototype.forEach.call(th.parentNode.cells,function(h){h.removeAttribute('data-dir')});"
    "th.setAttribute('data-dir',d);"
    "var r=Array.prototype.slice.call(b.rows),k=function(x){var c=x.cells[i];"
    "return c?(c.getAttribute('data-sort')||c.textContent):''};"
    "r.sort(function(p,q){var a=k(p),z=k(q),m=parseFloat(a),n=parseFloat(z),"
    "s=(a!==''&&z!==''&&!isNaN(m)&&!isNaN(n)&&isFinite(a)&&isFinite(z))?m-n:"
    "(a===''?1:z===''?-1:a.localeCompare(z,'zh'));return d==='asc'?s:-s});"
    "r.forEach(function(x){b.appendChild(x)})})(this)"
)


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


# ---- Which cells to highlight ------------------------------------------------------


def broken_cells(report: Report) -> Tuple[Set[str], Set[str], Set[str]]:
    """(targets, members, warned): the cells error findings name, every cell of
    the identities they break, and the cells warnings name."""
    from . import _core

    ids = {i["code"]: i for i in _core.identities()}
    targets: Set[str] = set()
    members: Set[str] = set()
    warned: Set[str] = set()
    for f in report.findings:
        if not f.cell:
            continue
        if f.severity != "error":
            if f.severity == "warning":
                warned.add(f.cell)
            continue
        targets.add(f.cell)
        ident = ids.get(f.code)
        parts = f.cell.split(".")
        if ident is None or len(parts) < 3:
            continue
        table, middle, last = parts[0], ".".join(parts[1:-1]), parts[-1]
        names = list(ident["terms"]) + [ident["target"]]
        if ident["each"] == "column":
            members.update(f"{table}.{row}.{last}" for row in names)
        else:
            members.update(f"{table}.{middle}.{col}" for col in names)
    return targets, members, warned


class _Ctx:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.uid = f"gd{next(_ids)}"
        self.targets, self.members, self.warned = broken_cells(report)

    def td(self, path: str, cell: Optional[Cell], colspan: int = 1) -> str:
        classes = ["gd-v"]
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        if cell is None:
            classes.append("gd-missing")
            text, tip = "·", f"{path}: not in the report"
        else:
            if cell.kind == "number":
                text = _e(cell.value)
            elif cell.kind == "empty":
                text = ""
                classes.append("gd-empty")
            else:
                text = _e(cell.raw)
                classes.append("gd-" + cell.kind)
            if cell.note:
                text += f'<span class="gd-note">{_e(cell.note)}</span>'
            tip = (f"{path}: {cell.kind} '{cell.raw}'" + (f" note '{cell.note}'" if cell.note
                                                         else "")
                   + f" at bytes {cell.span[0]}-{cell.span[1]}")
        row_path = path.rsplit(".", 1)[0]
        if path in self.targets:
            classes.append("gd-target")
        elif path in self.members:
            classes.append("gd-broken")
        elif path in self.warned or row_path in self.warned:
            classes.append("gd-warn")
        return (f'<td id="{self.uid}-{_e(path)}" data-cell="{_e(path)}" '
                f'class="{" ".join(classes)}"{span} title="{_e(tip)}">{text}</td>')


# ---- Table 二 -----------------------------------------------------------------------------


def _effective_template(report: Report) -> str:
    if report.template in ("2019", "2021"):
        return report.template
    if _get(report.requests, "other.all") is not None:
        return "2019"
    return "2021"


def _active_html(ctx: _Ctx, tdef: Dict[str, Any]) -> str:
    r = ctx.report
    table = r.active
    t = _effective_template(r)
    rows = []
    for rd in tdef["rows"]:
        obj = _get(table, rd["id"])
        if obj is None and t not in rd["templates"]:
            continue
        cols = [c for c in rd["columns"] if t in c["templates"]]
        if obj is not None and not any(getattr(obj, c["id"], None) is not None for c in cols):
            other = [c for c in rd["columns"] if getattr(obj, c["id"], None) is not None]
            cols = other or cols  # a row in the other template's columns: show what is there
        rows.append((rd, obj, cols))
    width = max([len(cols) for _, _, cols in rows] + [1])
    extra = list(getattr(table, "extra", None) or ())
    width = max([width] + [len(x.cells) for x in extra])
    out = [f'<table class="gd-active">']
    last_block = None
    for rd, obj, cols in rows:
        block = (_ITEMS.get(rd["id"], ""), tuple(c["id"] for c in cols))
        if block != last_block:
            if block[0] != (last_block or ("",))[0]:
                out.append(f'<tr><th class="gd-caption" colspan="{width + 1}">'
                           f'{_e(block[0])}</th></tr>')
            heads = "".join(
                f'<th{_fill(i, len(cols), width)}>{_e(c["label"])}</th>'
                for i, c in enumerate(cols))
            out.append(f"<tr><th>信息内容</th>{heads}</tr>")
            last_block = block
        tds = "".join(ctx.td(f"active.{rd['id']}.{c['id']}", _get(obj, c["id"]),
                             _span(i, len(cols), width)) for i, c in enumerate(cols))
        label = _LABELS_2019.get(rd["id"], rd["label"]) if t == "2019" else rd["label"]
        out.append(f'<tr><th class="gd-row">{_e(label)}</th>{tds}</tr>')
    if extra:
        out.append(f'<tr><th class="gd-caption" colspan="{width + 1}">'
                   "本机关增加的行（不在国家模板内）</th></tr>")
        for i, x in enumerate(extra):
            tds = "".join(ctx.td(f"active.extra.{i}.{j}", c, _span(j, len(x.cells), width))
                          for j, c in enumerate(x.cells))
            out.append(f'<tr><th class="gd-row">{_e(x.label)}</th>{tds}</tr>')
    out.append("</table>")
    return "".join(out)


def _span(i: int, n: int, width: int) -> int:
    """The last of n cells spans what is left of a table width cells wide."""
    return width - n + 1 if i == n - 1 else 1


def _fill(i: int, n: int, width: int) -> str:
    s = _span(i, n, width)
    return f' colspan="{s}"' if s > 1 else ""


# ---- Table 三 -----------------------------------------------------------------------------


def _requests_html(ctx: _Ctx, tdef: Dict[str, Any]) -> str:
    r = ctx.report
    table = r.requests
    t = _effective_template(r)
    rows = [rd for rd in tdef["rows"]
            if t in rd["templates"] or _get(table, rd["id"]) is not None]
    col_labels = {c["id"]: c["label"] for c in tdef["rows"][0]["columns"]}
    out = ['<table class="gd-requests">',
           f'<tr><th class="gd-corner" rowspan="3" colspan="3">{_e(_CORNER)}</th>'
           '<th colspan="7">申请人情况</th></tr>',
           f'<tr><th rowspan="2">{_e(col_labels["natural_person"])}</th>'
           '<th colspan="5">法人或其他组织</th>'
           f'<th rowspan="2">{_e(col_labels["total"])}</th></tr>',
           "<tr>" + "".join(f"<th>{_e(col_labels[c])}</th>" for c in _REQ_COLUMNS[1:6])
           + "</tr>"]
    ids = [rd["id"] for rd in rows]
    first = ids.index(_RESULT_FIRST) if _RESULT_FIRST in ids else -1
    last = ids.index(_RESULT_LAST) if _RESULT_LAST in ids else -1
    group_sizes: Dict[int, int] = {}
    for rd in rows:
        if rd["group"]:
            group_sizes[rd["group"]] = group_sizes.get(rd["group"], 0) + 1
    seen_groups: Set[int] = set()
    for i, rd in enumerate(rows):
        row = _get(table, rd["id"])
        heads = ""
        if i == first and last >= first:
            heads += f'<th rowspan="{last - first + 1}">三、本年度办理结果</th>'
        in_results = first <= i <= last and first >= 0
        g = rd["group"]
        caption = _GROUPS.get(g)
        if caption and in_results:
            single = group_sizes[g] == 1 and rd["label"].startswith(caption[:4])
            if single:
                heads += f'<th class="gd-row" colspan="2">{_e(rd["label"])}</th>'
            else:
                if g not in seen_groups:
                    heads += f'<th rowspan="{group_sizes[g]}">{_e(caption)}</th>'
                heads += f'<th class="gd-row">{_e(rd["label"])}</th>'
            seen_groups.add(g)
        elif in_results:
            heads += f'<th class="gd-row" colspan="2">{_e(rd["label"])}</th>'
        else:
            heads += f'<th class="gd-row" colspan="3">{_e(rd["label"])}</th>'
        tds = "".join(ctx.td(f"requests.{rd['id']}.{c}", _get(row, c)) for c in _REQ_COLUMNS)
        out.append(f"<tr>{heads}{tds}</tr>")
    out.append("</table>")
    return "".join(out)


# ---- Table 四 -----------------------------------------------------------------------------


def _reviews_html(ctx: _Ctx, tdef: Dict[str, Any]) -> str:
    table = ctx.report.reviews
    leaves = "".join(f"<th>{_e(label)}</th>" for _, label in _REVIEW_LEAVES)
    out = ['<table class="gd-reviews">',
           '<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr>',
           "<tr>" + "".join(f'<th rowspan="2">{_e(label)}</th>' for _, label in _REVIEW_LEAVES)
           + '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>',
           f"<tr>{leaves}{leaves}</tr>", "<tr>"]
    for group in ("review", "litigation_direct", "litigation_after_review"):
        row = _get(table, group)
        out.extend(ctx.td(f"reviews.{group}.{leaf}", _get(row, leaf)) for leaf, _ in _REVIEW_LEAVES)
    out.append("</tr></table>")
    return "".join(out)


# ---- The report ------------------------------------------------------------------------------


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return '<p class="gd-meta">No findings: every identity holds.</p>'
    rows = []
    for f in findings:
        rows.append(
            f'<tr><td class="gd-sev-{_e(f.severity)}">{_e(f.severity)}</td><td>{_e(f.code)}</td>'
            f"<td>{_e(f.cell or f.table or '')}</td>"
            f"<td>{_e(f.expected if f.expected is not None else '')}</td>"
            f"<td>{_e(f.actual if f.actual is not None else '')}</td><td>{_e(f.message)}</td></tr>")
    return ('<table class="gd-findings"><tr><th>severity</th><th>code</th><th>cell</th>'
            "<th>expected</th><th>actual</th><th>message</th></tr>" + "".join(rows) + "</table>")


def report_html(report: Report, source: Optional[str] = None) -> str:
    """The report as one self-contained HTML fragment (see the module's doc)."""
    from . import _core

    template = _core.template()
    ctx = _Ctx(report)
    source = source if source is not None else getattr(report, "source", None)
    n_err = sum(f.severity == "error" for f in report.findings)
    n_warn = sum(f.severity == "warning" for f in report.findings)
    badges = []
    if n_err:
        badges.append(f'<span class="gd-badge gd-e">{n_err} error{"s" * (n_err != 1)}</span>')
    if n_warn:
        badges.append(f'<span class="gd-badge gd-w">{n_warn} warning{"s" * (n_warn != 1)}'
                      "</span>")
    if not n_err and not n_warn:
        badges.append('<span class="gd-badge gd-ok">all identities hold</span>')
    meta = [f"{report.year} 年度" if report.year is not None else "year unknown",
            f"published {report.published.isoformat()}" if report.published else
            "publication date unknown",
            f"template {report.template}"]
    fmt = getattr(report, "format", None)
    if fmt:
        meta.append(_e(fmt))
    if source:
        meta.append(_e(source))
    parts = [f'<div class="gd-report" id="{ctx.uid}"><style>{_CSS}</style>',
             f"<h3>{_e(report.agency or '(agency unknown)')}</h3>",
             f'<div class="gd-meta">{" · ".join(_e(m) for m in meta)} {"".join(badges)}</div>']
    drawers = {"active": _active_html, "requests": _requests_html, "reviews": _reviews_html}
    for table_id in ("active", "requests", "reviews"):
        parts.append(f'<h4>{_e(_TITLES[table_id])}</h4>')
        if getattr(report, table_id) is None:
            parts.append('<p class="gd-absent">not found in this report</p>')
        else:
            parts.append(drawers[table_id](ctx, template[table_id]))
    parts.append(f"<h4>Findings ({len(report.findings)})</h4>")
    parts.append(_findings_html(report.findings))
    if report.unplaced:
        items = "".join(f"<li>{_e(u.text)} (table {_e(u.table or '-')}, bytes "
                        f"{u.span[0]}-{u.span[1]})</li>" for u in report.unplaced)
        parts.append(f"<h4>Numbers not placed in a cell ({len(report.unplaced)})</h4>"
                     f"<ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)


# ---- Sortable tables ----------------------------------------------------------------------------


class SortableTable:
    """Rows under named columns; Jupyter shows it as a table sortable by a
    click on a header.  ``max_rows`` rows are drawn (the count says so)."""

    def __init__(self, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                 max_rows: int = 1000) -> None:
        self.columns = list(columns)
        self.rows = [list(r) for r in rows]
        self.max_rows = max_rows

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<SortableTable: {len(self.rows)} rows × {len(self.columns)} columns>"

    def _repr_html_(self) -> str:
        uid = f"gd{next(_ids)}"
        heads = "".join(f'<th onclick="{_e(_SORT_JS)}">{_e(c)}</th>' for c in self.columns)
        body = []
        for row in self.rows[: self.max_rows]:
            cells = []
            for v in row:
                text = str(_plain(v))
                nowrap = ' class="gd-nw"' if len(text) <= 24 else ""
                cells.append(f"<td{nowrap}>{_e(text)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = ""
        if len(self.rows) > self.max_rows:
            more = (f'<p>{len(self.rows) - self.max_rows} more rows not drawn '
                    f"(max_rows={self.max_rows})</p>")
        return (f'<div class="gd-report" id="{uid}"><style>{_CSS}</style>'
                f'<table class="gd-sortable"><thead><tr>{heads}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>{more}</div>")


def _plain(v: Any) -> Any:
    try:
        import pandas as pd  # only to tell <NA>/NaT/NaN apart; not needed otherwise

        if v is not None and not isinstance(v, (list, tuple)) and pd.isna(v):
            return ""
    except ImportError:
        pass
    return "" if v is None else v
