"""Frozen, slotted dataclasses that mirror SCHEMA.md field by field.

Every class is built from the plain data that ``govdisclose._core.parse``
returns (``from_dict``) and turns back into exactly that data (``to_dict``), so
``Report.from_dict(d).to_dict() == d``.  A row or cell that the report does not
contain is ``None``.
"""
from __future__ import annotations

import dataclasses
import datetime
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Tuple, Type, TypeVar, Union

__all__ = [
    "Cell", "Finding", "Unplaced", "Report",
    "RequestRow", "ReviewRow", "Documents", "Decisions", "OtherServices", "Fees",
    "Procurement", "ExtraRow", "Withheld", "Unable", "NotProcessed", "Other",
    "Active", "Requests", "Reviews",
]

Number = Union[int, Decimal]
_T = TypeVar("_T")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True)
    def _record(cls: Type[_T]) -> Type[_T]: ...

else:

    def _record(cls):
        """``@dataclass(frozen=True, slots=True)``, also on Python 3.9.

        Python 3.9's dataclass has no ``slots`` argument: there the dataclass is
        rebuilt with ``__slots__`` naming its fields, as 3.10 does (no field has
        a default; a ``field(repr=False)`` without one leaves no class attribute
        behind to clash with its slot).
        """
        if sys.version_info >= (3, 10):
            return dataclasses.dataclass(frozen=True, slots=True)(cls)
        dc = dataclasses.dataclass(frozen=True)(cls)
        names = tuple(f.name for f in dataclasses.fields(dc))
        ns = dict(dc.__dict__)
        for name in names + ("__dict__", "__weakref__"):
            ns.pop(name, None)
        ns["__slots__"] = names
        return type(dc)(dc.__name__, dc.__bases__, ns)


# ---- Cells ----------------------------------------------------------------


@_record
class Cell:
    """One table cell: ``value`` (int, Decimal or None), ``kind`` ("number",
    "empty", "na" or "text"), ``raw`` text as written (white space folded),
    ``note`` (text besides the number, or None) and ``span`` (byte offsets
    ``(start, end)`` into the UTF-8 text)."""

    value: Optional[Number]
    kind: str
    raw: str
    note: Optional[str]
    span: Tuple[int, int]

    @classmethod
    def from_dict(cls, d: Optional[Dict[str, Any]]) -> Optional["Cell"]:
        if d is None:
            return None
        start, end = d["span"]
        return cls(d["value"], d["kind"], d["raw"], d["note"], (start, end))

    def to_dict(self, cells: str = "full") -> Any:
        if cells == "value":
            return self.value
        return {
            "value": self.value,
            "kind": self.kind,
            "raw": self.raw,
            "note": self.note,
            "span": [self.span[0], self.span[1]],
        }


def _cell_to(c: Optional[Cell], cells: str) -> Any:
    return None if c is None else c.to_dict(cells)


# ---- Composite records: rows, groups, tables --------------------------------
#
# Each composite class lists, per field, how to read it: a Cell, a row class,
# a group class.  from_dict/to_dict walk that list, so the classes stay plain
# declarations.


_FIELD_NAMES: Dict[type, Tuple[str, ...]] = {}


def _fields(cls: type) -> Tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_Parts = Dict[str, Callable[[Any], Any]]


def _composite_from(cls: Type[_T], d: Optional[Dict[str, Any]], parts: _Parts) -> Optional[_T]:
    if d is None:
        return None
    return cls(*(parts[name](d.get(name)) for name in _fields(cls)))


def _composite_to(obj: Any, cells: str) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for name in _fields(type(obj)):
        v = getattr(obj, name)
        if v is None:
            out[name] = None
        elif isinstance(v, tuple):  # Active.extra
            out[name] = [x.to_dict(cells) for x in v]
        else:
            out[name] = v.to_dict(cells)
    return out


_C = TypeVar("_C", bound="_Composite")


class _Composite:
    """Mixin: from_dict/to_dict for records whose fields are cells, rows or groups."""

    __slots__ = ()
    _parts: _Parts  # set after each class is defined

    @classmethod
    def from_dict(cls: Type[_C], d: Optional[Dict[str, Any]]) -> Optional[_C]:
        return _composite_from(cls, d, cls._parts)

    def to_dict(self, cells: str = "full") -> Dict[str, Any]:
        return _composite_to(self, cells)


def _cells_of(cls: Type[_Composite]) -> None:
    cls._parts = {name: Cell.from_dict for name in _fields(cls)}


@_record
class RequestRow(_Composite):
    """A row of table 三: one cell per applicant column."""

    natural_person: Optional[Cell]
    commercial: Optional[Cell]
    research: Optional[Cell]
    public_interest: Optional[Cell]
    legal_services: Optional[Cell]
    other_org: Optional[Cell]
    total: Optional[Cell]


@_record
class ReviewRow(_Composite):
    """A group of table 四: 行政复议, or one of the two 行政诉讼 groups."""

    upheld: Optional[Cell]
    corrected: Optional[Cell]
    other: Optional[Cell]
    pending: Optional[Cell]
    total: Optional[Cell]


@_record
class Documents(_Composite):
    """规章 / (行政)规范性文件: 2021 cells issued, repealed, in_force; 2019 cells
    new_made, new_published, published_total."""

    issued: Optional[Cell]
    repealed: Optional[Cell]
    in_force: Optional[Cell]
    new_made: Optional[Cell]
    new_published: Optional[Cell]
    published_total: Optional[Cell]


@_record
class Decisions(_Composite):
    """行政许可 / 行政处罚 / 行政强制: 2021 cell count; 2019 cells items_prev,
    items_delta (signed), decisions."""

    count: Optional[Cell]
    items_prev: Optional[Cell]
    items_delta: Optional[Cell]
    decisions: Optional[Cell]


@_record
class OtherServices(_Composite):
    """其他对外管理服务事项 (2019 only)."""

    items_prev: Optional[Cell]
    items_delta: Optional[Cell]
    decisions: Optional[Cell]


@_record
class Fees(_Composite):
    """行政事业性收费: 2021 amount (万元, Decimal); 2019 items_prev, items_delta."""

    amount: Optional[Cell]
    items_prev: Optional[Cell]
    items_delta: Optional[Cell]


@_record
class Procurement(_Composite):
    """政府集中采购 (2019 only): projects, amount (Decimal, unit in the note)."""

    projects: Optional[Cell]
    amount: Optional[Cell]


for _row_cls in (RequestRow, ReviewRow, Documents, Decisions, OtherServices, Fees, Procurement):
    _cells_of(_row_cls)


@_record
class ExtraRow:
    """A row a body added to table 二 (其他主动公开文件 | 5 | 0 | 12): kept, not
    dropped and not an error.  ``label`` as written (white space folded),
    ``cells`` in the order written, ``span`` the label's byte offsets in the
    input (each cell has its own)."""

    label: str
    cells: Tuple[Optional[Cell], ...]
    span: Tuple[int, int]

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "ExtraRow":
        start, end = d["span"]
        return cls(d["label"], tuple(Cell.from_dict(c) for c in d["cells"]), (start, end))

    def to_dict(self, cells: str = "full") -> Dict[str, Any]:
        return {"label": self.label, "cells": [_cell_to(c, cells) for c in self.cells],
                "span": [self.span[0], self.span[1]]}


def _rows_of(cls: Type[_Composite], row_cls: Type[_Composite]) -> None:
    cls._parts = {name: row_cls.from_dict for name in _fields(cls)}


@_record
class Withheld(_Composite):
    """三（三）不予公开."""

    state_secret: Optional[RequestRow]
    prohibited_by_law: Optional[RequestRow]
    security_stability: Optional[RequestRow]
    third_party_rights: Optional[RequestRow]
    internal_affairs: Optional[RequestRow]
    process_info: Optional[RequestRow]
    enforcement_file: Optional[RequestRow]
    inquiry: Optional[RequestRow]


@_record
class Unable(_Composite):
    """三（四）无法提供."""

    not_held: Optional[RequestRow]
    needs_creation: Optional[RequestRow]
    unclear: Optional[RequestRow]


@_record
class NotProcessed(_Composite):
    """三（五）不予处理."""

    petition: Optional[RequestRow]
    repeated: Optional[RequestRow]
    publication: Optional[RequestRow]
    excessive: Optional[RequestRow]
    confirmation: Optional[RequestRow]


@_record
class Other(_Composite):
    """三（六）其他处理: three rows in 2021, the single row ``all`` in 2019."""

    no_correction: Optional[RequestRow]
    unpaid_fee: Optional[RequestRow]
    other: Optional[RequestRow]
    all: Optional[RequestRow]


for _group_cls in (Withheld, Unable, NotProcessed, Other):
    _rows_of(_group_cls, RequestRow)


@_record
class Active(_Composite):
    """二 主动公开政府信息情况."""

    rules: Optional[Documents]
    normative_documents: Optional[Documents]
    licensing: Optional[Decisions]
    other_services: Optional[OtherServices]
    penalties: Optional[Decisions]
    enforcement: Optional[Decisions]
    fees: Optional[Fees]
    procurement: Optional[Procurement]
    extra: Tuple[ExtraRow, ...]


Active._parts = {
    "rules": Documents.from_dict,
    "normative_documents": Documents.from_dict,
    "licensing": Decisions.from_dict,
    "other_services": OtherServices.from_dict,
    "penalties": Decisions.from_dict,
    "enforcement": Decisions.from_dict,
    "fees": Fees.from_dict,
    "procurement": Procurement.from_dict,
    "extra": lambda xs: tuple(ExtraRow.from_dict(x) for x in (xs or ())),
}


@_record
class Requests(_Composite):
    """三 收到和处理政府信息公开申请情况."""

    new: Optional[RequestRow]
    carried_over: Optional[RequestRow]
    granted: Optional[RequestRow]
    partly_granted: Optional[RequestRow]
    withheld: Optional[Withheld]
    unable: Optional[Unable]
    not_processed: Optional[NotProcessed]
    other: Optional[Other]
    total: Optional[RequestRow]
    carried_forward: Optional[RequestRow]


Requests._parts = {
    name: RequestRow.from_dict
    for name in ("new", "carried_over", "granted", "partly_granted", "total", "carried_forward")
}
Requests._parts.update(
    withheld=Withheld.from_dict,
    unable=Unable.from_dict,
    not_processed=NotProcessed.from_dict,
    other=Other.from_dict,
)


@_record
class Reviews(_Composite):
    """四 政府信息公开行政复议、行政诉讼情况."""

    review: Optional[ReviewRow]
    litigation_direct: Optional[ReviewRow]
    litigation_after_review: Optional[ReviewRow]


_rows_of(Reviews, ReviewRow)


# ---- Findings and unplaced numbers ------------------------------------------


@_record
class Finding:
    """A reconciliation finding or a parse warning (SCHEMA.md, "findings")."""

    code: str
    severity: str
    table: Optional[str]
    cell: Optional[str]
    expected: Optional[int]
    actual: Optional[int]
    message: str

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Finding":
        return cls(d["code"], d["severity"], d["table"], d["cell"], d["expected"],
                   d["actual"], d["message"])

    def to_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "table": self.table,
            "cell": self.cell,
            "expected": self.expected,
            "actual": self.actual,
            "message": self.message,
        }


@_record
class Unplaced:
    """A number seen inside a table region that could not be placed in a cell."""

    text: str
    span: Tuple[int, int]
    table: Optional[str]

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Unplaced":
        start, end = d["span"]
        return cls(d["text"], (start, end), d["table"])

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "span": [self.span[0], self.span[1]], "table": self.table}


# ---- The report ----------------------------------------------------------------


@_record
class Report:
    """One parsed annual report (SCHEMA.md, "Report").

    Besides SCHEMA's keys: how it was read -- ``source`` (the path given to
    ``parse_file``, else None), ``format`` ("text", "html", "docx" or "pdf")
    and ``encoding`` (the encoding its bytes were decoded from; None for a
    str, a PDF, or a report built from a dict) -- and, read from the agency's
    name, ``level`` ("province", "city", "county", "township", "zone",
    "department" or None) and ``region`` (e.g. "重庆市大足区", or None); from
    them and the year, ``deadline`` (the date 《条例》第四十九条 sets for
    publishing the report, or None when it sets none for this body or the name
    does not tell) and ``deadline_rule`` (the rule applied, or why there is
    none; None for a text that is no report).  ``published`` is the date the page or file says the report was put
    before the public, ``dated`` the date printed at its end (落款);
    ``days_late`` compares the first known of them with the deadline.

    Spans are byte offsets into the UTF-8 form of the text the parse read:
    your input itself when ``text`` is None, else ``text`` -- the text layer
    of a PDF, the word/document.xml of a DOCX file, or the decoded form of an
    input in another encoding.  ``text`` is not part of ``to_dict()``.
    """

    source: Optional[str]
    format: Optional[str]
    encoding: Optional[str]
    agency: Optional[str]
    year: Optional[int]
    published: Optional[datetime.date]
    dated: Optional[datetime.date]
    template: str
    level: Optional[str]
    region: Optional[str]
    deadline: Optional[datetime.date]
    deadline_rule: Optional[str]
    active: Optional[Active]
    requests: Optional[Requests]
    reviews: Optional[Reviews]
    findings: Tuple[Finding, ...]
    unplaced: Tuple[Unplaced, ...]
    text: Optional[str] = dataclasses.field(repr=False)
    #: Reports before 2019: the rows of their statistics table (统计表) as
    #: label and values, kept so nothing is lost (the template's tables are None).
    statistics: Tuple["ExtraRow", ...] = ()
    #: Where agency, year, published and dated were read: {"agency": (start,
    #: end) or None, "year": …, "published": …, "dated": …}, offsets like a
    #: cell's span.
    metadata_spans: Optional[Mapping[str, Optional[Tuple[int, int]]]] = dataclasses.field(
        default=None, hash=False)  # a dict: compared, but left out of the hash

    @property
    def errors(self) -> Tuple[Finding, ...]:
        """The findings of severity "error": identities the report breaks."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> Tuple[Finding, ...]:
        """The findings of severity "warning": where the parse is unsure."""
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def days_late(self) -> Optional[int]:
        """Days after the deadline the report was published (else, when no
        publication date is known, signed): negative when early, None when
        there is no deadline or neither date is known."""
        when = self.published or self.dated
        if self.deadline is None or when is None:
            return None
        return (when - self.deadline).days

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity == "error" for f in self.findings)

    def _repr_html_(self) -> str:
        """The three tables as HTML, for Jupyter (govdisclose._display)."""
        from ._display import report_html

        return report_html(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], text: Optional[str] = None) -> "Report":
        """The report of a dict in the shape of ``to_dict()`` (or of what
        ``_core.parse`` returns, whose keys source, format and encoding are
        absent: they are None then).  text is the text the spans index, when
        that is not the input itself (see the class documentation)."""
        return cls(
            source=d.get("source"),
            format=d.get("format"),
            encoding=d.get("encoding"),
            agency=d.get("agency"),
            year=d.get("year"),
            published=_date_from(d.get("published")),
            dated=_date_from(d.get("dated")),
            template=d.get("template", "unknown"),
            level=d.get("level"),
            region=d.get("region"),
            deadline=_date_from(d.get("deadline")),
            deadline_rule=d.get("deadline_rule"),
            active=Active.from_dict(d.get("active")),
            requests=Requests.from_dict(d.get("requests")),
            reviews=Reviews.from_dict(d.get("reviews")),
            findings=tuple(Finding.from_dict(f) for f in d.get("findings", ())),
            unplaced=tuple(Unplaced.from_dict(u) for u in d.get("unplaced", ())),
            text=text,
            statistics=tuple(ExtraRow.from_dict(x) for x in d.get("statistics", ())),
            metadata_spans=_spans_from(d.get("metadata_spans")),
        )

    def to_dict(self, cells: str = "full") -> Dict[str, Any]:
        """The report as plain data: source, format and encoding (how it was
        read), then the keys of SCHEMA.md in its order, with level, region,
        deadline and deadline_rule after template.

        cells="full" gives every cell as {"value", "kind", "raw", "note", "span"}
        (exactly what the core returned); cells="value" gives each cell's value.
        ``text`` is left out: it can be large, and it is the input's own text.
        """
        if cells not in ("full", "value"):
            raise ValueError(f'cells must be "full" or "value", not {cells!r}')
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "agency": self.agency,
            "year": self.year,
            "published": _iso(self.published),
            "dated": _iso(self.dated),
            "template": self.template,
            "level": self.level,
            "region": self.region,
            "deadline": _iso(self.deadline),
            "deadline_rule": self.deadline_rule,
            "active": None if self.active is None else self.active.to_dict(cells),
            "requests": None if self.requests is None else self.requests.to_dict(cells),
            "reviews": None if self.reviews is None else self.reviews.to_dict(cells),
            "findings": [f.to_dict() for f in self.findings],
            "unplaced": [u.to_dict() for u in self.unplaced],
            "statistics": [x.to_dict(cells) for x in self.statistics],
            "metadata_spans": None if self.metadata_spans is None else {
                k: None if v is None else list(v) for k, v in self.metadata_spans.items()},
        }


def _date_from(s: Optional[str]) -> Optional[datetime.date]:
    return None if s is None else datetime.date.fromisoformat(s)


def _iso(d: Optional[datetime.date]) -> Optional[str]:
    return None if d is None else d.isoformat()


def _spans_from(d: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Optional[Tuple[int, int]]]]:
    if d is None:
        return None
    return {k: None if v is None else (int(v[0]), int(v[1])) for k, v in d.items()}


del _row_cls, _group_cls


# ---- The binding builds these classes itself ------------------------------------


def _part_class(cls: type, name: str) -> type:
    """The class field name of a composite class holds (what _parts reads)."""
    if cls is Active and name == "extra":
        return ExtraRow  # a tuple of them
    return _PART_CLASSES.get(cls._parts[name], Cell)  # type: ignore[attr-defined]


_PART_CLASSES: Dict[Any, type] = {}


def _register_with_core() -> None:
    """Tell govdisclose._core the model classes, so that ``_core.parse_report``
    builds a Report by storing each field in its slot (no __init__, no dict):
    it learns each field's slot from the class and checks that the fields are
    the ones it fills, raising TypeError when the model and the binding differ."""
    from . import _core

    composites = (RequestRow, ReviewRow, Documents, Decisions, OtherServices, Fees,
                  Procurement, Withheld, Unable, NotProcessed, Other, Active, Requests, Reviews)
    for cls in composites:
        _PART_CLASSES[cls.from_dict] = cls
    _PART_CLASSES[Cell.from_dict] = Cell
    parts = {cls: tuple((name, _part_class(cls, name)) for name in _fields(cls))
             for cls in composites}
    _core._set_model(Report, Cell, Finding, Unplaced, ExtraRow, (Active, Requests, Reviews),
                     parts)


_register_with_core()
