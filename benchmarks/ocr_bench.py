"""OCR benchmark (issue 15): seconds per page on one core, accuracy against
gold, threads against processes on this machine's cores.

    python benchmarks/run.py --ocr       # this section alone (a few minutes)

Inputs: the corpus's two scans (formats/huaian-2024.scan.pdf, 200 dpi, turned
0.6°, speckled; formats/hongze-2023.scan.pdf, 150 dpi), pages rendered once.

- per page: CPU seconds of this process for govdisclose's page reading (ONNX
  Runtime and OpenCV on one thread each), against RapidOCR's own pipeline
  (``RapidOCR()(image)``, its default settings, also on one thread) on the
  same pages: ratio = its seconds / ours;
- accuracy: govdisclose.parse's cells against formats/gold/*.scan.pdf.json:
  gold cells read exactly, and the wrong cells no finding names;
- parallel: wall seconds to read all pages with 1 worker, 2 threads sharing
  one engine, 2 processes with an engine each (the load average beside it).

Figures are printed, never asserted.
"""
from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

TARGET_SECONDS_PER_PAGE = 5.0
TARGET_EXACT = 0.99
SCANS = ("huaian-2024", "hongze-2023")


def _pages(corpus: Path, name: str) -> List[Any]:
    import pypdfium2 as pdfium
    from govdisclose._ocr.images import render_pdf_pages
    doc = pdfium.PdfDocument(str(corpus / "formats" / f"{name}.scan.pdf"))
    try:
        return render_pdf_pages(doc, pdfium.raw, list(range(1, len(doc) + 1)))
    finally:
        doc.close()


def _score(report: Any, gold: Dict[str, Any]) -> Tuple[int, int, List[str], List[str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_ocr import score  # the tests' own scoring: one definition of "exact"
    return score(report, gold)


def _read_in_process(page: Any) -> str:
    from govdisclose._ocr import read
    return read.ocr_page(page).text


def _rapidocr_baseline(pages: List[Any]) -> float:
    """CPU seconds per page of RapidOCR's own pipeline, default settings, one thread."""
    from rapidocr_onnxruntime import RapidOCR
    eng = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    eng(pages[0].grey)  # warm
    t = time.process_time()
    for p in pages:
        eng(p.grey)
    return (time.process_time() - t) / len(pages)


def run(corpus: Path) -> List[Tuple[str, str]]:
    """(row, figure) lines of the OCR section."""
    from govdisclose._ocr import read
    from govdisclose._ocr.engine import engine

    rows: List[Tuple[str, str]] = []
    engine()  # loaded once, outside the timings
    every_page: List[Any] = []
    for name in SCANS:
        pages = _pages(corpus, name)
        every_page.extend(pages)
        t = time.process_time()
        results = [read.ocr_page(p) for p in pages]
        ours = (time.process_time() - t) / len(pages)
        text, chars, ranges, findings = read.assemble([""] * len(pages), results)
        report = read.finish(text, chars, ranges, findings, False, None, "pdf")
        gold = json.loads((corpus / "formats" / "gold" / f"{name}.scan.pdf.json")
                          .read_text(encoding="utf-8"))
        exact, total, wrong, unnamed = _score(report, gold)
        verdict = "met" if ours <= TARGET_SECONDS_PER_PAGE else "NOT met"
        rows.append((f"{name}.scan.pdf: s per page, 1 core (CPU)",
                     f"{ours:.2f} s ({len(pages)} pages; target <= {TARGET_SECONDS_PER_PAGE:.0f} s:"
                     f" {verdict})"))
        base = _rapidocr_baseline(pages)
        rows.append((f"{name}.scan.pdf: RapidOCR's own pipeline (baseline)",
                     f"{base:.2f} s per page; ratio baseline/ours {base / ours:.2f}"))
        verdict = "met" if exact / total >= TARGET_EXACT and not unnamed else "NOT met"
        rows.append((f"{name}.scan.pdf: gold cells exact",
                     f"{exact}/{total} = {100 * exact / total:.1f}%; wrong {wrong or 'none'}; "
                     f"wrong and not named {unnamed or 'none'} ({verdict})"))
        fixed = [f.cell for f in report.findings if f.code == "parse.ocr_corrected"]
        uncertain = [f.cell for f in report.findings if f.code == "parse.ocr_uncertain"]
        rows.append((f"{name}.scan.pdf: findings",
                     f"{len(uncertain)} cells named uncertain, {len(fixed)} corrected by "
                     "identities"))

    n = len(every_page)
    load = os.getloadavg()[0]
    t = time.perf_counter()
    for p in every_page:
        _read_in_process(p)
    one = time.perf_counter() - t
    t = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(_read_in_process, every_page))
    threads = time.perf_counter() - t
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_read_in_process, every_page[:2]))  # engines loaded, not timed
        t = time.perf_counter()
        list(pool.map(_read_in_process, every_page))
        procs = time.perf_counter() - t
    rows.append((f"parallel: {n} pages, wall s (load {load:.1f} -> {os.getloadavg()[0]:.1f})",
                 f"1 worker {one:.1f} s; 2 threads {threads:.1f} s (x{one / threads:.2f}); "
                 f"2 processes {procs:.1f} s (x{one / procs:.2f})"))
    return rows


def main() -> int:
    corpus = Path(os.environ.get("GOVDISCLOSE_CORPUS") or
                  Path(__file__).resolve().parent.parent.parent / "shared" / "corpus")
    from govdisclose._ocr.engine import available
    if not available():
        print("OCR: the ocr extra is not installed (pip install '.[ocr]')")
        return 0
    print("**OCR: scans, seconds per page and accuracy**")
    for row, figure in run(corpus):
        print(f"| {row} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
