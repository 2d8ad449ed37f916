"""Completeness: the six sections in order (structure.missing_section,
structure.section_order), 《条例》第五十条 for governments (structure.article50)
and section 六's fee statement (structure.fee_statement).  Real reports, and
the same with sections removed, reordered and renamed."""
import pytest

import govdisclose

STRUCTURE = "structure."


def structure(r):
    return [(f.code, f.message) for f in r.findings if f.code.startswith(STRUCTURE)]


def dazu(corpus) -> str:
    return (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    i, j = text.index(start), text.index(end)
    assert i < j
    return text[i:j]


@pytest.mark.parametrize("name", [
    "dazu-gaj-2021.txt", "pingtan-2021.txt", "pingtan-2022.txt", "pingtan-2023.txt",
    "pages/pingtan-2019.html", "pages/pingtan-2021.html", "pages/pingtan-2023.html",
    "pages/pingtan-2025.html", "pages/shanghai-gov-2019.html",
])
def test_complete_reports_have_all_six(corpus, name):
    """(平潭 2022 prints 四's heading as 行政法复议、行政诉讼: its 行政诉讼 names it.)"""
    r = govdisclose.parse_file(corpus / name)
    assert [c for c, _ in structure(r) if c != "structure.article50"] == []


def test_removed_section(corpus):
    text = dazu(corpus)
    five = between(text, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    r = govdisclose.parse(text.replace(five, ""))
    assert structure(r) == [(
        "structure.missing_section",
        "section 五 (政府信息公开工作存在的主要问题及改进情况) is missing; "
        "no heading numbered 五、 was found")]
    assert r.ok


def test_two_sections_removed(corpus):
    text = dazu(corpus)
    five_six = text[text.index("五、存在的主要问题"):text.rindex("重庆市大足区公安局")]
    r = govdisclose.parse(text.replace(five_six, ""))
    assert [m.split(" is missing")[0] for _, m in structure(r)] == [
        "section 五 (政府信息公开工作存在的主要问题及改进情况)", "section 六 (其他需要报告的事项)"]


def test_reordered_sections(corpus):
    """六 moved before 五, each keeping its numeral: out of order."""
    text = dazu(corpus)
    five = between(text, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    six = text[text.index("六、其他需要报告的事项"):text.rindex("重庆市大足区公安局")]
    r = govdisclose.parse(text.replace(five + six, six + "\n" + five))
    assert structure(r) == [(
        "structure.section_order",
        "section 六 (其他需要报告的事项) comes before section 五 "
        "(政府信息公开工作存在的主要问题及改进情况)")]


def test_reordered_and_renumbered(corpus):
    """五 and 六 swapped and numbered in their new order: each numeral now heads the
    other section, and the finding quotes what stands there instead."""
    text = dazu(corpus)
    five = between(text, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    six = text[text.index("六、其他需要报告的事项"):text.rindex("重庆市大足区公安局")]
    swapped = six.replace("六、", "五、", 1) + "\n" + five.replace("五、", "六、", 1)
    r = govdisclose.parse(text.replace(five + six, swapped))
    assert structure(r) == [
        ("structure.missing_section", "section 五 (政府信息公开工作存在的主要问题及改进情况) "
         "is missing; found instead: 五、其他需要报告的事项"),
        ("structure.missing_section", "section 六 (其他需要报告的事项) is missing; "
         "found instead: 六、存在的主要问题及改进情况")]


def test_renamed_section(corpus):
    r = govdisclose.parse(dazu(corpus).replace("一、总体情况", "一、工作概述"))
    assert structure(r) == [("structure.missing_section",
                             "section 一 (总体情况) is missing; found instead: 一、工作概述")]


def test_renamed_section_quoted_in_whole_characters(corpus):
    """The heading found instead is quoted in whole characters, four-byte ones too
    (CJK Extension B, U+20000 on, as some place and personal names need)."""
    for heading in ("一、\U00020BB7\U00020BB7概述", "一、概述\U00020BB7"):  # the line's end too
        r = govdisclose.parse(dazu(corpus).replace("一、总体情况", heading))
        assert structure(r) == [("structure.missing_section",
                                 "section 一 (总体情况) is missing; found instead: " + heading)]


def test_headings_of_another_plan(corpus):
    """上海市科委 2024 numbers the parts of its 总体情况 一 to 六 and then starts again:
    only 一 stands where the template has it; each finding says what is there."""
    r = govdisclose.parse_file(corpus / "shanghai-kewei-2024.md")
    found = [m.split("found instead: ")[1] for c, m in structure(r)
             if c == "structure.missing_section"]
    assert found == ["二、工作机制保障", "三、主动公开工作情况", "四、政府信息公开申请情况",
                     "五、政府信息管理", "六、政府信息公开平台建设"]


def test_a_word_ending_in_a_numeral_is_no_heading(corpus):
    """统一、 is a word and a list comma, not heading 一."""
    text = dazu(corpus).replace("一、总体情况", "")
    r = govdisclose.parse("统一、规范\n" + text)
    (msg,) = [m for c, m in structure(r)]
    assert msg.startswith("section 一 (总体情况) is missing; no heading numbered 一、")


def test_pre_2019_reports_are_not_held_to_the_template(corpus):
    r = govdisclose.parse_file(corpus / "pingtan-2013.txt")
    assert structure(r) == []


# ---- 《条例》第五十条 ----


def test_article50_for_a_government(corpus):
    text = (corpus / "shuyang-2025.txt").read_text(encoding="utf-8")
    r = govdisclose.parse(text)
    assert r.level == "county"
    assert structure(r) == [("structure.article50",
                             "a government's report states the results of 工作考核、社会评议和"
                             "责任追究 (《条例》第五十条); this one never mentions 社会评议、责任追究")]
    said = text.replace("六、其他需要报告的事项", "全年开展社会评议1次，无责任追究情况。\n六、其他需要报告的事项")
    assert structure(govdisclose.parse(said)) == []


def test_article50_read_across_line_breaks(corpus):
    """A PDF's text layer may break a word over two lines: 社会\\n评议 still counts."""
    text = (corpus / "shuyang-2025.txt").read_text(encoding="utf-8")
    said = text.replace("六、其他需要报告的事项", "全年开展社会评\n议1次，无责任追\n究情况。\n六、其他需要报告的事项")
    assert structure(govdisclose.parse(said)) == []


def test_article50_not_asked_of_a_department(corpus):
    r = govdisclose.parse(dazu(corpus))
    assert r.level == "department" and structure(r) == []
    assert "社会评议" not in dazu(corpus)


# ---- section 六: the fees (2021 template) ----


def test_fee_statement_missing(corpus):
    text = dazu(corpus)
    fee = between(text, "（一）依据《政府信息公开信息处理费管理办法》", "（二）严格对照")
    r = govdisclose.parse(text.replace(fee, ""))
    assert structure(r) == [("structure.fee_statement",
                             "section 六 does not state the fees charged (信息处理费), which the "
                             "2021 template asks for")]


def test_fee_statement_as_the_texts_last_words(corpus):
    """大足 cut right after section 六's first 信息处理费: the words are found even as the
    text's very last bytes; cut one character earlier, they are missing."""
    text = dazu(corpus)
    end = text.index("信息处理费") + len("信息处理费")
    assert structure(govdisclose.parse(text[:end])) == []
    assert [c for c, _ in structure(govdisclose.parse(text[:end - 1]))] == ["structure.fee_statement"]


def test_fee_statement_not_asked_of_2019_reports(corpus):
    """平潭 2020 (2019 template): 六 says 无其他需要报告的事项, and that is enough."""
    r = govdisclose.parse_file(corpus / "pingtan-2020.txt")
    assert [c for c, _ in structure(r) if c == "structure.fee_statement"] == []


def test_no_outline_asked_of_a_text_that_is_no_report(corpus):
    """pages/README.md (which names a 2019 report and its 发布日期) is no report: it
    gets parse.not_a_report and nothing else -- no missing sections, no deadline."""
    r = govdisclose.parse_file(corpus / "pages" / "README.md")
    assert [f.code for f in r.findings] == ["parse.not_a_report"]
    assert (r.deadline, r.deadline_rule) == (None, None)
