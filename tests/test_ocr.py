"""OCR of scans and table images (issue 15): the extra govdisclose[ocr].

The two corpus scans are read ONCE per test session (the fixture ``scans``);
the other tests use small inputs made here or a page of those scans.  Speed is
measured in benchmarks/run.py, not here.
"""
import io
import json
import os
import socket
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import govdisclose
from govdisclose import _ocr
from govdisclose._ocr import engine as ocr_engine
from govdisclose._ocr import read as ocr_read
from govdisclose._ocr.engine import Char

from bounded import run_child
from test_gold import cells_of, compare_with_gold

pytestmark = [
    pytest.mark.skipif(not ocr_engine.available(),
                       reason="the ocr extra is not installed (pip install '.[ocr]')"),
    # tests/sanitize.sh preloads ASan: what it checks is the core, which these tests reach
    # through the same text parse every other test makes; ONNX Runtime and OpenCV under
    # ASan's allocator would take many minutes of CI for nothing of ours.
    pytest.mark.skipif("libasan" in os.environ.get("LD_PRELOAD", ""),
                       reason="OCR is not run under the sanitizer build (tests/sanitize.sh)"),
]

SCANS = ["huaian-2024", "hongze-2023"]


def test_the_identities_choose_a_reading():
    """fix.solve on one identity, t = a + b with a 3 and b 5 read for sure: t read 8
    (or 3) holds as read, nothing to fix; t read 3 (or 8) is fixed to 8, the one
    reading that holds; t read 4 (or 9) fits none."""
    from govdisclose._ocr import fix
    rule = [fix.Instance("x", "requests", "requests.t", (("requests.a", 1), ("requests.b", 1)))]
    known = {"requests.a": 3, "requests.b": 5}

    def t_read(*readings):
        return [fix.Candidate("requests.t", (7,), (Char(readings[0], 0.4, ()),), readings)]

    assert fix.solve("requests", known, t_read("8", "3"), rule) == ("holds", [])
    assert fix.solve("requests", known, t_read("3", "8"), rule) == (
        "fixed", [fix.Change("requests.t", "3", "8", (7,))])
    assert fix.solve("requests", known, t_read("4", "9"), rule) == ("none", [])


def test_readings_are_numbers_int_can_read():
    """The recognition model's alphabet holds ² ① ⑴ (str.isdigit() is true for them, but
    int() reads no number from them) and the full-width digits ０-９ (which int() reads):
    an uncertain 2 whose alternatives are ², ① and ８ reads 2 or 8, never ² or ① (they
    raised ValueError from solve before)."""
    from govdisclose._ocr import fix
    two = Char("2", 0.5, (("²", 0.3), ("①", 0.1), ("８", 0.05)))
    assert fix.options([Char("1", 0.99, ()), two], 0.8) == ("12", "1８")
    assert fix.options([Char("²", 0.5, (("2", 0.4),))], 0.8) == ("²",)
    rule = [fix.Instance("x", "requests", "requests.t", (("requests.a", 1), ("requests.b", 1)))]
    known = {"requests.a": 3, "requests.b": 5}
    t = fix.Candidate("requests.t", (7,), (Char("3", 0.4, ()),), ("3", "8²"))
    assert fix.solve("requests", known, [t], rule) == ("none", [])
    # a reading that is no number is never part of an assignment: a cell of no
    # identity whose readings are none gives no assignment at all, so t's 8 is not taken
    t = fix.Candidate("requests.t", (7,), (Char("3", 0.4, ()),), ("3", "８"))
    free = fix.Candidate("requests.z", (9,), (Char("1", 0.4, ()),), ("1²", "7²"))
    assert fix.solve("requests", known, [t], rule) == (
        "fixed", [fix.Change("requests.t", "3", "８", (7,))])
    assert fix.solve("requests", known, [t, free], rule) == ("none", [])


def test_embedded_pictures_at_the_size_limit(monkeypatch):
    """A page's data: pictures are kept up to MAX_MEDIA_BYTES decoded bytes (here 30),
    whatever line breaks their base64 holds; one byte more is left out with a note
    (its base64 is no longer than 30 bytes' plus padding, so the bytes are counted)."""
    import base64
    from govdisclose._ocr import html as ocr_html
    monkeypatch.setattr(ocr_html, "MAX_MEDIA_BYTES", 30)

    def page(data: bytes, width: int) -> str:
        b64 = base64.b64encode(data).decode()
        wrapped = "\n".join(b64[k:k + width] for k in range(0, len(b64), width))
        return f'<p>表</p><img src="data:image/png;base64,{wrapped}">'

    data = bytes(range(30))
    for width in (4, 76, 1000):
        assert ocr_html.pictures(page(data, width)) == ([data], [])
    for n in (31, 32, 33, 34, 90):
        pics, notes = ocr_html.pictures(page(bytes(n), 1000))
        assert pics == [] and notes == [
            "an embedded picture beyond MAX_MEDIA_BYTES (30): left out"], n



def _matches(cell, want) -> bool:
    if cell is None:
        return False
    if want in ("empty", "na", "text"):
        return cell["kind"] == want
    if isinstance(want, int):
        return cell["kind"] == "number" and cell["value"] == want
    return cell["kind"] == "number" and str(cell["value"]) == want


def score(report: govdisclose.Report, gold: Dict) -> Tuple[int, int, List[str], List[str]]:
    """(gold cells read exactly, gold cells, wrong cells, wrong cells no finding names)."""
    ours = cells_of(report.to_dict())
    named = {f.cell for f in report.findings if f.cell}
    wrong = [p for p, want in gold["cells"].items() if not _matches(ours.get(p), want)]
    return len(gold["cells"]) - len(wrong), len(gold["cells"]), wrong, \
        [p for p in wrong if p not in named]


@pytest.fixture(scope="session")
def scans(corpus):
    """Each corpus scan read once through parse_file, and the pages OCR read
    (kept by a spy on the page reader, for the tests of the identity check)."""
    pages: Dict[str, list] = {}
    real = _ocr._read_all
    out = {}
    try:
        for name in SCANS:
            def spy(p, _name=name):
                results = real(p)
                pages[_name] = results
                return results
            _ocr._read_all = spy
            path = corpus / "formats" / f"{name}.scan.pdf"
            out[name] = (govdisclose.parse_file(path), path.read_bytes())
    finally:
        _ocr._read_all = real
    return out, pages


@pytest.mark.parametrize("name", SCANS)
def test_scan_matches_gold(corpus, scans, name):
    """At least 99% of gold cells exact, and every wrong cell named by a finding."""
    report, _ = scans[0][name]
    gold = json.loads((corpus / "formats" / "gold" / f"{name}.scan.pdf.json").read_text("utf-8"))
    exact, total, wrong, unnamed = score(report, gold)
    assert exact / total >= 0.99, wrong
    assert unnamed == []
    assert compare_with_gold(report, gold) == []


@pytest.mark.parametrize("name", SCANS)
def test_scan_says_ocr_read_it(scans, name):
    """format is what the input was; one parse.ocr info finding per page with
    the engine, the resolution and the mean confidence; every cell's span
    points at its raw text in Report.text."""
    report, data = scans[0][name]
    assert report.format == "pdf" and report.text
    infos = [f for f in report.findings if f.code == "parse.ocr"]
    pages = len(scans[1][name])
    assert [f.message.split(":")[0] for f in infos] == [f"page {n}" for n in range(1, pages + 1)]
    dpi = {"huaian-2024": "200 dpi", "hongze-2023": "150 dpi"}[name]
    for f in infos:
        assert f.severity == "info" and ocr_engine.NAME in f.message and dpi in f.message
        confidence = float(f.message.rsplit("mean confidence ", 1)[1])
        assert 0.9 < confidence <= 1.0
    text = report.text.encode("utf-8")
    for path, cell in cells_of(report.to_dict()).items():
        start, end = cell["span"]
        assert text[start:end].decode("utf-8") == cell["raw"], path
    turned = [float(f.message.split("turned ")[1].split("°")[0]) for f in infos
              if "turned" in f.message]
    if name == "huaian-2024":  # turned 0.6 degrees when scanned: the table pages turned back
        assert len(turned) >= 3 and all(abs(a + 0.6) < 0.1 for a in turned)
    else:
        assert turned == []


def test_broken_identity_of_a_scan_is_worded_as_the_reading(scans):
    """hongze-2023's table 四 breaks two identities as printed: read by OCR,
    the finding says the reading may be wrong, not necessarily the report."""
    report, _ = scans[0]["hongze-2023"]
    broken = [f for f in report.errors if f.code == "reviews.total"]
    assert {f.cell for f in broken} == {"reviews.review.total",
                                        "reviews.litigation_after_review.total"}
    assert all("the reading may be wrong" in f.message for f in broken)


def test_uncertain_cells_are_named(scans):
    for name in SCANS:
        report, _ = scans[0][name]
        cells = cells_of(report.to_dict())
        for f in report.findings:
            if f.code == "parse.ocr_uncertain" and f.cell:
                assert f.severity == "warning" and f.cell in cells
                assert repr(cells[f.cell]["raw"]) in f.message


# ---- The identities choose among uncertain readings --------------------------------


def _misread(pages, changes: Dict[str, Tuple[str, Tuple[Tuple[str, float], ...]]], report):
    """The scan's OCR result with cells misread: path -> (digits as now read, the
    engine's other candidates of each changed digit)."""
    text, chars, ranges, findings = ocr_read.assemble([""] * len(pages), pages)
    cells = cells_of(report.to_dict())
    buf = bytearray(text.encode("utf-8"))
    for path, (digits, alts) in changes.items():
        start, end = cells[path]["span"]
        assert end - start == len(digits)
        for k, d in enumerate(digits):
            if buf[start + k:start + k + 1] != d.encode():
                buf[start + k:start + k + 1] = d.encode()
                chars[start + k] = Char(d, 0.3, alts)
    return buf.decode("utf-8"), chars, ranges, findings


def _reread(scans, changes) -> govdisclose.Report:
    """hongze-2023's scan with cells misread (see _misread), through the
    identity check and the findings again."""
    report, _ = scans[0]["hongze-2023"]
    text, chars, ranges, findings = _misread(scans[1]["hongze-2023"], changes, report)
    return ocr_read.finish(text, chars, ranges, findings, False, None, "pdf")


def test_one_reading_fits_and_is_taken(scans):
    """requests.new.total (21) misread as 71, the engine's second candidate
    for the 7 being 2: only 21 makes every identity of table 三 hold, so it is
    taken, and a parse.ocr_corrected finding gives the raw and chosen reading."""
    fixed = _reread(scans, {"requests.new.total": ("71", (("2", 0.2),))})
    assert fixed.requests.new.total.value == 21
    (f,) = [f for f in fixed.findings if f.code == "parse.ocr_corrected"]
    assert (f.cell, f.expected, f.actual, f.severity) == ("requests.new.total", 21, 71, "warning")
    assert "'71'" in f.message and "'21'" in f.message
    assert not [f for f in fixed.errors if f.table == "requests"]


def test_two_readings_fit_and_nothing_changes(scans):
    """Both carried_over and carried_forward natural_person/total read 6 where
    the engine also saw 0, and new.total misread 71 (or 21): 21 with all four
    0 and 21 with all four 6 both make every identity hold -- never chosen."""
    six = (("0", 0.25),)
    kept = _reread(scans, {
        "requests.new.total": ("71", (("2", 0.2),)),
        "requests.carried_over.natural_person": ("6", six),
        "requests.carried_over.total": ("6", six),
        "requests.carried_forward.natural_person": ("6", six),
        "requests.carried_forward.total": ("6", six)})
    assert kept.requests.new.total.value == 71
    assert kept.requests.carried_over.total.value == 6
    assert not [f for f in kept.findings if f.code == "parse.ocr_corrected"]
    assert any(f.code == "parse.ocr_uncertain" and "more than one reading" in f.message
               for f in kept.findings)
    assert any("the reading may be wrong" in f.message for f in kept.errors)


def test_a_table_the_report_itself_breaks_is_never_changed(scans):
    """Table 四 of hongze-2023 breaks as printed: a misread there is named,
    but no assignment makes every identity hold, so nothing changes."""
    kept = _reread(scans, {"reviews.litigation_direct.upheld": ("8", (("0", 0.3),))})
    assert kept.reviews.litigation_direct.upheld.value == 8
    assert not [f for f in kept.findings if f.code == "parse.ocr_corrected"]
    assert any(f.code == "parse.ocr_uncertain" and f.cell == "reviews.litigation_direct.upheld"
               for f in kept.findings)


# ---- Images given directly ----------------------------------------------------------


def _page_image(corpus, name: str, number: int):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(corpus / "formats" / f"{name}.scan.pdf"))
    try:
        (obj,) = list(doc[number - 1].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
        return obj.get_bitmap().to_pil()
    finally:
        doc.close()


def test_png_jpeg_and_multipage_tiff(corpus, scans):
    """A page of huaian-2024's scan given as a PNG and as a JPEG, and pages
    3-4 as one TIFF: format "image", the same table cells as the scan gave."""
    scan_cells = cells_of(scans[0]["huaian-2024"][0].to_dict())
    p3, p4 = _page_image(corpus, "huaian-2024", 3), _page_image(corpus, "huaian-2024", 4)
    tiff = io.BytesIO()
    p3.save(tiff, format="TIFF", save_all=True, append_images=[p4], compression="tiff_lzw")
    png = io.BytesIO()
    p4.save(png, format="PNG")
    r = govdisclose.parse(tiff.getvalue())
    assert r.format == "image"
    assert len([f for f in r.findings if f.code == "parse.ocr"]) == 2
    got = cells_of(r.to_dict())
    on_pages = [p for p in got if p.startswith("active.") or p.startswith("requests.new")]
    assert len(on_pages) >= 10
    assert all(got[p]["value"] == scan_cells[p]["value"] for p in on_pages)
    r = govdisclose.parse(png.getvalue())
    assert r.format == "image"
    assert r.requests.new.total.value == 3119 and r.active.penalties.count.value == 3985758


def test_ocr_false_and_no_extra(corpus, monkeypatch):
    """ocr=False: an image is refused naming it, a scan gives parse.needs_ocr.
    Without the extra, "auto" does the same and the hint says how to install it."""
    png = io.BytesIO()
    _page_image(corpus, "hongze-2023", 5).save(png, format="PNG")
    with pytest.raises(govdisclose.ParseError, match="a PNG image"):
        govdisclose.parse(png.getvalue(), ocr=False)
    scan = corpus / "formats" / "hongze-2023.scan.pdf"
    r = govdisclose.parse_file(scan, ocr=False)
    assert [f.code for f in r.findings] == ["parse.needs_ocr"] and r.requests is None
    monkeypatch.setattr(ocr_engine, "_modules", lambda: None)
    r = govdisclose.parse_file(scan)
    (f,) = r.findings
    assert f.code == "parse.needs_ocr" and "pip install 'govdisclose[ocr]'" in f.message
    with pytest.raises(govdisclose.ParseError, match="govdisclose\\[ocr\\]"):
        govdisclose.parse(png.getvalue())
    with pytest.raises(govdisclose.ParseError, match="ocr=True needs the ocr extra"):
        govdisclose.parse_file(scan, ocr=True)
    with pytest.raises(ValueError):
        govdisclose.parse(b"text", ocr="yes")


def test_ocr_true_reads_pages_with_a_text_layer(corpus):
    """ocr=True: a page with a text layer is read by OCR too (page 4 of the
    real huaian-2024.pdf), and gives the numbers its text layer gives."""
    import pypdfium2 as pdfium
    src = pdfium.PdfDocument(str(corpus / "huaian-2024.pdf"))
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src, [3])
    out = io.BytesIO()
    doc.save(out)
    layer = govdisclose.parse(out.getvalue(), ocr=False)
    read = govdisclose.parse(out.getvalue(), ocr=True)
    assert not [f for f in layer.findings if f.code == "parse.ocr"]
    assert [f.code for f in read.findings].count("parse.ocr") == 1
    want, got = cells_of(layer.to_dict()), cells_of(read.to_dict())
    assert len(want) >= 20
    assert {p: c["value"] for p, c in got.items() if p in want} == \
        {p: c["value"] for p, c in want.items()}


def test_models_come_from_the_wheel_and_nothing_is_fetched(monkeypatch):
    """The models are files inside the rapidocr package; a new engine loads
    with every socket refused."""
    import rapidocr_onnxruntime

    def refuse(*a, **k):
        raise AssertionError("the OCR engine tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    eng = ocr_engine.Engine()
    root = Path(rapidocr_onnxruntime.__file__).resolve().parent
    for part in (eng.det_config["model_path"],):
        assert Path(part).resolve().is_relative_to(root) and Path(part).is_file()
    assert len(eng.charset) > 6000  # the Chinese character set of the recognition model


# ---- Bad input: a ParseError or findings, in bounded time --------------------------------

HOSTILE = r'''
import io, struct, zlib, random
from PIL import Image
def png_header(w, h, body=b""):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(body)) + chunk(b"IEND", b""))
def save(img, fmt="PNG"):
    out = io.BytesIO(); img.save(out, format=fmt); return out.getvalue()
random.seed(15)
noise = Image.frombytes("L", (900, 1200), bytes(random.randrange(256) for _ in range(900 * 1200)))
cases = {
    "bomb": png_header(100000, 100000, b"\x00" * 1000),
    "20000x20000": png_header(20000, 20000, b"\x00" * 1000),
    "truncated": save(Image.new("L", (400, 300), 255))[:60],
    "strip": save(Image.new("L", (1, 100000), 0)),
    "wide": save(Image.new("L", (6000, 300), 255)),
    "blank": save(Image.new("L", (1240, 1754), 255)),
    "noise": save(noise, "JPEG"),
}
out = {}
for name, data in cases.items():
    t = time.time()
    try:
        r = govdisclose.parse(data)
        out[name] = ["report", [f.code for f in r.findings], r.requests is None, r.active is None]
    except govdisclose.ParseError as e:
        out[name] = ["error", str(e)]
    out[name].append(round(time.time() - t, 1))
result(**out)
'''


def test_hostile_images(corpus):
    got = run_child("hostile images", HOSTILE, corpus, timeout=600)
    assert got["bomb"][0] == "error" and "MAX_PIXELS" in got["bomb"][1]
    assert got["20000x20000"][0] == "error" and "MAX_PIXELS" in got["20000x20000"][1]
    assert got["truncated"][0] == "error" and "a PNG image" in got["truncated"][1]
    kind, codes, no_requests, no_active, _ = got["strip"]
    assert kind == "report" and "parse.ocr_limit" in codes and no_requests and no_active
    kind, codes, *_ = got["wide"]
    assert kind == "report" and "parse.ocr_limit" in codes
    for name in ("blank", "noise"):
        kind, codes, no_requests, no_active, _ = got[name]
        assert kind == "report" and no_requests and no_active and "parse.ocr" in codes


# ---- Inputs made with other settings (tests/ocr_inputs/README.md says how) -------------

INPUTS = Path(__file__).resolve().parent / "ocr_inputs"


@pytest.mark.parametrize("file, gold_name, fmt, least, angle", [
    ("hongze-2023-p3-110dpi.scan.pdf", "hongze-2023", "pdf", 90, None),   # lower resolution
    ("huaian-2024-p4-skew2.scan.pdf", "huaian-2024", "pdf", 90, -2.0),    # turned 2 degrees
    ("huaian-2024-p4-pasted.docx", "huaian-2024", "docx", 90, None),      # a picture in Word
])
def test_other_scans(corpus, file, gold_name, fmt, least, angle):
    """Each cell read is the gold's or is named by a finding; most cells read."""
    r = govdisclose.parse_file(INPUTS / file)
    assert r.format == fmt
    gold = json.loads((corpus / "formats" / "gold" / f"{gold_name}.scan.pdf.json")
                      .read_text("utf-8"))
    ours = cells_of(r.to_dict())
    named = {f.cell for f in r.findings if f.cell}
    read = [p for p in ours if p in gold["cells"]]
    assert len(read) >= least
    assert [p for p in read if not _matches(ours[p], gold["cells"][p]) and p not in named] == []
    if angle is not None:
        (info,) = [f for f in r.findings if f.code == "parse.ocr"]
        assert abs(float(info.message.split("turned ")[1].split("°")[0]) - angle) < 0.2
    if fmt == "docx":  # the prose gives the metadata, the picture the table
        assert (r.agency, r.year) == ("淮安市人民政府", 2024)
        assert r.requests.new.total.value == 3119


def test_cli_progress_bar_per_page(corpus, tmp_path, monkeypatch, capsys):
    """On a terminal the command line draws a bar of pages read by OCR."""
    from govdisclose.cli import main
    pytest.importorskip("tqdm")
    last = _page_image(corpus, "hongze-2023", 5)  # the page with the least text
    tiff = tmp_path / "two-pages.tif"
    last.save(tiff, save_all=True, append_images=[last])
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    try:
        assert main(["check", str(tiff)]) == 0
    finally:
        _ocr.set_progress(None)
    err = capsys.readouterr().err
    assert "OCR:" in err and "/2 " in err and "page/s" in err


def test_saved_page_with_a_picture_of_the_table(tmp_path):
    """A saved web page without tables that embeds the picture of table 三 as a
    data: URI (the picture of huaian-2024-p4-pasted.docx): its text gives the
    metadata, the picture the table.  The same page saved with the picture as
    a file beside it: read when the page is read from its file (parse_file,
    read_reports), never from bytes alone, never outside the page's folder."""
    import base64
    import zipfile
    with zipfile.ZipFile(INPUTS / "huaian-2024-p4-pasted.docx") as z:
        jpeg = z.read("word/media/image1.jpeg")
    page = ("<html><head><meta charset='utf-8'><title>淮安市人民政府2024年政府信息公开工作年度报告"
            "</title></head><body><p>淮安市人民政府2024年政府信息公开工作年度报告</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><p><img src=\"data:image/jpeg;base64,"
            + base64.b64encode(jpeg).decode() + "\"></p></body></html>")
    r = govdisclose.parse(page.encode("utf-8"))
    assert r.format == "html" and (r.agency, r.year) == ("淮安市人民政府", 2024)
    assert r.requests.new.total.value == 3119
    assert [f.code for f in r.findings].count("parse.ocr") == 1
    assert govdisclose.parse(page.encode("utf-8"), ocr=False).requests is None
    # saved "complete" by a browser: the picture in page_files/, its name URL-quoted
    saved = tmp_path / "saved"
    (saved / "page_files").mkdir(parents=True)
    (saved / "page_files" / "表 1.jpeg").write_bytes(jpeg)
    linked = (page.split("<img")[0]
              + "<img src='page_files/%E8%A1%A8%201.jpeg' alt=''></p></body></html>")
    (saved / "page.html").write_text(linked, encoding="utf-8")
    r = govdisclose.parse_file(saved / "page.html")
    assert (r.agency, r.year, r.requests.new.total.value) == ("淮安市人民政府", 2024, 3119)
    df = govdisclose.read_reports([saved / "page.html"])
    assert df["requests.new.total"].tolist() == [3119]
    r = govdisclose.parse(linked.encode("utf-8"))  # bytes alone: no folder to look in
    assert r.requests is None and "parse.ocr" not in [f.code for f in r.findings]
    # a link out of the page's folder is not followed
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "page.html").write_text(
        linked.replace("page_files/", "../saved/page_files/"), encoding="utf-8")
    r = govdisclose.parse_file(tmp_path / "inner" / "page.html")
    assert r.requests is None and "parse.ocr" not in [f.code for f in r.findings]
