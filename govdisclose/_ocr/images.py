"""Page images: image files (PNG, JPEG, TIFF with its pages, ...) and PDF pages
rendered by pypdfium2, each as a grey numpy array, within limits.

Limits, each with its reason:

- an image that declares more than MAX_PIXELS is refused before it is decoded
  (a small PNG can declare 100,000 x 100,000 pixels: decoding it would take
  gigabytes);
- a page whose longer side is beyond MAX_SIDE is scaled down to it while it is
  decoded (JPEG draft mode) or right after, and a finding says so (a 20,000
  pixel page is 1,700 dpi: no scan needs it, and the models see 2,000 pixels);
- a page narrower than MIN_SIDE after that holds no line of text (a 1 x 100,000
  strip) and is left out, with a finding;
- at most MAX_PAGES pages of a multi-page file are read.
"""
from __future__ import annotations

import importlib
import io
from typing import Any, Iterator, List, NamedTuple, Optional, Tuple

from .._formats import parse_error

__all__ = ["PageImage", "image_pages", "is_image", "MAX_PIXELS", "MAX_SIDE"]

MAX_PIXELS = 100_000_000
MAX_SIDE = 4000
MIN_SIDE = 16
MAX_PAGES = 200
# PDF pages are rendered at the resolution of the scan they hold (the image's
# pixels per inch of the page), within these bounds; a page without one image
# over it at DEFAULT_DPI.
MIN_DPI, DEFAULT_DPI, MAX_DPI = 100, 200, 300

_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a",
          b"BM")


class PageImage(NamedTuple):
    """A page as a grey image; its number (1-based); its resolution in dpi
    when known; and what was done to it (notes that become findings)."""

    number: int
    grey: Any
    dpi: Optional[float]
    notes: Tuple[str, ...]


def is_image(data: bytes) -> bool:
    """Whether data starts like an image file we read."""
    head = bytes(data[:16])
    return head.startswith(_MAGIC) or (head[8:12] == b"WEBP" and head.startswith(b"RIFF"))


def _np() -> Any:
    return importlib.import_module("numpy")


def _shrunk(img: Any, number: int, notes: List[str]) -> Any:
    w, h = img.size
    if max(w, h) > MAX_SIDE:
        scale = MAX_SIDE / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        img = img.resize(size)
        notes.append(f"page {number}: the image is {w} x {h} pixels, beyond MAX_SIDE "
                     f"({MAX_SIDE}): read scaled down to {size[0]} x {size[1]}")
    return img


def image_pages(data: bytes, what: str = "an image") -> Iterator[PageImage]:
    """The pages of an image file as grey images.  Raises ParseError for data
    that is no image Pillow reads, or that declares more than MAX_PIXELS.
    what: the kind of image, for the messages ("a PNG image")."""
    pil = importlib.import_module("PIL.Image")
    # Pillow raises many kinds of error for damaged files (struct.error, ...)
    errors = (Exception,)
    try:
        img = pil.open(io.BytesIO(bytes(data)))
        w, h = img.size
    except pil.DecompressionBombError as e:  # Pillow's own check, before ours
        raise parse_error(f"the input is {what} that declares more pixels than MAX_PIXELS "
                          f"({MAX_PIXELS}): refused unread (an image bomb, or no page scan; "
                          f"{e})") from None
    except errors as e:
        raise parse_error(f"the input is {what} that cannot be read (corrupt or "
                          f"truncated): {e}") from e
    count = getattr(img, "n_frames", 1)
    if count > MAX_PAGES:
        raise parse_error(f"the input is {what} of {count} pages, more than MAX_PAGES "
                          f"({MAX_PAGES})")
    for index in range(min(count, MAX_PAGES)):
        number = index + 1
        notes: List[str] = []
        try:
            img.seek(index)
            w, h = img.size
            if w * h > MAX_PIXELS:
                raise ValueError(f"page {number} of the image declares {w} x {h} pixels, "
                                  f"more than MAX_PIXELS ({MAX_PIXELS}): refused unread (an "
                                  "image bomb, or no page scan)")
            if img.format == "JPEG" and max(w, h) > MAX_SIDE:
                img.draft("L", (w * MAX_SIDE // max(w, h), h * MAX_SIDE // max(w, h)))
            frame = img.convert("L")
        except errors as e:
            if "MAX_PIXELS" in str(e):
                raise parse_error(f"the input is {what}: {e}") from None
            raise parse_error(f"the input is {what} whose page {number} cannot be read "
                              f"(corrupt or truncated): {e}") from e
        if frame.size != (w, h) and max(w, h) > MAX_SIDE:
            notes.append(f"page {number}: the image is {w} x {h} pixels, beyond MAX_SIDE "
                         f"({MAX_SIDE}): read scaled down to {frame.size[0]} x {frame.size[1]}")
        frame = _shrunk(frame, number, notes)
        dpi = img.info.get("dpi")
        # writers that know no resolution put 1 or 72 there: not the scan's
        dpi_x = float(dpi[0]) if dpi and float(dpi[0]) >= MIN_DPI else None
        yield PageImage(number, _np().asarray(frame), dpi_x, tuple(notes))


def _page_dpi(page: Any, raw: Any) -> float:
    """The resolution of the scan a PDF page holds (pixels of its largest
    image per inch of the page), else DEFAULT_DPI."""
    width_pt, _ = page.get_size()
    best = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, _, right, _ = obj.get_bounds()
        if right - left < 0.5 * width_pt:
            continue
        try:
            px_w, _ = obj.get_px_size()
        except Exception:  # pdfium cannot size it: the default serves
            continue
        best = max(best or 0.0, px_w / ((right - left) / 72.0))
    if best is None:
        return float(DEFAULT_DPI)
    return float(min(MAX_DPI, max(MIN_DPI, best)))


def render_pdf_pages(doc: Any, raw: Any, numbers: List[int]) -> List[PageImage]:
    """The given pages (1-based) of an open pypdfium2 document as grey images,
    each at the resolution of its scan.  The caller holds pdfium's lock."""
    np = _np()
    out = []
    for number in numbers:
        page = doc[number - 1]
        try:
            dpi = _page_dpi(page, raw)
            w_pt, h_pt = page.get_size()
            notes: List[str] = []
            scale = dpi / 72.0
            if max(w_pt, h_pt) * scale > MAX_SIDE:
                new = MAX_SIDE / max(w_pt, h_pt)
                notes.append(f"page {number}: {dpi:.0f} dpi would make {w_pt * scale:.0f} x "
                             f"{h_pt * scale:.0f} pixels, beyond MAX_SIDE ({MAX_SIDE}): "
                             f"rendered at {new * 72:.0f} dpi")
                scale, dpi = new, new * 72
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                grey = np.array(bitmap.to_numpy())
            finally:
                bitmap.close()
        finally:
            page.close()
        if grey.ndim == 3:
            grey = grey[:, :, 0]
        out.append(PageImage(number, np.ascontiguousarray(grey), dpi, tuple(notes)))
    return out
