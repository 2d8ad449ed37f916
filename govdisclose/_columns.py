"""read_reports' frames straight from the core: no Report object per report.

The C binding fills the columns (``_core.columns_*``, src/python/columns.c):
each worker thread plans its batch of sources up to the core call (file read,
format and encoding found: ``_read._plan``, as parse_many does), then one call
runs the core on every input of the batch and writes its rows into plain C
buffers with the GIL released.  What the core cannot take -- a PDF, a file
that cannot be read, bytes whose guessed encoding was wrong, any call that
raises -- gets its rows here from its Report, made by the same job parse_many
runs, through frames' Report path (``_wide_row``, ``_long_rows``): the same
values either way, and a bad file costs its own row, never the batch.  The
consumer appends the batches in input order; pandas arrays are made once, at
the end, over the buffers (numpy and Arrow read them in place).

The columns are frames' (META_COLUMNS, cell_columns(), LONG_COLUMNS) and so
are the dtypes: ``layout(shape)`` is None when the core does not fill one of
them (a column added on the Python side only) or fills it with another kind,
and frames then builds the frame from Reports, as before.
"""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional

from . import _core, _formats, bulk, frames
from ._core import ParseError
from ._model import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# The pandas dtype (as frames' dtype tables name it) of each kind of column
# the core fills.
_DTYPE_OF_KIND = {"str": "string", "int": "int64", "intn": "Int64", "time": "datetime64[ns]",
                  "dec": "object"}
_EPOCH_DAYS = datetime.date(1970, 1, 1).toordinal()
_NS_PER_DAY = 86_400 * 10**9

_LAYOUTS: Dict[str, Optional[Any]] = {}


def names(shape: str) -> List[str]:
    return (list(frames.META_COLUMNS) + frames.cell_columns() if shape == "wide"
            else list(frames.LONG_COLUMNS))


def _magic() -> Optional[List[bytes]]:
    """The starts of files that are no plain text, as _formats.sniff knows
    them: the C file lane declines such files (None: no lane)."""
    known = getattr(_formats, "_MAGIC", None)
    zips = getattr(_formats, "_ZIP_MAGIC", None)
    if known is None or zips is None:
        return None
    return [m[0] for m in known] + list(zips) + [b"RIFF"]  # RIFF: WebP images


def layout(shape: str) -> Optional[Any]:
    """Empty columns of the shape, to make more like it (_core.columns_like);
    None when the core cannot fill frames' columns with frames' dtypes."""
    if shape not in _LAYOUTS:
        import pandas as pd

        try:
            import pyarrow  # noqa: F401  (the string columns are made in Arrow's layout)

            proto = _core.columns_new(shape, names(shape), _magic())
        except (ImportError, ValueError):
            _LAYOUTS[shape] = None
            return None
        dtypes = frames._wide_dtypes(pd) if shape == "wide" else frames._long_dtypes(pd)
        kinds = [part[0] for part in _core.columns_take(_core.columns_like(proto))]
        same = all(_DTYPE_OF_KIND[kind] == str(pd.api.types.pandas_dtype(dtypes[name]))
                   for name, kind in zip(names(shape), kinds))
        _LAYOUTS[shape] = proto if same else None
    return _LAYOUTS[shape]


def read(jobs: Iterable[bulk._Job], n: int, shape: str, strict: bool, proto: Any,
         bar: Any = None) -> "pd.DataFrame":
    """The frame of jobs (bulk._jobs' (source, job) pairs), on n threads."""
    main = _core.columns_like(proto)
    # a batch's columns, emptied and used again: hundreds of small buffers are
    # allocated once per batch in flight, not once per batch
    spare: List[Any] = []

    def fill(batch: List[bulk._Job]) -> Any:
        try:
            chunk = spare.pop()  # atomic: workers take from it at once
        except IndexError:
            chunk = _core.columns_like(proto)
        return _fill(batch, chunk, shape, strict)

    for batch, chunk in bulk._batches(jobs, n, fill):
        _core.columns_extend(main, chunk)
        _core.columns_clear(chunk)
        spare.append(chunk)
        if bar is not None:
            bar.update(len(batch))
    return _assemble(shape, _core.columns_take(main))


def _fill(batch: List[bulk._Job], chunk: Any, shape: str, strict: bool) -> Any:
    """A worker's part: the batch's columns.  A file goes to the core's file
    lane, other sources planned up to the core call (see bulk._start_batch);
    a file the lane declines is planned here, and bytes the core refused as
    UTF-8 decoded again (as parse does), and given in a second round; the
    rest go through their Report.  chunk: empty columns to fill."""
    reports: Dict[int, Report] = {}
    items = []
    for i, (source, job) in enumerate(batch):
        path = getattr(job, "path", None)
        items.append((source, path if path is not None else _plan(i, job, reports)))
    again = []
    for i, exc in _core.columns_fill(chunk, items, strict):
        source, job = batch[i]
        call = None
        if exc is None and isinstance(items[i][1], str):  # declined by the file lane
            call = _plan(i, job, reports)
        elif isinstance(exc, ParseError):  # refused as decoded: decoded again, as parse does
            call = _plan_again(job, exc)
        if call is not None:
            again.append((i, (source, call)))
            continue
        _put_report(chunk, shape, i, batch[i], reports)
    if again:
        slots = [i for i, _ in again]
        for i, _exc in _core.columns_fill(chunk, [item for _, item in again], strict, slots):
            _put_report(chunk, shape, i, batch[i], reports)
    return chunk


def _plan(i: int, job: Any, reports: Dict[int, Report]) -> Optional[tuple]:
    """The job's core call, or None (its Report, when the plan gave one
    without the core, is kept in reports[i])."""
    plan = getattr(job, "plan", None)
    if plan is None:
        return None
    try:
        planned = plan()
    except Exception:
        return None  # the job says why
    if isinstance(planned, tuple):
        return planned
    if planned is not None:
        reports[i] = planned
    return None


def _plan_again(job: Any, e: ParseError) -> Optional[tuple]:
    """The job's core call after the core refused its first one with e (bytes
    guessed to be UTF-8, then decoded as GB18030), or None: the job says why."""
    retry = getattr(job, "retry", None)
    if retry is None:
        return None
    try:
        return retry(e)  # type: ignore[no-any-return]
    except Exception:
        return None


def _put_report(chunk: Any, shape: str, i: int, pair: bulk._Job,
                reports: Dict[int, Report]) -> None:
    """Item i's rows from its Report: the one its plan gave, else the job's.
    A call that raised is redone by its job, which retries (another
    encoding) or gives the parse.failed Report, as parse_many does."""
    source, job = pair
    report = reports.pop(i) if i in reports else job()
    _core.columns_put_rows(chunk, i, rows(shape, source, report))


def rows(shape: str, source: Optional[str], report: Report) -> List[List[Any]]:
    """A Report's rows, as columns_put_rows takes them."""
    if shape == "wide":
        row = frames._wide_row(source, report)
        for at in range(len(frames.META_COLUMNS)):  # dates as datetime64[ns]'s integers
            if isinstance(row[at], datetime.date):
                row[at] = (row[at].toordinal() - _EPOCH_DAYS) * _NS_PER_DAY
        return [row]
    return [[cells[name] for name in frames.LONG_COLUMNS]
            for cells in frames._long_values(frames._long_rows([(source, report)]))]


def _assemble(shape: str, parts: List[Any]) -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    dtypes = frames._wide_dtypes(pd) if shape == "wide" else frames._long_dtypes(pd)
    cols: Dict[str, Any] = {}
    for name, (kind, *bufs) in zip(names(shape), parts):
        if kind == "str":
            cols[name] = _strings(pd, np, dtypes[name], *bufs)
        elif kind == "int":
            cols[name] = np.frombuffer(bufs[0], dtype=np.int64)
        elif kind == "intn":
            cols[name] = pd.arrays.IntegerArray(np.frombuffer(bufs[0], dtype=np.int64),
                                                np.frombuffer(bufs[1], dtype=np.bool_))
        elif kind == "time":
            cols[name] = np.frombuffer(bufs[0], dtype=np.int64).view("datetime64[ns]")
        else:  # "dec": Decimal or None
            values = np.empty(len(bufs[0]), dtype=object)
            values[:] = bufs[0]
            cols[name] = values
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is None:  # pragma: no cover - pandas without it
        return pd.DataFrame(cols, columns=list(cols), copy=False)
    # the arrays are made and checked here: pandas' dict path checks each one
    # again, a fixed cost (about 1 ms) that counts for a small read_reports
    # call, as each partition of govdisclose.dask is
    n = len(next(iter(cols.values()))) if cols else 0
    return from_arrays(list(cols.values()), columns=pd.Index(list(cols)),
                       index=pd.RangeIndex(n), verify_integrity=False)


def _strings(pd: Any, np: Any, dtype: Any, offsets: bytearray, data: bytearray,
             missing: bytearray) -> Any:
    """A string column over the core's UTF-8 (Arrow's large_string layout):
    in place when pandas keeps strings in Arrow, else as str objects."""
    import pyarrow as pa

    mask = np.frombuffer(missing, dtype=np.bool_)
    nulls = int(mask.sum())
    valid = pa.py_buffer(np.packbits(~mask, bitorder="little")) if nulls else None
    arr = pa.Array.from_buffers(pa.large_string(), len(mask),
                                [valid, pa.py_buffer(offsets), pa.py_buffer(data)],
                                null_count=nulls)
    arr.validate()  # the offsets against the data (cheap: not every string)
    if getattr(dtype, "storage", None) == "pyarrow" and dtype.na_value is pd.NA:
        return pd.arrays.ArrowStringArray(pa.chunked_array([arr]))
    return pd.array(arr.to_numpy(zero_copy_only=False), dtype=dtype)
