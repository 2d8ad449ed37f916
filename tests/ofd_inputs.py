"""OFD files made from pages of positioned text runs, for the tests of the OFD
reader (govdisclose/_ofd.py): the standard's part structure (OFD.xml ->
DocRoot -> Document.xml -> Pages -> Content.xml), in the standard namespace,
another one, or none.
"""
from __future__ import annotations

import io
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

STANDARD = "http://www.ofdspec.org/2016"
Page = Sequence[Tuple[float, float, str]]  # (x, y, text) runs; y grows down


def _ns(prefix: Optional[str], uri: Optional[str]) -> Tuple[str, str]:
    """(the element prefix "ofd:", the xmlns declaration) for a namespace choice."""
    if prefix is None:
        return "", ""
    return f"{prefix}:", f' xmlns:{prefix}="{uri}"'


def ofd_parts(pages: Sequence[Page], prefix: Optional[str] = "ofd", uri: str = STANDARD,
              glyph_pages: Sequence[int] = ()) -> Dict[str, bytes]:
    p, decl = _ns(prefix, uri)
    parts: Dict[str, bytes] = {}
    parts["OFD.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}OFD{decl} Version="1.1" '
                        f'DocType="OFD"><{p}DocBody><{p}DocRoot>Doc_0/Document.xml</{p}DocRoot>'
                        f'</{p}DocBody></{p}OFD>').encode()
    refs = "".join(f'<{p}Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                   for i in range(len(pages)))
    parts["Doc_0/Document.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}Document{decl}>'
                                   f'<{p}Pages>{refs}</{p}Pages></{p}Document>').encode()
    for i, runs in enumerate(pages):
        objs: List[str] = []
        for k, (x, y, text) in enumerate(runs):
            w = 2.0 * len(text)
            if i in glyph_pages:  # glyph indices only: no Unicode text
                code = (f'<{p}CGTransform CodePosition="0" CodeCount="{len(text)}" GlyphCount='
                        f'"{len(text)}"><{p}Glyphs>{" ".join("7" * len(text))}</{p}Glyphs>'
                        f'</{p}CGTransform><{p}TextCode X="0" Y="2"></{p}TextCode>')
            else:
                esc = text.replace("&", "&amp;").replace("<", "&lt;")
                code = f'<{p}TextCode X="0" Y="2" DeltaX="g {len(text)} 2">{esc}</{p}TextCode>'
            objs.append(f'<{p}TextObject ID="{k + 10}" Font="1" Size="2" Boundary="{x} {y - 2} '
                        f'{w} 2.4">{code}</{p}TextObject>')
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}Page{decl}><{p}Content><{p}Layer ID="1">'
            + "".join(objs) + f"</{p}Layer></{p}Content></{p}Page>").encode()
    return parts


def zipped(parts: Dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def ofd(pages: Sequence[Page], **kw) -> bytes:
    return zipped(ofd_parts(pages, **kw))


def table_page(rows: Sequence[Sequence[str]], top: float = 20.0) -> List[Tuple[float, float, str]]:
    """A table: each row on its baseline, cells at fixed column edges."""
    runs = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            runs.append((10.0 + (0 if c == 0 else 80.0 + 20.0 * c), top + 5.0 * r, cell))
    return runs


REPORT_PAGES = [
    [(10, 10, "某某县人民政府"), (10, 15, "2023年政府信息公开工作年度报告"),
     (10, 25, "三、收到和处理政府信息公开申请情况")],
    table_page([["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
                ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]]),
]
