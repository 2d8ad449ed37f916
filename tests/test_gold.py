"""The parser against the answer keys in ../shared/corpus/gold/ (see its README.md).

Each corpus file is read with govdisclose.parse_file, whatever its format (the
PDFs through pypdfium2, which the test extra installs).  To score another
corpus file, add its name to GOLD_NAMES: compare_with_gold() is generic.
"""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import govdisclose
from govdisclose import _core
from conftest import corpus_dir

# Corpus files whose gold this issue must match exactly.
GOLD_NAMES = [
    "dazu-gaj-2021", "shuyang-2025", "shanghai-kewei-2024",
    # 2019 template and run-together cells (issues 3 and 4)
    "pingtan-2019", "pingtan-2020", "pingtan-2021", "pingtan-2022", "pingtan-2023",
    "pingtan-2025",
    # before 2019: metadata only, no tables
    "pingtan-2011", "pingtan-2012", "pingtan-2013", "pingtan-2015", "pingtan-county-2011",
    "pingtan-county-2013", "pingtan-dishui-2013",
    # PDFs: their text layer (issue 3)
    "hongze-2023", "huaian-2024",
]

TABLES = ("active", "requests", "reviews")
EACH_COLUMN_CODES = {"requests.balance", "requests.column_total"}
EACH_ROW_CODES = {"requests.row_total", "reviews.total"}


def _paths() -> Dict[str, Tuple[str, str, Optional[str]]]:
    """Every cell path and row path of the templates -> (table, row id, column id)."""
    out: Dict[str, Tuple[str, str, Optional[str]]] = {}
    for table_id, tdef in _core.template().items():
        for row in tdef["rows"]:
            out[f"{table_id}.{row['id']}"] = (table_id, row["id"], None)
            for col in row["columns"]:
                out[f"{table_id}.{row['id']}.{col['id']}"] = (table_id, row["id"], col["id"])
    return out


PATHS = _paths()


def cells_of(d: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The non-None cells of a to_dict() result, by SCHEMA path."""
    out = {}
    for path, (table_id, row_id, col_id) in PATHS.items():
        if col_id is None:
            continue
        node = d[table_id]
        for part in row_id.split(".") + [col_id]:
            if node is None:
                break
            node = node[part]
        if node is not None:
            out[path] = node
    return out


def finding_key(f: govdisclose.Finding) -> str:
    """An error finding as gold's "broken" writes it: code:column for the
    per-column identities, code:row (or group) for the per-row ones."""
    if f.cell is None or f.cell not in PATHS:
        return f"{f.code}:{f.cell}"
    _, row_id, col_id = PATHS[f.cell]
    if f.code in EACH_COLUMN_CODES:
        return f"{f.code}:{col_id}"
    if f.code in EACH_ROW_CODES:
        return f"{f.code}:{row_id}"
    return f"{f.code}:{f.cell}"


IDENTITIES = {i["code"]: i for i in _core.identities()}


def identity_cells(f: govdisclose.Finding) -> set:
    """The cell paths of the identity instance a finding is about: a finding
    on an identity that involves an uncertain cell is not scored either."""
    ident = IDENTITIES.get(f.code)
    if ident is None or f.cell not in PATHS:
        return set()
    table, row_id, col_id = PATHS[f.cell]
    names = [ident["target"]] + list(ident["terms"])
    if ident["each"] == "column":
        return {f"{table}.{r}.{col_id}" for r in names}
    return {f"{table}.{row_id}.{c}" for c in names}


def _one_of(gold_value) -> List[Any]:
    return gold_value if isinstance(gold_value, list) else [gold_value]


def compare_with_gold(report: govdisclose.Report, gold: Dict[str, Any]) -> List[str]:
    """Every way report differs from gold, as readable lines (empty: they agree)."""
    problems: List[str] = []
    d = report.to_dict()
    uncertain = set(gold.get("uncertain") or ())

    if d["agency"] not in _one_of(gold["agency"]):
        problems.append(f"agency {d['agency']!r}, gold {gold['agency']!r}")
    if d["year"] != gold["year"]:
        problems.append(f"year {d['year']!r}, gold {gold['year']!r}")
    if d["published"] not in _one_of(gold["published"]):
        problems.append(f"published {d['published']!r}, gold {gold['published']!r}")
    if "dated" in gold and d["dated"] not in _one_of(gold["dated"]):
        problems.append(f"dated {d['dated']!r}, gold {gold['dated']!r}")
    if d["template"] != gold["template"]:
        problems.append(f"template {d['template']!r}, gold {gold['template']!r}")

    ours = {p: c for p, c in cells_of(d).items() if p not in uncertain}
    gold_cells = {p: v for p, v in gold["cells"].items() if p not in uncertain}

    for path, want in gold_cells.items():
        cell = ours.get(path)
        if cell is None:
            problems.append(f"{path}: missing, gold {want!r}")
            continue
        got = f"{cell['kind']} {cell['value']!r} (raw {cell['raw']!r})"
        if isinstance(want, int) and not isinstance(want, bool):
            value = cell["value"]
            if not (cell["kind"] == "number" and type(value) is int and value == want):
                problems.append(f"{path}: {got}, gold {want}")
        elif want in ("empty", "na", "text"):
            if cell["kind"] != want:
                problems.append(f"{path}: {got}, gold kind {want}")
        else:  # money: the printed digits
            if not (cell["kind"] == "number" and str(cell["value"]) == want):
                problems.append(f"{path}: {got}, gold {want!r}")

    for path in sorted(set(ours) - set(gold_cells)):
        problems.append(f"{path}: present ({ours[path]['raw']!r}) but not in gold")

    our_notes = {p: c["note"] for p, c in ours.items() if c["note"] is not None}
    gold_notes = {p: n for p, n in gold.get("notes", {}).items() if p not in uncertain}
    if our_notes != gold_notes:
        problems.append(f"notes {our_notes!r}, gold {gold_notes!r}")

    broken = {finding_key(f) for f in report.findings
              if f.severity == "error" and not (identity_cells(f) & uncertain)}
    if broken != set(gold["broken"]):
        problems.append(f"error findings {sorted(broken)}, gold broken {sorted(gold['broken'])}")
    return problems


def load_gold(corpus: Path, name: str) -> Tuple[Dict[str, Any], bytes]:
    gold = json.loads((corpus / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    return gold, (corpus / gold["source"]).read_bytes()


@pytest.mark.parametrize("name", GOLD_NAMES)
def test_matches_gold(corpus, name):
    gold, _ = load_gold(corpus, name)
    report = govdisclose.parse_file(corpus / gold["source"])
    assert report.source == str(corpus / gold["source"])
    assert report.format == ("pdf" if gold["source"].endswith(".pdf") else "text")
    problems = compare_with_gold(report, gold)
    assert not problems, f"{name}: {len(problems)} differences from gold:\n" + "\n".join(
        problems[:80])


# Real web pages (pages/README.md): the page's own publication date, from its
# 时间 beside 来源, its <meta name="PubDate"> or its 发布日期, never a collection date.
# (found where the corpus fixture looks, so a copy of the tests elsewhere, as
# tests/mutation makes, finds them too)
PAGE_NAMES = sorted(p.name[:-len(".json")] for p in
                    (corpus_dir() / "pages" / "gold").glob("*.json")) or ["(none found)"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_matches_gold(corpus, name):
    gold = json.loads((corpus / "pages" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    report = govdisclose.parse_file(corpus / "pages" / gold["source"])
    assert report.format == "html"
    problems = compare_with_gold(report, gold)
    assert not problems, f"{name}: {len(problems)} differences from gold:\n" + "\n".join(
        problems[:80])
    assert report.published is not None
    # where it was read: a date in the page itself
    start, end = report.metadata_spans["published"]
    page = (corpus / "pages" / gold["source"]).read_bytes()
    assert page[start:end].decode("utf-8").replace("-", "") .startswith(
        gold["published"].replace("-", ""))


def test_pages_are_all_scored(corpus):
    """Every page of pages/ has its gold here: none is left unscored."""
    pages = sorted(p.name for p in (corpus / "pages").glob("*.html"))
    assert pages and pages == sorted(n[:-len(".json")] if n.endswith(".json") else n
                                     for n in PAGE_NAMES)


# Files of formats/ that govdisclose reads today: their dates as their gold says.
FORMAT_DATES = ["pingtan-2023.docx"]


@pytest.mark.parametrize("name", FORMAT_DATES)
def test_format_dates_match_gold(corpus, name):
    gold = json.loads((corpus / "formats" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    d = govdisclose.parse_file(corpus / "formats" / gold["source"]).to_dict()
    assert d["published"] in _one_of(gold["published"])
    assert d["dated"] in _one_of(gold.get("dated"))


@pytest.mark.parametrize("name", GOLD_NAMES)
def test_gold_file_shape(corpus, name):
    """The gold's paths are SCHEMA paths: a typo there would score nothing."""
    gold, _ = load_gold(corpus, name)
    unknown = [p for p in list(gold["cells"]) + list(gold.get("notes", {})) if p not in PATHS]
    assert unknown == []


def test_dazu_has_no_findings(corpus):
    gold, data = load_gold(corpus, "dazu-gaj-2021")
    report = govdisclose.parse(data.decode("utf-8"))
    assert report.findings == ()
    assert report.unplaced == ()
    assert report.ok


def test_compare_with_gold_catches_differences(corpus):
    """The comparison itself can fail: a changed cell, note or finding is caught."""
    gold, data = load_gold(corpus, "dazu-gaj-2021")
    report = govdisclose.parse(data)
    changed = dict(gold, cells=dict(gold["cells"]), notes={}, broken=["requests.balance:total"])
    changed["cells"]["requests.granted.natural_person"] = 3
    changed["cells"]["active.fees.amount"] = "221.7"
    problems = compare_with_gold(report, changed)
    text = "\n".join(problems)
    assert "requests.granted.natural_person" in text
    assert "active.fees.amount" in text
    assert "notes" in text
    assert "error findings" in text
