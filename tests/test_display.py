"""Notebook HTML: the template's own table shapes, broken identities highlighted,
findings listed; sortable tables.  (tools/render_report.py screenshots the same
HTML in headless Chromium for a person to look at.)"""
from lxml import html as lhtml

import govdisclose


def page(report):
    return lhtml.fromstring(report._repr_html_())


def cell(doc, path):
    [td] = doc.xpath(f"//td[@data-cell='{path}']")
    return td


def classes(td):
    return set(td.get("class").split())


def th(doc, table, text):
    [h] = [h for h in doc.xpath(f"//table[@class='{table}']//th") if h.text_content() == text]
    return h


def test_pingtan_2020_broken_identities(corpus):
    """Table 三 of 平潭 2020 does not add up in columns 自然人 and 总计: the two 总计
    cells are marked, and every other cell of those two column identities too."""
    r = govdisclose.parse((corpus / "pingtan-2020.txt").read_bytes())
    doc = page(r)
    targets = doc.xpath("//td[contains(concat(' ', @class, ' '), ' gd-target ')]/@data-cell")
    assert sorted(targets) == ["requests.total.natural_person", "requests.total.total"]
    assert cell(doc, "requests.total.natural_person").text_content() == "20"
    assert cell(doc, "requests.total.total").text_content() == "21"
    members = set(doc.xpath("//td[contains(concat(' ', @class, ' '), ' gd-broken ')]/@data-cell"))
    # the result rows of the 2019 template (20 rows but （七）总计 itself), two columns
    assert len(members) == 19 * 2
    assert {"requests.granted.natural_person", "requests.other.all.total",
            "requests.unable.not_held.total"} <= members
    assert "requests.new.natural_person" not in members  # not in the broken identity
    assert not classes(cell(doc, "requests.granted.commercial")) & {"gd-broken", "gd-target"}
    assert cell(doc, "requests.granted.total").text_content() == "7"
    # cell ids: unique per rendering, ending in the SCHEMA path
    assert cell(doc, "requests.total.total").get("id").endswith("-requests.total.total")
    # the findings, listed under the tables
    rows = doc.xpath("//table[@class='gd-findings']//tr")[1:]
    # 12 from the tables, and 第五十条's (no 社会评议 or 责任追究 in the report)
    assert len(rows) == len(r.findings) == 13
    errors = [row for row in rows if row.xpath("td")[0].text_content() == "error"]
    assert [[td.text_content() for td in row.xpath("td")[1:5]] for row in errors] == [
        ["requests.column_total", "requests.total.natural_person", "26", "20"],
        ["requests.column_total", "requests.total.total", "27", "21"]]
    assert "2 errors" in doc.xpath("//div[@class='gd-meta']")[0].text_content()


def test_2019_shape_of_table_3(corpus):
    doc = page(govdisclose.parse((corpus / "pingtan-2020.txt").read_bytes()))
    assert th(doc, "gd-requests", "三、本年度办理结果").get("rowspan") == "20"
    assert th(doc, "gd-requests", "（三）不予公开").get("rowspan") == "8"
    assert th(doc, "gd-requests", "（四）无法提供").get("rowspan") == "3"
    assert th(doc, "gd-requests", "（五）不予处理").get("rowspan") == "5"
    single = th(doc, "gd-requests", "（六）其他处理")  # one row in 2019: no group cell
    assert single.get("colspan") == "2" and single.get("rowspan") is None
    assert len(doc.xpath("//table[@class='gd-requests']//td[@data-cell]")) == 23 * 7
    # table 二 in the 2019 columns, with its captions
    captions = [h.text_content() for h in doc.xpath("//table[@class='gd-active']//th"
                                                    "[@class='gd-caption']")]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项",
                        "第二十条第（八）项", "第二十条第（九）项"]
    assert cell(doc, "active.fees.items_delta").text_content() == "-15"
    assert th(doc, "gd-active", "规范性文件") is not None


def test_2021_shape_of_dazu(corpus):
    r = govdisclose.parse((corpus / "dazu-gaj-2021.txt").read_bytes())
    doc = page(r)
    corner = doc.xpath("//th[@class='gd-corner']")[0]
    assert (corner.get("rowspan"), corner.get("colspan")) == ("3", "3")
    assert th(doc, "gd-requests", "申请人情况").get("colspan") == "7"
    assert th(doc, "gd-requests", "法人或其他组织").get("colspan") == "5"
    assert th(doc, "gd-requests", "自然人").get("rowspan") == "2"
    assert th(doc, "gd-requests", "三、本年度办理结果").get("rowspan") == "22"
    assert th(doc, "gd-requests", "（六）其他处理").get("rowspan") == "3"
    assert th(doc, "gd-requests", "一、本年新收政府信息公开申请数量").get("colspan") == "3"
    assert th(doc, "gd-requests", "（七）总计").get("colspan") == "2"
    assert len(doc.xpath("//table[@class='gd-requests']//td[@data-cell]")) == 25 * 7
    assert th(doc, "gd-reviews", "行政诉讼").get("colspan") == "10"
    assert th(doc, "gd-reviews", "未经复议直接起诉").get("colspan") == "5"
    assert len(doc.xpath("//table[@class='gd-reviews']//td[@data-cell]")) == 15
    # table 二: one-column blocks span the width of the three-column block
    assert cell(doc, "active.licensing.count").get("colspan") == "3"
    pen = cell(doc, "active.penalties.count")
    assert pen.text_content() == "211184含交通行政处罚实施数量209995"
    assert "bytes" in pen.get("title") and "'211184（含交通行政处罚实施数量209995）'" in pen.get(
        "title")
    assert cell(doc, "active.fees.amount").text_content() == "221.67"
    assert cell(doc, "requests.granted.natural_person").text_content() == "2"
    assert not doc.xpath("//td[contains(@class, 'gd-broken') or contains(@class, 'gd-target')]")
    assert "No findings" in doc.text_content()


def test_blank_cells_and_missing_table(corpus):
    doc = page(govdisclose.parse((corpus / "excerpt-erdao-2022.txt").read_bytes()))
    blank = cell(doc, "requests.new.commercial")
    assert "gd-empty" in classes(blank) and blank.text_content() == ""
    assert "gd-missing" in classes(cell(doc, "requests.total.total"))
    assert "not found in this report" in doc.text_content()  # no table 四 in the excerpt
    # the row total of （一）予以公开 is blank but should be 18: an error, marked
    assert "gd-target" in classes(cell(doc, "requests.granted.total"))


def test_sortable_tables(corpus):
    files = [corpus / "dazu-gaj-2021.txt", corpus / "pingtan-2020.txt"]
    reports = list(zip(map(str, files), govdisclose.parse_many(files)))
    doc = lhtml.fromstring(govdisclose.show(reports)._repr_html_())
    heads = doc.xpath("//table[@class='gd-sortable']/thead/tr/th")
    assert [h.text_content() for h in heads] == ["source", "agency", "year", "template",
                                                 "tables", "errors", "warnings", "first error"]
    assert all("sort" in h.get("onclick") for h in heads)
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in doc.xpath("//table[@class='gd-sortable']/tbody/tr")]
    assert [r[:7] for r in rows] == [
        [str(files[0]), "重庆市大足区公安局", "2021", "2021", "二三四", "0", "0"],
        [str(files[1]), "平潭综合实验区", "2020", "2019", "二三四", "2", "11"]]
    assert rows[1][7].startswith("requests.column_total: requests.total.natural_person is 20")

    found = govdisclose.findings_frame(reports)
    table = govdisclose.show(found)
    doc = lhtml.fromstring(table._repr_html_())
    assert len(doc.xpath("//tbody/tr")) == len(found) == 13  # 12, and 第五十条's
    assert [h.text_content() for h in doc.xpath("//thead//th")] == list(found.columns)
    assert [td.text_content() for td in doc.xpath("//tbody/tr[last()]/td")][3] == (
        "structure.article50")
    assert [td.text_content() for td in doc.xpath("//tbody/tr[last()-1]/td")][:8] == [
        str(files[1]), "平潭综合实验区", "2020", "requests.column_total", "error", "requests",
        "requests.total.total", "27"]
    one = govdisclose.show(reports[0][1])
    assert one is reports[0][1]
    small = govdisclose.show(found, max_rows=5)
    assert "8 more rows not drawn" in small._repr_html_()


def test_escaping(dazu_bytes):
    import dataclasses

    r = dataclasses.replace(govdisclose.parse(dazu_bytes), agency="<script>x</script>")
    out = r._repr_html_()
    assert "<script>x" not in out and "&lt;script&gt;x" in out


def test_extra_rows_of_table_2(corpus):
    """上海市科委 2024 with a row the template lacks added under 规范性文件 (a body's own
    行政指导性文件 4 / 1 / 9): the page shows it under its caption, each cell with its path."""
    text = (corpus / "shanghai-kewei-2024.md").read_text(encoding="utf-8")
    old = "| 规范性文件 | 13 | 0 | 55 |"
    assert text.count(old) == 1
    doc = page(govdisclose.parse(text.replace(old, old + "\n| 行政指导性文件 | 4 | 1 | 9 |")))
    assert th(doc, "gd-active", "本机关增加的行（不在国家模板内）") is not None
    assert th(doc, "gd-active", "行政指导性文件") is not None
    assert [cell(doc, f"active.extra.0.{j}").text_content() for j in range(3)] == ["4", "1", "9"]
    assert not doc.xpath("//td[@data-cell='active.extra.1.0']")
