"""Word 97-2003 documents made from paragraphs and table rows, for the tests of
the .doc reader (src/read/doc.c) and the fuzzer's regression inputs.

``word_doc(blocks)`` writes a compound file ([MS-CFB], 512-byte sectors, no
mini stream: every stream is padded to 4096 bytes) holding a WordDocument
stream (FIB, the text as one UTF-16 or cp1252 piece, PAPX pages) and a 1Table
stream (the piece table, the PlcBtePapx).  A block is a str (a paragraph) or
a list of rows, each a list of cells (a table).  ``Layout`` says where each
stream's sectors and the FAT are, so that a test can break one thing.

Run as a script, it writes the fuzzer's seeds and regression inputs:
``python3 tests/doc_inputs.py DIR``.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import Dict, List, NamedTuple, Sequence, Tuple, Union

SECTOR = 512
DIR_ENTRY = 128  # bytes of a directory entry
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_FC = 0x800  # where the text starts in WordDocument
FIB_PAIRS = 93

Block = Union[str, Sequence[Sequence[str]]]


class Layout(NamedTuple):
    data: bytes
    sectors: Dict[str, List[int]]  # stream name -> its sectors, in order
    fat_sectors: List[int]
    dir_sector: int

    def sector_at(self, s: int) -> int:
        return (s + 1) * SECTOR

    def entry_at(self, k: int) -> int:
        """The file offset of directory entry k (the directory's sectors follow each other)."""
        return self.sector_at(self.dir_sector + k * DIR_ENTRY // SECTOR) + k * DIR_ENTRY % SECTOR

    def fat_entry_at(self, s: int) -> int:
        """The file offset of the FAT entry of sector s."""
        return self.sector_at(self.fat_sectors[s // (SECTOR // 4)]) + 4 * (s % (SECTOR // 4))


# ---- The Word document --------------------------------------------------------------

# A paragraph mark's properties: (in table, row end) -> grpprl (istd, sprms)
def _grpprl(in_table: bool, row_end: bool) -> bytes:
    g = b"\x00\x00"  # istd
    if in_table:
        g += struct.pack("<HB", 0x2416, 1) + struct.pack("<HI", 0x6649, 1)
    if row_end:
        g += struct.pack("<HB", 0x2417, 1)
    return g


def _text_and_marks(blocks: Sequence[Block]) -> Tuple[str, List[Tuple[int, bool, bool]]]:
    """The text with its marks, and each paragraph's (end cp, in table, row end)."""
    text, marks = [], []
    cp = 0
    for block in blocks:
        if isinstance(block, str):
            text.append(block + "\r")
            cp += len(block) + 1
            marks.append((cp, False, False))
            continue
        for row in block:
            for cell in row:
                text.append(cell + "\x07")
                cp += len(cell) + 1
                marks.append((cp, True, False))
            text.append("\x07")
            cp += 1
            marks.append((cp, True, True))
    return "".join(text), marks


def _fkp_pages(runs: List[Tuple[int, int, bytes]]) -> List[bytes]:
    """PAPX FKP pages for runs (fc start, fc end, grpprl), up to 10 a page."""
    pages = []
    for at in range(0, len(runs), 10):
        chunk = runs[at:at + 10]
        crun = len(chunk)
        page = bytearray(SECTOR)
        fcs = [r[0] for r in chunk] + [chunk[-1][1]]
        for i, fc in enumerate(fcs):
            struct.pack_into("<I", page, 4 * i, fc)
        free = SECTOR - 1
        bx = 4 * (crun + 1)
        for i, (_, _, g) in enumerate(chunk):
            papx = bytes([0]) + bytes([len(g) // 2]) + g if len(g) % 2 == 0 else \
                bytes([(len(g) + 1) // 2]) + g
            free = (free - len(papx)) & ~1
            page[free:free + len(papx)] = papx
            page[bx + 13 * i] = free // 2
        page[SECTOR - 1] = crun
        pages.append(bytes(page))
    return pages


def word_streams(blocks: Sequence[Block], compressed: bool = False,
                 text: str = "") -> Tuple[bytes, bytes]:
    """WordDocument and 1Table for blocks (or for text with its marks as is)."""
    if text:
        marks = [(i + 1, False, False) for i, ch in enumerate(text) if ch in "\r\x07"]
    else:
        text, marks = _text_and_marks(blocks)
    width = 1 if compressed else 2
    # surrogatepass: a test may write UTF-16 code units (a pair, or one alone) as they are
    body = text.encode("cp1252") if compressed else text.encode("utf-16-le", "surrogatepass")
    # runs of paragraphs with the same properties
    runs: List[Tuple[int, int, bytes]] = []
    start = 0
    for end, in_table, row_end in marks:
        g = _grpprl(in_table, row_end)
        fc0, fc1 = TEXT_FC + start * width, TEXT_FC + end * width
        if runs and runs[-1][2] == g and runs[-1][1] == fc0:
            runs[-1] = (runs[-1][0], fc1, g)
        else:
            runs.append((fc0, fc1, g))
        start = end
    pages = _fkp_pages(runs) if runs else []
    papx_at = -(-(TEXT_FC + len(body)) // SECTOR) * SECTOR
    wd = bytearray(max(papx_at + SECTOR * len(pages), 4096))
    struct.pack_into("<HH", wd, 0, 0xA5EC, 0xC1)
    struct.pack_into("<H", wd, 0x0A, 0x0200)  # fWhichTblStm: 1Table
    struct.pack_into("<H", wd, 32, 14)  # csw
    struct.pack_into("<H", wd, 62, 22)  # cslw
    struct.pack_into("<i", wd, 64 + 12, len(text))  # ccpText
    struct.pack_into("<H", wd, 152, FIB_PAIRS)
    wd[TEXT_FC:TEXT_FC + len(body)] = body
    for i, page in enumerate(pages):
        wd[papx_at + SECTOR * i:papx_at + SECTOR * (i + 1)] = page
    # 1Table: the CLX (one piece), then the PlcBtePapx
    fc_field = (TEXT_FC * 2) | 0x40000000 if compressed else TEXT_FC
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc_field, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    bte = b"".join(struct.pack("<I", p[0]) for p in runs[::10])
    bte += struct.pack("<I", runs[-1][1] if runs else TEXT_FC)
    bte += b"".join(struct.pack("<I", papx_at // SECTOR + i) for i in range(len(pages)))
    if not pages:
        bte = b""
    table = bytearray(max(4096, len(clx) + len(bte)))
    table[:len(clx)] = clx
    table[len(clx):len(clx) + len(bte)] = bte
    fclcb = 154
    struct.pack_into("<II", wd, fclcb + 8 * 33, 0, len(clx))  # fcClx, lcbClx
    struct.pack_into("<II", wd, fclcb + 8 * 13, len(clx), len(bte))  # fcPlcfBtePapx
    return bytes(wd), bytes(table)


# ---- The compound file ----------------------------------------------------------------


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = FREE,
               right: int = FREE) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00"
    e = bytearray(DIR_ENTRY)
    e[:len(raw)] = raw
    struct.pack_into("<HBB", e, 0x40, len(raw), kind, 1)
    struct.pack_into("<III", e, 0x44, FREE, right, child)
    struct.pack_into("<II", e, 0x74, start, size)
    return bytes(e)


def compound_file(streams: Dict[str, bytes]) -> Layout:
    """A compound file of the named streams (each at least 4096 bytes): the root's
    children chained through their right siblings, in the order given."""
    names = list(streams)
    counts = [-(-len(streams[n]) // SECTOR) for n in names]
    ndir = -(-(len(names) + 1) * DIR_ENTRY // SECTOR)
    nsec = ndir + sum(counts)  # the directory, the streams
    nfat = 1
    while nfat * (SECTOR // 4) < nsec + nfat:
        nfat += 1
    if nfat > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat = [FREE] * (nfat * (SECTOR // 4))
    for i in range(nfat):
        fat[i] = FATSECT
    dir_sector = nfat
    for k in range(ndir - 1):
        fat[dir_sector + k] = dir_sector + k + 1
    fat[dir_sector + ndir - 1] = END
    sectors: Dict[str, List[int]] = {}
    at = dir_sector + ndir
    for n, c in zip(names, counts):
        sectors[n] = list(range(at, at + c))
        for k in range(c - 1):
            fat[at + k] = at + k + 1
        fat[at + c - 1] = END
        at += c
    entries = [_dir_entry("Root Entry", 5, END, 0, child=1)]
    for i, n in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREE
        entries.append(_dir_entry(n, 2, sectors[n][0], len(streams[n]), right=right))
    directory = b"".join(entries).ljust(ndir * SECTOR, b"\x00")
    header = bytearray(SECTOR)
    header[:8] = MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, nfat, dir_sector, 0, 4096, END, 0, END, 0)
    difat = list(range(nfat)) + [FREE] * (109 - nfat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    body = bytearray()
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    for n in names:
        body += streams[n].ljust(len(sectors[n]) * SECTOR, b"\x00")
    return Layout(bytes(header) + bytes(body), sectors, list(range(nfat)), dir_sector)


def word_doc(blocks: Sequence[Block], compressed: bool = False, text: str = "",
             extra: Dict[str, bytes] = {}) -> Layout:
    wd, table = word_streams(blocks, compressed, text)
    return compound_file({"WordDocument": wd, "1Table": table, **extra})


def put32(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack("<I", value) + data[at + 4:]


# ---- Broken documents: what the reader must refuse, or read within its bounds ----------


def many_empty_cells(rows: int, cells: int) -> bytes:
    wd_bytes, table = word_streams([[[""] * cells for _ in range(rows)]])
    return compound_file({"WordDocument": wd_bytes, "1Table": table}).data


def regressions() -> Dict[str, bytes]:
    """The bad inputs of issue 12, by name (also the fuzzer's regression files;
    10^6 empty cells, 2 MB, is made by the tests, 10^4 of them stand here)."""
    doc = word_doc(["2023年政府信息公开工作年度报告", [["规章", "1", "0", "1"]]])
    wd = doc.sectors["WordDocument"]
    out: Dict[str, bytes] = {}
    out["chain-loops"] = put32(doc.data, doc.fat_entry_at(wd[4]), wd[1])
    out["chain-past-end"] = put32(doc.data, doc.fat_entry_at(wd[2]), 0x00FFFFF0)
    out["fat-points-at-itself"] = put32(doc.data, doc.fat_entry_at(wd[3]), wd[3])
    size_at = doc.sector_at(doc.dir_sector) + 128 + 0x78  # WordDocument's size
    out["stream-larger-than-file"] = put32(doc.data, size_at, len(doc.data) * 4)
    out["truncated-streams"] = doc.data[:doc.sector_at(wd[5])]
    table_at = doc.sector_at(doc.sectors["1Table"][0])
    out["piece-table-past-stream"] = put32(doc.data, table_at + 1, 0x7FFFFF00)
    # an odd byte count: the UTF-16 piece starts one byte before the end of the stream
    wd_bytes, table = word_streams(["x" * 40])
    out["utf16-piece-odd-bytes"] = compound_file({
        "WordDocument": wd_bytes, "1Table": put32(table, 15, len(wd_bytes) - 1)}).data
    out["many-empty-cells"] = many_empty_cells(100, 100)
    return out


def seeds() -> Dict[str, bytes]:
    """Small well-formed documents for the fuzzer to start from."""
    return {
        "paragraphs": word_doc(["2023年政府信息公开工作年度报告", "一、总体情况", "本年新收申请 3 件。"]).data,
        "table": word_doc(["三、收到和处理政府信息公开申请情况",
                           [["一、本年新收政府信息公开申请数量", "3", "0", "3"],
                            ["二、上年结转政府信息公开申请数量", "", "1", "1"]]]).data,
        "fields": word_doc(["总计\x13 PAGE \x145\x15 件"]).data,
        "cp1252": word_doc(["Report 2023", [["a", "1"]]], compressed=True).data,
    }


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, data in {**seeds(), **regressions()}.items():
        (target / name).write_bytes(data)
