"""The benchmark runs, so it never rots: `benchmarks/run.py --quick` in a subprocess.

Its figures are read by people, never asserted here (speed is judged in the
benchmark, against baselines run in the same process).  This checks only that
the quick run finishes and prints its table: every section, the rows that need
nothing beyond the test extra, and a "not installed" line (not a crash) for
each optional baseline that is missing.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The quick run takes a few seconds (plus one compile of the C driver, cached
# afterwards); this bound only stops a hung run from hanging the test suite.
TIMEOUT_SECONDS = 600


def test_quick_benchmark_prints_its_table(corpus):
    env = dict(os.environ, GOVDISCLOSE_CORPUS=str(corpus))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_SECONDS,
    )
    out = proc.stdout
    assert proc.returncode == 0, f"benchmarks/run.py --quick exited with {proc.returncode}:\n{out}"
    assert "| measurement" in out and "reports/s CPU" in out, out
    for section in ("**text: str in**", "**HTML: CMS pages, str in**",
                    "**threads: wall clock, 1 -> 2**", "**bulk: ", "**PDF: ms per report**",
                    "**memory: peak RSS"):
        assert section in out, f"no section {section!r} in:\n{out}"
    # What the test extra always provides: the core and the Python layer, text.
    assert "| C core alone: gd_parse" in out, out
    assert "| govdisclose.parse: str in, Report out" in out, out
    assert "Targets:" in out and "text ≥ 10,000 reports/s per core" in out, out
    # Issue 17's rows: frames against a parse loop, the Report path beside them.
    assert "| read_reports(files, workers=1): wide |" in out, out
    assert "| baseline: govdisclose.parse(text) in a loop |" in out, out
    assert "before (through Reports): long" in out, out
    # Optional baselines either ran or said why not.
    assert "pandas.read_html" in out and "pdfplumber" in out, out
