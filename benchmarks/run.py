#!/usr/bin/env python3
"""govdisclose benchmarks: one process, the same real inputs, absolute figures
and ratios against named baselines.

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # a few seconds: what CI runs
    python benchmarks/run.py --profile  # + callgrind instruction counts and cProfile
    python benchmarks/run.py --bulk     # only the bulk rows (frames, workers, dask) and memory
    python benchmarks/run.py --ocr      # OCR of the corpus scans alone (benchmarks/ocr_bench.py)

Inputs: the text reports of the corpus (../shared/corpus, or $GOVDISCLOSE_CORPUS),
the HTML pages tests/markup_inputs.py builds from them (the CMS shape of real
pages: derived markup, real words and numbers), and the corpus's two PDFs.
Each is repeated until a few thousand reports have been parsed.

What is measured (see the table's notes for what each row includes):
  - the C core alone (gd_parse, no Python), from benchmarks/core_bench.c, which
    this script compiles against src/ with the extension's own -O flags;
  - govdisclose._core.parse (str in, dicts out) and govdisclose.parse (str in,
    Report out), text and HTML: the difference to the core is what the binding
    and the Python layer cost;
  - baselines on the same pages: pandas.read_html (lxml flavour) and lxml's
    text extraction; ratio = govdisclose's rate / the baseline's;
  - 1 -> 2 threads (wall clock), in interleaved pairs, the median printed:
    parse_many, plain threads calling parse (parse_many's ceiling without its
    hand-offs) and the C core alone (the ceiling without the GIL);
  - bulk (benchmarks/bulk.py, issue 17; --bulk runs only these and the memory
    row): on 1,000 report files, parse_file, parse_many and read_reports wide
    and long (and the same frames through Reports) against a plain parse loop;
    read_reports on 1 and 2 workers; govdisclose.dask on a LocalCluster of 1
    and 2 worker processes;
  - PDF: pypdfium2's text + parse, against pdfplumber's extract_text;
  - Word 97 .doc, DOCX and OFD (the corpus's formats/ folder): parse from the
    file's bytes, against reading the same container with olefile or zipfile
    and ElementTree (the container alone, no text, no parse);
  - peak RSS of read_reports on 100,000 reports, in a child process.

Rates are per CPU second of this process ("per core") and per wall second: on
a shared machine another process's load slows the wall clock but barely the
CPU time, so targets per core are judged on CPU time; thread scaling can only
be judged on wall time, and the load average is printed beside it.

Figures are read, never asserted: tests/test_benchmarks_run.py only checks
that the quick run prints its table.  Baselines that are not installed (the
`bench` extra: pip install '.[bench]') print a "not installed" line.
"""
from __future__ import annotations

import argparse
import codecs
import gc
import hashlib
import inspect
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bulk  # noqa: E402  (benchmarks/bulk.py: the rows of issue 17)

# The targets of issue 7: goals to report against, never assertions.
TARGET_RATE = 10_000        # reports per second per core, end to end (text and HTML)
TARGET_VS_READ_HTML = 100   # times pandas.read_html on the same pages
TARGET_SCALING = 1.8        # 1 -> 2 threads
TARGET_PDF_MS = 50          # ms per PDF report
TARGET_DOC_MS = 2           # ms per Word 97 .doc report (issue 12)
TARGET_OFD_MS = 10          # ms per OFD report (issue 12)
TARGET_RSS_BYTES = 1 << 30  # read_reports on RSS_REPORTS reports
RSS_REPORTS = 100_000       # issue 17 (issue 7 asked 10,000)
BULK_FILES = 1_000          # report files of the bulk rows (issue 17)
THREAD_PAIRS = 5            # 1-then-2-thread pairs per scaling; the median is printed


# ---- Word 97 .doc, DOCX, OFD ---------------------------------------------------


def _container_baseline(path: Path) -> Tuple[str, Optional[Callable[[bytes], Any]]]:
    """What reading the file's container costs without its text: olefile's
    streams for a .doc, zipfile + ElementTree of every part for DOCX and OFD."""
    import xml.etree.ElementTree as ET
    import zipfile

    if path.suffix == ".doc":
        try:
            import olefile
        except ImportError:
            return "olefile (not installed: pip install olefile)", None

        def ole(data: bytes) -> Any:
            with olefile.OleFileIO(data) as f:
                return [f.openstream(s).read() for s in ("WordDocument", "1Table")]
        return "olefile: open + read WordDocument and 1Table", ole

    def parts(data: bytes) -> Any:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [ET.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith(".xml")]
    return "zipfile + ElementTree of every XML part", parts


def bench_containers(tab: "Table", folder: Path, rounds: int) -> None:
    """ms of CPU per report, best of rounds, for each .doc, .docx and .ofd file."""
    import govdisclose

    tab.section("Word 97 .doc, DOCX, OFD: ms per report (parse from the file's bytes)")
    files = sorted(p for p in folder.glob("*") if p.suffix in (".doc", ".docx", ".ofd"))
    if not files:
        tab.line("formats/", f"no .doc, .docx or .ofd file in {folder}")
        return
    worst: Dict[str, float] = {}
    for path in files:
        data = path.read_bytes()
        best = base = float("inf")
        name, baseline = _container_baseline(path)
        for _ in range(max(rounds, 3)):
            c0 = time.process_time()
            for _ in range(10):
                govdisclose.parse(data)
            c1 = time.process_time()
            if baseline is not None:
                for _ in range(10):
                    baseline(data)
            c2 = time.process_time()
            best, base = min(best, (c1 - c0) / 10), min(base, (c2 - c1) / 10)
        ms = best * 1e3
        kind = path.suffix[1:]
        target = {"doc": TARGET_DOC_MS, "ofd": TARGET_OFD_MS}.get(kind)
        worst[kind] = max(worst.get(kind, 0.0), ms)
        tab.add(f"{path.name}: govdisclose.parse", ms=ms,
                target=f"≤{target} ms: {met(ms <= target)}" if target else "")
        if baseline is not None:
            tab.add(f"{path.name}: baseline {name}", ms=base * 1e3,
                    ratio=f"{base / best:,.1f}× (its container alone / our whole parse)")
        else:
            tab.line(f"{path.name}: baseline", name)
    for kind, target in (("doc", TARGET_DOC_MS), ("ofd", TARGET_OFD_MS)):
        if kind in worst:
            tab.verdict(f".{kind} ≤ {target} ms per report",
                        f"{met(worst[kind] <= target)}: {worst[kind]:.2f} ms (slowest file)")


# ---- Inputs -------------------------------------------------------------------


def corpus_dir() -> Path:
    env = os.environ.get("GOVDISCLOSE_CORPUS")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


def text_paths(corpus: Path) -> List[Path]:
    """Every text report of the corpus (plain text and markdown)."""
    return sorted(p for p in corpus.iterdir()
                  if p.suffix in (".txt", ".md") and p.name != "README.md")


def html_pages(corpus: Path) -> List[Tuple[str, str]]:
    """(name, page) for every report tests/markup_inputs.py can build a page
    from, in each of its three variants."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import markup_inputs  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    pages = []
    for gold in sorted((corpus / "gold").glob("*.json")):
        try:
            report = markup_inputs.Report(corpus, gold.stem)
        except (StopIteration, UnicodeDecodeError, KeyError, IndexError):
            continue  # no text file with the section headings to build from
        for variant in ("word", "sloppy", "layout"):
            pages.append((f"{gold.stem}.{variant}", markup_inputs.html_page(report, variant)))
    return pages


def fresh(s: str) -> str:
    """A new str equal to s without s's cached UTF-8 form: parse(str) pays the
    encoding once per str, as it does on a report read from disk."""
    return s.encode("utf-8").decode("utf-8")


# ---- Timing -------------------------------------------------------------------


class Timing:
    def __init__(self, n: int, nbytes: int, cpu: float, wall: float):
        self.n, self.nbytes, self.cpu, self.wall = n, nbytes, cpu, wall

    @property
    def rate_cpu(self) -> float:
        return self.n / self.cpu if self.cpu > 0 else float("inf")

    @property
    def rate_wall(self) -> float:
        return self.n / self.wall if self.wall > 0 else float("inf")

    @property
    def mb_cpu(self) -> float:
        return self.nbytes / 1e6 / self.cpu if self.cpu > 0 else float("inf")

    @property
    def ms_cpu(self) -> float:
        return self.cpu / self.n * 1e3


def time_calls(fn: Callable[[Any], Any], items: Sequence[Any], n: int, rounds: int,
               prepare: Optional[Callable[[Any], Any]] = None,
               size: Callable[[Any], int] = lambda x: 0) -> Timing:
    """Call fn on items in turn until n calls are made; the best of rounds.
    prepare(item) runs untimed before each call's batch (a pass over items)."""
    fn(prepare(items[0]) if prepare else items[0])  # warm up
    best: Optional[Timing] = None
    for _ in range(rounds):
        done = nbytes = 0
        cpu = wall = 0.0
        while done < n:
            batch = list(items[: n - done])
            if prepare:
                batch = [prepare(x) for x in batch]
            nbytes += sum(size(x) for x in batch)
            w0, c0 = time.perf_counter(), time.process_time()
            for x in batch:
                fn(x)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            done += len(batch)
        t = Timing(done, nbytes, cpu, wall)
        if best is None or t.cpu < best.cpu:
            best = t
    assert best is not None
    return best


def median_timing(ts: Sequence[Timing]) -> Timing:
    """The timing of median wall time."""
    return sorted(ts, key=lambda t: t.wall)[len(ts) // 2]


def run_plain_threads(parse: Callable[[Any], Any]) -> Callable[[int, List[Any]], int]:
    """k threads, each calling parse on its share of the items: what threads
    give without parse_many's hand-offs."""
    def run(k: int, items: List[Any]) -> int:
        done = [0] * k

        def work(i: int) -> None:
            done[i] = sum(1 for x in items[i::k] if parse(x) is not None)
        threads = [threading.Thread(target=work, args=(i,)) for i in range(k)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(done)
    return run


def utf8_len(s: Any) -> int:
    return len(s.encode("utf-8")) if isinstance(s, str) else len(s)


# ---- The table ------------------------------------------------------------------


class Table:
    HEAD = ("measurement", "reports/s CPU", "reports/s wall", "MB/s CPU", "ms/report",
            "ratio", "target")

    def __init__(self) -> None:
        self.rows: List[Tuple[str, ...]] = []
        self.notes: List[str] = []
        self.verdicts: List[Tuple[str, str]] = []

    def section(self, title: str) -> None:
        self.rows.append(("## " + title,))

    def add(self, name: str, t: Optional[Timing] = None, ratio: str = "", target: str = "",
            ms: Optional[float] = None) -> None:
        if t is None:
            cells = ("", "", "", "" if ms is None else f"{ms:.2f}")
        else:
            cells = (f"{t.rate_cpu:,.0f}", f"{t.rate_wall:,.0f}",
                     f"{t.mb_cpu:,.1f}" if t.nbytes else "",
                     f"{t.ms_cpu if ms is None else ms:.3f}")
        self.rows.append((name,) + cells + (ratio, target))

    def line(self, name: str, text: str) -> None:
        self.rows.append((name, text))

    def verdict(self, goal: str, outcome: str) -> None:
        self.verdicts.append((goal, outcome))

    def render(self) -> str:
        widths = [len(h) for h in self.HEAD]
        for r in self.rows:
            if len(r) == len(self.HEAD):
                widths = [max(w, len(c)) for w, c in zip(widths, r)]
        out = []
        fmt = lambda r: "| " + " | ".join(
            c.ljust(w) if i == 0 or i >= 5 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths))) + " |"
        out.append(fmt(self.HEAD))
        out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for r in self.rows:
            if len(r) == 1:
                out.append("| **" + r[0][3:] + "** |")
            elif len(r) == 2:
                out.append(f"| {r[0]} | {r[1]} |")
            else:
                out.append(fmt(r))
        if self.verdicts:
            out.append("")
            out.append("Targets:")
            for goal, outcome in self.verdicts:
                out.append(f"  {goal:<48} {outcome}")
        if self.notes:
            out.append("")
            out.extend("  " + n for n in self.notes)
        return "\n".join(out)


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


# ---- The C driver -----------------------------------------------------------------


def core_flags() -> List[str]:
    """The extension's own optimisation flags (without -g), so that the driver
    times the same machine code the binding runs."""
    opt = (sysconfig.get_config_var("OPT") or "-DNDEBUG -O2").split()
    return [f for f in opt if not f.startswith("-g") and not f.startswith("-W")] or ["-O2"]


def build_driver(src: Path, extra: Sequence[str] = ()) -> Tuple[Optional[Path], str]:
    """Compile core_bench.c against src/**/*.c (not the binding).  Cached by the
    hash of its sources and flags in the temp folder."""
    cc = os.environ.get("CC", "cc")
    if shutil.which(cc.split()[0]) is None:
        return None, f"no C compiler ({cc}) on PATH"
    sources = sorted(p for p in src.rglob("*.c")
                     if "python" not in p.relative_to(src).parts and b"Python.h" not in p.read_bytes())
    flags = ["-std=c11"] + core_flags() + list(extra)
    h = hashlib.sha256(" ".join([cc] + flags).encode())
    for p in sources + sorted(src.rglob("*.h")) + [HERE / "core_bench.c"]:
        h.update(str(p.relative_to(p.parent.parent)).encode() + p.read_bytes())
    exe = Path(tempfile.gettempdir()) / f"govdisclose-core-bench-{h.hexdigest()[:16]}"
    if not exe.exists():
        tmp = exe.with_suffix(".tmp")
        cmd = cc.split() + flags + ["-I", str(src)] + [str(p) for p in sources] + [
            str(HERE / "core_bench.c"), "-lpthread", "-o", str(tmp)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            return None, "cc failed: " + proc.stdout.strip().splitlines()[-1][:200]
        tmp.replace(exe)
    return exe, " ".join(flags)


def run_driver(exe: Path, fmt: str, files: Sequence[Path], n: int, rounds: int,
               threads: int = 1, prefix: Sequence[str] = ()) -> Dict[str, str]:
    cmd = list(prefix) + [str(exe), "-f", fmt, "-n", str(n), "-r", str(rounds),
                          "-t", str(threads)] + [str(f) for f in files]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}...: {proc.stderr.strip()[:300]}")
    line = proc.stdout.strip().splitlines()[-1]
    return dict(kv.split("=", 1) for kv in line.split())


def core_threads(exe: Optional[Path], files: Sequence[Path], n: int
                 ) -> Optional[Callable[[int], float]]:
    """k -> wall seconds of the C core alone on n reports and k threads."""
    if exe is None:
        return None
    return lambda k: float(run_driver(exe, "text", files, n, 1, threads=k)["seconds"])


def driver_timing(d: Dict[str, str]) -> Timing:
    return Timing(int(d["reports"]), int(d["bytes"]), float(d["cpu_seconds"]),
                  float(d["seconds"]))


# ---- What the installed govdisclose offers ------------------------------------------


def html_parser(govdisclose: Any) -> Tuple[Optional[Callable[[str], Any]], str]:
    """parse(page, format="html") if parse has format=; else _core.parse with
    format= plus Report.from_dict; else None (pending)."""
    try:
        params = inspect.signature(govdisclose.parse).parameters
    except (TypeError, ValueError):
        params = {}
    if "format" in params:
        return (lambda s: govdisclose.parse(s, format="html")), "govdisclose.parse(format='html')"
    core, Report = govdisclose._core, govdisclose.Report
    try:
        core.parse("", format="html")
    except TypeError:
        return None, "pending: govdisclose.parse has no format= argument yet"
    return ((lambda s: Report.from_dict(core.parse(s, format="html"))),
            "_core.parse(format='html') + Report.from_dict")


def html_core_parser(govdisclose: Any) -> Optional[Callable[[str], Any]]:
    try:
        govdisclose._core.parse("", format="html")
    except TypeError:
        return None
    return lambda s: govdisclose._core.parse(s, format="html")


def find_api(govdisclose: Any, name: str, modules: Sequence[str]) -> Optional[Callable[..., Any]]:
    fn = getattr(govdisclose, name, None)
    if fn is not None:
        return fn  # type: ignore[no-any-return]
    for mod in modules:
        try:
            m = __import__(f"govdisclose.{mod}", fromlist=[name])
        except ImportError:
            continue
        fn = getattr(m, name, None)
        if fn is not None:
            return fn  # type: ignore[no-any-return]
    return None


def threads_param(fn: Callable[..., Any]) -> Optional[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    for name in ("workers", "threads", "max_workers", "n_threads", "nthreads", "jobs"):
        if name in params:
            return name
    return None


# ---- Peak RSS, in a child process -------------------------------------------------------


def rss_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process in KiB, from /proc.  Not
    ru_maxrss: Linux carries it across exec, so a child started by a big
    parent reports the parent's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is


def rss_child(n: int) -> None:
    """Run as `run.py --rss-child N`: parse N reports the way a bulk user does
    and print {"baseline_kb", "peak_kb", "how", ...} as JSON."""
    import govdisclose

    texts = [p.read_text(encoding="utf-8") for p in text_paths(corpus_dir())]
    try:
        import pandas as pd
    except ImportError:
        pd = None
    read_reports = find_api(govdisclose, "read_reports", ("frames", "bulk", "pandas"))
    gc.collect()
    base = rss_kb("VmRSS")
    out: Dict[str, Any] = {"baseline_kb": base}
    sources = [texts[i % len(texts)] for i in range(n)]
    if read_reports is not None and pd is not None:
        df = read_reports(sources)
        out["how"] = f"govdisclose.read_reports on {n} texts"
    else:
        # No read_reports yet: what a user writes today.  One flat row per
        # report (cell paths -> values), then a DataFrame.
        def flat(d: Any, prefix: str, row: Dict[str, Any]) -> None:
            for k, v in d.items():
                if isinstance(v, dict):
                    flat(v, prefix + k + ".", row)
                elif not isinstance(v, list):
                    row[prefix + k] = v
        rows = []
        for s in sources:
            row: Dict[str, Any] = {}
            flat(govdisclose.parse(s).to_dict(cells="value"), "", row)
            rows.append(row)
        if pd is not None:
            df = pd.DataFrame(rows)
            out["how"] = f"parse + to_dict(cells='value') + pandas.DataFrame on {n} texts " \
                         "(read_reports not available)"
        else:
            df = None
            out["how"] = f"parse + to_dict(cells='value') rows on {n} texts " \
                         "(read_reports and pandas not available)"
    if df is not None:
        out["frame_mb"] = round(df.memory_usage(deep=True).sum() / 1e6, 1)
        out["shape"] = list(df.shape)
    out["peak_kb"] = rss_kb("VmHWM")
    print(json.dumps(out))


def measure_rss(n: int) -> Dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--rss-child", str(n)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(HERE))
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-500:])
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ---- Profiles (--profile) -----------------------------------------------------------------


def callgrind_total(out_file: Path) -> int:
    for line in out_file.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {out_file}")


def callgrind_marginal(cmd_for: Callable[[int], List[str]], k: int, tmp: Path,
                       tag: str) -> Tuple[float, Dict[str, int]]:
    """Instructions per report, in all and per function (own cost): a run of
    2k reports minus a run of k, over k, so start-up and imports cancel."""
    totals, funcs = [], []
    for mult in (1, 2):
        out = tmp / f"cg.{tag}.{mult}"
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd_for(k * mult)
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=str(HERE))
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip()[-400:])
        totals.append(callgrind_total(out))
        funcs.append(callgrind_functions(out))
    per_fn = {name: (funcs[1].get(name, 0) - n0) // k for name, n0 in funcs[0].items()}
    per_fn.update({name: n // k for name, n in funcs[1].items() if name not in funcs[0]})
    return (totals[1] - totals[0]) / k, per_fn


def callgrind_functions(out_file: Path) -> Dict[str, int]:
    """Own instruction count of every function in a callgrind output."""
    proc = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100",
                           str(out_file)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    counts: Dict[str, int] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(\S+)", line)
        if not m or "PROGRAM TOTALS" in line or ":" not in m.group(2):
            continue
        name = re.sub(r"^.*/", "", m.group(2)).replace("???:", "")  # no folders
        counts[name] = counts.get(name, 0) + int(m.group(1).replace(",", ""))
    return counts


def top_lines(per_fn: Dict[str, int], total: float, top: int) -> List[str]:
    rows = sorted(per_fn.items(), key=lambda kv: -kv[1])[:top]
    return [f"    {100.0 * n / total:5.1f}%  {n:>10,}  {name}" for name, n in rows]


PY_PARSE_LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, {here!r})
import govdisclose
from govdisclose import _core
import run
texts = [p.read_text(encoding="utf-8") for p in run.text_paths(run.corpus_dir())]
n = int(sys.argv[1])
fn = {fn}
for i in range(n):
    fn(run.fresh(texts[i % len(texts)]))
"""


def profile(exe: Optional[Path], text_files: Sequence[Path], html_files: Sequence[Path],
            texts: Sequence[str], top: int) -> str:
    out = ["", "Profile (callgrind counts instructions: exact and repeatable on a loaded machine)"]
    if shutil.which("valgrind") is None:
        return "\n".join(out + ["  valgrind not installed: no instruction counts"])
    tmp = Path(tempfile.mkdtemp(prefix="govdisclose-cg-"))
    try:
        per: Dict[str, float] = {}
        if exe is not None:
            for fmt, files in (("text", text_files), ("html", html_files)):
                k = len(files)
                ins, fns = callgrind_marginal(
                    lambda n, f=fmt, fs=files: [str(exe), "-f", f, "-r", "1", "-n", str(n)]
                    + [str(p) for p in fs], k, tmp, "core-" + fmt)
                per["core " + fmt] = ins
                size = sum(p.stat().st_size for p in files) / k
                out.append(f"  gd_parse, {fmt}: {ins:,.0f} instructions/report "
                           f"({ins / size:,.1f} per input byte); top functions, own cost:")
                out.extend(top_lines(fns, ins, top))
        k = len(texts)
        lasts = {}
        for tag, fn in (("loop", "lambda s: None"), ("_core.parse", "_core.parse"),
                        ("parse", "govdisclose.parse")):
            script = tmp / "loop.py"
            script.write_text(PY_PARSE_LOOP.format(here=str(HERE), fn=fn))
            ins, lasts[tag] = callgrind_marginal(
                lambda n: [sys.executable, str(script), str(n)], k, tmp, "py-" + tag)
            per[tag] = ins
        end = per["parse"] - per["loop"]  # the loop and its fresh str copies are not parse's
        if "core text" in per:
            core = per["core text"]
            out.append("  text, instructions/report by layer: "
                       f"core {core:,.0f}; binding and Python layer (str->UTF-8, Report "
                       f"objects) {end - core:,.0f}; end to end {end:,.0f}  "
                       f"(for comparison, _core.parse with dicts: "
                       f"{per['_core.parse'] - per['loop']:,.0f})")
        out.append("  govdisclose.parse in CPython, per report, top functions, own cost (core, "
                   "binding and interpreter together; includes the loop's fresh str copy):")
        out.extend(top_lines(lasts["parse"], per["parse"], top))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    import cProfile
    import pstats

    import govdisclose
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        for t in texts:
            govdisclose.parse(t)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(8)
    out.append("  cProfile of govdisclose.parse over the corpus x5 (own time):")
    for line in buf.getvalue().splitlines():
        if re.match(r"\s*\d", line) or "ncalls" in line:
            out.append("    " + line.strip())
    return "\n".join(out)


# ---- The run ------------------------------------------------------------------------------


def memory_rows(tab: Table, n_rss: int) -> None:
    tab.section(f"memory: peak RSS, {n_rss:,} reports, child process")
    try:
        rss = measure_rss(n_rss)
    except RuntimeError as e:
        tab.line("read_reports", f"failed: {e}")
    else:
        peak, base = rss["peak_kb"] * 1024, rss["baseline_kb"] * 1024
        frame = f"; DataFrame {rss['frame_mb']} MB, shape {tuple(rss['shape'])}" \
            if "frame_mb" in rss else ""
        tab.line(rss["how"], f"peak RSS {peak / 2**20:,.0f} MiB (after imports "
                 f"{base / 2**20:,.0f} MiB){frame}")
        if n_rss == RSS_REPORTS:
            tab.verdict(f"read_reports on {RSS_REPORTS:,} reports < 1 GiB RSS",
                        f"{met(peak < TARGET_RSS_BYTES)}: {peak / 2**20:,.0f} MiB")
        else:
            tab.verdict(f"read_reports on {RSS_REPORTS:,} reports < 1 GiB RSS",
                        f"not judged in --quick ({n_rss} reports: {peak / 2**20:,.0f} MiB)")


def finish(tab: Table, load0: Tuple[float, float, float]) -> None:
    load1 = os.getloadavg()
    tab.notes.append(f"load average {load0[0]:.2f} at the start, {load1[0]:.2f} at the end, on "
                     f"{os.cpu_count()} cores: above the core count, wall-clock rates and thread "
                     "scaling are depressed by other processes; CPU rates much less so")
    tab.notes.append("ratios: govdisclose's CPU rate / the baseline's CPU rate, same inputs, "
                     "same process (PDF: baseline ms / ours)")
    print()
    print(tab.render())


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few seconds: small counts, one round")
    ap.add_argument("--profile", action="store_true",
                    help="also count instructions with valgrind --tool=callgrind and cProfile "
                         "govdisclose.parse")
    ap.add_argument("--src", type=Path, default=REPO / "src",
                    help="the core's sources for the C driver (default: src/)")
    ap.add_argument("--bulk", action="store_true",
                    help="only the bulk rows (frames, workers, dask) and the memory row")
    ap.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--ocr", action="store_true",
                    help="OCR of the corpus scans: s per page, accuracy, threads vs processes")
    args = ap.parse_args(argv)
    if args.ocr:
        sys.path.insert(0, str(HERE))
        import ocr_bench
        return ocr_bench.main()
    if args.rss_child:
        rss_child(args.rss_child)
        return 0

    import govdisclose

    quick = args.quick
    rounds = 1 if quick else 3
    n_text = 200 if quick else 3000
    n_html = 12 if quick else 1200
    n_read_html = 3 if quick else 24
    n_rss = 300 if quick else RSS_REPORTS
    n_bulk = 100 if quick else BULK_FILES
    pairs = 1 if quick else THREAD_PAIRS

    corpus = corpus_dir()
    tpaths = text_paths(corpus)
    if not tpaths:
        print(f"no text reports in {corpus}: set GOVDISCLOSE_CORPUS", file=sys.stderr)
        return 2
    texts = [p.read_text(encoding="utf-8") for p in tpaths]
    pages = html_pages(corpus)
    pdfs = sorted(corpus.glob("*.pdf"))
    tmp = Path(tempfile.mkdtemp(prefix="govdisclose-bench-"))
    html_files = []
    for name, page in pages:
        f = tmp / f"{name}.html"
        f.write_text(page, encoding="utf-8")
        html_files.append(f)
    page_texts = [p for _, p in pages]

    load0 = os.getloadavg()
    print(f"govdisclose {govdisclose.__version__} benchmarks{' (--quick)' if quick else ''}: "
          f"Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load average {load0[0]:.2f}")
    tbytes = sum(len(t.encode()) for t in texts)
    hbytes = sum(len(p.encode()) for p in page_texts)
    print(f"inputs: {len(texts)} corpus text reports ({tbytes / len(texts) / 1e3:.1f} KB on "
          f"average), {len(pages)} HTML pages built from {len(pages) // 3} of them "
          f"({hbytes / max(1, len(pages)) / 1e3:.0f} KB on average), {len(pdfs)} PDFs; "
          f"{n_text} text and {n_html} HTML reports a measurement, best of {rounds}")
    sys.stdout.flush()

    tab = Table()
    if args.bulk:
        exe, _ = build_driver(args.src)
        bulk.measure(tab, tpaths, n_bulk, rounds, pairs, with_dask=not quick,
                     core_threads=core_threads(exe, tpaths, n_bulk))
        memory_rows(tab, n_rss)
        finish(tab, load0)
        shutil.rmtree(tmp, ignore_errors=True)
        return 0
    exe, flags = build_driver(args.src)
    if exe is None:
        tab.notes.append(f"C driver: {flags}")

    # -- text --
    tab.section("text: str in")
    core_text = None
    if exe is not None:
        core_text = driver_timing(run_driver(exe, "text", tpaths, n_text, rounds))
        tab.add("C core alone: gd_parse (benchmarks/core_bench.c)", core_text)
        tab.notes.append(f"C core alone: core_bench.c compiled with {flags} against "
                         f"{args.src}")
    else:
        tab.line("C core alone", flags)
    from govdisclose import _core
    t_core = time_calls(_core.parse, texts, n_text, rounds, prepare=fresh, size=utf8_len)
    tab.add("_core.parse: str in, dicts out", t_core)
    t_parse = time_calls(govdisclose.parse, texts, n_text, rounds, prepare=fresh, size=utf8_len)
    tab.add("govdisclose.parse: str in, Report out", t_parse,
            target=f"≥{TARGET_RATE:,}/s/core: {met(t_parse.rate_cpu >= TARGET_RATE)}")
    tab.verdict(f"text ≥ {TARGET_RATE:,} reports/s per core",
                f"{met(t_parse.rate_cpu >= TARGET_RATE)}: {t_parse.rate_cpu:,.0f}/s")
    if core_text is not None:
        us = lambda t: t.cpu / t.n * 1e6
        tab.line("  where a text report's time goes",
                 f"core {us(core_text):.0f} µs + binding and Python layer (str->UTF-8, "
                 f"Report objects) {us(t_parse) - us(core_text):.0f} µs "
                 f"= {us(t_parse):.0f} µs (CPU)")

    # -- HTML --
    tab.section("HTML: CMS pages, str in")
    core_html = None
    if exe is not None:
        core_html = driver_timing(run_driver(exe, "html", html_files, n_html, rounds))
        tab.add("C core alone: gd_parse(GD_FORMAT_HTML)", core_html)
    hparse, hhow = html_parser(govdisclose)
    t_hparse = t_hcore = None
    hcore = html_core_parser(govdisclose)
    if hcore is not None:
        t_hcore = time_calls(hcore, page_texts, n_html, rounds, prepare=fresh, size=utf8_len)
        tab.add("_core.parse(format='html'): dicts out", t_hcore)
    if hparse is not None:
        t_hparse = time_calls(hparse, page_texts, n_html, rounds, prepare=fresh, size=utf8_len)
        tab.add(hhow + ": Report out", t_hparse,
                target=f"≥{TARGET_RATE:,}/s/core: {met(t_hparse.rate_cpu >= TARGET_RATE)}")
        tab.verdict(f"HTML ≥ {TARGET_RATE:,} reports/s per core",
                    f"{met(t_hparse.rate_cpu >= TARGET_RATE)}: {t_hparse.rate_cpu:,.0f}/s")
        # A page as read from disk or the network: bytes in the charset the
        # page declares (GB2312, read as GB18030), decoded by content.
        page_bytes = [pg.encode("gb18030") for pg in page_texts]
        t_hbytes = time_calls(govdisclose.parse, page_bytes, n_html, rounds, size=len)
        tab.add("govdisclose.parse(bytes): the pages in their declared GB2312", t_hbytes)
        # The decode alone, bytes -> str, on the same bytes: the core's (what
        # parse now runs, the GIL released) against Python's codec (what it ran).
        t_pydec = time_calls(lambda b: codecs.decode(b, "gb18030"), page_bytes, n_html, rounds,
                             size=len)
        core_decode = getattr(_core, "decode_gb18030", None)
        if core_decode is not None:
            t_dec = time_calls(core_decode, page_bytes, n_html, rounds, size=len)
            tab.add("  GB18030 -> str alone: _core.decode_gb18030 (the core)", t_dec,
                    ratio=f"{t_pydec.cpu / t_dec.cpu:,.1f}× Python's codec" if t_dec.cpu else "")
        else:
            tab.line("  GB18030 -> str alone: _core.decode_gb18030", "not in this build")
        tab.add("  GB18030 -> str alone: Python's gb18030 codec", t_pydec)
    else:
        tab.line("govdisclose.parse, HTML", hhow)
        if core_html is not None:
            tab.verdict(f"HTML ≥ {TARGET_RATE:,} reports/s per core",
                        f"pending (no HTML from Python yet); the C core alone does "
                        f"{core_html.rate_cpu:,.0f}/s: "
                        f"{met(core_html.rate_cpu >= TARGET_RATE)} even before the binding")
    ours = t_hparse or core_html
    ours_name = ("govdisclose.parse" if hhow.startswith("govdisclose.parse") else hhow) \
        if t_hparse else "the C core alone (Python HTML pending)"
    try:
        import pandas as pd
        import lxml  # noqa: F401  (read_html's lxml flavour)
    except ImportError as e:
        tab.line("pandas.read_html (lxml)", f"not installed ({e.name}): pip install '.[bench]'")
        tab.verdict(f"≥ {TARGET_VS_READ_HTML}× pandas.read_html", "not measured: pandas not installed")
    else:
        t_rh = time_calls(lambda s: pd.read_html(io.StringIO(s), flavor="lxml"), page_texts,
                          n_read_html, 1, size=utf8_len)
        ratio = ours.rate_cpu / t_rh.rate_cpu if ours else 0.0
        tab.add("baseline: pandas.read_html(flavor='lxml'): tables only", t_rh,
                ratio=f"{ratio:,.0f}× ({ours_name})" if ours else "",
                target=f"≥{TARGET_VS_READ_HTML}×: {met(ratio >= TARGET_VS_READ_HTML)}")
        tab.verdict(f"≥ {TARGET_VS_READ_HTML}× pandas.read_html",
                    f"{met(ratio >= TARGET_VS_READ_HTML)}: {ratio:,.0f}× ({ours_name})")
    try:
        import lxml.html
    except ImportError:
        tab.line("lxml text extraction", "not installed (lxml): pip install '.[bench]'")
    else:
        t_lx = time_calls(lambda s: lxml.html.document_fromstring(s).text_content(), page_texts,
                          max(n_read_html, min(n_html, 120)), rounds, size=utf8_len)
        ratio = ours.rate_cpu / t_lx.rate_cpu if ours else 0.0
        tab.add("baseline: lxml.html text_content(): text only", t_lx,
                ratio=f"{ratio:,.1f}× ({ours_name})" if ours else "")

    # -- threads --
    # Three 1 -> 2 thread scalings, measured in pairs (1 then 2 threads, one
    # right after the other) so that a burst of load from another process
    # hits both sides of a pair; the median of the pairs is the figure.
    tab.section("threads: wall clock, 1 -> 2")
    load = os.getloadavg()[0]
    parse_many = find_api(govdisclose, "parse_many", ("bulk",))
    pname = threads_param(parse_many) if parse_many else None
    n_thr = n_text
    if parse_many is not None and pname is not None:
        how = f"govdisclose.parse_many({pname}=k)"
        run_many = lambda k, items: sum(1 for _ in parse_many(items, **{pname: k}))
    else:
        how = "ThreadPoolExecutor(k).map(govdisclose.parse) (parse_many not available)"

        def run_many(k: int, items: List[str]) -> int:
            with ThreadPoolExecutor(max_workers=k) as ex:
                return sum(1 for _ in ex.map(govdisclose.parse, items))
    raw_how = "k plain threads, each govdisclose.parse on its share"
    ways = [(how, run_many), (raw_how, run_plain_threads(govdisclose.parse))]
    core_how = "C core alone (core_bench.c -t k)"
    walls: Dict[Tuple[str, int], List[Timing]] = {}
    for _ in range(pairs):
        for name, run_k in ways:
            for k in (1, 2):
                items = [fresh(texts[i % len(texts)]) for i in range(n_thr)]
                w0, c0 = time.perf_counter(), time.process_time()
                got = run_k(k, items)
                walls.setdefault((name, k), []).append(
                    Timing(got, sum(map(utf8_len, items)), time.process_time() - c0,
                           time.perf_counter() - w0))
        for k in (1, 2) if exe is not None else ():
            walls.setdefault((core_how, k), []).append(
                driver_timing(run_driver(exe, "text", tpaths, n_thr, 1, threads=k)))
    load = max(load, os.getloadavg()[0])
    scalings: Dict[str, float] = {}
    for name in dict.fromkeys(n for n, _ in walls):
        for k in (1, 2):
            tab.add(f"{name}, k={k} (median of {pairs})", median_timing(walls[name, k]))
        ratios = [a.wall / b.wall for a, b in zip(walls[name, 1], walls[name, 2])]
        scalings[name] = statistics.median(ratios)
        each = ", ".join(f"{r:.2f}" for r in ratios)
        tab.line(f"  scaling 1 -> 2: {name.split('(')[0].strip()}",
                 f"{scalings[name]:.2f}× (median of {pairs} pair{'s' * (pairs > 1)}: {each})")
    scaling = scalings[how]
    tab.line(f"  load average during the pairs (on {os.cpu_count()} cores)", f"{load:.2f}")
    tab.verdict(f"≥ {TARGET_SCALING}× from 1 to 2 threads",
                f"{met(scaling >= TARGET_SCALING)}: {scaling:.2f}× parse_many "
                f"({scalings[raw_how]:.2f}× plain threads"
                + (f", {scalings[core_how]:.2f}× the core alone" if exe is not None else "") + f"; load average {load:.2f})")
    if core_text is not None:
        # gd_parse runs without the GIL, and so does the str's UTF-8 encoding;
        # the rest of a report's time (Report objects, Python layer) is serial,
        # which caps 2 threads at 1 / (serial + (1 - serial) / 2) (Amdahl's law).
        # The encoding is not timed apart, so it is counted in: a bound from below.
        serial = max(0.0, 1.0 - (core_text.cpu / core_text.n) / (t_parse.cpu / t_parse.n))
        cap = 1.0 / (serial + (1.0 - serial) / 2.0)
        if serial < 0.02:
            tab.line("  ceiling set by the GIL on an idle machine",
                     "not measurable here: the core alone timed no faster than parse end to end "
                     "(too few reports, or a busy machine)")
        else:
            tab.line("  ceiling set by the GIL on an idle machine",
                     f"{serial:.0%} of a report's CPU time is outside gd_parse (Report "
                     f"objects, Python layer; also the UTF-8 encoding, which runs without the "
                     f"GIL): 2 threads can give about {cap:.2f}× "
                     f"({met(cap >= TARGET_SCALING)} even with idle cores)")

    bulk.measure(tab, tpaths, n_bulk, rounds, pairs, with_dask=not quick,
                 core_threads=core_threads(exe, tpaths, n_bulk))

    # -- PDF --
    tab.section("PDF: ms per report")
    try:
        import pypdfium2 as pdfium
    except ImportError:
        pdfium = None
        tab.line("pypdfium2 text + parse", "not installed (pypdfium2): pip install '.[pdf]'")
    try:
        import pdfplumber
    except ImportError:
        pdfplumber = None
        tab.line("pdfplumber extract_text", "not installed (pdfplumber): pip install '.[bench]'")
    worst_pdf = None
    for pdf in pdfs:
        ours_ms = None
        if pdfium is not None:
            def pdf_text(path: Path) -> str:
                doc = pdfium.PdfDocument(str(path))
                try:
                    parts = []
                    for i in range(len(doc)):
                        page = doc[i]
                        tp = page.get_textpage()
                        parts.append(tp.get_text_range())
                        tp.close()
                        page.close()
                    return "\n".join(parts)
                finally:
                    doc.close()
            best_x = best_p = float("inf")
            for _ in range(rounds):
                w0 = time.process_time()
                text = pdf_text(pdf)
                w1 = time.process_time()
                govdisclose.parse(text)
                w2 = time.process_time()
                best_x, best_p = min(best_x, w1 - w0), min(best_p, w2 - w1)
            ours_ms = (best_x + best_p) * 1e3
            worst_pdf = max(worst_pdf or 0.0, ours_ms)
            tab.add(f"{pdf.name}: pypdfium2 text + parse (text {best_x * 1e3:.1f} ms)",
                    ms=ours_ms, target=f"≤{TARGET_PDF_MS} ms: {met(ours_ms <= TARGET_PDF_MS)}")
        if pdfplumber is not None:
            c0 = time.process_time()
            with pdfplumber.open(str(pdf)) as doc:
                npages = len(doc.pages)
                use = doc.pages[:1] if quick else doc.pages  # about 0.3 s a page
                for page in use:
                    page.extract_text()
                done = len(use)
            ms = (time.process_time() - c0) * 1e3 * npages / done
            est = f" (page 1 of {npages}, scaled: --quick)" if quick else f" ({npages} pages)"
            ratio = f"{ms / ours_ms:,.0f}× (pypdfium2 + parse)" if ours_ms else ""
            tab.add(f"{pdf.name}: baseline pdfplumber extract_text{est}", ms=ms, ratio=ratio)
    if worst_pdf is not None:
        tab.verdict(f"PDF ≤ {TARGET_PDF_MS} ms per report",
                    f"{met(worst_pdf <= TARGET_PDF_MS)}: {worst_pdf:.1f} ms (slowest PDF)")

    # -- Word 97, DOCX, OFD --
    bench_containers(tab, corpus / "formats", rounds if quick else 5 * rounds)

    memory_rows(tab, n_rss)
    finish(tab, load0)
    if args.profile:
        print(profile(exe, tpaths, html_files, texts, top=14))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
