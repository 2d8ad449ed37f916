"""DOCX: the main document part (word/document.xml) of a Word file, read with
the standard library's zipfile under limits that stop zip bombs.

Only that one part is read; the core turns its w:tbl/w:tr/w:tc/w:p structure
into rows and cells.  A zip that holds no Word document is named (an .xlsx, an
.odt, an archive of other files) in the ParseError; an OFD file never comes
here (``_formats.sniff`` sends it to ``_ofd``).
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Tuple, Type

from ._core import ParseError
from ._formats import not_a_format, parse_error

__all__ = ["document_xml", "open_zip", "read_part", "MAX_DOCUMENT_BYTES",
           "MAX_RATIO", "RATIO_FREE_BYTES"]

# ---- Limits, each with its reason --------------------------------------------------

# word/document.xml of a real report is 0.1-2 MB (the blank official template:
# 250 KB); 64 MB is room for any report with embedded styling, and bounds the
# memory a hostile file can make us use.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Word's XML deflates about 10-20 to 1; more than 100 to 1 over a few
# megabytes is a file built to expand, not a document.
MAX_RATIO = 100
RATIO_FREE_BYTES = 4 * 1024 * 1024
# A DOCX's central directory lists a dozen or two parts (about 2 KB); a
# directory of megabytes lists hundreds of thousands of entries, which zipfile
# would all load before we could look at one.
MAX_DIRECTORY_BYTES = 1024 * 1024
# Small parts read to tell what a zip is (_rels/.rels, mimetype).
MAX_SMALL_PART = 1024 * 1024
# Read the document in pieces of this size, so that a limit stops the
# decompression itself.
CHUNK = 1024 * 1024

MAIN_PART = "word/document.xml"

# What zipfile and its decompressors raise on a corrupt, truncated, encrypted
# or oddly compressed archive.
_ZIP_ERRORS: Tuple[Type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError,
    NotImplementedError, ValueError, OSError, KeyError)
try:
    import lzma

    _ZIP_ERRORS += (lzma.LZMAError,)
except ImportError:  # pragma: no cover - Python built without lzma
    pass

_OFFICE_DOCUMENT = re.compile(
    rb"""<Relationship\b[^>]*?\bType\s*=\s*["'][^"']*/officeDocument["'][^>]*>""")
_TARGET = re.compile(rb"""\bTarget\s*=\s*["']([^"']+)["']""")


def _directory_size(data: bytes) -> int:
    """The size the end-of-central-directory record gives the directory, or -1."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        return -1
    return int.from_bytes(data[at + 12:at + 16], "little")


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The part's bytes; ParseError when it expands beyond limit."""
    out = io.BytesIO()
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > limit:
                raise parse_error(
                    f"the zip file's {info.filename} expands beyond {limit} bytes "
                    f"(MAX_DOCUMENT_BYTES): refused as a possible zip bomb")
    return out.getvalue()


def _main_part(zf: zipfile.ZipFile) -> str:
    """The name of the Word document part, or ParseError naming what the zip is."""
    names = zf.namelist()
    present = set(names)
    if MAIN_PART in present:
        return MAIN_PART
    if "_rels/.rels" in present:  # the package says where its main part is
        info = zf.getinfo("_rels/.rels")
        rels = _read(zf, info, MAX_SMALL_PART) if info.file_size <= MAX_SMALL_PART else b""
        for rel in _OFFICE_DOCUMENT.findall(rels):
            m = _TARGET.search(rel)
            if m is None:
                continue
            target = m.group(1).decode("utf-8", "replace").lstrip("/")
            if target.startswith("word/") and target.endswith(".xml") and target in present:
                return target
    advice = "save it as .docx or PDF"
    if "xl/workbook.xml" in present:
        what = "an Excel workbook (.xlsx)"
    elif "ppt/presentation.xml" in present:
        what = "a PowerPoint presentation (.pptx)"
    elif "mimetype" in present and zf.getinfo("mimetype").file_size <= 200:
        kind = _read(zf, zf.getinfo("mimetype"), 200).decode("ascii", "replace").strip()
        what = f"a {kind} file (OpenDocument or EPUB)"
    else:
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        what = f"a zip archive of {len(names)} files ({shown or 'none'}) without {MAIN_PART}"
        advice = "extract the report from it first"
    raise not_a_format(what, advice)


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip archive of data (a kind of file: "DOCX", "OFD"), its directory
    checked against MAX_DIRECTORY_BYTES; ParseError when it cannot be read."""
    directory = _directory_size(data)
    if directory > MAX_DIRECTORY_BYTES and directory != 0xFFFFFFFF:
        raise parse_error(f"the zip file's directory is {directory} bytes "
                          f"(MAX_DIRECTORY_BYTES {MAX_DIRECTORY_BYTES}): far more entries than "
                          f"a {kind} file has")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as e:
        raise _zip_error(e, kind) from e


def _zip_error(e: BaseException, kind: str) -> ParseError:
    reason = str(e) or type(e).__name__
    if isinstance(e, RuntimeError) and "encrypted" in reason:
        return parse_error(f"the {kind} file is encrypted (password protected)")
    return parse_error(f"the input is a zip file that cannot be read (corrupt or "
                       f"truncated): {reason}")


def read_part(zf: zipfile.ZipFile, name: str, kind: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The member name of the archive, under the size and ratio limits above
    (limit: the most bytes it may expand to).  ParseError for a part beyond
    them (a possible zip bomb) or one that cannot be read."""
    try:
        info = zf.getinfo(name)
        if info.file_size > limit:
            raise parse_error(
                f"the {kind} file's {name} is {info.file_size} bytes uncompressed, beyond "
                f"the limit of {limit} (MAX_DOCUMENT_BYTES): refused as a possible zip bomb")
        if (info.file_size > RATIO_FREE_BYTES
                and info.file_size > MAX_RATIO * max(1, info.compress_size)):
            raise parse_error(
                f"the {kind} file's {name} expands {info.compress_size} bytes to "
                f"{info.file_size}, more than {MAX_RATIO} to 1 (MAX_RATIO): refused as a "
                "possible zip bomb")
        return _read(zf, info, limit)
    except ParseError:
        raise
    except _ZIP_ERRORS as e:
        raise _zip_error(e, kind) from e


def document_xml(data: bytes) -> bytes:
    """word/document.xml of the DOCX file data, as bytes.

    Raises ParseError for a corrupt or encrypted zip, a zip that is no Word
    document (naming what it is), and a document part beyond the size and
    ratio limits above."""
    with open_zip(data, "DOCX") as zf:
        try:
            name = _main_part(zf)
        except ParseError:
            raise
        except _ZIP_ERRORS as e:
            raise _zip_error(e, "DOCX") from e
        return read_part(zf, name, "DOCX")
