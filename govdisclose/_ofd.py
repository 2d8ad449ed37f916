"""OFD (GB/T 33190-2016): the text of each page, placed into lines and cells.

An OFD file is a zip of XML parts: ``OFD.xml`` names the document's root
(``DocBody/DocRoot``), whose ``Document.xml`` lists the pages
(``Pages/Page@BaseLoc``); each page's ``Content.xml`` holds ``TextObject``
elements (a ``Boundary`` box) with ``TextCode`` runs (their ``X``/``Y`` in
the box, and the text).  The runs of a page go through ``_layout.place``;
pages are joined with a line break, and the text goes through the core as
plain text (``Report.text``).

Read with the standard library only: zipfile under the DOCX limits
(``_docx.read_part``, and all parts together within MAX_DOCUMENT_BYTES);
OFD.xml and Document.xml with expat, namespaces off, and the pages by a scan
of their elements (see ``_page``): the standard namespace, another one, or
none read the same (names are matched by their local part).  A DOCTYPE or an
entity declaration is refused at once: an OFD part has no use for them, and
entity expansion is how an XML file explodes.

A page whose text objects hold only glyph indices (no Unicode text), or
whose text is largely unreadable, is left out as PDF pages are (``_pdf``'s
limits), so that no number is read from it; when no page is usable the
document needs OCR.
"""
from __future__ import annotations

import html
import posixpath
import re
import xml.parsers.expat
import zipfile
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from . import _docx
from ._formats import canonical_encoding, parse_error
from ._layout import Run, place
from ._pdf import MAX_PAGES, PageTexts, PdfText

__all__ = ["extract", "MAX_PAGES"]

KIND = "OFD"


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parse(data: bytes, part: str, start: Callable[[str, Dict[str, str]], None],
           end: Optional[Callable[[str], None]] = None,
           text: Optional[Callable[[str], None]] = None) -> None:
    """Run expat over one part with the handlers; ParseError for XML that is
    not well formed or declares a DOCTYPE or entities."""
    p = xml.parsers.expat.ParserCreate()  # no namespace processing: prefixes stay in names

    def refuse(*_: Any) -> None:
        raise _Refused()

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end is not None:
        p.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        p.CharacterDataHandler = text
    try:
        p.Parse(data, True)
    except _Refused:
        raise parse_error(f"the OFD file's {part} declares a DOCTYPE or entities, which no "
                          "OFD part has: refused (entity expansion)") from None
    except xml.parsers.expat.ExpatError as e:
        raise parse_error(f"the OFD file's {part} is not well-formed XML: {e}") from None
    except RecursionError:  # pragma: no cover - expat does not recurse
        raise parse_error(f"the OFD file's {part} nests too deep") from None


def _first_text(data: bytes, part: str, element: str) -> str:
    """The text of the first element named element (local name) in the part."""
    found: List[str] = []
    depth = [0]  # >0 while inside the element

    def start(name: str, attrs: Dict[str, str]) -> None:
        if depth[0]:
            depth[0] += 1
        elif name == element and not found:
            depth[0] = 1
            found.append("")

    def end(name: str) -> None:
        if depth[0]:
            depth[0] -= 1

    def text(s: str) -> None:
        if depth[0] and found:
            found[-1] += s

    _parse(data, part, start, end, text)
    return found[0].strip() if found else ""


def _resolve(base: str, loc: str) -> str:
    """A part's location (relative to the folder of the part that names it, or
    absolute from the package's root) as a zip member name."""
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
    path = posixpath.normpath(path)
    if path.startswith("../") or path == "..":
        raise parse_error(f"the OFD file names a part outside the package: {loc!r}")
    return path


def _read(zf: zipfile.ZipFile, name: str, what: str, budget: List[int]) -> bytes:
    """A part of the package, counted against the budget of bytes all parts share."""
    try:
        zf.getinfo(name)
    except KeyError:
        raise parse_error(f"the OFD file's {what} {name} is missing from the package") from None
    data = _docx.read_part(zf, name, KIND, budget[0])
    budget[0] -= len(data)
    return data


def _page_list(data: bytes, part: str) -> List[str]:
    pages: List[str] = []

    def start(name: str, attrs: Dict[str, str]) -> None:
        if name == "Page" and "BaseLoc" in attrs:
            pages.append(attrs["BaseLoc"])
            if len(pages) > MAX_PAGES:
                raise parse_error(f"the OFD document has more than MAX_PAGES ({MAX_PAGES}) "
                                  "pages: no annual report is that long")

    _parse(data, part, start)
    return pages


# A page's Content.xml is scanned, not parsed: an expat callback per element
# cost 20 ms a report, the scan 2 ms.  It reads only the elements it needs, by
# their local names, and the text of TextCode (with XML's five named
# references, character references and CDATA); a DOCTYPE or entity
# declaration is refused first, as for the other parts, so no reference is
# ever expanded beyond those.
_NAME = rb"<(/?)(?:[A-Za-z_][\w.-]*:)?"
_ITEM = re.compile(
    _NAME + rb"(TextObject|ImageObject)\b([^>]*?)(/?)>"  # 1 closing, 2 name, 3 attrs, 4 empty
    rb"|<(?:[A-Za-z_][\w.-]*:)?TextCode\b([^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?TextCode\s*>)",
    re.S)  # 5 TextCode's attrs, 6 its text
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


# An element's attributes, name -> value (a prefix stays in the name: OFD's
# attributes have none).
_ATTRS = re.compile(rb"""([\w.:-]+)\s*=\s*["']([^"']*)["']""")


def _numbers(value: Optional[bytes], n: int) -> Tuple[float, ...]:
    """The first n numbers of an attribute's value (zeros when absent or malformed)."""
    if value is None:
        return (0.0,) * n
    try:
        v = tuple(map(float, value.replace(b",", b" ").split()[:n]))
    except ValueError:
        return (0.0,) * n
    return v if len(v) == n else (0.0,) * n


def _unescape(text: str) -> str:
    if "<![CDATA[" in text:
        parts = _CDATA.split(text)  # text, cdata, text, ...
        return "".join(p if k % 2 else _unescape(p) for k, p in enumerate(parts))
    return html.unescape(text) if "&" in text else text


def _utf8(data: bytes, part: str) -> bytes:
    """The part as UTF-8 (OFD parts are; one that declares another encoding is
    decoded from it)."""
    m = _XML_ENCODING.match(data)
    if m is None or m.group(1).lower() in (b"utf-8", b"utf8"):
        return data
    try:
        return data.decode(canonical_encoding(m.group(1).decode("ascii"))).encode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise parse_error(f"the OFD file's {part} is not in the encoding it declares "
                          f"({m.group(1).decode('ascii', 'replace')})") from None


class _Page(NamedTuple):
    runs: List[Run]
    glyph_only: int  # text objects with no Unicode text
    images: int


def _page(data: bytes, part: str) -> _Page:
    """The text runs of one Content.xml, with the page's glyph-only text
    objects and images counted."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise parse_error(f"the OFD file's {part} declares a DOCTYPE or entities, which no "
                          "OFD part has: refused (entity expansion)")
    data = _utf8(data, part)
    if b"<!--" in data:
        data = _COMMENT.sub(b"", data)
    runs: List[Run] = []
    glyph_only = images = 0
    box: Optional[Tuple[float, ...]] = None
    size = 0.0
    had_text = False
    for m in _ITEM.finditer(data):
        name = m.group(2)
        if name == b"TextObject":
            if m.group(1):  # </TextObject>
                glyph_only += box is not None and not had_text
                box = None
            else:
                attrs = dict(_ATTRS.findall(m.group(3)))
                box = _numbers(attrs.get(b"Boundary"), 4)
                size = _numbers(attrs.get(b"Size", attrs.get(b"size")), 1)[0]
                had_text = False
                if m.group(4):  # an empty TextObject
                    glyph_only += 1
                    box = None
        elif name == b"ImageObject":
            images += not m.group(1)
        elif box is not None and m.group(6):  # a TextCode with text
            text = _unescape(m.group(6).decode("utf-8", "replace"))
            if text.strip():
                had_text = True
                attrs = dict(_ATTRS.findall(m.group(5)))
                x, y = _numbers(attrs.get(b"X"), 1)[0], _numbers(attrs.get(b"Y"), 1)[0]
                bx, by, bw, bh = box
                runs.append(Run(bx + x, by + y, max(bw - x, 0.0), size or bh, text))
    return _Page(runs, glyph_only, images)


def extract(data: bytes) -> PdfText:
    """The text of every page of the OFD file data (``_pdf.PdfText``: pages,
    those left out with the reason, whether the whole is unusable).  Raises
    ParseError for a zip that cannot be read, parts beyond the zip limits,
    missing or repeated parts, XML that is not well formed or declares
    entities, and more than MAX_PAGES pages."""
    with _docx.open_zip(data, KIND) as zf:
        budget = [_docx.MAX_DOCUMENT_BYTES]  # all parts together
        root = _first_text(_read(zf, "OFD.xml", "entry part", budget), "OFD.xml", "DocRoot")
        if not root:
            raise parse_error("the OFD file's OFD.xml names no DocRoot (no document)")
        doc_name = _resolve("OFD.xml", root)
        locs = _page_list(_read(zf, doc_name, "DocRoot", budget), doc_name)
        pages = PageTexts()
        seen = {"OFD.xml", doc_name}
        for number, loc in enumerate(locs, 1):
            name = _resolve(doc_name, loc)
            if name in seen:
                raise parse_error(f"the OFD file's page {number} is {name}, a part it has read "
                                  "already (circular or repeated parts)")
            seen.add(name)
            page = _page(_read(zf, name, f"page {number}", budget), name)
            pages.add(number, place(page.runs), lambda: (
                f"its {page.glyph_only} text objects hold glyph indices only, no Unicode text"
                if page.glyph_only else
                "it is a scanned image without text" if page.images else ""))
    return pages.result("the OFD file has no usable text",
                        "the OFD file's text holds no Chinese character (glyph codes, not text)")
