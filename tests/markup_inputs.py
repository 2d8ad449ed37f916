"""HTML pages and DOCX document.xml files built from real reports, for tests.

The corpus has no real HTML page or DOCX report yet (../shared/corpus/README.md).
This module builds them in the shape real ones have: Word markup pasted into a
government CMS.  **The markup is derived; the words and numbers are real**:

- the report's own text (every paragraph before section 二 and from section 五
  on, and the section headings) is taken line by line from the corpus text file;
- every table value is the value of the report's gold file (what a careful
  reader finds in the published report), with its note where gold has one
  (``211184（含交通行政处罚实施数量209995）``);
- the table layout is the official 2021 template's (the layout of
  ``template-2021-blank.docx``: captions as colspan rows, table 三's group cells
  as rowspan=22/8/3/5/3, table 四's two header rows).

The page chrome around the report (menus, breadcrumbs, the 索引号 box, the
footer) is made up, and so are the values of the index number and the ICP
licence in it.

Run as a script to write the inputs to a folder:
    python tests/markup_inputs.py OUTDIR
"""
import html
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

# ---- The official 2021 layout -------------------------------------------------

REQ_COLS = ["natural_person", "commercial", "research", "public_interest", "legal_services",
            "other_org", "total"]
REV_COLS = ["upheld", "corrected", "other", "pending", "total"]

# Table 三: (group caption, its rowspan, [(label, row id), ...]) in the official order.
REQUEST_GROUPS: List[Tuple[Optional[str], List[Tuple[str, str]]]] = [
    (None, [("（一）予以公开", "granted"),
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_granted")]),
    ("（三）不予公开", [
        ("1.属于国家秘密", "withheld.state_secret"),
        ("2.其他法律行政法规禁止公开", "withheld.prohibited_by_law"),
        ("3.危及“三安全一稳定”", "withheld.security_stability"),
        ("4.保护第三方合法权益", "withheld.third_party_rights"),
        ("5.属于三类内部事务信息", "withheld.internal_affairs"),
        ("6.属于四类过程性信息", "withheld.process_info"),
        ("7.属于行政执法案卷", "withheld.enforcement_file"),
        ("8.属于行政查询事项", "withheld.inquiry")]),
    ("（四）无法提供", [
        ("1.本机关不掌握相关政府信息", "unable.not_held"),
        ("2.没有现成信息需要另行制作", "unable.needs_creation"),
        ("3.补正后申请内容仍不明确", "unable.unclear")]),
    ("（五）不予处理", [
        ("1.信访举报投诉类申请", "not_processed.petition"),
        ("2.重复申请", "not_processed.repeated"),
        ("3.要求提供公开出版物", "not_processed.publication"),
        ("4.无正当理由大量反复申请", "not_processed.excessive"),
        ("5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation")]),
    ("（六）其他处理", [
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         "other.unpaid_fee"),
        ("3.其他", "other.other")]),
    (None, [("（七）总计", "total")]),
]

REQUEST_ROW_LABELS = (
    ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
    + [label for _, rows in REQUEST_GROUPS for label, _ in rows]
    + ["四、结转下年度继续办理"])

# Table 二: (caption, header of the value columns, [(label, row id, columns)]).
ACTIVE_BLOCKS = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", "rules", ["issued", "repealed", "in_force"]),
      ("行政规范性文件", "normative_documents", ["issued", "repealed", "in_force"])]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing", ["count"])]),
    ("第二十条第（六）项", ["本年处理决定数量"],
     [("行政处罚", "penalties", ["count"]), ("行政强制", "enforcement", ["count"])]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees", ["amount"])]),
]

REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]

# ---- The real report: its text and its gold values ----------------------------


class Report:
    """One corpus report: prose before and after the tables, headings, values."""

    def __init__(self, corpus: Path, name: str):
        self.name = name
        gold = json.loads((corpus / "gold" / f"{name}.json").read_text(encoding="utf-8"))
        self.gold = gold
        self.cells: Dict[str, object] = gold["cells"]
        self.notes: Dict[str, str] = gold.get("notes", {})
        lines = [re.sub(r"^[#\s]+", "", ln).strip()
                 for ln in (corpus / gold["source"]).read_text(encoding="utf-8").splitlines()]

        def find(pred) -> int:
            return next(i for i, ln in enumerate(lines) if pred(ln))

        i2 = find(lambda ln: ln.startswith("二、主动公开政府信息情况"))
        i3 = find(lambda ln: ln.startswith("三、收到和处理政府信息公开申请"))
        i4 = find(lambda ln: ln.startswith("四、") and "行政复议" in ln)
        i5 = find(lambda ln: ln.startswith("五、"))
        self.before = [ln for ln in lines[:i2] if ln]
        self.headings = (lines[i2], lines[i3], lines[i4])
        self.after = [ln for ln in lines[i5:] if ln and not ln.startswith("|")]
        # the report's title: its first line, with the second where the title
        # runs over two ("重庆市大足区公安局" / "2021年政府信息公开工作年度报告")
        self.title, self.title_lines = self.before[0], 1
        if "报告" not in self.title and "报告" in self.before[1]:
            self.title, self.title_lines = self.title + self.before[1], 2

    def value(self, path: str) -> str:
        """The cell as the report prints it (a blank cell is "")."""
        v = self.cells[path]
        if v == "empty":
            return ""
        if v == "na":
            return "—"
        text = str(v)
        if path in self.notes:
            text += "（" + self.notes[path] + "）"
        return text


# ---- HTML ---------------------------------------------------------------------

TD_STYLE = ("padding:0.0000pt 5.4000pt 0.0000pt 5.4000pt ;border-left:1.0000pt solid windowtext;"
            "mso-border-left-alt:0.5000pt solid windowtext;border-right:1.0000pt solid windowtext;"
            "mso-border-right-alt:0.5000pt solid windowtext;border-top:none;"
            "mso-border-top-alt:0.5000pt solid windowtext;border-bottom:1.0000pt solid windowtext;"
            "mso-border-bottom-alt:0.5000pt solid windowtext;")
P_STYLE = ("margin-top:0.0000pt;margin-bottom:0.0000pt;text-align:center;"
           "mso-pagination:widow-orphan;line-height:15.0000pt;mso-line-height-rule:exactly;")
SPAN_STYLE = ("font-family:仿宋_GB2312;mso-hansi-font-family:宋体;mso-bidi-font-family:宋体;"
              "color:rgb(51,51,51);font-size:10.5000pt;mso-font-kerning:0.0000pt;")


def _span(text: str, lang: bool = False) -> str:
    attr = ' lang="EN-US"' if lang else ""
    return f'<span{attr} style="{SPAN_STYLE}">{text}</span>'


def _runs(text: str) -> str:
    """Text as Word writes it: ASCII digits in EN-US runs, the rest in 仿宋 runs."""
    out = []
    for part in re.findall(r"[0-9.]+|[^0-9.]+", text):
        out.append(_span(html.escape(part, quote=False), lang=part[0].isdigit()))
    return "".join(out)


class Html:
    """One page; variant is "word" (Word export pasted as is), "sloppy" (the same
    typed by hand: unclosed, upper case, unquoted) or "layout" (the article
    inside a layout table of the site)."""

    def __init__(self, variant: str):
        self.variant = variant
        self.sloppy = variant == "sloppy"

    def tag(self, name: str) -> str:
        return name.upper() if self.sloppy else name

    def cell(self, content: str, colspan: int = 1, rowspan: int = 1, width: int = 60,
             blank: bool = False) -> str:
        td = self.tag("td")
        attrs = []
        if self.sloppy:
            attrs.append(f"width={width}")
            if colspan > 1:
                attrs.append(f"colSpan={colspan}")
            if rowspan > 1:
                attrs.append(f"rowSpan={rowspan}")
            attrs.append('title="a>b"')  # '>' inside quotes must not end the tag
        else:
            attrs.append(f'width="{width}"')
            if colspan > 1:
                attrs.append(f'colspan="{colspan}"')
            if rowspan > 1:
                attrs.append(f'rowspan="{rowspan}"')
            attrs.append('valign="center"')
            attrs.append(f'style="{TD_STYLE}"')
        sep = "\n" if self.sloppy else " "
        inner = _span("&nbsp;") if blank else content
        if self.sloppy:
            return f"<{td}{sep}{' '.join(attrs)}><{self.tag('p')} class=p align=center>{inner}\n"
        return (f"<{td} {' '.join(attrs)}><p class=\"p\" align=\"center\" style=\"{P_STYLE}\">"
                f"{inner}{_span('<o:p></o:p>')}</p></{td}>")

    def label(self, text: str, **kw) -> str:
        return self.cell(_runs(text), **kw)

    def split_label(self, text: str, **kw) -> str:
        """A label in two <font> fragments, the way the CMS leaves Word's runs."""
        return self.cell('<font face="Calibri">&nbsp;</font>'
                         f'<font face="仿宋_GB2312">{html.escape(text)}</font>', **kw)

    def broken_label(self, a: str, b: str, **kw) -> str:
        """A header printed on two lines inside its cell (商业 / 企业)."""
        if self.sloppy:
            return self.cell(f"{_runs(a)}<BR>{_runs(b)}", **kw)
        return self.cell(f"{_runs(a)}</p><p class=\"p\" align=\"center\">{_runs(b)}", **kw)

    def value(self, text: str, **kw) -> str:
        return self.cell(_runs(text), blank=text == "", **kw)

    def row(self, cells: List[str]) -> str:
        if self.sloppy:
            return f"<{self.tag('tr')}>\n" + "".join(cells)
        return "<tr style=\"height:22.0000pt;\">" + "".join(cells) + "</tr>\n"

    def table(self, rows: List[str], ncols: int) -> str:
        if self.variant == "word":
            # Word closes a table with a row of empty cells that only fixes the column widths
            rows = rows + ["<![if !supportMisalignedColumns]><tr height=\"0\">"
                           + '<td width="48" style="border:none;"></td>' * ncols
                           + "</tr><![endif]>"]
        if self.sloppy:
            return "<TABLE border=1 cellSpacing=0>\n" + "".join(rows) + "</TABLE>\n"
        return ('<table class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:'
                'collapse;mso-table-layout-alt:fixed;mso-padding-alt:0.0000pt 5.4000pt;">\n<tbody>'
                + "".join(rows) + "</tbody></table>\n")

    def para(self, text: str, heading: bool = False) -> str:
        body = _runs(text)
        if heading:
            body = f"<b>{body}</b>"
        if self.sloppy:
            return f"<P class=MsoNormal>{body}\n"
        return ('<p class="MsoNormal" style="text-indent:32.0000pt;mso-char-indent-count:2.0000;'
                f'line-height:28.0000pt;mso-line-height-rule:exactly;">{body}'
                f'{_span("<o:p></o:p>")}</p>\n')

    # -- the three tables --

    def active(self, r: Report) -> str:
        rows = []
        for caption, headers, data in ACTIVE_BLOCKS:
            rows.append(self.row([self.split_label(caption, colspan=4, width=560)]))
            span = 4 - len(headers)
            hdr = [self.label("信息内容", width=140)]
            hdr += [self.label(h, colspan=1 + span if len(headers) == 1 else 1) for h in headers]
            rows.append(self.row(hdr))
            for lab, rid, cols in data:
                cells = [self.label(lab, width=140)]
                for c in cols:
                    cells.append(self.value(r.value(f"active.{rid}.{c}"),
                                            colspan=3 if len(cols) == 1 else 1))
                rows.append(self.row(cells))
        return self.table(rows, 4)

    def requests(self, r: Report) -> str:
        vals = lambda rid: [self.value(r.value(f"requests.{rid}.{c}")) for c in REQ_COLS]
        rows = [
            self.row([self.label("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                                 colspan=3, rowspan=3, width=200),
                      self.label("申请人情况", colspan=7)]),
            self.row([self.label("自然人", rowspan=2), self.label("法人或其他组织", colspan=5),
                      self.label("总计", rowspan=2)]),
            self.row([self.broken_label("商业", "企业"), self.broken_label("科研", "机构"),
                      self.label("社会公益组织"), self.label("法律服务机构"), self.label("其他")]),
            self.row([self.label("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new")),
            self.row([self.label("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over")),
        ]
        first = True
        for group, members in REQUEST_GROUPS:
            for k, (lab, rid) in enumerate(members):
                cells = []
                if first:  # 三、本年度办理结果 spans every result row
                    cells.append(self.label("三、本年度办理结果", rowspan=22))
                    first = False
                if group is None:
                    cells.append(self.label(lab, colspan=2))
                else:
                    if k == 0:
                        cells.append(self.label(group, rowspan=len(members)))
                    cells.append(self.label(lab))
                rows.append(self.row(cells + vals(rid)))
        rows.append(self.row([self.label("四、结转下年度继续办理", colspan=3)] + vals("carried_forward")))
        return self.table(rows, 10)

    def reviews(self, r: Report) -> str:
        heads = [("结果", "维持"), ("结果", "纠正"), ("其他", "结果"), ("尚未", "审结")]
        rows = [
            self.row([self.label("行政复议", colspan=5), self.label("行政诉讼", colspan=10)]),
            self.row([self.broken_label(a, b, rowspan=2) for a, b in heads]
                     + [self.label("总计", rowspan=2), self.label("未经复议直接起诉", colspan=5),
                        self.label("复议后起诉", colspan=5)]),
            self.row(([self.broken_label(a, b) for a, b in heads] + [self.label("总计")]) * 2),
            self.row([self.value(r.value(f"reviews.{g}.{c}")) for g in REVIEW_GROUPS
                      for c in REV_COLS]),
        ]
        return self.table(rows, 15)

    # -- the page --

    def article(self, r: Report) -> str:
        out = [f'<div class="article-title"><h1>{html.escape(r.title)}</h1></div>\n']
        out.append('<div class="TRS_Editor"><div class="Section0" style="layout-grid:15.6000pt;">\n')
        for ln in r.before[r.title_lines:]:
            out.append(self.para(ln, heading=bool(re.match(r"^[一二三四五六七八九十]、", ln))))
        out.append(self.para(r.headings[0], heading=True))
        out.append(self.active(r))
        out.append(self.para(r.headings[1], heading=True))
        out.append(self.requests(r))
        out.append(self.para(r.headings[2], heading=True))
        out.append(self.reviews(r))
        for ln in r.after:
            out.append(self.para(ln, heading=bool(re.match(r"^[一二三四五六七八九十]、", ln))))
        out.append("</div></div>\n")
        return "".join(out)

    def page(self, r: Report) -> str:
        published = r.gold.get("published") or ""
        if isinstance(published, list):
            published = published[0]
        agency = r.gold["agency"] if isinstance(r.gold["agency"], str) else r.gold["agency"][0]
        head = (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:o="urn:schemas-microsoft-com:office:office">\n'
            "<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />\n"
            f"<title>{html.escape(r.title)}_{html.escape(agency)}</title>\n"
            "<style type=\"text/css\">\n.nav li{float:left;width:120px}\ntd>p{margin:0}\n"
            "/* <table><tr><td>98762</td></tr></table> */\n</style>\n"
            "<script type=\"text/javascript\">\nvar pageSize = 20;\n"
            "if (a < b && c > d) { document.write('<table><tr><td>98761</td></tr></table>'); }\n"
            "</script>\n</head>\n<body>\n")
        nav = (
            '<div class="header"><div class="logo"><img src="/images/logo.png" alt="门户网站" /></div>\n'
            '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li><li><a href="/zwfw/">政务服务</a></li></ul></div>\n'
            '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
            ' &gt; 政府信息公开年报</div>\n'
            "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->\n"
            '<table class="xxgk-info" width="100%"><tr><td>索引号：</td><td>XXGK-0000-0000</td>'
            f"<td>发布机构：</td><td>{html.escape(agency)}</td></tr>\n"
            f"<tr><td>主题分类：</td><td>政务公开</td><td>发文日期：</td><td>{published}</td></tr></table>\n")
        foot = (
            '<div class="share">分享到：<a href="#">微信</a> | <a href="#">微博</a></div>\n'
            '<div class="footer"><p>主办单位：' + html.escape(agency) + "</p>"
            "<p>网站标识码：XXXXXXXXXX&nbsp;&nbsp;备案号：ICP备XXXXXXXX号</p></div>\n"
            "<noscript><p>您的浏览器不支持脚本</p></noscript>\n")
        art = self.article(r)
        if self.variant == "layout":
            body = (nav + '<table class="main" width="1000" align="center"><tr>'
                    '<td class="left" width="200" valign="top"><ul><li>机构职能</li><li>政策文件</li>'
                    '<li>政府信息公开年报</li></ul></td>\n'
                    '<td class="content" valign="top">\n' + art + "</td></tr></table>\n" + foot)
        else:
            body = nav + '<div class="content">\n' + art + "</div>\n" + foot
        return head + body + "</body>\n</html>\n"


def html_page(r: Report, variant: str = "word") -> str:
    return Html(variant).page(r)


# ---- DOCX ---------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def template_document_xml(corpus: Path) -> bytes:
    with zipfile.ZipFile(corpus / "template-2021-blank.docx") as z:
        return z.read("word/document.xml")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s.replace("\u3000", ""))


def docx_document(corpus: Path, r: Report) -> bytes:
    """The blank official template with the report's values typed into its
    empty value cells (its own vMerge and gridSpan cells kept as they are)."""
    from lxml import etree  # a test dependency

    root = etree.fromstring(template_document_xml(corpus))
    q = lambda t: f"{{{W}}}{t}"
    active_rows = {lab: (rid, cols) for _, _, data in ACTIVE_BLOCKS for lab, rid, cols in data}
    request_rows = {"一、本年新收政府信息公开申请数量": "new",
                    "二、上年结转政府信息公开申请数量": "carried_over",
                    "四、结转下年度继续办理": "carried_forward"}
    for _, members in REQUEST_GROUPS:
        request_rows.update({lab: rid for lab, rid in members})

    def text(tc) -> str:
        return _norm("".join(tc.itertext()))

    def put(tc, value: str) -> None:
        p = tc.find(q("p"))
        for old in p.findall(q("r")):
            p.remove(old)
        run = etree.SubElement(p, q("r"))
        t = etree.SubElement(run, q("t"))
        t.text = value

    filled = 0
    for tbl_no, tbl in enumerate(root.iter(q("tbl"))):
        for tr in tbl.iter(q("tr")):
            cells = []
            for tc in tr.findall(q("tc")):
                vm = tc.find(f"{q('tcPr')}/{q('vMerge')}")
                if vm is not None and vm.get(q("val"), "continue") == "continue":
                    continue  # the continuation of a merged cell
                cells.append(tc)
            labels = [text(tc) for tc in cells]
            blanks = [tc for tc, lab in zip(cells, labels) if lab == ""]
            paths: List[str] = []
            if tbl_no == 0 and labels and labels[0] in active_rows:
                rid, cols = active_rows[labels[0]]
                paths = [f"active.{rid}.{c}" for c in cols]
            elif tbl_no == 1:
                lab = next((lab for lab in reversed(labels) if lab), "")
                if lab in request_rows:
                    paths = [f"requests.{request_rows[lab]}.{c}" for c in REQ_COLS]
            elif tbl_no == 2 and len(blanks) == 15:
                paths = [f"reviews.{g}.{c}" for g in REVIEW_GROUPS for c in REV_COLS]
            if paths:
                assert len(blanks) == len(paths), (labels, paths)
                for tc, path in zip(blanks, paths):
                    put(tc, r.value(path))
                    filled += 1
    assert filled == len(r.cells), (filled, len(r.cells))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def main(argv: List[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("markup-inputs")
    corpus = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("dazu-gaj-2021", "shuyang-2025"):
        r = Report(corpus, name)
        for variant in ("word", "sloppy", "layout"):
            (out / f"{name}.{variant}.html").write_text(html_page(r, variant), encoding="utf-8")
        (out / f"{name}.document.xml").write_bytes(docx_document(corpus, r))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
