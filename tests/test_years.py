"""Checks across years on real chains: 平潭 2019-2025, and a body keyed across a rename."""
import dataclasses
import json
import random

import govdisclose
from govdisclose.years import body_key

PINGTAN = (2019, 2020, 2021, 2022, 2023, 2025)
COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services",
           "other_org", "total")


def gold(corpus, name):
    return json.loads((corpus / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def test_pingtan_chain_matches_the_gold_files(corpus):
    """The carry links that break are exactly those the gold files say break
    (none: 2021 carried 1 application forward and 2022 carried 1 over), and
    the missing 2024 is a gap, not a break."""
    expected_breaks = set()
    for y0, y1 in zip(PINGTAN, PINGTAN[1:]):
        if y1 - y0 > 1:
            continue
        before, after = gold(corpus, f"pingtan-{y0}")["cells"], gold(corpus, f"pingtan-{y1}")["cells"]
        for col in COLUMNS:
            if before[f"requests.carried_forward.{col}"] != after[f"requests.carried_over.{col}"]:
                expected_breaks.add((y0, y1, col))
    assert gold(corpus, "pingtan-2021")["cells"]["requests.carried_forward.total"] == 1
    assert gold(corpus, "pingtan-2022")["cells"]["requests.carried_over.total"] == 1

    paths = [corpus / f"pingtan-{y}.txt" for y in PINGTAN]
    random.Random(7).shuffle(paths)  # input order does not matter
    reports = list(zip(map(str, paths), govdisclose.parse_many(paths)))
    found = govdisclose.reconcile_years(reports)

    breaks = {(f.earlier.year, f.later.year, f.cell.rsplit(".", 1)[1])
              for f in found if f.code == "requests.carry_link"}
    assert breaks == expected_breaks == set()
    assert [(f.code, f.severity, f.years) for f in found] == [
        ("years.gap", "info", (2023, 2025))]
    [gap] = found
    assert gap.body == "平潭综合实验区"
    assert gap.sources == (str(corpus / "pingtan-2023.txt"), str(corpus / "pingtan-2025.txt"))
    assert "no report of 平潭综合实验区 for 2024 between" in gap.message
    assert "pingtan-2023.txt (2023)" in gap.message
    assert "pingtan-2025.txt (2025)" in gap.message


def test_renamed_body_breaks(corpus):
    """Keyed as one body, 上海市科委 2024 then 沭阳县 2025: the 自然人 carry link
    breaks (1 forward, 36 over); the 总计 link breaks only because 2024's
    总计 cell is blank (counted as 0, and said so); the 规范性文件 in force
    flow breaks (55 + 6 - 1 = 60, not 32); the zeros agree."""
    kewei, shuyang = corpus / "shanghai-kewei-2024.md", corpus / "shuyang-2025.txt"
    reports = list(zip([str(kewei), str(shuyang)], govdisclose.parse_many([kewei, shuyang])))
    assert govdisclose.reconcile_years(reports) == []  # two bodies by name: nothing to link
    found = govdisclose.reconcile_years(reports, key=lambda r: "one body")
    got = [(f.code, f.severity, f.cell, f.expected, f.actual) for f in found]
    assert got == [
        ("requests.carry_link", "warning", "requests.carried_over.natural_person", 1, 36),
        ("requests.carry_link", "warning", "requests.carried_over.total", 0, 36),
        ("active.in_force_flow", "info", "active.normative_documents.in_force", 60, 32),
    ]
    first = found[0]
    assert first.years == (2024, 2025) and first.body == "one body"
    assert first.earlier.agency == "上海市科委" and first.later.agency == "沐阳县人民政府"
    assert f"{shuyang} (2025)" in first.message and f"{kewei} (2024)" in first.message
    assert "counting the blank" not in first.message
    assert "counting the blank or dash" in found[1].message
    d = found[2].to_dict()
    assert (d["earlier_year"], d["later_year"], d["body"]) == (2024, 2025, "one body")
    assert d["earlier_source"] == str(kewei) and d["code"] == "active.in_force_flow"
    assert isinstance(found[0].finding, govdisclose.Finding)
    assert all(f.sources == (str(kewei), str(shuyang)) for f in found)
    # a key of None leaves the report out, whatever else it holds
    assert govdisclose.reconcile_years(reports, key=lambda r: None) == []

    strict = govdisclose.reconcile_years(reports, key=lambda r: "one body", strict=True)
    assert [f.cell for f in strict] == ["requests.carried_over.natural_person",
                                        "active.normative_documents.in_force"]


def test_links_that_hold_give_nothing(corpus):
    """平潭 2021 carried 1 forward, 2022 carried 1 over; 规章 are 0, 0, 0 both years."""
    pair = [corpus / "pingtan-2021.txt", corpus / "pingtan-2022.txt"]
    reports = list(govdisclose.parse_many(pair))
    assert reports[0].requests.carried_forward.natural_person.value == 1
    assert reports[1].requests.carried_over.natural_person.value == 1
    assert govdisclose.reconcile_years(reports) == []


def test_duplicates_and_unusable_reports(corpus, tmp_path):
    p21 = corpus / "pingtan-2021.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    reports = list(zip(["a", "b", "c", "d"], govdisclose.parse_many(
        [p21, p21, empty, corpus / "excerpt-audit-2020.txt"])))
    # the same body's report whose title names no year (and nothing else does): left out
    no_year = govdisclose.parse("平潭综合实验区政府信息公开工作年度报告\n")
    assert (no_year.agency, no_year.year) == ("平潭综合实验区", None)
    reports.append(("e", no_year))
    found = govdisclose.reconcile_years(reports)
    assert [(f.code, f.severity, f.sources) for f in found] == [
        ("years.duplicate", "warning", ("a", "b"))]
    assert "b (2021) is a second report of 平潭综合实验区 for 2021 beside a (2021)" in \
        found[0].message
    assert found[0].earlier is reports[0][1] and found[0].later is reports[1][1]
    assert found[0].years == (2021, 2021)


def test_nothing_is_checked_across_a_gap(corpus):
    """平潭 2022 carried 1 application forward; 沭阳县 2025 carried 36 over.  Keyed
    as one body they are three years apart: a gap, and no carry link is checked."""
    pair = [corpus / "pingtan-2022.txt", corpus / "shuyang-2025.txt"]
    reports = list(zip(map(str, pair), govdisclose.parse_many(pair)))
    assert reports[1][1].requests.carried_over.natural_person.value == 36
    found = govdisclose.reconcile_years(reports, key=lambda r: "one body")
    assert [(f.code, f.years) for f in found] == [("years.gap", (2022, 2025))]
    assert "no report of one body for 2023, 2024 between" in found[0].message
    assert found[0].sources == tuple(map(str, pair))


def test_public_names_and_frozen_findings(corpus):
    """`from govdisclose.years import *` gives the three public names only, and a
    YearFinding is frozen, so it can be kept in a set."""
    names = {}
    exec("from govdisclose.years import *", names)
    assert sorted(n for n in names if n != "__builtins__") == [
        "YearFinding", "body_key", "reconcile_years"]
    pair = [corpus / "pingtan-2022.txt", corpus / "shuyang-2025.txt"]
    [gap] = govdisclose.reconcile_years(govdisclose.parse_many(pair), key=lambda r: 1)
    assert len({gap, gap}) == 1
    try:
        gap.body = 2
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a YearFinding can be changed")


def test_body_key(corpus, dazu_bytes):
    r = govdisclose.parse(dazu_bytes)
    assert body_key(r) == "重庆市大足区公安局"
    assert body_key(dataclasses.replace(r, agency="平潭综合实验区（管委会）")) == "平潭综合实验区"
    assert body_key(dataclasses.replace(r, agency=" 重庆市 大足区公安局 ")) == "重庆市大足区公安局"
    assert body_key(dataclasses.replace(r, agency=None)) is None


def test_show_years(corpus):
    kewei, shuyang = corpus / "shanghai-kewei-2024.md", corpus / "shuyang-2025.txt"
    found = govdisclose.reconcile_years(govdisclose.parse_many([kewei, shuyang]),
                                        key=lambda r: 1)
    table = govdisclose.show(found)
    assert len(table) == 3 and table.columns[:3] == ["body", "earlier", "later"]


def test_blank_policy_is_the_cores():
    """years.py counts as 0 exactly what the core's identities count as 0 (SCHEMA:
    blank and na cells), read from _core, not written a second time."""
    from govdisclose import _core, years
    assert set(_core.BLANK_AS_ZERO) == {"empty", "na"}
    for kind, value in (("empty", None), ("na", None), ("text", None), ("number", 7)):
        cell = govdisclose.Cell(value=value, kind=kind, raw="", note=None, span=(0, 0))
        assert years._value(cell, False) == ((0, True) if kind in ("empty", "na")
                                             else (None, False) if kind == "text" else (7, False))
        assert years._value(cell, True) == ((7, False) if kind == "number" else (None, False))


def test_a_count_written_with_decimals_gives_an_int(corpus):
    """沭阳县 2025's 32 规范性文件 in force, written 32.0 (the cell then holds
    Decimal('32.0')): the in-force flow's actual is still the int 32, as
    Finding.actual (Optional[int]) promises."""
    data = (corpus / "shuyang-2025.txt").read_bytes()
    start, end = govdisclose.parse(data).active.normative_documents.in_force.span
    shuyang = govdisclose.parse(data[:start] + b"32.0" + data[end:])
    assert shuyang.active.normative_documents.in_force.raw == "32.0"
    kewei = govdisclose.parse((corpus / "shanghai-kewei-2024.md").read_bytes())
    [flow] = [f for f in govdisclose.reconcile_years([kewei, shuyang], key=lambda r: 1)
              if f.code == "active.in_force_flow"]
    assert (flow.expected, flow.actual) == (60, 32)
    assert type(flow.actual) is int and type(flow.expected) is int
