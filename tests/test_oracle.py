"""The reconciliation in C against a pure-Python oracle of the same identities.

The oracle reads only to_dict() and the identities as TEMPLATES.md §6 writes them
(SPEC below, typed in from the spec, not read from the core: a sign or a term wrong
in template.c must not be shared by the oracle), and applies SCHEMA's blank policy
on its own: blank and na cells count as 0; an identity whose cells are all blank
says nothing; in strict mode one with a blank cell is not checkable.  The core's
_core.template() gives only the tables' row and column names.  Inputs: every corpus text file, and real reports with one or two table
cells changed in the text (hypothesis picks which and by how much).
"""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import govdisclose
from govdisclose import _core

TEMPLATE = _core.template()

APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services",
              "other_org"]
# TEMPLATES.md §6.1: the result rows 3-23 of the 2021 table (2019: the same up to
# not_processed.confirmation, then the single other row, other.all).
RESULT_ROWS = (["granted", "partly_granted"]
               + ["withheld." + r for r in ("state_secret", "prohibited_by_law",
                                            "security_stability", "third_party_rights",
                                            "internal_affairs", "process_info",
                                            "enforcement_file", "inquiry")]
               + ["unable." + r for r in ("not_held", "needs_creation", "unclear")]
               + ["not_processed." + r for r in ("petition", "repeated", "publication",
                                                 "excessive", "confirmation")]
               + ["other." + r for r in ("no_correction", "unpaid_fee", "other", "all")])
# (code, table, each, target, {term: sign}): target = sum of sign * term.
SPEC = [
    # R[new][c] + R[carried_over][c] = R[total][c] + R[carried_forward][c]
    ("requests.balance", "requests", "column", "total",
     {"new": 1, "carried_over": 1, "carried_forward": -1}),
    # R[total][c] = the sum of the result rows
    ("requests.column_total", "requests", "column", "total", {r: 1 for r in RESULT_ROWS}),
    # R[r][total] = the sum over the six applicant columns
    ("requests.row_total", "requests", "row", "total", {c: 1 for c in APPLICANTS}),
    # g.total = g.upheld + g.corrected + g.other + g.pending
    ("reviews.total", "reviews", "row", "total",
     {"upheld": 1, "corrected": 1, "other": 1, "pending": 1}),
]
IDENTITIES = [{"code": code, "table": table, "each": each, "target": target,
               "terms": list(terms), "signs": list(terms.values())}
              for code, table, each, target, terms in SPEC]


def test_core_has_the_spec_identities():
    """template.c's identities are TEMPLATES.md's: same codes, targets, terms, signs."""
    core = {(i["code"], i["table"], i["each"], i["target"],
             tuple(sorted(zip(i["terms"], i["signs"])))) for i in _core.identities()}
    assert core == {(code, table, each, target, tuple(sorted(terms.items())))
                    for code, table, each, target, terms in SPEC}


def row_node(table, row_id):
    node = table
    for part in row_id.split("."):
        if node is None:
            return None
        node = node.get(part)
    return node


def oracle(d, strict=False):
    """(code, cell) of every error and every strict-mode warning the identities give."""
    out = set()
    for ident in IDENTITIES:
        table = d[ident["table"]]
        if table is None:
            continue
        if ident["each"] == "column":
            row_ids = [r["id"] for r in TEMPLATE[ident["table"]]["rows"]]
            cols = [c["id"] for c in TEMPLATE[ident["table"]]["rows"][
                row_ids.index(ident["target"])]["columns"]]
            lines = [(ident["target"], col, [(t, col) for t in ident["terms"]]) for col in cols]
        else:
            lines = []
            for r in TEMPLATE[ident["table"]]["rows"]:
                lines.append((r["id"], ident["target"], [(r["id"], t) for t in ident["terms"]]))
        for trow, tcol, terms in lines:
            target_row = row_node(table, trow)
            if target_row is None:
                continue
            cells, ok = [], True
            for (r, c), sign in zip(terms, ident["signs"]):
                row = row_node(table, r)
                if row is None:
                    if r == "other.all" or r.startswith("other."):
                        continue  # the other template's rows
                    ok = False
                    break
                cells.append((sign, row[c]))
            target = target_row[tcol]
            if not ok or target is None or any(cell is None for _, cell in cells):
                continue
            every = [target] + [cell for _, cell in cells]
            if any(c["kind"] == "text" or (c["kind"] == "number" and not isinstance(c["value"], int))
                   for c in every):
                continue
            blanks = [c for c in every if c["kind"] in ("empty", "na")]
            if len(blanks) == len(every):
                continue
            value = lambda c: c["value"] if c["kind"] == "number" else 0  # noqa: E731
            expected = sum(sign * value(c) for sign, c in cells)
            path = f"{ident['table']}.{trow}.{tcol}"
            if blanks and strict:
                out.add((ident["code"], path, "warning"))
            elif expected != value(target):
                out.add((ident["code"], path, "error"))
    return out


def from_core(report, strict=False):
    codes = {i["code"] for i in IDENTITIES}
    return {(f.code, f.cell, f.severity) for f in report.findings
            if f.code in codes and (f.severity == "error" or (strict and f.severity == "warning"))}


def corpus_texts(corpus):
    return sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))


@pytest.mark.parametrize("strict", [False, True])
def test_corpus_agrees_with_oracle(corpus, strict):
    checked = 0
    for path in corpus_texts(corpus):
        r = govdisclose.parse(path.read_text(encoding="utf-8"), strict=strict)
        assert from_core(r, strict) == oracle(r.to_dict(), strict), path.name
        checked += r.requests is not None
    assert checked >= 12  # files with a table 三


def number_cells(report):
    """(span, value) of every integer cell of tables 三 and 四."""
    d = report.to_dict()
    out = []

    def walk(node):
        if isinstance(node, dict) and "kind" in node:
            if node["kind"] == "number" and isinstance(node["value"], int):
                out.append((tuple(node["span"]), node["value"]))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
    walk(d["requests"])
    walk(d["reviews"])
    return out


@pytest.fixture(scope="module")
def seeds(corpus):
    out = []
    for name in ("dazu-gaj-2021.txt", "shuyang-2025.txt", "pingtan-2020.txt"):
        data = (corpus / name).read_bytes()
        cells = [c for c in number_cells(govdisclose.parse(data)) if data[c[0][0]:c[0][1]].isdigit()]
        out.append((data, cells))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_changed_cells_agree_with_oracle(seeds, data):
    """Change one or two plain-digit cells of a real report by a small amount."""
    text, cells = data.draw(st.sampled_from(seeds))
    picks = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=2, unique=True))
    edits = sorted(((span, value + data.draw(st.integers(-3, 5))) for span, value in picks),
                   reverse=True)
    for (start, end), new in edits:
        text = text[:start] + str(max(new, 0)).encode() + text[end:]
    strict = data.draw(st.booleans())
    r = govdisclose.parse(text, strict=strict)
    assert from_core(r, strict) == oracle(r.to_dict(), strict)
