"""Write the hostile markup inputs of issue 6 for the fuzz targets to replay.

Until govdisclose.parse takes format= (issue 3), Python cannot hand HTML or DOCX
to the core; `make -C tests/fuzz hostile` runs these through fuzz_html instead,
each under libFuzzer's -timeout, with ASan and UBSan.  The first byte of each
file is fuzz_html's format byte (0: HTML, 1: DOCX document.xml).

    python3 gen_hostile.py OUTDIR
"""
import sys
from pathlib import Path

N = 10**5
HEAD = "三、收到和处理政府信息公开申请情况"

PAGES = {
    "nested-div": "<div>" * N + HEAD + "</div>" * N,
    "unclosed-div": "<div>" * N + HEAD,
    "unclosed-td": "<table><tr>" + "<td>1" * N,
    "nested-tables": "<table><tr><td>" * N + "3",
    "unclosed-comments": "<!--<p" * N,
    "unclosed-attributes": '<td class="' * N,
    "entities": "&#12288;&amp;&nbsp;&#x0;&#x110000;&#55296;&" * N,
    "colspan-huge": '<table><tr><td colspan="999999999">1</td><td rowspan="4294967297">2</td></tr></table>' * 1000,
    "script-unclosed": "<script>" + "<td>1</td>" * N,
    "cdata-unclosed": "<![CDATA[" + "<td>1</td>" * N,
}
DOCS = {
    "nested-tbl": "<w:document><w:body>" + "<w:tbl><w:tr><w:tc>" * N + "<w:p><w:r><w:t>3</w:t></w:r></w:p>",
    "unclosed-t": "<w:document><w:body><w:p><w:r>" + "<w:t>1" * N,
    "gridspan-huge": "<w:tbl><w:tr>" + '<w:tc><w:tcPr><w:gridSpan w:val="2147483648"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>' * 1000,
    "vmerge-many": "<w:tbl>" + "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc></w:tr>" * N,
}


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        (out / f"html-{name}").write_bytes(b"\0" + page.encode())
    for name, doc in DOCS.items():
        (out / f"docx-{name}").write_bytes(b"\1" + doc.encode())
    print(f"hostile: {len(PAGES) + len(DOCS)} inputs in {out}")


if __name__ == "__main__":
    main()
