"""Findings' messages in English and Chinese; the blank-as-zero infos grouped for readers."""
import re
import subprocess
import sys

import pytest

import govdisclose
from govdisclose import _core
from govdisclose.grouping import group_findings
from govdisclose.messages import MESSAGES, _FIELD, localize_report, message, resolve_lang

from conftest import REPO

CJK = re.compile(r"[\u4e00-\u9fff]")


def emitted_codes():
    """Every finding code the C sources and the Python layer make."""
    codes = {i["code"] for i in _core.identities()}
    for path in sorted((REPO / "src").rglob("*.c")):
        codes.update(re.findall(r'gd_add_finding\(\s*[\w>-]+,\s*"([a-z0-9_]+\.[a-z0-9_.]+)"',
                                path.read_text(encoding="utf-8")))
    for path in sorted((REPO / "govdisclose").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r'_finding\(\s*"([a-z0-9_]+\.[a-z0-9_.]+)"',
                        r'Finding\(\s*(?:code=)?"([a-z0-9_]+\.[a-z0-9_.]+)"',
                        r'"code": "([a-z0-9_]+\.[a-z0-9_.]+)"',
                        # a code beside its severity, as helpers such as _ocr's _info take them
                        r'"([a-z0-9_]+\.[a-z0-9_.]+)",\s*"(?:info|warning|error)"',
                        r'code: str = "([a-z0-9_]+\.[a-z0-9_.]+)"'):
            codes.update(re.findall(pattern, text))
    return codes


def test_every_code_has_both_languages():
    for code, wordings in MESSAGES.items():
        assert wordings, code
        for m in wordings:
            assert m.en and m.zh and CJK.search(m.zh), (code, m)
            en = {n for n, _ in _FIELD.findall(m.en) if not n.startswith("_")}
            zh = {n for n, _ in _FIELD.findall(m.zh)}
            assert zh <= en, (code, m)  # Chinese may leave out what the labels already say


def test_every_emitted_code_is_in_the_table():
    codes = emitted_codes()
    assert {"requests.balance", "parse.missing_row", "parse.failed", "years.gap",
            "requests.carry_link", "parse.needs_ocr", "text.mismatch"} <= codes
    missing = sorted(codes - set(MESSAGES))
    assert not missing, f"add these codes to govdisclose.messages.MESSAGES: {missing}"


@pytest.fixture(scope="module")
def corpus_reports(corpus):
    return list(govdisclose.bulk._parse_pairs([corpus], workers=1))


def test_every_corpus_message_has_its_chinese_form(corpus_reports):
    findings = [f for _, r in corpus_reports for f in r.findings]
    findings += [y.finding for y in govdisclose.reconcile_years(corpus_reports)]
    findings += [f for _, r in corpus_reports for f in group_findings(r.findings)]
    assert len({f.code for f in findings}) >= 12
    for f in findings:
        zh = message(f, "zh")
        assert zh != f.message and CJK.search(zh), (f.code, f.message)
        # the numbers of the message survive the translation
        assert sorted(re.findall(r"\d+", f.message.split(" [")[0])) == sorted(
            re.findall(r"\d+", zh.split(" [")[0])) or f.cell, (f.message, zh)
        assert message(f, "en") == f.message


def test_chinese_names_cells_by_their_labels(corpus):
    r = govdisclose.parse_file(corpus / "pages" / "shanghai-gov-2019.html", lang="zh")
    en = govdisclose.parse_file(corpus / "pages" / "shanghai-gov-2019.html", lang="en")
    assert [(f.code, f.cell, f.expected, f.actual) for f in r.findings] == \
        [(f.code, f.cell, f.expected, f.actual) for f in en.findings]
    f = next(f for f in r.findings if f.cell == "requests.granted.total")
    assert f.message.startswith("三、（一）予以公开·总计 为 空白，应为 272 [")
    e = next(f for f in en.findings if f.cell == "requests.granted.total")
    assert e.message.startswith("requests.granted.total is blank but should be 272 [")
    assert localize_report(en, "zh") == r


def test_language_choice(monkeypatch):
    for var in ("GOVDISCLOSE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert resolve_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "C")
    assert resolve_lang() == "en"
    monkeypatch.setenv("GOVDISCLOSE_LANG", "zh")
    assert resolve_lang() == "zh" and resolve_lang("en") == "en"
    with pytest.raises(ValueError):
        resolve_lang("fr")


def test_grouping_keeps_the_data_and_quiets_the_views(corpus, tmp_path):
    path = corpus / "pages" / "shanghai-gov-2019.html"
    r = govdisclose.parse_file(path)
    infos = [f for f in r.findings if f.severity == "info" and "holds only when" in f.message]
    assert len(infos) >= 10  # the per-cell detail stays in Report.findings
    grouped = group_findings(r.findings)
    keys = {(f.table, f.code) for f in infos}
    assert len(grouped) == len(r.findings) - len(infos) + len(keys)
    for table, code in keys:
        [g] = [g for g in grouped if (g.table, g.code) == (table, code) and g.cell is None]
        cells = [f.cell for f in infos if (f.table, f.code) == (table, code)]
        assert g.message.startswith(f"{len(cells)} totals hold only when blank or na cells "
                                    f"count as 0: {', '.join(cells)} [")
    assert [f for f in grouped if f.severity != "info"] == \
        [f for f in r.findings if f.severity != "info"]
    frame = govdisclose.findings_frame([r])
    assert len(frame) == len(r.findings)  # findings_frame: one row per finding

    def check(*args):
        return subprocess.run([sys.executable, "-m", "govdisclose", "check", str(path), *args],
                              capture_output=True, text=True, encoding="utf-8",
                              cwd=tmp_path).stdout

    quiet, verbose = check(), check("--verbose")
    assert verbose.count("holds only when") == len(infos)
    assert quiet.count("holds only when") == 0
    assert quiet.count("totals hold only when") == len(keys)
    zh = check("--lang", "zh")
    assert zh.count("个合计要把空白或无数据的单元格按 0 计才成立") == len(keys)
    assert "三、（一）予以公开·总计 为 空白，应为 272" in zh


def test_notebook_view_in_chinese(corpus):
    r = govdisclose.parse_file(corpus / "pages" / "shanghai-gov-2019.html")
    html = govdisclose.show(r, lang="zh")._repr_html_()
    assert "发现的问题" in html and "三、（一）予以公开·总计 为 空白" in html
    assert "个合计要把空白或无数据的单元格按 0 计才成立" in html
    table = govdisclose.show(govdisclose.findings_frame([r]), lang="zh")._repr_html_()
    assert "<th" in table and "说明" in table and "三、（一）予以公开·总计 为 空白" in table
    wide = govdisclose.show(govdisclose.to_frame([r]), lang="zh")._repr_html_()
    assert "三、（一）予以公开·自然人" in wide
    assert "requests.granted.natural_person" in govdisclose.show(govdisclose.to_frame([r]),
                                                                lang="en")._repr_html_()


def test_messages_of_edited_reports_have_their_chinese_form(corpus):
    """Codes the corpus does not raise, from one real report edited: prose that
    disagrees (text.mismatch), strict mode, a number too long, a row printed twice."""
    text = (corpus / "dazu-gaj-2021.txt").read_text(encoding="utf-8")
    granted = "\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n"
    assert granted in text
    variants = [
        text.replace("受理政府信息公开申请3条", "受理政府信息公开申请5条"),
        text.replace("结转下年度办理1条", "结转下年度办理2条"),
        text.replace(granted, granted.replace("\t2\n\t0\n", "\t" + "9" * 40 + "\n\t0\n", 1)),
        text.replace(granted, granted + "\n" + granted),
        text.replace(granted, granted.replace("\t0\n", "\t\n")),
    ]
    pingtan = (corpus / "pingtan-2023.txt").read_text(encoding="utf-8")
    variants.append(pingtan.replace("行政诉讼案件7件", "行政诉讼案件9件"))
    findings = [f for v in variants for strict in (False, True)
                for f in govdisclose.parse(v, strict=strict).findings]
    # across years: one body keyed as one (test_years), a page whose charset lies, a bad path
    kewei, shuyang = corpus / "shanghai-kewei-2024.md", corpus / "shuyang-2025.txt"
    pairs = list(zip([str(kewei), str(shuyang)], govdisclose.parse_many([kewei, shuyang])))
    findings += [y.finding for y in govdisclose.reconcile_years(pairs, key=lambda r: 1)]
    page = ('<html><head><meta charset="utf-8"></head><body>' + text + "</body></html>")
    for r in govdisclose.parse_many([("page.html", page.encode("gb18030")),
                                     str(corpus / "no-such-file.txt")], workers=1):
        findings += r.findings
    # a traditional page and a body named only 我局 (the inputs of those codes' own tests)
    from test_longtail import TABLES_2021
    from test_traditional import TRAD_PAGE

    findings += govdisclose.parse(TRAD_PAGE).findings
    findings += govdisclose.parse("政府信息公开工作年度报告\n一、总体情况\n2023年，我局认真梳理"
                                  "政府信息公开工作。\n" + TABLES_2021).findings
    codes = {f.code for f in findings}
    assert {"text.mismatch", "parse.number_too_large", "parse.duplicate_row",
            "requests.row_total", "requests.carry_link", "active.in_force_flow",
            "parse.encoding", "parse.failed", "parse.traditional", "parse.agency_pronoun",
            "structure.missing_section"} <= codes
    assert any("strict mode" in f.message for f in findings)
    for f in findings:
        zh = message(f, "zh")
        assert zh != f.message and CJK.search(zh), (f.code, f.message)


def test_the_audit_reads_findings_in_either_language(corpus):
    """audit_rows reads section numerals and 第五十条 items from messages
    (govdisclose.messages.values): the same rows from Chinese messages."""
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html", ".md"))
    en = govdisclose.audit_rows(govdisclose.parse_many(files, workers=1, lang="en"))
    zh = govdisclose.audit_rows(govdisclose.parse_many(files, workers=1, lang="zh"))
    assert en == zh
    assert any(r["sections_missing"] for r in en) and any(r["article50_missing"] for r in en)


@pytest.mark.parametrize("ocr", ["auto", False])
def test_needs_ocr_advice_in_chinese(corpus, monkeypatch, ocr):
    """A scan read without OCR: the advice (install the extra, or ocr="auto")
    is said in Chinese too, as on a machine without the ocr extra."""
    from govdisclose import _read

    monkeypatch.setattr(_read, "_ocr_ready", lambda job: False)
    r = govdisclose.parse_file(corpus / "formats" / "hongze-2023.scan.pdf", ocr=ocr)
    [f] = [f for f in r.findings if f.code == "parse.needs_ocr"]
    zh = message(f, "zh")
    assert zh != f.message and "OCR" in zh and "没有从中读取任何数字" in zh
    assert ("pip install 'govdisclose[ocr]'" in zh) == (ocr == "auto")
