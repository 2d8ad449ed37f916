"""Tables pasted into a Word document as pictures: the images of word/media.

A DOCX file whose document part has no table (no ``w:tbl``) but shows
pictures: its paragraphs are read as text (one line each, in order) and each
picture it shows (``r:embed``, in document order) is read by OCR after them,
so the report's metadata comes from the prose and its tables from the
pictures.  Each picture is read within the limits of ``images`` and of the
DOCX reader (a part beyond MAX_MEDIA_BYTES is left out, with a finding).
"""
from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from typing import List, Tuple

from .. import _docx

__all__ = ["pictures", "paragraphs", "MAX_MEDIA_BYTES"]

# A picture of a page is a few MB at most; a bigger part is no table's picture.
MAX_MEDIA_BYTES = 32 * 1024 * 1024
# At most this many pictures are read (a report pastes three tables).
MAX_PICTURES = 40

_EMBED = re.compile(rb"""r:embed\s*=\s*["']([^"']+)["']""")
_REL = re.compile(rb"""<Relationship\b[^>]*>""")
_ATTR = re.compile(rb"""\b(Id|Target)\s*=\s*["']([^"']+)["']""")
_PARA = re.compile(rb"<w:p[\s>].*?</w:p>|<w:p/>", re.S)
_RUN_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def has_pictures_only(xml: bytes) -> bool:
    """A document part that shows pictures and has no table."""
    return b"<w:tbl" not in xml and _EMBED.search(xml) is not None


def paragraphs(xml: bytes) -> str:
    """The document's paragraphs as lines of text."""
    lines = []
    for p in _PARA.findall(xml):
        text = b"".join(_RUN_TEXT.findall(p)).decode("utf-8", "replace")
        lines.append(unescape(text))
    return "\n".join(lines)


def pictures(data: bytes, xml: bytes) -> Tuple[List[bytes], List[str]]:
    """The pictures the document shows, in order, and notes on those left out."""
    notes: List[str] = []
    out: List[bytes] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            rels = _docx._read(zf, zf.getinfo("word/_rels/document.xml.rels"),
                               _docx.MAX_SMALL_PART)
        except KeyError:
            return [], ["the document's relationships (word/_rels/document.xml.rels) are missing"]
        targets = {}
        for rel in _REL.findall(rels):
            attrs = dict(_ATTR.findall(rel))
            if b"Id" in attrs and b"Target" in attrs:
                targets[attrs[b"Id"]] = attrs[b"Target"].decode("utf-8", "replace")
        seen = set()
        for rid in _EMBED.findall(xml):
            target = targets.get(rid)
            if target is None or target in seen:
                continue
            seen.add(target)
            name = target.lstrip("/") if target.startswith("/") else "word/" + target
            try:
                info = zf.getinfo(name)
            except KeyError:
                notes.append(f"picture {target} is not in the file")
                continue
            if info.file_size > MAX_MEDIA_BYTES:
                notes.append(f"picture {target} is {info.file_size} bytes, beyond "
                             f"MAX_MEDIA_BYTES ({MAX_MEDIA_BYTES}): left out")
                continue
            if len(out) == MAX_PICTURES:
                notes.append(f"more than MAX_PICTURES ({MAX_PICTURES}) pictures: the rest "
                             "left out")
                break
            out.append(_docx._read(zf, info, MAX_MEDIA_BYTES))
    return out, notes
