"""The long tail of real layouts (issue 14): signed deltas written in words, an
agency that is a pronoun, the year only in the prose.

Each text below is written out from the patterns of real pages of bodies not in the
corpus (district statistics bureaus, a county justice bureau, a town government),
as the issue describes them; the numbers are made up, the wording is theirs.
"""
import govdisclose

# ---- 本年增/减 (2019 template) ------------------------------------------------

# Section 二 of a 2019-template report as a PDF's text layer gives it (tab layout):
# real pages write the change as 减4, 增3, -4, +3, －4, ↓4, 减少4, 增加3 (湖北's 2020
# notes ask for "减用负值表示，如-8", TEMPLATES.md §4.1).
ACTIVE_2019 = """某县司法局2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t2\t2\t15
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t120\t{licensing}\t3560
其他对外管理服务事项\t35\t{services}\t880
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t210\t减少4\t96
行政强制\t18\t增加3\t{enforcement}
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t6\t↓4
三、收到和处理政府信息公开申请情况
"""


def test_deltas_written_in_words():
    text = ACTIVE_2019.format(licensing="减4", services="增3", enforcement="5")
    d = govdisclose.parse(text).to_dict()
    a = d["active"]
    got = {row: (a[row]["items_delta"]["value"], a[row]["items_delta"]["raw"])
           for row in ("licensing", "other_services", "penalties", "enforcement", "fees")}
    assert got == {"licensing": (-4, "减4"), "other_services": (3, "增3"),
                   "penalties": (-4, "减少4"), "enforcement": (3, "增加3"), "fees": (-4, "↓4")}
    # the next number stays in its row: nothing shifted out, nothing unplaced
    assert a["licensing"]["decisions"]["value"] == 3560
    assert a["other_services"]["decisions"]["value"] == 880
    assert a["penalties"]["decisions"]["value"] == 96
    assert d["unplaced"] == []
    codes = {f["code"] for f in d["findings"]}
    assert not codes & {"parse.unplaced_number", "parse.incomplete_row"}
    assert d["template"] == "2019"


def test_delta_signs_as_symbols():
    for raw, value in (("-4", -4), ("+3", 3), ("－4", -4), ("＋3", 3), ("↑3", 3)):
        d = govdisclose.parse(ACTIVE_2019.format(licensing=raw, services="0", enforcement="5"))
        cell = d.to_dict()["active"]["licensing"]["items_delta"]
        assert (cell["value"], cell["raw"], cell["kind"]) == (value, raw, "number")


def test_a_count_column_keeps_its_rules():
    """减4 in 处理决定数量 is words (kind text, raw kept), not -4, and it stays the
    cell it stands in."""
    d = govdisclose.parse(ACTIVE_2019.format(licensing="0", services="0",
                                             enforcement="减4")).to_dict()
    cell = d["active"]["enforcement"]["decisions"]
    assert (cell["value"], cell["kind"], cell["raw"]) == (None, "text", "减4")
    assert d["unplaced"] == []


# ---- The agency --------------------------------------------------------------

TABLES_2021 = """二、主动公开政府信息情况
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t12
"""


def test_a_pronoun_is_never_the_agency():
    """A page without a title whose opening says only 我局 (a county justice
    bureau's page): agency null, a warning naming the pronoun."""
    text = ("政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真梳理政府信息公开工作，"
            "全面落实《条例》要求。\n" + TABLES_2021)
    r = govdisclose.parse(text)
    assert r.agency is None
    f = [f for f in r.findings if f.code == "parse.agency_pronoun"]
    assert len(f) == 1 and f[0].severity == "warning" and '"我局"' in f[0].message


def test_the_announcement_names_the_agency():
    """"现公布区统计局2023年…" (a district statistics bureau's page): 区统计局, a partial
    name, is the agency when it is all there is; 我局 later is not."""
    text = ("现公布区统计局2023年政府信息公开工作年度报告。\n一、总体情况\n"
            "2023年，我局认真贯彻落实政府信息公开工作。\n" + TABLES_2021)
    r = govdisclose.parse(text)
    assert r.agency == "区统计局"
    s, e = r.metadata_spans["agency"]
    assert text.encode()[s:e].decode() == "区统计局"
    assert "parse.agency_pronoun" not in [f.code for f in r.findings]


def test_the_fullest_name_wins():
    """The title says 区统计局, the signature the full name: the full name is taken."""
    text = ("区统计局2023年政府信息公开工作年度报告\n一、总体情况\n"
            "2023年，我局认真贯彻落实政府信息公开工作。\n" + TABLES_2021 +
            "六、其他需要报告的事项\n无。\n\n北京市西城区统计局\n2024年1月20日\n")
    r = govdisclose.parse(text)
    assert r.agency == "北京市西城区统计局"
    assert r.year == 2023


def test_a_page_box_names_the_agency():
    """Only a pronoun in the text, the body in the page's 发布机构 box."""
    text = ("发布机构：某镇人民政府\n政府信息公开工作年度报告\n一、总体情况\n"
            "2023年，本机关认真贯彻落实政府信息公开工作。\n" + TABLES_2021)
    r = govdisclose.parse(text)
    assert r.agency == "某镇人民政府"
    assert "parse.agency_pronoun" not in [f.code for f in r.findings]


# ---- The year from the prose -------------------------------------------------


def _year_text(r, text):
    """The text the year was read from."""
    s, e = r.metadata_spans["year"]
    b = text.encode()
    return b[s:e].decode(), b[max(0, s - 7):s].decode(errors="replace")


def test_year_from_the_end_of_the_statistics_period():
    """No title, no 统计期限: "截止2023年12月31日" gives the year (a city veterans
    affairs bureau's page)."""
    text = ("政府信息公开工作年度报告\n本报告中所列数据截止2023年12月31日。\n"
            "一、总体情况\n我局认真贯彻落实政府信息公开工作。\n" + TABLES_2021)
    r = govdisclose.parse(text)
    assert r.year == 2023
    assert _year_text(r, text)[0] == "2023" and _year_text(r, text)[1].endswith("截止")


def test_year_from_the_opening_of_the_first_section():
    """"2023年，我局…" as the first section opens (a district approval bureau)."""
    text = ("政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真梳理政府信息公开工作。\n"
            + TABLES_2021 + "截至2024年1月，已办结。\n")
    r = govdisclose.parse(text)
    assert r.year == 2023
    assert _year_text(r, text) == ("2023", "情况\n")


def test_year_from_an_indented_opening_at_the_start():
    """A text that opens with the indented sentence itself ("  2023年，我局…", an
    excerpt; indented by spaces or a tab): the year is read there, the indent
    skipped back to the text's start."""
    for indent in ("  ", "\t", " \t"):
        text = indent + "2023年，我局认真梳理政府信息公开工作。\n" + TABLES_2021
        r = govdisclose.parse(text)
        assert r.year == 2023, repr(indent)
        assert _year_text(r, text)[0] == "2023"


def test_a_later_date_in_the_prose_is_not_the_period():
    """截至2024年1月 is not the end of a statistics period: the opening's year wins."""
    text = ("政府信息公开工作年度报告\n截至2024年1月10日，共收到申请3件。\n一、总体情况\n"
            "2023年，我局认真梳理政府信息公开工作。\n" + TABLES_2021)
    r = govdisclose.parse(text)
    assert r.year == 2023
    assert _year_text(r, text) == ("2023", "情况\n")


def test_a_label_is_not_a_pronoun(corpus):
    """huaian-2024-page4.txt (page 4 of a PDF: table rows only) writes
    "1.本机关不掌握相关政府信息" as a row label: no pronoun finding for it."""
    r = govdisclose.parse((corpus / "huaian-2024-page4.txt").read_text(encoding="utf-8"))
    assert r.agency is None
    assert "parse.agency_pronoun" not in [f.code for f in r.findings]


def test_the_seed_keeps_its_agency_and_year(corpus):
    """The seed's title names the body in full: nothing else replaces it."""
    r = govdisclose.parse((corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8"))
    assert (r.agency, r.year) == ("重庆市大足区公安局", 2021)
    assert not {"parse.agency_pronoun", "parse.traditional"} & {f.code for f in r.findings}


def test_until_at_the_end_of_the_text():
    """tests/fuzz/regressions/text/year-prose-until-at-end-reads-past-end: 截止 as the
    text's last word (the year search once read the byte after it)."""
    r = govdisclose.parse("3(截止")
    assert r.year is None
