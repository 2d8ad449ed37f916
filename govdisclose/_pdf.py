"""PDF: the text layer, page by page, with pypdfium2 (the extra ``govdisclose[pdf]``).

Each page's text comes from pdfium in reading order; pages are joined with a
line break, and that text goes through the core as plain text.  A page whose
text cannot be trusted is left out (an empty page in the joined text), so that
no number is ever read from it:

- a page with almost no text but an image over most of it is a scan;
- a page whose characters are largely unreadable -- U+FFFD, private-use or
  control characters, ``(cid:NNN)`` placeholders, or letters of scripts a
  Chinese report does not use (what a CID font without a Unicode map gives) --
  has fonts without a usable Unicode mapping.

When no page is usable, or the usable text holds no Chinese character at all,
the document needs OCR: the Report has a ``parse.needs_ocr`` warning and no
tables.  When some pages are usable, they are parsed and the warning names the
pages left out.
"""
from __future__ import annotations

import importlib
import threading
from typing import Any, Callable, List, NamedTuple, Tuple

from ._formats import assess, parse_error

__all__ = ["PdfText", "PageTexts", "extract", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'govdisclose[pdf]'"

# ---- Limits, each with its reason --------------------------------------------------

# An annual report is 5-40 pages; a document of more is no report, and reading
# its text would take long for nothing.
MAX_PAGES = 1000
# A page with fewer readable characters than this has no text layer to speak
# of (a page number at most).
MIN_PAGE_CHARS = 20
# ... and it is a scan when an image covers at least this share of it.
SCAN_IMAGE_SHARE = 0.5
# A page where more than this share of the characters is unreadable has
# fonts without a usable Unicode mapping.
MAX_BAD_SHARE = 0.2
# Usable text of at least this many characters without one Chinese character
# is glyph codes, not the text of a Chinese report.
MIN_CHARS_FOR_SCRIPT_CHECK = 200

# pdfium must not be called from two threads at once, even on different
# documents; the core parse (which releases the GIL) is outside this lock.
_LOCK = threading.Lock()

class PdfText(NamedTuple):
    """The text of each page ("" for a page left out), the pages left out
    with the reason (1-based page numbers), and whether the usable text is
    enough to parse at all (else why not)."""

    pages: Tuple[str, ...]
    left_out: Tuple[Tuple[int, str], ...]
    unusable: str


class PageTexts:
    """The pages of a fixed-layout document (PDF, OFD) as they are read: each
    page's text, or why it was left out; then the verdict on the whole."""

    def __init__(self) -> None:
        self.pages: List[str] = []
        self.left_out: List[Tuple[int, str]] = []
        self.readable = self.cjk = 0

    def add(self, number: int, text: str, without_text: Callable[[], str]) -> None:
        """Page number's text; without_text() says why a page with almost no
        text is no text page (a scan, glyphs only), or "" when it is one."""
        readable, bad, cjk = assess(text)
        why = ""
        if bad > MAX_BAD_SHARE * (readable + bad):
            why = (f"{bad} of its {readable + bad} characters have no Unicode mapping "
                   "(unreadable glyphs)")
        elif readable < MIN_PAGE_CHARS:
            why = without_text()
        if why:
            self.left_out.append((number, why))
            self.pages.append("")
        else:
            self.pages.append(text)
            self.readable += readable
            self.cjk += cjk

    def result(self, no_text: str, no_chinese: str) -> PdfText:
        """The pages; unusable (no_text or no_chinese) when the usable text is
        too little, or holds no Chinese character at all."""
        unusable = ""
        if self.readable < MIN_PAGE_CHARS:
            unusable = no_text
        elif self.readable >= MIN_CHARS_FOR_SCRIPT_CHECK and self.cjk == 0:
            unusable = no_chinese
        return PdfText(tuple(self.pages), tuple(self.left_out), unusable)


def _image_share(page: Any, raw: Any) -> float:
    """The largest share of the page that one image covers."""
    width, height = page.get_size()
    area = max(1.0, float(width) * float(height))
    best = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        covered = max(0.0, min(right, width) - max(left, 0.0)) * \
            max(0.0, min(top, height) - max(bottom, 0.0))
        best = max(best, covered / area)
    return best


def _import() -> Tuple[Any, Any]:
    """pypdfium2 and its raw bindings (imported by name: they ship no type hints)."""
    try:
        return importlib.import_module("pypdfium2"), importlib.import_module("pypdfium2.raw")
    except ImportError as e:
        raise parse_error(f"the input is a PDF, and reading PDFs needs the pdf extra: "
                          f"{INSTALL_HINT}") from e


def extract(data: bytes) -> PdfText:
    """The text of every page of the PDF data, pages that cannot be trusted
    left out.  Raises ParseError when pypdfium2 is not installed, or the PDF
    is corrupt, encrypted or beyond MAX_PAGES."""
    pdfium, raw = _import()
    pages = PageTexts()
    with _LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            reason = str(e)
            if "password" in reason.lower():
                raise parse_error("the PDF is encrypted (password protected)") from e
            raise parse_error(f"the input is a PDF that cannot be read (corrupt or "
                              f"truncated): {reason}") from e
        try:
            if len(doc) > MAX_PAGES:
                raise parse_error(f"the PDF has {len(doc)} pages, more than MAX_PAGES "
                                  f"({MAX_PAGES}): no annual report is that long")
            for number in range(1, len(doc) + 1):
                page = doc[number - 1]
                textpage = page.get_textpage()
                try:
                    pages.add(number, textpage.get_text_range(), lambda: (
                        "it is a scanned image without a text layer"
                        if _image_share(page, raw) >= SCAN_IMAGE_SHARE else ""))
                finally:
                    textpage.close()
                    page.close()
        finally:
            doc.close()
    return pages.result(
        "the PDF has no usable text layer",
        "the PDF's text layer holds no Chinese character: its fonts map glyphs to codes that "
        "are not their characters (or it is no Chinese report)")
