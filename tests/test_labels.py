"""Chinese column labels: one rule over the core's template data, unique, and back to ids."""
import pandas as pd
import pytest

import govdisclose
from govdisclose import _core
from govdisclose.frames import LONG_COLUMNS, META_COLUMNS, cell_columns
from govdisclose.labels import from_label, ids_of, label_path, zh_columns, zh_label


def test_rule_on_real_labels():
    assert zh_label("requests.granted.natural_person") == "三、（一）予以公开·自然人"
    assert zh_label("requests.withheld.state_secret.total") == "三、（三）不予公开·1.属于国家秘密·总计"
    assert zh_label("requests.new.total") == "三、一、本年新收政府信息公开申请数量·总计"
    assert zh_label("active.fees.amount") == "二、行政事业性收费·本年收费金额（单位：万元）"
    assert zh_label("reviews.litigation_direct.upheld") == "四、行政诉讼·未经复议直接起诉·结果维持"
    assert zh_label("requests.other.all.total") == "三、（六）其他处理·总计"  # 2019's one row
    assert zh_label("agency") == "机关" and zh_label("no.such.column") == "no.such.column"


def test_labels_come_from_the_core_template():
    """Each name holds its row's and column's labels as the core defines them,
    and the captions the core prints over the row."""
    for table_id, tdef in _core.template().items():
        numeral = tdef["label"].split("、")[0] + "、"
        for row in tdef["rows"]:
            for col in row["columns"]:
                cell = f"{table_id}.{row['id']}.{col['id']}"
                name = zh_label(cell)
                assert name.startswith(numeral)
                assert name.endswith("·" + col["label"])
                assert row["label"] in name
                path = label_path(cell)
                assert path[0] == tdef["label"] and path[-1] == col["label"]
                assert list(path[1:1 + len(row["captions"])]) == row["captions"]
    rows = {r["id"]: r for r in _core.template()["requests"]["rows"]}
    assert rows["withheld.inquiry"]["captions"] == ["三、本年度办理结果", "（三）不予公开"]
    assert rows["total"]["captions"] == ["三、本年度办理结果"]
    assert rows["other.all"]["captions"] == ["三、本年度办理结果"]  # the caption row itself
    assert rows["new"]["captions"] == rows["carried_forward"]["captions"] == []
    # the result rows are exactly the rows requests.column_total adds up, and its target
    ident = next(i for i in _core.identities() if i["code"] == "requests.column_total")
    under = {rid for rid, r in rows.items() if r["captions"]}
    assert under == set(ident["terms"]) | {ident["target"]}


def test_unique_and_reversible():
    columns = list(META_COLUMNS) + cell_columns()
    names = zh_columns(columns)
    assert all(n != c for n, c in zip(names, columns))  # every column has its Chinese name
    assert len(set(names)) == len(names) == len(columns)
    assert ids_of(names) == columns
    assert [from_label(n) for n in zh_columns(LONG_COLUMNS)] == list(LONG_COLUMNS)
    assert from_label("requests.new.total") == "requests.new.total"  # an id stays an id
    with pytest.raises(KeyError):
        from_label("三、（九）不存在·总计")


def test_frames_with_chinese_labels(corpus):
    files = [corpus / "dazu-gaj-2021.txt", corpus / "pingtan-2021.txt"]
    reports = list(govdisclose.parse_many(files, workers=1))
    by_id = govdisclose.to_frame(reports)
    zh = govdisclose.to_frame(reports, labels="zh")
    assert list(zh.columns) == zh_columns(by_id.columns)
    assert zh["三、（一）予以公开·自然人"].tolist() == by_id["requests.granted.natural_person"].tolist()
    assert zh["机关"].tolist() == ["重庆市大足区公安局", "平潭综合实验区"]
    pd.testing.assert_frame_equal(zh.set_axis(ids_of(zh.columns), axis=1), by_id)
    read = govdisclose.read_reports(files, workers=1, labels="zh")
    pd.testing.assert_frame_equal(read, zh)
    long = govdisclose.to_frame(reports, shape="long", labels="zh")
    assert list(long.columns)[:3] == ["来源文件", "机关", "年度"]
    with pytest.raises(ValueError):
        govdisclose.to_frame(reports, labels="fr")
