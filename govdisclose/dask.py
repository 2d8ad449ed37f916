"""Reports as a dask DataFrame, for more reports than one machine parses in time
(the optional extra ``govdisclose[dask]``).

    >>> import govdisclose.dask
    >>> ddf = govdisclose.dask.read_reports("reports/**/*.txt")    # lazy
    >>> ddf.groupby("year")["requests.new.total"].sum().compute()

``read_reports(urlpath_or_list, batch_size=1000, ...)`` lists the report files
(a glob, a folder searched recursively for report suffixes, a list of paths,
or any fsspec URL such as ``s3://bucket/reports/``), cuts the list into
batches of ``batch_size`` files, and builds the frame with
``dask.dataframe.from_map``: one partition per batch, each made by
``govdisclose.read_reports`` where the batch is read.  A partition of 1,000 text
reports takes about 0.1 s of one core and 2-3 MB (wide): large enough that a
task's fixed costs (scheduling, dask's size estimate, the frame's assembly)
stay a few per cent of it; much smaller batches spend a third of the time on them.  The columns and
dtypes are exactly those of ``govdisclose.read_reports`` (its frame of no
reports is the meta), in input order; ``shape="long"`` gives the long frame.

Local zip archives are opened as ``parse_many`` opens them; on other
filesystems each file is read as one report.  Paths given as a list are used
as they are (no suffix filter).  On a cluster every worker needs
govdisclose installed and the files reachable (a shared filesystem or object
storage): see the README's recipe.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Union

from .bulk import ARCHIVE_SUFFIXES, REPORT_SUFFIXES

__all__ = ["read_reports"]


def _dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as e:
        raise ImportError("govdisclose.dask needs dask: pip install 'govdisclose[dask]' "
                          "(dask[dataframe,distributed], pandas and pyarrow)") from e
    return dd


def _list_files(urlpath_or_list: Union[str, "os.PathLike[str]", Sequence[Any]],
                storage_options: Optional[Dict[str, Any]]) -> tuple:
    """(protocol, paths): the report files, in a stable order."""
    from fsspec.core import get_fs_token_paths
    from fsspec.implementations.local import make_path_posix

    if isinstance(urlpath_or_list, (str, os.PathLike)):
        given = [os.fspath(urlpath_or_list)]
    else:
        given = [os.fspath(p) for p in urlpath_or_list]
    out: List[str] = []
    protocol = "file"
    for urlpath in given:
        if _local_file(urlpath):  # named as fsspec names it, without its per-path calls
            out.append(make_path_posix(urlpath))
            continue
        fs, _, paths = get_fs_token_paths(urlpath, storage_options=storage_options)
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        if not paths and not any(c in urlpath for c in "*?["):
            paths = [urlpath]  # a path that is not there: a parse.failed row, as parse_many
        for p in paths:
            if fs.exists(p) and fs.isdir(p):
                found = sorted(f for f in fs.find(p)
                               if os.path.splitext(f)[1].lower()
                               in REPORT_SUFFIXES + ARCHIVE_SUFFIXES
                               and not any(part.startswith(".") for part in f.split("/")))
                out.extend(found)
            else:
                out.append(p)
    return protocol, out


def _local_file(urlpath: str) -> bool:
    """A local path that is no folder and no glob: listed as it is (a list of
    a million files is not a million fsspec calls)."""
    return ("://" not in urlpath and not any(c in urlpath for c in "*?[")
            and not os.path.isdir(urlpath))


def _batch_frame(batch: List[str], protocol: str, shape: str, strict: bool,
                 storage_options: Optional[Dict[str, Any]]) -> Any:
    """One partition: the reports of a batch of files, parsed where it runs
    (on one thread: a worker process of a cluster is given one per core)."""
    from .frames import _frame_of_jobs
    from .frames import read_reports as frame_of

    if protocol in ("file", "local"):
        return frame_of(list(batch), workers=1, strict=strict, shape=shape)
    return _frame_of_jobs(_remote_jobs(batch, protocol, strict, storage_options), 1, shape,
                          strict)


def _remote_jobs(batch: List[str], protocol: str, strict: bool,
                 storage_options: Optional[Dict[str, Any]]) -> Iterator[Any]:
    """bulk's (source, job) pairs for files read through fsspec, one at a time."""
    import fsspec

    from .bulk import _data_job, _reason, failed_report

    for path in batch:
        url = f"{protocol}://{path}"
        try:
            with fsspec.open(url, "rb", **(storage_options or {})) as fh:
                data = fh.read()
        except Exception as e:  # as parse_many does: a parse.failed row, the batch goes on
            yield url, (lambda u=url, reason=_reason(e): failed_report(u, reason))
            continue
        yield url, _data_job(data, url, strict, url)


def read_reports(urlpath_or_list: Union[str, "os.PathLike[str]", Sequence[Any]],
                 batch_size: int = 1000, shape: str = "wide", strict: bool = False,
                 storage_options: Optional[Dict[str, Any]] = None) -> Any:
    """A dask DataFrame of the reports at urlpath_or_list, one partition per
    ``batch_size`` files (see the module's doc)."""
    dd = _dask()
    from .frames import to_frame

    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if shape not in ("wide", "long"):
        raise ValueError(f'shape must be "wide" or "long", not {shape!r}')
    protocol, paths = _list_files(urlpath_or_list, storage_options)
    if not paths:
        raise FileNotFoundError(f"no report files at {urlpath_or_list!r}")
    batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)]
    meta = to_frame([], shape=shape)
    import dask

    # dask turns object columns into strings by default: the money columns are
    # Decimal objects, so the conversion is off for this frame.
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(_batch_frame, batches, protocol=protocol, shape=shape,
                           strict=strict, storage_options=storage_options, meta=meta,
                           label="govdisclose-read-reports", enforce_metadata=False)
