"""``parse`` and ``parse_file``: any input -> a reader -> the core -> a Report.

The input's format is found by content (``_formats.sniff``) or given; the
format's entry in ``READERS`` turns its bytes into what the core parses.
``parse``, ``parse_file``, ``parse_many`` (through ``_plan``) and the command
line all go through that one table.  The Report records the format, the
encoding, the file it came from, and -- when the spans do not point into the
input as given -- the text they point into (``Report.text``).

A reader is a function ``reader(raw, job) -> Plan | Report``:

- ``raw`` is the input's bytes (``bytes`` or a read-only ``memoryview``),
  ``job`` the caller's options (``Job``: strict, encoding, source);
- it returns a ``Plan``: the positional arguments of ``_core.parse_report``
  (payload, strict, core format, source, Report.format, encoding,
  Report.text, findings to add, charset), and optionally ``retry``, called
  with the ParseError the core raised to give a second call (the text
  readers use it when a guessed UTF-8 turns out to be GB18030);
- or a finished ``Report`` when nothing is left for the core (a PDF without a
  usable text layer: a ``parse.needs_ocr`` finding);
- it raises ParseError for input it cannot read, naming what it found.

Adding a format is one entry: sniff must name it (``_formats.sniff``), and
``READERS[name]`` is its reader.  A reader that finds text through OCR, for
instance, returns ``_text_plan(text, job, "image", notes)`` like the PDF
reader does.
"""
from __future__ import annotations

import codecs
import os
import re
from typing import Any, Callable, Dict, NamedTuple, Optional, Sequence, Tuple, Union

from . import _core, _docx, _formats, _ofd, _pdf
from ._core import ParseError
from ._formats import parse_error
from ._model import Finding, Report
from .messages import localize_report

__all__ = ["parse", "parse_file", "FORMATS", "READERS", "Job", "Plan"]

Input = Union[str, bytes, bytearray, memoryview]
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
CoreCall = Tuple[Any, ...]  # _core.parse_report's positional arguments


class Job(NamedTuple):
    """What the caller asked for, besides the input.  ocr: "auto" (pages and
    images without text, when the ocr extra is installed), False or True
    (also pages that have a text layer)."""

    strict: bool
    encoding: Optional[str]
    source: Optional[str]
    ocr: Union[str, bool] = "auto"
    folder: Optional[str] = None  # the folder of a file read from disk: a page's pictures


class Plan(NamedTuple):
    """A parse up to the core: the call, and what to call instead when the
    core raises ParseError on it (None: the error is the answer)."""

    call: CoreCall
    retry: Optional[Callable[[ParseError], CoreCall]] = None


Reader = Callable[[_formats.Buffer, Job], Union[Plan, Report]]


def parse(data: Input, strict: bool = False, format: Optional[str] = None,
          encoding: Optional[str] = None, lang: Optional[str] = None,
          ocr: Union[str, bool] = "auto") -> Report:
    """Parse one report and reconcile its tables.

    data is a str (text as it is; HTML or Word XML with ``format="html"`` or
    ``"docx"``) or bytes (any bytes-like object): a text or markdown file, an
    HTML page, a DOCX file, a Word 97-2003 .doc (or WPS) file, an OFD file or
    a PDF, told apart by content (``READERS``), text in any of the
    encodings reports are published in (byte order marks, an HTML page's
    declared charset, UTF-8, else GB18030).  ``format`` (one of ``FORMATS``)
    and ``encoding`` (any codec name; GB2312 and GBK read as GB18030)
    override what is detected.

    Every span is a byte offset into the UTF-8 form of the text the parse
    read: your input itself, or ``Report.text`` when that is set (the text
    layer of a PDF, the text of a .doc or OFD file, the word/document.xml of a
    DOCX file, the decoded text of bytes in another encoding).  With strict=True, blank and na cells make an
    identity not checkable instead of counting as 0.

    ocr: "auto" (the default) reads by OCR the pages of a PDF that have no
    usable text layer, and image files, when the ocr extra is installed
    (``pip install 'govdisclose[ocr]'``; without it such a PDF gives a
    ``parse.needs_ocr`` finding and an image a ParseError); False never runs
    OCR; True also reads by OCR the pages that have a text layer.

    Raises TypeError for other types and ParseError (a ValueError) for input
    that cannot be read: bytes in no encoding that fits (the message and
    ``offset`` name the first bad byte), files that are no report format
    (named: an image, a zip without a Word document, an .xls in a compound
    file), a DOCX or OFD beyond the zip limits, an encrypted or corrupt
    document, a PDF when pypdfium2 is not installed.  A text that is not a
    report gives a Report with no tables and a ``parse.not_a_report``
    finding; a PDF or OFD without usable text gives one with a
    ``parse.needs_ocr`` finding.

    lang ("en" or "zh"; default: $GOVDISCLOSE_LANG, else the locale) is the
    language of the findings' messages (govdisclose.messages).
    """
    return localize_report(_parse(data, strict, format, encoding, None, ocr), lang)


def parse_file(path: PathLike, strict: bool = False, format: Optional[str] = None,
               encoding: Optional[str] = None, lang: Optional[str] = None,
               ocr: Union[str, bool] = "auto") -> Report:
    """Read the file at path and parse it as ``parse`` does its bytes; the
    Report's ``source`` is the path.  The file's name plays no part: a .txt
    file that holds HTML is read as HTML.  Raises OSError when the file cannot
    be read."""
    name = os.fsdecode(os.fspath(path))
    size = os.stat(name).st_size
    if size > _core.MAX_INPUT:
        raise parse_error(f"{name} is too large: {size} bytes, the limit is "
                          f"{_core.MAX_INPUT} bytes (GD_MAX_INPUT)")
    with open(name, "rb") as fh:
        data = fh.read()
    folder = os.path.dirname(os.path.abspath(name))
    return localize_report(_parse(data, strict, format, encoding, name, ocr, folder), lang)


def _finding(code: str, severity: str, message: str) -> Finding:
    return Finding(code, severity, None, None, None, None, message)


# Formats a str can be given in: the text is already decoded.
_STR_FORMATS = ("text", "html", "docx")


def _parse(data: Input, strict: bool, format: Optional[str], encoding: Optional[str],
           source: Optional[str], ocr: Union[str, bool] = "auto",
           folder: Optional[str] = None) -> Report:
    if ocr not in ("auto", True, False):
        raise ValueError(f"ocr must be \"auto\", True or False, not {ocr!r}")
    if format is not None and format not in READERS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} or None, not {format!r}")
    if isinstance(data, str):
        if encoding is not None:
            raise ValueError("encoding= is for bytes: a str is already decoded")
        if format is not None and format not in _STR_FORMATS:
            raise TypeError(f"a {format.upper()} file must be given as bytes")
        fmt = format or "text"
        return _core.parse_report(data, strict, fmt, source, fmt)
    view: Optional[memoryview] = None
    try:
        if isinstance(data, bytes):
            raw: _formats.Buffer = data
        else:
            try:
                view = memoryview(data)
            except TypeError:
                raise TypeError(f"parse() expects str or a bytes-like object, not "
                                f"{type(data).__name__}") from None
            if view.nbytes > _core.MAX_INPUT:  # before copying a gigabyte
                raise parse_error(f"input is too large: {view.nbytes} bytes, the limit is "
                                  f"{_core.MAX_INPUT} bytes (GD_MAX_INPUT)")
            if view.readonly and view.c_contiguous:
                raw = view.cast("B")  # read in place, as the core reads it
            else:
                # a writable buffer could change while the core runs: a copy
                raw = view.tobytes()
        return _run(_read(raw, Job(strict, encoding, source, ocr, folder), format))
    finally:
        if view is not None:
            view.release()


def _read(raw: _formats.Buffer, job: Job, format: Optional[str] = None) -> Union[Plan, Report]:
    """The reader of the input's format (given, or found by content) on it."""
    return READERS[format or _formats.sniff(raw)](raw, job)


def _run(planned: Union[Plan, Report]) -> Report:
    """A plan through the core (once more with its retry when it has one)."""
    if isinstance(planned, Report):
        return planned
    try:
        return _core.parse_report(*planned.call)
    except ParseError as e:
        if planned.retry is None:
            raise
        return _core.parse_report(*planned.retry(e))


def _plan(data: Union[str, bytes], strict: bool, source: Optional[str],
          folder: Optional[str] = None) -> Union[Report, CoreCall]:
    """parse(data, strict) with Report.source = source, up to the core: the
    arguments of _core.parse_report, or the Report when no core call is left
    (a PDF without text).  parse_many runs the calls of many reports in one
    _core.parse_reports; a call that raises is redone by parse, which then
    retries or raises as it does alone.  Raises what parse would."""
    if isinstance(data, str):
        return (data, strict, "text", source, "text")
    planned = _read(data, Job(strict, None, source, folder=folder))
    return planned if isinstance(planned, Report) else planned.call


def _plan_again(data: Union[str, bytes], strict: bool, source: Optional[str],
                e: ParseError) -> CoreCall:
    """_plan's call after the core refused its first one with e: the call
    parse makes then (its plan's retry: another decoding).  Raises e when
    parse makes none, or what the retry raises."""
    if isinstance(data, str):
        raise e  # a str is not decoded again
    planned = _read(data, Job(strict, None, source))
    if isinstance(planned, Report) or planned.retry is None:
        raise e
    return planned.retry(e)


# ---- The readers ------------------------------------------------------------------


def _text_plan(text: str, job: Job, fmt: str, extra: Sequence[Finding] = ()) -> Plan:
    """Text a reader extracted (a PDF's text layer, a Word 97 document's text)
    for the core: parsed as text, its spans pointing into it (Report.text)."""
    return Plan((text, job.strict, "text", job.source, fmt, None, text, list(extra)))


def _markup_reader(fmt: str) -> Reader:
    """The reader of text, HTML or Word XML bytes: decoded (``_formats``),
    then parsed by the core; when UTF-8 was a guess the core's UTF-8 error
    sends the bytes to GB18030 (the retry)."""

    def read(raw: _formats.Buffer, job: Job) -> Plan:
        decoded = _formats.decode(raw, fmt, job.encoding)

        def retry(e: ParseError) -> CoreCall:
            if decoded.charset is not None and e.offset is not None:
                # not GB18030 after all: decoded again, to raise what _formats says
                return _markup_call(raw, _formats.decode(raw, fmt, job.encoding, in_core=False),
                                    job, fmt)
            if decoded.checked or e.offset is None:
                raise e
            return _markup_call(raw, _formats.after_utf8_error(raw, e.offset, decoded.notes,
                                                               decoded.declared), job, fmt)

        return Plan(_markup_call(raw, decoded, job, fmt), retry)

    return read


def _markup_call(raw: _formats.Buffer, decoded: "_formats.Decoded", job: Job,
                 fmt: str) -> CoreCall:
    """_core.parse_report's arguments for decoded text, HTML or Word XML."""
    text = decoded.text
    if fmt == "docx" and text is None and decoded.charset is None:
        text = codecs.decode(raw, "utf-8")  # the spans point into word/document.xml
    notes = [_finding("parse.encoding", "info", n) for n in decoded.notes]
    return (decoded.payload, job.strict, fmt, job.source, fmt, decoded.encoding, text, notes,
            decoded.charset)


_read_xml = _markup_reader("docx")
_read_page = _markup_reader("html")
_IMG = re.compile(rb"<img\b", re.I)
_TABLE = re.compile(rb"<table[\s>]", re.I)


def _may_show_pictures(data: bytes, job: Job) -> bool:
    """Byte tests before a page is decoded for _ocr.html: a picture it embeds
    (or, read from a file, any <img>: a logo too) and no table.  Most pages
    have a table and go to the core at once, not decoded here first."""
    if b"data:image/" not in data and (job.folder is None or _IMG.search(data) is None):
        return False
    return _TABLE.search(data) is None


def _read_html(raw: _formats.Buffer, job: Job) -> Union[Plan, Report]:
    """An HTML page; when it has no table but pictures (embedded as data:
    URIs, or files in its folder when it was read from one) and OCR may run,
    its text and the pictures read by OCR (``_ocr.html``)."""
    data = raw if isinstance(raw, bytes) else bytes(raw)
    if job.ocr is not False and _may_show_pictures(data, job) and _ocr_ready(job):
        decoded = _formats.decode(data, "html", job.encoding, in_core=False)
        page = decoded.text if decoded.text is not None else \
            codecs.decode(bytes(decoded.payload), "utf-8", "replace")
        from . import _ocr
        pictured = _ocr.read_html_pictures(page, job.strict, job.source, job.folder)
        if pictured is not None:
            return pictured
    return _read_page(raw, job)



def _read_docx(raw: _formats.Buffer, job: Job) -> Union[Plan, Report]:
    """A DOCX file (or its bare word/document.xml): the main part's XML; when
    it has no table but pictures and OCR may run, its paragraphs and the
    pictures read by OCR (``_ocr.docx``)."""
    if bytes(raw[:2]) == b"PK":
        data = bytes(raw)
        raw = _docx.document_xml(data)
        if b"r:embed" in raw and b"<w:tbl" not in raw and _ocr_ready(job):  # pictures only
            from . import _ocr
            pictured = _ocr.read_docx_pictures(data, bytes(raw), job.strict, job.source)
            if pictured is not None:
                return pictured
    return _read_xml(raw, job)


def _ocr_ready(job: Job) -> bool:
    """Whether OCR is to run: asked for (or "auto") and installed.  Raises
    ParseError when ocr=True and the ocr extra is not installed."""
    if job.ocr is False:
        return False
    from . import _ocr
    if _ocr.available():
        return True
    if job.ocr is True:
        raise parse_error(f"ocr=True needs the ocr extra: {_ocr.INSTALL_HINT}")
    return False


def _ocr_hint(job: Job) -> str:
    """What a needs_ocr finding advises."""
    if job.ocr is False:
        return "run OCR on it (parse(..., ocr=\"auto\"))"
    from . import _ocr
    return f"run OCR on it: {_ocr.INSTALL_HINT}"


def _read_pdf(raw: _formats.Buffer, job: Job) -> Union[Plan, Report]:
    """A PDF: its text layer (``_pdf``); the pages that have none read by
    OCR (``_ocr``) when it may run, else left out with a finding."""
    data = bytes(raw)
    pdf = _pdf.extract(data)
    if _ocr_ready(job) and (pdf.left_out or pdf.unusable or job.ocr is True):
        from . import _ocr
        numbers = [n for n, _ in pdf.left_out]
        if job.ocr is True or pdf.unusable:
            numbers = list(range(1, len(pdf.pages) + 1))
        return _ocr.read_pdf_pages(data, pdf.pages, numbers, job.strict, job.source)
    return _pages_plan(pdf, job, "pdf", _ocr_hint(job))


def _read_ofd(raw: _formats.Buffer, job: Job) -> Union[Plan, Report]:
    """An OFD file: each page's text runs placed into lines (``_ofd``), pages
    of glyphs without text left out."""
    return _pages_plan(_ofd.extract(bytes(raw)), job, "ofd", "run OCR on it first")


def _pages_plan(pages: _pdf.PdfText, job: Job, fmt: str, hint: str) -> Union[Plan, Report]:
    """The text of a fixed-layout document's pages for the core; a
    ``parse.needs_ocr`` finding (hint: what it advises) for the pages left
    out, or a Report with only that when no page is usable."""
    text = "\n".join(pages.pages)
    left_out = "; ".join(f"page {n}: {why}" for n, why in pages.left_out)
    if pages.unusable:
        message = f"{pages.unusable}{' (' + left_out + ')' if left_out else ''}: {hint}; " \
                  "no number was read from it"
        return _needs_ocr(text, fmt, job, message)
    extra = []
    if pages.left_out:
        extra.append(_finding(
            "parse.needs_ocr", "warning",
            f"{len(pages.left_out)} of {len(pages.pages)} pages were left out ({left_out}): "
            f"{hint}; tables printed there are missing"))
    return _text_plan(text, job, fmt, extra)


def _read_doc(raw: _formats.Buffer, job: Job) -> Plan:
    """A Word 97-2003 document, or a WPS file in the same container: its main
    text read by the core (``src/read/doc.c``), tables as rows of cells."""
    return _text_plan(_core.doc_text(raw), job, "doc")


def _read_image(raw: _formats.Buffer, job: Job) -> Report:
    """An image file (PNG, JPEG, TIFF with its pages, ...): read by OCR when
    it may run, else refused naming what it is."""
    data = bytes(raw)
    what = _formats.image_kind(data) or "an image"
    if not _ocr_ready(job):
        raise _formats.not_a_format(what, _ocr_hint(job))
    from . import _ocr
    return _ocr.read_image(data, job.strict, job.source)


def _needs_ocr(text: str, fmt: str, job: Job, message: str) -> Report:
    """The Report of a document with no text to parse: no tables, one
    ``parse.needs_ocr`` warning."""
    empty: Dict[str, Any] = {
        "source": job.source, "format": fmt, "encoding": None,
        "agency": None, "year": None, "published": None, "template": "unknown",
        "level": None, "region": None, "active": None, "requests": None, "reviews": None,
        "findings": [_finding("parse.needs_ocr", "warning", message).to_dict()],
        "unplaced": []}
    return Report.from_dict(empty, text=text)


#: format -> its reader (see the module's documentation).  The keys are the
#: formats ``parse(format=...)`` takes and ``_formats.sniff`` names.
READERS: Dict[str, Reader] = {
    "text": _markup_reader("text"),
    "html": _read_html,
    "docx": _read_docx,
    "doc": _read_doc,
    "ofd": _read_ofd,
    "pdf": _read_pdf,
    "image": _read_image,
}

FORMATS = tuple(READERS)
