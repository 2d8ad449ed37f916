"""Column names in Chinese: the official labels of the tables, joined by one rule.

    >>> from govdisclose.labels import zh_label, from_label
    >>> zh_label("requests.granted.natural_person")
    '三、（一）予以公开·自然人'
    >>> from_label("三、（三）不予公开·1.属于国家秘密·总计")
    'requests.withheld.state_secret.total'

The rule, for a cell: the section's numeral as its heading prints it (二、 三、
四、), then the labels from the row's group down to the column, joined by
``·``: the group caption when the row is a numbered item of （三）…（六）, the
row label, the column label.  The caption 三、本年度办理结果 is left out (the
row labels under it are unique without it); it still heads the workbook's
columns (``label_path``).  Examples::

    active.fees.amount                      二、行政事业性收费·本年收费金额（单位：万元）
    requests.new.total                      三、一、本年新收政府信息公开申请数量·总计
    requests.withheld.state_secret.total    三、（三）不予公开·1.属于国家秘密·总计
    reviews.litigation_direct.upheld        四、行政诉讼·未经复议直接起诉·结果维持

Every label comes from the template data of the C core (``_core.template()``:
row and column labels and the captions printed over rows), so there is no
second copy to drift.  The names are unique (a test checks it), and
``from_label`` maps each back to its SCHEMA id.  The frames' other columns
have plain Chinese names (``META_LABELS`` and friends): 来源文件, 机关, 年度…
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

__all__ = ["zh_label", "from_label", "label_path", "zh_columns", "ids_of", "LABELS",
           "META_LABELS", "LONG_LABELS", "FINDING_LABELS", "AUDIT_LABELS"]

LABELS = ("id", "zh")  # the values labels= takes

SEPARATOR = "·"

# The frames' columns that are not cells.
META_LABELS = {
    "source": "来源文件", "agency": "机关", "year": "年度", "published": "发布日期",
    "dated": "落款日期", "deadline": "法定期限", "days_late": "逾期天数",
    "template": "模板", "format": "格式", "n_errors": "错误数", "n_warnings": "警告数",
}
LONG_LABELS = {
    "source": "来源文件", "agency": "机关", "year": "年度", "table": "表", "row": "行",
    "column": "列", "label": "行标签", "value": "数值", "kind": "类型", "raw": "原文",
    "note": "注", "span_start": "起始字节", "span_end": "结束字节",
}
FINDING_LABELS = {
    "source": "来源文件", "agency": "机关", "year": "年度", "code": "代码", "severity": "级别",
    "table": "表", "cell": "单元格", "expected": "应为", "actual": "实为", "message": "说明",
}

AUDIT_LABELS = {
    "source": "来源文件", "agency": "机关", "year": "年度", "level": "层级",
    "published": "发布日期", "dated": "落款日期", "deadline": "法定期限", "deadline_rule": "期限依据",
    "days_late": "逾期天数", "on_time": "按时发布", "sections_missing": "缺少的部分",
    "sections_out_of_order": "顺序不对的部分", "article50_missing": "第五十条未提及",
    "fee_statement": "说明了收费", "tables_missing": "缺少的表", "identities_broken": "勾稽关系错误数",
    "prose_disagreements": "正文与表格不符数", "carry_breaks": "结转不衔接数", "errors": "错误数",
    "warnings": "警告数", "failed": "无法读取",
}

_PATHS: Optional[Dict[str, Tuple[str, ...]]] = None
_NAMES: Optional[Dict[str, str]] = None
_IDS: Optional[Dict[str, str]] = None


def _numeral(heading: str) -> str:
    """二、主动公开政府信息情况 -> 二、"""
    return heading.split("、", 1)[0] + "、"


def _build() -> None:
    global _PATHS, _NAMES, _IDS
    from . import _core

    paths: Dict[str, Tuple[str, ...]] = {}
    names: Dict[str, str] = {}
    for table_id, tdef in _core.template().items():
        for row in tdef["rows"]:
            captions = list(row.get("captions", ()))
            # the row labels of table 四 already join 行政诉讼·未经复议直接起诉
            row_parts = row["label"].split(SEPARATOR)
            for col in row["columns"]:
                cell = f"{table_id}.{row['id']}.{col['id']}"
                paths[cell] = (tdef["label"], *captions, *row_parts, col["label"])
                named = captions[1:] + row_parts + [col["label"]]
                names[cell] = _numeral(tdef["label"]) + SEPARATOR.join(named)
    if len(set(names.values())) != len(names):  # the rule must keep them apart
        raise RuntimeError("two cells have the same Chinese label")
    _PATHS, _NAMES = paths, names
    _IDS = {v: k for k, v in names.items()}
    for table in (META_LABELS, LONG_LABELS, FINDING_LABELS, AUDIT_LABELS):
        for k, v in table.items():
            _IDS.setdefault(v, k)


def zh_label(column: str) -> str:
    """The Chinese name of a frame column: a cell id or a metadata column;
    any other name is returned as it is."""
    if _NAMES is None:
        _build()
    assert _NAMES is not None
    if column in _NAMES:
        return _NAMES[column]
    for table in (META_LABELS, LONG_LABELS, FINDING_LABELS, AUDIT_LABELS):
        if column in table:
            return table[column]
    return column


def from_label(name: str) -> str:
    """The SCHEMA id (or frame column) of a Chinese name made by ``zh_label``;
    an id is returned as it is.  Raises KeyError for a name it did not make."""
    if _IDS is None:
        _build()
    assert _IDS is not None and _NAMES is not None
    if name in _IDS:
        return _IDS[name]
    if name in _NAMES or any(name in t for t in (META_LABELS, LONG_LABELS, FINDING_LABELS,
                                                 AUDIT_LABELS)):
        return name
    raise KeyError(f"{name!r} is not a govdisclose column label")


def label_path(cell: str) -> Tuple[str, ...]:
    """The labels over a cell as the table prints them, outermost first:
    ``('三、收到和处理政府信息公开申请情况', '三、本年度办理结果', '（三）不予公开',
    '1.属于国家秘密', '自然人')``."""
    if _PATHS is None:
        _build()
    assert _PATHS is not None
    return _PATHS[cell]


def zh_columns(columns: Any) -> List[str]:
    """Column names in Chinese, in order."""
    return [zh_label(str(c)) for c in columns]


def ids_of(columns: Any, strict: bool = True) -> List[str]:
    """The ids of Chinese column names (the inverse of ``zh_columns``); a
    name it did not make raises KeyError, or with strict=False stays as it is."""
    out = []
    for c in columns:
        try:
            out.append(from_label(str(c)))
        except KeyError:
            if strict:
                raise
            out.append(str(c))
    return out


def check_labels(labels: str) -> str:
    if labels not in LABELS:
        raise ValueError(f'labels must be "id" or "zh", not {labels!r}')
    return labels


def relabel(df: Any, labels: str) -> Any:
    """df with its columns named by labels ("id": unchanged, "zh": Chinese)."""
    if check_labels(labels) == "id":
        return df
    return df.set_axis(zh_columns(df.columns), axis=1)
