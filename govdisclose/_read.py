"""``parse`` and ``parse_file``: any input -> the core -> a Report.

The input's format and encoding are found by content (``_formats``); a DOCX
file gives its word/document.xml (``_docx``), a PDF its text layer
(``_pdf``); the core parses text, HTML and Word XML.  The Report records the
format, the encoding, the file it came from, and -- when the spans do not
point into the input as given -- the text they point into.
"""
from __future__ import annotations

import codecs
import os
from typing import Any, Dict, Optional, Tuple, Union

from . import _core, _docx, _formats, _pdf
from ._core import ParseError
from ._formats import parse_error
from ._model import Finding, Report
from .messages import localize_report

__all__ = ["parse", "parse_file", "FORMATS"]

Input = Union[str, bytes, bytearray, memoryview]
PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
CoreCall = Tuple[Any, ...]  # _core.parse_report's positional arguments

FORMATS = ("text", "html", "docx", "pdf")


def parse(data: Input, strict: bool = False, format: Optional[str] = None,
          encoding: Optional[str] = None, lang: Optional[str] = None) -> Report:
    """Parse one report and reconcile its tables.

    data is a str (text as it is; HTML or Word XML with ``format="html"`` or
    ``"docx"``) or bytes (any bytes-like object): a text or markdown file, an
    HTML page, a DOCX file or a PDF, told apart by content, in any of the
    encodings reports are published in (byte order marks, an HTML page's
    declared charset, UTF-8, else GB18030).  ``format`` ("text", "html",
    "docx" or "pdf") and ``encoding`` (any codec name; GB2312 and GBK read as
    GB18030) override what is detected.

    Every span is a byte offset into the UTF-8 form of the text the parse
    read: your input itself, or ``Report.text`` when that is set (the text
    layer of a PDF, the word/document.xml of a DOCX file, the decoded text of
    bytes in another encoding).  With strict=True, blank and na cells make an
    identity not checkable instead of counting as 0.

    Raises TypeError for other types and ParseError (a ValueError) for input
    that cannot be read: bytes in no encoding that fits (the message and
    ``offset`` name the first bad byte), files that are no report format
    (named: an image, a .doc file, a zip without a Word document), a DOCX
    beyond the zip limits, a PDF when pypdfium2 is not installed.  A text
    that is not a report gives a Report with no tables and a
    ``parse.not_a_report`` finding; a PDF without a usable text layer gives
    one with a ``parse.needs_ocr`` finding.

    lang ("en" or "zh"; default: $GOVDISCLOSE_LANG, else the locale) is the
    language of the findings' messages (govdisclose.messages).
    """
    return localize_report(_parse(data, strict, format, encoding, None), lang)


def parse_file(path: PathLike, strict: bool = False, format: Optional[str] = None,
               encoding: Optional[str] = None, lang: Optional[str] = None) -> Report:
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
    return localize_report(_parse(data, strict, format, encoding, name), lang)


def _finding(code: str, severity: str, message: str) -> Finding:
    return Finding(code, severity, None, None, None, None, message)


def _parse(data: Input, strict: bool, format: Optional[str], encoding: Optional[str],
           source: Optional[str]) -> Report:
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} or None, not {format!r}")
    if isinstance(data, str):
        if encoding is not None:
            raise ValueError("encoding= is for bytes: a str is already decoded")
        if format == "pdf":
            raise TypeError("a PDF must be given as bytes")
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
        return _parse_bytes(raw, strict, format, encoding, source)
    finally:
        if view is not None:
            view.release()


def _parse_bytes(raw: _formats.Buffer, strict: bool, format: Optional[str],
                 encoding: Optional[str], source: Optional[str]) -> Report:
    fmt = format or _formats.sniff(raw)
    if fmt == "pdf":
        return _parse_pdf(bytes(raw), strict, source)
    if fmt in ("zip", "docx"):
        if bytes(raw[:2]) == b"PK":
            raw = _docx.document_xml(bytes(raw))
        fmt = "docx"
    return _parse_markup(raw, strict, fmt, encoding, source)


def _parse_markup(raw: _formats.Buffer, strict: bool, fmt: str, encoding: Optional[str],
                  source: Optional[str]) -> Report:
    """Text, HTML or Word XML bytes: decoded, then parsed by the core."""
    decoded = _formats.decode(raw, fmt, encoding)
    try:
        return _markup_report(raw, decoded, strict, fmt, source)
    except ParseError as e:
        if decoded.charset is not None and e.offset is not None:
            # not GB18030 after all: decoded again, to raise what _formats says
            decoded = _formats.decode(raw, fmt, encoding, in_core=False)
            return _markup_report(raw, decoded, strict, fmt, source)
        if decoded.checked or e.offset is None:
            raise
        decoded = _formats.after_utf8_error(raw, e.offset, decoded.notes, decoded.declared)
        return _markup_report(raw, decoded, strict, fmt, source)


def _markup_report(raw: _formats.Buffer, decoded: "_formats.Decoded", strict: bool, fmt: str,
                   source: Optional[str]) -> Report:
    return _core.parse_report(*_markup_call(raw, decoded, strict, fmt, source))


def _markup_call(raw: _formats.Buffer, decoded: "_formats.Decoded", strict: bool, fmt: str,
                 source: Optional[str]) -> CoreCall:
    """_core.parse_report's arguments for decoded text, HTML or Word XML."""
    text = decoded.text
    if fmt == "docx" and text is None and decoded.charset is None:
        text = codecs.decode(raw, "utf-8")  # the spans point into word/document.xml
    notes = [_finding("parse.encoding", "info", n) for n in decoded.notes]
    return (decoded.payload, strict, fmt, source, fmt, decoded.encoding, text, notes,
            decoded.charset)


def _plan(data: Union[str, bytes], strict: bool, source: Optional[str]) -> Union[Report, CoreCall]:
    """parse(data, strict) with Report.source = source, up to the core: the
    arguments of _core.parse_report, or the Report when no core call is left
    (a PDF).  parse_many runs the calls of many reports in one
    _core.parse_reports; a call that raises is redone by parse, which then
    retries or raises as it does alone.  Raises what parse would."""
    if isinstance(data, str):
        return (data, strict, "text", source, "text")
    fmt = _formats.sniff(data)
    if fmt == "pdf":
        return _parse_pdf(data, strict, source)
    raw: _formats.Buffer = data
    if fmt in ("zip", "docx"):
        if data[:2] == b"PK":
            raw = _docx.document_xml(data)
        fmt = "docx"
    return _markup_call(raw, _formats.decode(raw, fmt, None), strict, fmt, source)


def _parse_pdf(raw: bytes, strict: bool, source: Optional[str]) -> Report:
    pdf = _pdf.extract(raw)
    text = "\n".join(pdf.pages)
    left_out = "; ".join(f"page {n}: {why}" for n, why in pdf.left_out)
    if pdf.unusable:
        message = f"{pdf.unusable}{' (' + left_out + ')' if left_out else ''}: run OCR on it " \
                  "first; no number was read from it"
        empty: Dict[str, Any] = {
            "source": source, "format": "pdf", "encoding": None,
            "agency": None, "year": None, "published": None, "template": "unknown",
            "level": None, "region": None, "active": None, "requests": None, "reviews": None,
            "findings": [_finding("parse.needs_ocr", "warning", message).to_dict()],
            "unplaced": []}
        return Report.from_dict(empty, text=text)
    extra = []
    if pdf.left_out:
        extra.append(_finding(
            "parse.needs_ocr", "warning",
            f"{len(pdf.left_out)} of {len(pdf.pages)} pages were left out ({left_out}): run OCR "
            "on them; tables printed there are missing"))
    return _core.parse_report(text, strict, "text", source, "pdf", None, text, extra)
