"""Outputs for spreadsheet users: the workbook (read back with openpyxl) and CSV for Excel."""
import datetime
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

import govdisclose
from govdisclose.frames import FINDING_COLUMNS, LONG_COLUMNS, META_COLUMNS, cell_columns, read_csv
from govdisclose.labels import ids_of, label_path, zh_label

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def pairs(corpus):
    return list(govdisclose.bulk._parse_pairs([corpus], workers=1))


@pytest.fixture(scope="module")
def book(pairs, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "corpus.xlsx"
    extra = {"more": (["source", "agency", "published"],
                      [(s, r.agency, r.published) for s, r in pairs]),
             "frame": govdisclose.findings_frame(pairs)}
    assert govdisclose.to_excel(pairs, path, lang="zh", extra_sheets=extra) == len(pairs)
    return openpyxl.load_workbook(path)


def id_row(ws):
    return next(r for r in range(1, 10) if ws.cell(r, 1).value == "source")


def test_sheets_and_headings(book):
    assert book.sheetnames == ["reports", "cells", "findings", "audit", "more", "frame"]
    ws = book["reports"]
    head = id_row(ws)
    ids = [ws.cell(head, j).value for j in range(1, ws.max_column + 1)]
    assert ids == list(META_COLUMNS) + cell_columns()
    assert ws.freeze_panes == f"D{head + 1}"
    assert ws.auto_filter.ref.startswith(f"A{head}:")
    merged = {str(m): ws.cell(m.min_row, m.min_col).value for m in ws.merged_cells.ranges}

    def span_of(text):
        [(ref, _)] = [(k, v) for k, v in merged.items() if v == text]
        [rng] = [m for m in ws.merged_cells.ranges if str(m) == ref]
        return [ids[j - 1] for j in range(rng.min_col, rng.max_col + 1)]

    # the caption merges over exactly the result rows' cells, a row label over its cells
    results = span_of("三、本年度办理结果")
    assert results == [c for c in cell_columns()
                       if "三、本年度办理结果" in label_path(c)]
    assert span_of("（三）不予公开") == [c for c in cell_columns() if ".withheld." in c]
    assert span_of("行政诉讼") == [c for c in cell_columns() if ".litigation_" in c]
    assert span_of("二、上年结转政府信息公开申请数量") == [
        f"requests.carried_over.{c}" for c in ("natural_person", "commercial", "research",
                                               "public_interest", "legal_services",
                                               "other_org", "total")]
    # every cell column: its own label just above its id
    for j, cid in enumerate(ids, start=1):
        if cid in cell_columns():
            assert ws.cell(head - 1, j).value.startswith(label_path(cid)[-1])
    # money: the unit in the heading (printed by the template, or where to find it)
    assert ws.cell(head - 1, ids.index("active.fees.amount") + 1).value.endswith("（单位：万元）")
    assert "元" in ws.cell(head - 1, ids.index("active.procurement.amount") + 1).value[5:]
    assert ws.cell(1, 2).value == "机关"


def report_row(ws, name):
    head = id_row(ws)
    return next(r for r in range(head + 1, ws.max_row + 1)
                if str(ws.cell(r, 1).value).endswith("/" + name))


def test_values_as_the_reports_hold_them(book, pairs):
    ws = book["reports"]
    head = id_row(ws)
    col = {ws.cell(head, j).value: j for j in range(1, ws.max_column + 1)}
    checked = {"number": 0, "empty": 0}
    for source, r in pairs:
        row = report_row(ws, source.rsplit("/", 1)[-1]) if "/" in source else None
        if row is None or r.requests is None:
            continue
        for cid in cell_columns():
            table, rest = cid.split(".", 1)
            obj = getattr(r, table)
            for part in rest.split("."):
                obj = None if obj is None else getattr(obj, part, None)
            got = ws.cell(row, col[cid])
            if obj is None or obj.kind == "empty":
                assert got.value is None, (source, cid)  # blank stays blank, never 0
            elif obj.kind == "number":
                if isinstance(obj.value, Decimal):
                    assert Decimal(str(got.value)) == obj.value, (source, cid)
                    places = max(0, -obj.value.as_tuple().exponent)
                    assert got.number_format.startswith("0." + "0" * places if places else "0")
                else:
                    assert got.value == obj.value and isinstance(got.value, int), (source, cid)
            else:  # a dash or words: as written
                assert got.value == obj.raw, (source, cid)
            if obj is not None and obj.kind in checked:
                checked[obj.kind] += 1
    assert min(checked.values()) > 0, checked
    dazu = report_row(ws, "dazu-gaj-2021.txt")
    assert ws.cell(dazu, col["active.fees.amount"]).value == 221.67
    assert ws.cell(dazu, col["active.fees.amount"]).number_format == "0.00"
    assert ws.cell(dazu, col["dated"]).value == datetime.datetime(2022, 1, 20)
    assert ws.cell(dazu, col["dated"]).number_format == "yyyy-mm-dd"
    for source, r in pairs:  # dates as dates, a date not printed blank
        row = report_row(ws, source.rsplit("/", 1)[-1]) if "/" in source else None
        for name in ("published", "dated", "deadline"):
            v = getattr(r, name)
            want = None if v is None else datetime.datetime(v.year, v.month, v.day)
            if row is not None and source.count("/") and not source.endswith("README.md"):
                assert ws.cell(row, col[name]).value == want, (source, name)
    assert ws.cell(dazu, col["agency"]).value == "重庆市大足区公安局"
    sh = report_row(ws, "shanghai-gov-2019.html")
    amount = ws.cell(sh, col["active.procurement.amount"])
    assert amount.value == 251000 and amount.number_format == '0"元"'  # its unit as written


def test_a_dash_stays_a_dash(corpus, tmp_path):
    """The corpus holds no dash cell: one of a real report's cells written as —."""
    d = govdisclose.parse_file(corpus / "dazu-gaj-2021.txt").to_dict()
    cell = d["requests"]["granted"]["commercial"]
    assert cell["value"] == 0
    cell.update(value=None, kind="na", raw="—")
    r = govdisclose.Report.from_dict(d)
    govdisclose.to_excel([("dash.txt", r)], tmp_path / "dash.xlsx", lang="en")
    ws = openpyxl.load_workbook(tmp_path / "dash.xlsx")["reports"]
    head = id_row(ws)
    col = {ws.cell(head, j).value: j for j in range(1, ws.max_column + 1)}
    assert ws.cell(head + 1, col["requests.granted.commercial"]).value == "—"
    assert ws.cell(head + 1, col["requests.granted.natural_person"]).value == 2


def test_broken_identities_highlighted_with_the_finding(book, pairs):
    ws = book["reports"]
    head = id_row(ws)
    col = {ws.cell(head, j).value: j for j in range(1, ws.max_column + 1)}
    source, r = next(p for p in pairs if p[0].endswith("shanghai-gov-2019.html"))
    row = report_row(ws, "shanghai-gov-2019.html")
    errors = [f for f in r.findings if f.severity == "error" and f.cell]
    assert errors
    for f in errors:
        cell = ws.cell(row, col[f.cell])
        assert cell.fill.fgColor.rgb.endswith("FFB3B3"), f.cell
        zh = govdisclose.messages.message(f, "zh")
        assert cell.comment is not None and zh in cell.comment.text
    granted = ws.cell(row, col["requests.granted.total"])
    assert granted.value is None  # the blank total stays blank, coloured
    member = ws.cell(row, col["requests.granted.natural_person"])
    assert member.value == 258 and member.fill.fgColor.rgb.endswith("FFE0E0")
    ok = ws.cell(report_row(ws, "dazu-gaj-2021.txt"), col["requests.granted.total"])
    assert ok.comment is None and ok.fill.fgColor.rgb in ("00000000", None)


def test_long_sheets(book, pairs):
    cells = book["cells"]
    assert [c.value for c in cells[2]] == list(LONG_COLUMNS)
    assert [c.value for c in cells[1]] == [zh_label(c) for c in LONG_COLUMNS]
    long = govdisclose.to_frame(pairs, shape="long")
    assert cells.max_row - 2 == len(long)
    assert [c.value or "" for c in cells["J"][2:]] == long["raw"].tolist()
    first = [c.value for c in cells[3]]
    assert first[LONG_COLUMNS.index("span_start")] == long["span_start"].iloc[0]

    found = book["findings"]
    assert [c.value for c in found[2]] == list(FINDING_COLUMNS)
    total = sum(len(r.findings) for _, r in pairs)
    assert found.max_row - 2 == total  # every finding, one by one
    msgs = [c.value for c in found["J"][2:]]
    assert any("按 0 计时才成立" in m for m in msgs)  # lang="zh"

    frame = book["frame"]  # a DataFrame as an extra sheet: numbers stay numbers
    assert [c.value for c in frame[2]] == list(FINDING_COLUMNS)
    assert [c.value for c in frame["I"][2:]] == [c.value for c in found["I"][2:]]
    assert any(isinstance(c.value, int) for c in frame["I"][2:])
    more = book["more"]
    assert [c.value for c in more[1]] == ["来源文件", "机关", "发布日期"]
    assert more.max_row - 2 == len(pairs)


def test_audit_sheet(book, pairs):
    ws = book["audit"]
    assert [c.value for c in ws[2]] == list(govdisclose.AUDIT_COLUMNS)
    assert ws.cell(1, 1).value == "来源文件" and ws.cell(1, 10).value == "按时发布"
    rows = govdisclose.audit_rows(pairs)
    assert ws.max_row - 2 == len(rows)
    for i, want in enumerate(rows, start=3):
        got = {c: ws.cell(i, j).value for j, c in enumerate(govdisclose.AUDIT_COLUMNS, 1)}
        for c, v in want.items():
            if isinstance(v, datetime.date):
                v = datetime.datetime(v.year, v.month, v.day)
            assert got[c] == v, (want["source"], c)  # "" (none missing) stays ""
    assert any(ws.cell(i, 10).value is False for i in range(3, ws.max_row + 1))  # late ones


def test_long_sheets_go_on_past_the_row_limit(pairs, tmp_path, monkeypatch):
    monkeypatch.setattr(govdisclose.excel, "MAX_ROWS", 500)
    govdisclose.to_excel(pairs, tmp_path / "small.xlsx", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "small.xlsx", read_only=True)
    parts = [n for n in wb.sheetnames if n.startswith("cells")]
    assert parts[:2] == ["cells", "cells (2)"]
    rows = [r for n in parts for r in wb[n].iter_rows(min_row=3, values_only=True)]
    assert all(wb[n].max_row <= 500 for n in parts)
    long = govdisclose.to_frame(pairs, shape="long")
    assert len(rows) == len(long)  # nothing left out
    assert [r[LONG_COLUMNS.index("raw")] or "" for r in rows] == long["raw"].tolist()
    wb.close()


def test_command_line_workbook(corpus, tmp_path):
    out = tmp_path / "two.xlsx"
    proc = subprocess.run([sys.executable, "-m", "govdisclose", "parse",
                           str(corpus / "dazu-gaj-2021.txt"), str(corpus / "pingtan-2021.txt"),
                           "-o", str(out), "--lang", "en"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["reports"]
    assert ws.max_row - id_row(ws) == 2
    assert wb["findings"].max_row >= 2


def test_csv_for_excel_round_trips(pairs, tmp_path):
    for shape in ("wide", "long"):
        df = govdisclose.to_frame(pairs, shape=shape)
        path = tmp_path / f"{shape}.csv"
        govdisclose.to_csv(df, path, excel=True)
        data = path.read_bytes()
        assert data.startswith(BOM) and not data.startswith(BOM * 2)
        assert data[3:].decode("utf-8").startswith("source,agency,")
        pd.testing.assert_frame_equal(read_csv(path), df)
        plain = tmp_path / f"{shape}-plain.csv"
        govdisclose.to_csv(df, plain)
        assert plain.read_bytes() == data[3:]
    found = govdisclose.findings_frame(pairs)
    govdisclose.to_csv(found, tmp_path / "f.csv", encoding="utf-8-sig")
    assert (tmp_path / "f.csv").read_bytes().startswith(BOM)
    pd.testing.assert_frame_equal(read_csv(tmp_path / "f.csv"), found)


def test_command_line_csv_for_excel_with_chinese_labels(corpus, tmp_path):
    files = [str(corpus / "dazu-gaj-2021.txt"), str(corpus / "pages" / "shanghai-gov-2019.html")]
    out = tmp_path / "zh.csv"
    proc = subprocess.run([sys.executable, "-m", "govdisclose", "parse", *files, "--excel",
                           "--labels", "zh", "-o", str(out)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(BOM)
    header = data[3:].decode("utf-8").splitlines()[0].split(",")
    assert header[:3] == ["来源文件", "机关", "年度"] and "三、（一）予以公开·自然人" in header
    back = read_csv(out)
    assert list(back.columns) == header
    expected = govdisclose.read_reports(files, workers=1)
    pd.testing.assert_frame_equal(back.set_axis(ids_of(back.columns), axis=1), expected)
    stdout = subprocess.run([sys.executable, "-m", "govdisclose", "parse", files[0], "--excel",
                             "-o", "out.csv"], capture_output=True, cwd=tmp_path)
    assert stdout.returncode == 0 and (tmp_path / "out.csv").read_bytes().startswith(BOM)
