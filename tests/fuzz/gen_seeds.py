"""Seed inputs for fuzz_html: each text report of the corpus turned into an HTML
page and a DOCX word/document.xml, its lines as table rows and its tabs and pipes as
cells, so that the markup fuzzer starts from real tables.  Written at run time into
the build folder (copies of corpus files are never committed).

    python3 gen_seeds.py CORPUS_DIR OUT_DIR
"""
import html
import re
import sys
from pathlib import Path


def rows(text):
    for line in text.split("\n"):
        cells = [c.strip() for c in re.split(r"[\t|｜]", line)]
        if any(cells):
            yield cells


def as_html(text):
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>\n"
                   for cells in rows(text))
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><table>\n{body}</table></body></html>"


def as_docx(text):
    def cell(c):
        return f"<w:tc><w:p><w:r><w:t xml:space=\"preserve\">{html.escape(c)}</w:t></w:r></w:p></w:tc>"
    body = "".join("<w:tr>" + "".join(cell(c) for c in cells) + "</w:tr>" for cells in rows(text))
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document><w:body><w:tbl>"
            f"{body}</w:tbl></w:body></w:document>")


def main():
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for p in sorted(list(corpus.glob("*.txt")) + list(corpus.glob("*.md"))):
        if p.name == "README.md":
            continue
        text = p.read_text(encoding="utf-8")
        (out / f"{p.stem}.html").write_bytes(b"\0" + as_html(text).encode())
        (out / f"{p.stem}.xml").write_bytes(b"\1" + as_docx(text).encode())
        n += 2
    print(f"seeds: {n} markup pages from {corpus}")


if __name__ == "__main__":
    main()
