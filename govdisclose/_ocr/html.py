"""Tables pasted into a saved web page as pictures: ``<img src="data:image/...">``.

A page without any ``<table>`` that embeds pictures as ``data:`` URIs: its
text (tags dropped, scripts and styles left out) is read as text, then each
embedded picture by OCR, in page order.  Pictures the page links to (a file
beside it, an address) are never fetched.
"""
from __future__ import annotations

import base64
import binascii
import re
from html import unescape
from typing import List, Tuple

from .docx import MAX_MEDIA_BYTES, MAX_PICTURES

__all__ = ["has_pictures_only", "pictures", "prose"]

_DATA_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']\s*data:image/[A-Za-z0-9.+-]+;base64,"""
                       r"""([A-Za-z0-9+/=\s]+)["']""", re.I)
_TABLE = re.compile(r"<table[\s>]", re.I)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def has_pictures_only(page: str) -> bool:
    return _TABLE.search(page) is None and _DATA_IMG.search(page) is not None


def prose(page: str) -> str:
    """The page's text: each tag a line break, entities decoded, blank lines dropped."""
    text = unescape(_TAG.sub("\n", _HIDDEN.sub("", page)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def pictures(page: str) -> Tuple[List[bytes], List[str]]:
    """The embedded pictures in page order, and notes on those left out."""
    out: List[bytes] = []
    notes: List[str] = []
    too_big = f"an embedded picture beyond MAX_MEDIA_BYTES ({MAX_MEDIA_BYTES}): left out"
    for m in _DATA_IMG.finditer(page):
        # white space (line breaks in the data) is no data; the base64 of
        # MAX_MEDIA_BYTES bytes is 4 characters for every 3 bytes begun
        b64 = "".join(m.group(1).split())
        if len(b64) > 4 * -(-MAX_MEDIA_BYTES // 3):
            notes.append(too_big)
            continue
        if len(out) == MAX_PICTURES:
            notes.append(f"more than MAX_PICTURES ({MAX_PICTURES}) pictures: the rest left out")
            break
        try:
            data = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            notes.append("an embedded picture whose base64 data is damaged: left out")
            continue
        if len(data) > MAX_MEDIA_BYTES:  # 1 or 2 bytes more fit in the last 4 characters
            notes.append(too_big)
        else:
            out.append(data)
    return out, notes
