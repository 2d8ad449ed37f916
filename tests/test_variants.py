"""Label variants, template differences, old reports and prose checks, on real reports.

Where the corpus has a report with the variant, that report is parsed as published;
otherwise a real report is parsed with one label replaced in the test (said beside it).
"""
import datetime

import pytest

import govdisclose


def read(corpus, name):
    return (corpus / name).read_text(encoding="utf-8")


def row_values(row):
    return [None if c is None else (c.value if c.kind == "number" else c.kind)
            for c in (getattr(row, f) for f in row.__dataclass_fields__)]


def replaced(text, old, new):
    assert text.count(old) == 1, f"{old!r} must occur once to be replaced"
    return text.replace(old, new)


# ---- Variants found in the corpus, as published ----

def test_typo_neiron_shiwu_is_internal_affairs(corpus):
    """二道区 2022 prints 5.属于三类内容事务信息 (内容 for 内部); cells blank there."""
    r = govdisclose.parse(read(corpus, "excerpt-erdao-2022.txt"))
    row = r.requests.withheld.internal_affairs
    assert row is not None and all(c.kind == "empty" for c in
                                   (row.natural_person, row.total))
    # and it is not taken for its neighbour 6.属于四类过程性信息
    assert r.requests.withheld.process_info is not None
    # its blank cells are the ones between its label and 6.'s (spans are byte offsets)
    data = read(corpus, "excerpt-erdao-2022.txt").encode()
    label = data.index("5.属于三类内容事务信息".encode()) + len("5.属于三类内容事务信息".encode())
    next_label = data.index("6.属于四类过程性信息".encode())
    assert label <= row.natural_person.span[0] <= row.total.span[1] <= next_label


def test_zhiji_zhe_yi_qingkuang_is_partly_granted(corpus):
    """二道区 2022: （二）部分公开（区分处理的，只计这一情况，…）; 予以公开 stays 18."""
    r = govdisclose.parse(read(corpus, "excerpt-erdao-2022.txt"))
    assert r.requests.granted.natural_person.value == 18
    assert r.requests.partly_granted is not None
    assert r.requests.partly_granted.natural_person.kind == "empty"


def test_xingzheng_fa_fuyi_heading(corpus):
    """平潭 2022 heads section 四 with 政府信息公开行政法复议、行政诉讼情况."""
    text = read(corpus, "pingtan-2022.txt")
    assert "行政法复议" in text
    r = govdisclose.parse(text)
    assert row_values(r.reviews.review) == [0, 1, 1, 0, 2]
    assert row_values(r.reviews.litigation_direct) == [1, 0, 0, 0, 1]


def test_historical_in_force_header(corpus):
    """汉阳区 2022 heads the column 现行有效件数 (历史累计); its 规章 row leaves it blank."""
    r = govdisclose.parse(read(corpus, "excerpt-hanyang-2022.txt"))
    assert row_values(r.active.rules)[:3] == [0, 0, "empty"]
    assert row_values(r.active.normative_documents)[:3] == [5, 12, 8]


def test_broken_label_of_2_qita_falv(corpus):
    """The 2.其他法律行政法规禁止公开 label is keyed by 其他法律: 洪泽区 2023's PDF prints
    2.其他法律行政止公开.  Here: 沐阳县 2025 with that label replaced."""
    text = replaced(read(corpus, "shuyang-2025.txt"), "2. 其他法律行政法规禁止公开", "2. 其他法律行政止公开")
    r = govdisclose.parse(text)
    assert row_values(r.requests.withheld.prohibited_by_law) == [0] * 7
    assert r.findings == govdisclose.parse(read(corpus, "shuyang-2025.txt")).findings
    assert [f.code for f in r.findings] == ["structure.article50"]


# ---- Variants not in the corpus: a real report with the label replaced ----

@pytest.mark.parametrize("old,new", [
    ("| 规章 |", "| 规章(设区的市、自治州人民政府应提供相关数据) |"),  # 湖北 2020 annotation
    ("| 行政规范性文件 |", "| 行政規範性檔案 |"),                     # traditional characters
    ("| 行政规范性文件 |", "| 规范性文件 |"),                         # the 2019 label
    ("| 规章 |", "| 规　章 |"),                                      # ideographic space inside
])
def test_active_label_variants(corpus, old, new):
    base = govdisclose.parse(read(corpus, "shuyang-2025.txt"))
    r = govdisclose.parse(replaced(read(corpus, "shuyang-2025.txt"), old, new))
    assert row_values(r.active.rules) == row_values(base.active.rules)
    assert row_values(r.active.normative_documents) == row_values(base.active.normative_documents)
    assert row_values(r.active.normative_documents)[:3] == [6, 1, 32]
    assert r.findings == base.findings  # only its 第五十条 finding: the label changes nothing


@pytest.mark.parametrize("new", [
    '3. 危及"三安全一稳定"', "3. 危及三安全一稳定", "3、危及“三安全一稳定”", "３．危及“三安全一稳定”",
])
def test_security_stability_variants(corpus, new):
    text = replaced(read(corpus, "shuyang-2025.txt"), "3. 危及“三安全一稳定”", new)
    r = govdisclose.parse(text)
    assert row_values(r.requests.withheld.security_stability) == [2, 0, 0, 0, 0, 0, 2]
    assert r.findings == govdisclose.parse(read(corpus, "shuyang-2025.txt")).findings


# ---- Templates ----

def test_2019_ids_stay_null_in_a_2021_report(corpus):
    r = govdisclose.parse(read(corpus, "dazu-gaj-2021.txt"))
    assert r.template == "2021"
    assert r.active.rules.new_made is None and r.active.licensing.items_prev is None
    assert r.active.other_services is None and r.active.procurement is None
    assert r.requests.other.all is None
    assert r.active.rules.issued.value == 0


def test_2021_ids_stay_null_in_a_2019_report(corpus):
    r = govdisclose.parse(read(corpus, "pingtan-2019.txt"))
    assert r.template == "2019"
    assert r.active.rules.issued is None and r.active.rules.in_force is None
    assert r.active.rules.new_made.value == 0
    assert r.requests.other.no_correction is None and r.requests.other.other is None
    assert row_values(r.requests.other.all) == [0] * 7


def test_negative_delta_of_2019(corpus):
    """平潭 2020: 行政事业性收费 35 | -15 (本年增/减 keeps its sign)."""
    r = govdisclose.parse(read(corpus, "pingtan-2020.txt"))
    assert r.active.fees.items_prev.value == 35
    assert r.active.fees.items_delta.value == -15


def test_pre_2019_report(corpus):
    r = govdisclose.parse(read(corpus, "pingtan-2011.txt"))
    assert r.template == "unknown"
    assert (r.active, r.requests, r.reviews) == (None, None, None)
    # published 2012-04-11, after 31 March: late under the 2008 条例 (第三十一条)
    assert [(f.code, f.severity) for f in r.findings] == [
        ("parse.pre_template", "info"), ("published.late", "warning")]
    assert r.findings[1].actual == 11
    assert (r.agency, r.year) == ("平潭综合实验区", 2011)


# ---- Metadata ----

@pytest.mark.parametrize("name,agency,year", [
    ("excerpt-erdao-2022.txt", "二道区房屋征收工作管理办公室", 2022),  # opening sentence
    ("excerpt-hanyang-2022.txt", "区政府办公室", 2022),
    ("excerpt-xiqu-audit-2020.txt", "攀枝花市西区审计局", 2020),          # title
])
def test_agency_and_year_without_a_usual_title(corpus, name, agency, year):
    r = govdisclose.parse(read(corpus, name))
    assert (r.agency, r.year) == (agency, year)


# ---- Prose versus tables ----

DAZU_PROSE = "区公安局共受理政府信息公开申请3条（结转下年度办理1条），转结上年度办理1条"


def test_prose_that_agrees_says_nothing(corpus):
    text = read(corpus, "dazu-gaj-2021.txt")
    assert DAZU_PROSE in text
    assert govdisclose.parse(text).findings == ()


@pytest.mark.parametrize("old,new,cell,expected,actual", [
    ("受理政府信息公开申请3条", "受理政府信息公开申请5条", "requests.new.total", 3, 5),
    # the other verbs reports use for the applications received
    ("受理政府信息公开申请3条", "收到政府信息公开申请5条", "requests.new.total", 3, 5),
    ("受理政府信息公开申请3条", "新收政府信息公开申请5条", "requests.new.total", 3, 5),
    ("受理政府信息公开申请3条", "接收政府信息公开申请5条", "requests.new.total", 3, 5),
    ("结转下年度办理1条", "结转下年度办理2条", "requests.carried_forward.total", 1, 2),
    ("转结上年度办理1条", "转结上年度办理4条", "requests.carried_over.total", 1, 4),
])
def test_prose_that_disagrees(corpus, old, new, cell, expected, actual):
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"), old, new))
    assert [(f.code, f.severity, f.cell, f.expected, f.actual) for f in r.findings] == [
        ("text.mismatch", "warning", cell, expected, actual)]


@pytest.mark.parametrize("old,new,found", [
    # full-width digits (EF BC 90-99) are read as counts, beside full-width
    # punctuation (EF BC 88 （, EF BC 8C ，) that is no digit
    ("受理政府信息公开申请3条", "受理政府信息公开申请３条", []),
    ("受理政府信息公开申请3条", "受理政府信息公开申请５条", [("requests.new.total", 3, 5)]),
    ("结转下年度办理1条", "结转下年度办理２条", [("requests.carried_forward.total", 1, 2)]),
    ("结转下年度办理1条）", "结转下年度办理１１条）", [("requests.carried_forward.total", 1, 11)]),
])
def test_prose_full_width_digits(corpus, old, new, found):
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"), old, new))
    assert [(f.cell, f.expected, f.actual) for f in r.findings
            if f.code == "text.mismatch"] == found


@pytest.mark.parametrize("said", ["受理政府信息公开申请3条(较上年增加2条)",
                                  "受理政府信息公开申请3条:较上年增加2条"])
def test_a_count_after_ascii_brackets_or_colon_is_its_own_clause(corpus, said):
    """较上年增加2条 after an ASCII ( or : is a clause of its own, as after （ or ：: the
    change from last year, not a second count of the applications received."""
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"), "受理政府信息公开申请3条", said))
    assert r.findings == ()


def test_ambiguous_shouli_is_read_both_ways(corpus):
    """受理 4 = 新收 3 + 上年结转 1: one of the two readings holds, so nothing is flagged."""
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"),
                                   "受理政府信息公开申请3条", "受理政府信息公开申请4条"))
    assert r.findings == ()


def test_prose_at_the_very_start_of_the_text(corpus):
    """A text that begins with the sentence itself (an excerpt of 大足's tables after
    受理政府信息公开申请5条。): its clause is read from the text's first byte, 受理
    and all, and checked against table 三's 3."""
    text = read(corpus, "dazu-gaj-2021.txt")
    excerpt = "受理政府信息公开申请5条。\n" + text[text.index("二、主动公开政府信息情况"):]
    r = govdisclose.parse(excerpt)
    assert [(f.cell, f.expected, f.actual) for f in r.findings if f.code == "text.mismatch"] == [
        ("requests.new.total", 3, 5)]


def test_prose_checked_when_a_table_is_missing(corpus):
    """dazu without its table 四 (section 四 cut out): section 一 still ends where the
    first table present begins, so its 受理 5 is still checked against table 三's 3."""
    text = read(corpus, "dazu-gaj-2021.txt")
    cut = text[:text.index("四、政府信息公开行政复议、行政诉讼情况")] + text[text.index("五、存在的主要问题"):]
    r = govdisclose.parse(replaced(cut, "受理政府信息公开申请3条", "受理政府信息公开申请5条"))
    assert r.reviews is None and r.requests is not None
    assert [(f.cell, f.expected, f.actual) for f in r.findings if f.code == "text.mismatch"] == [
        ("requests.new.total", 3, 5)]


def test_prose_reviews_and_suits(corpus):
    """平潭 2023: 行政复议案件2件、行政诉讼案件7件 agree with table 四 (2; 5 + 2)."""
    text = read(corpus, "pingtan-2023.txt")
    assert "行政复议案件2件" in text and "行政诉讼案件7件" in text
    assert not [f for f in govdisclose.parse(text).findings if f.code == "text.mismatch"]
    r = govdisclose.parse(replaced(text, "行政诉讼案件7件", "行政诉讼案件9件"))
    assert [(f.code, f.cell, f.expected, f.actual) for f in r.findings
            if f.code == "text.mismatch"] == [
        ("text.mismatch", "reviews.litigation_direct.total", 7, 9)]


def test_pre_2019_statistics_are_kept(corpus):
    """平潭 2011's 统计表 (指标名称 | 计量单位 | 2011年度 | 历年累计): each row kept with
    its label and values, outside the template's ids."""
    r = govdisclose.parse(read(corpus, "pingtan-2011.txt"))
    rows = {x.label: [c.value for c in x.cells] for x in r.statistics}
    assert rows["主动公开信息数"] == [425, 1516]
    assert rows["其中：1.网站公开"] == [418, 1509]
    assert rows["2.政府公报公开"] == [7, 7]
    assert r.to_dict()["statistics"][0]["label"] == "主动公开信息数"
    assert govdisclose.parse(read(corpus, "dazu-gaj-2021.txt")).statistics == ()


def test_pre_2019_statistics_run_together_are_text(corpus):
    """平潭县 2013 runs the cells together ('网站公开条171350172.政府…' is 1713 | 5017):
    no split can be trusted, so the digits stay as text, never a wrong number."""
    r = govdisclose.parse(read(corpus, "pingtan-county-2013.txt"))
    cells = [c for x in r.statistics for c in x.cells]
    assert cells and all(c.kind == "text" and c.value is None for c in cells)


@pytest.mark.parametrize("name,agency,year,dated", [
    ("dazu-gaj-2021.txt", "重庆市大足区公安局", "2021", "2022年1月20日"),
    ("shuyang-2025.txt", "沐阳县人民政府", "2025", "2026年1月23日"),
])
def test_metadata_keeps_its_spans(corpus, name, agency, year, dated):
    """Like a cell, each metadata value can be cited: its span is where it was read.
    Neither report states a publication date: the date at its end is when it was signed."""
    data = (corpus / name).read_bytes()
    r = govdisclose.parse(data)
    assert r.metadata_spans["published"] is None
    got = {k: None if v is None else data[v[0]:v[1]].decode()
           for k, v in r.metadata_spans.items()}
    assert got == {"agency": agency, "year": year, "published": None, "dated": dated}


def test_byte_order_mark_is_no_part_of_the_agency(corpus):
    from govdisclose import _core
    d = _core.parse("\ufeff" + read(corpus, "dazu-gaj-2021.txt"))
    assert d["agency"] == "重庆市大足区公安局"


def test_a_bare_suffix_names_no_region(corpus):
    """汉阳区 2022's opening sentence names 区政府办公室: no place is named, so no region."""
    r = govdisclose.parse(read(corpus, "excerpt-hanyang-2022.txt"))
    assert (r.agency, r.region, r.level) == ("区政府办公室", None, None)


def test_reports_stay_hashable(corpus):
    r = govdisclose.parse(read(corpus, "dazu-gaj-2021.txt"))
    assert hash(r) == hash(govdisclose.Report.from_dict(r.to_dict(), text=r.text))


def test_fullwidth_bracket_closed_by_ascii(corpus):
    """大足区公安局 2021 writes 211184（含交通行政处罚实施数量209995）; copies of such
    reports often close the full-width bracket with an ASCII ')' (and the other way
    round).  The note is kept either way, and the 209995 inside it is not a cell."""
    text = read(corpus, "dazu-gaj-2021.txt")
    for old, new in [("209995）", "209995)"), ("（含交通行政处罚", "(含交通行政处罚")]:
        r = govdisclose.parse(replaced(text, old, new))
        count = r.active.penalties.count
        assert (count.value, count.note) == (211184, "含交通行政处罚实施数量209995")
        assert r.active.enforcement.count.value == 3945
        assert r.findings == () and r.unplaced == ()


def test_row_cut_short_is_named(corpus):
    """二道区 2022's excerpt ends inside 8.属于行政查询事项, after 4 of its 7 cells: the
    warning names that row (its path, not one of its cells') and the count."""
    r = govdisclose.parse(read(corpus, "excerpt-erdao-2022.txt"))
    [f] = [f for f in r.findings if f.code == "parse.incomplete_row"]
    assert (f.severity, f.table, f.cell) == ("warning", "requests", "requests.withheld.inquiry")
    assert f.message == "requests.withheld.inquiry has 4 of its 7 cells; the others are missing"


def test_table_of_contents_before_the_body(corpus):
    """Many reports open with a 目录 that lists the six section headings, so each table's
    heading appears twice.  大足区公安局 2021 with such a list put before 一、总体情况:
    its tables are read from the body as without the list (3 new applications from
    natural persons, 211184 penalties), with no finding."""
    text = read(corpus, "dazu-gaj-2021.txt")
    headings = [ln for ln in text.split("\n") if ln[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert len(headings) == 6
    start = text.index("一、总体情况")
    r = govdisclose.parse(text[:start] + "目录\n" + "\n".join(headings) + "\n\n" + text[start:])
    plain = govdisclose.parse(text)
    for table in ("active", "requests", "reviews"):
        assert r.to_dict(cells="value")[table] == plain.to_dict(cells="value")[table], table
    assert r.requests.new.natural_person.value == 3
    assert r.active.penalties.count.value == 211184
    assert r.findings == ()


@pytest.mark.parametrize("agency,level", [
    ("上海市人民政府", "province"), ("北京市人民政府", "province"), ("天津市人民政府", "province"),
    ("重庆市人民政府", "province"), ("苏州市人民政府", "city")])
def test_municipalities_are_provinces(corpus, agency, level):
    """上海市科委 2024's title with the people's government of a place instead: the four
    municipalities under the central government (直辖市) rank as provinces, another 市
    as a city."""
    text = replaced(read(corpus, "shanghai-kewei-2024.md"), "2024 年上海市科委政府信息公开工作",
                    f"2024 年{agency}政府信息公开工作")
    r = govdisclose.parse(text)
    assert (r.agency, r.level, r.region) == (agency, level, agency[:3])


@pytest.mark.parametrize("heading", ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                     "四、政府信息公开行政复议、行政诉讼情况"])
def test_table_without_its_heading(corpus, heading):
    """A scrape that lost a table's heading line: 大足区公安局 2021 without it.  The table
    is found by its own row labels and read as with the heading (3 new applications
    from natural persons, 211184 penalties, table 四 all zeros)."""
    text = read(corpus, "dazu-gaj-2021.txt")
    r = govdisclose.parse(replaced(text, heading + "\n", ""))
    plain = govdisclose.parse(text)
    for table in ("active", "requests", "reviews"):
        assert r.to_dict(cells="value")[table] == plain.to_dict(cells="value")[table], table
    assert r.requests.new.natural_person.value == 3
    assert r.active.penalties.count.value == 211184
    assert r.reviews.review.total.value == 0


def test_title_year_out_of_range_is_not_the_year(corpus):
    """攀枝花市西区审计局 2020 with its title's year mistyped as 2101 (one digit pair
    swapped, a typo of the kind copies show): years past 2100 are not taken, so the title
    gives neither year nor agency, and both come from the opening sentence as published
    (2020年,西区审计局认真贯彻...)."""
    text = replaced(read(corpus, "excerpt-xiqu-audit-2020.txt"),
                    "西区审计局2020年政府信息公开", "西区审计局2101年政府信息公开")
    r = govdisclose.parse(text)
    assert (r.agency, r.year) == ("西区审计局", 2020)


def test_numerals_listed_in_prose_are_no_heading(corpus):
    """第一、二、三季度 in section 一: 二、 after 、 (not after a sentence's 。) starts no
    heading, so the report reads as before, with nothing to say."""
    text = read(corpus, "dazu-gaj-2021.txt")
    listed = replaced(text, "严格按照《条例》，做好", "严格按照《条例》，在第一、二、三季度做好")
    r, before = govdisclose.parse(listed), govdisclose.parse(text)
    assert r.findings == ()
    values, want = r.to_dict(cells="value"), before.to_dict(cells="value")
    assert [values[t] for t in ("active", "requests", "reviews")] == \
        [want[t] for t in ("active", "requests", "reviews")]


def test_opening_sentence_starts_with_a_year(corpus):
    """The opening sentence names the body after the report's year (a year 1990-2100,
    as the title's) and a comma: a sentence before it that starts with a count of years
    (近3年,) or has no comma after its year is not the opening sentence, and its subject
    is not the agency."""
    for before in ("近3年,区住房和城乡建设局持续推进征收工作。",
                   "2021年全区住房和城乡建设局持续推进征收工作。"):  # and a comma after the year
        text = replaced(read(corpus, "excerpt-erdao-2022.txt"), "一、总体情况\n2022年,",
                        "一、总体情况\n" + before + "2022年,")
        assert govdisclose.parse(text).agency == "二道区房屋征收工作管理办公室", before


def test_signature_gives_the_full_name(corpus):
    """大足区公安局 2021 with its title naming only 区公安局 (the body without its place, as
    the report's own prose says 区公安局): the signature above the closing date, as
    published (重庆市大足区公安局), gives the full name, and its span is that line."""
    data = replaced(read(corpus, "dazu-gaj-2021.txt"), "重庆市大足区公安局\n\n2021年",
                    "区公安局\n\n2021年").encode()
    r = govdisclose.parse(data)
    assert (r.agency, r.region) == ("重庆市大足区公安局", "重庆市大足区")
    start, end = r.metadata_spans["agency"]
    assert data[start:end].decode() == "重庆市大足区公安局"
    # the line just above the closing date (2022年1月20日)
    assert data[end:r.metadata_spans["dated"][0]].strip() == b""


# A line taken whole as the agency's name (above the title, or the signature above the
# closing date) holds at most 90 bytes: 30 Chinese characters, longer than any body's
# name in the corpus; a longer line is prose.  Both sides of that limit, for both lines.
NAME_90 = "重庆市大足区公安局交通巡逻警察支队高速公路第一大队龙水湖中队"  # 30 characters
NAME_91 = "重庆市大足区公安局交通巡逻警察支队G高速公路第一大队龙水湖中队"  # and one ASCII letter


def test_name_above_the_title_at_the_length_limit(corpus):
    text = read(corpus, "dazu-gaj-2021.txt")
    assert len(NAME_90.encode()) == 90 and len(NAME_91.encode()) == 91
    head = "重庆市大足区公安局\n\n2021年政府"
    r = govdisclose.parse(replaced(text, head, NAME_90 + "\n\n2021年政府"))
    assert r.agency == NAME_90
    # the same below the site's navigation line: the name line need not open the text
    data = ("首页 > 政务公开 > 政府信息公开年报\n" + replaced(text, head, NAME_90 + "\n\n2021年政府")).encode()
    r = govdisclose.parse(data)
    start, end = r.metadata_spans["agency"]
    assert r.agency == NAME_90 and data[start:end].decode() == NAME_90
    # 91 bytes: not a name; the body's name comes from the report's own first paragraph
    r = govdisclose.parse(replaced(text, head, NAME_91 + "\n\n2021年政府"))
    assert r.agency == "重庆市大足区公安局"


def test_signature_at_the_length_limit(corpus):
    """dazu with its name only in the signature (the line above the title gone, the
    opening sentence saying 我局)."""
    text = replaced(read(corpus, "dazu-gaj-2021.txt"), "重庆市大足区公安局\n\n2021年政府", "2021年政府")
    text = replaced(text, "2021年，重庆市大足区公安局在", "2021年，我局在")
    sig = "重庆市大足区公安局    \n\n2022年1月20日"
    data = replaced(text, sig, NAME_90 + "    \n\n2022年1月20日").encode()
    r = govdisclose.parse(data)
    assert r.agency == NAME_90
    start, end = r.metadata_spans["agency"]
    assert data[start:end].decode() == NAME_90
    r = govdisclose.parse(replaced(text, sig, NAME_91 + "    \n\n2022年1月20日"))
    assert r.agency is None


@pytest.mark.parametrize("digits", [365, 600])
def test_a_long_finding_message_is_whole(digits):
    """Finding messages of 512 bytes (the core's first buffer holds 511 and its NUL)
    and more: the parse.glued_cells of a run of digits quotes every digit and ends
    as it should."""
    row = "一、本年新收政府信息公开申请数量"
    r = govdisclose.parse("三、收到和处理政府信息公开申请情况\n" + row + "5" * digits + "\n")
    (f,) = [f for f in r.findings if f.code == "parse.glued_cells"]
    assert f.message.startswith("requests.new: the digits '" + "5" * digits + "' were run together")
    assert f.message.endswith("the digits listed in unplaced")
    assert len(f.message.encode()) == (512 if digits == 365 else 747)


def test_signature_on_the_first_line():
    """The line above the closing date found back to the very start of the text: a
    text that is only the signature and its date keeps the name whole."""
    r = govdisclose.parse("重庆市大足区公安局\n2022年1月20日\n")
    assert (r.agency, r.dated) == ("重庆市大足区公安局", datetime.date(2022, 1, 20))
    assert r.metadata_spans["agency"] == (0, len("重庆市大足区公安局".encode()))


def test_one_na_cell_is_named_in_the_singular(corpus):
    """dazu with 予以公开·商业企业 printed — (na): the column and row totals through it hold
    only when it counts as 0 (info), and in strict mode cannot be checked (warning);
    each finding names that one cell, in the singular."""
    row = "\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n"
    text = replaced(read(corpus, "dazu-gaj-2021.txt"), row,
                    "\t（一）予以公开\n\t2\n\t—\n\t0\n\t0\n\t0\n\t0\n\t2\n")
    one = "1 blank or na cell (first: requests.granted.commercial)"
    for strict, severity, says in ((False, "info", "holds only when " + one + " count as 0"),
                                   (True, "warning", "not checkable in strict mode, " + one)):
        r = govdisclose.parse(text, strict=strict)
        assert [(f.code, f.severity, f.cell) for f in r.findings] == [
            ("requests.column_total", severity, "requests.total.commercial"),
            ("requests.row_total", severity, "requests.granted.total")]
        assert all(says in f.message for f in r.findings)


def test_na_in_the_first_column_is_counted_once(corpus):
    """dazu with 部分公开·自然人 printed — (na) in a row of zeros: its row total holds
    only when that one cell counts as 0, and so does 自然人's column total; each
    finding counts one blank cell, not two (the first column is also where an
    identity's terms start)."""
    row = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n\t0\n"
    text = replaced(read(corpus, "dazu-gaj-2021.txt"), row,
                    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n\t—\n")
    r = govdisclose.parse(text)
    assert [(f.code, f.severity, f.cell) for f in r.findings] == [
        ("requests.column_total", "info", "requests.total.natural_person"),
        ("requests.row_total", "info", "requests.partly_granted.total")]
    one = "holds only when 1 blank or na cell (first: requests.partly_granted.natural_person) count as 0"
    assert all(one in f.message for f in r.findings), [f.message for f in r.findings]


def test_cells_split_from_run_together_digits_keep_their_spans(corpus):
    """大足's 予以公开 row printed run together (2000002): split where the row's total
    allows one reading only (2, 0, 0, 0, 0, 0, 2), each cell's span is its own digit."""
    row = "\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n"
    data = replaced(read(corpus, "dazu-gaj-2021.txt"), row, "（一）予以公开 2000002 件\n").encode()
    r = govdisclose.parse(data)
    assert [f.code for f in r.findings] == ["parse.glued_cells"]
    at = data.index(b"2000002")
    g = r.requests.granted
    cells = [getattr(g, f) for f in g.__dataclass_fields__]
    assert [c.value for c in cells] == [2, 0, 0, 0, 0, 0, 2]
    assert [c.span for c in cells] == [(at + k, at + k + 1) for k in range(7)]


def test_run_together_row_whose_reading_takes_a_long_search(corpus):
    """A large agency's 予以公开 row (5251, 8629, 5888, 9729, 4226, 53; 总计 33776)
    printed run together in 27 digits: the one reading whose total holds lies deep
    in the search, which its prunings (a partial sum past the largest total the
    digits left can write stops a branch) keep within the splitter's step bound:
    the row is read, not called ambiguous."""
    values = [5251, 8629, 5888, 9729, 4226, 53, 33776]
    assert sum(values[:6]) == values[6]
    row = "\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n"
    digits = "".join(str(v) for v in values)
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"), row,
                                   "（一）予以公开 " + digits + " 件\n"))
    assert row_values(r.requests.granted) == values
    assert not [u for u in r.unplaced if digits in u.text]


def test_markdown_quoted_line_by_line_reads_the_same(corpus):
    """上海科委's markdown report with every line quoted ("> ", as a reply or a
    forum post quotes it): the quote markers are skipped, so every cell, finding
    and unplaced number reads as in the report itself (spans move by the markers)."""
    from test_gold import cells_of
    text = read(corpus, "shanghai-kewei-2024.md")
    quoted = "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))
    plain, reply = govdisclose.parse(text), govdisclose.parse(quoted)

    def values(r):
        return {p: (c["value"], c["kind"], c["raw"], c["note"])
                for p, c in cells_of(r.to_dict()).items()}
    assert values(reply) == values(plain) and len(values(plain)) > 100
    assert [f.message for f in reply.findings] == [f.message for f in plain.findings]
    assert [u.text for u in reply.unplaced] == [u.text for u in plain.unplaced]


@pytest.mark.parametrize("digits, granted", [
    # 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 both satisfy the row's total: the first is right
    ("110000011", [1, 10, 0, 0, 0, 0, 11]),
    # eight splits into seven cells without leading zeros satisfy the row's total
    # (enumerated in Python), the right one last in the order the splitter finds them
    # (shortest first cell first)
    ("1011110020133", [101, 11, 1, 0, 0, 20, 133]),
])
def test_run_together_row_read_by_the_column_totals(corpus, digits, granted):
    """大足's 予以公开 printed run together so that its row total allows several readings;
    its 新收 and 总计 rows rewritten to match the right one (with 其他's 1 in 总计 and
    上年结转 1 = 结转下年度 1) let the column totals choose it among all of them."""
    text = read(corpus, "dazu-gaj-2021.txt")
    row = lambda label, values: "\t" + label + "\n" + "".join(f"\t{v}\n" for v in values)
    new = [granted[0] + 1] + granted[1:6] + [granted[6] + 1]
    text = replaced(text, row("一、本年新收政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
                    row("一、本年新收政府信息公开申请数量", new))
    text = replaced(text, row("（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
                    "（一）予以公开 " + digits + " 件\n")
    text = replaced(text, row("（七）总计", [3, 0, 0, 0, 0, 0, 3]), row("（七）总计", new))
    r = govdisclose.parse(text)
    assert row_values(r.requests.granted) == granted
    assert "parse.glued_cells" in [f.code for f in r.findings]
    assert not [f for f in r.findings if f.code.startswith("requests.")]  # every identity holds


@pytest.mark.parametrize("values", [
    [0, 0, 0, 0, 0, 999999999999999999, 999999999999999999],  # the largest count: 18 digits
    [5, 0, 0, 0, 0, 10 ** 17, 10 ** 17 + 5],
])
def test_run_together_row_of_18_digit_counts(corpus, values):
    """大足's 予以公开 printed run together with cells of 18 digits (GD_MAX_DIGITS, the
    longest count the core reads): the one reading whose total holds is taken."""
    row = "\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n"
    digits = "".join(str(v) for v in values)
    assert len(digits) == 41
    r = govdisclose.parse(replaced(read(corpus, "dazu-gaj-2021.txt"), row,
                                   "（一）予以公开 " + digits + " 件\n"))
    assert row_values(r.requests.granted) == values


def test_rows_that_lost_their_labels_are_reported(corpus):
    """上海市科委 2024: a broken converter pulled table 三's multi-line labels out of their rows;
    its gold file's comment pairs 10 floating labels with 10 rows of values in template order
    (（二）部分公开, 2.其他法律行政法规禁止公开, 5.属于三类内部事务信息, （四）1-3, （五）4 and 5,
    （六）1 and 2).  One warning on the table says so."""
    r = govdisclose.parse(read(corpus, "shanghai-kewei-2024.md"))
    found = [f for f in r.findings if f.code == "parse.unlabelled_rows"]
    assert [(f.severity, f.table, f.cell, f.message) for f in found] == [
        ("warning", "requests", None,
         "table requests: 10 rows of values had lost their labels; they were given, in template "
         "order, to the 10 rows whose labels stood apart")]


def test_run_together_rows_of_table_3_are_split(corpus):
    """平潭 2019's text copy runs each row of table 三 together (一、本年新收… 230 000023,
    二、上年结转… 0000000, … （七）总计 23 0 00 0 023): its 23 rows each split one way only
    under the row total (总计 = the six columns), so one summary warning counts them and no row
    of the table is reported as run together."""
    r = govdisclose.parse(read(corpus, "pingtan-2019.txt"))
    glued = [f for f in r.findings if f.code == "parse.glued_cells" and f.table == "requests"]
    assert [(f.severity, f.cell, f.message) for f in glued] == [
        ("warning", None, "table requests: 23 rows of digits run together were split where the "
                          "table's own totals allow one reading only")]
    assert row_values(r.requests.new) == [23, 0, 0, 0, 0, 0, 23]
