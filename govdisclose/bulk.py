"""Parse many reports at once: files, directories, zip archives, texts.

    >>> import govdisclose
    >>> for r in govdisclose.parse_many(["reports/", "2023.zip"], workers=4):
    ...     print(r.agency, r.year, len(r.errors))

``parse_many`` yields one Report per report it finds, in input order, parsed on
threads (the C core releases the GIL, so threads use every core): the calling
thread and ``workers - 1`` more, each parsing a batch of reports at a time.  At
most ``IN_FLIGHT_PER_WORKER`` reports per worker are in memory at once, so a
folder of 100,000 files streams.  A source that cannot be read or parsed never stops the batch:
it yields a Report with no tables and one ``parse.failed`` finding (severity
error) whose message names the source and the reason.

What a source can be:

* a path (``str`` or ``os.PathLike``) to a file: parsed whatever its suffix,
  except ``.zip``, which is an archive (below);
* a path to a directory: every file below it (recursively, in sorted order,
  skipping names that start with a dot) whose suffix is one of
  ``REPORT_SUFFIXES`` (.txt .md .html .htm .shtml .docx .doc .wps .ofd .pdf), plus the
  ``.zip`` archives, which are opened.  Other files (images, spreadsheets,
  downloads' ``.json`` metadata) are left out: a crawl folder holds many
  files that are not reports, and each would be a ``parse.failed``;
* a zip archive: its members with a report suffix, read in memory, each
  guarded by ``MAX_MEMBER_BYTES`` and ``MAX_MEMBER_RATIO``; zips inside a
  zip are not opened.  A member's source is ``"archive.zip!dir/member.txt"``;
* ``bytes`` (or ``bytearray``/``memoryview``): a report's content;
* a ``str`` with a line break or longer than ``MAX_PATH_CHARS``: a report's
  text (a shorter single-line ``str`` is a path, so a mistyped path fails
  with "no such file" rather than parsing as a report);
* a pair ``(name, data)``: data (bytes or text) named ``name`` in the output.

Reports from paths carry their source (``report.source`` where Report has
that field); texts and bytes have none unless given a name.
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import os
import queue
import sys
import threading
import zipfile
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from . import _core, _read
from ._core import ParseError
from ._model import Report

__all__ = ["parse_many", "failed_report", "REPORT_SUFFIXES", "ARCHIVE_SUFFIXES",
           "MAX_MEMBER_BYTES", "MAX_MEMBER_RATIO", "MAX_PATH_CHARS"]

#: File suffixes taken from a directory or a zip archive (case does not matter).
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".docx", ".doc", ".wps", ".ofd",
                   ".pdf")
#: Suffixes of archives whose members are parsed one by one.
ARCHIVE_SUFFIXES = (".zip",)
#: A zip member larger than this is refused: the largest real reports (PDFs
#: with scanned pages) are a few tens of MB, and a member is held in memory.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: A member that expands more than this many times its compressed size (and
#: to more than 1 MiB) is refused as a zip bomb; text compresses about 5-10x.
MAX_MEMBER_RATIO = 200
#: A one-line str up to this long is a path; a longer one is a report's text.
MAX_PATH_CHARS = 1024
#: Reports in flight per worker: enough to keep every thread busy while the
#: caller consumes results, few enough that memory stays flat.
IN_FLIGHT_PER_WORKER = 32
#: Jobs a worker takes at once, at most.  Handing a thread work costs tens of
#: microseconds under the GIL (a lock, a wake-up), and a batch's core runs
#: share one release of the GIL (_core.parse_reports): each release is a
#: chance to queue behind the other threads.  Batches start at one job and
#: double up to this, so a handful of large files still spreads over every
#: worker.  Measured on 2 idle cores (read_reports, 1 -> 2 workers, 10,000
#: files): 8 gave 1.77x, 16 (with 32 in flight per worker) 1.84-1.87x.
MAX_BATCH = 16

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Tuple[str, Any]]
_Job = Tuple[Optional[str], Callable[[], Report]]


# ---- Failed reports ------------------------------------------------------------


def failed_report(source: Optional[str], reason: str) -> Report:
    """A Report with no tables and one ``parse.failed`` error finding.

    The message is ``"<source>: <reason>"``; ``source`` is also set on the
    Report when the Report has that field.
    """
    where = source if source is not None else "input"
    d = {
        "source": source,
        "agency": None, "year": None, "published": None, "template": "unknown",
        "active": None, "requests": None, "reviews": None,
        "findings": [{
            "code": "parse.failed", "severity": "error", "table": None, "cell": None,
            "expected": None, "actual": None, "message": f"{where}: {reason}",
        }],
        "unplaced": [],
    }
    return _with_source(Report.from_dict(d), source)


_HAS_SOURCE: Optional[bool] = None


def _with_source(report: Report, source: Optional[str]) -> Report:
    """Report with its ``source`` field set, when Report has such a field."""
    global _HAS_SOURCE
    if _HAS_SOURCE is None:
        _HAS_SOURCE = any(f.name == "source" for f in dataclasses.fields(Report))
    if not _HAS_SOURCE or source is None or getattr(report, "source", None) == source:
        return report
    return dataclasses.replace(report, source=source)  # type: ignore[call-arg]


def _reason(e: BaseException) -> str:
    """A short reason for a failure, for a journalist and for grep."""
    if isinstance(e, ParseError):
        msg = str(e)
        if "UTF-8" in msg and getattr(e, "offset", None) is not None:
            return f"not UTF-8 text (bad byte at offset {e.offset}): {msg}"
        return f"cannot parse: {msg}"
    if isinstance(e, _TooLarge):
        return str(e)
    if isinstance(e, OSError):
        return f"cannot read: {e.strerror or e}"
    if isinstance(e, zipfile.BadZipFile):
        return f"not a readable zip archive: {e}"
    return f"cannot parse: {type(e).__name__}: {e}"


# ---- Parsing one source ------------------------------------------------------------


def _parse_data(data: Union[str, bytes], source: Optional[str], strict: bool) -> Report:
    import govdisclose

    return _with_source(govdisclose.parse(data, strict=strict), source)


def _parse_path(path: str, strict: bool) -> Report:
    """Parse one file: through ``govdisclose.parse_file`` when the package has
    it (it tells formats apart), else as bytes through ``parse``."""
    import govdisclose

    parse_file = getattr(govdisclose, "parse_file", None)
    if os.path.getsize(path) == 0:
        return failed_report(path, "empty file (0 bytes)")
    if parse_file is not None and (not strict or _takes_strict(parse_file)):
        return _with_source(parse_file(path, strict=strict) if strict else parse_file(path), path)
    with open(path, "rb") as fh:
        data = fh.read()
    return _parse_data(data, path, strict)


def _takes_strict(fn: Callable[..., Any]) -> bool:
    import inspect

    try:
        return "strict" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return False


class _Run:
    """A job: calling it gives its Report and never raises (one bad source
    never stops the batch).  plan, when set, is the same parse up to the core
    (_read._plan): the workers run the core calls of a batch together; retry(e),
    when set, the call parse makes after the core refused plan's with e."""

    __slots__ = ("job", "source", "plan", "retry")

    def __init__(self, job: Callable[[], Report], source: Optional[str],
                 plan: Optional[Callable[[], Any]] = None,
                 retry: Optional[Callable[[ParseError], Any]] = None):
        self.job, self.source, self.plan, self.retry = job, source, plan, retry

    def __call__(self) -> Report:
        try:
            return self.job()
        except Exception as e:
            return failed_report(self.source, _reason(e))


def _data_job(data: Any, name: Optional[str], strict: bool, label: Optional[str]) -> _Run:
    plan = retry = None
    if isinstance(data, (str, bytes)):
        plan = lambda: _read._plan(data, strict, name)
    if isinstance(data, bytes):
        retry = lambda e: _read._plan_again(data, strict, name, e)
    return _Run(lambda: _parse_data(data, name, strict), label, plan, retry)


class _PathRun:
    """A file's job (a _Run without closures: read_reports makes one per
    file): calling it gives the file's Report and never raises; plan() is
    _plan_path; path is the file read_reports' columns may read in C."""

    __slots__ = ("path", "strict")

    def __init__(self, path: str, strict: bool):
        self.path, self.strict = path, strict

    @property
    def source(self) -> str:
        return self.path

    def __call__(self) -> Report:
        try:
            return _parse_path(self.path, self.strict)
        except Exception as e:
            return failed_report(self.path, _reason(e))

    def plan(self) -> Any:
        return _plan_path(self.path, self.strict)

    def retry(self, e: ParseError) -> Any:
        with open(self.path, "rb") as fh:
            data = fh.read()
        return _read._plan_again(data, self.strict, self.path, e)


def _path_job(path: str, strict: bool) -> _PathRun:
    return _PathRun(path, strict)


def _plan_path(path: str, strict: bool) -> Any:
    """_parse_path up to the core (see _read._plan)."""
    size = os.path.getsize(path)
    if size == 0:
        return failed_report(path, "empty file (0 bytes)")
    if size > _core.MAX_INPUT:
        raise ParseError("too large")  # _parse_path says it in full
    with open(path, "rb") as fh:
        data = fh.read()
    return _read._plan(data, strict, path, os.path.dirname(os.path.abspath(path)))


def _is_path_str(s: str) -> bool:
    return "\n" not in s and "\r" not in s and len(s) <= MAX_PATH_CHARS


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _walk(root: str) -> Iterator[str]:
    """Report and archive files below root, recursively, in sorted order."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry.path)
        elif entry.is_file() and _suffix(entry.name) in REPORT_SUFFIXES + ARCHIVE_SUFFIXES:
            yield entry.path


def _zip_jobs(path: str, strict: bool) -> Iterator[_Job]:
    """One job per report member of a zip; the members are read here, in the
    producing thread, so a job holds bytes, never an open archive."""
    try:
        zf = zipfile.ZipFile(path)
    except Exception as e:
        yield path, (lambda reason=_reason(e): failed_report(path, reason))
        return
    with zf:
        for info in zf.infolist():
            if not _wanted_member(info):
                continue
            name = info.filename
            source = f"{path}!{name}"
            try:
                data = _read_member(zf, info)
            except Exception as e:
                yield source, (lambda s=source, reason=_reason(e): failed_report(s, reason))
                continue
            if not data:
                yield source, (lambda s=source: failed_report(s, "empty file (0 bytes)"))
                continue
            yield source, _data_job(data, source, strict, source)


def _wanted_member(info: zipfile.ZipInfo) -> bool:
    """A zip member that is a report file: a report suffix, not hidden, not
    macOS's __MACOSX resource forks."""
    parts = info.filename.split("/")
    return (not info.is_dir() and _suffix(info.filename) in REPORT_SUFFIXES
            and not any(p.startswith(".") for p in parts) and parts[0] != "__MACOSX")


class _TooLarge(Exception):
    pass


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise _TooLarge(f"member is {info.file_size} bytes, over the limit of "
                        f"{MAX_MEMBER_BYTES} bytes (MAX_MEMBER_BYTES)")
    if info.file_size > 1 << 20 and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
        raise _TooLarge(f"member expands {info.file_size // max(info.compress_size, 1)} times "
                        f"(over MAX_MEMBER_RATIO = {MAX_MEMBER_RATIO}): refused as a zip bomb")
    with zf.open(info) as fh:  # the header's size is not trusted: read at most one byte more
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _TooLarge(f"member is over the limit of {MAX_MEMBER_BYTES} bytes (MAX_MEMBER_BYTES)")
    return data


def _path_jobs(path: str, strict: bool) -> Iterator[_Job]:
    if os.path.isdir(path):
        for p in _walk(path):
            yield from _path_jobs(p, strict)
    elif _suffix(path) in ARCHIVE_SUFFIXES:
        yield from _zip_jobs(path, strict)
    else:
        yield path, _path_job(path, strict)


def _jobs(sources: Iterable[Source], strict: bool) -> Iterator[_Job]:
    """The sources expanded, lazily, into (source name, job) pairs."""
    if isinstance(sources, (str, bytes, bytearray, memoryview, os.PathLike)):
        sources = [sources]  # one source given bare
    for i, src in enumerate(sources):
        name: Optional[str] = None
        if isinstance(src, tuple) and len(src) == 2 and isinstance(src[0], str):
            name, src = src
            if isinstance(src, (bytes, bytearray, memoryview, str)):
                yield name, _data_job(src, name, strict, name)
                continue
        if isinstance(src, os.PathLike):
            src = os.fspath(src)
        if isinstance(src, str) and _is_path_str(src):
            yield from _path_jobs(src, strict)
        elif isinstance(src, (str, bytes, bytearray, memoryview)):
            label = name or f"input #{i}"
            yield name, _data_job(src, name, strict, label)
        else:
            reason = (f"cannot parse: a source is a path, bytes, a text or a (name, data) "
                      f"pair, not {type(src).__name__}")
            yield name, (lambda n=name or f"input #{i}", r=reason: failed_report(n, r))


# ---- Running the jobs -----------------------------------------------------------------


def default_workers() -> int:
    """The threads to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _want_bar(progress: bool) -> bool:
    if not progress:
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def _worker_count(workers: Optional[int]) -> int:
    n = default_workers() if workers is None else int(workers)
    if n < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return n


def _progress_bar(progress: bool, sources: Any) -> Any:
    """A tqdm bar counting reports (see _want_bar), or None."""
    if not _want_bar(progress):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=_count(sources), unit="report", desc="govdisclose")


def _parse_pairs(sources: Iterable[Source], workers: Optional[int] = None,
                 progress: bool = False, strict: bool = False
                 ) -> Iterator[Tuple[Optional[str], Report]]:
    """(source, Report) pairs in input order: the engine of parse_many."""
    n = _worker_count(workers)
    jobs: Iterable[_Job] = _jobs(sources, strict)
    bar = _progress_bar(progress, sources)
    try:
        for pair in (_serial(jobs) if n == 1 else _threaded(jobs, n)):
            if bar is not None:
                bar.update(1)
            yield pair
    finally:
        if bar is not None:
            bar.close()


def _count(sources: Any) -> Optional[int]:
    """How many reports the sources hold, for a progress bar's total, when
    that is cheap to know: a list of paths (folders are walked, zips' member
    lists read; nothing is parsed).  None for a one-shot iterator."""
    if isinstance(sources, (str, bytes, bytearray, memoryview, os.PathLike)):
        sources = [sources]
    if not isinstance(sources, (list, tuple)):
        return None
    n = 0
    for src in sources:
        if isinstance(src, os.PathLike) or (isinstance(src, str) and _is_path_str(src)):
            path = os.fspath(src)
            files = _walk(path) if os.path.isdir(path) else [path]
            for f in files:
                n += _members(f) if _suffix(f) in ARCHIVE_SUFFIXES else 1
        else:
            n += 1
    return n


def _members(path: str) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            return sum(1 for info in zf.infolist() if _wanted_member(info))
    except Exception:
        return 1  # a bad archive is one failed report


def _serial(jobs: Iterable[_Job]) -> Iterator[Tuple[Optional[str], Report]]:
    for source, job in jobs:
        yield source, job()


_Pending = Tuple[List[_Job], List[Any], List[int], Any]


def _start_batch(batch: List[_Job]) -> _Pending:
    """A worker's part of a batch: each job's plan, and the core run on all of
    the planned calls with one release of the GIL (_core.run_cores).  Jobs
    without a plan, or whose plan raises, run whole here."""
    reports: List[Any] = [None] * len(batch)
    calls: List[Tuple[Any, ...]] = []
    slots: List[int] = []
    for i, (_, job) in enumerate(batch):
        plan = getattr(job, "plan", None)
        if plan is not None:
            try:
                planned = plan()
            except Exception:
                planned = None
            if isinstance(planned, tuple):
                calls.append(planned)
                slots.append(i)
                continue
            if planned is not None:
                reports[i] = planned
                continue
        reports[i] = job()
    return batch, reports, slots, _core.run_cores(calls) if calls else None


def _finish_batch(pending: _Pending) -> List[Tuple[Optional[str], Report]]:
    """The consumer's part: the Reports built from the core's results right
    before they are yielded, so they are still in this core's cache when the
    caller uses and frees them.  A call that raised is redone by its job,
    which fails or retries exactly as parse does."""
    batch, reports, slots, cores = pending
    if cores is not None:
        for i, r in zip(slots, _core.build_reports(cores)):
            reports[i] = batch[i][1]() if isinstance(r, BaseException) else r
    return [(source, r) for (source, _), r in zip(batch, reports)]


def _run_batch(batch: List[_Job]) -> List[Tuple[Optional[str], Report]]:
    return _finish_batch(_start_batch(batch))


class _Workers:
    """n long-lived threads that run start(batch) on batches taken from a
    queue and leave each result under its batch's number, for one consumer to
    take in order.  The consumer helps: waiting for a batch, it runs the next
    one not yet started itself, so k workers start k - 1 threads.  For
    parse_many a thread runs the core (_start_batch); the consumer builds the
    Reports (_finish_batch), right before it yields them, so they are built,
    used and freed on one core."""

    def __init__(self, n: int, start: Callable[[List[_Job]], Any] = _start_batch):
        self._start = start
        self._todo: "queue.SimpleQueue[Optional[Tuple[int, List[_Job]]]]" = queue.SimpleQueue()
        self._done: Dict[int, Any] = {}
        self._ready = threading.Condition(threading.Lock())
        # daemon: a generator never closed must not hold up the interpreter's exit
        self._threads = [threading.Thread(target=self._work, name=f"govdisclose-{i}", daemon=True)
                         for i in range(n)]
        for t in self._threads:
            t.start()

    def _work(self) -> None:
        while True:
            item = self._todo.get()
            if item is None:
                return
            seq, batch = item
            try:
                out: Any = self._start(batch)
            except BaseException as e:  # handed to the consumer, raised there
                out = e
            with self._ready:
                self._done[seq] = out
                self._ready.notify()

    def submit(self, seq: int, batch: List[_Job]) -> None:
        self._todo.put((seq, batch))

    def take(self, seq: int) -> Any:
        """start(batch) of batch seq: run here while batches wait to be
        started, then waited for (GIL released) once every batch is taken."""
        while seq not in self._done:
            try:
                item = self._todo.get_nowait()
            except queue.Empty:
                break
            assert item is not None  # only close() puts None, after the last take
            self._done[item[0]] = self._start(item[1])
        with self._ready:
            while seq not in self._done:
                self._ready.wait()
            out = self._done.pop(seq)
        if isinstance(out, BaseException):
            raise out
        return out

    def close(self) -> None:
        """Drop the batches not started; wait for the running ones to end."""
        try:
            while True:
                self._todo.get_nowait()
        except queue.Empty:
            pass
        for _ in self._threads:
            self._todo.put(None)
        for t in self._threads:
            t.join()
        self._done.clear()


def _threaded(jobs: Iterable[_Job], n: int) -> Iterator[Tuple[Optional[str], Report]]:
    """Run jobs on n threads, in batches; yield their results in input order."""
    for _, pending in _batches(jobs, n, _start_batch):
        yield from _finish_batch(pending)


def _batches(jobs: Iterable[_Job], n: int, start: Callable[[List[_Job]], Any]
             ) -> Iterator[Tuple[List[_Job], Any]]:
    """(batch, start(batch)) for batches of jobs, in input order, start run
    on n threads (the calling one and n - 1 more; on one thread, here, in
    batches of MAX_BATCH).  At most n * IN_FLIGHT_PER_WORKER jobs are taken
    from jobs and not yet yielded, so a stream of any length runs in flat
    memory.  The jobs are taken from their iterator here, in the consuming
    thread."""
    if n == 1:
        it = iter(jobs)
        while True:
            batch = list(itertools.islice(it, MAX_BATCH))
            if not batch:
                return
            yield batch, start(batch)
    limit = n * IN_FLIGHT_PER_WORKER
    in_flight = sent = taken = 0
    size = 1
    batches: Dict[int, List[_Job]] = {}  # sent and not yet taken
    workers = _Workers(n - 1, start)
    try:
        it = iter(jobs)
        exhausted = False
        while True:
            while not exhausted and in_flight < limit:
                batch = list(itertools.islice(it, min(size, limit - in_flight)))
                if not batch:
                    exhausted = True
                    break
                workers.submit(sent, batch)
                batches[sent] = batch
                sent += 1
                in_flight += len(batch)
                if sent - taken >= n:  # every worker has a batch: the next ones may be larger
                    size = min(size * 2, MAX_BATCH)
            if taken == sent:
                return
            out = workers.take(taken)
            batch = batches.pop(taken)
            taken += 1
            in_flight -= len(batch)
            yield batch, out
    finally:
        workers.close()


def parse_many(sources: Union[Source, Iterable[Source]], workers: Optional[int] = None,
               progress: bool = False, strict: bool = False,
               lang: Optional[str] = None) -> Iterator[Report]:
    """Parse many reports; yield one Report per report found, in input order.

    sources: paths, directories (recursive), zip archives, bytes, texts or
    ``(name, data)`` pairs, in any mix (see the module's doc for the rules).
    workers: threads (default: the usable cores; 1 parses in the calling
    thread).  progress: show a tqdm bar when tqdm is installed and a terminal
    or notebook is attached.  strict and lang: passed to ``parse``.

    A source that cannot be read or parsed yields a Report with a
    ``parse.failed`` error finding naming the source; the batch goes on.
    """
    from .messages import localize_all

    pairs = _parse_pairs(sources, workers=workers, progress=progress, strict=strict)
    for _, report in localize_all(pairs, lang):
        yield report


def _sourced(items: Iterable[Any]) -> Iterator[Tuple[Optional[str], Report]]:
    """Reports or (source, Report) pairs as (source, Report) pairs, lazily."""
    if isinstance(items, Report):
        items = [items]
    for item in items:
        if isinstance(item, Report):
            yield getattr(item, "source", None), item
        elif (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Report)):
            yield (None if item[0] is None else str(item[0])), item[1]
        else:
            raise TypeError(f"expected Reports or (source, Report) pairs, not "
                            f"{type(item).__name__}")
