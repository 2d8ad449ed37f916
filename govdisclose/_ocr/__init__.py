"""OCR of scanned reports and pasted table images (the extra ``govdisclose[ocr]``).

``read_image`` reads an image file (every page of a TIFF), ``read_pdf_pages``
the pages of a PDF that have no usable text layer (or all of them): each page
is read by the engine (``engine``), its boxes placed in rows and table cells
by geometry (``geometry``, ``page``), and the text goes through the core as
any text does; the identities then check the reading (``fix``) and the
findings say what OCR did (``read``).

``set_progress(callback)`` makes every page read call ``callback(done,
total)`` (the command line draws its bar with it).  ``WORKERS`` pages of one
document are read at once, in threads: ONNX Runtime releases the GIL while it
runs, and one engine serves them all.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, List, Optional, Sequence

from .._formats import image_kind
from .._model import Finding, Report
from .engine import INSTALL_HINT, available
from .images import PageImage, image_pages

__all__ = ["available", "INSTALL_HINT", "read_image", "read_pdf_pages", "read_docx_pictures",
           "read_html_pictures", "set_progress", "WORKERS"]

# Pages of one document read at once: the usable cores (benchmarks/run.py
# measures threads against processes).
WORKERS = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
              else (os.cpu_count() or 1))

_progress: Optional[Callable[[int, int], None]] = None


def set_progress(callback: Optional[Callable[[int, int], None]]) -> None:
    """Call callback(pages done, pages in the document) after each page read
    (None: no calls)."""
    global _progress
    _progress = callback


def _read_all(pages: Sequence[PageImage]) -> List["read.PageResult"]:
    from . import read
    total = len(pages)
    out = []
    if WORKERS > 1 and total > 1:
        with ThreadPoolExecutor(min(WORKERS, total)) as pool:
            for result in pool.map(read.ocr_page, pages):
                out.append(result)
                if _progress is not None:
                    _progress(len(out), total)
        return out
    for page in pages:
        out.append(read.ocr_page(page))
        if _progress is not None:
            _progress(len(out), total)
    return out


def _report(texts: Sequence[str], pages: Sequence[PageImage], strict: bool,
            source: Optional[str], fmt: str, extra: Iterable[Finding] = ()) -> Report:
    from . import read
    results = _read_all(pages)
    text, chars, ranges, findings = read.assemble(texts, results)
    return read.finish(text, chars, ranges, findings, strict, source, fmt, list(extra))


def read_image(data: bytes, strict: bool, source: Optional[str]) -> Report:
    """An image file read by OCR, page by page.  Raises ParseError for an
    image that cannot be read or is beyond the limits (see ``images``)."""
    pages = list(image_pages(data, image_kind(data) or "an image"))
    return _report([""] * len(pages), pages, strict, source, "image")


def read_pdf_pages(data: bytes, texts: Sequence[str], numbers: Sequence[int], strict: bool,
                   source: Optional[str], extra: Iterable[Finding] = ()) -> Report:
    """A PDF whose pages ``numbers`` (1-based) are read by OCR, the others
    from their text layer (texts[n - 1])."""
    from .. import _pdf
    import importlib
    pdfium = importlib.import_module("pypdfium2")
    raw = importlib.import_module("pypdfium2.raw")
    from .images import render_pdf_pages
    with _pdf._LOCK:  # pdfium is not thread-safe; the OCR runs outside the lock
        doc = pdfium.PdfDocument(data)
        try:
            pages = render_pdf_pages(doc, raw, list(numbers))
        finally:
            doc.close()
    return _report(texts, pages, strict, source, "pdf", extra)


def read_docx_pictures(data: bytes, xml: bytes, strict: bool, source: Optional[str]
                       ) -> Optional[Report]:
    """A DOCX file whose tables are pictures (see ``docx``): its paragraphs,
    then each picture read by OCR.  None when it shows no picture we read."""
    from . import docx
    if not docx.has_pictures_only(xml):
        return None
    images, notes = docx.pictures(data, xml)
    return _pictures_report(docx.paragraphs(xml), images, notes, strict, source, "docx")


def read_html_pictures(page: str, strict: bool, source: Optional[str],
                       folder: Optional[str] = None) -> Optional[Report]:
    """A web page without tables that shows pictures (see ``html``: embedded,
    or files in folder, the page's own, when it was read from a file): its
    text, then each picture read by OCR.  None when it has none we read."""
    from . import html
    if not html.has_pictures_only(page, folder):
        return None
    images, notes = html.pictures(page, folder)
    return _pictures_report(html.prose(page), images, notes, strict, source, "html")


def _pictures_report(text: str, images: List[bytes], notes: List[str], strict: bool,
                     source: Optional[str], fmt: str) -> Optional[Report]:
    """A document's text (page 1) and its pictures read by OCR (pages 2...)."""
    from .images import PageImage
    pages: List[PageImage] = []
    for raw in images:
        if image_kind(raw) is None:
            notes.append("a picture that is no PNG, JPEG, GIF, TIFF or WebP image: left out")
            continue
        try:
            for p in image_pages(raw, image_kind(raw) or "an image"):
                pages.append(p._replace(number=len(pages) + 2))
        except ValueError as e:  # ParseError: a damaged picture is named, the rest read
            notes.append(str(e))
    if not pages:
        return None
    texts = [text] + [""] * len(pages)
    extra = [Finding("parse.ocr_limit", "warning", None, None, None, None, n) for n in notes]
    return _report(texts, pages, strict, source, fmt, extra)
