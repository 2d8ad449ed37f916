"""``govdisclose audit``: the audit table as text, CSV, JSON or an HTML page.

Text: one line per report (agency, year, published, days late, sections and
tables missing, identities broken, prose disagreements, 结转 breaks), then a
summary.  CSV: the columns of ``AUDIT_COLUMNS``, dates as YYYY-MM-DD, unknown
as empty.  JSON: {"reports": [rows], "summary": {...}}.  Exit status: 1 when
some report has an error finding (or cannot be read), else 0, as ``check``.
"""
from __future__ import annotations

import csv
import datetime
import json
import sys
from typing import Any, Dict, Iterable, List, TextIO

from .audit import AUDIT_COLUMNS, audit_entries, summary
from .audit_html import audit_page
from .cli import _pad, _width

__all__ = ["run_audit"]


def _plain(v: Any) -> Any:
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def _dash(v: Any) -> str:
    return "-" if v is None or v == "" else str(_plain(v))


def _late(row: Dict[str, Any]) -> str:
    late = row["days_late"]
    if late is None:
        return "n/a" if row["deadline"] is None else "?"
    if row["published"] is None:  # only the signature date is known
        return f"{late} (signed)" if late > 0 else "signed in time"
    return str(late) if late > 0 else "on time"


def write_text(rows: List[Dict[str, Any]], out: TextIO) -> None:
    heads = ["report", "agency", "year", "published", "days late", "sections", "tables",
             "broken", "prose", "结转"]
    lines = [[r["source"] or "-", r["agency"] or "-", _dash(r["year"]), _dash(r["published"]),
              "failed" if r["failed"] else _late(r),
              _dash(r["sections_missing"]), _dash(r["tables_missing"]),
              str(r["identities_broken"]), str(r["prose_disagreements"]),
              str(r["carry_breaks"])] for r in rows]
    widths = [min(60, max(_width(x) for x in [h] + [ln[i] for ln in lines]))
              for i, h in enumerate(heads)]
    for ln in [heads] + lines:
        out.write("  ".join(_pad(x, w) for x, w in zip(ln, widths)).rstrip() + "\n")
    s = summary(rows)
    out.write(
        f"\n{s['reports']} reports ({s['failed']} could not be read): "
        f"{s['late']} published late, {s['on_time']} on time, {s['timeliness_unknown']} "
        f"cannot tell, {s['reports'] - s['failed'] - s['with_deadline']} with no statutory "
        f"deadline; {s['sections_missing']} with sections missing, {s['tables_missing']} with "
        f"tables missing; {s['identities_broken']} with broken identities, "
        f"{s['prose_disagreements']} with prose disagreeing, {s['carry_breaks']} with broken "
        "结转 links\n"
        "(days late: from the deadline to the publication date, else the signature date; "
        "n/a: no statutory deadline; ?: no date; signed in time: signed by the deadline, "
        "publication date unknown; sections and tables: the numerals missing)\n")


def write_csv(rows: List[Dict[str, Any]], out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(AUDIT_COLUMNS)
    for r in rows:
        w.writerow(["" if r[c] is None else _plain(r[c]) for c in AUDIT_COLUMNS])


def run_audit(pairs: Iterable[Any], fmt: str, output: str, strict: bool) -> int:
    entries = audit_entries(pairs, strict=strict)
    rows = [e.row for e in entries]
    out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        if fmt == "html":
            out.write(audit_page(entries))
        elif fmt == "csv":
            write_csv(rows, out)
        elif fmt == "json":
            json.dump({"reports": rows, "summary": summary(rows)}, out, ensure_ascii=False,
                      indent=1, default=_plain)
            out.write("\n")
        else:
            write_text(rows, out)
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if any(r["errors"] for r in rows) else 0
