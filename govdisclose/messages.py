"""Findings' messages in English or Chinese.

    >>> govdisclose.parse(text, lang="zh").findings[0].message
    '三、（七）总计·总计 为 35，应为 36 [一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理]…'

Where the text lives, and why here
----------------------------------
The C core writes every message in English (``gd_add_finding``'s printf
formats) and the Python layer adds its own findings (``parse.failed``,
``parse.needs_ocr``, ``years.*``...).  ``MESSAGES`` below is the one table of
both languages for every finding code, wherever the finding is made: each
entry lists the English message as a pattern (``{name}`` where the message
has a value) beside its Chinese form.  A Chinese message is made by matching
the English one against its code's patterns and filling the Chinese form with
the same values; cells and tables are named by their official labels
(``govdisclose.labels``).  So the core stays plain C with one language, the
codes never change, and a message no pattern matches (a newer core, a
reworded message) stays English rather than being lost or garbled.

``MESSAGES`` is the list of codes: adding a code means adding its entry here,
with both languages.  The tests check every entry for both languages, that
every code the C sources and the Python layer emit has an entry, and that
every message of the corpus's findings finds its Chinese form.

Which language
--------------
``lang="zh"`` or ``"en"`` where a function takes it; else the environment
variable ``GOVDISCLOSE_LANG`` (``zh``/``en``, or a locale name such as
``zh_CN.UTF-8``); else the locale, read as gettext reads it (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``): Chinese when it starts with ``zh``.
English messages are turned into Chinese, never back: choose the language
when parsing, or keep the English (the default outside a Chinese locale) and
ask for Chinese in a view.
"""
from __future__ import annotations

import dataclasses
import os
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Pattern, Tuple

from ._model import Finding, Report

__all__ = ["MESSAGES", "LANGS", "resolve_lang", "message", "values", "localize",
           "localize_report", "Message"]

LANGS = ("en", "zh")


@dataclasses.dataclass(frozen=True)
class Message:
    """One wording of a code's message: en is a pattern of the English text,
    zh the Chinese text with the same ``{names}``.  ``{name:kind}`` names a
    value to show in Chinese terms: ``cell`` (a SCHEMA path), ``cells`` (such
    paths, ", "-separated), ``table`` (a table id), ``pdf`` (the reasons
    for leaving PDF pages out), ``rule`` (a deadline of 《条例》), ``shown`` (a number or ``blank``).  A name starting with
    ``_`` is an English plural ending (``cell{_s}``), dropped in Chinese."""

    en: str
    zh: str


_IDENTITY = [
    Message("{cell:cell} should be {expected}, beyond what a 64-bit count holds [{rule}]",
            "{cell} 应为 {expected}，超出 64 位整数能表示的范围 [{rule}]"),
    Message("{cell:cell}: not checkable in strict mode, {n} blank or na cell{_s} "
            "(first: {first:cell}) [{rule}]",
            "{cell}：严格模式下无法核对，有 {n} 个空白或无数据的单元格（第一个：{first}）[{rule}]"),
    Message("{cell:cell}: holds only when {n} blank or na cell{_s} (first: {first:cell}) "
            "count as 0 [{rule}]",
            "{cell}：{n} 个空白或无数据的单元格（第一个：{first}）按 0 计时才成立 [{rule}]"),
    # made by govdisclose.grouping for the views, from many of the one before
    Message("{n} totals hold only when blank or na cells count as 0: {cells:cells} [{rule}]",
            "{n} 个合计要把空白或无数据的单元格按 0 计才成立：{cells} [{rule}]"),
    Message("{cell:cell} is {actual:shown} but should be {expected} [{rule}] "
            "(blank or na cells counted as 0)",
            "{cell} 为 {actual}，应为 {expected} [{rule}]（空白或无数据的单元格按 0 计）"),
    Message("{cell:cell} is {actual:shown} but should be {expected} [{rule}]",
            "{cell} 为 {actual}，应为 {expected} [{rule}]"),
]
_BLANK_NOTE = " (counting the blank or dash in {assumed} as 0)"
_BLANK_NOTE_ZH = "（{assumed} 的空白或横线按 0 计）"

#: Every finding code and the wordings of its message.  Adding a code: add its
#: entry here, in both languages (tests/test_messages.py checks it).
MESSAGES: Dict[str, List[Message]] = {
    # identities (src/check.c)
    "requests.balance": _IDENTITY,
    "requests.column_total": _IDENTITY,
    "requests.row_total": _IDENTITY,
    "reviews.total": _IDENTITY,
    # section 一's prose against the tables (src/prose.c)
    "text.mismatch": [
        Message("section 一 says {what} {said} (byte {at}) but {cell:cell} is {value} "
                "(nor 新收 + 上年结转 either)",
                "第一部分正文说 {what} {said}（第 {at} 字节），但 {cell} 为 {value}"
                "（新收 + 上年结转 也不是）"),
        Message("section 一 says {what} {said} (byte {at}) but {cell:cell} is {value} "
                "(未经复议直接起诉 + 复议后起诉)",
                "第一部分正文说 {what} {said}（第 {at} 字节），但 {cell} 为 {value}"
                "（未经复议直接起诉 + 复议后起诉）"),
        Message("section 一 says {what} {said} (byte {at}) but {cell:cell} is {value}",
                "第一部分正文说 {what} {said}（第 {at} 字节），但 {cell} 为 {value}"),
    ],
    # reading the tables (src/tables.c)
    "parse.duplicate_row": [
        Message("{cell:cell} appears twice; the values of the second one are not used",
                "{cell} 出现了两次；第二次的数值未采用"),
    ],
    "parse.number_too_large": [
        Message("{cell:cell} holds a number of more than {digits} digits; it is kept as text",
                "{cell} 的数字超过 {digits} 位，按文字保留"),
    ],
    "parse.incomplete_row": [
        Message("{cell:cell} has {got} of its {need} cells; the others are missing",
                "{cell} 只有 {need} 个单元格中的 {got} 个，其余缺失"),
    ],
    "parse.glued_cells": [
        Message("{cell:cell}: the digits '{digits}' were run together and split more than one "
                "way or not at all; the cells are left empty and the digits listed in unplaced",
                "{cell}：数字“{digits}”连在一起，能拆成不止一种或无法拆开；这些单元格留空，"
                "数字列入未归位数字（unplaced）"),
        Message("table {table:table}: {n} row{_s} of digits run together were split where the "
                "table's own totals allow one reading only",
                "{table}：{n} 行连在一起的数字，按本表合计唯一可行的读法拆开"),
    ],
    "parse.unlabelled_rows": [
        Message("table {table:table}: {n} rows of values had lost their labels; they were "
                "given, in template order, to the {m} rows whose labels stood apart",
                "{table}：{n} 行数值与行标签分离，已按模板顺序归入另列的 {m} 个行标签"),
    ],
    "parse.incomplete_table": [
        Message("table 四 has {n} of its 15 cells; the others are missing",
                "表四只有 15 个单元格中的 {n} 个，其余缺失"),
    ],
    "parse.unplaced_number": [
        Message("{n} number{_s} in table {table:table} could not be placed in a cell "
                "(first: {first}); see unplaced",
                "{table}中有 {n} 个数字无法归入单元格（第一个：{first}），见未归位数字（unplaced）"),
        Message("{n} values follow the caption （六）其他处理 in a table whose （六） has "
                "numbered rows; they belong to no row and are listed in unplaced",
                "表三的（六）分列小项，但“（六）其他处理”标题后另有 {n} 个数值；它们不属于任何一行，"
                "列入未归位数字（unplaced）"),
    ],
    "parse.missing_row": [
        Message("row {cell:cell} ({label}) was not found; identities using it are not checked",
                "未找到 {cell} 这一行；用到它的勾稽关系不作核对"),
    ],
    "parse.not_a_report": [
        Message("this text is not a government information disclosure annual report: no title "
                "and none of its tables were found",
                "这不是政府信息公开工作年度报告：既没有标题，也没有找到任何一张表"),
    ],
    "parse.pre_template": [
        Message("a report from before the 2019 national template: free-form, so no standard "
                "table is read; its statistics table, if any, is kept as extra rows",
                "2019 年全国统一格式之前的报告：格式自由，不读取标准表格；如有统计表，按附加行保留"),
    ],
    "parse.missing_table": [
        Message("table {table:table} ({label}): its heading was found but no cell could be read",
                "找到了{table}（{label}）的标题，但没有读出任何单元格"),
        Message("table {table:table} ({label}): neither its heading nor its rows were found",
                "未找到{table}（{label}）：既没有标题，也没有表格行"),
    ],
    # reading the input (govdisclose/_read.py, _formats.py, bulk.py)
    "parse.encoding": [
        Message("the page declares charset={declared} but byte {offset} is not UTF-8: read as "
                "GB18030",
                "网页声明编码为 {declared}，但第 {offset} 字节不是 UTF-8：按 GB18030 读取"),
        Message("{detail}", "编码说明：{detail}"),
    ],
    "parse.needs_ocr": [
        Message("{detail:pdf}: run OCR on it first; no number was read from it",
                "{detail}：请先做 OCR；没有从中读取任何数字"),
        Message("{n} of {total} pages were left out ({detail:pdf}): run OCR on them; tables "
                "printed there are missing",
                "{total} 页中有 {n} 页被略过（{detail}）：请对这些页做 OCR；印在这些页上的表格缺失"),
        # with the advice govdisclose/_read.py's _ocr_hint gives (install the extra, ocr="auto")
        Message("{detail:pdf}: run OCR on it{how:ocrhow}; no number was read from it",
                "{detail}：{how}；没有从中读取任何数字"),
        Message("{n} of {total} pages were left out ({detail:pdf}): run OCR on it{how:ocrhow}; "
                "tables printed there are missing",
                "{total} 页中有 {n} 页被略过（{detail}）：{how}；印在这些页上的表格缺失"),
    ],
    "parse.failed": [
        Message("{source}: {reason}", "{source}：无法读取或解析（{reason}）"),
    ],
    # OCR (govdisclose/_ocr/): what it read, what it is unsure of, what the identities chose
    "parse.ocr": [
        Message("page {page}: read by OCR ({engine}), {dpi}, {w} x {h} pixels, turned {angle}, "
                "{n} pieces of text, mean confidence {conf}",
                "第 {page} 页：由 OCR 读取（{engine}），{dpi}，{w} x {h} 像素，已转正 {angle}，"
                "{n} 段文字，平均置信度 {conf}"),
        Message("page {page}: read by OCR ({engine}), {dpi}, {w} x {h} pixels, {n} pieces of "
                "text, mean confidence {conf}",
                "第 {page} 页：由 OCR 读取（{engine}），{dpi}，{w} x {h} 像素，{n} 段文字，"
                "平均置信度 {conf}"),
    ],
    "parse.ocr_uncertain": [
        Message("{cell:cell}: OCR read {raw}; the number {what}: check it against the page",
                "{cell}：OCR 读作 {raw}；该数字识别把握不大（{what}）：请对照原页核对"),
        Message("table {table}: its identities do not all hold as read, and {why}: nothing was "
                "changed",
                "表 {table}：按识别结果勾稽关系不全成立，且{why}：未作任何更改"),
    ],
    "parse.ocr_corrected": [
        Message("{cell:cell}: OCR read {raw} with uncertain digits, taken as {chosen}: the only "
                "reading of the table's uncertain digits under which every identity of the "
                "table holds",
                "{cell}：OCR 读作 {raw}（有把握不大的数字），取为 {chosen}：这是唯一能使该表"
                "全部勾稽关系成立的读法"),
    ],
    "parse.ocr_limit": [
        Message("{detail}", "OCR 限制：{detail}"),
    ],
    # the agency and the script (src/meta.c, src/report.c)
    "parse.agency_pronoun": [
        Message('the report names its body only as "{name}"; the agency is unknown',
                "报告只以“{name}”称呼发布机关；机关名称不详"),
    ],
    "parse.traditional": [
        Message("the text writes {n} traditional characters of the template's words; they were "
                "read as their simplified forms",
                "正文中模板用语有 {n} 个繁体字，已按简体读取"),
    ],
    # dates and sections (src/deadline.c, src/sections.c)
    "published.late": [
        Message("published {when}, {late} day{_s} after the deadline {due} [{rule:rule}]",
                "发布于 {when}，比法定期限 {due} 晚 {late} 天 [{rule}]"),
    ],
    "dated.late": [
        Message("signed {when}, {late} day{_s} after the deadline {due}, so published late too "
                "(no publication date is known) [{rule:rule}]",
                "落款日期 {when}，比法定期限 {due} 晚 {late} 天，发布也必然晚于期限"
                "（发布日期不详）[{rule}]"),
    ],
    "structure.missing_section": [
        Message("section {numeral} ({title}) is missing; found instead: {found}",
                "缺少第{numeral}部分（{title}）；在其位置找到的是：{found}"),
        Message("section {numeral} ({title}) is missing; no heading numbered {again}、 was found",
                "缺少第{numeral}部分（{title}）：没有找到编号为“{again}、”的标题"),
    ],
    "structure.section_order": [
        Message("section {numeral} ({title}) comes before section {other} ({other_title})",
                "第{numeral}部分（{title}）排在第{other}部分（{other_title}）之前"),
    ],
    "structure.article50": [
        Message("a government's report states the results of 工作考核、社会评议和责任追究 "
                "(《条例》第五十条); this one never mentions {missing}",
                "政府的年度报告应说明工作考核、社会评议和责任追究的结果（《条例》第五十条）；"
                "本报告没有提到{missing}"),
    ],
    "structure.fee_statement": [
        Message("section 六 does not state the fees charged (信息处理费), which the 2021 "
                "template asks for",
                "第六部分没有说明收取信息处理费的情况，而 2021 年格式要求说明"),
    ],
    # across years (govdisclose/years.py)
    "requests.carry_link": [
        Message("{this} carries over {over} application(s) in column {column} (二、上年结转) "
                "but {prev} carried forward {fwd} (四、结转下年度继续办理)" + _BLANK_NOTE +
                " [{rule}]",
                "{this} 的“二、上年结转”（{column}）为 {over} 件，但 {prev} 的“四、结转下年度继续办理”"
                "为 {fwd} 件" + _BLANK_NOTE_ZH + " [{rule}]"),
        Message("{this} carries over {over} application(s) in column {column} (二、上年结转) "
                "but {prev} carried forward {fwd} (四、结转下年度继续办理) [{rule}]",
                "{this} 的“二、上年结转”（{column}）为 {over} 件，但 {prev} 的“四、结转下年度继续办理”"
                "为 {fwd} 件 [{rule}]"),
    ],
    "active.in_force_flow": [
        Message("{this} has {now} {label} in force, but {prev} had {before} in force, and "
                "{issued} issued minus {repealed} repealed since makes {expected}" + _BLANK_NOTE +
                " [{rule}]",
                "{this} 的{label}现行有效 {now} 件，但 {prev} 现行有效 {before} 件，加本年制发 "
                "{issued} 件、减本年废止 {repealed} 件应为 {expected} 件" + _BLANK_NOTE_ZH +
                " [{rule}]"),
        Message("{this} has {now} {label} in force, but {prev} had {before} in force, and "
                "{issued} issued minus {repealed} repealed since makes {expected} [{rule}]",
                "{this} 的{label}现行有效 {now} 件，但 {prev} 现行有效 {before} 件，加本年制发 "
                "{issued} 件、减本年废止 {repealed} 件应为 {expected} 件 [{rule}]"),
    ],
    "years.duplicate": [
        Message("{this} is a second report of {body} for {year} beside {first}; the cross-year "
                "checks use the latter",
                "{this} 是 {body} {year} 年的第二份报告（另一份：{first}）；跨年核对采用后者"),
    ],
    "years.gap": [
        Message("no report of {body} for {missing} between {prev} and {this}: nothing is "
                "checked across the gap",
                "{body} 缺少 {missing} 年的报告（{prev} 与 {this} 之间）：不跨越缺口核对"),
    ],
}


# ---- Which language ---------------------------------------------------------------


def _lang_of(name: str) -> Optional[str]:
    name = name.strip().lower()
    if name.startswith("zh"):
        return "zh"
    if name.startswith("en") or name in ("c", "posix") or name.startswith("c."):
        return "en"
    return None


def resolve_lang(lang: Optional[str] = None) -> str:
    """ "en" or "zh": lang if given, else $GOVDISCLOSE_LANG, else the locale."""
    if lang is not None:
        if lang not in LANGS:
            raise ValueError(f'lang must be "en" or "zh", not {lang!r}')
        return lang
    env = os.environ.get("GOVDISCLOSE_LANG", "")
    if env and _lang_of(env):
        return _lang_of(env)  # type: ignore[return-value]
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:  # as gettext: the first one set decides
            return _lang_of(value.split(":")[0]) or "en"
    return "en"


# ---- Patterns -----------------------------------------------------------------------

_FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")
_Compiled = List[Tuple[Pattern[str], Dict[str, str], str]]
_COMPILED: Dict[str, _Compiled] = {}


def _compile(m: Message) -> Tuple[Pattern[str], Dict[str, str], str]:
    kinds: Dict[str, str] = {}
    parts: List[str] = []
    at = 0
    for f in _FIELD.finditer(m.en):
        parts.append(re.escape(m.en[at:f.start()]))
        name, kind = f.group(1), f.group(2) or ""
        if name.startswith("_"):
            parts.append(f"(?P<{name}>[a-z]*)")
        else:
            parts.append(f"(?P<{name}>.+?)")
            kinds[name] = kind
        at = f.end()
    parts.append(re.escape(m.en[at:]))
    zh = _FIELD.sub(lambda f: "{" + f.group(1) + "}", m.zh)
    return re.compile("".join(parts), re.S), kinds, zh


def _patterns(code: str) -> _Compiled:
    got = _COMPILED.get(code)
    if got is None:
        got = _COMPILED[code] = [_compile(m) for m in MESSAGES.get(code, ())]
    return got


_TABLES_ZH = {"active": "表二", "requests": "表三", "reviews": "表四"}


def _cell_zh(path: str) -> str:
    """A SCHEMA path (cell, row or table) by its Chinese labels."""
    from . import _core
    from .labels import zh_label

    name = zh_label(path)
    if name != path:
        return name
    table, _, row_id = path.partition(".")
    for row in _core.template().get(table, {}).get("rows", ()) if row_id else ():
        if row["id"] == row_id and row["columns"]:  # a row: its labels without a column
            return zh_label(f"{path}.{row['columns'][0]['id']}").rsplit("·", 1)[0]
    return _TABLES_ZH.get(path, path)


# The reasons govdisclose/_pdf.py gives for a page or a file, in Chinese.
_PDF_PHRASES = [
    (re.compile(r"the PDF has no usable text layer"), "PDF 没有可用的文字层"),
    (re.compile(r"the PDF's text layer holds no Chinese character: its fonts map glyphs to codes "
                r"that are not their characters \(or it is no Chinese report\)"),
     "PDF 的文字层没有一个汉字：字体把字形映射到了别的编码（或者这不是中文报告）"),
    (re.compile(r"page (\d+): it is a scanned image without a text layer"),
     r"第 \1 页：扫描图像，没有文字层"),
    (re.compile(r"page (\d+): (\d+) of its (\d+) characters have no Unicode mapping "
                r"\(unreadable glyphs\)"),
     r"第 \1 页：\3 个字符中有 \2 个没有 Unicode 映射（无法识别的字形）"),
    (re.compile(r"; "), "；"),
]


# The deadlines of 《条例》 (src/deadline.c) that a late report is measured by.
_RULES_ZH = {
    "a department of a government at county level or above, by 31 January of the next year":
        "县级以上人民政府部门，次年1月31日前",
    "a local government at county level or above, by 31 March of the next year":
        "县级以上地方人民政府，次年3月31日前",
    "the body governing a zone at county level or above, by 31 March of the next year":
        "县级以上的区的管理机构，次年3月31日前",
    "every administrative body, by 31 March of the next year": "各行政机关，次年3月31日前",
}


def _rule_zh(rule: str) -> str:
    law, sep, text = rule.partition(": ")
    return law + "：" + _RULES_ZH[text] if sep and text in _RULES_ZH else rule


def _pdf_zh(text: str) -> str:
    for pattern, zh in _PDF_PHRASES:
        text = pattern.sub(zh, text)
    return text


def _ocr_how_zh(how: str) -> str:
    """The rest of "run OCR on it…" (" first", ": pip install …", " (parse(…))")."""
    if how == " first":
        return "请先做 OCR"
    if how.startswith(": "):
        return "请做 OCR：" + how[2:]
    if how.startswith(" (") and how.endswith(")"):
        return "请做 OCR（" + how[2:-1] + "）"
    return "请做 OCR" + how


_KINDS: Dict[str, Callable[[str], str]] = {
    "": lambda s: s,
    "cell": _cell_zh,
    "table": lambda s: _TABLES_ZH.get(s, s),
    "shown": lambda s: "空白" if s == "blank" else s,
    "cells": lambda s: "；".join(_cell_zh(c) for c in s.split(", ")),
    "pdf": _pdf_zh,
    "ocrhow": _ocr_how_zh,
    "rule": _rule_zh,
}


def message(finding: Finding, lang: Optional[str] = None) -> str:
    """The finding's message in lang (see ``resolve_lang``); an English message
    that no pattern of its code matches is returned as it is."""
    if resolve_lang(lang) == "en":
        return finding.message
    return _zh(finding.code, finding.message)


# What govdisclose/_ocr adds to a broken identity of a table it read.
_OCR_SUFFIX = (" -- this table was read by OCR: the reading may be wrong, not necessarily the "
               "report")
_OCR_SUFFIX_ZH = "——此表由 OCR 读出：可能是识别有误，不一定是报告本身有误"


def _zh(code: str, text: str) -> str:
    if text.endswith(_OCR_SUFFIX):
        base = text[:-len(_OCR_SUFFIX)]
        zh = _zh(code, base)
        return text if zh == base else zh + _OCR_SUFFIX_ZH
    for pattern, kinds, zh in _patterns(code):
        m = pattern.fullmatch(text)
        if m is None:
            continue
        values = {name: _KINDS.get(kind, _KINDS[""])(m.group(name))
                  for name, kind in kinds.items()}
        return zh.format(**values)
    return text


def values(finding: Finding) -> Dict[str, str]:
    """The values a finding's message carries, by their names in ``MESSAGES``,
    whichever language the message is in ({} when no wording matches): for
    code that reads a message (``values(f)["missing"]``) without caring how
    it was localized.  From a Chinese message, cells and tables come as the
    Chinese text names them."""
    text = finding.message
    for suffix in (_OCR_SUFFIX, _OCR_SUFFIX_ZH):
        if text.endswith(suffix):
            return values(dataclasses.replace(finding, message=text[:-len(suffix)]))
    for pattern, _, _ in _patterns(finding.code):
        m = pattern.fullmatch(finding.message)
        if m is not None:
            return {k: v for k, v in m.groupdict().items() if not k.startswith("_")}
    for pattern in _zh_patterns(finding.code):
        m = pattern.fullmatch(finding.message)
        if m is not None:
            return m.groupdict()
    return {}


_ZH_COMPILED: Dict[str, List[Pattern[str]]] = {}


def _zh_patterns(code: str) -> List[Pattern[str]]:
    got = _ZH_COMPILED.get(code)
    if got is None:
        got = []
        for m in MESSAGES.get(code, ()):
            parts, at, seen = [], 0, set()
            for f in _FIELD.finditer(m.zh):
                parts.append(re.escape(m.zh[at:f.start()]))
                name = f.group(1)
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
                at = f.end()
            parts.append(re.escape(m.zh[at:]))
            got.append(re.compile("".join(parts), re.S))
        _ZH_COMPILED[code] = got
    return got


def localize(finding: Finding, lang: Optional[str] = None) -> Finding:
    """The finding with its message in lang."""
    text = message(finding, lang)
    return finding if text == finding.message else dataclasses.replace(finding, message=text)


def localize_report(report: Report, lang: Optional[str] = None) -> Report:
    """The report with its findings' messages in lang (the same object when
    nothing changes, as for English)."""
    if resolve_lang(lang) == "en" or not report.findings:
        return report
    findings = tuple(localize(f, "zh") for f in report.findings)
    if all(a is b for a, b in zip(findings, report.findings)):
        return report
    return dataclasses.replace(report, findings=findings)


def localize_all(reports: Iterable[Any], lang: Optional[str] = None) -> Iterable[Any]:
    """Reports or (source, Report) pairs, localized as they come."""
    if resolve_lang(lang) == "en":
        yield from reports
        return
    for item in reports:
        if isinstance(item, tuple):
            yield (item[0], localize_report(item[1], "zh"))
        else:
            yield localize_report(item, "zh")
