"""Tables pasted into a saved web page as pictures.

A page without any ``<table>`` that shows pictures: its text (tags dropped,
scripts and styles left out) is read as text, then each picture by OCR, in
page order.  A picture is read when the page embeds it (a ``data:`` URI) or,
for a page read from a file, when it is a file inside the page's own folder
(a browser's "save page, complete" writes ``report_files/image001.png``
beside ``report.html``).  Nothing is fetched from the network, and a link
that leads out of the page's folder (``../``, an absolute path) is not
followed: a page cannot make us read any other file.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from html import unescape
from typing import List, Optional, Tuple
from urllib.parse import unquote

from .docx import MAX_MEDIA_BYTES, MAX_PICTURES

__all__ = ["has_pictures_only", "pictures", "prose"]

_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_DATA = re.compile(r"\s*data:image/[A-Za-z0-9.+-]+;base64,([A-Za-z0-9+/=\s]+)$", re.I)
_TABLE = re.compile(r"<table[\s>]", re.I)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def _sources(page: str) -> List[str]:
    """The src of every <img>, entities decoded, in page order."""
    return [unescape(next(g for g in m.groups() if g is not None))
            for m in _IMG_SRC.finditer(page)]


def _local(src: str) -> bool:
    """A relative link: no scheme (http:, data:, C:), not from the site's root."""
    src = src.strip()
    return bool(src) and ":" not in src.split("/")[0] and not src.startswith(("/", "\\", "#"))


def has_pictures_only(page: str, folder: Optional[str] = None) -> bool:
    """No table, and a picture that can be read: embedded, or a file beside
    the page when it was read from folder."""
    if _TABLE.search(page) is not None:
        return False
    return any(_DATA.match(src) or (folder is not None and _local(src)) for src in _sources(page))


def prose(page: str) -> str:
    """The page's text: each tag a line break, entities decoded, blank lines dropped."""
    text = unescape(_TAG.sub("\n", _HIDDEN.sub("", page)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def pictures(page: str, folder: Optional[str] = None) -> Tuple[List[bytes], List[str]]:
    """The page's pictures in page order, and notes on those left out."""
    out: List[bytes] = []
    notes: List[str] = []
    for src in _sources(page):
        data = _DATA.match(src)
        if data is None and (folder is None or not _local(src)):
            continue  # an address: never fetched
        if len(out) == MAX_PICTURES:
            notes.append(f"more than MAX_PICTURES ({MAX_PICTURES}) pictures: the rest left out")
            break
        picture = _embedded(data.group(1), notes) if data else _beside(folder or "", src, notes)
        if picture is not None:
            out.append(picture)
    return out, notes


def _embedded(b64: str, notes: List[str]) -> Optional[bytes]:
    too_big = f"an embedded picture beyond MAX_MEDIA_BYTES ({MAX_MEDIA_BYTES}): left out"
    # white space (line breaks in the data) is no data; the base64 of
    # MAX_MEDIA_BYTES bytes is 4 characters for every 3 bytes begun
    b64 = "".join(b64.split())
    if len(b64) > 4 * -(-MAX_MEDIA_BYTES // 3):
        notes.append(too_big)
        return None
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        notes.append("an embedded picture whose base64 data is damaged: left out")
        return None
    if len(data) > MAX_MEDIA_BYTES:  # 1 or 2 bytes more fit in the last 4 characters
        notes.append(too_big)
        return None
    return data


def _beside(folder: str, src: str, notes: List[str]) -> Optional[bytes]:
    """The file src names, when it lies inside folder (links resolved)."""
    rel = unquote(src.strip().split("#")[0].split("?")[0])
    root = os.path.realpath(folder)
    path = os.path.realpath(os.path.join(root, rel))
    try:
        inside = os.path.commonpath([root, path]) == root
    except ValueError:  # another drive (Windows)
        inside = False
    if not inside:
        notes.append(f"a picture outside the page's folder ({src}): not read")
        return None
    try:
        size = os.path.getsize(path)
        if size > MAX_MEDIA_BYTES:
            notes.append(f"the picture {src} is beyond MAX_MEDIA_BYTES ({MAX_MEDIA_BYTES}): "
                         "left out")
            return None
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        notes.append(f"the picture {src} cannot be read ({e.strerror or e}): left out")
        return None
