"""Reports as pandas DataFrames (the optional extra ``govdisclose[pandas]``).

    >>> import govdisclose
    >>> df = govdisclose.read_reports("reports/")          # one row per report
    >>> df[["agency", "year", "requests.new.total"]]
    >>> long = govdisclose.to_frame(govdisclose.parse_many("reports/"), shape="long")
    >>> govdisclose.findings_frame(govdisclose.parse_many("reports/"))

pandas (and pyarrow, for Parquet) are imported inside the functions, so
``import govdisclose`` needs neither.

``read_reports`` builds its frame without a Report per report: the C binding
fills the columns from the core's results with the GIL released
(``_columns.py``, ``src/python/columns*.c``); ``to_frame`` builds the same
frame from Reports (``read_reports_via_reports`` is read_reports that way).
The columns are defined here, once: ``META_COLUMNS``, ``cell_columns()``,
``LONG_COLUMNS``, their dtypes (``_wide_dtypes``, ``_long_dtypes``) and
values (``_wide_row``, ``_long_rows``).  A column added here that the
binding does not fill (``columns.c`` names those it fills) makes
read_reports build the frame from Reports -- the same frame, slower -- until
the binding fills it too; tests/test_columns.py compares the two ways.

Columns and dtypes
------------------
Wide (``read_reports``, ``to_frame(shape="wide")``), one row per report:

* ``source``, ``agency``, ``template``, ``format``: ``string`` (pandas'
  nullable string dtype; ``format`` is ``<NA>`` where the Report does not
  record it);
* ``year``: ``Int64``; ``published`` (the date the page or file says it
  was published), ``dated`` (the date at its end, 落款) and ``deadline`` (the
  statutory deadline of 《条例》第四十九条, ``NaT`` when the article sets none
  for the body): ``datetime64[ns]``, ``NaT`` when not known; ``days_late``:
  ``Int64``, days from the deadline to ``published`` (else ``dated``),
  negative when early, ``<NA>`` when either is unknown;
* ``n_errors``, ``n_warnings``: ``int64``, the findings of that severity;
* one column per cell of both templates, named by its SCHEMA path
  (``requests.granted.natural_person``, ``active.rules.in_force``, ...), in
  the template's order (``cell_columns()``).  Counts are ``Int64``: a cell
  that is absent, blank, a dash or words is ``<NA>``, never 0.  The money
  cells (``active.fees.amount``, ``active.procurement.amount``) are
  ``object`` columns of ``decimal.Decimal`` (exact, as printed) or ``None``.
  A count cell that holds a fraction (a misread cell, e.g. an amount in 元
  read into 采购项目数量) is ``<NA>`` here; the long frame keeps its value.

Long (``to_frame(shape="long")``), one row per cell the report contains:
``source, agency, year, table, row, column, label, value, kind, raw, note,
span_start, span_end``.  ``value`` mixes counts and money, so it is one
``object`` column of ``Decimal`` (``Decimal(70)``, ``Decimal('221.67')``) or
``None``: exact, and written to Parquet as a decimal.  Rows a body added to
table 二 are ``row="extra.N"``, ``column="0"``, ``"1"``, ..., with the body's
own label in ``label``.

Chinese column names
--------------------
``labels="zh"`` (``to_frame``, ``read_reports``, ``findings_frame``) names
the columns by the official labels (``三、（一）予以公开·自然人``; the rule is
in ``govdisclose.labels``), applied to the finished frame;
``govdisclose.labels.ids_of(df.columns)`` gives back the ids.

Round trips
-----------
Parquet (``df.to_parquet``/``pandas.read_parquet``) keeps every dtype.  A
Parquet decimal column has one scale, so money written with different numbers
of decimals reads back padded (``Decimal('221.67')`` as
``Decimal('221.670000')`` beside ``24252.311082``): equal, never rounded.
CSV has no types: ``df.to_csv(path, index=False)`` (or ``to_csv(df, path,
excel=True)``, UTF-8 with a byte order mark for Excel) then ``read_csv(path)``
(this module's) restores them, money digits exactly as written.  Written in
parts (dask), Parquet needs one schema for all parts: ``arrow_schema()``.
"""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Tuple

from .bulk import (Source, _jobs, _parse_pairs, _progress_bar, _serial, _sourced, _threaded,
                   _worker_count)
from .labels import check_labels, ids_of, relabel
from ._model import Report

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["read_reports", "to_frame", "findings_frame", "read_csv", "to_csv", "cell_columns",
           "money_columns", "arrow_schema",
           "META_COLUMNS", "LONG_COLUMNS", "FINDING_COLUMNS"]

META_COLUMNS = ("source", "agency", "year", "published", "dated", "deadline", "days_late",
                "template", "format", "n_errors", "n_warnings")
LONG_COLUMNS = ("source", "agency", "year", "table", "row", "column", "label", "value", "kind",
                "raw", "note", "span_start", "span_end")
FINDING_COLUMNS = ("source", "agency", "year", "code", "severity", "table", "cell",
                   "expected", "actual", "message")
_TABLES = ("active", "requests", "reviews")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "govdisclose's DataFrames need pandas: pip install 'govdisclose[pandas]' "
            "(pandas and pyarrow)") from e
    return pandas


# ---- The cells of both templates ------------------------------------------------


_CELLS: Optional[List[Tuple[str, str, str, str, bool, str]]] = None


def _cells() -> List[Tuple[str, str, str, str, bool, str]]:
    """(path, table, row, column, money, row label) of every cell, template order."""
    global _CELLS
    if _CELLS is None:
        from . import _core

        out = []
        for table_id, tdef in _core.template().items():
            for row in tdef["rows"]:
                for col in row["columns"]:
                    path = f"{table_id}.{row['id']}.{col['id']}"
                    out.append((path, table_id, row["id"], col["id"], bool(col["money"]),
                                row["label"]))
        _CELLS = out
    return _CELLS


def cell_columns() -> List[str]:
    """The cell columns of the wide frame: every cell of both templates."""
    return [c[0] for c in _cells()]


def money_columns() -> List[str]:
    """The cell columns that hold money (Decimal)."""
    return [c[0] for c in _cells() if c[4]]


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _date(d: Optional[datetime.date]) -> Any:
    return None if d is None else datetime.datetime(d.year, d.month, d.day)


# ---- Wide ------------------------------------------------------------------------


def _wide_dtypes(pd: Any) -> Dict[str, Any]:
    dtypes: Dict[str, Any] = {
        "source": pd.StringDtype(), "agency": pd.StringDtype(), "year": "Int64",
        "published": "datetime64[ns]", "dated": "datetime64[ns]",
        "deadline": "datetime64[ns]", "days_late": "Int64", "template": pd.StringDtype(),
        "format": pd.StringDtype(), "n_errors": "int64", "n_warnings": "int64",
    }
    for path, _t, _r, _c, money, _l in _cells():
        dtypes[path] = object if money else "Int64"
    return dtypes


_PLAN: Optional[List[Tuple[str, Tuple[str, ...], List[Tuple[str, bool]]]]] = None


def _plan() -> List[Tuple[str, Tuple[str, ...], List[Tuple[str, bool]]]]:
    """(table, row path parts, [(column, money)]) per template row, in column order."""
    global _PLAN
    if _PLAN is None:
        plan: List[Tuple[str, Tuple[str, ...], List[Tuple[str, bool]]]] = []
        for _path, table, rid, col, money, _l in _cells():
            parts = tuple(rid.split("."))
            if plan and plan[-1][0] == table and plan[-1][1] == parts:
                plan[-1][2].append((col, money))
            else:
                plan.append((table, parts, [(col, money)]))
        _PLAN = plan
    return _PLAN


def _wide_row(source: Optional[str], r: Report) -> List[Any]:
    """One report as the values of the wide frame's columns, in order."""
    row: List[Any] = [
        source, r.agency, r.year, _date(r.published), _date(r.dated), _date(r.deadline),
        r.days_late, r.template, getattr(r, "format", None),
        sum(f.severity == "error" for f in r.findings),
        sum(f.severity == "warning" for f in r.findings),
    ]
    append = row.append
    for table, parts, cols in _plan():
        obj = getattr(r, table)
        for part in parts:
            if obj is None:
                break
            obj = getattr(obj, part)
        for col, money in cols:
            cell = None if obj is None else getattr(obj, col)
            v = None if cell is None else cell.value
            if v is not None and not money and not isinstance(v, int):
                # A count cell holding a fraction (a misread cell): not a count.
                # The long frame and the Report keep it; Int64 stays Int64.
                v = int(v) if v == int(v) else None
            append(v)
    return row


def _wide(pairs: Iterable[Tuple[Optional[str], Report]]) -> "pd.DataFrame":
    """The wide frame; each report is turned into a row as it comes and then
    dropped, so memory holds values, not Reports."""
    pd = _pandas()
    names = list(META_COLUMNS) + cell_columns()
    columns: List[List[Any]] = [[] for _ in names]
    for source, r in pairs:
        for values, v in zip(columns, _wide_row(source, r)):
            values.append(v)
    return _frame(pd, dict(zip(names, columns)), _wide_dtypes(pd))


def _frame(pd: Any, data: Dict[str, List[Any]], dtypes: Dict[str, Any]) -> "pd.DataFrame":
    cols = {}
    for name, values in data.items():
        dtype = dtypes[name]
        if dtype is object:
            cols[name] = pd.Series(values, dtype=object)
        elif dtype == "datetime64[ns]":
            cols[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object))
                                   ).astype("datetime64[ns]")
        else:
            cols[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(cols, columns=list(data))


# ---- Long ------------------------------------------------------------------------


def _long_dtypes(pd: Any) -> Dict[str, Any]:
    s = pd.StringDtype()
    return {"source": s, "agency": s, "year": "Int64", "table": s, "row": s, "column": s,
            "label": s, "value": object, "kind": s, "raw": s, "note": s,
            "span_start": "int64", "span_end": "int64"}


def _long_rows(pairs: Iterable[Tuple[Optional[str], Report]]) -> Iterator[Dict[str, Any]]:
    """One dict per cell present, with LONG_COLUMNS as keys (value: int or
    Decimal, as the Report holds it)."""
    for source, r in pairs:
        found = []
        for path, table, rid, col, _m, label in _cells():
            cell = _get(getattr(r, table), f"{rid}.{col}")
            if cell is not None:
                found.append((table, rid, col, label, cell))
        for i, extra in enumerate(getattr(r.active, "extra", None) or ()):
            for j, cell in enumerate(extra.cells):
                if cell is not None:
                    found.append(("active", f"extra.{i}", str(j), extra.label, cell))
        for table, rid, col, label, cell in found:
            yield {"source": source, "agency": r.agency, "year": r.year, "table": table,
                   "row": rid, "column": col, "label": label, "value": cell.value,
                   "kind": cell.kind, "raw": cell.raw, "note": cell.note,
                   "span_start": cell.span[0], "span_end": cell.span[1]}


def _long_values(rows: Iterable[Dict[str, Any]]) -> Iterator[Dict[str, Any]]:
    """_long_rows' rows with the long frame's values: every number a Decimal."""
    for row in rows:
        v = row["value"]
        row["value"] = None if v is None else Decimal(v)
        yield row


def _long(pairs: Iterable[Tuple[Optional[str], Report]]) -> "pd.DataFrame":
    pd = _pandas()
    data: Dict[str, List[Any]] = {name: [] for name in LONG_COLUMNS}
    for row in _long_values(_long_rows(pairs)):
        for name in LONG_COLUMNS:
            data[name].append(row[name])
    return _frame(pd, data, _long_dtypes(pd))


# ---- Public ------------------------------------------------------------------------


def to_frame(reports: Iterable[Any], shape: str = "wide", labels: str = "id") -> "pd.DataFrame":
    """Reports (or ``(source, Report)`` pairs) as a DataFrame.

    shape="wide": one row per report, one column per cell (see the module's
    doc for columns and dtypes); shape="long": one row per cell present.
    labels="zh" names the columns by the official Chinese labels
    (``govdisclose.labels``; ``labels.ids_of`` maps them back).
    """
    if shape not in ("wide", "long"):
        raise ValueError(f'shape must be "wide" or "long", not {shape!r}')
    check_labels(labels)
    pairs = _sourced(reports)
    return relabel(_wide(pairs) if shape == "wide" else _long(pairs), labels)


def read_reports(sources: Any, workers: Optional[int] = None, progress: bool = False,
                 strict: bool = False, shape: str = "wide", labels: str = "id") -> "pd.DataFrame":
    """Parse every report of sources (as ``parse_many`` takes them) into a
    DataFrame, one row per report (shape="wide") or per cell (shape="long").

    The core fills the columns itself, with the GIL released, without a
    Report object per report (the same frame as ``to_frame`` of the Reports).
    A source that fails is a row with no cells, ``n_errors`` 1 and its
    ``parse.failed`` finding in ``findings_frame``.  labels: as ``to_frame``.
    """
    if shape not in ("wide", "long"):
        raise ValueError(f'shape must be "wide" or "long", not {shape!r}')
    check_labels(labels)
    _pandas()  # fail before parsing anything
    n = _worker_count(workers)
    bar = _progress_bar(progress, sources)
    try:
        return relabel(_frame_of_jobs(_jobs(sources, strict), n, shape, strict, bar), labels)
    finally:
        if bar is not None:
            bar.close()


def _frame_of_jobs(jobs: Iterable[Any], n: int, shape: str, strict: bool,
                   bar: Any = None) -> "pd.DataFrame":
    """The frame of bulk's (source, job) pairs on n threads: the columns
    filled by the core, or, when the core does not fill one of them (a column
    added on the Python side only), built from Reports."""
    from . import _columns

    proto = _columns.layout(shape)
    if proto is not None:
        return _columns.read(jobs, n, shape, strict, proto, bar)
    pairs = _serial(jobs) if n == 1 else _threaded(jobs, n)
    if bar is not None:
        pairs = _counted(pairs, bar)
    return _wide(pairs) if shape == "wide" else _long(pairs)


def _counted(pairs: Iterable[Any], bar: Any) -> Iterator[Any]:
    for pair in pairs:
        bar.update(1)
        yield pair


def read_reports_via_reports(sources: Any, workers: Optional[int] = None,
                             progress: bool = False, strict: bool = False,
                             shape: str = "wide", labels: str = "id") -> "pd.DataFrame":
    """read_reports through a Report per report (parse_many, then to_frame):
    what read_reports did before the core filled the columns; the same frame,
    kept to compare the two and for columns the core does not fill."""
    if shape not in ("wide", "long"):
        raise ValueError(f'shape must be "wide" or "long", not {shape!r}')
    check_labels(labels)
    _pandas()
    pairs = _parse_pairs(sources, workers=workers, progress=progress, strict=strict)
    return relabel(_wide(pairs) if shape == "wide" else _long(pairs), labels)


def findings_frame(reports: Iterable[Any], lang: Optional[str] = None,
                   labels: str = "id") -> "pd.DataFrame":
    """One row per finding of reports (Reports or ``(source, Report)`` pairs):
    source, agency, year, code, severity, table, cell, expected, actual,
    message.  ``expected``/``actual`` are ``Int64`` (``<NA>`` when the finding
    has no number).  Every finding, one by one (the views group the
    blank-as-zero infos; this keeps them).  lang: the messages' language
    (default: $GOVDISCLOSE_LANG, else the locale); labels: as ``to_frame``."""
    from .messages import localize_all

    check_labels(labels)
    pd = _pandas()
    data: Dict[str, List[Any]] = {name: [] for name in FINDING_COLUMNS}
    for source, r in localize_all(_sourced(reports), lang):
        for f in r.findings:
            data["source"].append(source)
            data["agency"].append(r.agency)
            data["year"].append(r.year)
            for key in ("code", "severity", "table", "cell", "expected", "actual", "message"):
                data[key].append(getattr(f, key))
    s = pd.StringDtype()
    dtypes = {"source": s, "agency": s, "year": "Int64", "code": s, "severity": s, "table": s,
              "cell": s, "expected": "Int64", "actual": "Int64", "message": s}
    for key in ("expected", "actual"):
        if any(v is not None and not isinstance(v, int) for v in data[key]):
            dtypes[key] = object  # a non-integral number: kept exact
    return relabel(_frame(pd, data, dtypes), labels)


def to_csv(frame: Any, path: Any, encoding: str = "utf-8", excel: bool = False) -> None:
    """Write a frame of this module as CSV (``index=False``), readable by
    ``read_csv``.  excel=True (or encoding="utf-8-sig") writes UTF-8 with a
    byte order mark: Excel, on a Chinese system, then reads it as UTF-8
    instead of GBK."""
    frame.to_csv(path, index=False, encoding="utf-8-sig" if excel else encoding)


def read_csv(path: Any, **kwargs: Any) -> "pd.DataFrame":
    """Read back a frame written with ``df.to_csv(path, index=False)`` or
    ``to_csv``: wide, long or findings (told apart by their columns), with
    this module's dtypes; money and long values become Decimal with the digits
    written.  A byte order mark and Chinese column labels are read as such
    (the columns keep the names written)."""
    pd = _pandas()
    kwargs.setdefault("encoding", "utf-8-sig")  # with or without a byte order mark
    head = pd.read_csv(path, nrows=0, **kwargs)
    names = ids_of(head.columns, strict=False)  # Chinese labels (labels="zh") too
    if "span_start" in names:
        dtypes = _long_dtypes(pd)
    elif "severity" in names and "message" in names:
        s = pd.StringDtype()
        dtypes = {"source": s, "agency": s, "year": "Int64", "code": s, "severity": s,
                  "table": s, "cell": s, "expected": "Int64", "actual": "Int64", "message": s}
    else:
        dtypes = _wide_dtypes(pd)
    converters = {n: _decimal_or_none for n in names if dtypes.get(n) is object}
    plain = {n: ("string" if dtypes.get(n) == "datetime64[ns]" else dtypes.get(n, "string"))
             for n in names if n not in converters}
    given = list(head.columns)
    df = pd.read_csv(path, dtype={given[names.index(n)]: t for n, t in plain.items()},
                     converters={given[names.index(n)]: c for n, c in converters.items()},
                     keep_default_na=False, na_values=[""], **kwargs)
    zh = given != names
    df.columns = names
    for n in names:
        if dtypes.get(n) == "datetime64[ns]":
            df[n] = pd.to_datetime(df[n]).astype("datetime64[ns]")
        elif n in converters:
            df[n] = pd.Series(df[n].tolist(), dtype=object, index=df.index)
    if "raw" in names and "span_start" in names:
        df["raw"] = df["raw"].fillna("")  # a blank cell's raw text is "", never missing
    return df.set_axis(given, axis=1) if zh else df


def arrow_schema(shape: str = "wide", money_scale: int = 6) -> Any:
    """The pyarrow schema of the frames: give it as ``schema=`` when writing
    Parquet in parts (``dask_df.to_parquet(path, schema=arrow_schema())``)
    so that every part stores money as the same ``decimal128(38,
    money_scale)``.  Six decimals hold 万元 to the fen; a value with more
    raises rather than being rounded."""
    try:
        import pyarrow as pa
    except ImportError as e:
        raise ImportError("govdisclose's Parquet schema needs pyarrow: "
                          "pip install 'govdisclose[pandas]'") from e
    schema = pa.Schema.from_pandas(to_frame([], shape=shape), preserve_index=False)
    decimals = money_columns() if shape == "wide" else ["value"]
    for name in decimals:
        schema = schema.set(schema.get_field_index(name),
                            pa.field(name, pa.decimal128(38, money_scale)))
    return schema


def _decimal_or_none(s: str) -> Optional[Decimal]:
    return None if s == "" else Decimal(s)
