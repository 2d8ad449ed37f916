"""DataFrames: one row per report (or per cell), exact dtypes, Parquet and CSV round trips."""
import datetime
from decimal import Decimal

import pandas as pd
import pytest

import govdisclose
from govdisclose import _core, frames
from govdisclose.frames import LONG_COLUMNS, META_COLUMNS, cell_columns, read_csv


def text_reports(corpus):
    return sorted(str(p) for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


@pytest.fixture(scope="module")
def wide(corpus):
    return govdisclose.read_reports(text_reports(corpus), workers=2)


def row(df, name):
    [i] = [i for i, s in enumerate(df["source"]) if s.endswith("/" + name)]
    return df.iloc[i]


def test_columns_and_dtypes(wide, corpus):
    cells = cell_columns()
    assert len(cells) == 32 + 26 * 7 + 15  # table 二 (both templates), 三, 四
    assert list(wide.columns) == list(META_COLUMNS) + cells
    assert cells[:3] == ["active.rules.issued", "active.rules.repealed", "active.rules.in_force"]
    assert "requests.withheld.state_secret.total" in cells
    assert cells[-1] == "reviews.litigation_after_review.total"
    dt = wide.dtypes
    money = {"active.fees.amount", "active.procurement.amount"}
    assert {c for c in cells if dt[c] == object} == money
    assert all(str(dt[c]) == "Int64" for c in cells if c not in money)
    assert str(dt["year"]) == "Int64" and str(dt["published"]) == "datetime64[ns]"
    assert all(isinstance(dt[c], pd.StringDtype) for c in ("source", "agency", "template",
                                                           "format"))
    assert str(dt["n_errors"]) == str(dt["n_warnings"]) == "int64"
    assert len(wide) == len(text_reports(corpus)) == 21


def test_money_columns():
    """The cells SCHEMA gives in money (Decimal): 行政事业性收费's 本年收费金额 (2021) and
    政府集中采购's 采购总金额; every other cell is a count."""
    assert frames.money_columns() == ["active.fees.amount", "active.procurement.amount"]


def test_real_values(wide):
    p21 = row(wide, "pingtan-2021.txt")
    assert p21["requests.new.total"] == 70
    assert isinstance(wide["requests.new.total"].dtype, pd.Int64Dtype)
    assert p21["requests.carried_forward.natural_person"] == 1
    assert p21["active.fees.amount"] == Decimal("24252.311082")
    assert str(p21["active.fees.amount"]) == "24252.311082"
    assert (p21["agency"], p21["year"], p21["template"]) == ("平潭综合实验区", 2021, "2021")
    assert p21["published"] == pd.Timestamp("2022-02-08")
    assert p21["active.rules.new_made"] is pd.NA  # a 2019 column of a 2021 report

    dazu = row(wide, "dazu-gaj-2021.txt")
    assert dazu["active.penalties.count"] == 211184
    assert type(dazu["active.fees.amount"]) is Decimal
    assert dazu["active.fees.amount"] == Decimal("221.67")
    assert (dazu["n_errors"], dazu["n_warnings"]) == (0, 0)

    p20 = row(wide, "pingtan-2020.txt")
    assert p20["requests.total.total"] == 21 and p20["n_errors"] == 2
    assert p20["active.fees.items_delta"] == -15  # signed 2019 delta
    assert p20["active.fees.amount"] is None and p20["active.fees.items_delta"] == -15

    # 二道区: blank cells in table 三 are <NA>, never 0; the 0s it wrote stay 0
    erdao = row(wide, "excerpt-erdao-2022.txt")
    assert erdao["requests.new.total"] == 56
    assert erdao["requests.new.commercial"] is pd.NA
    assert erdao["requests.carried_over.natural_person"] == 0
    assert erdao["published"] is pd.NaT
    # a table the report lacks: every cell <NA>
    assert erdao[[c for c in wide.columns if c.startswith("reviews.")]].isna().all()


def test_long_frame(corpus, dazu_bytes):
    r = govdisclose.parse(dazu_bytes)
    long = govdisclose.to_frame([("dazu", r)], shape="long")
    assert list(long.columns) == list(LONG_COLUMNS)
    n_cells = sum(1 for c in cell_columns() if frames._get(r, c) is not None)
    assert len(long) == n_cells == (3 + 3 + 1 + 1 + 1 + 1) + 25 * 7 + 15  # 二 (2021), 三, 四
    granted = long[(long["row"] == "granted") & (long["column"] == "natural_person")].iloc[0]
    assert (granted["table"], granted["label"], granted["value"], granted["kind"],
            granted["raw"]) == ("requests", "（一）予以公开", Decimal(2), "number", "2")
    start, end = granted["span_start"], granted["span_end"]
    assert dazu_bytes[start:end] == b"2"
    pen = long[(long["row"] == "penalties") & (long["column"] == "count")].iloc[0]
    assert pen["value"] == 211184 and pen["note"] == "含交通行政处罚实施数量209995"
    assert pen["raw"] == "211184（含交通行政处罚实施数量209995）"
    fee = long[long["row"] == "fees"].iloc[0]
    assert fee["value"] == Decimal("221.67") and str(fee["value"]) == "221.67"
    assert long["value"].dtype == object and str(long["span_start"].dtype) == "int64"
    assert (long["source"] == "dazu").all()

    erdao = govdisclose.read_reports([str(corpus / "excerpt-erdao-2022.txt")], shape="long")
    blank = erdao[(erdao["row"] == "new") & (erdao["column"] == "commercial")].iloc[0]
    assert blank["kind"] == "empty" and blank["value"] is None and blank["raw"] == ""


def test_parquet_round_trip(wide, tmp_path):
    path = tmp_path / "reports.parquet"
    wide.to_parquet(path, index=False)
    back = pd.read_parquet(path)
    assert (back.dtypes == wide.dtypes).all()
    pd.testing.assert_frame_equal(back, wide)
    fees = back["active.fees.amount"].dropna().tolist()
    assert Decimal("24252.311082") in fees and Decimal("221.67") in fees


def test_parquet_round_trip_long(corpus, tmp_path):
    long = govdisclose.read_reports([str(corpus / "pingtan-2021.txt"),
                                     str(corpus / "dazu-gaj-2021.txt")], shape="long")
    long.to_parquet(tmp_path / "cells.parquet", index=False)
    back = pd.read_parquet(tmp_path / "cells.parquet")
    assert (back.dtypes == long.dtypes).all()
    assert back["value"].tolist() == long["value"].tolist()  # equal Decimals, never floats
    assert all(v is None or type(v) is Decimal for v in back["value"])
    pd.testing.assert_frame_equal(back.drop(columns="value"), long.drop(columns="value"))


def test_csv_round_trip(wide, tmp_path):
    path = tmp_path / "reports.csv"
    wide.to_csv(path, index=False)
    back = read_csv(path)
    assert (back.dtypes == wide.dtypes).all()
    pd.testing.assert_frame_equal(back, wide)
    # money keeps the digits as printed
    assert str(row(back, "pingtan-2021.txt")["active.fees.amount"]) == "24252.311082"
    assert str(row(back, "dazu-gaj-2021.txt")["active.fees.amount"]) == "221.67"


def test_csv_round_trip_long_and_findings(corpus, tmp_path):
    sources = [str(corpus / n) for n in ("excerpt-erdao-2022.txt", "pingtan-2020.txt")]
    long = govdisclose.read_reports(sources, shape="long")
    long.to_csv(tmp_path / "cells.csv", index=False)
    pd.testing.assert_frame_equal(read_csv(tmp_path / "cells.csv"), long)
    found = govdisclose.findings_frame(govdisclose.parse_many(sources))
    found.to_csv(tmp_path / "findings.csv", index=False)
    pd.testing.assert_frame_equal(read_csv(tmp_path / "findings.csv"), found)


def test_findings_frame(corpus):
    p20 = corpus / "pingtan-2020.txt"
    reports = list(govdisclose.parse_many([p20, corpus / "dazu-gaj-2021.txt"]))
    df = govdisclose.findings_frame(reports)
    assert list(df.columns) == list(frames.FINDING_COLUMNS)
    assert len(df) == len(reports[0].findings) + len(reports[1].findings)
    errors = df[df["severity"] == "error"]
    assert errors["cell"].tolist() == ["requests.total.natural_person", "requests.total.total"]
    assert errors["expected"].tolist() == [26, 27] and errors["actual"].tolist() == [20, 21]
    assert str(df["expected"].dtype) == "Int64"
    assert (errors["code"] == "requests.column_total").all()
    assert (errors["source"] == str(p20)).all() and (errors["year"] == 2020).all()


def test_failed_source_is_a_row(corpus, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    df = govdisclose.read_reports([bad, corpus / "pingtan-2025.txt"])
    assert df["source"].tolist() == [str(bad), str(corpus / "pingtan-2025.txt")]
    assert df["n_errors"].tolist()[0] == 1
    assert df.loc[0, cell_columns()].isna().all()
    assert df.loc[1, "requests.new.total"] == 154


def test_fraction_in_a_count_cell(dazu_text):
    """A count cell that holds a fraction is <NA> in the wide frame (Int64 stays
    Int64); the long frame keeps the value."""
    d = _core.parse(dazu_text)
    d["active"]["licensing"]["count"]["value"] = Decimal("12.5")
    d["active"]["enforcement"]["count"]["value"] = Decimal("3945")
    r = govdisclose.Report.from_dict(d)
    wide = govdisclose.to_frame([r])
    assert wide.loc[0, "active.licensing.count"] is pd.NA
    assert wide.loc[0, "active.enforcement.count"] == 3945
    long = govdisclose.to_frame([r], shape="long")
    assert long[long["row"] == "licensing"]["value"].tolist() == [Decimal("12.5")]


def test_empty_and_shape_errors():
    empty = govdisclose.to_frame([])
    assert len(empty) == 0 and list(empty.columns) == list(META_COLUMNS) + cell_columns()
    assert str(empty["requests.new.total"].dtype) == "Int64"
    with pytest.raises(ValueError, match="shape"):
        govdisclose.to_frame([], shape="tall")
    with pytest.raises(TypeError, match="Reports"):
        govdisclose.to_frame(["not a report"])


def test_published_is_a_date(wide):
    # 大足 states no publication date; it was signed on 2022-01-20
    assert row(wide, "dazu-gaj-2021.txt")["dated"].date() == datetime.date(2022, 1, 20)
    assert pd.isna(row(wide, "dazu-gaj-2021.txt")["published"])
