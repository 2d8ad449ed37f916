"""The reconciliation in C against a pure-Python oracle of the same identities.

The oracle reads only to_dict() and _core.identities() (the template's data), and
applies SCHEMA's blank policy on its own: blank and na cells count as 0; an identity
whose cells are all blank says nothing; in strict mode one with a blank cell is not
checkable.  Inputs: every corpus text file, and real reports with one or two table
cells changed in the text (hypothesis picks which and by how much).
"""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import govdisclose
from govdisclose import _core

IDENTITIES = _core.identities()
TEMPLATE = _core.template()


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
