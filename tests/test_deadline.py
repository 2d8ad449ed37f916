"""The statutory deadline (《条例》第四十九条) for each kind of body, on real
agencies' names from the corpus, and the findings published.late / dated.late.

Each kind of body is a real report of the corpus as it stands, or 大足's
report with its agency's name replaced by a real name the corpus prints
(北厝镇 and 张江高新区 appear in the 平潭 and 上海科委 reports).
"""
import datetime

import pytest

import govdisclose

D = datetime.date
RULE_49 = "《条例》第四十九条"


def parse(corpus, name):
    return govdisclose.parse_file(corpus / name)


@pytest.mark.parametrize("name, agency, level, deadline, days_late", [
    # departments of a government at county level or above: 31 January
    ("dazu-gaj-2021.txt", "重庆市大足区公安局", "department", D(2022, 1, 31), -11),
    ("excerpt-xiqu-audit-2020.txt", "攀枝花市西区审计局", "department", D(2021, 1, 31), -20),
    ("shanghai-kewei-2024.md", "上海市科委", "department", D(2025, 1, 31), None),
    # the 办公厅's own report, published on the last day: on time
    ("pages/shanghai-gov-2019.html", "上海市人民政府办公厅", "department", D(2020, 1, 31), 0),
    # local governments at county level or above: 31 March
    ("shuyang-2025.txt", "沐阳县人民政府", "county", D(2026, 3, 31), -67),
    ("hongze-2023.pdf", "洪泽区人民政府", "county", D(2024, 3, 31), None),
    ("huaian-2024.pdf", "淮安市人民政府", "city", D(2025, 3, 31), None),
    # a zone whose kind sets its level (综合实验区): 31 March
    ("pages/pingtan-2023.html", "平潭综合实验区", "zone", D(2024, 3, 31), -23),
    ("pingtan-2020.txt", "平潭综合实验区", "zone", D(2021, 3, 31), -26),
])
def test_deadline_of_each_kind(corpus, name, agency, level, deadline, days_late):
    r = parse(corpus, name)
    assert (r.agency, r.level, r.deadline, r.days_late) == (agency, level, deadline, days_late)
    assert r.deadline_rule.startswith(RULE_49)
    assert "31 January" in r.deadline_rule if level == "department" else "31 March" in \
        r.deadline_rule
    assert not [f for f in r.findings if f.code in ("published.late", "dated.late")]


def renamed(corpus, new_name: str, year_shift: int = 0) -> str:
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    assert text.count("重庆市大足区公安局") >= 2
    return text.replace("重庆市大足区公安局", new_name)


@pytest.mark.parametrize("agency, level, why", [
    # a township (and its bodies): the article covers it not
    ("平潭综合实验区北厝镇人民政府", "township", "township government"),
    ("平潭综合实验区北厝镇财政所", "department", "bodies of a township"),
    # a 高新区 or 开发区 may be of any level: the name does not tell
    ("张江高新区管委会", "zone", "does not tell the level of the zone"),
    ("高新区管委会", "zone", "does not tell the level of the zone"),
    ("广州经济技术开发区管委会", "zone", "does not tell the level of the zone"),
])
def test_no_deadline_is_said_so(corpus, agency, level, why):
    r = govdisclose.parse(renamed(corpus, agency))
    assert (r.agency, r.level, r.deadline, r.days_late) == (agency, level, None, None)
    assert why in r.deadline_rule
    assert not [f for f in r.findings if f.code.endswith(".late")]


def test_a_new_area_is_a_zone_at_county_level_or_above(corpus):
    """A 新区 (国家级新区 such as 重庆两江新区, a name the corpus does not print) is a zone
    above county level, as 综合实验区 is: its governing body reports by 31 March."""
    r = govdisclose.parse(renamed(corpus, "重庆两江新区管理委员会"))
    assert (r.level, r.deadline) == ("zone", D(2022, 3, 31))
    assert "31 March" in r.deadline_rule


@pytest.mark.parametrize("agency", [
    "福建省人民政府",  # a province (its name is printed by the 平潭 reports)
    "上海市人民政府",  # a municipality under the State Council is a province
])
def test_a_provincial_government_reports_by_31_march(corpus, agency):
    r = govdisclose.parse(renamed(corpus, agency))
    assert (r.agency, r.level, r.deadline) == (agency, "province", D(2022, 3, 31))
    assert r.deadline_rule.startswith(RULE_49) and "31 March" in r.deadline_rule


@pytest.mark.parametrize("year, deadline, rule", [
    (2007, None, "no deadline: the 条例 took effect on 1 May 2008"),
    (2008, D(2009, 3, 31), "2008年《条例》第三十一条"),
    (2018, D(2019, 3, 31), "2008年《条例》第三十一条"),
    (2019, D(2020, 1, 31), RULE_49),
])
def test_which_条例_sets_the_deadline(corpus, year, deadline, rule):
    """大足公安局 (a department) moved to the years where the rule changes: the 2008
    条例 from reports on 2008 (every body by 31 March) to those on 2018, the 2019
    条例 (a department by 31 January) from reports on 2019."""
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8").replace(
        "2021年", f"{year}年")
    r = govdisclose.parse(text)
    assert (r.year, r.level, r.deadline) == (year, "department", deadline)
    assert r.deadline_rule.startswith(rule)


def test_no_deadline_when_the_name_does_not_tell(corpus):
    r = parse(corpus, "excerpt-hanyang-2022.txt")  # "区政府办公室": which 区?
    assert (r.agency, r.level, r.deadline) == ("区政府办公室", None, None)
    assert "does not tell which body" in r.deadline_rule


def test_department_of_a_zone(corpus):
    """平潭综合实验区地方税务局 2013: the 2008 条例 (every body by 31 March); as a
    report on 2021 a department of a county-level-or-above zone (31 January)."""
    r = parse(corpus, "pingtan-dishui-2013.txt")
    assert (r.level, r.deadline, r.days_late) == ("department", D(2014, 3, 31), -34)
    assert r.deadline_rule.startswith("2008年《条例》第三十一条")
    r = govdisclose.parse(renamed(corpus, "平潭综合实验区地方税务局"))
    assert (r.level, r.deadline) == ("department", D(2022, 1, 31))


@pytest.mark.parametrize("name, published, late", [
    ("pingtan-2011.txt", D(2012, 4, 11), 11),
    ("pingtan-county-2011.txt", D(2012, 4, 18), 18),
])
def test_published_late_under_the_2008_rule(corpus, name, published, late):
    r = parse(corpus, name)
    assert (r.published, r.deadline, r.days_late) == (published, D(2012, 3, 31), late)
    (f,) = [f for f in r.findings if f.code == "published.late"]
    assert (f.severity, f.actual, f.expected) == ("warning", late, None)
    assert f.message == (f"published {published.isoformat()}, {late} days after the deadline "
                         f"2012-03-31 [{r.deadline_rule}]")


@pytest.mark.parametrize("year, days", [
    (2099, 29),  # 2100 is no leap year: a century not divisible by 400
    (2023, 30),  # 2024 is one: 29 February lies between
])
def test_days_late_across_29_february(corpus, year, days):
    """大足's report moved to another year and signed 1 March of the next: days past
    31 January as Python's calendar counts them."""
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8").replace(
        "2021年", f"{year}年")
    assert text.count("2022年1月20日") == 1
    r = govdisclose.parse(text.replace("2022年1月20日", f"{year + 1}年3月1日"))
    deadline = D(year + 1, 1, 31)
    late = (D(year + 1, 3, 1) - deadline).days
    assert (r.year, r.dated, r.deadline, r.days_late, late) == (
        year, D(year + 1, 3, 1), deadline, late, days)
    (f,) = [f for f in r.findings if f.code == "dated.late"]
    assert f.actual == late and f"{late} days after the deadline {deadline}" in f.message

def test_published_late_from_the_page(corpus):
    """平潭 2025's page with its 时间 moved past 31 March: late, cited where the page says it."""
    page = (corpus / "pages" / "pingtan-2025.html").read_bytes()
    assert page.count("时间：2026-03-10".encode()) == 1
    late = page.replace("时间：2026-03-10".encode(), "时间：2026-04-02".encode())
    r = govdisclose.parse(late)
    assert (r.published, r.deadline, r.days_late) == (D(2026, 4, 2), D(2026, 3, 31), 2)
    (f,) = [f for f in r.findings if f.code == "published.late"]
    assert f.actual == 2 and "2 days after the deadline 2026-03-31" in f.message
    start, end = r.metadata_spans["published"]
    assert late[start:end] == b"2026-04-02"


def test_published_from_the_meta_tag_alone(corpus):
    """With the visible 时间 gone, the page's <meta name="PubDate"> gives the date,
    its span in the page's markup."""
    page = (corpus / "pages" / "pingtan-2025.html").read_bytes()
    bare = page.replace("时间：2026-03-10 12:56".encode(), b"")
    r = govdisclose.parse(bare)
    assert r.published == D(2026, 3, 10)
    start, end = r.metadata_spans["published"]
    assert bare[start:end] == b"2026-03-10"
    assert bare[start - 40:start].endswith(b'name="PubDate" content="')


def test_dated_late_when_no_publication_date(corpus):
    """大足 signed on 15 February: after its 31 January, and no publication date is
    known, so dated.late (info) -- signing late implies publishing late."""
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    r = govdisclose.parse(text.replace("2022年1月20日", "2022年2月15日"))
    assert (r.published, r.dated, r.days_late) == (None, D(2022, 2, 15), 15)
    (f,) = [f for f in r.findings if f.code.endswith(".late")]
    assert (f.code, f.severity, f.actual) == ("dated.late", "info", 15)
    assert "signed 2022-02-15, 15 days after the deadline 2022-01-31" in f.message
    assert r.ok  # lateness is no broken identity


def test_no_deadline_for_a_text_that_is_no_report():
    """A heading of table 三 with a number under it and 大足's signature, but no title
    and no table: not a report, so nothing was due, even though its stray numbers are
    reported before parse.not_a_report is."""
    r = govdisclose.parse("一、总体情况\n三、收到和处理政府信息公开申请情况\n自然人\n5\n"
                          "重庆市大足区公安局\n2022年3月20日\n")
    assert [f.code for f in r.findings] == ["parse.unplaced_number", "parse.not_a_report"]
    assert (r.agency, r.dated) == ("重庆市大足区公安局", D(2022, 3, 20))
    assert (r.deadline, r.deadline_rule, r.days_late) == (None, None, None)


def test_no_report_still_maps_its_spans():
    """The same text as a web page: the parse goes on to the end all the same, so the
    stray number's span points at the 5 of the page's markup, not of its text."""
    page = ("<html><body><p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<p>自然人</p><p>5</p><p>重庆市大足区公安局</p><p>2022年3月20日</p>"
            "</body></html>").encode()
    r = govdisclose.parse(page)
    assert [f.code for f in r.findings] == ["parse.unplaced_number", "parse.not_a_report"]
    assert r.unplaced[0].text == "5"
    start, end = r.unplaced[0].span  # byte offsets into the page
    assert page[start - 3:end + 4] == b"<p>5</p>"
