"""The bulk rows of benchmarks/run.py (issue 17): frames against a plain parse loop.

Inputs: the corpus's text reports written to a temporary folder, copied until
there are ``n`` files.  Every figure is per report; the named baseline is a
plain ``govdisclose.parse`` loop over the same texts (read from the same files,
as fresh str), timed in the same process:

  - parse(text) and parse_file(path) in a loop;
  - parse_many(files, workers=1) and workers=2;
  - read_reports(files, workers=1), wide and long (CPU time: one thread);
  - the same frames through Reports (frames' Report path, what read_reports did
    before issue 17), when this version has it;
  - to_frame(reports) on parsed Reports;
  - read_reports 1 -> 2 workers, wall clock, in interleaved pairs (median);
  - optionally a dask.distributed LocalCluster of 1 -> 2 worker processes.
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

# The targets of issue 17: goals to report against, never assertions.
TARGET_WIDE = 1.0     # read_reports wide: at most this many times a parse loop
TARGET_LONG = 2.0     # long
TARGET_WORKERS = 1.8  # read_reports, 1 -> 2 workers
TARGET_DASK = 1.7     # LocalCluster, 1 -> 2 worker processes
BULK_ROUNDS = 5       # interleaved rounds of the CPU rows (full run), the best of each
DASK_REPEAT = 16      # the files, listed this many times, for the cluster
DASK_PARTITIONS = 16


class Clock:
    """CPU and wall seconds of one call."""

    def __init__(self, fn: Callable[[], Any]):
        w0, c0 = time.perf_counter(), time.process_time()
        self.result = fn()
        self.cpu = time.process_time() - c0
        self.wall = time.perf_counter() - w0


def make_files(tpaths: Sequence[Path], n: int) -> Tuple[Path, List[str]]:
    """n report files (the corpus's text reports, copied in turn) in a new folder."""
    tmp = Path(tempfile.mkdtemp(prefix="govdisclose-bulk-"))
    files = []
    for i in range(n):
        src = tpaths[i % len(tpaths)]
        dst = tmp / f"{i:06d}-{src.name}"
        shutil.copyfile(src, dst)
        files.append(str(dst))
    return tmp, files


def fresh(s: str) -> str:
    return s.encode("utf-8").decode("utf-8")


def report_path(frames: Any) -> Optional[Callable[..., Any]]:
    """The frame built through Report objects (the path before issue 17), as
    read_reports(files, workers, shape) -> DataFrame; None when this version
    has no such path apart."""
    fn = getattr(frames, "read_reports_via_reports", None)
    return fn  # type: ignore[no-any-return]


def measure(tab: Any, tpaths: Sequence[Path], n: int, rounds: int, pairs: int,
            with_dask: bool, core_threads: Optional[Callable[[int], float]] = None) -> None:
    """The bulk rows.  core_threads(k): the wall seconds of the C core alone
    (no Python) on k threads, the ceiling this machine's load leaves."""
    import govdisclose
    from govdisclose import frames

    tmp, files = make_files(tpaths, n)
    try:
        _measure(tab, govdisclose, frames, files, n, rounds, pairs, with_dask, core_threads)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _us(c: Clock, n: int, wall: bool = False) -> float:
    return (c.wall if wall else c.cpu) / n * 1e6


def _measure(tab: Any, govdisclose: Any, frames: Any, files: List[str], n: int, rounds: int,
             pairs: int, with_dask: bool,
             core_threads: Optional[Callable[[int], float]]) -> None:
    tab.section(f"bulk: {n:,} text report files, µs per report (CPU), ratio to a parse loop")
    load = os.getloadavg()[0]

    texts = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            texts.append(fh.read())

    def parse_loop() -> float:
        fresh_texts = [fresh(t) for t in texts]  # each parse encodes its str, as from disk
        t0 = time.process_time()
        for t in fresh_texts:
            govdisclose.parse(t)
        return time.process_time() - t0

    def cpu(fn: Callable[[], Any]) -> Callable[[], float]:
        def run() -> float:
            t0 = time.process_time()
            fn()
            return time.process_time() - t0
        return run

    old = report_path(frames)
    reports = [(f, r) for f, r in zip(files, govdisclose.parse_many(files, workers=1))]
    ways: List[Tuple[str, Callable[[], float], str]] = [
        ("baseline: govdisclose.parse(text) in a loop", parse_loop, ""),
        ("parse_file(path) in a loop", cpu(lambda: [govdisclose.parse_file(f) for f in files]), ""),
        ("parse_many(files, workers=1)",
         cpu(lambda: sum(1 for _ in govdisclose.parse_many(files, workers=1))), ""),
        ("read_reports(files, workers=1): wide",
         cpu(lambda: govdisclose.read_reports(files, workers=1)), f"target ≤{TARGET_WIDE}×"),
        ("read_reports(files, workers=1, shape='long')",
         cpu(lambda: govdisclose.read_reports(files, workers=1, shape="long")),
         f"target ≤{TARGET_LONG}×"),
    ]
    if old is not None:
        ways += [("  before (through Reports): wide", cpu(lambda: old(files, workers=1)), ""),
                 ("  before (through Reports): long",
                  cpu(lambda: old(files, workers=1, shape="long")), "")]
    ways.append(("to_frame(reports) on parsed Reports",
                 cpu(lambda: govdisclose.to_frame(reports)), ""))
    # Rounds interleave the ways, so that a burst of load from another
    # process slows all of them, not the one it happens to hit; the best
    # round of each is its figure.
    for _, fn, _ in ways:
        fn()  # warm up: imports, caches
    cpus: Dict[str, float] = {}
    for _ in range(max(rounds, 1 if rounds == 1 else BULK_ROUNDS)):
        for name, fn, _ in ways:
            cpus[name] = min(cpus.get(name, float("inf")), fn())
    del reports
    base_us = cpus[ways[0][0]] / n * 1e6
    ratios: Dict[str, float] = {}
    for name, _, target in ways:
        us = cpus[name] / n * 1e6
        ratios[name] = us / base_us
        tab.line(name, f"{us:.0f} µs per report" + (
            "" if name == ways[0][0] else f"; {us / base_us:.2f}× the parse loop")
            + (f"; {target}" if target else ""))
    r_wide = ratios["read_reports(files, workers=1): wide"]
    r_long = ratios["read_reports(files, workers=1, shape='long')"]
    two = Clock(lambda: sum(1 for _ in govdisclose.parse_many(files, workers=2)))
    tab.line("parse_many(files, workers=2)",
             f"{_us(two, n, wall=True):.0f} µs per report (wall); load average "
             f"{os.getloadavg()[0]:.2f}")
    tab.verdict(f"read_reports wide ≤ {TARGET_WIDE}× a parse loop",
                f"{'met' if r_wide <= TARGET_WIDE else 'MISSED'}: {r_wide:.2f}×")
    tab.verdict(f"read_reports long ≤ {TARGET_LONG}× a parse loop",
                f"{'met' if r_long <= TARGET_LONG else 'MISSED'}: {r_long:.2f}×")

    # 1 -> 2 workers, wall clock, interleaved pairs: a burst of load from
    # another process hits both sides of a pair.
    ratios, ceiling = [], []
    for _ in range(pairs):
        one = Clock(lambda: govdisclose.read_reports(files, workers=1))
        two = Clock(lambda: govdisclose.read_reports(files, workers=2))
        ratios.append(one.wall / two.wall)
        if core_threads is not None:
            ceiling.append(core_threads(1) / core_threads(2))
    load = max(load, os.getloadavg()[0])
    scaling = statistics.median(ratios)
    tab.line("read_reports wide, 1 -> 2 workers (wall)",
             f"{scaling:.2f}× (median of {pairs}: {', '.join(f'{r:.2f}' for r in ratios)}); "
             f"load average {load:.2f}")
    if ceiling:
        tab.line("  the C core alone, 1 -> 2 threads, in the same pairs",
                 f"{statistics.median(ceiling):.2f}× (median; no Python, no GIL: what the "
                 "machine's other load leaves to scale)")
    # the same files listed ten times: a run long enough that its start (the
    # first batches, one per thread) and its end (the frame's assembly, on
    # one thread) weigh little, as in a bulk job of tens of thousands
    many = files * 10
    big = []
    for _ in range(pairs):
        one = Clock(lambda: govdisclose.read_reports(many, workers=1))
        two = Clock(lambda: govdisclose.read_reports(many, workers=2))
        big.append(one.wall / two.wall)
    load = max(load, os.getloadavg()[0])
    scaling_big = statistics.median(big)
    tab.line(f"read_reports wide, 1 -> 2 workers (wall), {len(many):,} files",
             f"{scaling_big:.2f}× (median of {pairs}: {', '.join(f'{r:.2f}' for r in big)}); "
             f"load average {load:.2f}")
    status = {(True, True): "met", (False, False): "MISSED"}.get(
        (scaling >= TARGET_WORKERS, scaling_big >= TARGET_WORKERS), "met on one size only")
    tab.verdict(f"read_reports ≥ {TARGET_WORKERS}× from 1 to 2 workers",
                f"{status}: {scaling:.2f}× on {len(files):,} files, {scaling_big:.2f}× on "
                f"{len(many):,} (load average {load:.2f})")
    if with_dask:
        dask_scaling(tab, files, pairs)


def dask_scaling(tab: Any, files: List[str], pairs: int) -> None:
    """govdisclose.dask.read_reports on LocalCluster(processes=True) with 1 and
    2 worker processes of one thread each; wall clock, the clusters started
    beforehand.  Two jobs:

      - the query of the README's recipe (which reports have errors, and how
        many requests each got), answered on the workers: what a cluster is
        for, and the row the target is read from;
      - the whole frame brought back to the client (``.compute()``): the
        client alone unpickles and concatenates every partition, so this row
        shows how far a gather limits scaling; it is printed, not targeted.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        tab.line("dask LocalCluster, 1 -> 2 worker processes",
                 "not installed (distributed): pip install '.[dask]'")
        return
    import govdisclose.dask as gdask

    def query(ddf: Any) -> Any:
        errors = ddf[ddf.n_errors > 0]
        return errors[["source", "agency", "year", "requests.new.total"]]

    jobs: Dict[str, Callable[[Any], Any]] = {"query": query, "gather": lambda ddf: ddf}
    load = os.getloadavg()[0]
    paths = files * DASK_REPEAT  # enough work that the scheduler's share is small
    batch = max(1, len(paths) // DASK_PARTITIONS)
    walls: Dict[Tuple[str, int], List[float]] = {}
    for k in (1, 2):
        with LocalCluster(n_workers=k, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            for i in range(pairs + 1):
                for job, make in jobs.items():
                    # a new list each time: the same keys would be the results
                    # of the last compute, still held by the workers
                    ddf = gdask.read_reports(paths[i:] + paths[:i], batch_size=batch)
                    t0 = time.perf_counter()
                    client.compute(make(ddf)).result()
                    if i:  # the first warms up: imports in every worker
                        walls.setdefault((job, k), []).append(time.perf_counter() - t0)
    load = max(load, os.getloadavg()[0])
    us = lambda w: w / len(paths) * 1e6
    med = {key: statistics.median(v) for key, v in walls.items()}
    scaling = {job: med[(job, 1)] / med[(job, 2)] for job in jobs}
    for job, label in (("query", "the README's query, answered on the workers"),
                       ("gather", "the whole frame gathered to the client")):
        tab.line(f"dask LocalCluster: {label}",
                 f"{us(med[(job, 1)]):.0f} µs per report on 1 worker process, "
                 f"{us(med[(job, 2)]):.0f} on 2: {scaling[job]:.2f}× (medians of {pairs}; "
                 f"{len(paths):,} reports in {-(-len(paths) // batch)} partitions); "
                 f"load average {load:.2f}")
    tab.verdict(f"dask LocalCluster ≥ {TARGET_DASK}× from 1 to 2 processes (query)",
                f"{'met' if scaling['query'] >= TARGET_DASK else 'MISSED'}: "
                f"{scaling['query']:.2f}× (gathering the whole frame: "
                f"{scaling['gather']:.2f}×, bound by the client; load average {load:.2f})")
