"""The audit: govdisclose.audit_rows / audit (a DataFrame) and `govdisclose audit`
(text, CSV, JSON, one self-contained HTML page), on real reports."""
import csv
import datetime
import io
import json
import subprocess
import sys

import lxml.html as lhtml
import pytest

import govdisclose
from govdisclose.audit import AUDIT_COLUMNS, audit_entries
from govdisclose.audit_html import audit_page
from govdisclose.cli import main

D = datetime.date


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "govdisclose", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture(scope="module")
def files(request):
    from conftest import corpus_dir

    c = corpus_dir()
    return [c / "pingtan-2011.txt", c / "dazu-gaj-2021.txt", c / "pingtan-2020.txt",
            c / "shanghai-kewei-2024.md", c / "shuyang-2025.txt",
            c / "pages" / "shanghai-gov-2019.html"]


@pytest.fixture(scope="module")
def rows(files):
    return govdisclose.audit_rows(govdisclose.parse_many(files))


def by_source(rows, path):
    (row,) = [r for r in rows if r["source"] == str(path)]
    return row


def test_rows_have_the_columns(rows, files):
    assert [list(r) for r in rows] == [list(AUDIT_COLUMNS)] * len(files)
    assert [r["source"] for r in rows] == [str(f) for f in files]


def test_late_under_the_2008_rule(rows, files):
    r = by_source(rows, files[0])
    assert (r["published"], r["deadline"], r["days_late"], r["on_time"]) == (
        D(2012, 4, 11), D(2012, 3, 31), 11, False)
    # a report on 2011: the six-section template does not apply
    assert (r["sections_missing"], r["tables_missing"], r["article50_missing"]) == (
        None, None, None)


def test_signed_in_time_is_not_on_time(rows, files):
    """大足: signed 11 days before its deadline, publication date unknown."""
    r = by_source(rows, files[1])
    assert (r["published"], r["dated"], r["days_late"], r["on_time"]) == (
        None, D(2022, 1, 20), -11, None)
    assert (r["sections_missing"], r["tables_missing"], r["fee_statement"]) == ("", "", True)
    assert r["article50_missing"] is None  # a department: not asked
    assert (r["identities_broken"], r["errors"], r["failed"]) == (0, 0, False)


def test_broken_identities_and_sections(rows, files):
    pingtan = by_source(rows, files[2])
    assert (pingtan["identities_broken"], pingtan["on_time"], pingtan["days_late"]) == (2, True, -26)
    assert pingtan["article50_missing"] == "社会评议、责任追究"
    assert pingtan["fee_statement"] is None  # a report on 2020: the 2019 template
    kewei = by_source(rows, files[3])
    assert kewei["sections_missing"] == "二三四五六"
    assert (kewei["deadline"], kewei["on_time"]) == (D(2025, 1, 31), None)
    shanghai = by_source(rows, files[5])
    assert (shanghai["identities_broken"], shanghai["days_late"], shanghai["on_time"]) == (
        12, 0, True)  # published on 31 January: on time


def test_carry_breaks_fall_on_the_later_report(corpus):
    """上海市科委 2024 and 沭阳县 2025 keyed as one body (tests/test_years.py):
    two 结转 links break, counted on 2025's row and listed with its findings."""
    kewei, shuyang = corpus / "shanghai-kewei-2024.md", corpus / "shuyang-2025.txt"
    pairs = list(zip([str(kewei), str(shuyang)], govdisclose.parse_many([kewei, shuyang])))
    entries = audit_entries(pairs, key=lambda r: "one body")
    assert [e.row["carry_breaks"] for e in entries] == [0, 2]
    assert [f.code for f in entries[1].findings][-2:] == ["requests.carry_link"] * 2
    assert [e.row["carry_breaks"] for e in audit_entries(pairs)] == [0, 0]  # two bodies


def test_dataframe(files):
    df = govdisclose.audit(govdisclose.parse_many(files))
    assert list(df.columns) == list(AUDIT_COLUMNS) and len(df) == len(files)
    dt = df.dtypes
    assert str(dt["published"]) == str(dt["deadline"]) == "datetime64[ns]"
    assert (str(dt["days_late"]), str(dt["on_time"]), str(dt["identities_broken"])) == (
        "Int64", "boolean", "int64")
    assert df.loc[0, "days_late"] == 11 and df.loc[0, "on_time"] == False  # noqa: E712
    assert df["on_time"].isna().tolist() == [False, True, False, True, True, False]
    assert "<table" in df._repr_html_()  # Jupyter shows it as pandas does


def test_cli_text_and_exit_status(corpus, tmp_path):
    ok = run("audit", corpus / "dazu-gaj-2021.txt", corpus / "pingtan-2011.txt", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    lines = ok.stdout.splitlines()
    assert lines[0].split()[:5] == ["report", "agency", "year", "published", "days"]
    assert lines[1].split()[1:] == ["重庆市大足区公安局", "2021", "-", "signed", "in", "time", "-",
                                    "-", "0", "0", "0"]
    # the report column names each file as given
    assert [ln.split()[0] for ln in lines[1:3]] == [
        str(corpus / "dazu-gaj-2021.txt"), str(corpus / "pingtan-2011.txt")]
    assert lines[2].split()[1:] == ["平潭综合实验区", "2011", "2012-04-11", "11", "-", "-", "0",
                                    "0", "0"]
    assert "2 reports (0 could not be read): 1 published late, 0 on time" in ok.stdout
    bad = run("audit", corpus / "pingtan-2020.txt", cwd=tmp_path)
    assert bad.returncode == 1  # an identity is broken
    usage = run("audit", cwd=tmp_path)
    assert usage.returncode == 2 and "usage" in usage.stderr
    assert run("audit", corpus / "dazu-gaj-2021.txt", "--format", "xml",
               cwd=tmp_path).returncode == 2


def test_cli_csv_and_json(corpus, tmp_path, capsys):
    out = tmp_path / "audit.csv"
    assert main(["audit", str(corpus / "pingtan-2011.txt"), "--format", "csv", "-o",
                 str(out)]) == 0
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(row) == list(AUDIT_COLUMNS)
    assert (row["published"], row["deadline"], row["days_late"], row["on_time"],
            row["sections_missing"]) == ("2012-04-11", "2012-03-31", "11", "False", "")
    assert main(["audit", str(corpus / "shuyang-2025.txt"), "--format", "json"]) == 0
    text = capsys.readouterr().out
    doc = json.loads(text)
    assert "社会评议、责任追究" in text  # the Chinese as written, as in the CSV, not \u escapes
    (r,) = doc["reports"]
    assert (r["dated"], r["deadline"], r["days_late"], r["article50_missing"]) == (
        "2026-01-23", "2026-03-31", -67, "社会评议、责任追究")
    assert doc["summary"]["reports"] == 1 and doc["summary"]["timeliness_unknown"] == 1


def test_html_page(files, tmp_path):
    out = tmp_path / "audit.html"
    status = main(["audit", *map(str, files), "--format", "html", "-o", str(out)])
    assert status == 1  # pingtan-2020 and the Shanghai page break identities
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # self-contained: no script, style, image or font fetched from anywhere
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and " src=" not in page and "<link" not in page
    doc = lhtml.fromstring(page)
    rows = doc.xpath("//table[@id='gd-audit']/tbody/tr")
    assert len(rows) == len(files)
    heads = [th.text_content() for th in doc.xpath("//table[@id='gd-audit']//th")]
    assert heads[:7] == ["source", "agency", "year", "published", "dated", "deadline",
                         "days late"]
    assert all("sort" in th.get("onclick") for th in doc.xpath("//table[@id='gd-audit']//th"))
    # every problem links to a finding that exists and shows that problem
    links = doc.xpath("//table[@id='gd-audit']//a")
    assert len(links) >= 5
    for a in links:
        (target,) = doc.xpath(f"//*[@id='{a.get('href')[1:]}']")
        code = target.xpath("td")[1].text_content()
        col = heads[a.getparent().getparent().index(a.getparent())]
        assert code.split(".")[0] in {"days late": "published dated",
                                      "sections missing": "structure",
                                      "identities broken": "requests reviews"}[col].split()
    late = doc.xpath("//table[@id='gd-audit']/tbody/tr[1]/td[7]/a")[0]
    assert late.text_content() == "11"
    assert "published 2012-04-11, 11 days after" in doc.xpath(
        f"//*[@id='{late.get('href')[1:]}']")[0].text_content()
    # the two charts, one bar group per year reported on
    svgs = doc.xpath("//svg")
    assert len(svgs) == 2
    years = {"2011", "2019", "2020", "2021", "2024", "2025"}
    for svg in svgs:
        assert {t.text_content() for t in svg.xpath(".//text")} >= years
    titles = [t.text_content() for t in svgs[0].xpath(".//rect/title")]
    assert "2011: 1 late" in titles and "2019: 1 on time" in titles
    # pingtan-2020 and the Shanghai page (2019) break identities; dazu 2021's all hold
    titles = [t.text_content() for t in svgs[1].xpath(".//rect/title")]
    assert {"2020: 1 identities broken", "2019: 1 identities broken",
            "2021: 1 all identities hold"} <= set(titles)


def test_html_of_nothing():
    page = audit_page([])
    assert "No report with a known year" in page and "<tbody></tbody>" in page


def test_signature_date_above_a_real_site_footer():
    """A page keeps the report's 落款 above the site's footer (links, licence,
    contact: 70 lines of the real 平潭 page's chrome), not in the text's last
    lines: the date is still the report's."""
    import markup_inputs as mi
    from conftest import corpus_dir

    corpus = corpus_dir()
    page = mi.html_page(mi.Report(corpus, "dazu-gaj-2021"), "word")
    real = (corpus / "pages" / "pingtan-2021.html").read_text(encoding="utf-8")
    footer = real[real.rfind("<div", 0, real.index("附件下载")):real.rindex("</body>")]
    built = page[:page.index('<div class="share">')] + footer + "</body>\n</html>\n"
    r = govdisclose.parse(built.encode("utf-8"), format="html")
    assert r.dated == D(2022, 1, 20)  # gold: dazu-gaj-2021's dated
    assert r.agency == "重庆市大足区公安局"
