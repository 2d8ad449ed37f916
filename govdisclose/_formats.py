"""What an input is, and how its bytes decode: sniffing by content, never by name.

``sniff(data)`` tells a PDF, a zip archive (a DOCX file, or something else that
``_docx`` names), an HTML page and plain text apart, and names the usual files
that are none of these (images, Word 97-2003 files, archives) so that the
caller can say what it found.

``decode(data, format, encoding)`` turns the bytes of a text or an HTML page
into what the core reads, in this order:

1. an explicit ``encoding``;
2. a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
3. UTF-16 without a byte order mark, when NUL bytes stand at every other
   position (Windows tools write such files);
4. for HTML (and Word XML), the page's own ``<meta charset=...>``,
   ``<meta http-equiv=... content="...charset=...">`` or ``<?xml ...
   encoding=...?>`` -- trusted only as far as the bytes agree: a page that
   declares GBK but is valid UTF-8 is read as UTF-8, one that declares Latin-1
   but is GBK as GB18030, and a note says so; an unknown label is ignored;
5. UTF-8 when the bytes are valid UTF-8;
6. else GB18030, the superset of GB2312 and GBK (those names decode as
   GB18030 too).

UTF-8 bytes go to the core as they are, so that spans are offsets into the
input itself (a UTF-8 byte order mark is replaced by three spaces, which keeps
every offset); every other encoding is decoded to a str, and spans are offsets
into its UTF-8 form (``Report.text``).  GB18030 is decoded by the core
(``_core.decode_gb18030``, the same as Python's codec, with the GIL
released): a page whose GB18030 is certain (declared, or named by
``encoding=``) goes to the core as bytes (``Decoded.charset``), which decodes
and parses it in one go and makes ``Report.text``.
"""
from __future__ import annotations

import codecs
import re
from typing import List, NamedTuple, Optional, Tuple, Union

from . import _core
from ._core import ParseError, utf8_invalid_at

Buffer = Union[bytes, memoryview]

__all__ = ["Buffer", "Decoded", "sniff", "image_kind", "zip_names", "decode", "after_utf8_error",
           "assess", "canonical_encoding", "declared_charset", "parse_error", "not_a_format"]

# ---- Limits, each with its reason ----------------------------------------------

# HTML markers count in this many characters of the start (after a byte order
# mark and white space): a page says what it is at once, and a text report
# that quotes a tag further down is still text.
SNIFF_CHARS = 1024
# A zip's central directory is read to tell an OFD file from a DOCX file: a
# directory beyond this (_docx.MAX_DIRECTORY_BYTES) is no document's.
ZIP_DIRECTORY_BYTES = 1024 * 1024
# A PDF header may follow a little junk (PDF 1.7, annex H: within 1024 bytes).
PDF_HEADER_WITHIN = 1024
# <meta charset> is looked for in the page's head: up to </head>, and in at
# most this many bytes (Chinese CMS pages put long style blocks first).
META_SCAN_BYTES = 64 * 1024
# BOM-less UTF-16: in the first UTF16_SAMPLE bytes, at least UTF16_MIN_NULS
# NULs making UTF16_MIN_NUL_SHARE of the bytes (ASCII and the line breaks of
# CJK text), most of them at one parity (CJK characters such as 一 U+4E00 and
# the ideographic space U+3000 put some at the other); and the text it decodes
# to is readable (see assess) throughout.
UTF16_SAMPLE = 4096
UTF16_MIN_NULS = 8
UTF16_MIN_NUL_SHARE = 0.02
UTF16_MIN_PARITY = 0.8
# Bytes that decode in a guessed encoding (GB18030, BOM-less UTF-16) are text
# only when at least this share of their characters is readable (see assess):
# binary data that happens to decode gives control, private-use and rare
# characters.
MIN_READABLE_SHARE = 0.9


class Decoded(NamedTuple):
    """What the core reads: UTF-8 bytes (data itself, or a copy with its byte
    order mark blanked) or a str; the encoding used; the str when it is not
    the input itself (spans then point into it); notes on how the encoding was
    chosen (they become info findings); whether the encoding is certain
    (False: UTF-8 is a guess that a UTF-8 error sends to GB18030); and the
    charset an HTML page declares when it says UTF-8 (the core checks the
    bytes, and a UTF-8 error's note names the declaration); and charset
    "gb18030" when payload is GB18030 bytes that the core decodes (text is
    None then: the core makes it)."""

    payload: Union[bytes, memoryview, str]
    encoding: str
    text: Optional[str]
    notes: Tuple[str, ...]
    checked: bool
    declared: Optional[str] = None
    charset: Optional[str] = None


def parse_error(message: str, offset: Optional[int] = None) -> ParseError:
    """A ParseError with its offset (the byte of the input it is about) set."""
    err = ParseError(message)
    err.offset = offset
    return err


def not_a_format(what: str, advice: str = "") -> ParseError:
    """The ParseError for a file that is none of the formats govdisclose reads."""
    return parse_error(f"the input is {what}, which govdisclose does not read (it reads text, "
                       f"HTML, DOCX, Word 97 DOC and WPS, OFD and PDF)"
                       f"{': ' + advice if advice else ''}")


# ---- Sniffing --------------------------------------------------------------------

# Files that are none of the formats we read, by their first bytes: what they
# are, and what to do about it.
_MAGIC: List[Tuple[bytes, str, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it"),
    (b"GIF87a", "a GIF image", "run OCR on it"),
    (b"GIF89a", "a GIF image", "run OCR on it"),
    (b"II*\x00", "a TIFF image", "run OCR on it"),
    (b"MM\x00*", "a TIFF image", "run OCR on it"),
    (b"{\\rtf", "an RTF document", "save it as .docx or PDF"),
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive", "extract it first"),
    (b"\x7fELF", "an ELF executable", ""),
    (b"%!PS", "a PostScript file", "convert it to PDF"),
]
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# A compound file (OLE2): a Word 97-2003 document or a WPS file -- or an .xls,
# a .ppt, an encrypted Office file, which the .doc reader names.
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_BOMS: List[Tuple[bytes, str]] = [  # longest first: UTF-32 LE starts like UTF-16 LE
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_HTML_MARKER = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p)[\s>/]",
                          re.IGNORECASE)
_WORD_XML = re.compile(r"<w:document[\s>]|wordprocessingml/2006/main", re.IGNORECASE)


def _bom(data: bytes) -> Tuple[Optional[str], int]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None, 0


def _head(data: Buffer) -> str:
    """The start of the input as characters, enough to sniff markup: decoded
    with its byte order mark's encoding, or as Latin-1 (ASCII markup reads
    the same in every ASCII-compatible encoding)."""
    start = bytes(data[:UTF16_SAMPLE])
    name, n = _bom(start)
    if name is None:
        name = _utf16_without_bom(start)
    raw = start[n:n + 4 * SNIFF_CHARS + 8]
    text = raw.decode(name, "ignore") if name else raw.decode("latin-1")
    return text.lstrip()[:SNIFF_CHARS]


def image_kind(data: Buffer) -> Optional[str]:
    """What kind of image the data starts like ("a PNG image"), or None."""
    start = bytes(data[:16])
    for magic, what, advice in _MAGIC:
        if start.startswith(magic) and advice == "run OCR on it":
            return what
    if start[8:12] == b"WEBP" and start.startswith(b"RIFF"):
        return "a WebP image"
    return None


def sniff(data: Buffer) -> str:
    """The format of the input, a key of ``_read.READERS``: "pdf", "docx" (a
    zip archive, which the DOCX reader opens and names when it holds no Word
    document, or a bare word/document.xml), "ofd" (a zip with OFD.xml), "doc" (a compound file: the .doc
    reader names what else it may be), "image" (PNG, JPEG, GIF, TIFF, WebP: read
    by OCR), "html" or "text".

    Raises ParseError naming what the input is when it is a known kind of
    file that holds no report we can read (an image, a .doc file, ...)."""
    start = bytes(data[:PDF_HEADER_WITHIN])
    if b"%PDF-" in start:
        return "pdf"
    if start.startswith(_ZIP_MAGIC):
        return "ofd" if "OFD.xml" in zip_names(bytes(data)) else "docx"
    if start.startswith(CFB_MAGIC):
        return "doc"
    if image_kind(start) is not None:
        return "image"  # read by OCR (the ocr extra), or refused by its reader
    for magic, what, advice in _MAGIC:
        if start.startswith(magic):
            raise not_a_format(what, advice)
    head = _head(data)
    if head.startswith("<?xml") and _WORD_XML.search(head):
        return "docx"
    if _HTML_MARKER.search(head):
        return "html"
    return "text"


def zip_names(data: bytes) -> Tuple[str, ...]:
    """The member names in the zip's central directory (read from the bytes
    themselves, without opening the archive), or () when it has none that can
    be read or the directory is beyond ZIP_DIRECTORY_BYTES."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        return ()
    count = int.from_bytes(data[at + 10:at + 12], "little")
    size = int.from_bytes(data[at + 12:at + 16], "little")
    start = int.from_bytes(data[at + 16:at + 20], "little")
    if size > ZIP_DIRECTORY_BYTES or start + size > len(data):
        return ()
    names, p, end = [], start, start + size
    for _ in range(count):
        if p + 46 > end or data[p:p + 4] != b"PK\x01\x02":
            break
        n, extra, comment = (int.from_bytes(data[p + k:p + k + 2], "little") for k in (28, 30, 32))
        names.append(data[p + 46:p + 46 + n].decode("utf-8", "replace"))
        p += 46 + n + extra + comment
    return tuple(names)


# ---- Encodings ------------------------------------------------------------------

# Labels that mean GB18030 or one of its subsets.
_GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "gb18030", "gb-18030", "cp936",
              "ms936", "windows-936", "euc-cn", "euccn", "csgb2312", "chinese", "iso-ir-58",
              "csiso58gb231280"}
_BIG5_LABELS = {"big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"}


def _squash(label: str) -> str:
    return re.sub(r"[-_\s]", "", label.lower())


_GB = {_squash(x) for x in _GB_LABELS}
_BIG5 = {_squash(x) for x in _BIG5_LABELS}
# Labels of single-byte Western encodings: a Chinese page that declares one is
# mislabelled far more often than it is Latin text.
_WESTERN = {"cp1252", "latin-1", "iso8859-1", "ascii"}


def canonical_encoding(label: str) -> str:
    """The codec a charset label names, as govdisclose decodes it: GB2312, GBK
    and their aliases are GB18030 (a superset); Big5 is Big5-HKSCS; Latin-1
    and ASCII are windows-1252 (as browsers read them).  Raises ValueError
    for a label Python does not know."""
    name = label.strip().strip("\"'").lower()
    squashed = _squash(name)
    if squashed in _GB:
        return "gb18030"
    if squashed in _BIG5:
        return "big5hkscs"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {label!r}") from None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if codec == "utf-8-sig":
        return "utf-8"
    return codec


_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


def declared_charset(data: Buffer) -> Optional[str]:
    """The charset label an HTML page (or an XML file) declares in its head, or None."""
    window = bytes(data[:META_SCAN_BYTES])
    end = _HEAD_END.search(window)
    if end is not None:
        window = window[:end.start()]
    m = _META_CHARSET.search(window) or _XML_ENCODING.search(window)
    return m.group(1).decode("ascii") if m else None


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """ "utf-16-le" or "utf-16-be" when NULs fill every other byte of the start
    (ASCII and CJK text in UTF-16 without a byte order mark), else None."""
    sample = data[:UTF16_SAMPLE]
    if 0 not in sample:  # memchr: nearly every input (count() goes byte by byte)
        return None
    nuls = sample.count(0)
    if nuls < UTF16_MIN_NULS or nuls < UTF16_MIN_NUL_SHARE * len(sample):
        return None
    odd = sample[1::2].count(0)
    if odd >= UTF16_MIN_PARITY * nuls:
        return "utf-16-le"
    if nuls - odd >= UTF16_MIN_PARITY * nuls:
        return "utf-16-be"
    return None


_CID = re.compile(r"\(cid:\d+\)")


# What a Chinese report's text is made of, as regular expression classes: the
# regex engine counts in C (a loop over the characters in Python took 20 times
# as long, longer than parsing the report).  Readable: ASCII but controls;
# Latin-1 signs (° ± · × ÷); punctuation, letterlike, numbers, arrows, shapes;
# CJK radicals, symbols, kana and ideographs; CJK compatibility ideographs and
# forms; full-width forms; CJK extensions B-H.  Everything else that is not
# white space is unreadable: controls, U+FFFD, private use, other scripts.
_READABLE = re.compile("[\x20-\x7e\xa0-\xbf\xd7\xf7\u2000-\u2bff\u2e80-\u9fff\uf900-\ufaff"
                       "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U00031fff]+")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U00031fff]+")


def _solid(text: str) -> str:
    """text without its white space (str.split() takes what str.isspace() does)."""
    return "".join(text.split())


def readability(text: str) -> Tuple[int, int]:
    """(readable characters, unreadable ones) of a text, as assess counts them."""
    cid = sum(len(m.group()) for m in _CID.finditer(text)) if "(cid:" in text else 0
    solid = _solid(text)
    readable = sum(map(len, _READABLE.findall(solid)))
    return readable - cid, len(solid) - readable + cid


def assess(text: str) -> Tuple[int, int, int]:
    """(readable characters, unreadable ones, Chinese ones) of a text; white
    space counts as neither.  Unreadable: U+FFFD, private-use and control
    characters, ``(cid:NNN)`` placeholders (pdfplumber's), and letters of
    scripts a Chinese report does not use -- what a PDF font without a Unicode
    map, or bytes decoded in the wrong encoding, give."""
    readable, bad = readability(text)
    return readable, bad, sum(map(len, _CJK.findall(_solid(text))))


def _codec_decode(data: Buffer, codec: str) -> str:
    """codecs.decode(data, codec); GB18030 is decoded by the core (the same
    text and the same error start, without the GIL)."""
    if codec != "gb18030":
        return codecs.decode(data, codec)
    try:
        return _core.decode_gb18030(data)
    except ParseError as e:
        raise UnicodeDecodeError("gb18030", bytes(data), e.offset, e.offset + 1,
                                 "illegal or incomplete multibyte sequence") from None


def _first_bad(data: Buffer, codec: str) -> Optional[int]:
    """The offset of the first byte that does not decode in codec, or None."""
    if codec == "gb18030":
        try:
            _core.decode_gb18030(data)
        except ParseError as e:
            return e.offset
        return None
    try:
        codecs.decode(data, codec)
    except UnicodeDecodeError as e:
        return e.start
    return None


def _decode_strict(data: Buffer, codec: str) -> str:
    try:
        return _codec_decode(data, codec)
    except UnicodeDecodeError as e:
        raise parse_error(f"the input is not valid {codec} (byte {e.start}): pass the right "
                          "encoding=, or leave it out to detect it", e.start) from None


def _in_core(data: Buffer, codec: str, notes: Tuple[str, ...] = ()) -> Decoded:
    """GB18030 bytes for the core to decode (when in_core): the Report's text is
    the decoded text, as from _from_str."""
    return Decoded(data, codec, None, notes, True, None, "gb18030")


def _utf8(data: Buffer, notes: Tuple[str, ...] = (), checked: bool = True,
          declared: Optional[str] = None) -> Decoded:
    """UTF-8 bytes for the core: data itself, or a copy whose byte order mark
    became three spaces (so that every offset still points into data)."""
    payload: Buffer = data
    if bytes(data[:3]) == codecs.BOM_UTF8:
        payload = b"".join((b"   ", memoryview(data)[3:]))
    return Decoded(payload, "utf-8", None, notes, checked, declared)


def _from_str(text: str, codec: str, notes: Tuple[str, ...] = ()) -> Decoded:
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text, codec, text, notes, True)


def decode(data: Buffer, format: str, encoding: Optional[str] = None,
           in_core: bool = True) -> Decoded:
    """The text or HTML bytes as the core reads them (see the module docs).

    UTF-8 is handed to the core undecoded: the core checks it and raises
    ParseError at the first bad byte.  When UTF-8 was only a guess
    (``Decoded.checked`` false), the caller gives such an error to
    ``after_utf8_error``, which tries GB18030.  Raises ParseError when the
    input is not valid in the encoding given or declared, or ValueError for an
    encoding name Python does not know.

    When GB18030 is certain (given or declared) and in_core, the bytes go to
    the core undecoded (``Decoded.charset``), and a bad byte is found there:
    the caller then calls this again with in_core=False, which raises the
    ParseError that names it."""
    if encoding is not None:
        codec = canonical_encoding(encoding)
        if codec == "utf-8":
            return _utf8(data)
        if codec == "gb18030" and in_core:
            return _in_core(data, codec)
        return _from_str(_decode_strict(data, codec), codec)

    start = bytes(data[:UTF16_SAMPLE])
    name, _ = _bom(start)
    if name == "utf-8":
        return _utf8(data)
    if name is not None:
        text = _decode_strict(data, name.replace("-le", "").replace("-be", ""))
        return _from_str(text, name)

    utf16 = _utf16_without_bom(start)
    if utf16 is not None and _first_bad(data, utf16) is None:
        text = codecs.decode(data, utf16)
        readable, bad = readability(text)
        if readable >= MIN_READABLE_SHARE * (readable + bad):
            return _from_str(text, utf16, (
                "the input has no byte order mark but NUL bytes at every other position: "
                f"read as {utf16.upper()}",))

    if format in ("html", "docx"):  # docx: an <?xml ... encoding=...?> declaration
        label = declared_charset(data)
        if label is not None:
            return _declared(bytes(data), label, in_core)
    return _utf8(data, checked=False)


def after_utf8_error(data: Buffer, offset: int, notes: Tuple[str, ...] = (),
                     declared: Optional[str] = None) -> Decoded:
    """Bytes that were guessed to be UTF-8 and are not (offset: the first bad
    byte): GB18030 if they decode as such and look like text, else ParseError
    naming both first bad bytes.  declared: the charset label of a page that
    said it is UTF-8."""
    if declared is not None:
        notes = notes + (f"the page declares charset={declared} but byte {offset} is not "
                         "UTF-8: read as GB18030",)
    try:
        text: Optional[str] = _core.decode_gb18030(data)
        gb_bad = None
    except ParseError as e:
        text, gb_bad = None, e.offset
    if text is not None:
        readable, bad = readability(text)
        if readable >= MIN_READABLE_SHARE * (readable + bad):
            return _from_str(text, "gb18030", notes)
        raise parse_error(f"the input looks like binary data, not text: it is not UTF-8 (byte "
                          f"{offset}), and read as GB18030 {bad} of its {readable + bad} "
                          "characters are control, private-use or rare ones", offset)
    raise parse_error(f"the input is not text in a known encoding: not UTF-8 (byte {offset}) "
                      f"and not GB18030 (byte {gb_bad}); pass encoding= if you know it", offset)


def _declared(data: bytes, label: str, in_core: bool = True) -> Decoded:
    """An HTML page that declares its charset: trusted as far as the bytes agree."""
    try:
        codec = canonical_encoding(label)
    except ValueError:
        return _utf8(data, (f"the page declares charset={label}, which is unknown: the encoding "
                            "was detected instead",), checked=False)
    if codec.startswith(("utf-16", "utf-32")):
        codec = "utf-8"  # ASCII markup that says UTF-16 is not UTF-16 (as browsers read it)
    if codec == "utf-8":  # the core checks the bytes: no decode here
        return _utf8(data, checked=False, declared=label)
    utf8_bad = utf8_invalid_at(data)  # the core's check: no str made
    if utf8_bad is None and not data.isascii():
        return _utf8(data, (f"the page declares charset={label} but its bytes are UTF-8: read "
                            "as UTF-8",))
    if codec in _WESTERN:
        # A Chinese page that says Latin-1 is mislabelled far more often than
        # it is Latin text: GB18030 first, the declared charset last.
        if utf8_bad is None:
            return _utf8(data)
        if _first_bad(data, "gb18030") is None:
            return after_utf8_error(data, utf8_bad, (
                f"the page declares charset={label} but its bytes are GB18030 (GBK): read as "
                "GB18030",))
        return _from_str(_decode_strict(data, codec), codec)
    if codec == "gb18030" and in_core:  # the core decodes it: one pass, no GIL
        return _in_core(data, codec)
    try:  # one decode: it is the check and the text
        return _from_str(_codec_decode(data, codec), codec)
    except UnicodeDecodeError as e:
        declared_bad = e.start
    if codec != "gb18030" and _first_bad(data, "gb18030") is None:
        return after_utf8_error(data, utf8_bad if utf8_bad is not None else 0, (
            f"the page declares charset={label} but byte {declared_bad} is not {codec}: read "
            "as GB18030",))
    raise parse_error(f"the page declares charset={label} but is not valid {codec} (byte "
                      f"{declared_bad}), nor UTF-8 (byte {utf8_bad}) nor GB18030: pass the right "
                      "encoding=", declared_bad)
