"""Less noise for readers: repeated "holds only when blank cells count as 0"
findings said once per table and identity.

A table whose 总计 column is left blank in 25 rows gives 25 info findings
``requests.row_total: … holds only when 5 blank or na cells … count as 0``.
``Report.findings`` keeps every one of them (the data contract: each names
its cell, and gold files and frames count them); the views that people read
(the command line's text, the notebook view) show them through
``group_findings``: one info finding per table and code with the count and
the cells.  ``findings_frame``, the workbook's findings sheet, JSON output
and ``--verbose`` keep the per-cell detail.
"""
from __future__ import annotations

import re
from typing import Dict, List, Sequence, Tuple

from ._model import Finding

__all__ = ["group_findings", "MIN_GROUP"]

#: Fewer such findings of one table and code than this are shown one by one.
MIN_GROUP = 2

_BLANK_AS_ZERO = re.compile(
    r"(?P<cell>.+?): holds only when \d+ blank or na cells? \(first: .+?\) count as 0 "
    r"\[(?P<rule>.+)\]")


def group_findings(findings: Sequence[Finding]) -> List[Finding]:
    """findings with each table's run of blank-as-zero infos of one code
    replaced by one info finding (in the place of the first); the others
    as they are."""
    members: Dict[Tuple[str, str], List[Tuple[int, str, str]]] = {}
    for i, f in enumerate(findings):
        m = _BLANK_AS_ZERO.fullmatch(f.message) if f.severity == "info" else None
        if m is not None:
            members.setdefault((f.table or "", f.code), []).append(
                (i, f.cell or m.group("cell"), m.group("rule")))
    drop = set()
    at: Dict[int, Finding] = {}
    for (table, code), group in members.items():
        if len(group) < MIN_GROUP:
            continue
        cells = ", ".join(cell for _, cell, _ in group)
        first = group[0][0]
        at[first] = Finding(code, "info", table or None, None, None, None,
                            f"{len(group)} totals hold only when blank or na cells count as 0: "
                            f"{cells} [{group[0][2]}]")
        drop.update(i for i, _, _ in group)
    out = []
    for i, f in enumerate(findings):
        if i in at:
            out.append(at[i])
        elif i not in drop:
            out.append(f)
    return out
