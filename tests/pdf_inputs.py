"""Small PDFs written by hand, for the tests of PDFs without a usable text layer.

The corpus has two real PDFs with a good text layer (hongze-2023.pdf,
huaian-2024.pdf); what it lacks are the PDFs that defeat text extraction.
These are written here, byte by byte, in the shape such files have:

- ``scanned_pdf``: pages that are one image each and no text at all (what a
  scanner makes), optionally with a digital page number on top;
- ``unmapped_glyph_pdf``: text drawn in a font whose glyph names have no
  Unicode meaning, so that the text layer holds control characters;
- ``identity_cid_pdf``: text in a CID font with Identity ordering and no
  ToUnicode map (what many Chinese PDFs made by old tools are): the text layer
  holds the glyph ids as if they were characters;
- ``cid_placeholder_pdf``: a text layer that literally reads ``(cid:NNN)``,
  as text that went through pdfplumber and was printed again does.

Each also draws real-looking numbers, so a test can check that none of them
is read.
"""
from typing import Dict, List, Tuple

PAGE = b"[0 0 595 842]"


def write_pdf(pages: List[Tuple[bytes, bytes]], objects: Dict[int, bytes]) -> bytes:
    """A PDF whose pages are (content stream, resources) pairs; objects are
    shared objects numbered from 3 (1 is the catalog, 2 the page tree)."""
    objs = dict(objects)
    num = max([2] + list(objs)) + 1
    kids = []
    for content, resources in pages:
        page, stream = num, num + 1
        num += 2
        kids.append(page)
        objs[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox " + PAGE + b" /Resources "
                      + resources + b" /Contents %d 0 R >>" % stream)
        objs[stream] = (b"<< /Length %d >>\nstream\n" % len(content) + content
                        + b"\nendstream")
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
               + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    size = max(objs) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


_IMAGE = (b"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
          b"/BitsPerComponent 8 /Length 16 >>\nstream\n" + bytes(range(0, 256, 16))
          + b"\nendstream")
_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def scanned_pdf(pages: int = 2, page_numbers: bool = True) -> bytes:
    """Each page one full-page image; a digital page number ("- 1 -") on top
    when page_numbers."""
    content = []
    for i in range(pages):
        stream = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        if page_numbers:
            stream += b"\nBT /F1 10 Tf 280 30 Td (- %d -) Tj ET" % (i + 1)
        content.append((stream, b"<< /XObject << /Im1 3 0 R >> /Font << /F1 4 0 R >> >>"))
    return write_pdf(content, {3: _IMAGE, 4: _HELVETICA})


def unmapped_glyph_pdf() -> bytes:
    """Lines of glyph codes 1-8 (named /g1../g8: no Unicode meaning) and real
    digits, as a table row of a report would be drawn."""
    lines = []
    for i in range(12):
        lines.append(b"BT /F1 12 Tf 72 %d Td (\x01\x02\x03\x04\x05\x06\x07\x08 %d 0 0 0 %d) Tj ET"
                     % (760 - 24 * i, 10 + i, 10 + i))
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/Differences [1 /g1 /g2 /g3 /g4 /g5 /g6 /g7 /g8] >> >>")
    return write_pdf([(b"\n".join(lines), b"<< /Font << /F1 3 0 R >> >>")], {3: font})


def identity_cid_pdf() -> bytes:
    """Glyph ids of a CID font with Identity ordering and no ToUnicode map."""
    lines = []
    for i in range(12):
        gids = b"".join(b"%04x" % (0x0100 + 97 * (i * 10 + k)) for k in range(10))
        lines.append(b"BT /F1 12 Tf 72 %d Td <" % (760 - 24 * i) + gids + b"> Tj ET")
    descriptor = (b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 0 1000 1000] "
                  b"/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>")
    return write_pdf([(b"\n".join(lines), b"<< /Font << /F1 3 0 R >> >>")], {
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
           b"/DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << "
           b"/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R >>",
        5: descriptor})


def cid_placeholder_pdf() -> bytes:
    """A text layer of (cid:NNN) placeholders between real-looking numbers."""
    lines = []
    for i in range(12):
        row = b"".join(b"(cid:%d)" % (3000 + 7 * (i * 6 + k)) for k in range(6))
        lines.append(b"BT /F1 9 Tf 40 %d Td (" % (760 - 24 * i) + row.replace(b"(", b"\\(")
                     .replace(b")", b"\\)") + b" %d 1 0 0 %d) Tj ET" % (20 + i, 21 + i))
    return write_pdf([(b"\n".join(lines), b"<< /Font << /F1 3 0 R >> >>")], {3: _HELVETICA})
